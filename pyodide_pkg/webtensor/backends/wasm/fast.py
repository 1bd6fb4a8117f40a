"""Fast lanes: the commonest small float32 ops, from the op's Python arguments to the kernel
call in one function each, with the fewest checks that decide them.

A lane takes exactly the arguments of the op-layer function it shortcuts and returns the
result, or None when any check fails -- then the general path (type promotion, broadcasting,
dispatch, layout handling) runs, so a lane never changes behaviour, only its cost. Lanes
accept: float32 tensors whose strides are the row-major ones of their shape (one dict lookup:
tensor._LAYOUTS, filled on a miss), with a tensor of the same shape or a Python float/int for binary ops. Their
outputs are fresh, so nothing overlaps; an in-place lane writes into a tensor whose only other
operand is disjoint from it or exactly it.

In Pyodide without guard bytes a lane calls the kernel's raw ctypes function with heap
addresses (see loader_pyodide: `fn.raw`); otherwise (guards, or wasmtime on CPython) it calls
the kernel wrapper with Regions, which checks guards and bounds.
"""
import math
import struct
from ctypes import c_float as _c_float

from ... import _dtype as D
from ..._storage import _ZERO, Storage, _guards, new_storage
from ..._tensor import _LAYOUTS, Tensor, _layout
from ..._memory import _F32_MAX
from . import kernel_table as KT
from .loader import Region

F32, BOOL = D.float32, D.bool_
_new_object = object.__new__
_pack_f32 = struct.Struct("<f").pack_into

# (value, type) -> Storage holding float32(value); read-only for the kernels, like the shared
# scalar tensors of ops.elementwise.
_SCALARS = {}


def _scalar(v):
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
    if f == f and (f or v.__class__ is not float):  # nan never matches; 0.0 == -0.0 does
        if len(_SCALARS) >= 256:
            _SCALARS.clear()
        _SCALARS[key] = s
    return s


def _out(shape, strides, nbytes, dtype, _S=Storage, _Z=_ZERO):
    """A new row-major tensor and its storage (new_storage and Tensor._empty, inlined)."""
    if _guards[0]:
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


def binary_lane(fn, flat, flatc, out_dtype, _S=Storage, _Z=_ZERO):
    """Lane for elementwise.binary(op, a, b) with the 4-argument twins of the binary kernel:
    flat (same-shape operands), flatc (b a scalar); the 2-D kernel fn for a scalar a."""
    raw, raw_flat, raw_flatc = (getattr(f, "raw", None) for f in (fn, flat, flatc))
    osz = out_dtype.itemsize

    def block(a, b):
        """a [..., *B] op b [*B] (or the mirror): the smaller row-major operand, with any
        leading 1s, repeats over the rows of the larger -- residual biases, RoPE tables,
        masks. The 2-D kernel with a zero row stride; raw addresses only."""
        if raw is None or _guards[0] or b.__class__ is not Tensor or b.dtype is not F32:
            return None
        la, lb = _LAYOUTS.get(a.shape) or _layout(a.shape), \
            _LAYOUTS.get(b.shape) or _layout(b.shape)
        if a._strides != la[1] or b._strides != lb[1]:
            return None
        na, nb = la[2], lb[2]
        if not (na and nb):
            return None
        big, small, lbig = (a, b, la) if na >= nb else (b, a, lb)
        bs, ss = big.shape, small.shape
        i = 0
        while i < len(ss) and ss[i] == 1:
            i += 1
        trail = ss[i:]
        if len(ss) > len(bs) or not trail or bs[len(bs) - len(trail):] != trail:
            return None
        cols = (lb if small is b else la)[2]
        rows = lbig[2] // cols
        sa_, sb_ = a._storage, b._storage
        if sa_.base or sb_.base or sa_._addr is None or sb_._addr is None:
            return None
        out, so = _out(lbig[0], lbig[1], lbig[2] * osz, out_dtype)
        pa, pb = sa_._addr + (a._offset << 2), sb_._addr + (b._offset << 2)
        raw(rows, cols, pa, 0 if small is a else cols, 1, pb, 0 if small is b else cols, 1,
            so._addr)
        return out

    def lane(a, b):
        if a.__class__ is Tensor:
            if a.dtype is not F32:
                return None
            shape = a.shape
            lay = _LAYOUTS.get(shape) or _layout(shape)
            if a._strides != lay[1]:
                return None
            sa, oa, ca = a._storage, a._offset << 2, 1
            if b.__class__ is Tensor:
                if b.shape is not shape and b.shape != shape:
                    return block(a, b) if lay[2] else None
                if b.dtype is not F32 or b._strides != lay[1]:
                    return None
                sb, ob, cb = b._storage, b._offset << 2, 1
            elif b.__class__ is float or b.__class__ is int:
                sb, ob, cb = _scalar(b), 0, 0
                if sb is None:
                    return None
            else:
                return None
        elif b.__class__ is Tensor and (a.__class__ is float or a.__class__ is int):
            if b.dtype is not F32:
                return None
            shape = b.shape
            lay = _LAYOUTS.get(shape) or _layout(shape)
            if b._strides != lay[1]:
                return None
            sb, ob, cb = b._storage, b._offset << 2, 1
            sa, oa, ca = _scalar(a), 0, 0
            if sa is None:
                return None
        else:
            return None
        n = lay[2]
        if not n:
            return None
        pa, pb = sa._addr, sb._addr
        if raw is not None and not _guards[0] and pa is not None and pb is not None and \
                not (sa.base or sb.base):
            # _out inlined: this is the hottest path of all
            so = _new_object(_S)
            so.buf = buf = _Z * (n * osz)
            so.base = 0
            so.nbytes = n * osz
            so._addr = po = buf.buffer_info()[0]
            out = _new_object(Tensor)
            out._storage = so
            out.shape = lay[0]
            out._strides = lay[1]
            out._offset = 0
            out.dtype = out_dtype
            if ca:
                (raw_flat if cb else raw_flatc)(n, pa + oa, pb + ob, po)
            else:
                raw(1, n, pa, 0, 0, pb + ob, 0, 1, po)
        else:
            out, so = _out(lay[0], lay[1], n * osz, out_dtype)
            if ca:
                (flat if cb else flatc)(n, Region(sa, oa, n << 2, False),
                                        Region(sb, ob, (n << 2) if cb else 4, False),
                                        Region(so, 0, n * osz, True))
            else:
                fn(1, n, Region(sa, oa, (n << 2) if ca else 4, False), 0, ca,
                   Region(sb, ob, (n << 2) if cb else 4, False), 0, cb,
                   Region(so, 0, n * osz, True))
        return out
    return lane


