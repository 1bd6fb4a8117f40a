"""The rest of the torch namespace that model files touch: finfo/iinfo, constants, autocast,
torch.cuda / torch.jit stubs, small helpers (allclose, broadcast_tensors, ...), and
`unsupported(name)` for torch features webtensor does not have (a NotImplementedError that is
also an AttributeError, so `hasattr(torch, "fx")` stays False)."""
import math
import types

from . import _dtype as D
from . import linalg  # noqa: F401  (torch.linalg)
from ._errors import OutOfMemoryError

pi, e, inf, nan = math.pi, math.e, math.inf, math.nan


def _g(x):
    return f"{x:g}"


class finfo:
    _T = {"float32": (32, 2.0 ** -23, 3.4028234663852886e+38, 2.0 ** -126, 1e-06),
          "float64": (64, 2.0 ** -52, 1.7976931348623157e+308, 2.0 ** -1022, 1e-15),
          "float16": (16, 2.0 ** -10, 65504.0, 2.0 ** -14, 0.001),
          "bfloat16": (16, 2.0 ** -7, 3.3895313892515355e+38, 2.0 ** -126, 0.01)}

    def __init__(self, type=None):
        dt = D.get_default_dtype() if type is None else D.as_dtype(type)
        if dt.name not in self._T:
            raise TypeError("torch.finfo() requires a floating point input type. Use "
                            "torch.iinfo to handle 'torch.finfo'")
        self.dtype = dt.name
        self.bits, self.eps, self.max, self.tiny, self.resolution = self._T[dt.name]
        self.min = -self.max
        self.smallest_normal = self.tiny

    def __repr__(self):
        return (f"finfo(resolution={_g(self.resolution)}, min={_g(self.min)}, max="
                f"{_g(self.max)}, eps={_g(self.eps)}, smallest_normal="
                f"{_g(self.smallest_normal)}, tiny={_g(self.tiny)}, dtype={self.dtype})")


class iinfo:
    _T = {"int8": 8, "uint8": 8, "int16": 16, "int32": 32, "int64": 64}

    def __init__(self, type):
        dt = D.as_dtype(type)
        if dt.name not in self._T:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to "
                            "handle 'torch.iinfo'")
        self.dtype = dt.name
        self.bits = self._T[dt.name]
        self.min = 0 if dt.name == "uint8" else -2 ** (self.bits - 1)
        self.max = 255 if dt.name == "uint8" else 2 ** (self.bits - 1) - 1

    def __repr__(self):
        return f"iinfo(min={_g(self.min)}, max={_g(self.max)}, dtype={self.dtype})"


class UnsupportedFeature(NotImplementedError, AttributeError):
    """A torch feature webtensor does not provide."""


def unsupported(feature, why=""):
    return UnsupportedFeature(f"webtensor: {feature} is not supported" +
                              (f" ({why})" if why else ""))


def _raiser(feature, why=""):
    def f(*args, **kwargs):
        raise unsupported(feature, why)
    f.__name__ = feature.rsplit(".", 1)[-1]
    return f


class autocast:
    """torch.autocast: only the disabled form is a (trivial) no-op; mixed precision raises."""

    def __init__(self, device_type="cpu", dtype=None, enabled=True, cache_enabled=None):
        if enabled:
            raise unsupported("torch.autocast (automatic mixed precision)",
                              "pass enabled=False or convert the model with .to(dtype)")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __call__(self, fn):
        return fn


