"""The pools' vector paths against torch, bit for bit (NaN payloads and signed zeros included):
max_pool1d/2d of float16/bfloat16 on 2-wide stride-2 windows (pairs of columns, rows folded in
registers, a tail of < 8 outputs), wide undilated windows of float32/float16/bfloat16 (adaptive
max pooling's equal windows: three integer reductions, windows whose maximum is a zero or that
hold a NaN rescanned in torch's order); avg_pool1d/2d of float32/float64/int64/halves on 2-wide
stride-2 windows (vectors in torch's summation order; halves widened in registers; int64
quotients truncated toward zero)."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import webtensor as wt
from wt_oracle import assert_same, run_both

_BITS = {"float16": (np.uint16, np.float16, torch.int16, 0x7C00, 16),
         "float32": (np.uint32, np.float32, torch.int32, 0x7F800000, 32)}


def _patterns(dtype, n, seed, mix):
    """Bit patterns: mix 'any' (NaNs of both signs and several payloads, infinities,
    subnormals, signed zeros, ties), 'zeros' (signed zeros and negatives only: maxima 0 or
    -0.0), 'neg' (negatives only: the maximum is the one nearest zero)."""
    ut, _, _, inf, bits = _BITS[dtype]
    rng = np.random.default_rng(seed)
    sign = np.array(1 << (bits - 1), dtype=np.uint64)
    mag = rng.integers(0, inf, n, dtype=np.uint64)           # finite, subnormals included
    if mix == "any":
        mag = np.where(rng.random(n) < 0.3, rng.integers(0, 8, n, dtype=np.uint64) << (bits - 6),
                       mag)                                   # few distinct values: ties
        mag = np.where(rng.random(n) < 0.05, inf + rng.integers(1, 1 << 9, n,
                                                                dtype=np.uint64), mag)   # NaN
        mag = np.where(rng.random(n) < 0.05, inf, mag)
        mag = np.where(rng.random(n) < 0.15, 0, mag)
        s = rng.random(n) < 0.5
    elif mix == "zeros":
        mag = np.where(rng.random(n) < 0.7, 0, mag)
        s = (rng.random(n) < 0.5) | (mag != 0)
    else:
        s = np.ones(n, dtype=bool)
    return (mag | np.where(s, sign, 0)).astype(ut)


def _pair(dtype, shape, seed, mix="any"):
    ut, ft, _, _, _ = _BITS[dtype]
    b = _patterns(dtype, int(np.prod(shape)), seed, mix).reshape(shape)
    signed = b.view(np.int16 if ut is np.uint16 else np.int32).copy()
    return wt.from_numpy(b.view(ft).copy()), torch.from_numpy(signed).view(getattr(torch, dtype))


def _bits_equal(a, t, dtype):
    """Equal bits, NaN for NaN: torch's max_pool2d returns a half NaN quieted (float16) or as
    0x7FC0 (bfloat16), its max_pool1d the input's bits; the kernels, the input's bits."""
    ut, ft, it, _, _ = _BITS[dtype]
    got = a.numpy().view(ut)
    want = t.contiguous().view(it).numpy().view(ut)
    nan = np.isnan(want.view(ft))
    assert (np.isnan(got.view(ft)) == nan).all()
    got, want = got[~nan], want[~nan]
    assert got.shape == want.shape
    bad = np.nonzero(got != want)
    assert not bad[0].size, f"{bad[0].size} elements differ, first at {[i[0] for i in bad]}: " \
                            f"{got[bad][:4]} vs torch {want[bad][:4]}"


MAX_CASES = [  # (shape, kernel, stride, padding, dilation, ceil)
    ((2, 3, 6, 40), 2, 2, 0, 1, False),            # 20 outputs: two vectors and a tail of 4
    ((1, 2, 7, 33), 2, 2, 0, 1, True),             # odd sizes, ceil_mode: the rows kernel
    ((2, 2, 9, 32), (3, 2), (2, 2), (1, 0), 1, False),   # row padding: pairs, clipped rows
    ((1, 3, 10, 48), (2, 2), (2, 2), 0, (2, 1), False),  # row dilation
    ((1, 2, 4, 16), 2, 2, 1, 1, False),            # column padding: the rows kernel
    ((2, 3, 64, 64), 32, 32, 0, 1, False),         # adaptive max's windows, 64x64 -> 2x2
    ((1, 4, 21, 45), (7, 20), (7, 20), 0, 1, True),    # wide with a 4-wide tail, clipped
    ((1, 2, 17, 40), (3, 17), (2, 11), (1, 8), 1, False),  # wide, padded both ways
]


@pytest.mark.parametrize("mix", ["any", "zeros", "neg"])
@pytest.mark.parametrize("dtype", ["float16", "float32"])
@pytest.mark.parametrize("case", MAX_CASES)
def test_max_pool_bits_like_torch(case, dtype, mix):
    shape, k, s, p, d, ceil = case
    x, tx = _pair(dtype, shape, hash((shape, mix)) % 1000, mix)
    _bits_equal(wt.max_pool2d(x, k, s, p, d, ceil), F.max_pool2d(tx, k, s, p, d, ceil), dtype)
    if shape[2] == 64:
        _bits_equal(wt.adaptive_max_pool2d(x, 2), F.adaptive_max_pool2d(tx, 2), dtype)
        v, i = wt.adaptive_max_pool2d(x, (4, 2), True)
        tv, ti = F.adaptive_max_pool2d(tx, (4, 2), True)
        _bits_equal(v, tv, dtype)
        assert i.tolist() == ti.tolist()


@pytest.mark.parametrize("mix", ["any", "zeros"])
def test_max_pool1d_halves_bits_like_torch(mix):
    x, tx = _pair("float16", (3, 5, 70), 3, mix)
    _bits_equal(wt.max_pool1d(x, 2), F.max_pool1d(tx, 2), "float16")


@pytest.mark.parametrize("shape,k,osz", [((2, 3, 6, 40), 2, None), ((2, 3, 64, 64), 32, 2),
                                         ((1, 4, 21, 45), (7, 20), None)])
def test_bfloat16_max_pools_like_torch(shape, k, osz):
    """bfloat16 (through float32 values: no NaN payloads): maxima, NaN and signed zeros."""
    for mix in ("any", "zeros"):
        b = _patterns("float32", int(np.prod(shape)), 5, mix).reshape(shape)
        tx = torch.from_numpy(b.view(np.float32).copy()).to(torch.bfloat16)
        x = wt.tensor(tx.float().reshape(-1).tolist(), dtype=wt.bfloat16).reshape(shape)
        got, want = wt.max_pool2d(x, k), F.max_pool2d(tx, k)
        assert_same(got, want)
        signs = [np.copysign(1, v) for v in got.reshape(-1).tolist()]
        assert signs == [np.copysign(1, v) for v in want.float().reshape(-1).tolist()]
        if osz:
            assert_same(wt.adaptive_max_pool2d(x, osz), F.adaptive_max_pool2d(tx, osz))


AVG_CASES = [  # (shape, kernel, stride, padding, ceil, count_include_pad, divisor_override)
    ((2, 3, 6, 48), 2, 2, 0, False, True, None),      # 24 outputs: every dtype's vectors
    ((1, 2, 9, 32), (3, 2), (2, 2), (1, 0), False, True, None),
    ((1, 2, 9, 34), (3, 2), (2, 2), (1, 0), True, False, None),
    ((1, 2, 4, 33), 2, 2, 0, True, True, 3),
    ((1, 1, 4, 16), 2, 2, 1, False, True, None),
]


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16", "int64"])
@pytest.mark.parametrize("case", AVG_CASES)
def test_avg_pool_pairs_like_torch(case, dtype):
    shape, k, s, p, ceil, cip, div = case
    g = torch.Generator().manual_seed(len(shape) * 7 + shape[-1])
    if dtype == "int64":    # both signs: the quotient truncates toward zero
        tx = torch.randint(-2**59, 2**59, shape, generator=g) * torch.randint(1, 3, shape,
                                                                               generator=g)
    else:
        tx = (torch.randn(shape, generator=g, dtype=torch.float64) * 3).to(getattr(torch, dtype))
        tx.view(-1)[::7] = -0.0
    x = wt.tensor(tx.float().tolist() if dtype == "bfloat16" else tx.tolist(),
                  dtype=getattr(wt, dtype))
    run_both(lambda m, a: m.nn.functional.avg_pool2d(a, k, s, p, ceil, cip, div), [x], [tx])
    if shape[2] == 6:
        run_both(lambda m, a: m.nn.functional.avg_pool1d(a, 2), [x[0]], [tx[0]])


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16", "bool"])
@pytest.mark.parametrize("size,k,s,p,d", [((6, 40), 2, 2, 0, 1),          # blocks tile the image
                                          ((9, 37), (3, 2), 2, (1, 0), 1),  # rows overlap, clipped
                                          ((8, 34), 2, (1, 2), 0, (2, 1)),  # row stride 1, dilated
                                          ((6, 16), 2, 2, (0, 1), 1)])     # column padding
def test_fold_zipped_rows_like_torch(size, k, s, p, d, dtype):
    """F.fold of 2-wide stride-2 blocks: the two column rows zipped into the output row
    (-0.0 terms give 0.0: the image starts from zeros; bool: or)."""
    g = torch.Generator().manual_seed(size[1])
    kk = (k, k) if isinstance(k, int) else k
    blocks = torch.nn.functional.unfold(torch.zeros(1, 1, *size), k, d, p, s).shape[-1]
    shape = (2, 3 * kk[0] * kk[1], blocks)
    if dtype == "bool":
        tx = torch.rand(shape, generator=g) < 0.3
    else:
        tx = torch.randn(shape, generator=g, dtype=torch.float64).to(getattr(torch, dtype))
        tx.view(-1)[::5] = -0.0
    x = wt.tensor(tx.float().tolist() if dtype == "bfloat16" else tx.tolist(),
                  dtype=getattr(wt, dtype))
    tol = {"float16": dict(rtol=2e-3, atol=2e-3), "bfloat16": dict(rtol=2e-2, atol=2e-2)}
    got, want = run_both(lambda m, a: m.nn.functional.fold(a, size, k, d, p, s), [x], [tx],
                         **tol.get(dtype, {}))
    if dtype != "bool":
        assert [np.copysign(1, v) for v in got.reshape(-1).tolist() if v == 0] == \
            [np.copysign(1, v) for v in want.float().reshape(-1).tolist() if v == 0]
