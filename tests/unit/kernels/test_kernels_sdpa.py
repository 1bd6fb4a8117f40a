"""wasm_kernels/f32-sdpa (f32_sdpa) called directly, both ISA builds, against a float64 numpy
attention: edge shapes (L, S, E, Ev of 0, 1, primes, not multiples of 4; S across several
128-key blocks), strided / broadcast heads, grouped-query heads, causal with L != S, additive
masks with fully masked rows, NaN/Inf scores."""
import numpy as np
import pytest

from conftest_kernels import EPS, backend, call, ks, same_bits_or_nan  # noqa: F401

BK = 128   # WT_SDPA_BK


def ref_attention(q, k, v, mask, causal, scale):
    B, H, L, E = q.shape
    S = k.shape[2]
    gk, gv = H // k.shape[1], H // v.shape[1]
    k = np.repeat(k.astype(np.float64), gk, axis=1)
    v = np.repeat(v.astype(np.float64), gv, axis=1)
    s = np.einsum("bhle,bhse->bhls", q.astype(np.float64), k) * scale
    if mask is not None:
        s = s + mask
    if causal:
        s = np.where(np.tril(np.ones((L, S), bool)), s, -np.inf)
    with np.errstate(invalid="ignore"):
        m = s.max(-1, keepdims=True) if S else np.zeros(s.shape[:-1] + (1,))
        dead = np.all(s == -np.inf, -1, keepdims=True)
        p = np.exp(s - np.where(dead, 0, m))
        p = p / np.where(dead, 1, p.sum(-1, keepdims=True))
    return np.einsum("bhls,bhsd->bhld", p, v), p


