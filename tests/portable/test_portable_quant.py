"""webtensor.quant's WASM kernels against the pure-Python path (dequantise, then the reference
matmul), inside the runtime at hand (wasmtime on CPython; Pyodide's ctypes in Node and
Chromium). Standard library only: this file also runs inside Pyodide."""
import array
import ctypes
import math
import random
import struct

import pytest

import webtensor as wt
from webtensor import backends, quant
from webtensor.backends.reference import quant as ref_quant
from webtensor.backends.wasm import loader
from webtensor.backends.wasm.loader import Region

EPS = 2.0 ** -24
KINDS = ("q8_0", "q4_1")
ISAS = ["simd128"] + (["relaxedsimd"] if loader.engine_has_relaxed_simd() else [])
# (m, n, k): M = 1 (gemv), 2, 5, 17 (gemm); N = 1, primes, not multiples of 4 or 8;
# K = 32 .. 288 (more than one 256-column panel)
SHAPES = ((1, 1, 32), (1, 7, 64), (1, 13, 288), (2, 9, 96), (5, 4, 32), (17, 11, 64),
          (3, 5, 288))


def _weights(rng, n, k):
    """Blocks of varied scale and offset."""
    out = []
    for _ in range(n * k // 32):
        s = 10.0 ** rng.uniform(-2, 1)
        c = rng.choice((0.0, 0.0, 1.5, -2.0)) * s
        out.extend(rng.gauss(0, 1) * s + c for _ in range(32))
    return array.array("f", out)


def _tensor(values, shape):
    return wt.tensor(list(values), dtype=wt.float32).reshape(shape)


def _bound(x, q, m, n, k):
    """(K + 64) eps sum_l |x[l]| (|d q| + |m|) per output: the kernels' stated dot-product
    bound (tests/unit/quant/test_quant.py::linear_tolerance explains it)."""
    data = q.tobytes()
    bb = ref_quant.BLOCK_BYTES[q.kind]
    mags = []
    for blk in range(n * k // 32):
        raw = data[blk * bb:(blk + 1) * bb]
        if q.kind == "q8_0":
            d = struct.unpack("<e", raw[:2])[0]
            mags.extend(abs(d * v) for v in struct.unpack("<32b", raw[2:]))
        else:
            d, mo = struct.unpack("<ee", raw[:4])
            qs = raw[4:]
            mags.extend(abs(d * (b & 15)) + abs(mo) for b in qs)
            mags.extend(abs(d * (b >> 4)) + abs(mo) for b in qs)
    return [[(k + 64) * EPS * sum(abs(x[i * k + l]) * mags[j * k + l] for l in range(k))
             for j in range(n)] for i in range(m)]


def _check(got, want, bound, what):
    for i, (grow, wrow, brow) in enumerate(zip(got, want, bound)):
        for j, (g, w, b) in enumerate(zip(grow, wrow, brow)):
            assert abs(g - w) <= b + 1e-30, f"{what}: y[{i}][{j}] = {g}, expected {w} +- {b}"


@pytest.mark.parametrize("kind", KINDS)
def test_linear_wasm_matches_dequantize_then_matmul(kind):
    rng = random.Random(kind)
    for m, n, k in SHAPES:
        w = _weights(rng, n, k)
        x = [rng.uniform(-1, 1) for _ in range(m * k)]
        backends.set_backend("reference")
        q = quant.quantize(_tensor(w, (n, k)), kind)
        want = quant.linear(_tensor(x, (m, k)), q).tolist()
        backends.set_backend("wasm")
        q2 = quant.quantize(_tensor(w, (n, k)), kind)
        assert q2.tobytes() == q.tobytes(), f"{kind} quantize: wasm != pure Python"
        assert quant.dequantize(q2).tolist() == quant.dequantize(q).tolist()
        got = quant.linear(_tensor(x, (m, k)), q2).tolist()
        _check(got, want, _bound(x, q, m, n, k), (kind, m, n, k))


@pytest.mark.parametrize("acts", ["int8", "int16"])
@pytest.mark.parametrize("kind", KINDS)
def test_linear_int_activations_wasm_matches_pure_python(kind, acts):
    """activations="int8" / "int16": both compute xh @ W^T, xh = x rounded to Q8_0 / int16
    blocks (M == 1: the integer-dot kernels; M > 1: the float kernels on xh)."""
    rng = random.Random(acts + kind)
    for m, n, k in SHAPES:
        w = _weights(rng, n, k)
        x = [rng.uniform(-3, 3) * 10.0 ** rng.randint(-3, 3) for _ in range(m * k)]
        q = quant.from_blocks(kind, (n, k), ref_quant.quantize_bytes(kind, w))
        backends.set_backend("reference")
        want = quant.linear(_tensor(x, (m, k)), q, activations=acts).tolist()
        backends.set_backend("wasm")
        got = quant.linear(_tensor(x, (m, k)), q, activations=acts).tolist()
        xa = array.array("f", x)
        xh = (ref_quant.dequantize_values("q8_0", ref_quant.quantize_bytes("q8_0", xa))
              if acts == "int8" else ref_quant.round_int16(xa)).tolist()
        _check(got, want, _bound(xh, q, m, n, k), (acts, kind, m, n, k))


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("kind", KINDS)
def test_kernels_of_each_build(isa, kind):
    """Both ISA builds (where the engine has relaxed SIMD), called directly."""
    from webtensor._storage import Storage
    ks = loader.load(isa)
    rng = random.Random(isa + kind)

    def st(data):
        s = Storage(len(data))
        s.view()[:] = data
        return s
    for m, n, k in SHAPES:
        w = _weights(rng, n, k)
        x = [rng.uniform(-1, 1) for _ in range(m * k)]
        blocks = ref_quant.quantize_bytes(kind, w)
        q = quant.from_blocks(kind, (n, k), blocks)
        backends.set_backend("reference")
        want = quant.linear(_tensor(x, (m, k)), q).tolist()
        xs, ws, ys = st(array.array("f", x).tobytes()), st(blocks), Storage(4 * m * n)
        args = (Region(xs, 0, xs.nbytes, False), Region(ws, 0, ws.nbytes, False),
                Region(ys, 0, ys.nbytes, True))
        if m == 1:
            ks.fn(f"f32_{kind}_gemv_1x4")(n, k, *args)
        else:
            ks.fn(f"f32_{kind}_gemm_2x4")(m, n, k, *args)
        y = array.array("f", bytes(ys.view())).tolist()
        if m == 1:     # the int8-activation kernel on the same row
            xq = st(ref_quant.quantize_bytes("q8_0", array.array("f", x)))
            y8 = Storage(4 * n)
            ks.fn(f"qd8_f32_{kind}_gemv_1x4")(n, k, Region(xq, 0, xq.nbytes, False), args[1],
                                             Region(y8, 0, y8.nbytes, True))
            want8 = quant.linear(_tensor(x, (m, k)), q, activations="int8").tolist()
            xh = ref_quant.dequantize_values("q8_0", bytes(xq.view())).tolist()
            _check([array.array("f", bytes(y8.view())).tolist()], want8, _bound(xh, q, m, n, k),
                   (isa, kind, "int8", n, k))
        _check([y[i * n:(i + 1) * n] for i in range(m)], want, _bound(x, q, m, n, k),
               (isa, kind, m, n, k))
        # dequantize / quantize kernels: bit for bit with the pure-Python codecs
        nb = n * k // 32
        out = Storage(4 * n * k)
        ks.fn(f"{kind}_dequantize")(nb, Region(ws, 0, ws.nbytes, False),
                                   Region(out, 0, out.nbytes, True))
        assert bytes(out.view()) == ref_quant.dequantize_values(kind, blocks).tobytes()
        wst, qst = st(w.tobytes()), Storage(len(blocks))
        ks.fn(f"{kind}_quantize")(nb, Region(wst, 0, wst.nbytes, False),
                                 Region(qst, 0, qst.nbytes, True))
        assert bytes(qst.view()) == blocks


def test_from_blocks_reads_the_callers_bytes_in_place():
    values = [j % 16 for j in range(64)]          # d = 1, m = 0: exact in q4_1
    blocks = ref_quant.quantize_bytes("q4_1", array.array("f", values))
    blob = b"GGUF" + blocks
    q = quant.from_blocks("q4_1", (2, 32), memoryview(blob)[4:])
    assert q._storage.address() == ctypes.cast(ctypes.c_char_p(blob), ctypes.c_void_p).value + 4
    assert quant.dequantize(q).reshape(64).tolist() == values


@pytest.mark.parametrize("kind", KINDS)
def test_embedding_wasm_matches_pure_python(kind):
    rng = random.Random("emb" + kind)
    n, k = 19, 64
    q = quant.from_blocks(kind, (n, k), ref_quant.quantize_bytes(kind, _weights(rng, n, k)))
    ids = wt.tensor([[3, 18, 0], [3, 7, 11]])
    backends.set_backend("reference")
    want = quant.embedding(ids, q).tolist()
    backends.set_backend("wasm")
    assert quant.embedding(ids, q).tolist() == want
    assert quant.embedding(ids, q)[1, 2].tolist() == quant.dequantize(q)[11].tolist()


# ---- the read-only kinds (blocks from GGUF files): random valid blocks ---------------------
READ_ONLY = ("q4_0", "q5_0", "q5_1", "q4_k", "q6_k")


def _read_only_bound(x, q, m, n, k):
    """(K + 64) eps sum_l |x[l]| (|w| + 2|m_b|): m_b bounds the block's additive term (q5_1's
    m, q4_k's dmin * 63), so |w| + 2|m_b| >= |s (c - o)| + |m|, the terms the kernels add."""
    per, bb = ref_quant.BLOCKS[q.kind]
    data = q.tobytes()
    w = ref_quant.dequantize_values(q.kind, data)
    mags = []
    for b in range(n * k // per):
        mb = 0.0
        if q.kind in ("q5_1", "q4_k"):
            mb = abs(struct.unpack_from("<e", data, b * bb + 2)[0]) * (63 if q.kind == "q4_k"
                                                                        else 1)
        mags.extend(abs(v) + 2 * mb for v in w[b * per:(b + 1) * per])
    return [[(k + 64) * EPS * sum(abs(x[i * k + l]) * mags[j * k + l] for l in range(k))
             for j in range(n)] for i in range(m)]


@pytest.mark.parametrize("kind", READ_ONLY)
def test_read_only_kinds_wasm_matches_pure_python(kind):
    """dequantize bit for bit; linear (float32 and int8 activations, M == 1 and 3) within the
    bound; embedding rows; then both ISA builds' kernels called directly."""
    from webtensor._storage import Storage
    from wtcheck import quant_blocks
    rng = random.Random(kind)
    per = ref_quant.BLOCKS[kind][0]
    n, k = 5, 2 * per
    blocks = quant_blocks(rng, n * k // per, kind)
    q = quant.from_blocks(kind, (n, k), blocks)
    ids = wt.tensor([4, 0, 4])
    results = {}
    for be in ("reference", "wasm"):
        backends.set_backend(be)
        res = results[be] = [quant.dequantize(q).tolist(), quant.embedding(ids, q).tolist()]
        for m in (1, 3):
            x = _tensor([math.sin(j) for j in range(m * k)], (m, k))
            res.extend(quant.linear(x, q, activations=a).tolist() for a in ("float32", "int8"))
    want, got = results["reference"], results["wasm"]
    assert got[0] == want[0] and got[1] == want[1]
    assert got[1] == [want[0][4], want[0][0], want[0][4]]
    i = 2
    for m in (1, 3):
        x = [math.sin(j) for j in range(m * k)]
        xh = ref_quant.dequantize_values("q8_0", ref_quant.quantize_bytes(
            "q8_0", array.array("f", x))).tolist()
        for xs in (x, xh):
            _check(got[i], want[i], _read_only_bound(xs, q, m, n, k), (kind, m, i))
            i += 1

    def st(data):
        s = Storage(len(data))
        s.view()[:] = data
        return s
    x = [math.cos(j) for j in range(k)]
    xq = ref_quant.quantize_bytes("q8_0", array.array("f", x))
    xh = ref_quant.dequantize_values("q8_0", xq).tolist()
    backends.set_backend("reference")
    want = quant.linear(_tensor(x, (1, k)), q).tolist()
    want8 = quant.linear(_tensor(x, (1, k)), q, activations="int8").tolist()
    for isa in ISAS:
        ks = loader.load(isa)
        ws = st(blocks)
        wr = Region(ws, 0, ws.nbytes, False)
        xf = array.array("f", x).tobytes()
        for name, xin, ref, xb in ((f"f32_{kind}_gemm_2x4", xf, want, x),
                                   (f"f32_{kind}_gemv_1x4", xf, want, x),
                                   (f"qd8_f32_{kind}_gemv_1x4", xq, want8, xh)):
            xs, ys = st(xin), Storage(4 * n)
            args = (1, n, k) if "gemm" in name else (n, k)
            ks.fn(name)(*args, Region(xs, 0, xs.nbytes, False), wr,
                        Region(ys, 0, ys.nbytes, True))
            _check([array.array("f", bytes(ys.view())).tolist()], ref,
                   _read_only_bound(xb, q, 1, n, k), (isa, name))
