/* Vectorised f32x4 transcendentals shared by the unary, softmax and reduction kernels.
 *
 * Coefficients come from wasm_kernels/tools/fit_poly.py (near-minimax fits, rounded to f32).
 * Error bounds are stated per kernel next to its definition and checked by
 * tests/unit/kernels/test_kernels_unary.py against float64 references on dense grids.
 * NaN/Inf behaviour follows torch (e.g. exp(-inf) = 0, log(0) = -inf, log(-1) = nan).
 */
#pragma once
#include "wt_common.h"

/* A float32 constant splat that clang cannot re-materialise: the empty asm makes it an opaque
 * value, computed once before the loop (LICM) and kept in a local. Chromium's V8 (156)
 * re-materialises every v128.const at each use inside a loop where registers run out (64-bit
 * immediate move, GPR->XMM move, shuffle: 3 instructions on the shuffle port; 18 per sin
 * vector), where a local is kept in a register or spilled and reloaded (one load); Node's V8
 * (11.3) hoists v128.const itself. */
#define WT_K(c) ({ v128_t wt_k_ = wasm_f32x4_splat(c); __asm__("" : "+r"(wt_k_)); wt_k_; })

#define WT_LOG2E 0x1.715476p+0f
/* ln2 split so that n * WT_LN2_HI is exact for |n| < 2^9 */
#define WT_LN2_HI 0x1.62e400p-1f
#define WT_LN2_LO 0x1.7f7d1cp-20f

static inline v128_t wt_abs(v128_t x) { return wasm_f32x4_abs(x); }
static inline v128_t wt_isnan(v128_t x) { return wasm_f32x4_ne(x, x); }
static inline v128_t wt_copysign(v128_t mag, v128_t sgn) {
  return wasm_v128_bitselect(sgn, mag, wasm_i32x4_splat((int32_t)0x80000000u));
}

/* 2^n as f32 for integer n in [-126, 127] */
static inline v128_t wt_pow2i(v128_t n) {
  return wasm_i32x4_shl(wasm_i32x4_add(n, wasm_i32x4_splat(127)), 23);
}

/* exp(r) for xc = n ln2 + r, |r| <= ln2/2 (xc already clamped); *t = xc log2e + 1.5 * 2^23,
 * whose low mantissa bits are n as an integer (no float->int conversion needed). Shared by
 * wt_exp2k and wt_softmax.h's wt_exp_nonpos. */
static inline v128_t wt_exp_reduced(v128_t xc, v128_t* t) {
  *t = wasm_f32x4_add(wasm_f32x4_mul(xc, WT_K(WT_LOG2E)), WT_K(0x1.8p23f));
  const v128_t n = wasm_f32x4_sub(*t, WT_K(0x1.8p23f));
  v128_t r = WT_MADD(n, WT_K(-WT_LN2_HI), xc);
  r = WT_MADD(n, WT_K(-WT_LN2_LO), r);
  /* exp(r) = 1 + r + r^2 q(r) */
  v128_t q = WT_MADD(WT_K(1.381459995e-03f), r, WT_K(8.368715644e-03f));
  q = WT_MADD(q, r, WT_K(4.166838899e-02f));
  q = WT_MADD(q, r, WT_K(1.666652113e-01f));
  q = WT_MADD(q, r, WT_K(4.999999404e-01f));
  return wasm_f32x4_add(WT_MADD(wasm_f32x4_mul(r, r), q, r), WT_K(1.0f));
}

/* exp(x) * 2^k for a small constant k >= 0: max error 1.5 ulp (1 ulp measured, both builds).
 * k > 0 lets callers keep exp(x) normal where it would be subnormal and scale the final
 * product down once (sigmoid, silu, gelu_tanh now take wt_exp_nonpos64 instead). x is
 * clamped so that exp(x) * 2^k is 0 or +inf beyond the clamp anyway; the two-step 2^n
 * scaling then gives correctly rounded subnormals and overflow without special-case selects. */