def run(ks, q, k, v, mask=None, causal=False, scale=None, qs=None):
    """q, k, v contiguous [B, H*, L|S, E]; strides passed as the kernel's (bs, hs, rs)."""
    B, H, L, E = q.shape
    S, Ev = k.shape[2], v.shape[3]
    scale = 1 / np.sqrt(E) if scale is None and E else (scale or 0.0)

    def st(a):
        return tuple(int(s // 4) for s in a.strides[:3])
    flags = int(causal) | (2 if mask is not None else 0)
    m = mask if mask is not None else np.zeros(1, np.float32)
    mst = st(mask) if mask is not None else (0, 0, 0)
    y0 = np.full((B, H, L, Ev), 9.0, np.float32)
    (y,) = call(ks, "f32_sdpa", B, H, k.shape[1], v.shape[1], L, S, E, Ev, flags, scale,
                q, *st(q), k, *st(k), v, *st(v), m, *mst, y0)
    return y, scale


def check(y, q, k, v, mask, causal, scale, what):
    ref, p = ref_attention(q, k, v, mask, causal, scale)
    S = k.shape[2]
    E = q.shape[3]
    # score error E eps |q||k| scale moves p by that much relatively; the sums add S/BK eps
    sc = np.abs(q).max() * np.abs(k).max() * E * abs(scale) if q.size and k.size else 0
    tol = (4 * sc * EPS + (S / BK + 10) * EPS) * np.abs(v).max(initial=0) * 4 + 1e-30
    err = np.abs(y - ref)
    assert np.all((err <= tol) | (np.isnan(y) & np.isnan(ref))), \
        (what, float(np.nanmax(err)) if err.size else 0, tol)


DIMS = ((1, 1, 1, 1), (3, 5, 7, 2), (4, 64, 8, 8), (5, 65, 13, 3), (2, 130, 4, 9),
        (7, 3, 1, 5), (1, 257, 16, 16), (0, 5, 4, 4), (3, 0, 4, 4), (2, 3, 0, 3),
        (2, 3, 4, 0), (9, 200, 64, 64),
        # sgemm form: several query groups of 64; K^T packed per key block (S * E past the
        # panel); E past the panel's limit (one-row form)
        (70, 75, 8, 8), (6, 1100, 20, 9), (5, 10, 260, 3), (5, 0, 4, 4), (6, 7, 0, 3))


@pytest.mark.parametrize("dims", DIMS, ids=lambda d: "x".join(map(str, d)))
def test_shapes_plain_and_causal(ks, dims):
    L, S, E, Ev = dims
    rng = np.random.default_rng(L * 1000 + S)
    q = rng.standard_normal((2, 3, L, E)).astype(np.float32)
    k = rng.standard_normal((2, 3, S, E)).astype(np.float32)
    v = rng.standard_normal((2, 3, S, Ev)).astype(np.float32)
    for causal in (False, True):
        y, scale = run(ks, q, k, v, causal=causal)
        check(y, q, k, v, None, causal, scale, (dims, causal))


@pytest.mark.parametrize("gk,gv", [(1, 1), (2, 1), (4, 2), (1, 4)])
def test_grouped_heads(ks, gk, gv):
    rng = np.random.default_rng(gk * 10 + gv)
    H, L, S, E = 4, 6, 70, 12
    q = rng.standard_normal((2, H, L, E)).astype(np.float32)
    k = rng.standard_normal((2, H // gk, S, E)).astype(np.float32)
    v = rng.standard_normal((2, H // gv, S, 5)).astype(np.float32)
    y, scale = run(ks, q, k, v, scale=0.3)
    check(y, q, k, v, None, False, 0.3, (gk, gv))


def test_mask_with_fully_masked_rows_and_specials(ks):
    rng = np.random.default_rng(5)
    L, S = 5, 131
    q = rng.standard_normal((1, 2, L, 6)).astype(np.float32)
    k = rng.standard_normal((1, 2, S, 6)).astype(np.float32)
    v = rng.standard_normal((1, 2, S, 7)).astype(np.float32)
    mask = rng.standard_normal((1, 2, L, S)).astype(np.float32)
    mask[0, 0, 1] = -np.inf                       # fully masked -> zeros
    mask[0, 1, 2, :100] = -np.inf                 # masked up to the last block
    mask[0, 1, 3, 70] = np.nan                    # nan -> nan row
    mask[0, 1, 4, 3] = np.inf                     # +inf -> nan row (inf - inf)
    y, scale = run(ks, q, k, v, mask=mask)
    check(y, q, k, v, mask, False, scale, "mask")
    assert np.all(y[0, 0, 1] == 0)
    assert np.isnan(y[0, 1, 3]).all() and np.isnan(y[0, 1, 4]).all()


def test_strided_and_broadcast_views(ks):
    """Head stride 0 (one key head for all), row stride > E (a slice of a wider buffer)."""
    rng = np.random.default_rng(6)
    wide = rng.standard_normal((2, 1, 40, 20)).astype(np.float32)
    q = rng.standard_normal((2, 3, 9, 7)).astype(np.float32)
    k = wide[..., :7]                       # row stride 20
    v = wide[..., 8:13]
    B, H, L, E = q.shape
    S, Ev = 40, 5
    scale = 0.5
    y0 = np.zeros((B, H, L, Ev), np.float32)
    (y,) = call(ks, "f32_sdpa", B, H, 1, 1, L, S, E, Ev, 0, scale,
                q, 3 * 9 * 7, 9 * 7, 7, wide, 40 * 20, 0, 20, wide[..., 8:].copy(), 40 * 12,
                0, 12, np.zeros(1, np.float32), 0, 0, 0, y0)
    check(y, q, np.ascontiguousarray(k), np.ascontiguousarray(v), None, False, scale,
          "strided")


@pytest.mark.parametrize("L", [3, 6])
def test_long_sequence_is_streamed(ks, L):
    """S much larger than a key block, large logits: the online rescaling must keep
    exp() in range (a naive exp(s) would overflow); one-row and sgemm forms."""
    rng = np.random.default_rng(7)
    S, E = 4099, 16
    q = (rng.standard_normal((1, 1, L, E)) * 8).astype(np.float32)
    k = (rng.standard_normal((1, 1, S, E)) * 8).astype(np.float32)
    v = rng.standard_normal((1, 1, S, 4)).astype(np.float32)
    y, scale = run(ks, q, k, v)
    ref, _ = ref_attention(q, k, v, None, False, scale)
    assert np.all(np.isfinite(y))
    assert np.max(np.abs(y - ref)) < 2e-3


@pytest.mark.parametrize("S", [1, 2, 5, 67])
def test_mask_with_the_largest_score_in_the_block_tail(ks, S):
    """Scores past the last full 4-key group (S % 4) take part in the block max."""
    rng = np.random.default_rng(S)
    q = rng.standard_normal((1, 1, 2, 4)).astype(np.float32)
    k = rng.standard_normal((1, 1, S, 4)).astype(np.float32)
    v = rng.standard_normal((1, 1, S, 3)).astype(np.float32)
    mask = np.zeros((1, 1, 2, S), np.float32)
    mask[..., -1] = 80.0          # exp(80) overflows f32 unless the max includes it
    y, scale = run(ks, q, k, v, mask=mask)
    check(y, q, k, v, mask, False, scale, S)


@pytest.mark.parametrize("causal", [False, True])
def test_row_groups_match_rows_alone(ks, causal):
    """From L = 4 on, query rows go four at a time through the sgemm form; each row must give
    the same bits whichever group it lands in (the rows permuted), match the row computed
    alone (one-row form) within the bound, across key-block boundaries, with a mask that fully
    masks some rows of a group, and (causal) nan / inf values in keys and values no row may
    see."""
    rng = np.random.default_rng(11 + causal)
    L, S, E, Ev = 11, 70, 5, 7
    q = rng.standard_normal((1, 2, L, E)).astype(np.float32)
    k = rng.standard_normal((1, 2, S, E)).astype(np.float32)
    v = rng.standard_normal((1, 2, S, Ev)).astype(np.float32)
    mask = rng.standard_normal((1, 2, L, S)).astype(np.float32)
    mask[0, 0, 1] = -np.inf
    mask[0, 1, 5, :66] = -np.inf
    if causal:
        k[:, :, L:] = np.nan
        v[:, :, L:] = np.inf
    perm = rng.permutation(L)
    c = np.ascontiguousarray
    for m in (None, mask):
        y, scale = run(ks, q, k, v, mask=m, causal=causal)
        check(y, q, k[:, :, :L] if causal else k, v[:, :, :L] if causal else v,
              None if m is None else (m[..., :L] if causal else m), causal, scale, "groups")
        for i in range(L):
            # row i alone: a one-row query whose causal limit is i + 1 keys
            n = i + 1 if causal else S
            mi = None if m is None else c(m[:, :, i:i + 1, :n])
            yi, _ = run(ks, c(q[:, :, i:i + 1]), c(k[:, :, :n]), c(v[:, :, :n]), mask=mi,
                        scale=scale)
            check(y[:, :, i:i + 1], c(q[:, :, i:i + 1]), c(k[:, :, :n]), c(v[:, :, :n]), mi,
                  False, scale, ("alone", i))
        # the same rows in another order (other groups): causal as an explicit mask
        full = np.zeros((1, 2, L, S), np.float32) if m is None else m.copy()
        if causal:
            full[..., np.triu(np.ones((L, S), bool), 1)] = -np.inf
            full = full[..., :L]
        kk, vv = (c(k[:, :, :L]), c(v[:, :, :L])) if causal else (k, v)
        yp, _ = run(ks, c(q[:, :, perm]), kk, vv, mask=c(full[:, :, perm]), scale=scale)
        assert same_bits_or_nan(y[:, :, perm], yp).all(), m is None
