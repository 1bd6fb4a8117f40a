"""What every WASM family shares: the context handed to each family's bind(ctx), output and
scalar allocation for the shortcuts, and the layout helpers of the primitives.

Each family module (elementwise, reduce, matmul, attention, norm, conv, gather, convert,
quant) has `bind(ctx) -> (impl dict, shortcuts dict)`; backend.py builds one Ctx and
registers the union. No family imports backend.py.

Executors: a family's plan function does the layout checks and picks the kernel; then either
the raw executor calls `fn.raw(...)` with heap addresses (Pyodide, no guard bytes, storages of
the CPU Storage class with base 0) or the checked one calls `fn(...)` with Regions (guard bytes
verified; the only form wasmtime has).
"""
import math
import struct

from ... import _dtype as D
from ..._memory import _F32_MAX
from ..._storage import _ZERO, Storage, _capture, _guard_bytes, new_storage
from ..._tensor import Tensor
from .views import coalesce, overlaps, region

F32, BOOL, I64 = D.float32, D.bool_, D.int64
# kernel dtype names of the xN families -> the dtypes they serve (same bits)
X_DTYPES = {"f32": (D.float32,), "f64": (D.float64,), "i64": (D.int64,), "i32": (D.int32,),
            "i16": (D.int16,), "i8": (D.int8,), "u8": (D.uint8, D.int8, D.bool_),
            "f16": (D.float16,), "bf16": (D.bfloat16,)}
_new_object = object.__new__


def by_dtype(table):
    """{(dtype, op): kernel name} of an xN table {(short, op): name}: a kernel of one dtype wins
    over the shared byte kernel ("u8" also serves int8 and bool)."""
    out = {}
    for (short, op), name in sorted(table.items(), key=lambda kv: -len(X_DTYPES[kv[0][0]])):
        for dt in X_DTYPES[short]:
            out[(dt, op)] = name
    return out
_pack_f32 = struct.Struct("<f").pack_into

# (value, type) -> Storage holding float32(value); read-only for the kernels, like the shared
# scalar tensors of ops.elementwise.
_SCALARS = {}


def scalar(v):
    """A 4-byte storage holding Python float/int v as float32, or None (general path)."""
    key = (v, v.__class__)
    s = _SCALARS.get(key)
    if s is not None:
        return s
    try:
        f = float(v)
    except OverflowError:
        return None
    if f >= _F32_MAX or f <= -_F32_MAX:     # rounds to +-inf: the general path's rule
        f = math.copysign(math.inf, f)
    s = new_storage(4)
    _pack_f32(s.buf, s.base, f)
    # nan never matches; 0.0 == -0.0 does; a storage made under guard bytes is not kept (it
    # would send every later call with this scalar down the checked path)
    if f == f and (f or v.__class__ is not float) and not s.base:
        if len(_SCALARS) >= 256:
            _SCALARS.clear()
        _SCALARS[key] = s
    return s


def typed_scalar(v, dtype):
    """A 0-dim CPU tensor of `dtype` holding Python scalar v (None if it does not fit)."""
    t, s = new_out((), (), dtype.itemsize, dtype)
    try:
        struct.pack_into("<" + dtype.fmt, s.buf, s.base, v)
    except (struct.error, OverflowError, TypeError):
        return None
    return t


def read_count(storage, what, signed=False):
    """The int64 a kernel wrote at the start of `storage`: the size of `what`'s output, which
    depends on the values, so a CPU graph capture refuses it (a replay would keep the captured
    size and silently drop or leave out elements)."""
    if _capture[0] is not None:
        raise RuntimeError(f"webtensor: {what} while capturing a CPU graph: its output size "
                           f"depends on the values, so a replay could not repeat it")
    return int.from_bytes(storage.view()[:8], "little", signed=signed)


def read_one(t):
    """The first element of CPU tensor t as a Python scalar (a broadcast operand's value)."""
    s = t._storage
    return struct.unpack_from("<" + t.dtype.fmt, s.buf, s.base + t._offset * t.dtype.itemsize)[0]


def new_out(shape, strides, nbytes, dtype, _S=Storage, _Z=_ZERO):
    """A new row-major CPU tensor and its storage (new_storage and Tensor._empty, inlined)."""
    if _guard_bytes[0]:
        s = _S(nbytes)
    else:
        s = _new_object(_S)
        s.buf = b = _Z * nbytes
        s.base = 0
        s.nbytes = nbytes
        s._addr = b.buffer_info()[0]
    t = _new_object(Tensor)
    t._storage = s
    t.shape = shape
    t._strides = strides
    t._offset = 0
    t.dtype = dtype
    return t, s


def prod(xs):
    p = 1
    for v in xs:
        p *= v
    return p


def two_d(shape, *stride_lists):
    """Collapse to the kernels' [M, N] form: (M, N, [(rs, cs), ...]) or None."""
    if len(shape) <= 2:   # already [M, N]: no coalescing; size-1 dims are never stepped
        pad = (1, 1)[len(shape):]
        m, n = pad + tuple(shape)
        forms = []
        for sl in stride_lists:
            rs, cs = (0, 0)[len(sl):] + tuple(sl)
            forms.append((rs if m != 1 else 0, cs if n != 1 else 0))
        return m, n, forms
    cshape, cstrides = coalesce(shape, *stride_lists)
    if len(cshape) > 2:
        return None
    cshape = [1] * (2 - len(cshape)) + cshape
    cstrides = [[0] * (2 - len(s)) + s for s in cstrides]
    return cshape[0], cshape[1], [tuple(s) for s in cstrides]


class Ctx:
    """The loaded kernels K, the shared Copier and Converter, and the operand helpers."""

    def __init__(self, K, copier, converter):
        self.K = K
        self.copier = copier
        self.converter = converter

    def fn(self, name):
        return self.K.fn(name)

    def contiguous(self, t):
        return self.copier.contiguous(t)

    def fresh(self, x):
        """A new contiguous tensor with x's values (expanded dims materialised)."""
        c = type(x)._empty(x.shape, x.dtype)
        return c if self.copier.gather(c, x) else None

    def operand(self, t, ro, need_contiguous):
        """(t', region) for an input read while `ro` is written: t itself when it is
        contiguous (if needed) and either disjoint from the output or exactly the output (in
        place); else a fresh contiguous copy, so a partially overlapping input is read before
        being overwritten. None if impossible."""
        r = region(t)
        if r is None:
            return None
        contiguous = t.is_contiguous()
        if (need_contiguous and not contiguous) or \
                (overlaps(r, ro) and not (contiguous and r.offset == ro.offset)):
            t = self.fresh(t)
            if t is None:
                return None
            r = region(t)
        return t, r
