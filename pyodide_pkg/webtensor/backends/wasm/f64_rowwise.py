"""float64 softmax, log_softmax, logsumexp and var over [outer, n, inner]. softmax and
log_softmax of rows (inner == 1) run the fused f64_softmax kernel (xN-norm); the rest is
composed from the f64 kernels (amax, sub, exp, sum, log, mul, div: f64-vunary and
xN-binary/-reduce): torch's own steps (subtract the max, exponentiate, sum; var: two passes
around the mean), one pass each.

bind(ctx) -> {op: fn(out region, x region, outer, n, inner)} for the reduce family.
"""
from . import kernel_table as KT
from .common import BOOL, X_DTYPES, new_out, typed_scalar
from .loader import Region
from .views import region

F64 = X_DTYPES["f64"][0]


def bind(ctx):
    K = ctx.K
    amax, total = K.fn(KT.X_REDUCE[("f64", "amax")]), K.fn(KT.X_REDUCE[("f64", "sum")])
    exp, log = K.fn(KT.X_UNARY[("f64", "exp")]), K.fn(KT.X_UNARY[("f64", "log")])
    binary = {op: K.fn(KT.X_BINARY[("f64", op)]) for op in ("sub", "div", "add", "mul")}
    eq, where = K.fn(KT.X_COMPARE[("f64", "eq")]), K.fn(KT.WHERE[8])

    def temp(k):
        t, _ = new_out((k,), (1,), 8 * k, F64)
        return region(t, True)

    def ro(r):
        return r._replace(writable=False)

    def sub_region(r, first, k):
        return Region(r.storage, r.offset + 8 * first, 8 * k, r.writable)

    def rows(op, y, a, m, outer, n, inner):
        """y[o, i, j] = a[o, i, j] op m[o, j] (m: one value per row of the reduced axis)."""
        fn = binary[op]
        a, m = a._replace(writable=False), m._replace(writable=False)
        if inner == 1:
            fn(outer, n, a, n, 1, m, 1, 0, y)
            return
        for o in range(outer):
            fn(n, inner, sub_region(a, o * n * inner, n * inner), inner, 1,
               sub_region(m, o * inner, inner), 0, 1, sub_region(y, o * n * inner, n * inner))

    def max_and_shifted(x, y, outer, n, inner):
        """y = x - amax(x) over n."""
        m = temp(outer * inner)
        amax(outer, n, inner, x, m)
        rows("sub", y, x, m, outer, n, inner)

    fused = K.fn(KT.F64_SOFTMAX)

    def softmax(y, x, outer, n, inner):
        if inner == 1:          # rows: one fused kernel (flags 0 softmax, 2 log_softmax)
            fused(outer, n, 0, x, y)
            return
        max_and_shifted(x, y, outer, n, inner)
        k = outer * n * inner
        exp(k, ro(y), y)
        s = temp(outer * inner)
        total(outer, n, inner, ro(y), s)
        rows("div", y, ro(y), ro(s), outer, n, inner)

    def log_softmax(y, x, outer, n, inner):
        if inner == 1:
            fused(outer, n, 2, x, y)
            return
        max_and_shifted(x, y, outer, n, inner)
        k = outer * n * inner
        e = temp(k)
        exp(k, ro(y), e)
        s = temp(outer * inner)
        total(outer, n, inner, ro(e), s)
        log(outer * inner, ro(s), s)
        rows("sub", y, ro(y), ro(s), outer, n, inner)

    def logsumexp(y, x, outer, n, inner):
        """log(sum(exp(x - m))) + m, with an infinite max taken as 0 (torch's rule: rows of
        -inf give -inf, a +inf gives inf)."""
        k, r = outer * n * inner, outer * inner
        m = temp(r)
        amax(outer, n, inner, x, m)
        mr = ro(m)
        finite = temp(r)     # (m - m == 0) as bool bytes, then m where finite else 0
        binary["sub"](1, r, mr, 0, 1, mr, 0, 1, finite)
        flag = region(new_out((r,), (1,), r, BOOL)[0], True)
        zero = region(typed_scalar(0.0, F64))
        eq(1, r, ro(finite), 0, 1, zero, 0, 0, flag)
        where(1, r, ro(flag), 0, 1, mr, 0, 1, zero, 0, 0, m)
        e = temp(k)
        rows("sub", e, x, mr, outer, n, inner)
        exp(k, ro(e), e)
        total(outer, n, inner, ro(e), y)
        log(r, ro(y), y)
        binary["add"](1, r, ro(y), 0, 1, mr, 0, 1, y)

    def scale(y, k, v):
        """y[:k] /= v in place."""
        binary["div"](1, k, ro(y), 0, 1, region(typed_scalar(v, F64)), 0, 0, y)

    def var(y, x, outer, n, inner, correction):
        """sum((x - mean)^2) / max(n - correction, 0) (torch's divisor; 0 gives inf/nan)."""
        k, r = outer * n * inner, outer * inner
        mean = temp(r)
        total(outer, n, inner, x, mean)
        scale(mean, r, float(n))
        d = temp(k)
        rows("sub", d, x, mean, outer, n, inner)
        binary["mul"](1, k, ro(d), 0, 1, ro(d), 0, 1, d)
        total(outer, n, inner, ro(d), y)
        scale(y, r, max(float(n) - correction, 0.0))

    return {"softmax": softmax, "log_softmax": log_softmax, "logsumexp": logsumexp, "var": var}
