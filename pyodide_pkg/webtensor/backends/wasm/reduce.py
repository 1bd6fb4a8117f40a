"""Reduce family: reduce(op, out, x, dims) (float32: sum, mean, prod, amax, amin, logsumexp,
var, argmax, argmin; float64 / int64 / int32 / int16 / bytes / float16 / bfloat16 on xN-reduce:
narrow integers' sum/prod into int64 straight from the input, count_nonzero/all/any of every
dtype by its bits; a float16/bfloat16 x with a float32 out is converted here first),
softmax / log_softmax / cumsum / cumprod along one dim, and the reduce-all shortcuts
(x.sum(), x.mean(), x.prod(), x.amax(), x.amin() with no other argument).

  plan_reduce(shape, dims, contiguous, numel) -> (outer, n, inner, order): the kernels'
      [outer, n, inner] form with the reduced dims as the middle axis; order None reads x in
      place, () reads a contiguous copy, a permutation reads a permuted contiguous copy.
      dims None: all dims of a contiguous x (the shortcuts' case, no work): the constant
      P_ALL, n None (numel).
  plan_along(shape, dim, numel) -> (outer, n, inner) for the row-wise kernels.
"""
from ... import _dtype as D
from ..._storage import _guards
from ..._tensor import _LAYOUTS, Tensor, _layout
from . import kernel_table as KT
from . import f64_rowwise
from .common import BOOL, F32, I64, X_DTYPES, by_dtype, new_out, prod, typed_scalar

F64 = X_DTYPES["f64"][0]
from .loader import Region
from .views import fits_i32, region
from .widen import widened

_REDUCE_ALL = ("sum", "mean", "prod", "amax", "amin")
_HALF = (D.float16, D.bfloat16)
P_ALL = (1, None, 1, None)


