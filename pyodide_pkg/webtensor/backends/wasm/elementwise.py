"""Elementwise family: the unary, binary and clamp primitives (float32; float64 / integer / bool
and float16 / bfloat16 ops on the xN-binary kernels) and their shortcuts (a + b, a * 2.0,
x.exp(), x.add_(y), ...).

One plan per kind, used by the primitive (out preallocated) and by the shortcut (allocates its
out after planning):
  plan_unary(x_strides, out_strides)  -> True when x is read as one flat run like the output
  plan_binary(shape, out_strides, n, a_strides, b_strides, flat)
        -> (kind, m, n, a_rs, a_cs, b_rs, b_cs): kind FLAT (same layout: the _flat kernel),
           FLATC (b one value: _flatc) or TWO_D (the [m, n] strided kernel); a Python scalar
           operand has strides (). One flat row is one of the constants P_FLAT, P_FLATC,
           P_CFLAT, P_CC (n None). None: the pattern does not fit two dims.
Shortcuts accept float32 row-major CPU tensors (one dict lookup: tensor._LAYOUTS) with a tensor
of the same shape, a row-major tensor whose shape is a suffix of the other's (residual biases,
RoPE tables, masks), or a Python float/int; anything else returns None (the general path).
float16/bfloat16 arithmetic of row-major operands and the converting unary ops have their own
(converting_shortcuts.py: one kernel where the op layer makes widen / op / round passes).
"""
import struct

from ... import _dtype as D
from ..._storage import _ZERO, Storage, _guards
from ..._tensor import _LAYOUTS, Tensor, _layout
from . import kernel_table as KT
from .common import (BOOL, F32, _new_object, by_dtype, new_out, read_one, scalar, two_d,
                     X_DTYPES, typed_scalar)
from .loader import Region
from .converting_shortcuts import converting_shortcut, half_shortcut
from .half_clamp_lerp import clamp_fn, lerp_shortcut
from .views import fits_i32, region

FLAT, FLATC, TWO_D = 0, 1, 2
_HALF = (D.float16, D.bfloat16)
# the one-flat-row plans, shared constants (n None: the caller's element count): the hot
# shortcuts test them by identity
P_FLAT = (FLAT, 1, None, 0, 1, 0, 1)            # a, b laid out like the output
P_FLATC = (FLATC, 1, None, 0, 1, 0, 0)          # b one value
P_CFLAT = (TWO_D, 1, None, 0, 0, 0, 1)          # a one value
P_CC = (TWO_D, 1, None, 0, 0, 0, 0)             # both one value
_ROW_PLANS = ((P_CC, P_CFLAT), (P_FLATC, P_FLAT))
_F32_X_OPS = ("fmax", "fmin", "pow", "atan2")     # float32 ops on the xN kernels (2-D form)
_POW_UNARY = {-1: "reciprocal", 0.5: "sqrt", -0.5: "rsqrt"}


# (op, dtype category) -> the op computing it there: logical ops of bool tensors (the op layer
# converts to bool first) are bitwise ones on 0/1 bytes, and so are bool add/mul (torch: or,
# and); fmax/fmin of integers and bools (no NaN).
_SAME_AS = {("logical_and", 0): "bitwise_and", ("logical_or", 0): "bitwise_or",
            ("logical_xor", 0): "bitwise_xor", ("add", 0): "bitwise_or",
            ("mul", 0): "bitwise_and", ("fmax", 1): "maximum", ("fmin", 1): "minimum",
            ("fmax", 0): "maximum", ("fmin", 0): "minimum"}


def plan_unary(x_strides, out_strides):
    """x read as one flat run in the output's order (same strides): the unary kernel's form."""
    return x_strides == out_strides


def plan_binary(shape, os_, n, as_, bs_, flat=True):
    """The binary kernel and its [m, n] form for out (shape, strides os_, n elements) = a op b
    with a, b strides as_, bs_ in the output's dims (() for a one-value operand)."""
    if as_ == os_ and flat:                     # the hot cases first
        if bs_ == os_:
            return P_FLAT
        if not (bs_ and any(bs_)):
            return P_FLATC
    acs = 1 if as_ == os_ else 0 if not (as_ and any(as_)) else None
    bcs = 1 if bs_ == os_ else 0 if not (bs_ and any(bs_)) else None
    if acs is not None and bcs is not None:     # one flat row: same layout, or a scalar
        if flat or not acs:
            return _ROW_PLANS[acs][bcs]
        return TWO_D, 1, n, 0, 1, 0, bcs
    zeros = (0,) * len(shape)
    form = two_d(shape, os_, as_ or zeros, bs_ or zeros)
    if form is None:
        return None
    m, n, (_, (ars, acs), (brs, bcs)) = form
    if not fits_i32(m, n, ars, acs, brs, bcs):
        return None
    return TWO_D, m, n, ars, acs, brs, bcs


