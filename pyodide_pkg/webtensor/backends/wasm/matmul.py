"""Matmul family: the matmul and linear primitives and their shortcuts, on three kernels --
GEMM (f32_gemm_4x8), GEMV (M == 1) and LINEAR (f32_linear_4x8: y = act(x @ W^T + bias) with
W [n, k] read in place, which also serves matmul's `x @ W.T`). float64, int64 and int32 run
on the xN-gemm kernels (X_GEMM: one GEMM for every M; linear is that GEMM with W^T copied,
then the bias added by the binary add kernel; no fused activation); int16/int8/uint8 through
int32 (widen.py), except one-column products (dot, mv) of float32, int16/int8/uint8 and of
float16/bfloat16 into float32, summed straight from the dtype (dot_rows: the GEMM/GEMV
kernels vectorise along B's columns, one lane for one column).

  plan_matmul(batch, m, n, k, a_bs, a_rs, a_cs, b_bs, b_rs, b_cs, linear)
      -> (kind, copy_a, copy_b, ldb): kind GEMM / GEMV / LINEAR; copy_a / copy_b: that operand
      must be made contiguous first (then plan again); ldb the kernel's B (or W) row stride.
      a_bs / a_rs None: A's leading dims do not merge into one stride; b_bs None: B's batch
      dims do not. linear=True: the linear op (W^T as B, bias and activation: always LINEAR).
The primitives (out preallocated) copy what the plan asks for; the shortcuts (fresh output)
decline instead.
"""
from ... import _dtype as D
from ..._storage import _guards
from ..._tensor import _LAYOUTS, Tensor, _layout
from . import kernel_table as KT
from .common import F32, X_DTYPES, new_out
from .loader import Region
from .views import coalesce, fits_i32, overlaps, region
from .widen import SMALL_INT, widened

GEMM, GEMV, LINEAR = 0, 1, 2
_ACT = {a: i for i, a in enumerate(KT.LINEAR_ACTS)}


def plan_matmul(batch, m, n, k, a_bs, a_rs, a_cs, b_bs, b_rs, b_cs, linear=False):
    bt = linear or (n > 1 and k > 1 and b_rs == 1 and b_bs is not None)
    # the linear kernel's dot-product form (m < 4) reads A rows as vectors: a few rows are
    # cheap to copy, its strided fallback would pack all of W
    copy_a = a_bs is None or a_rs is None or (bt and m < 4 and k > 1 and a_cs != 1)
    if bt:
        copy_b = b_bs is None or (k > 1 and b_rs != 1)      # W needs unit-stride rows
        return LINEAR, copy_a, copy_b, (b_cs if n > 1 else k)
    copy_b = b_bs is None or (n > 1 and b_cs != 1)          # B needs contiguous rows
    return (GEMV if m == 1 else GEMM), copy_a, copy_b, (b_rs if k > 1 else n)


def _batch_stride(t):
    """The single element stride of t's (flattened) batch dims, or None."""
    bshape, (bstr,) = coalesce(t.shape[:-2], t._strides[:-2])
    if not bshape:
        return 0
    if len(bshape) == 1:
        return bstr[0]
    if all(s == 0 for s in bstr):
        return 0
    return None


_X_DTYPES = {D.float64: "f64", D.int64: "i64", D.int32: "i32"}