def unary_lane(fn):
    """Lane for elementwise.unary(op, x) with the unary kernel fn (float32 -> float32)."""
    raw = getattr(fn, "raw", None)

    def lane(x):
        if x.__class__ is not Tensor or x.dtype is not F32:
            return None
        lay = _LAYOUTS.get(x.shape) or _layout(x.shape)
        if x._strides != lay[1]:
            return None
        n = lay[2]
        if not n:
            return None
        out, so = _out(lay[0], lay[1], n << 2, F32)
        sx = x._storage
        px = sx._addr
        if raw is not None and not _guards[0] and px is not None and not sx.base:
            raw(n, px + (x._offset << 2), so._addr)
        else:
            fn(n, Region(sx, x._offset << 2, n << 2, False), Region(so, 0, n << 2, True))
        return out
    return lane


def reduce_all_lane(fn):
    """Lane for x.sum() / mean / amax / amin / prod with no other argument: float32 in, a 0-dim
    float32 out, the [outer=1, n, inner=1] form of the reduce kernel."""
    raw = getattr(fn, "raw", None)

    def lane(x):
        if x.__class__ is not Tensor or x.dtype is not F32:
            return None
        lay = _LAYOUTS.get(x.shape) or _layout(x.shape)
        if x._strides != lay[1]:
            return None
        n = lay[2]
        if not n:
            return None
        scal = _layout(())
        out, so = _out(scal[0], scal[1], 4, F32)
        sx = x._storage
        px = sx._addr
        if raw is not None and not _guards[0] and px is not None and not sx.base:
            raw(1, n, 1, px + (x._offset << 2), so._addr)
        else:
            fn(1, n, 1, Region(sx, x._offset << 2, n << 2, False), Region(so, 0, 4, True))
        return out
    return lane


