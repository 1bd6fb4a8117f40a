"""F.scaled_dot_product_attention on device "webgpu" (the fused sdpa kernel) against the CPU:
rtol 1e-4, atol 1e-5 (float32 online softmax vs the CPU path)."""
import random

import pytest

import webtensor as torch
import webtensor.nn.functional as F

from gpu_check import DEV, g, rand  # noqa: F401
from gpu_check import close as _close


def close(got, want, rtol=1e-4, atol=1e-5):
    _close(got, want, rtol, atol)



SHAPES = [  # (B, H, Hk, L, S, E, Ev)
    (1, 2, 2, 1, 9, 16, 16),        # decode
    (2, 4, 4, 7, 7, 8, 8),          # prefill
    (1, 2, 2, 5, 130, 32, 24),      # several key blocks, E != Ev
    (2, 8, 2, 1, 70, 64, 64),       # GQA decode
    (1, 4, 1, 6, 6, 16, 16),        # multi-query prefill
]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("causal", [False, True])
def test_sdpa(shape, causal):
    B, H, Hk, L, S, E, Ev = shape
    q, k, v = rand((B, H, L, E), 1), rand((B, Hk, S, E), 2), rand((B, Hk, S, Ev), 3)
    gqa = H != Hk
    want = F.scaled_dot_product_attention(q, k, v, is_causal=causal, enable_gqa=gqa)
    close(F.scaled_dot_product_attention(g(q), g(k), g(v), is_causal=causal, enable_gqa=gqa),
          want)


def test_float_mask_and_scale():
    q, k, v = rand((2, 3, 4, 8), 1), rand((2, 3, 10, 8), 2), rand((2, 3, 10, 5), 3)
    for mask in (rand((4, 10), 4), rand((2, 3, 4, 10), 5), rand((1, 1, 1, 10), 6)):
        close(F.scaled_dot_product_attention(g(q), g(k), g(v), attn_mask=g(mask), scale=0.3),
              F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=0.3))


def test_bool_mask_and_fully_masked_rows():
    q, k, v = rand((1, 2, 5, 8), 1), rand((1, 2, 6, 8), 2), rand((1, 2, 6, 8), 3)
    r = random.Random(7)
    mask = torch.tensor([[r.random() > 0.4 for _ in range(6)] for _ in range(5)])
    mask[2] = False                                          # a fully masked row gives 0
    want = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    got = F.scaled_dot_product_attention(g(q), g(k), g(v), attn_mask=g(mask))
    close(got, want)
    assert got[0, :, 2].cpu().abs().max().item() == 0.0


def test_gqa_with_mask_and_views():
    q = rand((2, 6, 3, 16), 1)
    k, v = rand((2, 2, 8, 16), 2), rand((2, 2, 8, 16), 3)
    mask = rand((3, 8), 4)
    want = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=True)
    close(F.scaled_dot_product_attention(g(q), g(k), g(v), attn_mask=g(mask), enable_gqa=True),
          want)
    # q/k/v as transposed views ([B, L, H, E] storage, like a model's projections)
    qt, kt, vt = (t.transpose(1, 2).contiguous() for t in (q, k, v))
    got = F.scaled_dot_product_attention(g(qt).transpose(1, 2), g(kt).transpose(1, 2),
                                         g(vt).transpose(1, 2), attn_mask=g(mask),
                                         enable_gqa=True)
    close(got, want)


def test_large_head_dim_not_implemented():
    q = rand((1, 1, 1, 520), 1).to(DEV)
    with pytest.raises(NotImplementedError, match="sdpa"):
        F.scaled_dot_product_attention(q, q, q)
