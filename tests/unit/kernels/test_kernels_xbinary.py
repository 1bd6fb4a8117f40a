"""float64 / int64 / int32 / int16 / byte elementwise kernels <dt>_<op> (wasm_kernels/xN-binary)
for both ISA builds against numpy: wrap-around integer arithmetic, exact float64 (NaN in either
operand of maximum/minimum wins), bitwise ops, comparisons as 0/1 bytes, signed and unsigned
bytes, logical_and/or/xor as 0/1 bytes (a float's -0.0 false, NaN true), float16/bfloat16
fmax/fmin, in the 2-D broadcast form (same shape, scalar, row, column and strided operands, on edge
sizes: 0, odd, past the 64-element chunk of the broadcast path); the unary kernels on every
tail length."""
import numpy as np
import pytest
import torch

from conftest_kernels import backend, call, ks  # noqa: F401
from webtensor.backends.wasm import kernel_table as KT

OPS = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide,
       "maximum": np.maximum, "minimum": np.minimum, "bitwise_and": np.bitwise_and,
       "bitwise_or": np.bitwise_or, "bitwise_xor": np.bitwise_xor, "eq": np.equal,
       "ne": np.not_equal, "lt": np.less, "le": np.less_equal, "gt": np.greater,
       "ge": np.greater_equal, "logical_and": np.logical_and, "logical_or": np.logical_or,
       "logical_xor": np.logical_xor, "fmax": np.fmax, "fmin": np.fmin}
BOOL_OUT = KT.COMPARE_OPS + KT.LOGICAL_OPS
UNARY = {"neg": np.negative, "abs": np.abs, "sqrt": np.sqrt, "floor": np.floor,
         "ceil": np.ceil, "round": np.round, "reciprocal": np.reciprocal, "sign": np.sign}
NP = {"f64": np.float64, "i64": np.int64, "i32": np.int32, "i16": np.int16, "i8": np.int8,
      "u8": np.uint8, "f16": np.float16, "bf16": np.uint16}     # bf16: its bits
NAMES = sorted(set(KT.X_BINARY.values()) | set(KT.X_COMPARE.values()) |
               set(KT.X_LOGICAL.values()))


def values(rng, dt, size):
    t = NP[dt]
    if dt in ("f64", "f16", "bf16"):
        buf = rng.standard_normal(size) * 10.0 ** rng.integers(-3, 4, size)
        buf[::7] = np.nan
        buf[3::11] = np.inf * np.sign(buf[3::11] + 0.5)
        if dt == "bf16":
            buf[::3] = rng.integers(-3, 3, len(buf[::3]))
            return bf16_bits(torch.from_numpy(buf).bfloat16())
    else:
        info = np.iinfo(t)
        buf = rng.integers(info.min, info.max, size, dtype=t, endpoint=True)
    buf[::3] = rng.integers(-3 if dt != "u8" else 0, 3, len(buf[::3]))  # equal pairs happen
    return buf.astype(t)


def bf16_bits(t):
    return t.view(torch.int16).numpy().view(np.uint16)


def half_op(op, a, b):
    """float16 (numpy: float32 opmath) or bfloat16 bits (torch: float32 opmath); comparisons
    as bools."""
    if a.dtype == np.float16:
        return OPS[op](a, b)
    ta, tb = (torch.from_numpy(x.astype(np.int16)).view(torch.bfloat16) for x in (a, b))
    r = getattr(torch, op)(ta, tb)
    return r.numpy() if op in BOOL_OUT else bf16_bits(r)


def operand(rng, dt, m, n, kind):
    size, strides = {"same": (m * n, (n, 1)), "scalar": (1, (0, 0)), "row": (n, (0, 1)),
                     "col": (m, (1, 0)), "strided": (m * n * 2, (2 * n, 2)),
                     "transposed": (m * n, (1, m))}[kind]
    return values(rng, dt, max(size, 1)), (strides[0] if m > 1 else 0, strides[1] if n > 1 else 0)


def at(buf, rs, cs, m, n):
    i, j = np.meshgrid(np.arange(m), np.arange(n), indexing="ij")
    return buf[i * rs + j * cs]


