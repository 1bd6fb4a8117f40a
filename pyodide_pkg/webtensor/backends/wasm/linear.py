"""The `linear` primitive on the f32_linear kernel: out = act(x @ w.T + bias) with w [N, K]
read in place (no transposed copy, no packed copy kept), bias and activation applied as the
product is stored. Also matmul's path for a transposed right operand (`x @ W.T`)."""
from ... import _dtype as D
from . import kernel_table as KT
from .views import coalesce, fits_i32, overlaps, region

F32 = D.float32
_ACT = {a: i for i, a in enumerate(KT.LINEAR_ACTS)}


def bind(ks, copier):
    """Bind to loaded kernels; returns the primitive (None if the kernels are absent)."""
    if ks is None:
        return None
    kern = ks.fn(KT.LINEAR_KERNEL)

    def own(t, ro, unit_last):
        """(t, its Region), or a contiguous copy of t when t overlaps the output or its last
        dim must have unit stride and does not; None if impossible."""
        r = region(t)
        if r is not None and not overlaps(r, ro) and \
                not (unit_last and t.shape[-1] > 1 and t._strides[-1] != 1):
            return t, r
        c = type(t)._empty(t.shape, t.dtype)
        return (c, region(c)) if copier.gather(c, t) else None

    def linear(out, x, w, bias, activation):
        if x.dtype is not F32 or w.dtype is not F32 or out.dtype is not F32 or \
                (bias is not None and bias.dtype is not F32) or not out.is_contiguous() or \
                activation not in _ACT:
            return NotImplemented
        n, k = w.shape
        if out.numel() == 0:
            return None
        m = out.numel() // n
        ro = region(out, True)
        # x as [m, k] rows: its leading dims must merge into one strided dim
        lead, (ls,) = coalesce(x.shape[:-1], x._strides[:-1])
        # the dot-product form (m < 4 rows) reads x rows as vectors: a few rows are cheap to
        # copy, the strided fallback would pack all of W
        if len(lead) > 1 or (m < 4 and k > 1 and x._strides[-1] != 1):
            x = copier.contiguous(x)
            if x is None:
                return NotImplemented
            lead, ls = [m], [k]
        xo, wo = own(x, ro, False), own(w, ro, True)
        bo = own(bias, ro, True) if bias is not None else (w, None)
        if xo is None or wo is None or bo is None:
            return NotImplemented
        (x, rx), (w, rw), (bias, rb) = xo, wo, bo
        x_rs = ls[0] if lead else 0
        x_cs = x._strides[-1] if k > 1 else 1
        ldw = w._strides[0] if n > 1 else k
        if not fits_i32(m, n, k, x_rs, x_cs, ldw):
            return NotImplemented
        kern(1, m, n, k, rx, 0, x_rs, x_cs, rw, 0, ldw, rb or rw, 0 if rb is None else 1,
             ro, 0, n, _ACT[activation])
        return None

    def matmul_bt(out, batch, m, n, k, ra, a_bs, a_rs, a_cs, rb, b_bs, ldw):
        """out [batch, m, n] = A @ B with B(l, j) = b[j*ldw + l] (B = W^T, W [n, k])."""
        kern(batch, m, n, k, ra, a_bs, a_rs, a_cs, rb, b_bs, ldw, rb, 0,
             region(out, True), m * n, n, 0)

    return linear, matmul_bt
