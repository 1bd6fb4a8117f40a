"""dtype conversion, fill and the transposing copy in the runtime at hand (Pyodide in Node and
Chromium, or wasmtime on CPython): the WASM backend against the reference backend for every
dtype pair and layout, on values with NaN, inf, -0.0, halfway cases and out-of-range floats,
at sizes that reach the kernels' vector blocks and scalar tails. Stdlib only."""
import math
import struct

import pytest

import webtensor
from wtcheck import DTYPES, using_backend

CONVERT_DTYPES = DTYPES + ("int16",)     # int16: not in the op grid, converted here

VALUES = [0.0, -0.0, math.nan, math.inf, -math.inf, 1.0, -1.0, 2.5, -2.5, 0.5, 255.9, 256.0,
          -129.0, 300.7, -300.7, 65504.0, 65519.0, 65520.0, 1e-8, 6e-8, 3e-8, 1e-45, 1.00390625,
          1.01171875, 3e9, -3e9, 2.0 ** 31, -2.0 ** 31, 2.0 ** 63, 1e20, 16777217.0, -0.9]


def _source(dtype, n, layout):
    """A tensor of `dtype` (converted from float64 by the reference backend) in a layout."""
    vals = [VALUES[(i * 7) % len(VALUES)] * (1 if i % 3 else -1) for i in range(n)]
    with using_backend("reference"):
        x = webtensor.tensor(vals, dtype=webtensor.float64).to(getattr(webtensor, dtype))
        if layout == "transposed":
            x = x.reshape(n // 6, 6).t()
        elif layout == "stepped":
            x = x[::2]
        elif layout == "expanded":
            x = x[:6].reshape(1, 6).expand(4, 6)
    return x


def _key(v):
    if isinstance(v, float):
        if v != v:
            return "nan"
        return (v, math.copysign(1.0, v))
    return v


def _same(a, b):
    assert a.dtype is b.dtype and tuple(a.shape) == tuple(b.shape)
    ka = [_key(v) for v in a.reshape(-1).tolist()]
    kb = [_key(v) for v in b.reshape(-1).tolist()]
    bad = [i for i, (p, q) in enumerate(zip(ka, kb)) if p != q]
    return bad, ka, kb


@pytest.mark.parametrize("src", CONVERT_DTYPES)
def test_conversion_wasm_matches_reference(src):
    failures = []
    for n, layout in ((0, "contig"), (1, "contig"), (7, "contig"), (66, "contig"),
                      (66, "transposed"), (66, "stepped"), (24, "expanded")):
        x = _source(src, n, layout)
        for dst in CONVERT_DTYPES:
            with using_backend("reference"):
                want = x.to(getattr(webtensor, dst))
            with using_backend("wasm"):
                got = x.to(getattr(webtensor, dst))
            bad, kg, kw = _same(got, want)
            if bad:
                failures.append(f"{src}->{dst} n={n} {layout}: at {bad[:4]} wasm "
                                f"{[kg[i] for i in bad[:4]]} reference {[kw[i] for i in bad[:4]]}")
    assert not failures, "\n".join(failures[:10])


@pytest.mark.parametrize("dtype", DTYPES)
def test_fill_and_transpose_wasm_matches_reference(dtype):
    value = True if dtype == "bool" else -3 if dtype in ("int64", "int32", "int8") else \
        200 if dtype == "uint8" else -2.75
    for shape in ((0,), (1,), (37,), (5, 33)):
        outs = []
        for be in ("reference", "wasm"):
            with using_backend(be):
                outs.append(webtensor.full(shape, value, dtype=getattr(webtensor, dtype)))
        assert not _same(*outs)[0], (dtype, shape)
    x = _source(dtype, 66 * 5, "contig").reshape(5, 6, 11)
    for perm in ((0, 2, 1), (2, 1, 0), (1, 0, 2)):
        outs = []
        for be in ("reference", "wasm"):
            with using_backend(be):
                outs.append(x.permute(*perm).contiguous())
        assert not _same(*outs)[0], (dtype, perm)


def test_bf16_halfway_cases_round_to_even():
    """float32 values exactly halfway between bfloat16 neighbours: both backends round to
    the even neighbour."""
    bits = [0x3F808000, 0x3F818000, 0xBF808000, 0x7F7F8000, 0x00008000, 0x00018000]
    vals = [struct.unpack("<f", struct.pack("<I", b))[0] for b in bits] * 6
    with using_backend("reference"):
        x = webtensor.tensor(vals, dtype=webtensor.float32)
        want = x.bfloat16()
    with using_backend("wasm"):
        got = x.bfloat16()
    assert not _same(got, want)[0]
    assert want[:6].tolist() == [1.0, 1.015625, -1.0, math.inf,
                                 0.0, struct.unpack("<f", struct.pack("<I", 0x00020000))[0]]


def test_wasm_converts_every_pair_but_float64_to_small_ones():
    """Which conversions have kernels (the others run on the reference backend): all pairs
    of CONVERT_DTYPES except float64 -> the 16- and 8-bit types (float64 <-> float32/int64/
    int32 have kernels, -> bool is x != 0 on the comparison kernel)."""
    from webtensor.backends.wasm import backend
    with using_backend("wasm"):
        pass
    declined = sorted((s.name, d.name) for (s, d), plan in backend._converter.plans.items()
                      if plan is None)
    want = sorted(("float64", d) for d in CONVERT_DTYPES
                  if d not in ("float64", "float32", "bool", "int64", "int32"))
    assert declined == want
