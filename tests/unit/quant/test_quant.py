"""webtensor.quant against a numpy implementation of GGUF's Q8_0 / Q4_1 written here from the
spec (ggml's block layouts and reference quantisers), and quant.linear against torch's
F.linear on the dequantised weight. Every test runs on both backends (reference = pure Python,
wasm = the kernels); quant/test_quant_kernels.py calls the kernels directly per ISA."""
import ctypes

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import webtensor as wt
from webtensor import quant

EPS = 2.0 ** -24
BLOCK = {"q8_0": 34, "q4_1": 20}


# ---- the spec, in numpy (float32 arithmetic step by step, as ggml's C code) --------------------
def np_quantize(w, kind):
    """[N, K] float32 -> uint8 blocks [N * K/32, block bytes]."""
    b = np.ascontiguousarray(w, np.float32).reshape(-1, 32)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if kind == "q8_0":
            d = (np.abs(b).max(axis=1) / np.float32(127)).astype(np.float32)
            inv = np.where(d != 0, np.float32(1) / d, np.float32(0)).astype(np.float32)
            x = (b * inv[:, None]).astype(np.float32)
            t = np.trunc(x)
            q = np.where(np.abs(x - t) >= 0.5, t + np.sign(x), t)        # C roundf
            out = np.zeros((len(b), 34), np.uint8)
            out[:, :2] = d.astype(np.float16).view(np.uint8).reshape(-1, 2)
            out[:, 2:] = q.astype(np.int8).view(np.uint8)
            return out
        lo, hi = b.min(axis=1), b.max(axis=1)
        d = ((hi - lo).astype(np.float32) / np.float32(15)).astype(np.float32)
        inv = np.where(d != 0, np.float32(1) / d, np.float32(0)).astype(np.float32)
        x = ((b - lo[:, None]).astype(np.float32) * inv[:, None]).astype(np.float32)
        q = np.minimum(15, np.trunc((x + np.float32(0.5)).astype(np.float32))).astype(np.uint8)
        out = np.zeros((len(b), 20), np.uint8)
        out[:, :2] = d.astype(np.float16).view(np.uint8).reshape(-1, 2)
        out[:, 2:4] = lo.astype(np.float16).view(np.uint8).reshape(-1, 2)
        out[:, 4:] = q[:, :16] | (q[:, 16:] << 4)
        return out


def np_dequantize(blocks, kind, shape):
    """uint8 blocks -> float32 [N, K]: Q8_0 d*q; Q4_1 d*q + m rounded once."""
    blocks = np.frombuffer(bytes(blocks), np.uint8).reshape(-1, BLOCK[kind])
    d = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    if kind == "q8_0":
        q = blocks[:, 2:].view(np.int8).astype(np.float32)
        return (q * d).astype(np.float32).reshape(shape)
    m = blocks[:, 2:4].copy().view(np.float16).astype(np.float32)
    qs = blocks[:, 4:]
    q = np.concatenate([qs & 15, qs >> 4], axis=1).astype(np.float32)
    return ((q * d).astype(np.float32) + m).astype(np.float32).reshape(shape)


def np_qd16(x):
    """The int16 activation blocks of x [..., K] (wasm_kernels/include/wt_qd16.h, float32 step
    by step): (uint8 blocks [K/32 per row, 72], xh = d * q float32 of x's shape)."""
    b = np.ascontiguousarray(x, np.float32).reshape(-1, 32)
    d = (np.abs(b).max(axis=1) / np.float32(32767)).astype(np.float32)
    inv = np.divide(np.float32(1), d, out=np.zeros_like(d), where=d != 0).astype(np.float32)
    q = np.rint((b * inv[:, None]).astype(np.float32)).astype(np.int16)
    blocks = np.zeros((len(b), 72), np.uint8)
    blocks[:, :4] = d.view(np.uint8).reshape(-1, 4)
    blocks[:, 4:8] = q.sum(axis=1, dtype=np.int32).view(np.uint8).reshape(-1, 4)
    blocks[:, 8:] = q.view(np.uint8)
    return blocks, (d[:, None] * q.astype(np.float32)).astype(np.float32).reshape(np.shape(x))


