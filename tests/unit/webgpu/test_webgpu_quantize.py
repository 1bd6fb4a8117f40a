"""quant.quantize of a weight on device "webgpu" (wgsl/quantize.wgsl) against the CPU's
quantiser (ggml's reference, bit for bit): the same block bytes, for both kinds, odd block
counts (Q8_0 writes two blocks per thread), rounding ties, tiny and large scales, views."""
import pytest
import torch
from hypothesis import given, settings, strategies as st

import webtensor as wt
from webtensor import quant
from gpu_check import DEV, pair
from wt_oracle import examples, seeds

KINDS = ("q8_0", "q4_1")


def same_blocks(w_gpu, w_cpu, kind):
    q = quant.quantize(w_gpu, kind)
    assert q.device == wt.device(DEV)
    assert q.tobytes() == quant.quantize(w_cpu, kind).tobytes()
    return q


@settings(max_examples=examples(20))
@given(kind=st.sampled_from(KINDS), n=st.integers(1, 5), blocks=st.integers(1, 3),
       seed=seeds, wide=st.booleans(), layout=st.sampled_from(["contig", "transposed"]))
def test_quantize_matches_cpu_bytes(kind, n, blocks, seed, wide, layout):
    shape = (n, 32 * blocks)
    w, _ = pair(shape[::-1] if layout == "transposed" else shape, "float32", seed, wide=wide)
    if layout == "transposed":
        w = w.t()                       # a view: quantize makes it contiguous on the GPU
    same_blocks(w, w.cpu(), kind)


@pytest.mark.parametrize("kind", KINDS)
def test_ties_and_scales(kind):
    rows = [[float(v) for v in range(-16, 16)],                  # Q8_0: d = 16/127
            [127.0] + [k + 0.5 for k in range(-15, 16)],          # ties: x.5 rounds away
            [0.0] * 32,                                           # d = 0
            [1e-30 * (k - 7) for k in range(32)],                 # tiny scale
            [3e38] + [-3e38] + [1e37 * k for k in range(30)],     # huge range (Q4_1: inf)
            [1 / 3 + k / 7 for k in range(32)]]
    w = wt.tensor(rows)
    same_blocks(w.to(DEV), w, kind)


def test_quantized_on_gpu_feeds_linear():
    w, tw = pair((16, 64), "float32", 3)
    x, tx = pair((2, 64), "float32", 4)
    q = same_blocks(w, w.cpu(), "q4_1")
    got = quant.linear(x, q).cpu().tolist()
    want = quant.linear(x.cpu(), quant.quantize(w.cpu(), "q4_1")).tolist()
    assert torch.allclose(torch.tensor(got), torch.tensor(want), rtol=1e-4, atol=1e-5)
