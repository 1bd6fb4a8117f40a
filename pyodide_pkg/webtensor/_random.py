"""torch's CPU random number generator, bit for bit: an mt19937 engine whose state is kept in
torch's own 5056-byte layout (what torch.get_rng_state() returns), and torch's transforms
from raw 32/64-bit draws to each distribution and dtype (ATen's CPUGeneratorImpl,
DistributionsHelper and cpu/DistributionTemplates).

This module is the pure-Python reference (stdlib only: CPython's random.Random is a plain
mt19937, so it is used as the engine, loaded from and stored back to the state bytes). The
bulk fills go through the dispatched primitive "random" so that the WASM kernels
(wasm_kernels/xN-random) do the large ones; this module's `fill` is its reference
implementation.

State layout (little-endian; torch's CPUGeneratorImplState):
  0 initial seed u64 | 8 left i32 | 12 seeded i32 | 16 next u64 | 24 mt[624] as u64 |
  5016 normal_x f64 | 5024 normal_y f64 (the cached second Box-Muller value) |
  5032 normal_rho f64 | 5040 normal_is_valid i32 | 5048 next float normal f32 | 5052 valid u8
"""
import math
import random as _pyrandom
import struct
from array import array

from . import _dtype as D
from ._float_exact import f32, fma, fma32, log1p_neg, normal_fill16_f32

STATE_SIZE = 5056
N = 624
DEFAULT_SEED = 67280421310721          # torch's default_rng_seed_val
_OFF_LEFT, _OFF_NEXT, _OFF_MT = 8, 16, 24
_OFF_NORMAL_Y, _OFF_NORMAL_VALID = 5024, 5040
_MT = struct.Struct("<624Q")
_HALF = struct.Struct("<e")
_ENGINE = _pyrandom.Random(0)
_M24, _M53 = (1 << 24) - 1, (1 << 53) - 1
# uniform_real_distribution: random mantissa bits per dtype (half and bfloat16 draw a float)
DIGITS = {"float32": 24, "float64": 53, "float16": 24, "bfloat16": 24}


def seed_state(buf, seed):
    """Write the state torch's manual_seed(seed) makes into buf (a writable 5056-byte view)."""
    seed &= (1 << 64) - 1
    mt = [0] * N
    x = mt[0] = seed & 0xFFFFFFFF
    for j in range(1, N):
        x = mt[j] = (1812433253 * (x ^ (x >> 30)) + j) & 0xFFFFFFFF
    buf[:] = bytes(STATE_SIZE)
    struct.pack_into("<QiiQ", buf, 0, seed, 1, 1, 0)
    _MT.pack_into(buf, _OFF_MT, *mt)


def check_state(buf):
    """Raise like torch for a state whose engine position is impossible."""
    left, = struct.unpack_from("<i", buf, _OFF_LEFT)
    nxt, = struct.unpack_from("<Q", buf, _OFF_NEXT)
    if not 1 <= left <= N or nxt > N:
        raise RuntimeError("Invalid mt19937 state")


def initial_seed(buf):
    return struct.unpack_from("<Q", buf, 0)[0]


class Stream:
    """Draws from a state buffer: `with Stream(buf) as s: s.u32(n)`; the engine position is
    written back on exit."""

    def __init__(self, buf):
        self.buf = buf

    def __enter__(self):
        left, = struct.unpack_from("<i", self.buf, _OFF_LEFT)
        nxt, = struct.unpack_from("<Q", self.buf, _OFF_NEXT)
        low = array("I", bytes(self.buf[_OFF_MT:_OFF_MT + 8 * N]))[0::2]    # u64 -> u32
        _ENGINE.setstate((3, tuple(low) + (N if left == 1 else nxt,), None))
        self.drawn = False
        return self

    def __exit__(self, *exc):
        if self.drawn:
            st = _ENGINE.getstate()[1]
            mti = st[N]
            words = array("I", bytes(8 * N))
            words[0::2] = array("I", st[:N])
            self.buf[_OFF_MT:_OFF_MT + 8 * N] = words.tobytes()
            struct.pack_into("<i", self.buf, _OFF_LEFT, N + 1 - mti)
            struct.pack_into("<Q", self.buf, _OFF_NEXT, mti)
        return False

    def words(self, n):
        """n raw 32-bit draws as an array("I")."""
        if n <= 0:
            return array("I")
        self.drawn = True
        return array("I", _ENGINE.getrandbits(32 * n).to_bytes(4 * n, "little"))

    def u32(self, n):
        """n raw 32-bit draws (torch's generator->random())."""
        return self.words(n).tolist()

    def u64(self, n):
        """n 64-bit draws (random64(): the first 32-bit draw is the high half)."""
        w = self.words(2 * n)
        swapped = array("I", w)              # (hi, lo) pairs -> little-endian u64 words
        swapped[0::2], swapped[1::2] = w[1::2], w[0::2]
        return memoryview(swapped).cast("B").cast("Q").tolist()

    def uniform(self, n, digits):
        """n uniform [0, 1) values with `digits` random mantissa bits (exact in a double)."""
        scale = 2.0 ** -digits
        if digits > 32:
            mask = (1 << digits) - 1
            return [(v & mask) * scale for v in self.u64(n)]
        mask = (1 << digits) - 1
        return [(v & mask) * scale for v in self.u32(n)]

    def normal_double(self):
        """at::normal_distribution<double>(0, 1): Box-Muller on two doubles, the second value
        cached in the state (and used by the next call, even by the next op)."""
        valid, = struct.unpack_from("<i", self.buf, _OFF_NORMAL_VALID)
        if valid:
            v, = struct.unpack_from("<d", self.buf, _OFF_NORMAL_Y)
            struct.pack_into("<d", self.buf, _OFF_NORMAL_Y, 0.0)
            struct.pack_into("<i", self.buf, _OFF_NORMAL_VALID, 0)
            return v
        u1, u2 = self.uniform(2, 53)
        r = math.sqrt(-2.0 * math.log1p(-u2))
        theta = 2.0 * math.pi * u1
        struct.pack_into("<d", self.buf, _OFF_NORMAL_Y, r * math.sin(theta))
        struct.pack_into("<i", self.buf, _OFF_NORMAL_VALID, 1)
        return r * math.cos(theta)


