"""Sort family: sort(values, indices, x, dim, descending, stable) on the xN-sort radix kernels
(every dtype, bool as uint8, halves by their bits; stable always, as the reference backend),
and unique of a flat tensor on the same kernels. The sorted dim is made the last, contiguous
one first (a copy when it is not), and the results are written back through
the strided copy when `values`/`indices` are not laid out that way.

  plan_sort(shape, dim, x_contiguous, out_contiguous) -> (rows, n, direct): direct when x
      and the outputs are contiguous with dim last (no copies).
"""
from ... import _dtype as D
from ..._storage import Storage
from ..._tensor import Tensor
from . import kernel_table as KT
from .common import I64, X_DTYPES, prod, read_count
from .loader import Region
from .views import fits_i32, region

_U8 = X_DTYPES["u8"][0]


def plan_sort(shape, dim, x_contiguous, out_contiguous):
    n = shape[dim]
    rows = prod(shape) // n if n else 0
    return rows, n, x_contiguous and out_contiguous and dim == len(shape) - 1


def bind(ctx):
    fns = {X_DTYPES[short][0]: ctx.fn(name) for short, name in KT.SORT.items()}
    fns[D.bool_] = fns[_U8]
    uniq = {X_DTYPES[short][0]: ctx.fn(name) for short, name in KT.UNIQUE.items()}
    uniq[D.bool_] = uniq[_U8]

    def sort(values, indices, x, dim, descending=False, stable=False):
        fn = fns.get(x.dtype)
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
        scratch = Tensor._empty((n * (2 * x.dtype.itemsize + 8) + 8,), _U8)
        fn(rows, n, 1 if descending else 0, region(xs), region(v, True), region(i, True),
           region(scratch, True))
        if not direct:
            for out, src in ((values, v), (indices, i)):
                if not ctx.copier.scatter(out.transpose(dim, last), src):
                    return NotImplemented     # not reached: same shapes, fresh sources
        return None

    def unique(x, want_inverse, want_counts):
        """x 1-D contiguous, numel >= 1 (see backends/__init__.py)."""
        n = x.numel()
        fn = uniq.get(x.dtype)
        if fn is None or not x.is_contiguous() or not fits_i32(2 * n + 1):
            return NotImplemented
        values = Tensor._empty((n,), x.dtype)
        inverse = Tensor._empty((n if want_inverse else 1,), I64)
        counts = Tensor._empty((n if want_counts else 1,), I64)
        nout = Storage(8)
        cap = 8               # dense keys need no scratch: asked again when the keys do
        while True:
            scratch = Tensor._empty((cap,), _U8)
            fn(n, (1 if want_inverse else 0) | (2 if want_counts else 0), region(x),
               region(values, True), region(inverse, True), region(counts, True),
               Region(nout, 0, 8, True), cap, region(scratch, True))
            k = read_count(nout, "unique", signed=True)
            if k >= 0:
                break
            cap = n * (2 * x.dtype.itemsize + 8) + 8
        small = k < n // 2                    # don't keep n-sized storages behind k entries
        return (values[:k].clone() if small else values[:k], inverse if want_inverse else None,
                (counts[:k].clone() if small else counts[:k]) if want_counts else None)

    return {"sort": sort, "unique": unique}, {}