static inline v128_t wt_exp2k(v128_t x, int k) {
  const float lo = -104.0f - (float)k * 0.6931472f, hi = 89.0f - (float)k * 0.6931472f;
  /* pmin/pmax are one x86 instruction each (NaN-propagating min/max are several); a NaN x
   * still passes through both unchanged */
  const v128_t xc = wasm_f32x4_pmin(wasm_f32x4_pmax(x, WT_SPLAT(lo)), WT_SPLAT(hi));
  v128_t t;   /* n rounded to nearest by adding 1.5 * 2^23 (the same n as f32x4.nearest) */
  const v128_t p = wt_exp_reduced(xc, &t);
  /* n + k in [-150, 128]: scale in two steps, exact or rounded once */
  const v128_t ni = wasm_i32x4_add(wasm_i32x4_sub(t, WT_K(0x1.8p23f)), wasm_i32x4_splat(k));
  const v128_t n1 = wasm_i32x4_shr(ni, 1);
  const v128_t n2 = wasm_i32x4_sub(ni, n1);
  return wasm_f32x4_mul(wasm_f32x4_mul(p, wt_pow2i(n1)), wt_pow2i(n2));
}

/* exp(a) * 2^64 for a <= 0 (or nan), exactly 0 for a < -110: sigmoid, silu and gelu_tanh
 * scale it by 2^-64 into results that round to 0 below a = -104. n + 64 >= -95 there, so
 * one 2^n scaling is exact and gives wt_exp2k(a, 64)'s bits; no clamp (out-of-range lanes
 * are cleared), 6 operations fewer per vector. */
static inline v128_t wt_exp_nonpos64(v128_t a) {
  v128_t t;
  const v128_t p = wt_exp_reduced(a, &t);
  const v128_t e = wasm_i32x4_shl(wasm_i32x4_sub(t, WT_K(0x1.8p23f - 191.0f)), 23);
  return wasm_v128_andnot(wasm_f32x4_mul(p, e), wasm_f32x4_lt(a, WT_K(-110.0f)));
}

/* exp(x): max error 1.5 ulp */
static inline v128_t wt_exp(v128_t x) { return wt_exp2k(x, 0); }

/* expm1(r) for x clamped to [-17.5, 17.5] (wide: 88.8) = n ln2 + r; *ni = n (i32 lanes) */
static inline v128_t wt_expm1_reduced(v128_t x, int wide, v128_t* ni) {
  const v128_t xc = wasm_f32x4_pmin(wasm_f32x4_pmax(x, WT_K(-17.5f)), wide ? WT_K(88.8f) : WT_K(17.5f));
  const v128_t t = wasm_f32x4_add(wasm_f32x4_mul(xc, WT_K(WT_LOG2E)), WT_K(0x1.8p23f));
  const v128_t n = wasm_f32x4_sub(t, WT_K(0x1.8p23f));
  v128_t r = WT_MADD(n, WT_K(-WT_LN2_HI), xc);
  r = WT_MADD(n, WT_K(-WT_LN2_LO), r);
  /* expm1(r) = r + r^2/2 + r^3 q(r) */
  v128_t q = WT_MADD(WT_K(1.982412505e-04f), r, WT_K(1.393325161e-03f));
  q = WT_MADD(q, r, WT_K(8.333419450e-03f));
  q = WT_MADD(q, r, WT_K(4.166648164e-02f));
  q = WT_MADD(q, r, WT_K(1.666666567e-01f));
  const v128_t r2 = wasm_f32x4_mul(r, r);
  const v128_t hr2 = wasm_f32x4_mul(r2, WT_K(0.5f));
  *ni = wasm_i32x4_sub(t, WT_K(0x1.8p23f));
  return wasm_f32x4_add(r, WT_MADD(wasm_f32x4_mul(r2, r), q, hr2));
}

/* expm1(x) = 2^n expm1(r) + (2^n - 1) for n in [-26, 26]; small |x| keeps x exactly (sign
 * of zero, subnormals) */