# ---- the "random" primitive's reference: fill a contiguous buffer ----------------------------
def fill(n, dtype_name, buf, dist, a, b=0.0):
    """The values torch writes into a contiguous tensor of n elements of dtype `dtype_name`:
    dist "uniform" (a = from, b = to), "normal" (a = mean, b = std; "normal_serial": torch's
    per-element path, taken for non-contiguous tensors), "bernoulli" (a = p), and torch's
    serial kernels: "randint" (random_(from=a, to=b): int64 values), "randperm" (of n),
    "bernoulli_tensor" (a = the probabilities, a list), "exponential" (a = lambda),
    "multinomial" (with replacement: a = the rows of probabilities, b = samples per row;
    dtype_name is theirs; the values row after row)."""
    if dist == "randint":
        return random_from_to(buf, n, a, b)
    if dist == "randperm":
        return randperm(buf, n)
    if dist == "bernoulli_tensor":
        return bernoulli_tensor(buf, a, dtype_name == "float64")
    if dist == "exponential":
        return exponential(buf, n, a)
    if dist == "multinomial":
        rows = multinomial_with_replacement(buf, a, b, dtype_name != "float64")
        return [v for r in rows for v in r]
    with Stream(buf) as s:
        if dist == "uniform":
            return uniform(s, n, dtype_name, a, b)
        if dist == "normal":
            return normal(s, n, dtype_name, a, b)
        if dist == "normal_serial":
            return [cast(dtype_name, fma(s.normal_double(), b, a)) for _ in range(n)]
        if dist == "bernoulli":
            return [1.0 if u < a else 0.0 for u in s.uniform(n, 53)]
    raise ValueError(f"unknown distribution {dist!r}")


def cast(dtype_name, v):
    """v rounded to the dtype's precision (as a Python float)."""
    if dtype_name == "float32":
        return f32(v)
    if dtype_name == "float64":
        return v
    if dtype_name == "float16":
        return _HALF.unpack(_HALF.pack(v))[0]
    return D.float_from_bf16_bits(D.bf16_bits_from_float(v))


def uniform(s, n, dtype_name, lo, hi):
    """uniform_real_distribution: x * (to - from) + from with one rounding (GCC contracts it
    to an fma) in double, from/to (and to - from) in the dtype, then cast. float16/bfloat16
    compute it in float32 on float32 uniforms and give `from` where the value rounds up to
    `to`."""
    xs = s.uniform(n, DIGITS[dtype_name])
    if dtype_name not in ("float32", "float64"):
        lo32, hi32 = f32(lo), f32(hi)
        rng = f32(hi32 - lo32)
        top, bottom = cast(dtype_name, hi), cast(dtype_name, lo)
        vals = [cast(dtype_name, fma32(x, rng, lo32)) for x in xs]
        return [bottom if v == top else v for v in vals]
    lo, hi = cast(dtype_name, lo), cast(dtype_name, hi)
    rng = cast(dtype_name, hi - lo)
    out = xs if (rng == 1.0 and lo == 0.0) else [fma(x, rng, lo) for x in xs]
    return [f32(v) for v in out] if dtype_name == "float32" else out


