"""Gather paths on the WASM kernels: index_select / embedding row gather, gather / scatter
(with reductions) along a dim, whole-row scatters by a 1-D index (index_add, index_copy,
index_fill, index_put, put), F.fold's col2im (a shortcut), nonzero, and where (masked_fill is
where with a broadcast scalar).

index_select copies whole rows of bytes, so every dtype is served; the kernel checks every
index before writing anything and reports the first bad position, which becomes torch's
IndexError here. where works on 1/2/4/8-byte elements in the binary kernels' 2-D broadcast
form (scalar, row, column, same shape), materialising inputs whose broadcast pattern does not
fit two dims.
"""
from ... import _dtype as D
from ..._device import CPU
from ..._storage import Storage
from . import kernel_table as KT
from .common import prod, read_count, two_d
from ..reference.index import _check_index, index_select_error
from .loader import Region
from .views import fits_i32, int32_storage, region
from .widen import WIDE, widened

_INDEX_DTYPES = {D.int64: "i64", D.int32: "i32"}
_REDUCE_DTYPES = {D.float32: "f32", D.float64: "f64", D.int64: "i64", D.int32: "i32",
                  D.int16: "i16", D.int8: "i8", D.uint8: "u8", D.bool_: "b8",
                  D.float16: "f16", D.bfloat16: "bf16"}
_ROW_DTYPES = {**_REDUCE_DTYPES, D.int8: "x8", D.uint8: "x8"}
_MODES = {"add": 0, "multiply": 1, **{m: k for k, m in enumerate(KT.SCATTER_MODES)}}
_ROW_MODES = {"add": 0, "sum": 0, None: 1}
_FOLD_DTYPES = {D.float32: "f32", D.float64: "f64", D.float16: "f16", D.bfloat16: "bf16",
                D.bool_: "b8"}
NOT_HERE = -2      # a kernel's status: these values are not for it (the halves' float32 rule)


def _narrowed(t, shape, skip):
    """t cut to shape's sizes on every dim but `skip` (views; t itself if nothing is cut)."""
    for d, s in enumerate(shape):
        if d != skip and t.shape[d] != s:
            t = t.narrow(d, 0, s)
    return t


def plan_where(shape, out_strides, *stride_lists):
    """The where kernel's [m, n] form: (m, n, [(rs, cs) for cond, a, b]) or None."""
    form = two_d(shape, out_strides, *stride_lists)
    if form is None:
        return None
    m, n, (_, *forms) = form
    return (m, n, forms) if fits_i32(m, n, *[v for f in forms for v in f]) else None


def bad_index(fn, *args):
    """Call an index-checking kernel (its last argument: an int32 status it sets): the
    position of the first index out of range, or -1."""
    status = Storage(4)
    fn(*args, Region(status, 0, 4, True))
    return int.from_bytes(status.view()[:4], "little", signed=True)


def bind(ctx):
    g = Gather(ctx)
    return {"where": g.where, "index_select": g.index_select, "scatter": g.scatter,
            "gather": g.gather, "nonzero": g.nonzero}, \
        {"fold": g.fold, "tril": g.tril, "triu": g.triu}


