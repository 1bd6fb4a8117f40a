"""dtype-conversion kernels <src>_<dst>_copy (wasm_kernels/xN-convert) and the fill kernels
(xN-fill), for both ISA builds, against torch's CPU casts bit for bit: every kernel of the
table's CONVERT_PAIRS on sizes that hit empty input, scalar tails and vector blocks, with
NaN / inf / -0 / subnormal / out-of-range values."""
import zlib

import numpy as np
import pytest
import torch

from conftest_kernels import SIZES, backend, call, ks  # noqa: F401
from webtensor.backends.wasm import kernel_table

NP = {"f32": np.float32, "f64": np.float64, "f16": np.float16, "bf16": np.uint16,
      "i64": np.int64, "i32": np.int32, "i16": np.int16, "i8": np.int8, "u8": np.uint8,
      "b8": np.bool_}
TORCH = {"f32": torch.float32, "f64": torch.float64, "f16": torch.float16,
         "bf16": torch.bfloat16, "i64": torch.int64, "i32": torch.int32, "i16": torch.int16,
         "i8": torch.int8, "u8": torch.uint8, "b8": torch.bool}
# what each kernel serves besides its own pair: bool sources read as u8, u8 targets as i8
ALSO = {("u8", "f32"): [("b8", "f32")], ("u8", "i32"): [("b8", "i32")],
        ("u8", "i64"): [("b8", "i64")], ("f32", "i8"): [("f32", "u8")],
        ("i32", "i8"): [("i32", "u8")], ("i64", "i8"): [("i64", "u8")],
        ("i8", "b8"): [("u8", "b8")]}
F32_SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -np.nan, 1e-45, -1e-40, 6e-8, 3e-8,
                        2.9802322e-08, 65504.0, 65519.0, 65520.0, 1e5, 3.4028235e38,
                        -3.4028235e38, 2.5, -2.5, 0.5, 1.5, 255.9, 256.0, -129.0, 300.7,
                        2147483520.0, 2147483648.0, -2147483648.0, -2147483904.0, 3e9, 1e19,
                        9.2233715e18, 9.223372e18, -9.223372e18, -1e20, 1.0000001,
                        1.00390625, 1.0078125, 1.01171875, 3.3895314e38], np.float32)


def source_values(src, n, rng):
    """n values of dtype src (torch tensor) with the special values mixed in."""
    if src in ("f32", "f64"):
        v = rng.standard_normal(n) * 10.0 ** rng.integers(-8, 12, n)
        k = min(n, len(F32_SPECIAL))
        v[:k] = F32_SPECIAL[:k]
        return torch.from_numpy(v.astype(NP[src]))
    if src == "f16":
        return torch.from_numpy(rng.integers(0, 65536, n, dtype=np.uint16).view(np.float16))
    if src == "bf16":
        return torch.from_numpy(rng.integers(0, 65536, n, dtype=np.uint16).astype(np.int16)) \
            .view(torch.bfloat16)
    if src == "b8":
        return torch.from_numpy(rng.integers(0, 2, n).astype(np.bool_))
    info = np.iinfo(NP[src])
    v = rng.integers(info.min, info.max, n, dtype=NP[src], endpoint=True)
    v[:min(n, 6)] = np.array([0, 1, -1, info.min, info.max, 2 ** 24 + 1 if src in
                              ("i32", "i64") else 3], dtype=np.int64)[:min(n, 6)].astype(NP[src])
    return torch.from_numpy(v)


def as_bits(t):
    """A numpy view of the tensor's bytes as unsigned ints of its size."""
    u = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}[t.element_size()]
    return np.frombuffer(t.contiguous().numpy().tobytes() if t.dtype is not torch.bfloat16
                         else t.view(torch.int16).numpy().tobytes(), u)


def same(got_bits, want, dst):
    """Bit-exact, except that NaNs match any NaN (torch's vector and scalar paths differ)."""
    want_bits = as_bits(want)
    ok = got_bits == want_bits
    if dst in ("f32", "f64", "f16", "bf16"):
        g = torch.from_numpy(got_bits.copy()).view(TORCH[dst]).float().numpy() \
            if dst == "bf16" else got_bits.view(NP[dst])
        ok |= np.isnan(np.asarray(g, np.float64)) & torch.isnan(want.double()).numpy()
    return ok