def bind(ctx):
    K = ctx.K
    gemm, gemv, lin = K.fn(KT.GEMM), K.fn(KT.GEMV), K.fn(KT.LINEAR)
    x_gemm = {dt: K.fn(KT.X_GEMM[s]) for dt, s in _X_DTYPES.items()}
    x_add = {dt: K.fn(KT.X_BINARY[(s, "add")]) for dt, s in _X_DTYPES.items()}

    def xmatmul(out, a, b):
        """float64 / int64 / int32: A with any strides, B with unit column stride."""
        fn = x_gemm[out.dtype]
        m, k = a.shape[-2:]
        n = b.shape[-1]
        batch = out.numel() // (m * n)
        if _batch_stride(a) is None:
            a = ctx.contiguous(a)
        if (_batch_stride(b) is None or (n > 1 and b._strides[-1] != 1)):
            b = ctx.contiguous(b)
        if a is None or b is None:
            return NotImplemented
        a_bs, b_bs = (_batch_stride(a), _batch_stride(b)) if batch > 1 else (0, 0)
        a_rs, a_cs = a._strides[-2:]
        ldb = b._strides[-2] if k > 1 else n
        ra, rb = region(a), region(b)
        if ra is None or rb is None or not fits_i32(batch, m, n, k, a_bs, a_rs, a_cs, b_bs, ldb):
            return NotImplemented
        fn(batch, m, n, k, ra, a_bs, a_rs, a_cs, rb, b_bs, ldb, region(out, True), m * n, n)
        return None

    def matmul(out, a, b):
        if out.dtype in x_gemm and a.dtype is out.dtype and b.dtype is out.dtype and \
                out.is_contiguous():
            return xmatmul(out, a, b) if out.numel() else None
        if a.dtype is not F32 or b.dtype is not F32 or out.dtype is not F32 or \
                not out.is_contiguous():
            return NotImplemented
        if out.numel() == 0:
            return None
        m, k = a.shape[-2:]
        n = b.shape[-1]
        batch = out.numel() // (m * n)
        for again in (False, True):     # plan, copy what it asks for, plan once more
            a_bs, b_bs = _batch_stride(a), _batch_stride(b)
            (a_rs, a_cs), (b_rs, b_cs) = a._strides[-2:], b._strides[-2:]
            kind, copy_a, copy_b, ldb = plan_matmul(batch, m, n, k, a_bs, a_rs, a_cs,
                                                    b_bs, b_rs, b_cs)
            if again or not (copy_a or copy_b):
                break
            a = ctx.contiguous(a) if copy_a else a
            b = ctx.contiguous(b) if copy_b else b
            if a is None or b is None:
                return NotImplemented
        if batch == 1:
            a_bs = b_bs = 0
        ra, rb = region(a), region(b)
        if ra is None or rb is None or not fits_i32(batch, m, n, k, a_bs, a_rs, a_cs, b_bs, ldb):
            return NotImplemented
        ro = region(out, True)
        if kind == LINEAR:
            lin(batch, m, n, k, ra, a_bs, a_rs, a_cs, rb, b_bs, ldb, rb, 0, ro, m * n, n, 0)
        elif kind == GEMV:
            gemv(batch, n, k, ra, a_bs, a_cs, rb, b_bs, ldb, ro, n)
        else:
            gemm(batch, m, n, k, ra, a_bs, a_rs, a_cs, rb, b_bs, ldb, ro, m * n, n)
        return None

    def own(t, ro):
        """t itself, or a contiguous copy when t overlaps the output; None if impossible."""
        r = region(t)
        if r is not None and not overlaps(r, ro):
            return t
        c = type(t)._empty(t.shape, t.dtype)
        return c if ctx.copier.gather(c, t) else None

    def xlinear(out, x, w, bias):
        """out = x @ w.T (+ bias) for float64 / int64 / int32: the GEMM, then one add."""
        n, k = w.shape
        m = out.numel() // n
        o = out.view(m, n)
        if xmatmul(o, x.reshape(m, k), w.t()) is NotImplemented:
            return NotImplemented
        if bias is not None:
            bias = ctx.contiguous(bias)
            if bias is None or not fits_i32(m, n):
                raise RuntimeError("linear: the bias could not be added on the kernels")
            ro = region(o, True)
            x_add[out.dtype](m, n, ro._replace(writable=False), n, 1, region(bias), 0, 1, ro)
        return None

    def linear(out, x, w, bias, activation):
        if out.dtype in x_gemm and activation is None and out.is_contiguous() and \
                x.dtype is out.dtype and w.dtype is out.dtype and \
                (bias is None or bias.dtype is out.dtype):
            return xlinear(out, x, w, bias) if out.numel() else None
        if x.dtype is not F32 or w.dtype is not F32 or out.dtype is not F32 or \
                (bias is not None and bias.dtype is not F32) or not out.is_contiguous() or \
                activation not in _ACT:
            return NotImplemented
        n, k = w.shape
        if out.numel() == 0:
            return None
        m = out.numel() // n
        ro = region(out, True)
        for again in (False, True):
            lead, (ls,) = coalesce(x.shape[:-1], x._strides[:-1])   # x as [m, k] rows
            x_rs = None if len(lead) > 1 else ls[0] if lead else 0
            x_cs = x._strides[-1] if k > 1 else 1
            kind, copy_x, copy_w, ldw = plan_matmul(1, m, n, k, 0, x_rs, x_cs,
                                                    0, w._strides[-1], w._strides[0], True)
            if again or not (copy_x or copy_w):
                break
            x = ctx.contiguous(x) if copy_x else x
            w = ctx.contiguous(w) if copy_w else w
            if x is None or w is None:
                return NotImplemented
        x, w = own(x, ro), own(w, ro)
        if bias is not None:
            bias = ctx.contiguous(bias)
            if bias is not None:
                bias = own(bias, ro)
            if bias is None:
                return NotImplemented
        if x is None or w is None:
            return NotImplemented
        rx, rw = region(x), region(w)
        if x_rs is None or not fits_i32(m, n, k, x_rs, x_cs, ldw):   # x_rs None: k == 0
            return NotImplemented
        rb = region(bias) if bias is not None else rw
        lin(1, m, n, k, rx, 0, x_rs, x_cs, rw, 0, ldw, rb, 0 if bias is None else 1,
            ro, 0, n, _ACT[activation])
        return None

    # int16/int8/uint8 on the int32 kernels (widen.py: torch's wrap-around, exactly)
    return {"matmul": dot_rows(ctx, widened(ctx, matmul, SMALL_INT)),
            "linear": widened(ctx, linear, SMALL_INT)}, \
        {"matmul": matmul_shortcut(gemm, gemv, lin), "linear": linear_shortcut(lin)}


