"""The one-pass kernels of composite ops against their decompositions (the same ops the
reference backend and autograd run), on the device at hand: pointwise_map (the unweighted
losses, xlogy, trunc/frac and nansum/nanmean's elements, reductions 'none'/'sum'/'mean',
float32/float64 and half through float32),
grid_sample (every mode, padding and align_corners), rowwise_dist (cosine_similarity,
pairwise_distance) and cdist's matrix-multiply form, with nan/inf/0 among the inputs.
Pure Python: this file also runs inside Pyodide."""
import math
import random

import pytest

import webtensor as wt
import webtensor.nn.functional as F
from webtensor import _dispatch
from webtensor.ops import grid_sample as G, loss as L, norm as N

FLOATS = ("float32", "float64", "float16")
TOL = {"float32": 2e-5, "float64": 1e-12, "float16": 4e-3}


def _close(a, b, tol):
    a, b = a.to(wt.float64).reshape(-1).tolist(), b.to(wt.float64).reshape(-1).tolist()
    assert len(a) == len(b)
    for u, v in zip(a, b):
        if math.isnan(v) or math.isinf(v):
            assert (math.isnan(u) and math.isnan(v)) or u == v, (u, v)
        else:
            assert abs(u - v) <= tol * (1 + abs(v)), (u, v)


def _vals(n, seed, lo, hi, special=()):
    rng = random.Random(seed)
    v = [rng.uniform(lo, hi) for _ in range(n)]
    for i, s in enumerate(special):
        v[(3 * i + 1) % n] = s
    return v


def _fused():
    if not all(_dispatch.provides(p) for p in ("pointwise_map", "grid_sample", "rowwise_dist")):
        pytest.skip("the device's first backend has no fused kernels")


_LOSS_INPUTS = {   # kind: (x range, y range, specials of x, specials of y, param)
    "mse": ((-3, 3), (-3, 3), (math.inf, math.nan), (0.0,), 0.0),
    "l1": ((-3, 3), (-3, 3), (math.nan, -0.0), (math.inf,), 0.0),
    "smooth_l1": ((-3, 3), (-3, 3), (math.nan,), (0.0,), 0.3),
    "huber": ((-3, 3), (-3, 3), (math.inf,), (1.0,), 0.7),
    "bce": ((0, 1), (0, 1), (0.0, 1.0), (1.0, 0.0), 0.0),
    "bce_logits": ((-30, 30), (0, 1), (math.inf, -math.inf, 0.0), (0.5,), 0.0),
    "kl_div": ((-3, 3), (0, 2), (1.0,), (0.0, math.nan, -1.0), 0.0),
    "kl_div_log": ((-3, 3), (-3, 3), (math.inf,), (-math.inf, 0.0), 0.0),
    "xlogy": ((-3, 3), (0, 3), (0.0, 0.0, 0.0, math.nan), (0.0, math.nan, math.inf, -1.0), 0.0),
    "nan_to_zero": ((-3, 3), (-3, 3), (math.nan, math.inf, math.nan), (), 0.0),
    "not_nan": ((-3, 3), (-3, 3), (math.nan, -math.inf, math.nan), (), 0.0),
    "trunc": ((-3, 3), (-3, 3), (math.nan, -math.inf, -0.25, 2.0), (), 0.0),
    "frac": ((-3, 3), (-3, 3), (math.nan, math.inf, -0.25, -2.0), (), 0.0),
}


