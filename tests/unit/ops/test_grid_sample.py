"""ops/grid_sample.py on the xN-grid kernels against torch: channels staged four at a time
(several groups and a partial last one), planes whose size is not a multiple of eight (the
staging's scalar tail), one-pixel-wide images, taps outside the image reading the zero pixel
(inf / NaN in the image must not leak), every float dtype (halves: torch's float32 rounded)."""
import math

import pytest
import torch

import webtensor as wt
from wt_oracle import make_pair, run_both, to_wt

_TOL = {"float16": 2e-3, "bfloat16": 1e-2, "float32": 1e-5, "float64": 1e-9}


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
@pytest.mark.parametrize("shape", [(2, 9, 5, 7), (1, 6, 1, 9), (3, 1, 4, 1)])
def test_grid_sample_channel_groups_like_torch(dtype, shape):
    x, tx = make_pair(shape, dtype, 5, special=True)
    tx.view(-1)[3] = math.inf
    tx.view(-1)[-2] = math.nan
    x = to_wt(tx)
    tg = torch.rand(shape[0], 6, 11, 2, generator=torch.Generator().manual_seed(6)) * 2.8 - 1.4
    tg = tg.to(tx.dtype)
    tol = _TOL[dtype]
    for mode in ("bilinear", "nearest"):
        for padding_mode in ("zeros", "border", "reflection"):
            for align in (False, True):
                def fn(m, a, g):
                    if m is torch and a.dtype in (torch.float16, torch.bfloat16):
                        return m.nn.functional.grid_sample(
                            a.float(), g.float(), mode=mode, padding_mode=padding_mode,
                            align_corners=align).to(a.dtype)
                    return m.nn.functional.grid_sample(a, g, mode=mode,
                                                       padding_mode=padding_mode,
                                                       align_corners=align)
                run_both(fn, [x, to_wt(tg)], [tx, tg], rtol=tol, atol=tol)