static inline v128_t wt_expm1_small(v128_t x, v128_t em1, v128_t ni) {
  const v128_t p2 = wt_pow2i(ni);
  const v128_t y = WT_MADD(p2, em1, wasm_f32x4_sub(p2, WT_K(1.0f)));
  return wasm_v128_bitselect(x, y, wasm_f32x4_lt(wt_abs(x), WT_K(0x1p-25f)));
}

/* expm1(x) for x <= 17.5 (callers whose x can be larger use wt_expm1): max error 2 ulp.
 * pmin/pmax and the 1.5 * 2^23 rounding add (see wt_exp2k) instead of min/max, nearest and a
 * float->int conversion: each of those is several x86 instructions. */
static inline v128_t wt_expm1_core(v128_t x) {
  v128_t ni;
  const v128_t em1 = wt_expm1_reduced(x, 0, &ni);
  return wt_expm1_small(x, em1, ni);
}

/* expm1(x): max error 2 ulp (every float in (17.5, 89): 1.13 ulp measured). Above 17.5
 * expm1 == exp in f32: those lanes (rare for float data, most of an integer input's) scale
 * 1 + expm1(r) by 2^n in two steps from the same reduction (clamped at 88.8, where exp
 * overflows), instead of a second exp. */
static inline v128_t wt_expm1(v128_t x) {
  v128_t ni;
  const v128_t em1 = wt_expm1_reduced(x, 1, &ni);
  const v128_t y = wt_expm1_small(x, em1, ni);
  const v128_t big = wasm_f32x4_gt(x, WT_K(17.5f));
  if (!wasm_v128_any_true(big)) return y;
  const v128_t n1 = wasm_i32x4_shr(ni, 1);
  const v128_t e = wasm_f32x4_add(em1, WT_K(1.0f));
  const v128_t yb = wasm_f32x4_mul(wasm_f32x4_mul(e, wt_pow2i(n1)), wt_pow2i(wasm_i32x4_sub(ni, n1)));
  return wasm_v128_bitselect(yb, y, big);
}

/* log(x) + lo / x for x > 0 normal and finite, |lo| <= ulp(x) / 2 (log1p's rounding of
 * 1 + x; has_lo 0: plain log). x = 2^k m, m in [sqrt(1/2), sqrt(2)), f = m - 1:
 * log(1+f) = f - (hf - s (hf + R(s^2))), s = f/(2+f), hf = f^2/2;
 * lo / x = lo 2^-k / (1 + f) = lo 2^-k (1 - s)^2 / (1 - s^2) ~ lo 2^-k (1 - s)^2 (s^2 <= 0.03:
 * 0.06 ulp at most). kadj: added to k (subnormal x scaled by 2^23: -23). */
static inline v128_t wt_log_normal(v128_t x, v128_t kadj, v128_t lo, int has_lo) {
  const v128_t ix = wasm_i32x4_add(x, wasm_i32x4_splat(0x3f800000 - 0x3f3504f3));
  const v128_t k = wasm_i32x4_add(wasm_i32x4_sub(wasm_u32x4_shr(ix, 23), wasm_i32x4_splat(127)),
                                  kadj);
  const v128_t m = wasm_i32x4_add(wasm_v128_and(ix, wasm_i32x4_splat(0x007fffff)),
                                  wasm_i32x4_splat(0x3f3504f3));
  const v128_t f = wasm_f32x4_sub(m, WT_K(1.0f));
  const v128_t s = wasm_f32x4_div(f, wasm_f32x4_add(f, WT_K(2.0f)));
  const v128_t z = wasm_f32x4_mul(s, s);
  v128_t rz = WT_MADD(WT_K(2.358147502e-01f), z, WT_K(2.853734791e-01f));
  rz = WT_MADD(rz, z, WT_K(4.000033438e-01f));
  rz = WT_MADD(rz, z, WT_K(6.666666269e-01f));
  rz = wasm_f32x4_mul(rz, z);
  const v128_t hf = wasm_f32x4_mul(wasm_f32x4_mul(f, f), WT_K(0.5f));
  const v128_t dk = wasm_f32x4_convert_i32x4(k);
  v128_t kl = wasm_f32x4_mul(dk, WT_K(WT_LN2_LO));
  if (has_lo) {   /* 2^-k for k <= 126 (beyond, lo is far below the result's ulp) */
    const v128_t sk = wt_pow2i(wasm_i32x4_max(wasm_i32x4_neg(k), wasm_i32x4_splat(-126)));
    const v128_t oms = wasm_f32x4_sub(WT_K(1.0f), s);
    kl = WT_MADD(wasm_f32x4_mul(lo, sk), wasm_f32x4_mul(oms, oms), kl);
  }
  v128_t t = WT_MADD(s, wasm_f32x4_add(hf, rz), kl);
  t = wasm_f32x4_sub(wasm_f32x4_sub(hf, t), f);
  return wasm_f32x4_sub(wasm_f32x4_mul(dk, WT_K(WT_LN2_HI)), t);
}

