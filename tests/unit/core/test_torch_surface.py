"""The torch surface that transformers' model files use (tests/golden/torch_surface.json,
written by scripts/torch_surface.py from the modeling files): every name resolves in webtensor
or is excused below, and an excused name raises NotImplementedError naming it when used.
No network: the committed list is checked against webtensor's namespace."""
import functools
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
_STREAMS = "no device streams or events (offloaded KV caches, generation's prefetch)"
_COMPLEX = "complex dtypes (Llama 4's complex RoPE)"
_DTYPES = "dtypes webtensor lacks (quantised / fp8 checkpoint loading)"
EXCUSES = {
    "torch.distributed": "no distributed backend in a browser tab",
    "torch._dynamo": "graph-compiler internals (masking_utils, static KV caches)",
    "torch._higher_order_ops": "graph-compiler operators (Mamba's associative_scan)",
    "torch.utils._pytree": "graph-compiler pytrees (transformers.utils.generic)",
    "torch.nn.attention": "flex_attention needs the graph compiler",
    "torch.cuda.Stream": _STREAMS, "torch.cuda.stream": _STREAMS,
    "torch.cuda.default_stream": _STREAMS, "torch.Stream": _STREAMS, "torch.Event": _STREAMS,
    "torch.cuda.get_device_capability": "no CUDA device to ask",
    "torch.classes": "custom C++ classes (xIELU's CUDA kernel)",
    "torch.distributions": "sampling distributions (two logits processors, resize-embeddings "
                           "init): torch.multinomial",
    "torch.float8_e4m3fn": _DTYPES, "torch.float8_e5m2": _DTYPES, "torch.uint16": _DTYPES,
    "torch.uint32": _DTYPES, "torch.uint64": _DTYPES,
    "torch.view_as_complex": _COMPLEX, "torch.view_as_real": _COMPLEX, "torch.polar": _COMPLEX,
    "torch._softmax_backward_data": "a private autograd kernel (DeBERTa's XSoftmax backward)",
}


@functools.lru_cache(maxsize=None)
def _scanned():          # once per session (the tests run once per backend)
    return surface.surface()


def _excuse(name):
    return next((p for p in EXCUSES if name == p or name.startswith(p + ".")), None)


def test_the_surface_is_big_enough_to_mean_something():
    assert len(GOLDEN["architectures"]) >= 100
    assert len(NAMES) > 400
    for name in ("torch.nn.functional.scaled_dot_product_attention", "Tensor.masked_fill",
                 "torch.nn.Linear"):
        assert name in NAMES, name


def test_every_name_resolves_in_webtensor():
    missing = {}
    for name in sorted(n for n in NAMES if _excuse(n) is None):
        try:
            surface.resolve(name)
        except (AttributeError, NotImplementedError) as e:
            missing[name] = f"{type(e).__name__}: {e} (used by {NAMES[name][:3]})"
    assert not missing, "\n".join(f"{k}: {v}" for k, v in missing.items())


def test_excused_names_raise_not_implemented():
    for name in sorted(n for n in NAMES if _excuse(n) is not None):
        with pytest.raises(NotImplementedError, match=_excuse(name).replace(".", r"\.")):
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
    assert _scanned() == GOLDEN


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
