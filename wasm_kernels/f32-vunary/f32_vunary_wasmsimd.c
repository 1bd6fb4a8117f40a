/* Exact (correctly rounded or bit-manipulation) unary kernels: 0.5 ulp error.
 * neg abs sqrt floor ceil round sign reciprocal relu; rsqrt is 1/sqrt (two roundings: 2 ulp).
 * NaN/Inf/signed-zero results match torch: relu(-0) = -0, relu(nan) = nan,
 * sign(nan) = 0, sign(-0) = +0, round = half to even, rsqrt(-0) = -inf. */
#include "wt_unary.h"

static inline v128_t v_neg(v128_t x) { return wasm_f32x4_neg(x); }
static inline v128_t v_abs(v128_t x) { return wasm_f32x4_abs(x); }
static inline v128_t v_sqrt(v128_t x) { return wasm_f32x4_sqrt(x); }
static inline v128_t v_rsqrt(v128_t x) {
  return wasm_f32x4_div(wasm_f32x4_splat(1.0f), wasm_f32x4_sqrt(x));
}
static inline v128_t v_floor(v128_t x) { return wasm_f32x4_floor(x); }
static inline v128_t v_ceil(v128_t x) { return wasm_f32x4_ceil(x); }
static inline v128_t v_round(v128_t x) { return wasm_f32x4_nearest(x); }
static inline v128_t v_sign(v128_t x) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  const v128_t pos = wasm_v128_and(wasm_f32x4_gt(x, zero), wasm_f32x4_splat(1.0f));
  const v128_t neg = wasm_v128_and(wasm_f32x4_lt(x, zero), wasm_f32x4_splat(-1.0f));
  return wasm_v128_or(pos, neg);
}
static inline v128_t v_reciprocal(v128_t x) { return wasm_f32x4_div(wasm_f32x4_splat(1.0f), x); }
static inline v128_t v_relu(v128_t x) {
  return wasm_v128_andnot(x, wasm_f32x4_lt(x, wasm_f32x4_splat(0.0f)));
}

WT_UNARY_KERNEL(neg, v_neg)
WT_UNARY_KERNEL(abs, v_abs)
WT_UNARY_KERNEL_INT(sqrt, v_sqrt)
WT_UNARY_KERNEL_INT(rsqrt, v_rsqrt)
WT_UNARY_KERNEL(floor, v_floor)
WT_UNARY_KERNEL(ceil, v_ceil)
WT_UNARY_KERNEL(round, v_round)
WT_UNARY_KERNEL(sign, v_sign)
WT_UNARY_KERNEL_INT(reciprocal, v_reciprocal)
WT_UNARY_KERNEL(relu, v_relu)
