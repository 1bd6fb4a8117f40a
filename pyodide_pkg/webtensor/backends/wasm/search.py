"""Search and counting passes on the xN-search kernels (searchsorted, isin, histc, bincount,
unique's runs) and the masked one-pass kernels (masked_select, masked_scatter).

Inputs are made contiguous first; searchsorted and isin take float16/bfloat16 as float32 and
int16/int8/uint8/bool as int32 (exact and order-preserving); histc and unique's runs read halves
directly.
"""
import struct

from ... import _dtype as D
from ..._storage import Storage
from . import kernel_table as KT
from .common import I64, prod, read_count
from .loader import Region
from .views import fits_i32, region
from ..reference.search import SHORT_SOURCE

_KEY = {D.float32: "f32", D.float64: "f64", D.int64: "i64", D.int32: "i32"}
_AS = {D.float16: D.float32, D.bfloat16: D.float32, D.int16: D.int32, D.int8: D.int32,
       D.uint8: D.int32, D.bool_: D.int32}
_BINCOUNT = {D.int64: "i64", D.int32: "i32", D.int16: "i16", D.int8: "i8", D.uint8: "u8",
             D.bool_: "u8"}
_RUNS_BITS = {1: "x8", 2: "x16", 4: "x32", 8: "x64"}
# 1-2 byte keys: a table over every bit pattern (searchsorted's boundaries as float32)
_TABLE = {D.uint8: "u8", D.bool_: "u8", D.int8: "i8", D.int16: "i16", D.float16: "f16",
          D.bfloat16: "bf16"}
_UNRAVEL = {D.int64: "i64", D.int32: "i32", D.int16: "i16", D.int8: "i8", D.uint8: "u8"}
_HISTC = {D.float32: "f32", D.float64: "f64", D.float16: "f16", D.bfloat16: "bf16"}   # and runs


def bind(ctx):
    S = Search(ctx)
    return {"searchsorted": S.searchsorted, "isin": S.isin, "histc": S.histc,
            "bincount": S.bincount, "unique_runs": S.unique_runs,
            "masked_select": S.masked_select, "masked_scatter": S.masked_scatter}, \
        {"unravel_index": S.unravel_index}


