"""max_pool1d/max_pool2d on the xN-pool kernels (float32/64, float16, bfloat16 and the integers, as
they are), with and without indices, under guard bytes, equal to the reference backend (NaN
wins, -0.0/0.0 ties keep the first, windows clipped by padding/ceil_mode/dilation).
tests/unit/kernels/test_pool_dtypes_torch.py checks the same kernels against torch on CPython
(integer max_pool1d exists only with indices, as torch's). Stdlib only."""
import math

import pytest

import webtensor
from webtensor.backends.wasm.coverage import FellBack
from wtcheck import guard_bytes, using_backend

VALUES = {"float64": [-0.0, 0.0, 1.5, -2.0, math.nan, math.inf, -math.inf, 3.0, -1e300, 0.0, 7.0],
          "float32": [-0.0, 0.0, 1.5, -2.0, math.nan, math.inf, -math.inf, 3.0, -1e30, 0.0, 7.0],
          "float16": [-0.0, 0.0, 1.5, -2.0, math.nan, math.inf, -math.inf, 3.0, -65504.0, 0.0],
          "bfloat16": [-0.0, 0.0, 1.5, -2.0, math.nan, math.inf, -math.inf, 3.0, -1e30, 0.0],
          "int64": [-2**63, 2**63 - 1, -1, 0, 5, -2**63, 3],
          "int32": [-2**31, 2**31 - 1, -1, 0, 5, -2**31, 3],
          "int16": [-32768, 32767, -1, 0, 5, -32768, 3],
          "int8": [-128, 127, -1, 0, 5, -128, 3],
          "uint8": [0, 255, 1, 0, 5, 128, 3]}
# (kernel, stride, padding, dilation, ceil_mode)
GEOMS = [((2, 2), (2, 2), (0, 0), (1, 1), False), ((3, 3), (2, 2), (1, 1), (1, 1), True),
         ((2, 3), (1, 2), (1, 0), (2, 1), False), ((3, 2), (3, 1), (0, 1), (1, 3), True)]


def run(dt, geom, indices, one_d):
    k, s, p, d, ceil = geom
    vals = VALUES[dt]
    n = 2 * 5 * 13
    x = webtensor.tensor([vals[(i * 7 + i // 11) % len(vals)] for i in range(n)],
                         dtype=getattr(webtensor, dt))
    f = webtensor.nn.functional
    if one_d:
        r = f.max_pool1d(x.reshape(2, 5, 13), k[1], s[1], p[1], d[1], ceil,
                         return_indices=indices)
    else:
        r = f.max_pool2d(x.reshape(2, 1, 5, 13), k, s, p, d, ceil, return_indices=indices)
    ts = r if isinstance(r, tuple) else (r,)
    return [[("nan" if v != v else (v, math.copysign(1.0, v)) if isinstance(v, float) else v)
             for v in t.reshape(-1).tolist()] for t in ts]


@pytest.mark.parametrize("dt", sorted(VALUES))
def test_max_pool_on_kernels_matches_reference(dt):
    for one_d in (False, True):
        for geom in GEOMS:
            for indices in (False, True) if "float" in dt or not one_d else (True,):
                with using_backend("wasm"), guard_bytes():
                    with FellBack() as fb:
                        got = run(dt, geom, indices, one_d)
                assert not fb.used, f"ran on the reference backend: {fb.used}"
                with using_backend("reference"):
                    want = run(dt, geom, indices, one_d)
                assert got == want, (one_d, geom, indices)
