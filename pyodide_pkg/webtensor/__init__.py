"""webtensor: a PyTorch-shaped tensor library for Pyodide with WASM SIMD kernels.

    import webtensor as torch
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
from . import serialization
from .serialization import load

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
from . import quant  # noqa: E402,F401  (webtensor.quant: GGUF-quantised weights)

# ---- nn and the torch namespace for model files (webtensor.nn, grad modes, the torch alias)
from . import _tensor_extras  # noqa: E402
_tensor_extras.attach()
from ._grad_mode import (enable_grad, inference_mode, is_grad_enabled,  # noqa: E402,F401
                         is_inference_mode_enabled, no_grad, set_grad_enabled)
from . import autograd, nn, optim, utils  # noqa: E402,F401
from ._torch_alias import as_torch, install_as_torch  # noqa: E402,F401
from ._tensor_extras import norm  # noqa: E402,F401
from . import webgpu  # noqa: E402,F401  (webtensor.webgpu: is_available, memory_stats)
from . import graphs  # noqa: E402,F401  (webtensor.graphs: Graph / graph capture and replay)
from .backends.webgpu.host import OutOfMemoryError  # noqa: E402,F401  (torch.OutOfMemoryError)
from . import _torch_compat  # noqa: E402  (finfo, autocast, cuda/jit stubs, unsupported names)
_torch_compat.install(globals())
from ._sampling import multinomial  # noqa: E402,F401  (SmolLM2 sampling)
