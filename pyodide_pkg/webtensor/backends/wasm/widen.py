"""Small dtypes on a wider dtype's kernels: int16/int8/uint8/bool through int32,
float16/bfloat16 through float32 (one conversion pass in, the wide kernel, one pass back).

Integer matmul, conv and scatter sums/products wrap in torch's dtype; int32 arithmetic wraps
too and the low 8/16 bits of a sum or product depend only on the operands' low bits, so keeping
the low bits on the way back (the i32 -> i16/i8 conversions) gives torch's values exactly.
Max pooling and amax/amin are exact in any wider type; bool sums/products come back as
`!= 0` (or / and, as torch's). float16/bfloat16 scatter sums accumulate in float32 and round
once (torch's scatter_add / scatter_reduce on CPU accumulate in float32, its opmath type).
The matmul/conv kernels are compute-bound, so the two extra passes cost little there.
"""
from ... import _dtype as D

WIDE = {D.int16: D.int32, D.int8: D.int32, D.uint8: D.int32, D.bool_: D.int32,
        D.float16: D.float32, D.bfloat16: D.float32}
SMALL_INT = (D.int16, D.int8, D.uint8)


def widened(ctx, fn, dtypes, reads_out=False):
    """A primitive `fn(out, *args)` that also serves `dtypes`: the tensor arguments of out's
    dtype and out (read first if `reads_out`: an in-place scatter) are converted to the wide
    dtype, `fn` runs there, and the result is converted back into out."""
    convert = ctx.converter.convert

    def up(t, wide):
        w = type(t)._empty(t.shape, wide)
        return w if convert(w, t) else None

    def prim(out, *args):
        dt = out.dtype
        if dt not in dtypes:
            return fn(out, *args)
        wide = WIDE[dt]
        if not out.is_contiguous():
            return NotImplemented
        wargs = [up(a, wide) if getattr(a, "dtype", None) is dt else a for a in args]
        wout = up(out, wide) if reads_out else type(out)._empty(out.shape, wide)
        if wout is None or any(w is None and a is not None for a, w in zip(args, wargs)):
            return NotImplemented
        if fn(wout, *wargs) is NotImplemented:
            return NotImplemented
        if not convert(out, wout):
            raise RuntimeError(f"{dt}: could not convert the {wide} result back")
        return None
    return prim
