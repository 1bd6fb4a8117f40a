"""Fit the polynomial coefficients used in include/wt_vmath.h (run by hand; not part of the build).

Near-minimax fits by Lawson's iteratively reweighted least squares on a dense grid, in float64
(mpmath where float64 libm would lose digits), then rounded to float32. Prints C initialisers.
usage: python wasm_kernels/tools/fit_poly.py
"""
import mpmath
import numpy as np

mpmath.mp.dps = 40


def lawson(basis, target, weight, iters=60):
    """Minimise max |weight * (basis @ c - target)| approximately."""
    w = np.ones(len(target)) / len(target)
    for _ in range(iters):
        sw = np.sqrt(w)
        c, *_ = np.linalg.lstsq(basis * (sw * weight)[:, None], target * sw * weight, rcond=None)
        err = np.abs(weight * (basis @ c - target))
        w = w * err
        w /= w.sum()
    return c, err.max()


def grid(a, b, n=4000):
    k = np.arange(n)
    return 0.5 * (a + b) + 0.5 * (b - a) * np.cos(np.pi * (k + 0.5) / n)


def f32(c):
    return [float(np.float32(v)) for v in c]


def show(name, c, err):
    print(f"{name}: max weighted err {err:.3e}")
    print("   ", ", ".join(f"{v:.9e}f" for v in f32(c)))


def fit_exp():
    # exp(r) = 1 + r + r^2 * q(r), |r| <= ln2/2
    r = grid(-0.3466, 0.3466)
    t = np.array([float((mpmath.exp(v) - 1 - v) / v**2) if v else 0.5 for v in r])
    B = np.stack([r**k for k in range(5)], 1)
    c, e = lawson(B, t, r**2 / np.exp(r))
    show("exp q(r) degree 4 (c2..c6)", c, e)


def fit_expm1():
    # expm1(r) = r + r^2/2 + r^3 * q(r), |r| <= ln2/2
    r = grid(-0.3466, 0.3466)
    t = np.array([float((mpmath.expm1(v) - v - v * v / 2) / v**3) if v else 1 / 6 for v in r])
    B = np.stack([r**k for k in range(5)], 1)
    c, e = lawson(B, t, r**3 / np.abs(np.expm1(r)))
    show("expm1 q(r) degree 4 (c3..c7)", c, e)


def fit_log():
    # log(1+f) = f - (hf - s*(hf + R(s^2))), s = f/(2+f), hf = f^2/2, f in [sqrt(2)/2-1, sqrt(2)-1]
    f = grid(np.sqrt(0.5) - 1, np.sqrt(2) - 1)
    s = f / (2 + f)
    hf = 0.5 * f * f
    t = np.array([float((mpmath.log1p(v) - v + mpmath.mpf(v) ** 2 / 2) / (mpmath.mpf(v) / (2 + v)))
                  if v else 0.0 for v in f]) - hf
    z = s * s
    B = np.stack([z**k for k in range(1, 5)], 1)
    c, e = lawson(B, t, np.abs(s) / np.abs(np.log1p(f)))
    show("log R(z) = z*(c1 + c2 z + c3 z^2 + c4 z^3)", c, e)


def fit_erf():
    """erf(x) = x P(x^2) / Q(x^2), Q(0) = 1, degrees 5 and 5, on [0, 3.92] (wt_erf_scaled):
    linearised (Loeb) iterations of Lawson on x P - erf Q, reweighted by 1 / Q of the last
    step; then the gelu form erf(x / sqrt2), the 1/sqrt2 folded into the coefficients."""
    x = grid(1e-4, 3.92, 6000)
    y = np.array([float(mpmath.erf(v)) for v in x])
    t = x * x
    B = np.concatenate([np.stack([x * t**i for i in range(6)], 1),
                        np.stack([-y * t**j for j in range(1, 6)], 1)], 1)
    q_prev = np.ones_like(x)
    for _ in range(8):
        c, _ = lawson(B, y, 1 / (np.abs(y) * q_prev), iters=40)
        p, q = c[:6], np.concatenate([[1.0], c[6:]])
        q_prev = sum(q[j] * t**j for j in range(6))
    e = np.abs(x * sum(p[i] * t**i for i in range(6)) / q_prev - y) / y
    show("erf P(x^2)", p, e.max())
    show("erf Q(x^2) (1 first)", q, e.max())
    show("gelu P", [p[i] / 2**i / np.sqrt(2) for i in range(6)], e.max())
    show("gelu Q", [q[j] / 2**j for j in range(6)], e.max())


def fit_erf_f64():
    """float64 erf (f64-vunary ERF_SMALL): erf(x)/x in x^2 on |x| < 1/2; Chebyshev fit at 120
    bits, printed as hex doubles (highest first)."""
    with mpmath.workprec(120):
        p, e = mpmath.chebyfit(lambda z: mpmath.erf(mpmath.sqrt(z)) / mpmath.sqrt(z) if z > 0
                               else 2 / mpmath.sqrt(mpmath.pi), [0, 0.25], 10, error=True)
        print("ERF_SMALL", ", ".join(float(c).hex() for c in p), "error", float(e))


def erf_table_f64():
    """float64 erf on |x| <= 6 (f64-vunary ERF_T, ERF_LO): {erf(r), 2/sqrt(pi) exp(-r^2)} at
    r = n/64, n = 0 ... 384 (rows 1 and 2 as row 0: r = 0 there), and erf(r) - ERF_T[n][0] as
    float (a Taylor series in |x| - r on top)."""
    rows, lows = [], []
    with mpmath.workprec(200):
        for n in range(385):
            r = mpmath.mpf(n) / 64 if n >= 3 else mpmath.mpf(0)
            hi = float(mpmath.erf(r))
            rows.append(f"{{{hi.hex()}, "
                        f"{float(2 / mpmath.sqrt(mpmath.pi) * mpmath.exp(-r * r)).hex()}}}")
            lows.append(f"{float(np.float32(float(mpmath.erf(r) - hi))).hex()}f")
    print("ERF_T", ",\n".join(rows))
    print("ERF_LO", ", ".join(lows))


def exp_table_f64():
    """float64 exp family (f64-vunary EXP_T): 2^(j/128) = s (1 + tail), s the nearest double,
    stored as {tail, bits(s) - j 2^45} (the exponent of 2^n added as k << 45, k = 128 n + j)."""
    import struct
    rows = []
    with mpmath.workprec(200):
        for j in range(128):
            v = mpmath.mpf(2) ** (mpmath.mpf(j) / 128)
            s = float(v)
            tail = float((v - s) / s)
            bits = struct.unpack("<Q", struct.pack("<d", s))[0] - (j << 45)
            rows.append(f"{{{tail.hex()}, 0x{bits:016x}ULL}}")
    print("EXP_T", ",\n".join(rows))


if __name__ == "__main__":
    exp_table_f64()
    erf_table_f64()
    fit_erf_f64()
    fit_exp()
    fit_expm1()
    fit_log()
    fit_erf()