class Search:
    def __init__(self, ctx):
        self.ctx = ctx
        fn = ctx.K.fn
        self.search = {dt: fn(KT.SEARCHSORTED[s]) for dt, s in _KEY.items()}
        self.isin_fns = {dt: fn(KT.ISIN[s]) for dt, s in _KEY.items()}
        self.search_table = {dt: fn(KT.SEARCHSORTED[s]) for dt, s in _TABLE.items()}
        self.isin_table = {dt: fn(KT.ISIN[s]) for dt, s in _TABLE.items()}
        self.unravel = {dt: fn(KT.UNRAVEL_INDEX[s]) for dt, s in _UNRAVEL.items()}
        self.histc_fns = {dt: fn(KT.HISTC[s]) for dt, s in _HISTC.items()}
        self.bincount_fns = {dt: fn(KT.BINCOUNT[s]) for dt, s in _BINCOUNT.items()}
        self.runs = {s: fn(name) for s, name in KT.UNIQUE_RUNS.items()}
        self.select = {b: fn(name) for b, name in KT.MASKED_SELECT.items()}
        self.scatter = {b: fn(name) for b, name in KT.MASKED_SCATTER.items()}
        self.count = fn(KT.NONZERO_COUNT)

    def _key(self, t):
        """t contiguous in a dtype the search kernels take (None: declined)."""
        to = _AS.get(t.dtype)
        if to is not None:
            k = type(t)._empty(t.shape, to)
            return k if self.ctx.converter.convert(k, t) else None
        return self.ctx.contiguous(t) if t.dtype in _KEY else None

    @staticmethod
    def _by_table(dt, per_table):
        """1-2 byte keys with enough elements per table of every bit pattern to pay for it"""
        return dt in _TABLE and (dt.itemsize == 1 or per_table >= 8192)

    def searchsorted(self, out, seq, values, right):
        m = seq.shape[-1] if seq.dim() else 1
        if not values.numel():
            return None
        if not m or not out.is_contiguous() or out.dtype not in (I64, D.int32):
            return NotImplemented
        k = values.shape[-1] if seq.dim() > 1 else values.numel()
        if seq.dtype is values.dtype and self._by_table(seq.dtype, k):
            s, v = type(seq)._empty(seq.shape, D.float32), self.ctx.contiguous(values)
            if v is None or not self.ctx.converter.convert(s, seq):
                return NotImplemented
            fn = self.search_table[v.dtype]
        else:
            s, v = self._key(seq), self._key(values)
            if s is None or v is None or s.dtype is not v.dtype:
                return NotImplemented
            fn = self.search[s.dtype]
        if seq.dim() <= 1:
            rows, k, rs = 1, values.numel(), 0
        else:
            k, rs = values.shape[-1], m
            rows = prod(values.shape[:-1])
        if not fits_i32(rows, m, k, values.numel(), seq.numel()):
            return NotImplemented
        fn(rows, m, k, (1 if right else 0) | (2 if out.dtype is D.int32 else 0), rs, region(s),
           region(v), region(out, True))
        return None

    def isin(self, out, x, test, invert):
        if not x.numel():
            return None
        if x.dtype is test.dtype and self._by_table(x.dtype, x.numel()):
            x, t = self.ctx.contiguous(x), self.ctx.contiguous(test)
            if x is None or t is None or not out.is_contiguous():
                return NotImplemented
            self.isin_table[x.dtype](x.numel(), t.numel(), 1 if invert else 0, region(x),
                                     region(t), region(out, True))
            return None
        x, t = self._key(x), self._key(test)
        if x is None or t is None or x.dtype is not t.dtype or not t.numel() or \
                not out.is_contiguous() or not fits_i32(x.numel(), t.numel()):
            return NotImplemented
        self.isin_fns[x.dtype](x.numel(), t.numel(), 1 if invert else 0, region(x), region(t),
                               region(out, True))
        return None

    def histc(self, out, x, lo, hi):
        fn = self.histc_fns.get(x.dtype)
        if fn is None or out.dtype is not x.dtype or not out.is_contiguous():
            return NotImplemented
        if not x.numel():
            return None
        x = self.ctx.contiguous(x)
        if x is None or not fits_i32(x.numel(), out.numel()):
            return NotImplemented
        fmt = "<2d" if x.dtype is D.float64 else "<2f"
        if x.dtype.itemsize == 2:             # halves: the range in the dtype (torch's edges)
            from ..._creation import tensor
            lo, hi = tensor([lo, hi], dtype=x.dtype).tolist()
        rng = Storage(struct.calcsize(fmt))
        struct.pack_into(fmt, rng.view(), 0, lo, hi)
        fn(x.numel(), out.numel(), Region(rng, 0, rng.nbytes, False), region(x),
           region(out, True))
        return None

    def bincount(self, out, x):
        fn = self.bincount_fns.get(x.dtype)
        if fn is None or out.dtype is not I64 or not out.is_contiguous():
            return NotImplemented
        if not x.numel():
            return None
        x = self.ctx.contiguous(x)
        if x is None or not fits_i32(x.numel(), out.numel()):
            return NotImplemented
        fn(x.numel(), region(x), region(out, True))
        return None

    def unique_runs(self, x, want_first, want_group):
        n = x.numel()
        x = self.ctx.contiguous(x)
        if x is None or not fits_i32(n + 1):
            return NotImplemented
        fn = self.runs[_HISTC[x.dtype] if x.dtype.category == 2 else
                       _RUNS_BITS[x.dtype.itemsize]]
        values = type(x)._empty((n,), x.dtype)
        first = type(x)._empty((n + 1 if want_first else 1,), I64)
        group = type(x)._empty((n if want_group else 1,), I64)
        count = Storage(8)
        fn(n, (1 if want_first else 0) | (2 if want_group else 0), region(x),
           region(values, True), region(first, True), region(group, True),
           Region(count, 0, 8, True))
        k = read_count(count, "unique_consecutive")
        values = values[:k]
        return (values, first[:k + 1] if want_first else None,
                group if want_group else None)

    def unravel_index(self, indices, shape):
        """shortcut: one pass writing every coordinate (torch's floor_divide and remainder),
        for sizes >= 1 whose product is below 2**31; None declines (the op's composite)."""
        fn = self.unravel.get(getattr(indices, "dtype", None))
        if fn is None or indices.device.type != "cpu":
            return None
        shape = (shape,) if type(shape) is int else tuple(shape)
        if not 1 <= len(shape) <= 16 or any(type(s) is not int or s < 1 for s in shape) or \
                prod(shape) >= 1 << 31:
            return None
        x = self.ctx.contiguous(indices)
        if x is None or not fits_i32(x.numel()):
            return None
        out = type(x)._empty((len(shape),) + tuple(x.shape), I64)
        sizes = Storage(8 * len(shape))
        struct.pack_into("<%dq" % len(shape), sizes.view(), 0, *shape)
        if x.numel():
            fn(x.numel(), len(shape), Region(sizes, 0, sizes.nbytes, False), region(x),
               region(out, True))
        return tuple(out[d] for d in range(len(shape)))

    def _mask(self, mask):
        """(contiguous bool mask, number of Trues) or None."""
        mask = self.ctx.contiguous(mask)
        if mask is None or mask.dtype is not D.bool_ or not fits_i32(mask.numel()):
            return None
        count = Storage(8)
        self.count(mask.numel(), region(mask), Region(count, 0, 8, True))
        return mask, read_count(count, "a boolean mask selection")

    def masked_select(self, x, mask):
        if not x.numel():
            return type(x)._empty((0,), x.dtype)
        got, x = self._mask(mask), self.ctx.contiguous(x)
        if got is None or x is None:
            return NotImplemented
        mask, k = got
        out = type(x)._empty((k,), x.dtype)
        if k:
            self.select[x.dtype.itemsize](x.numel(), k, region(x), region(mask),
                                          region(out, True))
        return out

    def masked_scatter(self, out, mask, source):
        if not out.numel():
            return None
        got, src = self._mask(mask), self.ctx.contiguous(source)
        if got is None or src is None or not out.is_contiguous():
            return NotImplemented
        mask, ones = got
        if ones > src.numel():
            raise RuntimeError(SHORT_SOURCE)
        if ones:
            self.scatter[out.dtype.itemsize](out.numel(), ones, region(mask), region(src),
                                             region(out, True))
        return None
