"""outer of float16 / bfloat16 vectors (the h16_outer shortcut: one rounding of the exact
float32 product) against torch bit for bit: column blocks of 1024 with a tail shorter than
eight, overflow to inf, subnormal results, inf / NaN operands; with a gradient the op body
(broadcast mul) keeps its backward."""
import math

import numpy as np
import pytest
import torch

import webtensor as wt
from wt_oracle import to_wt


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("m, n", [(3, 1030), (17, 5), (1, 8), (0, 4)])
def test_outer_halves_bit_for_bit(dtype, m, n):
    g = torch.Generator().manual_seed(m * 31 + n)
    ta = (torch.randn(m, generator=g) * 300).to(getattr(torch, dtype))
    tb = (torch.randn(n, generator=g) * 300).to(getattr(torch, dtype))
    if m > 2 and n > 4:
        ta[0], ta[1], tb[1], tb[2], tb[3] = math.inf, 1e-4, math.nan, -1e-4, 6e4
    got = wt.outer(to_wt(ta), to_wt(tb))
    want = torch.outer(ta, tb)
    assert got.dtype is getattr(wt, dtype) and tuple(got.shape) == (m, n)
    np.testing.assert_array_equal(got.float().numpy(), want.float().numpy())


def test_outer_halves_gradient():
    ta = torch.tensor([1.5, -2.0, 0.25], dtype=torch.float16, requires_grad=True)
    tb = torch.tensor([3.0, 0.5], dtype=torch.float16)
    a = to_wt(ta.detach()).requires_grad_()
    b = to_wt(tb)
    wt.outer(a, b).sum().backward()
    torch.outer(ta, tb).sum().backward()
    np.testing.assert_array_equal(a.grad.float().numpy(), ta.grad.float().numpy())