def dot_rows(ctx, prim):
    """matmul `prim` that first takes a @ b with b one column [k, 1] (dot, mv) of int16/int8/uint8
    (out in the dtype, wrapping like torch) or float16/bfloat16 (out float32, torch's opmath):
    one pass over the rows of a (DOT_ROWS kernels)."""
    fns = {X_DTYPES[s][0]: ctx.K.fn(name) for s, name in KT.DOT_ROWS.items()}

    def mm(out, a, b):
        fn = fns.get(a.dtype)
        if fn is None or b.dtype is not a.dtype or a.dim() != 2 or b.shape[-1] != 1 or \
                b.dim() != 2 or out.dtype is not (F32 if a.dtype.category == 2 else a.dtype) or \
                not out.is_contiguous():
            return prim(out, a, b)
        a = a if a.is_contiguous() else ctx.contiguous(a)
        b = b if b.is_contiguous() else ctx.contiguous(b)
        m, k = a.shape
        if a is None or b is None or not fits_i32(m, k):
            return NotImplemented
        if m:
            fn(m, k, region(a), region(b), region(out, True))
        return None
    return mm


def _rows(t):
    """(layout, storage) of a float32 CPU tensor that is row-major with >= 1 dim, else None.
    A Parameter is fine (nn.Linear's weight)."""
    if not isinstance(t, Tensor) or t.dtype is not F32:
        return None
    shape = t.shape
    if not shape:
        return None
    lay = _LAYOUTS.get(shape) or _layout(shape)
    return lay if t._strides == lay[1] else None


