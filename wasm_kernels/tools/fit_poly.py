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


def fit_erf_small():
    # erf(x) = x * P(x^2), |x| <= 0.921875
    x = grid(1e-6, 0.921875)
    t = np.array([float(mpmath.erf(v) / v) for v in x])
    B = np.stack([(x * x)**k for k in range(7)], 1)
    c, e = lawson(B, t, np.ones_like(x) / t)
    show("erf P(x^2) degree 6", c, e)


def fit_erfcx():
    # erfc(z) = exp(-z^2) * Q(z), z in [0.921875, 10.5]; Q = erfcx, piecewise in w = 1/z
    for a, b in ((0.921875, 2.0), (2.0, 10.5)):
        z = grid(a, b)
        t = np.array([float(mpmath.erfc(v) * mpmath.exp(v * v)) for v in z])
        w = 1 / z
        B = np.stack([w**k for k in range(1, 10)], 1)  # erfcx ~ w/sqrt(pi) for large z
        c, e = lawson(B, t, 1 / t)
        show(f"erfcx on [{a}, {b}] sum c_k w^k k=1..9", c, e)


if __name__ == "__main__":
    fit_exp()
    fit_expm1()
    fit_log()
    fit_erf_small()
    fit_erfcx()