def bind(ctx):
    K = ctx.K
    unary_fns = {op: K.fn(KT.UNARY[op]) for op in KT.UNARY_OPS}
    unary_by_dtype = {(F32, op): fn for op, fn in unary_fns.items()}
    for key, name in by_dtype(KT.X_UNARY).items():
        unary_by_dtype[key] = K.fn(name)
    # float16/bfloat16 (same dtype out) and integer/bool (float32 out) inputs of the float ops;
    # isnan/isinf/isfinite (bool out): op -> {input dtype: (kernel, out dtype, None: float32)}
    converting = {}
    for (dt, op), name in by_dtype(KT.CV_UNARY).items():
        fn = K.fn(name)
        if dt in _HALF:
            unary_by_dtype[(dt, op)] = fn
        converting.setdefault(op, {})[dt] = (fn, dt if dt in _HALF else None)
    for (dt, op), name in by_dtype(KT.CLASSIFY).items():
        converting.setdefault(op, {})[dt] = (K.fn(name), BOOL)
    # indexed by the plan's kind: FLAT, FLATC, TWO_D
    binary_fns = {op: (K.fn(KT.BINARY_FLAT[op]), K.fn(KT.BINARY_FLATC[op]), K.fn(KT.BINARY[op]))
                  for op in KT.ARITH_OPS + KT.COMPARE_OPS}
    out_dtype = dict([(op, F32) for op in KT.ARITH_OPS] + [(op, BOOL) for op in KT.COMPARE_OPS])
    int_fns, int_out = {}, {}     # other dtypes: (dtype, op) -> 2-D kernel, out dtype
    for table, cmp in ((KT.X_BINARY, False), (KT.X_COMPARE, True), (KT.X_LOGICAL, True),
                       (KT.FMINMAX, False),
                       (KT.VBINARY, False)):
        for (dt, op), name in by_dtype(table).items():
            int_fns[(dt, op)] = K.fn(name)
            int_out[(dt, op)] = BOOL if cmp else dt

    def unary(op, out, x, approximate="none", decimals=0, **extra):
        if op == "gelu" and approximate == "tanh":
            op = "gelu_tanh"
        fn = unary_by_dtype.get((x.dtype, op))
        odt = x.dtype
        if fn is None and x.dtype.category < 2:
            fn, odt = converting.get(op, {}).get(x.dtype, (None, F32))   # int -> float32
        if fn is None and not (extra or decimals):
            return via_binary(op, out, x)
        if fn is None or extra or decimals or out.dtype is not (odt or F32) or \
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
        fn(ro.nbytes // x.dtype.itemsize, xr, ro)
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
        if b is None:                  # a constant that does not fit the dtype (via_binary)
            return NotImplemented
        if op == "pow":
            r = power(out, a, b, rounding_mode, extra)
            if r is not NotImplemented:
                return r
        if op == "remainder" or (op == "div" and rounding_mode is not None):
            return divide(op if op == "remainder" else "div_" + rounding_mode, out, a, b,
                          extra)
        op = _SAME_AS.get((op, a.dtype.category), op)
        if a.dtype is not F32 or op in _F32_X_OPS:
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
        if n is None:
            n = ro.nbytes // out.dtype.itemsize
        if kind == TWO_D:
            fns[TWO_D](m, n, ra, ars, acs, rb, brs, bcs, ro)
        else:
            fns[kind](n, ra, rb, ro)
        return None

    div_fns = {(X_DTYPES[dt][0], op): K.fn(name) for (dt, op), name in KT.DIVIDE.items()}

    def divide(op, out, a, b, extra):
        """remainder / div_floor / div_trunc on the xN-divide kernels (2-D form); an integer
        division by zero raises torch's error."""
        fn = div_fns.get((a.dtype, op))
        if fn is None or extra or b.dtype is not a.dtype or out.dtype is not a.dtype or \
                not out.is_contiguous():
            return NotImplemented
        ro = region(out, True)
        if not ro.nbytes:
            return None
        r = operands(out, ro, a, b, False)
        if r is None:
            return NotImplemented
        (_, m, n, ars, acs, brs, bcs), ra, rb = r
        if n is None:
            m, n = 1, ro.nbytes // out.dtype.itemsize
        status, _ = new_out((), (), 4, X_DTYPES["i32"][0])
        fn(m, n, ra, ars, acs, rb, brs, bcs, ro, region(status, True))
        if read_one(status):
            raise RuntimeError("ZeroDivisionError")
        return None

    def const(v, dt, shape):
        if dt in _HALF:       # rounded to the half as the op layer's scalars are
            from ...ops.elementwise import _as_tensor as as_tensor
            try:
                t = as_tensor(v, dt)
            except (OverflowError, ValueError):
                return None
        else:
            t = typed_scalar(v, dt)
        return None if t is None else t.expand(shape)

    def via_binary(op, out, x):
        """The unary ops that are one binary kernel with a constant: integer neg = 0 - x,
        reciprocal = 1 / x, relu = maximum(x, 0),
        logical_not = (x == 0) (bool: x ^ 1), bitwise_not = x ^ -1; floor/ceil/round of an
        integer and abs of an unsigned one are copies."""
        dt = x.dtype
        if (op in ("floor", "ceil", "round") and dt.category == 1 or
                op == "abs" and dt.category == 1 and not dt.is_signed) and out.dtype is dt:
            return None if ctx.copier.gather(out, x) else NotImplemented
        if op == "neg" and dt.category == 1:
            return binary("sub", out, const(0, dt, out.shape), x)
        if op == "reciprocal" and dt.category == 2:
            return binary("div", out, const(1.0, dt, out.shape), x)
        if op == "relu" and dt.category:
            return binary("maximum", out, x, const(0, dt, out.shape))
        if op == "logical_not":
            if dt is BOOL:
                return binary("bitwise_xor", out, x, const(1, dt, out.shape))
            if dt is F32 or (dt, "eq") in int_fns:
                return binary("eq", out, x, const(0, dt, out.shape))
            # float16/bfloat16: (x != 0) by the bool conversion, then ^ 1
            if out.dtype is not BOOL or not out.is_contiguous() or \
                    not ctx.converter.convert(out, x):
                return NotImplemented
            return binary("bitwise_xor", out, out, const(1, BOOL, out.shape))
        if op == "bitwise_not" and dt.category < 2:
            ones = 1 if dt is BOOL else -1 if dt.is_signed else (1 << 8 * dt.itemsize) - 1
            return binary("bitwise_xor", out, x, const(ones, dt, out.shape))
        return NotImplemented

    def power(out, a, b, rounding_mode, extra):
        """a ** b for a one-value b of 2, 3 (and for floats -1, 0.5, -0.5, -2): torch's own
        special cases (x*x, x*x*x, 1/x, sqrt, 1/sqrt, 1/(x*x)), bit for bit on the multiply/
        reciprocal/sqrt kernels; other exponents decline (the caller runs the pow kernel)."""
        if any(b._strides) or extra or rounding_mode is not None or out.dtype is not a.dtype:
            return NotImplemented
        e = read_one(b)
        if a.dtype in _HALF:        # read_one gives the half's bits
            e = struct.unpack("<e", struct.pack("<H", e))[0] if a.dtype is D.float16 else \
                struct.unpack("<f", struct.pack("<I", e << 16))[0]
            if a.dtype is D.float16 and e in (3, -2):   # torch: x*x*x, 1/(x*x) rounded once
                return NotImplemented
        floating = a.dtype.is_floating_point
        if e == 2 or e == 3 or (floating and e == -2):
            if binary("mul", out, a, a) is NotImplemented:
                return NotImplemented
            if e == 2:
                return None
            return binary("mul", out, out, a) if e == 3 else unary("reciprocal", out, out)
        if floating and e in (-1, 0.5, -0.5):
            return unary(_POW_UNARY[e], out, a)
        return NotImplemented

    one_pass = clamp_fn({X_DTYPES[dt][0]: K.fn(name) for dt, name in KT.CLAMP.items()})

    def clamp(out, x, lo, hi):
        """min(max(x, lo), hi) on the maximum/minimum kernels, the bounds as one-value
        operands of x's dtype (NaN in x propagates, lo > hi gives hi: torch's rules); in one
        pass for every dtype but bool (half_clamp_lerp.py)."""
        if one_pass(out, x, lo, hi) is None:
            return None
        if out.dtype is not x.dtype or (x.dtype, "maximum") not in int_fns and \
                x.dtype is not F32:
            return NotImplemented
        src = x
        for op, v in (("maximum", lo), ("minimum", hi)):
            if v is None:
                continue
            bound = const(v, x.dtype, out.shape)
            if bound is None or binary(op, out, src, bound) is NotImplemented:
                return NotImplemented      # only ever at the first step: nothing written
            src = out
        return None

    shortcuts = {}
    shortcuts["lerp"] = lerp_shortcut({X_DTYPES[dt][0]: K.fn(name)
                                       for dt, name in KT.HALF_LERP.items()})
    for op, (flat, flatc, fn) in binary_fns.items():
        shortcuts[op] = binary_shortcut(fn, flat, flatc, out_dtype[op])
        halves = {dt: int_fns[(dt, op)] for dt in _HALF if (dt, op) in int_fns}
        if halves:
            shortcuts[op] = half_shortcut(shortcuts[op], halves, op in KT.COMPARE_OPS,
                                          op in ("mul", "div"))
    for op in set(unary_fns) | set(converting):
        if op != "gelu_tanh":
            f32 = unary_shortcut(unary_fns[op]) if op in unary_fns else None
            shortcuts[op] = converting_shortcut(f32, converting[op]) if op in converting else f32
    for op in KT.ARITH_OPS:
        shortcuts[op + "_"] = inplace_shortcut(binary_fns[op][FLAT], binary_fns[op][FLATC])
    for op, kop in (("remainder", "remainder"), ("floor_divide", "div_floor"),
                    ("fmod", "fmod")):
        shortcuts[op] = divide_shortcut({dt: fn for (dt, o), fn in div_fns.items() if o == kop},
                                        kop, divide)
    return {"unary": unary, "binary": binary, "clamp": clamp}, shortcuts


def binary_shortcut(fn, flat, flatc, out_dtype, _S=Storage, _Z=_ZERO, plan=plan_binary,
                    _P_FLAT=P_FLAT, _P_FLATC=P_FLATC, _P_CFLAT=P_CFLAT):
    """a op b for float32 row-major a, b of one shape, a suffix-shaped b (or a), or a Python
    float/int on either side."""
    raws = (getattr(flat, "raw", None), getattr(flatc, "raw", None), getattr(fn, "raw", None))
    raw_flat, raw_flatc, raw_2d = raws
    osz = out_dtype.itemsize

    def block(a, b, la):
        """a [..., *B] op b [*B] (or the mirror): the smaller operand repeats over the rows
        of the larger (the 2-D kernel with a zero row stride)."""
        if b.dtype is not F32:
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
        if n is None:
            n = lay[2]
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
            if a.dtype is not F32:
                return None
            sa, shape = a._storage, a.shape
            lay = _LAYOUTS.get(shape) or _layout(shape)
            if b.__class__ is Tensor:
                if b.shape is not shape and b.shape != shape:
                    return block(a, b, lay)
                if b.dtype is not F32:
                    return None
                sb, bst, ob = b._storage, b._strides, b._offset << 2
            elif b.__class__ is float or b.__class__ is int:
                sb, ob, bst = scalar(b), 0, ()
                if sb is None:
                    return None
            else:
                return None
            ast, oa = a._strides, a._offset << 2
        elif b.__class__ is Tensor and (a.__class__ is float or a.__class__ is int):
            if b.dtype is not F32:
                return None
            sb, shape = b._storage, b.shape
            lay = _LAYOUTS.get(shape) or _layout(shape)
            sa, oa, ast, bst, ob = scalar(a), 0, (), b._strides, b._offset << 2
            if sa is None:
                return None
        else:
            return None
        n = lay[2]
        if not n:
            return None
        p = plan(shape, lay[1], n, ast, bst)
        if p is _P_FLAT:
            raw = raw_flat
        elif p is _P_FLATC:
            raw = raw_flatc
        elif p is _P_CFLAT:
            raw = raw_2d
        else:              # strided, or one value each: the primitive's business
            return None
        pa, pb = sa._addr, sb._addr
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
            if p is _P_CFLAT:
                raw(1, n, pa + oa, 0, 0, pb + ob, 0, 1, po)
            else:
                raw(n, pa + oa, pb + ob, po)
        else:
            out, so = new_out(lay[0], lay[1], n * osz, out_dtype)
            ra = Region(sa, oa, 4 if p is _P_CFLAT else n << 2, False)
            rb = Region(sb, ob, 4 if p is _P_FLATC else n << 2, False)
            if p is _P_CFLAT:
                fn(1, n, ra, 0, 0, rb, 0, 1, Region(so, 0, n * osz, True))
            else:
                (flat if p is _P_FLAT else flatc)(n, ra, rb, Region(so, 0, n * osz, True))
        return out
    return shortcut


def divide_shortcut(fns, op, divide):
    """remainder / floor_divide / fmod of two tensors of one dtype: one xN-divide kernel
    (float16/bfloat16 computed in float32 registers and rounded once, as the op layer's widen /
    float32 op / round passes; fmod exact, like torch's C fmod). Row-major operands of one
    shape call it directly, others through the primitive's 2-D plans (broadcasts). An integer
    division by zero raises torch's error. Other operands: the op body's business."""
    from ..._shape import broadcast_shapes

    def shortcut(a, b):
        if a.__class__ is not Tensor or b.__class__ is not Tensor or b.dtype is not a.dtype:
            return None
        fn = fns.get(a.dtype)
        if fn is None:
            return None
        lay = _LAYOUTS.get(a.shape) or _layout(a.shape)
        if b.shape != a.shape or a._strides != lay[1] or b._strides != lay[1]:
            try:
                shape = broadcast_shapes(a.shape, b.shape)
            except RuntimeError:
                return None       # the op body raises torch's error
            lay = _LAYOUTS.get(shape) or _layout(shape)
            out, _ = new_out(lay[0], lay[1], lay[2] * a.dtype.itemsize, a.dtype)
            if divide(op, out, a.expand(shape), b.expand(shape), {}) is NotImplemented:
                return None
            return out
        if not lay[2]:
            return None
        out, _ = new_out(lay[0], lay[1], lay[2] * a.dtype.itemsize, a.dtype)
        status, _ = new_out((), (), 4, X_DTYPES["i32"][0])
        fn(1, lay[2], region(a), 0, 1, region(b), 0, 1, region(out, True),
           region(status, True))
        if read_one(status):
            raise RuntimeError("ZeroDivisionError")
        return out
    return shortcut


def unary_shortcut(fn, plan=plan_unary):
    """fn(x) for float32 row-major x (float32 out)."""
    raw = getattr(fn, "raw", None)

    def shortcut(x):
        if x.__class__ is not Tensor or x.dtype is not F32:
            return None
        sx = x._storage
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


def inplace_shortcut(flat, flatc, plan=plan_binary, _P_FLAT=P_FLAT,
                     _P_FLATC=P_FLATC):
    """x.op_(y) / x op= y: x float32 row-major, y a float32 tensor of x's shape and layout that
    is disjoint from x or exactly x, or a Python float/int. Writes x, returns it."""
    raw_flat, raw_flatc = getattr(flat, "raw", None), getattr(flatc, "raw", None)

    def shortcut(x, y):
        if x.__class__ is not Tensor or x.dtype is not F32:
            return None
        sx, shape = x._storage, x.shape
        lay = _LAYOUTS.get(shape) or _layout(shape)
        n = lay[2]
        if not n:
            return None
        ox = x._offset << 2
        if y.__class__ is Tensor:
            sy = y._storage
            if y.dtype is not F32 or (y.shape is not shape and y.shape != shape):
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
        p = plan(shape, lay[1], n, x._strides, yst)
        if p is _P_FLAT:
            raw = raw_flat
        elif p is _P_FLATC:
            raw = raw_flatc
        else:
            return None
        px, py = sx._addr, sy._addr
        if raw is not None and not _guards[0] and px is not None and py is not None and \
                not (sx.base or sy.base):
            px += ox
            raw(n, px, py + oy, px)
        else:
            (flat if p is _P_FLAT else flatc)(n, Region(sx, ox, n << 2, False),
                                              Region(sy, oy, 4 if p is _P_FLATC else n << 2,
                                                     False),
                                              Region(sx, ox, n << 2, True))
        return x
    return shortcut