def _stub_module(name, doc, attrs, why):
    m = types.ModuleType(name, doc)
    m.__dict__.update(attrs)

    shown = name.replace("webtensor.", "torch.")

    def __getattr__(attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        raise unsupported(f"{shown}.{attr}", why)
    m.__getattr__ = __getattr__
    return m


def _noop(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


cuda = _stub_module(
    "webtensor.cuda", "No CUDA here: queries answer 'not available'.",
    {"is_available": _false, "device_count": lambda: 0, "is_initialized": _false,
     "is_bf16_supported": _false, "manual_seed": _noop, "manual_seed_all": _noop,
     "synchronize": _noop, "empty_cache": _noop, "OutOfMemoryError": OutOfMemoryError,
     "amp": types.SimpleNamespace(autocast=autocast)}, "webtensor runs on the CPU / WASM")


def _identity_decorator(fn=None, *args, **kwargs):
    return fn if callable(fn) else (lambda f: f)


jit = _stub_module(
    "webtensor.jit", "TorchScript is not available; the introspection helpers answer False.",
    {"is_scripting": _false, "is_tracing": _false, "ignore": _identity_decorator,
     "unused": _identity_decorator, "export": _identity_decorator,
     "script": _raiser("torch.jit.script", "TorchScript"),
     "trace": _raiser("torch.jit.trace", "TorchScript"),
     "load": _raiser("torch.jit.load", "TorchScript archives run code"),
     "Final": __import__("typing").Final}, "TorchScript")

compiler = _stub_module(
    "webtensor.compiler", "No graph compiler: model code runs eagerly, never 'compiling'.",
    {"is_compiling": _false, "is_dynamo_compiling": _false, "is_exporting": _false,
     "disable": _identity_decorator, "allow_in_graph": _identity_decorator,
     "assume_constant_result": _identity_decorator}, "there is no graph compiler")


class memory_format:
    """torch.contiguous_format and friends: webtensor tensors are always row-major, so these
    are accepted (and ignored) wherever torch takes a memory_format."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"torch.{self.name}"


contiguous_format, preserve_format, channels_last, channels_last_3d, \
    legacy_contiguous_format = (memory_format(n) for n in (
        "contiguous_format", "preserve_format", "channels_last", "channels_last_3d",
        "contiguous_format"))


def get_default_device():
    from ._device import CPU
    return CPU


def bernoulli(input, p=None, *, generator=None):
    return input.bernoulli(p, generator=generator)


def as_strided(input, size, stride, storage_offset=None):
    return input.as_strided(size, stride, storage_offset)


def is_autocast_enabled(device_type=None):
    return False           # autocast(enabled=True) raises, so it is never on


def get_autocast_dtype(device_type):
    """torch's defaults: float16 for cuda, bfloat16 for the CPU (used only when enabled)."""
    return D.float16 if device_type == "cuda" else D.bfloat16


amp = _stub_module("webtensor.amp", "Mixed precision: only autocast(enabled=False).",
                   {"autocast": autocast}, "mixed precision")
_ns = types.SimpleNamespace
# torch.backends.* switches model files set or query (webtensor.backends is the kernel-backend
# module; these are added to it only where it has no attribute of that name)
BACKEND_STUBS = {
    "cudnn": _ns(enabled=False, benchmark=False, deterministic=False, allow_tf32=False,
                 is_available=_false),
    "mps": _ns(is_available=_false, is_built=_false),
    "cuda": _ns(matmul=_ns(allow_tf32=False, allow_fp16_reduced_precision_reduction=False),
                is_built=_false, flash_sdp_enabled=_false, enable_flash_sdp=_noop,
                enable_mem_efficient_sdp=_noop, enable_math_sdp=_noop),
    "mkldnn": _ns(enabled=False, is_available=_false),
    "opt_einsum": _ns(enabled=False, is_available=_false),
}
# torch.compile: no graph compiler here; call the model directly
compile = _raiser("torch.compile", "there is no graph compiler; call the model directly")  # noqa
vmap = _raiser("torch.vmap")

# torch names that exist in torch but not here: module __getattr__ raises UnsupportedFeature
UNSUPPORTED = {
    "fx": "graph tracing", "export": "torch.export", "distributed": "no distributed backend",
    "func": "functorch transforms", "sparse": "sparse tensors",
    "sparse_coo_tensor": "sparse tensors", "complex64": "complex dtypes",
    "complex128": "complex dtypes", "cfloat": "complex dtypes", "cdouble": "complex dtypes",
    "view_as_complex": "complex dtypes", "view_as_real": "complex dtypes",
    "fft": "FFT", "quantization": "use webtensor.quant for GGUF weights",
    "ao": "use webtensor.quant for GGUF weights", "onnx": "ONNX export", "mps": "no Metal",
    "xpu": "no XPU", "profiler": "profiling",
    "multiprocessing": "no processes in the browser", "hub": "torch.hub downloads code",
    "testing": "torch.testing", "library": "custom operators",
    "float8_e4m3fn": "float8 dtypes", "float8_e5m2": "float8 dtypes", "uint16": "uint16",
    "uint32": "uint32", "uint64": "uint64", "quint8": "quantized dtypes",
    "qint8": "quantized dtypes", "nested": "nested tensors",
    "_dynamo": "graph compiler internals", "classes": "custom C++ classes",
    "Stream": "no device streams", "distributions": "use torch.multinomial for sampling",
    "_softmax_backward_data": "private autograd kernel",
    "_higher_order_ops": "graph-compiler operators", "Event": "no device events",
    "polar": "complex dtypes",
}


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(isclose(input, other, rtol, atol, equal_nan).all())


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    diff = (input - other).abs()
    close = (diff <= atol + rtol * other.abs()) | (input == other)
    if equal_nan:
        close = close | (input.isnan() & other.isnan())
    return close


def equal(input, other):
    return tuple(input.shape) == tuple(other.shape) and bool((input == other).all())


def broadcast_tensors(*tensors):
    from ._shape import broadcast_shapes
    shape = broadcast_shapes(*[tuple(t.shape) for t in tensors])
    return tuple(t.expand(shape) for t in tensors)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    from .ops.elementwise import where
    if input.dtype.category != 2:
        return input.clone()
    fi = finfo(input.dtype)
    out = where(input.isnan(), nan, input)
    out = where(out == math.inf, fi.max if posinf is None else posinf, out)
    return where(out == -math.inf, fi.min if neginf is None else neginf, out)


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    prod = mat1 @ mat2
    return (input * beta if beta != 1 else input) + (prod * alpha if alpha != 1 else prod)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    return addmm(input, batch1, batch2, beta=beta, alpha=alpha)


def get_num_threads():
    return 1


def set_num_threads(n):
    if n < 1:
        raise RuntimeError("set_num_threads expects a positive integer")


def get_num_interop_threads():
    return 1


def use_deterministic_algorithms(mode, *, warn_only=False):
    return None        # every kernel here is deterministic


def is_complex(input):
    return False


def typename(obj):
    from ._tensor import Tensor
    if isinstance(obj, Tensor):
        return obj.type()
    t = type(obj)
    return f"{t.__module__}.{t.__qualname__}" if t.__module__ != "builtins" else t.__qualname__


def _legacy(dtype_name):
    def make(*args):
        from ._creation import empty, tensor
        dt = getattr(D, dtype_name)
        if args and not all(isinstance(a, int) for a in args):
            return tensor(args[0], dtype=dt)
        return empty(*args, dtype=dt) if args else empty(0, dtype=dt)
    return make


FloatTensor, DoubleTensor, HalfTensor = (_legacy(n) for n in ("float32", "float64",
                                                              "float16"))
LongTensor, IntTensor, BoolTensor, ByteTensor = (_legacy(n) for n in ("int64", "int32",
                                                                      "bool_", "uint8"))

def einsum(equation, *operands):
    from ._einsum import einsum as f
    return f(equation, *operands)


EXPORTS = ["einsum", "pi", "e", "inf", "nan", "finfo", "iinfo", "autocast", "cuda", "jit",
           "amp", "compiler", "is_autocast_enabled", "get_autocast_dtype", "memory_format",
           "contiguous_format", "preserve_format", "channels_last", "channels_last_3d",
           "legacy_contiguous_format", "get_default_device", "bernoulli", "as_strided",
           "linalg", "compile", "vmap", "allclose", "isclose", "equal",
           "broadcast_tensors", "nan_to_num", "addmm", "baddbmm", "get_num_threads",
           "set_num_threads", "get_num_interop_threads", "use_deterministic_algorithms",
           "is_complex", "typename", "FloatTensor",
           "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "BoolTensor",
           "ByteTensor"]


def install(namespace):
    """Add the EXPORTS that `namespace` (webtensor's globals) does not define yet: another
    definition (e.g. an op-table op of the same name) wins."""
    for name in EXPORTS:
        namespace.setdefault(name, globals()[name])

    def __getattr__(name):
        if name in UNSUPPORTED:
            raise unsupported(f"torch.{name}", UNSUPPORTED[name])
        raise AttributeError(f"module 'webtensor' has no attribute '{name}'")
    namespace.setdefault("__getattr__", __getattr__)
    backends = namespace.get("backends")
    for name, stub in BACKEND_STUBS.items():
        if backends is not None and not hasattr(backends, name):
            setattr(backends, name, stub)
    import sys
    for name in ("cuda", "jit", "amp", "compiler"):   # importable as webtensor.cuda (torch.cuda)
        sys.modules.setdefault("webtensor." + name, globals()[name])