def np_magnitudes(blocks, kind, shape):
    """|d q| + |m| per weight: the scale of the terms the kernels sum (|w| for Q8_0)."""
    blocks = np.frombuffer(bytes(blocks), np.uint8).reshape(-1, BLOCK[kind])
    if kind == "q8_0":
        return np.abs(np_dequantize(blocks, kind, shape)).astype(np.float64)
    d = blocks[:, :2].copy().view(np.float16).astype(np.float64)
    m = blocks[:, 2:4].copy().view(np.float16).astype(np.float64)
    qs = blocks[:, 4:]
    q = np.concatenate([qs & 15, qs >> 4], axis=1).astype(np.float64)
    return (np.abs(q * d) + np.abs(m)).reshape(shape)


def weights(n, k, seed=0):
    """Varied blocks: random scales per block, a zero block, a constant block, tiny and large
    values (float16 subnormal and near-overflow scales), negative and positive offsets."""
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((n, k)).astype(np.float32)
    scales = 10.0 ** rng.uniform(-3, 2, size=(n, k // 32, 1))
    shift = rng.uniform(-2, 2, size=(n, k // 32, 1)) * (rng.random((n, k // 32, 1)) < 0.3)
    w = (w.reshape(n, k // 32, 32) * scales + shift * scales).reshape(n, k).astype(np.float32)
    flat = w.reshape(-1, 32)
    specials = [np.zeros(32), np.full(32, 0.75), rng.standard_normal(32) * 1e-6,
                rng.standard_normal(32) * 3e3, np.linspace(-1, 1, 32)]
    for i, v in enumerate(specials[:len(flat) - 1]):
        flat[1 + i] = v
    return w


def random_blocks(nblocks, kind, seed=0):
    """Arbitrary block bytes with finite halves (normal, subnormal, signed zeros)."""
    rng = np.random.default_rng(seed)
    raw = rng.integers(0, 256, size=(nblocks, BLOCK[kind]), dtype=np.uint8)
    nh = 1 if kind == "q8_0" else 2
    halves = raw[:, :2 * nh].copy().view(np.uint16)
    halves &= np.uint16(0xBFFF)            # exponent < 31: finite (|h| < 2)
    halves[::5] &= np.uint16(0x83FF)       # some subnormals and signed zeros
    raw[:, :2 * nh] = halves.view(np.uint8)
    return raw


def wt_tensor(a):
    a = np.asarray(a, np.float32)
    return wt.tensor(a.tolist(), dtype=wt.float32).reshape(a.shape)


def to_np(t):
    return np.array(t.tolist(), np.float32).reshape(tuple(t.shape))


KINDS = ("q8_0", "q4_1")


# ---- formats ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n,k", [(1, 32), (3, 64), (7, 96), (2, 320)])
def test_quantize_is_ggml_bit_for_bit(kind, n, k):
    w = weights(n, k, seed=n * k)
    q = quant.quantize(wt_tensor(w), kind)
    assert q.kind == kind and tuple(q.shape) == (n, k) and q.nbytes == n * k // 32 * BLOCK[kind]
    assert q.tobytes() == np_quantize(w, kind).tobytes()


def test_quantize_q8_0_float16_overflow_gives_inf_scale():
    """amax/127 beyond float16's range: ggml stores d = inf (F16C rounding), so do we."""
    w = np.full((1, 32), 1e7, np.float32)
    w[0, 3] = -2e7
    q = quant.quantize(wt_tensor(w), "q8_0")
    assert q.tobytes() == np_quantize(w, "q8_0").tobytes()
    assert np.frombuffer(q.tobytes()[:2], np.float16)[0] == np.inf


@pytest.mark.parametrize("kind", KINDS)
def test_dequantize_matches_spec_exactly(kind):
    n, k = 5, 96
    raw = random_blocks(n * k // 32, kind, seed=3)
    got = to_np(quant.dequantize(quant.from_blocks(kind, (n, k), raw.tobytes())))
    ref = np_dequantize(raw, kind, (n, k))
    assert np.array_equal(got.view(np.uint32), ref.view(np.uint32))


@pytest.mark.parametrize("kind", KINDS)
def test_round_trip_error_within_stated_bound(kind):
    """Per block, with d the float32 scale and h(v) = max(|v| 2^-11, 2^-25) the float16
    rounding error of v (2^-25: half the subnormal spacing):
    Q8_0 |w - x| <= d/2 + 127 h(d);  Q4_1 |w - x| <= d/2 + 15 h(d) + h(min);  + float32."""
    n, k = 6, 256
    w = weights(n, k, seed=11)
    got = to_np(quant.dequantize(quant.quantize(wt_tensor(w), kind))).reshape(-1, 32)
    b = w.reshape(-1, 32).astype(np.float64)
    amax = np.abs(b).max(axis=1, keepdims=True)

    def h(v):
        return np.maximum(np.abs(v) * 2 ** -11, 2 ** -25)
    if kind == "q8_0":
        d = amax / 127
        bound = d / 2 * (1 + 2 ** -10) + 127 * h(d)
    else:
        lo, hi = b.min(axis=1, keepdims=True), b.max(axis=1, keepdims=True)
        d = (hi - lo) / 15
        bound = d / 2 * (1 + 2 ** -10) + 15 * h(d) + h(lo)
    err = np.abs(got - b)
    assert np.all(err <= bound + 4 * EPS * amax)
    assert err.max() > 0          # the test would see a wrong scale


# ---- from_blocks: zero copy and validation ------------------------------------------------------
def test_from_blocks_is_zero_copy():
    raw = np_quantize(weights(2, 64), "q8_0").tobytes()
    ba = bytearray(raw)
    q = quant.from_blocks("q8_0", (2, 64), ba)
    before = to_np(q.dequantize())
    ba[2] = (ba[2] + 1) % 128                  # first weight's q changes in place
    after = to_np(q.dequantize())
    assert after[0, 0] != before[0, 0] and np.array_equal(after[1], before[1])
    # read-only sources: the storage points into the bytes object / the file slice itself
    blob = b"HEADER" + raw
    qb = quant.from_blocks("q8_0", (2, 64), memoryview(blob)[6:])
    base = ctypes.cast(ctypes.c_char_p(blob), ctypes.c_void_p).value
    assert qb._storage.address() == base + 6
    assert np.array_equal(to_np(qb.dequantize()), np_dequantize(raw, "q8_0", (2, 64)))
    qr = quant.from_blocks("q8_0", (2, 64), raw)
    assert qr._storage.address() == ctypes.cast(ctypes.c_char_p(raw), ctypes.c_void_p).value


def test_bad_input_raises_clear_errors():
    raw = bytes(2 * 2 * 20)
    with pytest.raises(ValueError, match=r"q4_1 \[2, 64\] needs 2 x 2 blocks x 20 bytes = 80 "
                                         r"bytes, got 79"):
        quant.from_blocks("q4_1", (2, 64), raw[:-1])
    with pytest.raises(ValueError, match="K = 48 must be a multiple of the block size 32"):
        quant.from_blocks("q4_1", (2, 48), raw)
    with pytest.raises(ValueError, match="unknown quantisation kind 'q2_k'"):
        quant.from_blocks("q2_k", (2, 64), raw)
    with pytest.raises(ValueError, match="shape must be two non-negative sizes"):
        quant.from_blocks("q4_1", (128,), raw)
    with pytest.raises(TypeError, match="buffer must be a bytes-like object"):
        quant.from_blocks("q4_1", (2, 64), [0] * 80)
    with pytest.raises(ValueError, match="multiple of the block size"):
        quant.quantize(wt.zeros(2, 40), "q8_0")
    with pytest.raises(ValueError, match="unknown quantisation kind"):
        quant.quantize(wt.zeros(2, 32), "Q8_0")
    with pytest.raises(ValueError, match="expected a 2-D weight"):
        quant.quantize(wt.zeros(64), "q8_0")
    with pytest.raises(ValueError, match="inf or nan"):
        quant.quantize(wt.tensor([[float("nan")] + [0.0] * 31]), "q4_1")
    with pytest.raises(TypeError, match="floating point"):
        quant.quantize(wt.zeros(2, 32, dtype=wt.int64), "q8_0")
    q = quant.quantize(wt.zeros(5, 64), "q8_0")
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied "
                                           r"\(6x32 and 64x5\)"):
        quant.linear(wt.zeros(2, 3, 32), q)
    with pytest.raises(RuntimeError, match="same dtype, but got: double != float"):
        quant.linear(wt.zeros(2, 64, dtype=wt.float64), q)
    with pytest.raises(RuntimeError, match="at least 1D"):
        quant.linear(wt.tensor(1.0), q)
    with pytest.raises(TypeError, match="must be a QuantizedTensor"):
        quant.linear(wt.zeros(2, 64), wt.zeros(5, 64))
    with pytest.raises(TypeError, match="expected a QuantizedTensor"):
        quant.dequantize(wt.zeros(5, 64))


# ---- linear ------------------------------------------------------------------------------------
def linear_tolerance(x, blocks, kind, shape, bias):
    """Every path sums K products of x with the weights (the kernels: d (q . x) + m sum(x) per
    block, in chunks of 4 lanes; the reference: float64 then one rounding): a dot product's
    error is at most ~K eps sum|x| |terms|, with |terms| = |d q| + |m|. (K + 64) eps covers
    the kernels' worst case with room for float32 rounding of the output and bias."""
    k = shape[1]
    mag = np.abs(x.astype(np.float64)).reshape(-1, k) @ np_magnitudes(blocks, kind, shape).T
    extra = 0 if bias is None else np.abs(bias.astype(np.float64))
    return ((k + 64) * EPS * mag).reshape(x.shape[:-1] + (shape[0],)) + 2 * EPS * extra


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lead", [(), (1,), (2,), (5,), (17,), (2, 3), (0,)])
@pytest.mark.parametrize("n,k", [(1, 32), (13, 96), (33, 320)])
@pytest.mark.parametrize("with_bias", [False, True])
def test_linear_matches_dequantize_then_torch(kind, lead, n, k, with_bias):
    rng = np.random.default_rng(n + k + len(lead))
    w = weights(n, k, seed=k)
    blocks = np_quantize(w, kind)
    q = quant.from_blocks(kind, (n, k), blocks.tobytes())
    x = rng.standard_normal(lead + (k,)).astype(np.float32)
    bias = rng.standard_normal(n).astype(np.float32) if with_bias else None
    y = quant.linear(wt_tensor(x), q, None if bias is None else wt_tensor(bias))
    wd = torch.from_numpy(np_dequantize(blocks, kind, (n, k))).double()
    ref = F.linear(torch.from_numpy(x).double(), wd,
                   None if bias is None else torch.from_numpy(bias).double()).numpy()
    assert tuple(y.shape) == ref.shape and y.dtype is wt.float32
    err = np.abs(to_np(y).astype(np.float64) - ref)
    assert np.all(err <= linear_tolerance(x, blocks, kind, (n, k), bias) + 1e-30)


def test_linear_takes_strided_input_and_broadcast_bias():
    w = weights(8, 64, seed=5)
    q = quant.quantize(wt_tensor(w), "q4_1")
    x = wt_tensor(np.random.default_rng(0).standard_normal((64, 3))).t()     # [3, 64] strided
    y = quant.linear(x, q, wt.tensor([0.5]))
    ref = F.linear(torch.tensor(to_np(x)), torch.tensor(to_np(quant.dequantize(q))),
                   torch.tensor([0.5]))
    assert np.allclose(to_np(y), ref.numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lead", [(), (1,), (3,), (2, 2)])
def test_linear_int8_activations(kind, lead):
    """activations="int8" computes xh @ W^T with xh = Q8_0 round trip of x: against torch on
    xh within the float bound, and against torch on x within the stated rounding of xh."""
    n, k = 11, 160
    rng = np.random.default_rng(len(lead))
    w = weights(n, k, seed=2)
    blocks = np_quantize(w, kind)
    q = quant.from_blocks(kind, (n, k), blocks.tobytes())
    x = (rng.standard_normal(lead + (k,)) * 3).astype(np.float32)
    y = to_np(quant.linear(wt_tensor(x), q, activations="int8")).astype(np.float64)
    x2 = x.reshape(-1, k)
    xq = np_quantize(x2, "q8_0")
    xh = np_dequantize(xq, "q8_0", x2.shape)
    wd = np_dequantize(blocks, kind, (n, k)).astype(np.float64)
    ref_h = (xh.astype(np.float64) @ wd.T).reshape(lead + (n,))
    assert np.all(np.abs(y - ref_h) <= linear_tolerance(xh.reshape(x.shape), blocks, kind,
                                                        (n, k), None) + 1e-30)
    # |x - xh| <= d_x/2 + 127 h(d_x) per element (webtensor.quant.linear's docstring)
    dx = np.abs(x2.reshape(-1, 32)).max(axis=1, keepdims=True).astype(np.float64) / 127
    hx = dx / 2 * (1 + 2 ** -10) + 127 * np.maximum(dx * 2 ** -11, 2 ** -25)
    err_x = np.abs(xh.reshape(-1, 32) - x2.reshape(-1, 32))
    assert np.all(err_x <= hx + 1e-12)
    ref = F.linear(torch.from_numpy(x).double(), torch.from_numpy(wd)).numpy()
    bound = (np.broadcast_to(hx, err_x.shape).reshape(x2.shape) @ np.abs(wd).T).reshape(
        ref.shape) + linear_tolerance(x, blocks, kind, (n, k), None)
    assert np.all(np.abs(y - ref) <= bound)
    assert np.any(np.abs(y - ref) > 0)
    with pytest.raises(ValueError, match="activations must be 'float32', 'int8' or 'int16'"):
        quant.linear(wt_tensor(x), q, activations="int4")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lead", [(), (1,), (3,)])
def test_linear_int16_activations(kind, lead):
    """activations="int16" computes xh @ W^T with xh = x rounded to int16 blocks (np_qd16):
    against torch on xh within the float bound, and on x within |x - xh| <= d/2 (1 + 2^-5)."""
    n, k = 11, 160
    rng = np.random.default_rng(7 + len(lead))
    blocks = np_quantize(weights(n, k, seed=3), kind)
    q = quant.from_blocks(kind, (n, k), blocks.tobytes())
    x = (rng.standard_normal(lead + (k,)) * 10.0 ** rng.uniform(-3, 3, lead + (k,))).astype(
        np.float32)
    y = to_np(quant.linear(wt_tensor(x), q, activations="int16")).astype(np.float64)
    _, xh = np_qd16(x.reshape(-1, k))
    wd = np_dequantize(blocks, kind, (n, k)).astype(np.float64)
    ref_h = (xh.astype(np.float64) @ wd.T).reshape(lead + (n,))
    assert np.all(np.abs(y - ref_h) <= linear_tolerance(xh.reshape(x.shape), blocks, kind,
                                                        (n, k), None) + 1e-30)
    d = np.abs(x.reshape(-1, 32)).max(axis=1, keepdims=True).astype(np.float64) / 32767
    err_x = np.abs(xh.reshape(-1, 32).astype(np.float64) - x.reshape(-1, 32))
    assert np.all(err_x <= d / 2 * (1 + 2 ** -5))
    assert np.max(err_x / d) > 0.45          # the bound is tight, not vacuous
    ref = F.linear(torch.from_numpy(x).double(), torch.from_numpy(wd)).numpy()
    hx = np.broadcast_to(d / 2 * (1 + 2 ** -5), err_x.shape).reshape(-1, k)
    bound = (hx @ np.abs(wd).T).reshape(ref.shape) + linear_tolerance(x, blocks, kind,
                                                                      (n, k), None)
    assert np.all(np.abs(y - ref) <= bound)
    # a block holding inf or nan gives nan outputs (as int8)
    x2 = x.reshape(-1, k).copy()
    x2[0, 40] = np.nan
    y2 = to_np(quant.linear(wt_tensor(x2[:1]), q, activations="int16"))
    assert np.all(np.isnan(y2))


@pytest.mark.parametrize("kind", KINDS)
def test_embedding_rows_match_torch_on_the_dequantised_table(kind):
    n, k = 37, 96
    blocks = np_quantize(weights(n, k, seed=9), kind)
    q = quant.from_blocks(kind, (n, k), blocks.tobytes())
    ids = np.array([[0, 36, 5], [5, 17, 1]])
    for dt in (wt.int64, wt.int32):
        e = quant.embedding(wt.tensor(ids.tolist(), dtype=dt), q)
        ref = F.embedding(torch.tensor(ids), torch.from_numpy(np_dequantize(blocks, kind,
                                                                             (n, k))))
        assert tuple(e.shape) == (2, 3, k)
        assert np.array_equal(to_np(e).view(np.uint32), ref.numpy().view(np.uint32))
    assert tuple(quant.embedding(wt.zeros(0, dtype=wt.int64), q).shape) == (0, k)
    with pytest.raises(IndexError, match="index out of range in self"):
        quant.embedding(wt.tensor([37]), q)
    with pytest.raises(IndexError, match="index out of range in self"):
        quant.embedding(wt.tensor([-1]), q)
    with pytest.raises(RuntimeError, match="scalar types: Long, Int"):
        quant.embedding(wt.tensor([1.0]), q)
