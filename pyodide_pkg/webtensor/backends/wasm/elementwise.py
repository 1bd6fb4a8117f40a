"""Elementwise family: the unary and binary primitives (float32; int64 binary ops on the xN-ibinary
kernels) and their shortcuts (a + b, a * 2.0, x.exp(), x.add_(y), ...).

One plan per kind, used by the primitive (out preallocated) and by the shortcut (allocates its
out after planning):
  plan_unary(x_strides, out_strides)  -> True when x is read as one flat run like the output
  plan_binary(shape, out_strides, n, a_strides, b_strides, flat)
        -> (kind, m, n, a_rs, a_cs, b_rs, b_cs): kind FLAT (same layout: the _flat kernel),
           FLATC (b one value: _flatc) or TWO_D (the [m, n] strided kernel); a Python scalar
           operand has strides (). None: the pattern does not fit two dims.
Shortcuts accept float32 row-major CPU tensors (one dict lookup: tensor._LAYOUTS) with a tensor
of the same shape, a row-major tensor whose shape is a suffix of the other's (residual biases,
RoPE tables, masks), or a Python float/int; anything else returns None (the general path).
"""
from ..._storage import _ZERO, Storage, _guards
from ..._tensor import _LAYOUTS, Tensor, _layout
from . import kernel_table as KT
from .common import BOOL, F32, I64, _new_object, new_out, scalar, two_d
from .loader import Region
from .views import fits_i32, region

FLAT, FLATC, TWO_D = 0, 1, 2
_INT_DTYPES = {"i64": I64}


def plan_unary(x_strides, out_strides):
    """x read as one flat run in the output's order (same strides): the unary kernel's form."""
    return x_strides == out_strides


def plan_binary(shape, os_, n, as_, bs_, flat=True):
    """The binary kernel and its [m, n] form for out (shape, strides os_, n elements) = a op b
    with a, b strides as_, bs_ in the output's dims (() for a one-value operand)."""
    acs = 1 if as_ == os_ else 0 if not any(as_) else None
    bcs = 1 if bs_ == os_ else 0 if not any(bs_) else None
    if acs is not None and bcs is not None:     # one flat row: same layout, or a scalar
        if acs and flat:
            return (FLAT if bcs else FLATC), 1, n, 0, 1, 0, bcs
        return TWO_D, 1, n, 0, acs, 0, bcs
    form = two_d(shape, os_, as_, bs_)
    if form is None:
        return None
    m, n, (_, (ars, acs), (brs, bcs)) = form
    if not fits_i32(m, n, ars, acs, brs, bcs):
        return None
    return TWO_D, m, n, ars, acs, brs, bcs


def bind(ctx):
    K = ctx.K
    unary_fns = {op: K.fn(KT.UNARY[op]) for op in KT.UNARY_OPS}
    # indexed by the plan's kind: FLAT, FLATC, TWO_D
    binary_fns = {op: (K.fn(KT.BINARY_FLAT[op]), K.fn(KT.BINARY_FLATC[op]), K.fn(KT.BINARY[op]))
                  for op in KT.ARITH_OPS + KT.COMPARE_OPS}
    out_dtype = dict([(op, F32) for op in KT.ARITH_OPS] + [(op, BOOL) for op in KT.COMPARE_OPS])
    int_fns, int_out = {}, {}
    for (it, op), name in KT.INT_BINARY.items():
        dt = _INT_DTYPES[it]
        int_fns[(dt, op)] = K.fn(name)
        int_out[(dt, op)] = dt if op in KT.INT_ARITH_OPS else BOOL

    def unary(op, out, x, approximate="none", decimals=0, **extra):
        if op == "gelu" and approximate == "tanh":
            op = "gelu_tanh"
        fn = unary_fns.get(op)
        if fn is None or extra or decimals or x.dtype is not F32 or out.dtype is not F32 or \
                not out.is_contiguous():
            return NotImplemented
        ro = region(out, True)
        if not ro.nbytes:
            return None
        if x._storage is not out._storage and plan_unary(x._strides, out._strides):
            xr = region(x)
        else:
            xr = ctx.operand(x, ro, True)
            xr = xr and xr[1]
        if xr is None:
            return NotImplemented
        fn(ro.nbytes >> 2, xr, ro)
        return None

    def operands(out, ro, a, b, flat):
        """(plan, a region, b region) for the primitives, or None."""
        if a._storage is not out._storage and b._storage is not out._storage:
            ra, rb = region(a), region(b)     # fresh output: nothing overlaps, read in place
            if ra is None or rb is None:
                return None
        else:
            ar, br = ctx.operand(a, ro, False), ctx.operand(b, ro, False)
            if ar is None or br is None:
                return None
            (a, ra), (b, rb) = ar, br
        n = ro.nbytes // out.dtype.itemsize
        p = plan_binary(out.shape, out._strides, n, a._strides, b._strides, flat)
        if p is None:     # broadcast pattern beyond 2-D: materialise the inputs
            if not (a.is_contiguous() and 0 not in a._strides):
                a = ctx.fresh(a)
            if not (b.is_contiguous() and 0 not in b._strides):
                b = ctx.fresh(b)
            if a is None or b is None:
                return None
            ra, rb = region(a), region(b)
            p = plan_binary(out.shape, out._strides, n, a._strides, b._strides, flat)
            if p is None:
                return None
        return p, ra, rb

    def binary(op, out, a, b, rounding_mode=None, **extra):
        if a.dtype is not F32:
            key = (a.dtype, op)
            fn = int_fns.get(key)
            if fn is None or b.dtype is not a.dtype or out.dtype is not int_out[key]:
                return NotImplemented
            fns = (None, None, fn)
        else:
            fns = binary_fns.get(op)
            if fns is None or b.dtype is not F32 or out.dtype is not out_dtype[op]:
                return NotImplemented
        if extra or rounding_mode is not None or not out.is_contiguous():
            return NotImplemented
        ro = region(out, True)
        if not ro.nbytes:
            return None
        r = operands(out, ro, a, b, fns[0] is not None)
        if r is None:
            return NotImplemented
        (kind, m, n, ars, acs, brs, bcs), ra, rb = r
        if kind == TWO_D:
            fns[TWO_D](m, n, ra, ars, acs, rb, brs, bcs, ro)
        else:
            fns[kind](n, ra, rb, ro)
        return None

    shortcuts = {}
    for op, (flat, flatc, fn) in binary_fns.items():
        shortcuts[op] = binary_shortcut(fn, flat, flatc, out_dtype[op])
    for op, fn in unary_fns.items():
        if op != "gelu_tanh":
            shortcuts[op] = unary_shortcut(fn)
    for op in KT.ARITH_OPS:
        shortcuts[op + "_"] = inplace_shortcut(binary_fns[op][FLAT], binary_fns[op][FLATC])
    return {"unary": unary, "binary": binary}, shortcuts