class Gather:
    def __init__(self, ctx):
        self.ctx = ctx
        self.index_fns = {dt: ctx.K.fn(KT.INDEX_SELECT[it]) for dt, it in _INDEX_DTYPES.items()}
        self.where_fns = {b: ctx.K.fn(name) for b, name in KT.WHERE.items()}
        self.scatter_fns = {b: ctx.K.fn(name) for b, name in KT.SCATTER.items()}
        self.gather_fns = {b: ctx.K.fn(name) for b, name in KT.GATHER.items()}
        self.fold_fns = {dt: ctx.K.fn(KT.FOLD[short]) for dt, short in _FOLD_DTYPES.items()}
        self.tri_fns = {op: ctx.K.fn(name) for op, name in KT.TRI.items()}
        self.nonzero_count = ctx.K.fn(KT.NONZERO_COUNT)
        self.nonzero_fill = ctx.K.fn(KT.NONZERO)
        self.reduce_fns = {dt: ctx.K.fn(KT.SCATTER_REDUCE[short])
                           for dt, short in _REDUCE_DTYPES.items()}
        self.row_fns = {dt: ctx.K.fn(KT.SCATTER_ROWS[short]) for dt, short in _ROW_DTYPES.items()}
        # float16/bfloat16 sums the kernels leave (NOT_HERE) on the float32 kernels (widen.py)
        self.wide_scatter = widened(ctx, self.scatter, WIDE, reads_out=True)

    def scatter(self, out, dim, index, src, reduce):
        """Without reduce (any dtype: index_copy_, a KV cache write) or with a reduction
        (scatter_add, scatter_reduce, index_add, index_put, put, fold, histc, gather's and
        embedding's backward); src may be larger than index (only index's part is read). An
        index that is one vector expanded over the other dims (index_add, index_copy,
        index_fill, index_put) scatters whole rows."""
        if src.dtype is not out.dtype or src.dim() != index.dim() or any(
                a < b for a, b in zip(src.shape, index.shape)):
            return NotImplemented
        src = _narrowed(src, index.shape, None)
        done = self._rows(out, dim, index, src, reduce)
        if done is NotImplemented:
            if reduce is None:
                fn, mode = self.scatter_fns.get(out.dtype.itemsize), ()
            else:
                fn, mode = self.reduce_fns.get(out.dtype), (_MODES.get(reduce),)
            if fn is None or None in mode:
                return NotImplemented
            done = self._along(fn, mode, dim, index, src, out, out)
        if done == NOT_HERE:
            return self.wide_scatter(out, dim, index, src, reduce)
        return done

    def _rows(self, out, dim, index, src, reduce):
        """The row kernel (xN_scatter_rows) when index varies along dim only and spans out's
        other dims: out[.., index[j], ..] (op)= src[.., j, ..]; src may be expanded from one
        element (index_fill: mode fill)."""
        fn, mode = self.row_fns.get(out.dtype), _ROW_MODES.get(reduce, -1)
        st = index._strides
        if fn is None or mode < 0 or index.dtype is not D.int64 or not index.dim() or \
                not out.is_contiguous() or \
                index.shape[:dim] != out.shape[:dim] or index.shape[dim + 1:] != \
                out.shape[dim + 1:] or any(st[d] and index.shape[d] != 1
                                          for d in range(index.dim()) if d != dim):
            return NotImplemented
        m = index.shape[dim]
        outer, n, inner = prod(out.shape[:dim]), out.shape[dim], prod(out.shape[dim + 1:])
        if not outer * m * inner:
            return None
        if mode == 1 and not any(src._strides):
            mode, src = 2, src.reshape(-1)[:1]              # one value into every row
        vec = self.ctx.contiguous(type(index)._make(index._storage, (m,), (st[dim],),
                                                    index._offset, D.int64))
        src = self.ctx.contiguous(src)
        if vec is None or src is None or src._storage is out._storage or \
                not fits_i32(outer, n, m, inner, out.numel()):
            return NotImplemented
        bad = bad_index(fn, outer, n, m, inner, mode, region(vec), region(src),
                        region(out, True))
        if bad >= 0:
            _check_index(vec[bad].item(), n, dim)     # raises torch's error
        return bad if bad == NOT_HERE else None

    def gather(self, out, x, dim, index):
        """index no larger than x but along dim (cross-entropy's target pick,
        take_along_dim)."""
        fn = self.gather_fns.get(x.dtype.itemsize)
        if fn is None or out.dtype is not x.dtype:
            return NotImplemented
        return self._along(fn, (), dim, index, x, out, x)

    def _along(self, fn, mode, dim, index, src, out, big):
        """fn(outer, n, m, inner, *mode, index, src, out, status) with `big` (out for a
        scatter, x for a gather) [outer, n, inner] and index [outer, m, inner]; `big` is cut to
        index's size on the other dims (a scatter then works on a contiguous copy of that
        part). The kernel checks every index first and reports the first bad one, which raises
        torch's error here."""
        if index.dtype is not D.int64 or index.dim() != big.dim() or not big.dim() or \
                not out.is_contiguous() or any(
                a > b for d, (a, b) in enumerate(zip(index.shape, big.shape)) if d != dim):
            return NotImplemented
        part = _narrowed(big, index.shape, dim)
        if big is out:                 # a scatter: into out, or a copy of out's part
            y = out if part is out else self.ctx.fresh(part)
        else:                          # a gather: reads x's part
            y, src = out, self.ctx.contiguous(part)
        index, src = self.ctx.contiguous(index), self.ctx.contiguous(src)
        if index is None or src is None or y is None or src._storage is out._storage:
            return NotImplemented
        outer, n, m = prod(part.shape[:dim]), part.shape[dim], index.shape[dim]
        inner = prod(part.shape[dim + 1:])
        if not outer * m * inner:
            return None
        if not fits_i32(outer, n, m, inner, part.numel()):
            return NotImplemented
        bad = bad_index(fn, outer, n, m, inner, *mode, region(index), region(src),
                        region(y, True))
        if bad == NOT_HERE:
            return bad
        if bad != -1:
            _check_index(index.reshape(-1)[bad].item(), n, dim)     # raises torch's error
        if y is not out and not self.ctx.copier.scatter(part, y):
            raise RuntimeError("scatter: could not write back into the output")
        return None

    def fold(self, input, output_size, kernel_size, dilation=1, padding=0, stride=1):
        """F.fold's shortcut: col2im in one kernel call (None: the op body, whose checks raise
        torch's errors, runs instead)."""
        fn = self.fold_fns.get(getattr(input, "dtype", None))
        if fn is None or input._storage.device is not CPU:
            return None
        from ...ops.fold import fold_plan
        try:
            x, c, size, k, d, p, s, blocks = fold_plan(input, output_size, kernel_size,
                                                       dilation, padding, stride)
        except (RuntimeError, TypeError, ValueError, NotImplementedError):
            return None
        x = self.ctx.contiguous(x)
        n = x.shape[0]
        geo = (*k, *d, *p, *s, *blocks)
        if x is None or min(geo[:4] + geo[6:]) < 1 or min(geo[4:6]) < 0 or \
                not fits_i32(x.numel(), n * c * size[0] * size[1], *geo):
            return None
        out = type(x)._empty((n, c, *size), x.dtype)
        if out.numel() and bad_index(fn, n * c, size[0], size[1],
                                     Region(int32_storage(geo), 0, 40, False), region(x),
                                     region(out, True)) == NOT_HERE:
            return None
        return out if input.dim() == 3 else out.squeeze(0)

    def tril(self, x, diagonal=0):
        return self._tri("tril", x, diagonal)

    def triu(self, x, diagonal=0):
        return self._tri("triu", x, diagonal)

    def _tri(self, op, x, diagonal):
        """tril / triu's shortcut: each row a copy of its kept part and a zero fill (any dtype,
        as bytes); None (the op body: its checks, other devices) otherwise."""
        if type(diagonal) is not int or getattr(x, "_storage", None) is None or \
                x._storage.device is not CPU or x.dim() < 2:
            return None
        x = self.ctx.contiguous(x)
        if x is None or not fits_i32(x.numel() * x.dtype.itemsize):
            return None
        m, n = x.shape[-2:]
        out = type(x)._empty(x.shape, x.dtype)
        if out.numel():
            self.tri_fns[op](x.numel() // (m * n), m, n, x.dtype.itemsize,
                             max(-m - 1, min(diagonal, n + 1)), region(x), region(out, True))
        return out

    def nonzero(self, x):
        """The [count, ndim] int64 positions of a bool tensor's True elements: a count pass,
        then the fill into an output of that size."""
        x = self.ctx.contiguous(x) if x.dtype is D.bool_ and x.dim() else None
        if x is None or not fits_i32(x.numel(), *x.shape):
            return NotImplemented
        count = Storage(8)
        rx = region(x)
        if x.numel():
            self.nonzero_count(x.numel(), rx, Region(count, 0, 8, True))
        k = read_count(count, "nonzero")
        out = type(x)._empty((k, x.dim()), D.int64)
        if k and x.dim():
            self.nonzero_fill(x.dim(), Region(int32_storage(x.shape), 0, 4 * x.dim(), False), k,
                              rx, region(out, True))
        return out

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
        bad = bad_index(fn, outer, n, nidx, row_bytes, region(x), region(index),
                        region(out, True))
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