/* log(x + lo) for every x (lo as for wt_log_normal, unused where has_lo is 0): subnormal x
 * scaled into the normal range (k - 23), then torch's specials: log(0) = -inf,
 * log(<0) = nan, log(inf) = inf, log(nan) = nan. Branch-free: negative inputs are common. */
static inline v128_t wt_log_lo(v128_t x, v128_t lo, int has_lo) {
  v128_t y;
  if (has_lo) {   /* log1p's x = 1 + x' rounded is 0 or >= 2^-24: never subnormal */
    y = wt_log_normal(x, wasm_i32x4_splat(0), lo, 1);
  } else {
    const v128_t sub = wasm_f32x4_lt(x, WT_K(0x1p-126f));
    const v128_t xs = wasm_v128_bitselect(wasm_f32x4_mul(x, WT_K(0x1p23f)), x, sub);
    y = wt_log_normal(xs, wasm_v128_and(sub, wasm_i32x4_splat(-23)), lo, 0);
  }
  y = wasm_v128_bitselect(WT_K(-__builtin_inff()), y, wasm_f32x4_eq(x, WT_K(0.0f)));
  y = wasm_v128_bitselect(WT_K(__builtin_nanf("")), y, wasm_f32x4_lt(x, WT_K(0.0f)));
  const v128_t passthru = wasm_v128_or(wt_isnan(x), wasm_f32x4_eq(x, WT_K(__builtin_inff())));
  return wasm_v128_bitselect(x, y, passthru);
}

/* log(x): max error 1 ulp. */
static inline v128_t wt_log(v128_t x) { return wt_log_lo(x, x, 0); }

/* log1p(x): max error 2 ulp (measured 0.84). log(u + lo), u = 1 + x rounded,
 * lo = x - (u - 1) its rounding error (exact); |x| < 2^-24 gives x (keeps -0, subnormals). */
static inline v128_t wt_log1p(v128_t x) {
  const v128_t u = wasm_f32x4_add(x, WT_K(1.0f));
  const v128_t y = wt_log_lo(u, wasm_f32x4_sub(x, wasm_f32x4_sub(u, WT_K(1.0f))), 1);
  return wasm_v128_bitselect(x, y, wasm_f32x4_lt(wt_abs(x), WT_K(0x1p-24f)));
}

/* x * sigmoid(v + vl) for v with the sign of x and a tiny correction vl (silu: v = x, vl = 0;
 * gelu_tanh: v + vl = 2u in double-f32). For x < 0 it is x e / (1 + e), e = exp(-|v + vl|),
 * with e scaled by 2^64 and one final scaling, so tiny results keep full precision instead
 * of flushing to 0. x = -inf gives -inf * 0 = nan, like torch. */