def binary_shortcut(fn, flat, flatc, out_dtype, _S=Storage, _Z=_ZERO, plan=plan_binary):
    """a op b for float32 row-major a, b of one shape, a suffix-shaped b (or a), or a Python
    float/int on either side."""
    raws = (getattr(flat, "raw", None), getattr(flatc, "raw", None), getattr(fn, "raw", None))
    checked = (flat, flatc, fn)
    osz = out_dtype.itemsize

    def block(a, b, la):
        """a [..., *B] op b [*B] (or the mirror): the smaller operand repeats over the rows
        of the larger (the 2-D kernel with a zero row stride)."""
        if b.dtype is not F32 or b._storage.__class__ is not _S:
            return None
        lb = _LAYOUTS.get(b.shape) or _layout(b.shape)
        if a._strides != la[1] or b._strides != lb[1] or not (la[2] and lb[2]):
            return None
        big, small, lbig, lsmall = (a, b, la, lb) if la[2] >= lb[2] else (b, a, lb, la)
        bs, ss = big.shape, small.shape
        i = 0
        while i < len(ss) and ss[i] == 1:
            i += 1
        trail = ss[i:]
        if len(ss) > len(bs) or not trail or bs[len(bs) - len(trail):] != trail:
            return None
        sstr = (0,) * (len(bs) - len(trail)) + lsmall[1][i:]
        n = lbig[2]
        p = plan(bs, lbig[1], n, lbig[1] if big is a else sstr, sstr if big is a else lbig[1],
                 False)
        if p is None:
            return None
        return run(p, a, b, la[2], lb[2], lbig)

    def run(p, a, b, na, nb, lay):
        kind, m, n, ars, acs, brs, bcs = p
        sa, sb = a._storage, b._storage
        out, so = new_out(lay[0], lay[1], lay[2] * osz, out_dtype)
        pa, pb = sa._addr, sb._addr
        if raws[2] is not None and not _guards[0] and pa is not None and pb is not None and \
                not (sa.base or sb.base):
            raws[2](m, n, pa + (a._offset << 2), ars, acs, pb + (b._offset << 2), brs, bcs,
                    so._addr)
        else:
            fn(m, n, Region(sa, a._offset << 2, na << 2, False), ars, acs,
               Region(sb, b._offset << 2, nb << 2, False), brs, bcs,
               Region(so, 0, lay[2] * osz, True))
        return out

    def shortcut(a, b):
        if a.__class__ is Tensor:
            sa = a._storage
            if a.dtype is not F32 or sa.__class__ is not _S:
                return None
            shape = a.shape
            lay = _LAYOUTS.get(shape) or _layout(shape)
            ast = a._strides
            if ast != lay[1]:
                return None
            if b.__class__ is Tensor:
                if b.shape is not shape and b.shape != shape:
                    return block(a, b, lay)
                sb = b._storage
                bst = b._strides
                if b.dtype is not F32 or sb.__class__ is not _S or bst != ast:
                    return None
                ob = b._offset << 2
            elif b.__class__ is float or b.__class__ is int:
                sb, ob, bst = scalar(b), 0, ()
                if sb is None:
                    return None
            else:
                return None
            oa = a._offset << 2
        elif b.__class__ is Tensor and (a.__class__ is float or a.__class__ is int):
            sb = b._storage
            if b.dtype is not F32 or sb.__class__ is not _S:
                return None
            shape = b.shape
            lay = _LAYOUTS.get(shape) or _layout(shape)
            bst = b._strides
            if bst != lay[1]:
                return None
            sa, oa, ast, ob = scalar(a), 0, (), b._offset << 2
            if sa is None:
                return None
        else:
            return None
        n = lay[2]
        if not n:
            return None
        kind, _, _, _, acs, _, bcs = plan(shape, lay[1], n, ast, bst)
        pa, pb = sa._addr, sb._addr
        raw = raws[kind]
        if raw is not None and not _guards[0] and pa is not None and pb is not None and \
                not (sa.base or sb.base):
            # new_out inlined: this is the hottest path of all
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
            if kind == TWO_D:
                raw(1, n, pa + oa, 0, acs, pb + ob, 0, bcs, po)
            else:
                raw(n, pa + oa, pb + ob, po)
        else:
            out, so = new_out(lay[0], lay[1], n * osz, out_dtype)
            ra = Region(sa, oa, (n << 2) if acs else 4, False)
            rb = Region(sb, ob, (n << 2) if bcs else 4, False)
            if kind == TWO_D:
                fn(1, n, ra, 0, acs, rb, 0, bcs, Region(so, 0, n * osz, True))
            else:
                checked[kind](n, ra, rb, Region(so, 0, n * osz, True))
        return out
    return shortcut


