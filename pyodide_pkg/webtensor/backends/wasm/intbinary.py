"""int64 binary ops on the WASM kernels (xN-ibinary): add/sub/mul (wrap-around), maximum,
minimum and the comparisons, in the f32 kernels' 2-D broadcast form. backend.binary hands
every non-float32 call here; anything else returns NotImplemented (reference backend)."""
from ... import _dtype as D
from . import backend as B
from . import kernel_table as KT
from .views import fits_i32, region

_FNS = {}
_OUT = {}
if B.K is not None:
    for _it in KT.INT_BINARY_DTYPES:
        _dt = {"i64": D.int64, "i32": D.int32}[_it]
        for _op in KT.INT_ARITH_OPS + KT.COMPARE_OPS:
            _FNS[(_dt, _op)] = B.K.fn(f"{_it}_{_op}")
            _OUT[(_dt, _op)] = _dt if _op in KT.INT_ARITH_OPS else D.bool_


def binary(op, out, a, b, rounding_mode=None, **extra):
    key = (a.dtype, op)
    fn = _FNS.get(key)
    if fn is None or extra or rounding_mode is not None or b.dtype is not a.dtype or \
            out.dtype is not _OUT[key] or not out.is_contiguous():
        return NotImplemented
    ro = region(out, True)
    if not ro.nbytes:
        return None
    ar, br = B._operand(a, ro, False), B._operand(b, ro, False)
    if ar is None or br is None:
        return NotImplemented
    (a, ra), (b, rb) = ar, br
    os_ = out._strides
    form = B._two_d(out.shape, os_, a._strides, b._strides)
    if form is None:     # broadcast pattern beyond 2-D: materialise the inputs
        if not (a.is_contiguous() and 0 not in a._strides):
            a = B._fresh(a)
        if not (b.is_contiguous() and 0 not in b._strides):
            b = B._fresh(b)
        if a is None or b is None:
            return NotImplemented
        ra, rb = region(a), region(b)
        form = B._two_d(out.shape, os_, a._strides, b._strides)
    m, n, (_, (ars, acs), (brs, bcs)) = form
    if not fits_i32(m, n, ars, acs, brs, bcs):
        return NotImplemented
    fn(m, n, ra, ars, acs, rb, brs, bcs, ro)
    return None
