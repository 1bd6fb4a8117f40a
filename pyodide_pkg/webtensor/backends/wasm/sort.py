"""Sort family: sort(values, indices, x, dim, descending, stable) on the xN-sort radix kernels
(float32/64, int32/64; stable always, as the reference backend). float16/bfloat16, int16/8,
uint8 and bool sort as float32 (exact and order-preserving; a NaN comes back as the canonical
NaN of its dtype). The sorted dim is made the
last, contiguous one first (a copy when it is not), and the results are written back through
the strided copy when `values`/`indices` are not laid out that way.

  plan_sort(shape, dim, x_contiguous, out_contiguous) -> (rows, n, direct): direct when x
      and the outputs are contiguous with dim last (no copies).
"""
from ..._tensor import Tensor
from . import kernel_table as KT
from .common import F32, I64, X_DTYPES, prod
from .convert import _EXACT_IN_F32
from .views import fits_i32, region


def plan_sort(shape, dim, x_contiguous, out_contiguous):
    n = shape[dim]
    rows = prod(shape) // n if n else 0
    return rows, n, x_contiguous and out_contiguous and dim == len(shape) - 1


def bind(ctx):
    fns = {X_DTYPES[short][0]: ctx.fn(name) for short, name in KT.SORT.items()}

    def via_f32(values, indices, x, dim, descending):
        conv = ctx.converter
        xf, vf = Tensor._empty(x.shape, F32), Tensor._empty(x.shape, F32)
        if not conv.convert(xf, x) or sort(vf, indices, xf, dim, descending) is not None:
            return NotImplemented
        v = values if values.is_contiguous() else Tensor._empty(x.shape, x.dtype)
        conv.convert(v, vf)            # exact: vf holds values of x's dtype
        return None if v is values or ctx.copier.scatter(values, v) else NotImplemented

    def sort(values, indices, x, dim, descending=False, stable=False):
        fn = fns.get(x.dtype)
        if fn is None and x.dtype in _EXACT_IN_F32 and values.dtype is x.dtype:
            return via_f32(values, indices, x, dim, descending)
        if fn is None or values.dtype is not x.dtype or indices.dtype is not I64:
            return NotImplemented
        rows, n, direct = plan_sort(x.shape, dim, x.is_contiguous(),
                                    values.is_contiguous() and indices.is_contiguous())
        if not rows or not fits_i32(rows, n):
            return None if not rows else NotImplemented
        last = x.dim() - 1
        if direct:
            v, i, xs = values, indices, x
        else:
            xs = ctx.contiguous(x.transpose(dim, last))
            if xs is None:
                return NotImplemented
            v, i = Tensor._empty(xs.shape, x.dtype), Tensor._empty(xs.shape, I64)
        key = 8 if x.dtype.itemsize == 8 else 4
        scratch = Tensor._empty((n * (2 * key + 8),), X_DTYPES["u8"][0])
        fn(rows, n, 1 if descending else 0, region(xs), region(v, True), region(i, True),
           region(scratch, True))
        if not direct:
            for out, src in ((values, v), (indices, i)):
                if not ctx.copier.scatter(out.transpose(dim, last), src):
                    return NotImplemented     # not reached: same shapes, fresh sources
        return None

    return {"sort": sort}, {}
