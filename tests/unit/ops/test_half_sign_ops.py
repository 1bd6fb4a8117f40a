"""neg / abs of float16 / bfloat16 (xN_vunary's sign-bit path, 8 lanes at a time) against
torch bit for bit on every float16 pattern, NaN payloads and signs included (the reference
backend computes through Python floats: its NaNs only as NaNs), and on every bfloat16 value;
sizes below and above 65536 elements (the table threshold of the other half unary ops) and a
tail shorter than a vector."""
import numpy as np
import pytest
import torch

import webtensor as wt
from wt_oracle import to_wt


@pytest.mark.parametrize("op", ["neg", "abs"])
def test_float16_every_pattern(op, backend):
    bits = np.arange(65536, dtype=np.uint16)
    bits = np.concatenate([bits, bits[:5]])          # 65541: above the threshold, a tail
    x = torch.from_numpy(bits.view(np.int16).copy()).view(torch.float16)
    want = getattr(torch, op)(x).view(torch.int16).numpy()
    for n in (len(bits), 13):
        got = getattr(wt, op)(wt.from_numpy(bits[:n].view(np.float16).copy())).numpy()
        if backend == "reference":
            nan = np.isnan(got)
            np.testing.assert_array_equal(nan, np.isnan(want[:n].view(np.float16)))
            got, w = got[~nan], want[:n][~nan]
        else:
            w = want[:n]
        np.testing.assert_array_equal(got.view(np.int16), w)


@pytest.mark.parametrize("op", ["neg", "abs"])
def test_bfloat16_every_value(op):
    bits = torch.arange(65536, dtype=torch.int32).to(torch.int16).view(torch.bfloat16)
    x = bits[~torch.isnan(bits)]                     # to_wt goes through float values
    got = getattr(wt, op)(to_wt(x))
    assert got.dtype is wt.bfloat16
    want = getattr(torch, op)(x).float().numpy()
    np.testing.assert_array_equal(np.signbit(got.float().numpy()), np.signbit(want))
    np.testing.assert_array_equal(got.float().numpy(), want)
