"""The read-only GGUF kinds (Q4_0, Q5_0, Q5_1, Q4_K, Q6_K) through webtensor.quant, on both
backends, against gguf-py (llama.cpp's Python package): dequantisation bit for bit, linear
(float32 and int8 activations, M == 1 and M > 1) within the kernels' dot-product bound,
embedding rows, and the size checks. tests/unit/quant_formats.py makes the blocks."""
import numpy as np
import pytest
from gguf import GGMLQuantizationType
from gguf import quants as gq

import webtensor as wt
from webtensor import quant
from quant_formats import KINDS, blocks_for, dequantize, magnitudes, random_blocks
from test_quant import EPS, to_np, weights, wt_tensor


def _q(kind, n, k, seed=0):
    per = quant.block_size(kind)
    raw = blocks_for(weights(n, k, seed=seed), kind, seed) if seed % 2 else \
        random_blocks(n * k // per, kind, seed)
    return raw, quant.from_blocks(kind, (n, k), raw.tobytes())


@pytest.mark.parametrize("kind", KINDS)
def test_dequantize_is_gguf_bit_for_bit(kind):
    for n, k, seed in ((3, 256, 0), (2, 512, 1), (5, 256, 3)):
        raw, q = _q(kind, n, k, seed)
        assert q.nbytes == raw.size and q.kind == kind
        ref = dequantize(raw, kind, (n, k))
        got = to_np(quant.dequantize(q))
        assert np.array_equal(got.view(np.uint32), ref.view(np.uint32))
        rows = [n - 1, 0, n - 1]
        emb = to_np(quant.embedding(wt.tensor(rows), q))
        assert np.array_equal(emb.view(np.uint32), ref[rows].view(np.uint32))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("m", [1, 3])
@pytest.mark.parametrize("activations", ["float32", "int8"])
def test_linear_within_the_kernel_bound(kind, m, activations):
    """n = 5: a 4-row step and a tail; k = 512: two K-quant super-blocks, 16 blocks of 32."""
    n, k = 5, 512
    raw, q = _q(kind, n, k, seed=1 + 2 * m)
    rng = np.random.default_rng(m)
    x = (rng.standard_normal((m, k)) * 10.0 ** rng.uniform(-2, 2)).astype(np.float32)
    y = to_np(quant.linear(wt_tensor(x), q, activations=activations))
    xr = x if activations == "float32" else \
        gq.dequantize(gq.quantize(x, GGMLQuantizationType.Q8_0), GGMLQuantizationType.Q8_0)
    ref = xr.astype(np.float64) @ dequantize(raw, kind, (n, k)).astype(np.float64).T
    bound = (k + 64) * EPS * (np.abs(xr.astype(np.float64)) @ magnitudes(raw, kind, (n, k)).T)
    assert np.all(np.abs(y - ref) <= bound + 1e-30), np.max(np.abs(y - ref) - bound)
    assert np.abs(ref).max() > 0


@pytest.mark.parametrize("kind", KINDS)
def test_sizes_are_checked(kind):
    per, bb = quant.block_size(kind), quant.block_bytes(kind)
    assert (per, bb) == {"q4_0": (32, 18), "q5_0": (32, 22), "q5_1": (32, 24),
                         "q4_k": (256, 144), "q6_k": (256, 210)}[kind]
    raw = bytes(2 * 2 * bb)
    with pytest.raises(ValueError, match=rf"{kind} \[2, {2 * per}\] needs 2 x 2 blocks x {bb} "
                                         rf"bytes = {4 * bb} bytes, got {4 * bb - 1}"):
        quant.from_blocks(kind, (2, 2 * per), raw[:-1])
    with pytest.raises(ValueError, match=rf"K = {per + 16} must be a multiple of the block "
                                         rf"size {per}"):
        quant.from_blocks(kind, (1, per + 16), raw)
    with pytest.raises(NotImplementedError, match=f"no {kind} quantiser"):
        quant.quantize(wt.zeros(2, 256), kind)