def inplace_binary_lane(flat, flatc):
    """Lane for x.op_(y) / x op= y: x float32 row-major, y a float32 tensor of x's shape and
    layout that is disjoint from x or exactly x, or a Python float/int. Writes x, returns it."""
    raw_flat, raw_flatc = getattr(flat, "raw", None), getattr(flatc, "raw", None)

    def lane(x, y):
        if x.__class__ is not Tensor or x.dtype is not F32:
            return None
        shape = x.shape
        lay = _LAYOUTS.get(shape) or _layout(shape)
        if x._strides != lay[1]:
            return None
        n = lay[2]
        if not n:
            return None
        sx, ox = x._storage, x._offset << 2
        if y.__class__ is Tensor:
            if y.dtype is not F32 or (y.shape is not shape and y.shape != shape) or \
                    y._strides != lay[1]:
                return None
            sy, oy, cy = y._storage, y._offset << 2, 1
            if sy is sx and oy != ox and oy < ox + (n << 2) and ox < oy + (n << 2):
                return None                    # partial overlap: the general path copies
        elif y.__class__ is float or y.__class__ is int:
            sy, oy, cy = _scalar(y), 0, 0
            if sy is None:
                return None
        else:
            return None
        px, py = sx._addr, sy._addr
        if raw_flat is not None and not _guards[0] and px is not None and py is not None and \
                not (sx.base or sy.base):
            px += ox
            (raw_flat if cy else raw_flatc)(n, px, py + oy, px)
        else:
            (flat if cy else flatc)(n, Region(sx, ox, n << 2, False),
                                    Region(sy, oy, (n << 2) if cy else 4, False),
                                    Region(sx, ox, n << 2, True))
        return x
    return lane


def shortcuts(ks):
    """{op name: shortcut} for webtensor._dispatch (the lanes below under the ops' names)."""
    ln = lanes(ks)
    out = dict(ln["binary"])
    out.update(ln["unary"])
    out.update(ln["reduce_all"])
    out.update({op + "_": f for op, f in ln["inplace"].items()})
    out.update(ln["ops"])
    if "sdpa" in out:
        out["scaled_dot_product_attention"] = out.pop("sdpa")
    return out


def lanes(ks):
    """{"binary": {op: lane}, "unary": {...}, "reduce_all": {...}, "inplace": {...},
    "ops": {"matmul": lane, "linear": lane, "sdpa": lane}} (these need raw kernel addresses)."""
    return {
        "binary": {op: binary_lane(ks.fn("f32_" + op), ks.fn(f"f32_{op}_flat"),
                                   ks.fn(f"f32_{op}_flatc"), F32 if op in KT.ARITH_OPS else BOOL)
                   for op in KT.ARITH_OPS + KT.COMPARE_OPS},
        "unary": {op: unary_lane(ks.fn("f32_" + op)) for op in KT.UNARY_OPS
                  if op != "gelu_tanh"},
        "reduce_all": {op: reduce_all_lane(ks.fn("f32_" + op))
                       for op in ("sum", "mean", "prod", "amax", "amin")},
        "inplace": {op: inplace_binary_lane(ks.fn(f"f32_{op}_flat"), ks.fn(f"f32_{op}_flatc"))
                    for op in KT.ARITH_OPS},
        "ops": {name: lane for name, lane in (
            ("matmul", matmul_lane(ks.fn(f"f32_gemm_{KT.GEMM_MR}x{KT.GEMM_NR}"),
                                   ks.fn(f"f32_gemv_1x{KT.GEMV_NR}"), ks.fn(KT.LINEAR_KERNEL))),
            ("linear", linear_lane(ks.fn(KT.LINEAR_KERNEL))),
            ("sdpa", sdpa_lane(ks.fn("f32_sdpa")))) if lane is not None},
    }


def _rows(t):
    """(storage, byte address, k) of float32 t if it is row-major with >= 1 dim, else None:
    the raw-address form only (no guards, no storage base offset)."""
    if t.dtype is not F32:
        return None
    shape = t.shape
    if not shape:
        return None
    lay = _LAYOUTS.get(shape) or _layout(shape)
    s = t._storage
    if t._strides != lay[1] or s.base or s._addr is None:
        return None
    return lay, s._addr + (t._offset << 2)


def matmul_lane(gemm, gemv, linear):
    """Lane for matmul(a, b): a row-major [*, m, k] (or [m, k]) float32, b a 2-D float32
    [k, n] that is row-major (GEMM / M == 1 GEMV) or the transpose of a row-major [n, k]
    (`x @ W.T`: the linear kernel reads W in place). Raw addresses only."""
    raws = tuple(getattr(f, "raw", None) for f in (gemm, gemv, linear))
    if None in raws:
        return None
    gemm, gemv, linear = raws

    def lane(a, b):
        if _guards[0] or not isinstance(a, Tensor) or not isinstance(b, Tensor) or \
                len(b.shape) != 2 or len(a.shape) < 2:
            return None
        ra, rb = _rows(a), _rows(b) if b._strides[-1] == 1 else None
        k2, n = b.shape
        bt = rb is None and b._strides == (1, k2) and b.dtype is F32 and \
            not b._storage.base and b._storage._addr is not None
        if ra is None or (rb is None and not bt):
            return None
        lay = ra[0]
        k = lay[0][-1]
        if k != k2 or not (k and n and lay[2]):
            return None
        m = lay[2] // k
        shape = lay[0][:-1] + (n,)
        olay = _LAYOUTS.get(shape) or _layout(shape)
        out, so = _out(olay[0], olay[1], m * n << 2, F32)
        if bt:
            pb = b._storage._addr + (b._offset << 2)
            linear(1, m, n, k, ra[1], 0, k, 1, pb, 0, k, pb, 0, so._addr, 0, n, 0)
        elif m == 1:
            gemv(1, n, k, ra[1], 0, 1, rb[1], 0, n, so._addr, 0)
        else:
            gemm(1, m, n, k, ra[1], 0, k, 1, rb[1], 0, n, so._addr, 0, n)
        return out
    return lane


