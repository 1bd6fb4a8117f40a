"""Exact float arithmetic in pure Python for the random number reference (_random.py):
float32 rounding, fused multiply-adds with one rounding (double and float32), and torch's
AVX2 Box-Muller block (avx_mathfun's log256_ps / sincos256_ps, in the order GCC compiles
them for torch's AVX2 build: every multiply feeding an add is fused, and where both operands
of an add are products, the one GCC fuses is the one noted below)."""
import math
import struct

_F = struct.Struct("<f")
_I = struct.Struct("<I")
_Q = struct.Struct("<Q")
_SPLIT = 134217729.0          # 2**27 + 1 (Veltkamp)


def f32(x):
    """x rounded to float32 (to nearest even), as a Python float."""
    try:
        return _F.unpack(_F.pack(x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def _bits(x):
    return _I.unpack(_F.pack(x))[0]


def _from_bits(b):
    return _F.unpack(_I.pack(b & 0xFFFFFFFF))[0]


def fma(a, b, c):
    """a * b + c in double with a single rounding."""
    p = a * b
    if not math.isfinite(p) or not math.isfinite(c):
        return p + c
    t = _SPLIT * a
    ah = t - (t - a)
    t = _SPLIT * b
    bh = t - (t - b)
    al, bl = a - ah, b - bh
    if ((ah * bh - p) + ah * bl + al * bh) + al * bl == 0.0:     # the product is exact
        return p + c
    from fractions import Fraction     # rare inexact products only: kept off import time
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def fma32(a, b, c):
    """a * b + c on float32 values with one rounding to float32: the product is exact in a
    double, the sum is rounded to odd (so rounding it again to float32 is correct)."""
    p = a * b
    s = p + c
    bp = s - c
    err = (p - bp) + (c - (s - bp))
    if err != 0.0 and not _Q.unpack(struct.pack("<d", s))[0] & 1:
        s = math.nextafter(s, math.inf if err > 0 else -math.inf)
    return f32(s)


# avx_mathfun.h constants (Cephes), as float32
_C = [f32(v) for v in (
    7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1, 1.4249322787E-1,
    -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1)]
_SQRTHF, _LOG_Q1, _LOG_Q2 = f32(0.707106781186547524), f32(-2.12194440e-4), f32(0.693359375)
_FOPI = f32(1.27323954473516)
_DP = [f32(-0.78515625), f32(-2.4187564849853515625e-4), f32(-3.77489497744594108e-8)]
_SIN = [f32(-1.9515295891E-4), f32(8.3321608736E-3), f32(-1.6666654611E-1)]
_COS = [f32(2.443315711809948E-005), f32(-1.388731625493765E-003), f32(4.166664568298827E-002)]
_TWO_PI = f32(2.0 * math.pi)


def log256(x):
    """log256_ps on one lane (x > 0)."""
    b = _bits(max(x, 1.1754943508222875e-38))
    e = float((b >> 23) - 127) + 1.0
    m = _from_bits((b & ~0x7F800000) | 0x3F000000)        # mantissa in [0.5, 1)
    if m < _SQRTHF:
        e -= 1.0
        m = f32(f32(m - 1.0) + m)                          # x + x - 1
    else:
        m = f32(m - 1.0)
    z = f32(m * m)
    y = _C[0]
    for c in _C[1:]:
        y = fma32(y, m, c)
    y = f32(y * m)
    y = fma32(y, z, f32(e * _LOG_Q1))                      # fused: y * z, not e * q1
    y = f32(y - f32(z * 0.5))
    return fma32(e, _LOG_Q2, f32(m + y))


def sincos256(x):
    """sincos256_ps on one lane: (sin x, cos x)."""
    neg = x < 0 or (x == 0 and math.copysign(1.0, x) < 0)
    x = abs(x)
    j = (int(f32(x * _FOPI)) + 1) & ~1
    y = float(j)
    for dp in _DP:
        x = fma32(y, dp, x)
    sin_neg = neg != bool(j & 4)
    cos_neg = bool(~(j - 2) & 4)
    z = f32(x * x)
    yc = fma32(fma32(_COS[0], z, _COS[1]), z, _COS[2])
    yc = fma32(f32(yc * z), z, -f32(z * 0.5))             # fused: yc * z, not z * 0.5
    yc = f32(yc + 1.0)
    ys = fma32(fma32(_SIN[0], z, _SIN[1]), z, _SIN[2])
    ys = fma32(f32(ys * z), x, x)
    s, c = (ys, yc) if not j & 2 else (yc, ys)
    return (-s if sin_neg else s), (-c if cos_neg else c)


def normal_fill16_f32(d, mean, std):
    """torch's normal_fill_16_AVX2 on 16 float32 uniforms: radii from d[:8], angles from
    d[8:]; returns the 16 normals (cos half first)."""
    out = [0.0] * 16
    for j in range(8):
        radius = f32(math.sqrt(f32(-2.0 * log256(f32(1.0 - d[j])))))
        s, c = sincos256(f32(_TWO_PI * d[j + 8]))
        out[j] = fma32(f32(radius * c), std, mean)
        out[j + 8] = fma32(f32(radius * s), std, mean)
    return out


_D = struct.Struct("<d")
_LP = (6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
       2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
       1.479819860511658591e-01)


def log1p_neg(x, _fma=getattr(math, "fma", fma)):
    """log1p(x) for -1 < x <= 0 as x86-64 glibc 2.36 computes it (exponential_'s transform):
    fdlibm's algorithm with the polynomial's products fused into its sums, the rest not; the
    same operations as the xN_draws kernel. math.log1p is glibc's own on Linux CPython, but
    not in Pyodide (musl), whose results differ in the last bit."""
    ln2_hi, ln2_lo = 6.93147180369123816490e-01, 1.90821492927058770002e-10
    lp1, lp2, lp3, lp4, lp5, lp6, lp7 = _LP
    bits = _Q.unpack(_D.pack(x))[0]
    ax = (bits >> 32) & 0x7FFFFFFF
    c, hu = 0.0, 1
    if ax < 0x3E200000:                                   # |x| < 2^-29
        return x if ax < 0x3C900000 else x - x * x * 0.5
    if ax <= 0x3FD2BEC4:                                  # x >= -0.2929
        k, f = 0, x
    else:
        u = 1.0 + x
        ub = _Q.unpack(_D.pack(u))[0]
        hu = ub >> 32
        k = (hu >> 20) - 1023
        c = (1.0 - (u - x) if k > 0 else x - (u - 1.0)) / u
        hu &= 0x000FFFFF
        if hu < 0x6A09E:
            u = _D.unpack(_Q.pack(((hu | 0x3FF00000) << 32) | (ub & 0xFFFFFFFF)))[0]
        else:
            k += 1
            u = _D.unpack(_Q.pack(((hu | 0x3FE00000) << 32) | (ub & 0xFFFFFFFF)))[0]
            hu = (0x00100000 - hu) >> 2
        f = u - 1.0
    hfsq = 0.5 * f * f
    if hu == 0:                                           # |f| < 2^-20
        if f == 0.0:
            return 0.0 if k == 0 else k * ln2_hi + (c + k * ln2_lo)
        r = hfsq * (1.0 - 0.66666666666666666 * f)
        return f - r if k == 0 else k * ln2_hi - ((r - (k * ln2_lo + c)) - f)
    s = f / (2.0 + f)
    z = s * s
    z2 = z * z
    z4 = z2 * z2
    z6 = z4 * z2
    r = _fma(z6, _fma(z, lp7, lp6), _fma(z4, _fma(z, lp5, lp4),
                                         _fma(z, lp1, z2 * _fma(z, lp3, lp2))))
    if k == 0:
        return f - (hfsq - s * (hfsq + r))
    return k * ln2_hi - ((hfsq - (s * (hfsq + r) + (k * ln2_lo + c))) - f)