def run_convert(ks, name, x, dst):
    n = x.numel()
    out0 = np.full(n + 5, 0x5A, np.uint8 if dst in ("i8", "u8", "b8") else NP[dst])
    if dst == "bf16":
        out0 = np.full(n + 5, 0x5A5A, np.uint16)
    xin = x.view(torch.int16).numpy() if x.dtype is torch.bfloat16 else x.numpy()
    (y,) = call(ks, name, n, xin if n else np.zeros(1, xin.dtype), out0)
    assert np.all(y[n:] == out0[n:]), "wrote past the output"
    return y[:n]


PAIRS = kernel_table.CONVERT_PAIRS


@pytest.mark.parametrize("pair", PAIRS, ids=["_".join(p) for p in PAIRS])
def test_convert_matches_torch(ks, pair):
    src, dst = pair
    rng = np.random.default_rng(zlib.crc32("_".join(pair).encode()))
    for use_src, use_dst in [pair] + ALSO.get(pair, []):
        for n in SIZES:
            x = source_values(use_src, n, rng)
            y = run_convert(ks, f"{src}_{dst}_copy", x, dst)
            want = x.to(TORCH[use_dst])
            bits = y.view(np.uint8) if dst in ("i8", "b8") else y
            bits = bits.view({1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}
                             [want.element_size()])
            ok = same(bits, want, use_dst)
            bad = np.flatnonzero(~ok)
            assert not len(bad), (use_src, use_dst, n, x[bad[:5]].tolist(),
                                  bits[bad[:5]].tolist(), as_bits(want)[bad[:5]].tolist())


def test_f16_every_value_round_trips(ks):
    """All 65536 half bit patterns -> f32 -> f16 give the same bits (NaNs stay NaN)."""
    h = np.arange(65536, dtype=np.uint32).astype(np.uint16)
    (f,) = call(ks, "f16_f32_copy", 65536, h, np.zeros(65536, np.float32))
    assert np.array_equal(f, h.view(np.float16).astype(np.float32), equal_nan=True)
    (back,) = call(ks, "f32_f16_copy", 65536, f, np.zeros(65536, np.uint16))
    nan = np.isnan(h.view(np.float16))
    assert np.array_equal(back[~nan], h[~nan]) and np.all(np.isnan(back[nan].view(np.float16)))


def test_f32_to_f16_rounding_boundaries(ks):
    """Every f32 halfway between two halves (normal and subnormal) rounds to even, like torch."""
    h = np.arange(0, 0x7C00, dtype=np.uint16)
    lo = h.view(np.float16).astype(np.float64)
    hi = (h + 1).view(np.float16).astype(np.float64)
    mid = ((lo + hi) / 2).astype(np.float32)
    x = np.concatenate([mid, -mid, np.nextafter(mid, np.float32(np.inf)),
                        np.nextafter(mid, np.float32(0))]).astype(np.float32)
    (y,) = call(ks, "f32_f16_copy", len(x), x, np.zeros(len(x), np.uint16))
    want = as_bits(torch.from_numpy(x).half())
    assert np.array_equal(y, want)


def test_f16_short_paths_every_exponent(ks):
    """Eight floats at a time with one high half each (all 65536: every sign, exponent and top
    mantissa bits) and the low halves around the rounding points: the short integer paths of
    wt_half.h (whole vectors of normal results, zeros, overflows) and the general one agree
    with torch both ways."""
    hi = np.repeat(np.arange(65536, dtype=np.uint32), 8) << 16
    low = np.tile(np.array([0, 0x0FFF, 0x1000, 0x1001, 0x2FFF, 0x3000, 0xEFFF, 0xFFFF],
                           np.uint32), 65536)
    x = (hi | low).view(np.float32)
    (y,) = call(ks, "f32_f16_copy", len(x), x, np.zeros(len(x), np.uint16))
    assert same(y, torch.from_numpy(x).half(), "f16").all()
    h = np.arange(65536, dtype=np.uint32).astype(np.uint16)
    h = h[~np.isnan(h.view(np.float16))]   # whole vectors without NaN: the short path
    (f,) = call(ks, "f16_f32_copy", len(h), h, np.zeros(len(h), np.float32))
    assert np.array_equal(f.view(np.uint32), h.view(np.float16).astype(np.float32).view(np.uint32))


FILL = {8: np.uint8, 16: np.uint16, 32: np.uint32, 64: np.uint64}


@pytest.mark.parametrize("bits", kernel_table.COPY_BITS)
def test_fill(ks, bits):
    dt = FILL[bits]
    v = np.array([np.iinfo(dt).max - 3], dt)
    for n in SIZES:
        y0 = np.full(n + 3, 7, dt)
        (y,) = call(ks, f"x{bits}_fill", n, v, y0)
        assert np.all(y[:n] == v[0]) and np.all(y[n:] == 7), n