static inline v128_t wt_mul_sigmoid(v128_t x, v128_t v, v128_t vl, int has_vl) {
  v128_t es = wt_exp_nonpos64(wasm_f32x4_neg(wasm_f32x4_abs(v)));
  if (has_vl) {   /* exp(-|v + vl|) = exp(-|v|) (1 - sign(v) vl) */
    const v128_t svl = wasm_v128_xor(vl, wasm_v128_and(v, wasm_i32x4_splat((int32_t)0x80000000u)));
    es = wasm_f32x4_mul(es, wasm_f32x4_sub(WT_K(1.0f), svl));
  }
  const v128_t d = wasm_f32x4_add(wasm_f32x4_mul(es, WT_K(0x1p-64f)), WT_K(1.0f));
  /* one division: (x / d) es rounds twice like (x es) / d; |x / d| es <= 2^64 |x| e^-|x| */
  const v128_t pos = wasm_f32x4_div(x, d);
  const v128_t neg = wasm_f32x4_mul(wasm_f32x4_mul(pos, es), WT_K(0x1p-64f));
  return wasm_v128_bitselect(neg, pos, wasm_f32x4_lt(v, WT_K(0.0f)));
}

/* erf(x * k) for k = 1 (erf) or 1/sqrt2 (gelu), |x k| clamped to 3.92 (erf rounds to +-1
 * beyond): x P(x^2) / Q(x^2), a (12, 10) rational fitted on [0, 3.92] to 1.9e-8 relative
 * (wasm_kernels/tools/fit_poly.py: fit_erf), the 1/sqrt2 folded into the coefficients.
 * Positive coefficients only, so Horner's rounding stays small: max error 7 ulp (measured
 * 6.5), no exp and no branch. Odd in x: erf(-0) = -0, nan passes through the clamp. */
static inline v128_t wt_erf_scaled(v128_t x, int gelu_scale) {
  static const float P[2][6] = {
      {1.128379107e+00f, 1.904032379e-01f, 5.274830386e-02f, 3.765479196e-03f,
       2.848797885e-04f, 2.050114972e-06f},
      {7.978845239e-01f, 6.731770933e-02f, 9.324670769e-03f, 3.328244784e-04f,
       1.259002693e-05f, 4.530157227e-08f}};
  static const float Q[2][5] = {
      {5.020732284e-01f, 1.141077802e-01f, 1.496894285e-02f, 1.162502333e-03f,
       3.809184636e-05f},
      {2.510366142e-01f, 2.852694504e-02f, 1.871117856e-03f, 7.265639579e-05f,
       1.190370199e-06f}};
  const v128_t vc = gelu_scale ? WT_K(5.543717384f) : WT_K(3.92f);
  const v128_t nvc = gelu_scale ? WT_K(-5.543717384f) : WT_K(-3.92f);
  const float* p = P[gelu_scale];
  const float* q = Q[gelu_scale];
  const v128_t xc = wasm_f32x4_pmin(wasm_f32x4_pmax(x, nvc), vc);
  const v128_t t = wasm_f32x4_mul(xc, xc);
  v128_t pp = WT_MADD(WT_K(p[5]), t, WT_K(p[4]));
  pp = WT_MADD(pp, t, WT_K(p[3]));
  pp = WT_MADD(pp, t, WT_K(p[2]));
  pp = WT_MADD(pp, t, WT_K(p[1]));
  pp = WT_MADD(pp, t, WT_K(p[0]));
  v128_t qq = WT_MADD(WT_K(q[4]), t, WT_K(q[3]));
  qq = WT_MADD(qq, t, WT_K(q[2]));
  qq = WT_MADD(qq, t, WT_K(q[1]));
  qq = WT_MADD(qq, t, WT_K(q[0]));
  qq = WT_MADD(qq, t, WT_K(1.0f));
  const v128_t y = wasm_f32x4_mul(xc, wasm_f32x4_div(pp, qq));
  /* exactly +-1 from the clamp on (gelu(-inf) = -inf * 0 = nan relies on it) */
  return wasm_v128_bitselect(wt_copysign(WT_K(1.0f), x),
                             wasm_f32x4_pmin(wasm_f32x4_pmax(y, WT_K(-1.0f)), WT_K(1.0f)),
                             wasm_f32x4_ge(wasm_f32x4_abs(x), vc));
}
