"""torch.Generator and the random ops on it: the same numbers as PyTorch's CPU generator for
the same seed (webtensor/_random.py says how). A generator's state is a uint8 [5056] CPU
tensor in torch's layout: get_state()/torch.get_rng_state() return a copy torch itself
accepts, and the bulk fills (the "random" primitive) advance it in place on the WASM kernels.
Tensors on another device are drawn on the CPU generator and uploaded."""
import random as _pyrandom

from . import _dtype as D
from . import _random as R
from ._creation import _grad, _like, _new, _place
from ._device import CPU, as_device
from ._shape import as_shape
from ._dispatch import dispatch
from ._tensor import Tensor


class Generator:
    """torch.Generator(device="cpu"): seeded with torch's default seed until manual_seed."""

    def __init__(self, device="cpu"):
        self.device = as_device(device) or CPU
        self._state = Tensor._empty((R.STATE_SIZE,), D.uint8)
        R.seed_state(self._buf(), R.DEFAULT_SEED)

    def _buf(self):
        return self._state._storage.view()

    def manual_seed(self, seed):
        seed = int(seed)
        if not -(1 << 63) <= seed < (1 << 64):
            raise RuntimeError("Overflow when unpacking long long")
        R.seed_state(self._buf(), seed)
        return self

    def initial_seed(self):
        return R.initial_seed(self._buf())

    def seed(self):
        s = _pyrandom.SystemRandom().getrandbits(63)
        self.manual_seed(s)
        return s

    def get_state(self):
        return self._state.clone()

    def set_state(self, new_state):
        if not isinstance(new_state, Tensor) or new_state.dtype is not D.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if new_state.numel() != R.STATE_SIZE:
            raise RuntimeError("Expected a CPUGeneratorImplState of size 5056 but found the "
                               f"input RNG state size to be {new_state.numel()}")
        t = new_state.cpu().contiguous()
        data = bytes(t._storage.view()[t._offset:t._offset + R.STATE_SIZE])
        R.check_state(data)
        self._buf()[:] = data
        return self

    def __repr__(self):
        return "<torch._C.Generator object>"


default_generator = Generator()


def _gen(generator):
    return generator or default_generator


def manual_seed(seed):
    return default_generator.manual_seed(seed)


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


# random_() without bounds: a draw modulo the dtype's range (64-bit draws from 2**32 on)
_RANDOM_RANGE = {"int64": 1 << 63, "float64": (1 << 53) + 1, "float32": (1 << 24) + 1,
                 "float16": (1 << 11) + 1, "bfloat16": (1 << 8) + 1, "int32": 1 << 31,
                 "int16": 1 << 15, "int8": 1 << 7, "uint8": 1 << 8, "bool": 2}


def _float_dtype(dtype, what="check_uniform_bounds"):
    dtype = D.as_dtype(dtype) or D.get_default_dtype()
    if dtype.category != 2:
        raise NotImplementedError(f'"{what}" not implemented for \'{D.TNAME[dtype.name]}\'')
    return dtype


def _fill(t, dist, a, b, generator):
    """Fill the CPU tensor t as torch's kernel for dist does (the "random" primitive)."""
    if t.numel():
        dispatch("random", t, _gen(generator)._state, dist, a, b)
    return t


def _draws(shape, dtype, dist, a, b, generator, drawn=D.int64):
    """A fresh CPU tensor of torch's kernel `dist` drawn in `drawn` (int64 for the integer
    draws), then cast to dtype as torch's static_cast does."""
    t = _fill(Tensor._empty(tuple(shape), drawn), dist, a, b, generator)
    return t if dtype is drawn else t.to(dtype)


# ---- creation ----------------------------------------------------------------------------
def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, **_):
    t = _new(size, _float_dtype(dtype), None)
    return _grad(_place(_fill(t, "uniform", 0.0, 1.0, generator), device), requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, **_):
    t = _new(size, _float_dtype(dtype, "normal_kernel_cpu"), None)
    return _grad(_place(_fill(t, "normal", 0.0, 1.0, generator), device), requires_grad)