def plan_reduce(shape, dims, contiguous, numel):
    if dims is None:
        return P_ALL if contiguous else None
    nz = [d for d in range(len(shape)) if shape[d] != 1]       # size-1 dims do not matter
    red = [i for i, d in enumerate(nz) if d in dims]
    n = prod(shape[nz[i]] for i in red)
    rest = prod(shape[d] for d in nz if d not in dims)          # outer * inner
    if not red:
        return rest, 1, 1, (None if contiguous else ())
    if contiguous and red == list(range(red[0], red[-1] + 1)):
        inner = prod(shape[d] for d in nz[red[-1] + 1:])
        return (rest // inner if inner else 0), n, inner, None
    order = tuple([d for d in range(len(shape)) if d not in dims] + list(dims))
    return rest, n, 1, order


def plan_along(shape, dim, numel):
    if not shape:
        return 1, 1, 1
    n = shape[dim]
    inner = prod(shape[dim + 1:])
    return numel // (n * inner), n, inner


def bind(ctx):
    K = ctx.K
    fns = {op: K.fn(name) for op, name in KT.REDUCE.items()}
    # (x dtype, op) -> (kernel, out dtype)
    fn_dtype = {(F32, op): (fn, I64 if op in KT.ARGREDUCE_OPS else F32) for op, fn in fns.items()}
    for (dt, op), name in by_dtype(KT.X_REDUCE).items():
        wide = op in ("sum", "prod") and dt.category < 2      # integers: int64 accumulation
        fn_dtype[(dt, op)] = (K.fn(name), I64 if op in KT.ARGREDUCE_OPS or wide else dt)
    fn_dtype[(F64, "var")] = (K.fn(KT.F64_VAR), F64)
    for (kd, op), name in KT.NONZERO_REDUCE.items():
        for dname in KT.NONZERO_KINDS[kd]:
            fn_dtype[(D.as_dtype(dname), op)] = (K.fn(name), I64 if op == "count_nonzero" else BOOL)
    # (x dtype, op) -> (kernel, out dtype)
    rowwise = {(F32, op): (K.fn(name), F32) for op, name in KT.ROWWISE.items()}
    for (short, op), name in by_dtype(KT.X_SCAN).items():
        rowwise[(short, op)] = (K.fn(name), I64 if short.category < 2 else short)

    half_rows = {(X_DTYPES[h][0], op): K.fn(name) for (h, op), name in KT.HALF_ROWS.items()}
    div_f64 = K.fn(KT.X_BINARY[("f64", "div")])

    def as_dtype(x, dt):
        """x converted to dt (a new contiguous tensor), or None."""
        t = Tensor._empty(x.shape, dt)
        return t if ctx.converter.convert(t, x) else None

    f64_rows = f64_rowwise.bind(ctx)     # softmax / log_softmax / logsumexp of float64

    def reduce(op, out, x, dims, correction=1, **extra):
        if x.dtype in _HALF and out.dtype is F32 and (x.dtype, op) not in fn_dtype:
            # sum/mean/prod/var/logsumexp/nansum/nanmean of float16/bfloat16: rows read in
            # place, other layouts permuted into rows
            r = half_reduce(op, out, x, dims, correction) if not extra else NotImplemented
            if r is not NotImplemented:
                return r
            x = as_dtype(x, F32)
            if x is None:
                return NotImplemented
        if op == "mean" and x.dtype is F64:         # the sum, then / n in place
            r = reduce("sum", out, x, dims)
            if r is None and out.numel():
                ro = region(out, True)
                n = float(x.numel() // out.numel())
                div_f64(1, out.numel(), ro._replace(writable=False), 0, 1,
                        region(typed_scalar(n, F64)), 0, 0, ro)
            return r
        fn, odt = fn_dtype.get((x.dtype, op), (None, None))
        if odt is BOOL and out.dtype is D.uint8:     # all/any of uint8: torch's uint8 0/1
            odt = out.dtype
        if op == "logsumexp" and x.dtype is F64:
            fn, odt = f64_rows[op], F64
        if fn is None or extra or out.dtype is not odt or not out.is_contiguous():
            return NotImplemented
        numel = out.numel()
        if numel == 0:
            return None
        p = plan_reduce(x.shape, dims, x.is_contiguous(), x.numel())
        if p is None:
            return NotImplemented
        outer, n, inner, order = p
        if order is not None:
            x = ctx.contiguous(x.permute(*order) if order else x)
            if x is None:
                return NotImplemented
        if outer * inner != numel or not fits_i32(outer, n, inner):
            return NotImplemented
        if x.dtype is F64 and op == "logsumexp":
            fn(region(out, True), region(x), outer, n, inner)
        elif op == "var":
            fn(outer, n, inner, float(correction), region(x), region(out, True))
        else:
            fn(outer, n, inner, region(x), region(out, True))
        return None

    h16_softmax = K.fn(KT.H16_SOFTMAX)
    for dt in _HALF:       # flags: 1 bfloat16, 2 log_softmax
        for op in ("softmax", "log_softmax"):
            flags = (dt is D.bfloat16) | (op == "log_softmax") << 1
            rowwise[(dt, op)] = ((lambda f: lambda o, n, i, rx, ro:
                                  h16_softmax(o, n, i, f, rx, ro))(flags), dt)

    def half_reduce(op, out, x, dims, correction):
        fn = half_rows.get((x.dtype, op))
        p = plan_reduce(x.shape, dims, x.is_contiguous(), x.numel())
        if fn is None or p is None or not out.is_contiguous():
            return NotImplemented
        if p[2] != 1:       # reduced dims last: rows
            p = (p[0] * p[2], p[1], 1,
                 tuple([d for d in range(x.dim()) if d not in dims] + list(dims)))
        outer, n, _, order = p
        n = x.numel() if n is None else n
        if outer != out.numel() or not fits_i32(outer, n):
            return NotImplemented
        if outer == 0:
            return None
        if order is not None:
            x = ctx.contiguous(x.permute(*order) if order else x)
            if x is None:
                return NotImplemented
        fn(outer, n, *((float(correction),) if op == "var" else ()), region(x), region(out, True))
        return None

    def along(op, out, x, dim):
        if x.dtype in _HALF and op in ("softmax", "log_softmax"):
            n = x.shape[dim] if x.dim() else 1
            if n * prod(x.shape[dim + 1:]) > KT.H16_STAGE:   # beyond the kernel's buffer
                return half_along[op](out, x, dim)
        fn, odt = rowwise.get((x.dtype, op), (None, None))
        if x.dtype is F64 and op in f64_rows:
            fn, odt = lambda o, n, i, rx, ro: f64_rows[op](ro, rx, o, n, i), F64  # noqa: E731
        if fn is None or out.dtype is not odt or not out.is_contiguous():
            return NotImplemented
        numel = out.numel()
        if numel == 0:
            return None
        ro = region(out, True)
        xr = ctx.operand(x, ro, True)
        if xr is None:
            return NotImplemented
        x, rx = xr
        outer, n, inner = plan_along(x.shape, dim, numel)
        fn(outer, n, inner, rx, ro)
        return None

    half_along = {op: widened(ctx, lambda out, x, dim, op=op: along(op, out, x, dim), _HALF)
                  for op in ("softmax", "log_softmax")}

    impl = {"reduce": reduce,
            "softmax": lambda out, x, dim: along("softmax", out, x, dim),
            "log_softmax": lambda out, x, dim: along("log_softmax", out, x, dim),
            "cumsum": lambda out, x, dim: along("cumsum", out, x, dim),
            "cumprod": lambda out, x, dim: along("cumprod", out, x, dim)}
    return impl, {op: reduce_all_shortcut(fns[op]) for op in _REDUCE_ALL}


def reduce_all_shortcut(fn, plan=plan_reduce):
    """x.op() for float32 row-major x: a 0-dim float32 out, [outer=1, n, inner=1]."""
    raw = getattr(fn, "raw", None)
    scal = _layout(())

    def shortcut(x):
        if x.__class__ is not Tensor or x.dtype is not F32:
            return None
        sx = x._storage
        lay = _LAYOUTS.get(x.shape) or _layout(x.shape)
        n = lay[2]
        if not n:
            return None
        if plan(None, None, x._strides == lay[1], n) is not P_ALL:
            return None
        out, so = new_out(scal[0], scal[1], 4, F32)
        px = sx._addr
        if raw is not None and not _guards[0] and px is not None and not sx.base:
            raw(1, n, 1, px + (x._offset << 2), so._addr)
        else:
            fn(1, n, 1, Region(sx, x._offset << 2, n << 2, False), Region(so, 0, 4, True))
        return out
    return shortcut