def normal(s, n, dtype_name, mean, std):
    """normal_kernel: a contiguous tensor of >= 16 elements is filled with uniforms, then
    Box-Muller over blocks of 16 (the first 8 give the radii, the next 8 the angles), the last
    16 drawn again when n is not a multiple of 16; float32 takes avx_mathfun's vector
    log/sincos (the AVX2 build, also used on AVX-512 machines), and so do float16/bfloat16
    (uniforms drawn block by block, the float32 results cast); smaller tensors take
    normal_distribution<double> per element."""
    if n < 16:
        return [cast(dtype_name, fma(s.normal_double(), std, mean)) for _ in range(n)]
    if dtype_name == "float32":
        mean, std = f32(mean), f32(std)
        data = [f32(x) for x in s.uniform(n, 24)]
        for i in range(0, n - 15, 16):
            data[i:i + 16] = normal_fill16_f32(data[i:i + 16], mean, std)
        if n % 16:
            data[n - 16:] = normal_fill16_f32([f32(x) for x in s.uniform(16, 24)], mean, std)
        return data
    if dtype_name != "float64":       # float16/bfloat16: float32 blocks drawn one by one
        mean, std = f32(mean), f32(std)
        data = [0.0] * n
        for i in range(0, n - 15, 16):
            data[i:i + 16] = normal_fill16_f32([f32(x) for x in s.uniform(16, 24)], mean, std)
        if n % 16:
            data[n - 16:] = normal_fill16_f32([f32(x) for x in s.uniform(16, 24)], mean, std)
        return [cast(dtype_name, v) for v in data]
    data = s.uniform(n, 53)
    for i in range(0, n - 15, 16):
        data[i:i + 16] = _normal_fill16_f64(data[i:i + 16], mean, std)
    if n % 16:
        data[n - 16:] = _normal_fill16_f64(s.uniform(16, 53), mean, std)
    return data


def _normal_fill16_f64(d, mean, std):
    out = list(d)
    for j in range(8):
        r = math.sqrt(-2.0 * math.log(1.0 - d[j]))
        theta = 2.0 * math.pi * d[j + 8]
        out[j] = fma(r * math.cos(theta), std, mean)
        out[j + 8] = fma(r * math.sin(theta), std, mean)
    return out


# ---- torch's serial CPU kernels (fill's reference; the wasm backend: xN-random/xN_draws) ----
def random_from_to(buf, n, low, high):
    """random_(from, to) / randint: a draw modulo the range (64-bit draws from 2**32 up)."""
    span = high - low
    with Stream(buf) as s:
        draws = s.u64(n) if span >= 1 << 32 else s.u32(n)
    if low == 0:
        return [v % span for v in draws]
    return [v % span + low for v in draws]


def randperm(buf, n):
    """randperm's Fisher-Yates: swap i with i + random() % (n - i); from n >= 2**32 / 20 on,
    torch's inside-out variant on 64-bit draws."""
    with Stream(buf) as s:
        if n < 0xFFFFFFFF // 20:
            r = list(range(n))
            for i, w in enumerate(s.u32(n - 1)):
                z = w % (n - i) + i
                r[i], r[z] = r[z], r[i]
            return r
        r = [0] * n
        for i, w in enumerate(s.u64(n)):
            z = w % (i + 1)
            r[i] = r[z]
            r[z] = i
        return r


def bernoulli_tensor(buf, probs, double):
    """bernoulli(p tensor): a uniform float (24 bits) or double (53 bits) below p."""
    with Stream(buf) as s:
        us = s.uniform(len(probs), 53 if double else 24)
    return [1 if u < p else 0 for u, p in zip(us, probs)]


def exponential(buf, n, lambd):
    """exponential_: -1/lambda * log1p(-u) on a 53-bit uniform (every dtype)."""
    with Stream(buf) as s:
        return [-1.0 / lambd * log1p_neg(-u) for u in s.uniform(n, 53)]


def multinomial_with_replacement(buf, rows, n_sample, single):
    """torch's CPU kernel: per row the cumulative sums (in the row's float precision),
    normalised by the total, the last set to 1; each sample a 53-bit uniform located by binary
    search (the first bucket whose cumulative value is >= u)."""
    rnd = f32 if single else float
    out = []
    with Stream(buf) as s:
        for row in rows:
            cum, acc = [], 0.0
            for p in row:                       # torch's checks, in its order
                if not p >= 0:
                    raise RuntimeError("invalid multinomial distribution (encountering "
                                       "probability entry < 0)")
                if not math.isfinite(p):
                    raise RuntimeError("invalid multinomial distribution (encountering "
                                       "probability entry = infinity or NaN)")
                acc = rnd(acc + p)
                cum.append(acc)
            if not acc > 0:
                raise RuntimeError("invalid multinomial distribution (sum of probabilities "
                                   "<= 0)")
            cum = [rnd(c / acc) for c in cum]
            cum[-1] = 1.0
            picks = []
            for u in s.uniform(n_sample, 53):
                lo, hi = 0, len(cum)
                while hi - lo > 0:
                    mid = lo + (hi - lo) // 2
                    if cum[mid] < u:
                        lo = mid + 1
                    else:
                        hi = mid
                picks.append(lo)
            out.append(picks)
    return out