def linear_lane(linear):
    """Lane for linear(x, W, bias): x row-major float32 [*, k], W a row-major float32 [n, k]
    (a Parameter is fine), bias None or a row-major float32 [n]; no activation."""
    raw = getattr(linear, "raw", None)
    if raw is None:
        return None

    def lane(x, w, bias=None):
        if _guards[0] or not isinstance(x, Tensor) or not isinstance(w, Tensor) or \
                len(w.shape) != 2:
            return None
        rx, rw = _rows(x), _rows(w)
        if rx is None or rw is None:
            return None
        n, k = w.shape
        lay = rx[0]
        if lay[0][-1] != k or not (k and n and lay[2]):
            return None
        if bias is None:
            pbias, has = rw[1], 0
        else:
            if not isinstance(bias, Tensor) or bias.shape != (n,):
                return None
            rbias = _rows(bias)
            if rbias is None:
                return None
            pbias, has = rbias[1], 1
        m = lay[2] // k
        shape = lay[0][:-1] + (n,)
        olay = _LAYOUTS.get(shape) or _layout(shape)
        out, so = _out(olay[0], olay[1], m * n << 2, F32)
        raw(1, m, n, k, rx[1], 0, k, 1, rw[1], 0, k, pbias, has, so._addr, 0, n, 0)
        return out
    return lane


def _heads4(t):
    """(address, batch/head/row strides with 0 for size-1 dims) of a float32 4-D view with unit
    last stride and no negative strides, raw-addressable; else None."""
    if t.dtype is not F32 or len(t.shape) != 4:
        return None
    st, s = t._strides, t._storage
    if (st[3] != 1 and t.shape[3] > 1) or s.base or s._addr is None or min(st) < 0:
        return None
    sh = t.shape
    return (s._addr + (t._offset << 2), st[0] if sh[0] != 1 else 0,
            st[1] if sh[1] != 1 else 0, st[2] if sh[2] != 1 else 0)


def sdpa_lane(kern):
    """Lane for scaled_dot_product_attention(q, k, v, attn_mask=None, dropout_p=0.0,
    is_causal=False, scale=None, enable_gqa=False) with 4-D float32 q/k/v of one batch size,
    no mask and key/value heads equal to the query's (or dividing them with enable_gqa)."""
    raw = getattr(kern, "raw", None)
    if raw is None:
        return None

    def lane(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
             enable_gqa=False):
        if _guards[0] or attn_mask is not None or dropout_p or is_causal.__class__ is not bool or \
                not (isinstance(q, Tensor) and isinstance(k, Tensor) and isinstance(v, Tensor)):
            return None
        aq, ak, av = _heads4(q), _heads4(k), _heads4(v)
        if aq is None or ak is None or av is None:
            return None
        B, H, L, E = q.shape
        Bk, Hk, S, Ek = k.shape
        Bv, Hv, Sv, Ev = v.shape
        if not (B == Bk == Bv and S == Sv and E == Ek and B and H and L and S and E and Ev):
            return None
        if (Hk != H or Hv != H) and not (enable_gqa and H % Hk == 0 and H % Hv == 0):
            return None
        if scale is None:
            scale = 1.0 / math.sqrt(E)
        elif scale.__class__ is not float:
            return None
        shape = (B, H, L, Ev)
        lay = _LAYOUTS.get(shape) or _layout(shape)
        out, so = _out(lay[0], lay[1], lay[2] << 2, F32)
        raw(B, H, Hk, Hv, L, S, E, Ev, 1 if is_causal else 0, _c_float(scale), *aq, *ak, *av,
            aq[0], 0, 0, 0, so._addr)
        return out
    return lane
