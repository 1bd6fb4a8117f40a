"""The torch surface that transformers' model files use (tests/golden/torch_surface.json,
written by scripts/torch_surface.py from the modeling files): every name resolves in webtensor
or is excused below, and an excused name raises NotImplementedError naming it when used.
No network: the committed list is checked against webtensor's namespace."""
import importlib.util
import json
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
_spec = importlib.util.spec_from_file_location(
    "torch_surface", os.path.join(ROOT, "scripts", "torch_surface.py"))
surface = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(surface)

with open(surface.GOLDEN) as _f:
    GOLDEN = json.load(_f)
NAMES = GOLDEN["names"]

# torch features webtensor does not provide (name prefix -> why); each raises
# NotImplementedError (webtensor's UnsupportedFeature) when model code reaches for it.
EXCUSES = {
    "torch.distributed": "no distributed backend in a browser tab",
    "torch._dynamo": "graph-compiler internals (masking_utils, static KV caches)",
    "torch.nn.attention": "flex_attention needs the graph compiler",
    "torch.cuda.Stream": "no device streams (offloaded KV cache)",
    "torch.cuda.stream": "no device streams (offloaded KV cache)",
    "torch.cuda.default_stream": "no device streams (offloaded KV cache)",
    "torch.Stream": "no device streams (offloaded KV cache)",
    "torch.classes": "custom C++ classes (xIELU's CUDA kernel)",
    "torch.distributions": "sampling distributions (two logits processors): torch.multinomial",
    "torch.float8_e4m3fn": "float8 dtypes (fp8 quantised checkpoints)",
    "torch._softmax_backward_data": "a private autograd kernel (DeBERTa's XSoftmax backward)",
}


def _excuse(name):
    return next((p for p in EXCUSES if name == p or name.startswith(p + ".")), None)


def test_the_surface_is_big_enough_to_mean_something():
    assert len(GOLDEN["architectures"]) >= 30
    assert len(NAMES) > 250
    for name in ("torch.nn.functional.scaled_dot_product_attention", "Tensor.masked_fill",
                 "torch.nn.Linear"):
        assert name in NAMES, name


@pytest.mark.parametrize("name", sorted(n for n in NAMES if _excuse(n) is None))
def test_name_resolves_in_webtensor(name):
    assert surface.resolve(name) is not None, f"{name} (used by {NAMES[name]})"


@pytest.mark.parametrize("name", sorted(n for n in NAMES if _excuse(n) is not None))
def test_excused_name_raises_not_implemented(name):
    prefix = _excuse(name)
    with pytest.raises(NotImplementedError, match=prefix.replace(".", r"\.")):
        surface.resolve(name)


def test_every_excuse_is_still_needed():
    for prefix in EXCUSES:
        assert any(_excuse(n) == prefix for n in NAMES), f"stale excuse: {prefix}"


def test_golden_is_what_the_script_finds_in_the_installed_transformers():
    """The committed list is the script's output for the transformers version it names
    (rerun `python scripts/torch_surface.py` after upgrading transformers)."""
    from importlib.metadata import version
    assert version("transformers") == GOLDEN["transformers"], \
        "transformers changed: rerun scripts/torch_surface.py"
    assert surface.surface() == GOLDEN


def test_scan_resolves_import_aliases_and_tensor_methods():
    src = ("import torch\nfrom torch import nn\nimport torch.nn.functional as F\n"
           "from torch.nn import LayerNorm as LN\n"
           "class M(nn.Module):\n"
           "    def forward(self, x):\n"
           "        y = F.softmax(x.masked_fill(x > 0, 0), -1) + torch.nn.functional.gelu(x)\n"
           "        self.values()\n"
           "        return LN(3)(y).index_add_(0, i, s), {}.values(), torch.topk(y, 1).indices\n")
    got = surface.scan(src, {"masked_fill", "index_add_", "values", "indices", "to"})
    assert got == {"torch.nn.Module", "torch.nn.functional.softmax",
                   "torch.nn.functional.gelu", "torch.nn.LayerNorm", "Tensor.masked_fill",
                   "Tensor.index_add_", "torch.topk"}