def unary_shortcut(fn, _S=Storage, plan=plan_unary):
    """fn(x) for float32 row-major x (float32 out)."""
    raw = getattr(fn, "raw", None)

    def shortcut(x):
        if x.__class__ is not Tensor or x.dtype is not F32:
            return None
        sx = x._storage
        if sx.__class__ is not _S:
            return None
        lay = _LAYOUTS.get(x.shape) or _layout(x.shape)
        n = lay[2]
        if not n or not plan(x._strides, lay[1]):
            return None
        out, so = new_out(lay[0], lay[1], n << 2, F32)
        px = sx._addr
        if raw is not None and not _guards[0] and px is not None and not sx.base:
            raw(n, px + (x._offset << 2), so._addr)
        else:
            fn(n, Region(sx, x._offset << 2, n << 2, False), Region(so, 0, n << 2, True))
        return out
    return shortcut


def inplace_shortcut(flat, flatc, _S=Storage, plan=plan_binary):
    """x.op_(y) / x op= y: x float32 row-major, y a float32 tensor of x's shape and layout that
    is disjoint from x or exactly x, or a Python float/int. Writes x, returns it."""
    raws = (getattr(flat, "raw", None), getattr(flatc, "raw", None))
    checked = (flat, flatc)

    def shortcut(x, y):
        if x.__class__ is not Tensor or x.dtype is not F32:
            return None
        sx = x._storage
        if sx.__class__ is not _S:
            return None
        shape = x.shape
        lay = _LAYOUTS.get(shape) or _layout(shape)
        n = lay[2]
        xst = x._strides
        if not n or xst != lay[1]:
            return None
        ox = x._offset << 2
        if y.__class__ is Tensor:
            sy = y._storage
            if y.dtype is not F32 or sy.__class__ is not _S or \
                    (y.shape is not shape and y.shape != shape):
                return None
            yst, oy = y._strides, y._offset << 2
            if sy is sx and oy != ox and oy < ox + (n << 2) and ox < oy + (n << 2):
                return None                    # partial overlap: the general path copies
        elif y.__class__ is float or y.__class__ is int:
            sy, oy, yst = scalar(y), 0, ()
            if sy is None:
                return None
        else:
            return None
        kind = plan(shape, lay[1], n, xst, yst)[0]
        if kind == TWO_D:
            return None
        raw = raws[kind]
        px, py = sx._addr, sy._addr
        if raw is not None and not _guards[0] and px is not None and py is not None and \
                not (sx.base or sy.base):
            px += ox
            raw(n, px, py + oy, px)
        else:
            checked[kind](n, Region(sx, ox, n << 2, False),
                          Region(sy, oy, (n << 2) if kind == FLAT else 4, False),
                          Region(sx, ox, n << 2, True))
        return x
    return shortcut