def randint(low, high=None, size=None, generator=None, dtype=None, device=None,
            requires_grad=False, **_):
    if size is None:
        if high is None or not isinstance(high, (tuple, list)):
            raise TypeError("randint() missing required argument 'size'")
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    if high <= low:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                           f"from={low} >= to={high}")
    t = _draws(as_shape(size), D.as_dtype(dtype) or D.int64, "randint", int(low), int(high),
               generator)
    return _grad(_place(t, device), requires_grad)


def randperm(n, generator=None, dtype=None, device=None, requires_grad=False, **_):
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    t = _draws((n,), D.as_dtype(dtype) or D.int64, "randperm", 0, 0, generator)
    return _grad(_place(t, device), requires_grad)


def rand_like(x, dtype=None, device=None, **kw):
    return rand(x.shape, dtype=_like(x, dtype), device=device or x.device, **kw)


def randn_like(x, dtype=None, device=None, **kw):
    return randn(x.shape, dtype=_like(x, dtype), device=device or x.device, **kw)


def randint_like(x, low, high=None, dtype=None, device=None, **kw):
    if high is None:
        low, high = 0, low
    return randint(low, high, x.shape, dtype=_like(x, dtype), device=device or x.device, **kw)


# ---- in place (Tensor methods) -------------------------------------------------------------
def _fill_(self, dist, a, b, generator):
    """self filled in place: directly when it is on the CPU, else drawn on the CPU and
    copied over (torch's CPU generator semantics for another device)."""
    if self._storage.device is CPU:
        _fill(self, dist, a, b, generator)
        return self
    return self.copy_(_fill(Tensor._empty(self.shape, self.dtype), dist, a, b, generator))


def uniform_(self, a=0.0, b=1.0, generator=None):
    _float_dtype(self.dtype)
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a} "
                           f"> to={b}")
    return _fill_(self, "uniform", float(a), float(b), generator)


def normal_(self, mean=0.0, std=1.0, generator=None):
    _float_dtype(self.dtype, "normal_kernel_cpu")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    return _fill_(self, "normal", float(mean), float(std), generator)


def bernoulli_(self, p=0.5, generator=None):
    if isinstance(p, Tensor):
        return self.copy_(bernoulli(p.expand(self.shape).contiguous(), generator=generator))
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
    if self.dtype is D.float32:
        return _fill_(self, "bernoulli", float(p), 0.0, generator)
    return self.copy_(_draws(self.shape, self.dtype, "bernoulli", float(p), 0.0, generator,
                             D.float32))


def random_(self, low=None, high=None, *, generator=None):
    """random_(), random_(to), random_(from, to) for integer tensors (and float ones)."""
    if low is None:
        low, high = 0, _RANDOM_RANGE[self.dtype.name]
    elif high is None:
        low, high = 0, low
    if high <= low:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                           f"from={low} >= to={high}")
    return self.copy_(_draws(self.shape, self.dtype, "randint", int(low), int(high), generator))


def exponential_(self, lambd=1.0, generator=None):
    _float_dtype(self.dtype, "exponential_cpu")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    drawn = self.dtype if self.dtype in (D.float32, D.float64) else D.float32   # torch: via float
    return self.copy_(_draws(self.shape, self.dtype, "exponential", float(lambd), 0.0, generator,
                             drawn))


def bernoulli(input, p=None, *, generator=None, out=None):
    """torch.bernoulli: 1 with probability input (or p), per element, in input's dtype."""
    if p is not None:
        return _place(_draws(input.shape, input.dtype, "bernoulli", float(p), 0.0, generator,
                             D.float32), input.device)
    src = input.cpu()
    if not bool(((src >= 0) & (src <= 1)).all()):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
    drawn = src.dtype if src.dtype in (D.float32, D.float64) else D.float32   # half: as float
    t = _draws(src.shape, src.dtype, "bernoulli_tensor", src.to(drawn).contiguous(), 0,
               generator, drawn)
    return _place(t, input.device)


def dropout_noise(shape, dtype, p, device, generator=None):
    """torch's dropout noise: bernoulli_(1 - p) in the input's dtype, divided by (1 - p); the
    caller multiplies the input by it."""
    keep = _draws(shape, dtype, "bernoulli", 1.0 - p, 0.0, generator, D.float32)
    return _place(keep, device) / (1.0 - p)


for _f in (uniform_, normal_, bernoulli_, random_, exponential_, bernoulli):
    setattr(Tensor, _f.__name__, _f)
