"""`import webtensor` loads what a first op needs and nothing else (issue 11: cold start in a
page); nn, optim, autograd, utils, serialization, quant, webgpu, graphs and the torch alias
are imported on first use and behave exactly as when they were imported eagerly. Each check
runs in a fresh interpreter (this session has imported everything long ago)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

import webtensor

PKG_ROOT = str(Path(webtensor.__file__).resolve().parent.parent)
# modules a first op must not pay for (their import costs start-up time in Pyodide)
LAZY_MODULES = ["webtensor.nn", "webtensor.optim", "webtensor.autograd", "webtensor.utils",
                "webtensor.serialization", "webtensor.quant", "webtensor.webgpu",
                "webtensor.graphs", "webtensor._torch_alias", "webtensor.backends.webgpu",
                "webtensor.tokenizers", "webtensor.models", "pickle", "fractions"]


@pytest.fixture
def backend():
    """Overrides the per-backend fixture: these checks run in their own interpreter."""
    return None


def run(code):
    """Run `code` in a fresh CPython on the reference backend; its last line of stdout, as
    JSON."""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={"PYTHONPATH": PKG_ROOT, "WEBTENSOR_BACKEND": "reference"})
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_import_loads_no_lazy_module_and_a_first_op_works():
    out = run("import json, sys, webtensor\n"
              "r = (webtensor.ones(3) + 1).tolist()\n"
              f"print(json.dumps([r, [m for m in {LAZY_MODULES!r} if m in sys.modules]]))")
    assert out == [[2.0, 2.0, 2.0], []]


def test_every_lazy_name_is_what_its_module_holds():
    out = run("import importlib, json, webtensor\n"
              "bad = []\n"
              "for name, (mod, attr) in webtensor._LAZY.items():\n"
              "    got = getattr(webtensor, name)\n"
              "    m = importlib.import_module(mod, 'webtensor')\n"
              "    want = m if attr is None else getattr(m, attr)\n"
              "    bad += [] if got is want and name in dir(webtensor) else [name]\n"
              "print(json.dumps([sorted(webtensor._LAZY), bad]))")
    assert out[1] == []
    assert {"nn", "optim", "autograd", "utils", "serialization", "load", "quant", "webgpu",
            "graphs", "OutOfMemoryError", "as_torch", "install_as_torch"} <= set(out[0])


@pytest.mark.parametrize("how", ["import webtensor.nn as nn",
                                 "from webtensor import nn",
                                 "import webtensor\nnn = webtensor.nn"])
def test_nn_the_three_ways(how):
    out = run(f"import json, sys\n{how}\n"
              "import webtensor\n"
              "lin = nn.Linear(2, 3)\n"
              "print(json.dumps([nn is sys.modules['webtensor.nn'] is webtensor.nn, "
              "list(lin(webtensor.ones(1, 2)).shape)]))")
    assert out == [True, [1, 3]]


def test_autograd_methods_work_before_autograd_is_imported():
    """Tensor.backward & co. are attached by webtensor.autograd; until it is imported a
    stand-in imports it. Every way in: a property first, a method first, requires_grad=."""
    out = run("import json, sys, webtensor as torch\n"
              "before = 'webtensor.autograd' in sys.modules\n"
              "x = torch.tensor([1., 2.])\n"
              "leaf = x.is_leaf\n"
              "x.requires_grad_()\n"
              "(x * x).sum().backward()\n"
              "y = torch.ones(2, requires_grad=True)\n"
              "(y * 3).sum().backward()\n"
              "print(json.dumps([before, leaf, x.grad.tolist(), y.grad.tolist()]))")
    assert out == [False, True, [2.0, 4.0], [3.0, 3.0]]


def test_the_stand_ins_are_exactly_what_autograd_attaches():
    """If autograd attaches a new Tensor method, it needs a stand-in too (or it is missing
    until something imports autograd); a stand-in for a name autograd does not attach would
    recurse forever."""
    out = run("import json, webtensor\n"
              "T = webtensor.Tensor\n"
              "before = dict(vars(T))\n"
              "import webtensor.autograd\n"
              "changed = sorted(n for n, v in vars(T).items() if before.get(n) is not v)\n"
              "print(json.dumps([changed, sorted(webtensor._AUTOGRAD_METHODS + "
              "webtensor._AUTOGRAD_PROPERTIES)]))")
    assert out[0] == out[1]


def test_webgpu_device_registers_when_first_named():
    """The webgpu backend is imported when "webgpu" is first named (no GPU is touched), so
    errors for unknown devices still list it."""
    out = run("import json, sys, webtensor\n"
              "loaded = 'webtensor.backends.webgpu' in sys.modules\n"
              "try:\n"
              "    webtensor.device('nosuch')\n"
              "except RuntimeError as e:\n"
              "    msg = str(e)\n"
              "d = webtensor.device('webgpu')\n"
              "print(json.dumps([loaded, msg, str(d), "
              "'webtensor.backends.webgpu' in sys.modules]))")
    assert out == [False, "webtensor: device type 'nosuch' is not available (registered: cpu, "
                   "webgpu)", "webgpu", True]


def test_webgpu_device_registered_through_webtensor_webgpu_is_listed_once():
    out = run("import json, webtensor\n"
              "webtensor.webgpu.set_cpu_fallback(False)   # imports the webgpu backend\n"
              "try:\n"
              "    webtensor.device('nosuch')\n"
              "except RuntimeError as e:\n"
              "    print(json.dumps(str(e)))")
    assert out.endswith("(registered: cpu, webgpu)")


def test_install_as_torch_and_unsupported_names_in_a_fresh_process():
    out = run("import json, webtensor\n"
              "webtensor.install_as_torch(cuda='webgpu')\n"
              "import torch, torch.nn as nn, torch.optim as optim\n"
              "from torch.utils.data import TensorDataset\n"
              "ok = [torch is webtensor, nn is webtensor.nn, optim.SGD is webtensor.optim.SGD,\n"
              "      TensorDataset is webtensor.utils.data.TensorDataset,\n"
              "      torch.device('cuda').type == 'cuda', hasattr(torch, 'fx')]\n"
              "try:\n"
              "    torch.fx\n"
              "except NotImplementedError as e:\n"
              "    ok.append(str(e))\n"
              "print(json.dumps(ok))")
    assert out == [True, True, True, True, True, False,
                   "webtensor: torch.fx is not supported (graph tracing)"]