@pytest.mark.parametrize("name", NAMES)
def test_x_binary(ks, name):
    dt, op = name.split("_", 1)
    cmp = op in BOOL_OUT
    rng = np.random.default_rng(len(name))
    kinds = ("same", "scalar", "row", "col", "strided", "transposed")
    for m, n in ((0, 4), (1, 0), (1, 5), (3, 7), (2, 65), (5, 131), (2, 1100)):  # 1 KiB chunks
        for ka, kb in [("same", "same"), ("same", "scalar"), ("scalar", "same"), ("row", "col")] \
                + [tuple(rng.choice(kinds, 2)) for _ in range(2)]:
            a, (ars, acs) = operand(rng, dt, m, n, ka)
            b, (brs, bcs) = operand(rng, dt, m, n, kb)
            y0 = np.full(m * n + 2, 7, np.uint8 if cmp else NP[dt])
            (y,) = call(ks, name, m, n, a, ars, acs, b, brs, bcs, y0)
            assert np.all(y[m * n:] == 7), "wrote past the output"
            with np.errstate(all="ignore"):
                xa, xb = at(a, ars, acs, m, n), at(b, brs, bcs, m, n)
                want = half_op(op, xa, xb) if dt in ("f16", "bf16") else OPS[op](xa, xb)
                want = want.reshape(-1)
            if dt == "bf16" and not cmp:   # any NaN matches any NaN (torch's vector path)
                y, want = (np.where(v & 0x7FFF > 0x7F80, 0x7FC0, v).astype(np.uint16)
                           for v in (y, want))
            np.testing.assert_array_equal(y[:m * n], want.astype(y.dtype), err_msg=str((m, n, ka, kb)))


def half_unary(op, dt, x):
    """torch's float16/bfloat16 op on x (float16 values or bfloat16 bits) as bits, every NaN
    as the kernels' sign|0x7E00 (float16) / 0x7FC0 (bfloat16)."""
    t = torch.from_numpy(x.view(np.uint16).astype(np.int16)).view(
        torch.float16 if dt == "f16" else torch.bfloat16)
    r = (torch.relu(t) if op == "relu" else getattr(torch, op)(t)).view(torch.int16)
    bits = r.numpy().view(np.uint16)
    nan = bits & 0x7FFF > (0x7C00 if dt == "f16" else 0x7F80)
    canon = (bits & 0x8000) | 0x7E00 if dt == "f16" else np.full_like(bits, 0x7FC0)
    return np.where(nan, canon, bits).astype(np.uint16)


# the exact unary kernels of xN-unary (f64 transcendentals: test_kernels_f64_vmath.py; f64/i64/
# i32 sign, torch's sign(nan) = 0: test_backend_wasm_fminmax_sign.py)
@pytest.mark.parametrize("name", sorted(dt + "_" + op for dt, ops in KT.X_UNARY_OPS.items()
                                        for op in ops))
def test_x_unary(ks, name):
    dt, op = name.split("_", 1)
    rng = np.random.default_rng(len(name))
    for n in (0, 1, 2, 3, 4, 5, 17, 64, 131, 600):     # 600: past the halves' 256 chunk
        x = values(rng, dt, max(n, 1))[:n]
        if dt == "f64":
            x[1::5] = np.arange(len(x[1::5])) - 2.5          # halfway cases of round
            if len(x) > 2:
                x[2] = -0.0
        y0 = np.full(n + 2, 7, NP[dt])
        (y,) = call(ks, name, n, x, y0)
        assert np.all(y[n:] == 7), "wrote past the output"
        if dt in ("f16", "bf16"):
            np.testing.assert_array_equal(y[:n].view(np.uint16), half_unary(op, dt, x),
                                          err_msg=str(n))
            continue
        with np.errstate(all="ignore"):
            want = UNARY[op](x)
        np.testing.assert_array_equal(y[:n], want, err_msg=str(n))
        if dt == "f64":   # signed zeros too
            assert np.array_equal(np.signbit(y[:n]), np.signbit(want))
