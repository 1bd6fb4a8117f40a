"""webtensor: a PyTorch-shaped tensor library for Pyodide with WASM SIMD kernels.

    import webtensor as torch

`import webtensor` loads what tensors and ops need (dtypes, Tensor, the op table, the CPU
backends and their kernels). The rest is imported on first use (module __getattr__, PEP 562;
see _LAZY below): `webtensor.nn`, `from webtensor import nn`, `import webtensor.nn` all work as
before, they just pay for nn when they ask for it (issue 11: cold start in a page).
"""
import os as _os

from . import _dtype
from ._dtype import (bfloat16, float16, float32, float64, int8, int16, int32, int64, uint8,
                     dtype, get_default_dtype, promote_types, set_default_dtype)
from ._dtype import bool_ as bool  # noqa: A001  (torch.bool)
from ._tensor import Size, Tensor, device
from ._creation import (arange, as_tensor, empty, empty_like, eye, from_numpy, full, full_like,
                        linspace, ones, ones_like, tensor, zeros, zeros_like)
from ._generator import (Generator, bernoulli, default_generator, get_rng_state, initial_seed,
                         manual_seed, rand, rand_like, randint, randint_like, randn, randn_like,
                         randperm, seed, set_rng_state)
from . import ops as _ops
from . import backends

__version__ = "0.1.0"

float = float32  # noqa: A001
double = float64
half = float16
long = int64
int = int32  # noqa: A001
short = int16

globals().update(_ops.FUNCTIONS)


def result_type(a, b):
    return _dtype.result_type_of([a, b])


def can_cast(from_, to):
    return from_.category <= to.category


def is_tensor(x):
    return isinstance(x, Tensor)


def is_floating_point(x):
    return x.dtype.category == 2


def numel(x):
    return x.numel()


def clone(x):
    return x.clone()


def broadcast_shapes(*shapes):
    from ._shape import broadcast_shapes as b
    return Size(b(*shapes))


def _method_function(name):
    def f(x, *args, **kwargs):
        return getattr(x, name)(*args, **kwargs)
    f.__name__ = name
    return f


for _name in ("reshape", "permute", "transpose", "t", "squeeze", "unsqueeze", "flatten",
              "unflatten", "narrow", "select", "unbind", "movedim", "moveaxis", "swapaxes",
              "swapdims", "detach"):
    globals()[_name] = _method_function(_name)


def _init_backend():
    want = _os.environ.get("WEBTENSOR_BACKEND", "")
    if want == "reference":
        return
    try:
        backends.set_backend("wasm")
    except Exception:
        if want == "wasm":
            raise


_init_backend()

# ---- the torch namespace for model files (grad modes, finfo, stubs of what we lack)
from . import _tensor_extras  # noqa: E402
_tensor_extras.attach()
from ._grad_mode import (enable_grad, inference_mode, is_grad_enabled,  # noqa: E402,F401
                         is_inference_mode_enabled, no_grad, set_grad_enabled)
from ._tensor_extras import norm  # noqa: E402,F401
from . import _torch_compat  # noqa: E402  (finfo, autocast, cuda/jit stubs, unsupported names)
_torch_compat.install(globals())
from ._sampling import multinomial  # noqa: E402,F401  (SmolLM2 sampling; Tensor.multinomial)

# ---- imported on first use: name -> (module, attribute or None for the module itself)
_LAZY = {
    "nn": (".nn", None), "optim": (".optim", None), "utils": (".utils", None),
    "autograd": (".autograd", None),                     # backward & co.: see _autograd_stub
    "serialization": (".serialization", None), "load": (".serialization", "load"),
    "quant": (".quant", None),                           # GGUF-quantised weights
    "webgpu": (".webgpu", None),                         # is_available, init, memory_stats
    "graphs": (".graphs", None),                         # graph capture and replay
    "OutOfMemoryError": (".backends.webgpu.host", "OutOfMemoryError"),
    "as_torch": ("._torch_alias", "as_torch"),
    "install_as_torch": ("._torch_alias", "install_as_torch"),
}
_unsupported_getattr = globals()["__getattr__"]    # _torch_compat's: torch names we lack


def __getattr__(name):
    if name not in _LAZY:
        return _unsupported_getattr(name)
    import importlib
    module, attr = _LAZY[name]
    value = importlib.import_module(module, __name__)
    value = value if attr is None else getattr(value, attr)
    globals()[name] = value          # once: later lookups do not come here
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


def _autograd_stub(name, is_property):
    """A stand-in for a Tensor method or property that webtensor.autograd attaches when it is
    imported (backward, requires_grad_, is_leaf, ...): it imports autograd, which replaces it
    with the real one, and hands over."""
    def get(self):
        from . import autograd  # noqa: F401
        return getattr(self, name)
    if is_property:
        return property(get)

    def call(self, *args, **kwargs):
        return get(self)(*args, **kwargs)
    call.__name__ = name
    return call


# tests/unit/core/test_lazy_import.py checks that these are exactly what autograd attaches
_AUTOGRAD_METHODS = ("backward", "requires_grad_", "detach_", "register_hook", "retain_grad")
_AUTOGRAD_PROPERTIES = ("is_leaf", "retains_grad", "output_nr", "_version")
for _name in _AUTOGRAD_METHODS + _AUTOGRAD_PROPERTIES:
    if _name not in Tensor.__dict__:        # autograd not imported yet
        setattr(Tensor, _name, _autograd_stub(_name, _name in _AUTOGRAD_PROPERTIES))