def matmul_shortcut(gemm, gemv, lin, plan=plan_matmul):
    """a @ b: a row-major [*, m, k] float32, b a 2-D float32 [k, n] that is row-major
    (GEMM / GEMV) or the transpose of a row-major [n, k] (`x @ W.T`: LINEAR)."""
    raws = (getattr(gemm, "raw", None), getattr(gemv, "raw", None), getattr(lin, "raw", None))

    def shortcut(a, b):
        if b.__class__ is not Tensor or len(b.shape) != 2 or b.dtype is not F32:
            return None
        la = _rows(a)
        if la is None or len(la[0]) < 2:
            return None
        k, n = b.shape
        bst = b._strides
        if n == 1 or not (bst == (n, 1) or bst == (1, k)):  # one column: DOT_ROWS (dot_rows)
            return None                                     # row-major, or W.T
            return None
        if la[0][-1] != k or not (k and n and la[2]):
            return None
        m = la[2] // k
        kind, copy_a, copy_b, ldb = plan(1, m, n, k, 0, k, 1, 0, bst[0], bst[1])
        if copy_a or copy_b:
            return None
        shape = la[0][:-1] + (n,)
        olay = _LAYOUTS.get(shape) or _layout(shape)
        out, so = new_out(olay[0], olay[1], m * n << 2, F32)
        sa, sb = a._storage, b._storage
        raw = raws[kind]
        if raw is not None and not _guards[0] and not (sa.base or sb.base) and \
                sa._addr is not None and sb._addr is not None:
            pa, pb, po = sa._addr + (a._offset << 2), sb._addr + (b._offset << 2), so._addr
            if kind == LINEAR:
                raw(1, m, n, k, pa, 0, k, 1, pb, 0, ldb, pb, 0, po, 0, n, 0)
            elif kind == GEMV:
                raw(1, n, k, pa, 0, 1, pb, 0, ldb, po, 0)
            else:
                raw(1, m, n, k, pa, 0, k, 1, pb, 0, ldb, po, 0, n)
        else:
            ra = Region(sa, a._offset << 2, la[2] << 2, False)
            rb = Region(sb, b._offset << 2, k * n << 2, False)
            ro = Region(so, 0, m * n << 2, True)
            if kind == LINEAR:
                lin(1, m, n, k, ra, 0, k, 1, rb, 0, ldb, rb, 0, ro, 0, n, 0)
            elif kind == GEMV:
                gemv(1, n, k, ra, 0, 1, rb, 0, ldb, ro, 0)
            else:
                gemm(1, m, n, k, ra, 0, k, 1, rb, 0, ldb, ro, 0, n)
        return out
    return shortcut


def linear_shortcut(lin, plan=plan_matmul):
    """linear(x, W, bias): x row-major float32 [*, k], W a row-major float32 [n, k] (a
    Parameter is fine), bias None or a row-major float32 [n]; no activation."""
    raw = getattr(lin, "raw", None)

    def shortcut(x, w, bias=None):
        # _rows inlined for the three operands: this is every nn.Linear call
        if not (isinstance(x, Tensor) and isinstance(w, Tensor)) or x.dtype is not F32 or \
                w.dtype is not F32:
            return None
        ws, xs = w.shape, x.shape
        if len(ws) != 2 or not xs:
            return None
        n, k = ws
        lx = _LAYOUTS.get(xs) or _layout(xs)
        if xs[-1] != k or not (k and n and lx[2]) or x._strides != lx[1] or \
                w._strides != (k, 1):
            return None
        if bias is not None:
            if not isinstance(bias, Tensor) or bias.dtype is not F32 or bias.shape != (n,) or \
                    bias._strides != (1,):
                return None
        m = lx[2] // k
        _, copy_x, copy_w, ldw = plan(1, m, n, k, 0, k, 1, 0, 1, k, True)
        if copy_x or copy_w:
            return None
        shape = lx[0][:-1] + (n,)
        olay = _LAYOUTS.get(shape) or _layout(shape)
        out, so = new_out(olay[0], olay[1], m * n << 2, F32)
        sx, sw = x._storage, w._storage
        sb = sw if bias is None else bias._storage
        if raw is not None and not _guards[0] and not (sx.base or sw.base or sb.base) and \
                sx._addr is not None and sw._addr is not None and sb._addr is not None:
            pw = sw._addr + (w._offset << 2)
            pb = pw if bias is None else sb._addr + (bias._offset << 2)
            raw(1, m, n, k, sx._addr + (x._offset << 2), 0, k, 1, pw, 0, ldw,
                pb, 0 if bias is None else 1, so._addr, 0, n, 0)
        else:
            rw = Region(sw, w._offset << 2, n * k << 2, False)
            rb = rw if bias is None else Region(sb, bias._offset << 2, n << 2, False)
            lin(1, m, n, k, Region(sx, x._offset << 2, lx[2] << 2, False), 0, k, 1, rw, 0,
                ldw, rb, 0 if bias is None else 1, Region(so, 0, m * n << 2, True), 0, n, 0)
        return out
    return shortcut