@pytest.mark.parametrize("kind", sorted(_LOSS_INPUTS))
@pytest.mark.parametrize("dtype", FLOATS)
def test_pointwise_map_matches_its_decomposition(kind, dtype):
    _fused()
    (xl, xh), (yl, yh), sx, sy, p = _LOSS_INPUTS[kind]
    for n in (1, 7, 37):        # scalar tails, 4- and 8-wide bodies
        dt = getattr(wt, dtype)
        x = wt.tensor(_vals(n, n, xl, xh, sx[:n // 3 + 1]), dtype=dt)
        y = wt.tensor(_vals(n, n + 1, yl, yh, sy[:n // 3 + 1]), dtype=dt)
        for red in ("none", "sum", "mean"):
            if kind in ("nan_to_zero", "not_nan", "trunc", "frac"):
                y = x
            got = L.pointwise_map(x, y, kind, p, red)
            want = L.pointwise_map_decomposed(x, y, kind, p, red)
            assert got.dtype is dt and got.shape == want.shape
            _close(got, want, TOL[dtype] * (n if red == "sum" else 1))


def test_nansum_nanmean_whole_and_along_dims():
    _fused()
    for dt in (wt.float32, wt.float64):
        x = wt.tensor(_vals(6 * 37, 9, -3, 3, (math.nan,) * 20), dtype=dt).reshape(6, 37)
        x[5] = math.nan
        for kw in ({}, {"dim": 1}, {"dim": 0, "keepdim": True}):
            clean = L.pointwise_map_decomposed(x, x, "nan_to_zero", 0.0, "none")
            count = L.pointwise_map_decomposed(x, x, "not_nan", 0.0, "none")
            _close(wt.nansum(x, **kw), clean.sum(**kw), 1e-6)
            _close(wt.nanmean(x, **kw), clean.sum(**kw) / count.sum(**kw), 1e-6)


def test_bce_range_errors_name_the_operand():
    _fused()
    for dt in (wt.float32, wt.float64):
        for x, y, what in (([0.5, math.nan], [0.5, 0.5], "input"),
                           ([0.5, 1.5], [0.5, 0.5], "input"),
                           ([0.5, 0.5], [0.5, -0.25], "target")):
            with pytest.raises(RuntimeError, match=f"all elements of {what} should be"):
                F.binary_cross_entropy(wt.tensor(x, dtype=dt), wt.tensor(y, dtype=dt))


@pytest.mark.parametrize("dtype", FLOATS)
def test_grid_sample_matches_its_decomposition(dtype):
    _fused()
    dt = getattr(wt, dtype)
    x = wt.tensor(_vals(2 * 3 * 5 * 6, 1, -2, 2, (math.inf,)), dtype=dt).reshape(2, 3, 5, 6)
    g = wt.tensor(_vals(2 * 4 * 3 * 2, 2, -1.4, 1.4, (-1.0, 1.0, 0.0, 1.25)),
                  dtype=dt).reshape(2, 4, 3, 2)
    for mode in ("bilinear", "nearest"):
        for pad in ("zeros", "border", "reflection"):
            for align in (False, True):
                got = F.grid_sample(x, g, mode, pad, align)
                want = G.decomposed(x, g, mode, pad, align)
                _close(got, want, TOL[dtype] * 10)


@pytest.mark.parametrize("dtype", FLOATS)
def test_rowwise_distances_match_their_decompositions(dtype):
    _fused()
    dt = getattr(wt, dtype)
    a = wt.tensor(_vals(4 * 3 * 9, 3, -2, 2), dtype=dt).reshape(4, 3, 9)
    b = wt.tensor(_vals(4 * 3 * 9, 4, -2, 2), dtype=dt).reshape(4, 3, 9)
    a[0, 0] = 0
    for dim in (0, 1, 2, -1):
        _close(wt.cosine_similarity(a, b, dim=dim),
               N.cosine_similarity_decomposed(a, b, dim, 1e-8), TOL[dtype] * 4)
    for p in (0, 1, 2, math.inf, -math.inf, 3):
        for keep in (False, True):
            _close(F.pairwise_distance(a, b, p=p, keepdim=keep),
                   N.pairwise_distance_decomposed(a, b, 2, 1e-6, p, keep), TOL[dtype] * 10)


def test_cdist_matrix_form_matches_the_direct_one():
    x = wt.tensor(_vals(2 * 30 * 5, 5, -2, 2), dtype=wt.float64).reshape(2, 30, 5)
    y = wt.tensor(_vals(7 * 5, 6, -2, 2), dtype=wt.float64).reshape(7, 5)
    mm = wt.cdist(x, y)                 # > 25 rows: torch's matrix-multiply form
    direct = wt.cdist(x, y, compute_mode="donot_use_mm_for_euclid_dist")
    _close(mm, direct, 1e-9)
    _close(wt.cdist(x[:, :4], y, compute_mode="use_mm_for_euclid_dist"), direct[:, :4], 1e-9)
    with pytest.raises(ValueError, match="is not a valid value for compute_mode"):
        wt.cdist(x, y, compute_mode="fast")
