/* exp-family unary kernels (polynomials use WT_MADD: fused in the relaxed build).
 * Max errors vs float64 over all finite f32 (dense-grid checked in test_kernels_unary.py),
 * subnormal results included: exp 1.5 ulp, expm1 2, log 1, log1p 2 (measured 0.85), tanh 3,
 * sigmoid 3,
 * silu 4, gelu_tanh 5 (vs the float64 tanh-gelu formula; torch's own float evaluation
 * cancels for x < 0 and flushes below x ~ -5, ours does not).
 * torch edge behaviour: tanh(+-inf) = +-1, sigmoid(+-inf) = 1/0, silu(-inf) = nan,
 * gelu_tanh(-inf) = nan, log1p(-1) = -inf, expm1(-inf) = -1. */
#include "wt_unary.h"
#include "wt_vmath.h"

static inline v128_t v_tanh(v128_t x) {
  /* tanh|x| = e / (e + 2), e = expm1(2|x|): no cancellation anywhere */
  const v128_t a = wasm_f32x4_abs(x);
  const v128_t e = wt_expm1_core(wasm_f32x4_add(a, a));
  v128_t t = wasm_f32x4_div(e, wasm_f32x4_add(e, WT_K(2.0f)));
  t = wasm_v128_bitselect(WT_K(1.0f), t, wasm_f32x4_gt(a, WT_K(9.1f)));
  return wt_copysign(t, x);
}

static inline v128_t v_sigmoid(v128_t x) {
  /* e = exp(-|x|) in (0, 1]: 1/(1+e) for x >= 0, e/(1+e) for x < 0 (no overflow) */
  const v128_t e = wt_exp(wasm_f32x4_neg(wasm_f32x4_abs(x)));
  const v128_t d = wasm_f32x4_add(e, WT_K(1.0f));
  const v128_t num = wasm_v128_bitselect(e, WT_K(1.0f), wasm_f32x4_lt(x, WT_K(0.0f)));
  return wasm_f32x4_div(num, d);
}

static inline v128_t v_silu(v128_t x) { return wt_mul_sigmoid(x, x, WT_K(0.0f)); }

/* 2u = 2 sqrt(2/pi) (x + 0.044715 x^3) of two lanes, in f64 */
static inline v128_t gelu_tanh_2u(v128_t xd) {
  const double k2 = 1.5957691216057308, k2c = 1.5957691216057308 * 0.044715;
  const v128_t inner = wasm_f64x2_add(wasm_f64x2_splat(k2),
                                      wasm_f64x2_mul(wasm_f64x2_splat(k2c), wasm_f64x2_mul(xd, xd)));
  return wasm_f64x2_mul(xd, inner);
}

static inline v128_t v_gelu_tanh(v128_t x) {
  /* 0.5 x (1 + tanh(u)) == x sigmoid(2u). exp(-|2u|) would amplify an f32 rounding of u by
   * 2|u|, so 2u is formed in f64 and carried as hi + lo f32s. */
  const v128_t ulo = gelu_tanh_2u(wasm_f64x2_promote_low_f32x4(x));
  const v128_t uhi = gelu_tanh_2u(wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(x, x, 2, 3, 2, 3)));
  const v128_t hlo = wasm_f32x4_demote_f64x2_zero(ulo), hhi = wasm_f32x4_demote_f64x2_zero(uhi);
  const v128_t vh = wasm_i32x4_shuffle(hlo, hhi, 0, 1, 4, 5);
  const v128_t llo = wasm_f32x4_demote_f64x2_zero(wasm_f64x2_sub(ulo, wasm_f64x2_promote_low_f32x4(hlo)));
  const v128_t lhi = wasm_f32x4_demote_f64x2_zero(wasm_f64x2_sub(uhi, wasm_f64x2_promote_low_f32x4(hhi)));
  v128_t vl = wasm_i32x4_shuffle(llo, lhi, 0, 1, 4, 5);
  /* |2u| overflowing f32 leaves inf - inf = nan in lo */
  vl = wasm_v128_andnot(vl, wasm_f32x4_eq(wasm_f32x4_abs(vh), WT_K(__builtin_inff())));
  return wt_mul_sigmoid(x, vh, vl);
}

WT_UNARY_KERNEL_INT(exp, wt_exp)
WT_UNARY_KERNEL_INT(expm1, wt_expm1)
WT_UNARY_KERNEL_INT(log, wt_log)
WT_UNARY_KERNEL_INT(log1p, wt_log1p)
WT_UNARY_KERNEL_INT(tanh, v_tanh)
WT_UNARY_KERNEL_INT(sigmoid, v_sigmoid)
WT_UNARY_KERNEL(silu, v_silu)
WT_UNARY_KERNEL(gelu_tanh, v_gelu_tanh)
