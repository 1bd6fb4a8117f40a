"""Gather paths on the WASM kernels: index_select / embedding row gather and where
(masked_fill is where with a broadcast scalar).

index_select copies whole rows of bytes, so every dtype is served; the kernel checks every
index before writing anything and reports the first bad position, which becomes torch's
IndexError here. where works on 1/2/4/8-byte elements in the binary kernels' 2-D broadcast
form (scalar, row, column, same shape), materialising inputs whose broadcast pattern does not
fit two dims.
"""
from ... import _dtype as D
from ..._storage import Storage
from . import kernel_table as KT
from .common import prod, two_d
from ..reference.index import _check_index, index_select_error
from .loader import Region
from .views import fits_i32, region

_INDEX_DTYPES = {D.int64: "i64", D.int32: "i32"}


def plan_where(shape, out_strides, *stride_lists):
    """The where kernel's [m, n] form: (m, n, [(rs, cs) for cond, a, b]) or None."""
    form = two_d(shape, out_strides, *stride_lists)
    if form is None:
        return None
    m, n, (_, *forms) = form
    return (m, n, forms) if fits_i32(m, n, *[v for f in forms for v in f]) else None


def bind(ctx):
    g = Gather(ctx)
    return {"where": g.where, "index_select": g.index_select, "scatter": g.scatter}, {}


class Gather:
    def __init__(self, ctx):
        self.ctx = ctx
        self.index_fns = {dt: ctx.K.fn(KT.INDEX_SELECT[it]) for dt, it in _INDEX_DTYPES.items()}
        self.where_fns = {b: ctx.K.fn(name) for b, name in KT.WHERE.items()}
        self.scatter_fns = {b: ctx.K.fn(name) for b, name in KT.SCATTER.items()}

    def scatter(self, out, dim, index, src, reduce):
        """Without reduce, index and src of one shape equal to out's but along dim (e.g.
        index_copy_, a KV cache write): out contiguous, written in place."""
        fn = self.scatter_fns.get(out.dtype.itemsize)
        if fn is None or reduce is not None or src.dtype is not out.dtype or \
                index.shape != src.shape or not out.is_contiguous() or \
                any(a != b for d, (a, b) in enumerate(zip(index.shape, out.shape)) if d != dim):
            return NotImplemented
        index, src = self.ctx.contiguous(index), self.ctx.contiguous(src)
        if index is None or src is None or src._storage is out._storage:
            return NotImplemented
        outer, n, m = prod(out.shape[:dim]), out.shape[dim], index.shape[dim]
        inner = prod(out.shape[dim + 1:])
        if not outer * m * inner:
            return None
        if not fits_i32(outer, n, m, inner, out.numel()):
            return NotImplemented
        status = Storage(4)
        fn(outer, n, m, inner, region(index), region(src), region(out, True),
           Region(status, 0, 4, True))
        bad = int.from_bytes(status.view()[:4], "little", signed=True)
        if bad != -1:
            _check_index(index.reshape(-1)[bad].item(), n, dim)     # raises torch's error
        return None

    def index_select(self, out, x, dim, index):
        fn = self.index_fns.get(index.dtype)
        if fn is None or not out.is_contiguous() or out.dtype is not x.dtype:
            return NotImplemented
        nidx = index.numel()
        if nidx == 0:
            return None
        if x.dim() == 0:
            x = x.reshape(1)
        x = self.ctx.contiguous(x)
        index = self.ctx.contiguous(index)
        if x is None or index is None:
            return NotImplemented
        n = x.shape[dim]
        outer = prod(x.shape[:dim])
        row_bytes = prod(x.shape[dim + 1:]) * x.dtype.itemsize
        if not fits_i32(outer, n, nidx, row_bytes, outer * nidx * row_bytes):
            return NotImplemented
        status = Storage(4)
        fn(outer, n, nidx, row_bytes, region(x), region(index), region(out, True),
           Region(status, 0, 4, True))
        bad = int.from_bytes(status.view()[:4], "little", signed=True)
        if bad != -1:
            raise index_select_error(x, dim, index.reshape(-1)[bad].item())
        return None

    def where(self, out, cond, a, b):
        fn = self.where_fns.get(out.dtype.itemsize)
        if fn is None or cond.dtype is not D.bool_ or a.dtype is not out.dtype or \
                b.dtype is not out.dtype or not out.is_contiguous():
            return NotImplemented
        ro = region(out, True)
        if not ro.nbytes:
            return None
        ops = [self.ctx.operand(t, ro, False) for t in (cond, a, b)]
        if None in ops:
            return NotImplemented
        (cond, rc), (a, ra), (b, rb) = ops
        os_ = out._strides
        form = plan_where(out.shape, os_, cond._strides, a._strides, b._strides)
        if form is None:     # broadcast pattern beyond 2-D: materialise the inputs
            ts = []
            for t in (cond, a, b):
                if not (t.is_contiguous() and 0 not in t._strides):
                    t = self.ctx.fresh(t)
                if t is None:
                    return NotImplemented
                ts.append(t)
            cond, a, b = ts
            rc, ra, rb = region(cond), region(a), region(b)
            form = plan_where(out.shape, os_, cond._strides, a._strides, b._strides)
            if form is None:
                return NotImplemented
        m, n, ((crs, ccs), (ars, acs), (brs, bcs)) = form
        fn(m, n, rc, crs, ccs, ra, ars, acs, rb, brs, bcs, ro)
        return None
