"""atan2 / xlogy of two bool tensors (ops/elementwise.py _bool_pairs: four possible results,
picked by selections) against torch: values, signs and dtype, under both default dtypes and
with broadcasting, bit for bit."""
import numpy as np
import pytest
import torch

import webtensor as wt


@pytest.mark.parametrize("op", ["atan2", "xlogy"])
@pytest.mark.parametrize("default", ["float32", "float64"])
def test_bool_atan2_xlogy_like_torch(op, default):
    # two bool tensors take four results by selection (ops/elementwise.py _bool_pairs): the
    # values, signs and dtype of every pair and of broadcast shapes, bit for bit
    a, b = np.array([[False, False, True, True]]).T, np.array([False, True, True, False])
    old = torch.get_default_dtype()
    try:
        wt.set_default_dtype(getattr(wt, default))
        torch.set_default_dtype(getattr(torch, default))
        for x, y in ((a, b), (b, a), (a[:, 0], b), (a, np.array(True))):
            got = getattr(wt, op)(wt.tensor(x), wt.tensor(y))
            want = getattr(torch, op)(torch.tensor(x), torch.tensor(y))
            assert str(got.dtype) == str(want.dtype).replace("torch", "webtensor")
            assert got.numpy().tobytes() == want.numpy().tobytes()
    finally:
        wt.set_default_dtype(getattr(wt, str(old).split(".")[1]))
        torch.set_default_dtype(old)
