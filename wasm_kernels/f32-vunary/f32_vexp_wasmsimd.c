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
  /* wt_expm1_core without its tiny-x select: below 2^-25, n = 0 and expm1(r) rounds to
   * r = 2a anyway (the same bits, -0 included: the sign is copied last) */
  v128_t ni;
  const v128_t em1 = wt_expm1_reduced(wasm_f32x4_add(a, a), 0, &ni);
  const v128_t p2 = wt_pow2i(ni);
  const v128_t e = WT_MADD(p2, em1, wasm_f32x4_sub(p2, WT_K(1.0f)));
  v128_t t = wasm_f32x4_div(e, wasm_f32x4_add(e, WT_K(2.0f)));
  t = wasm_v128_bitselect(WT_K(1.0f), t, wasm_f32x4_gt(a, WT_K(9.1f)));
  return wt_copysign(t, x);
}

/* sigmoid: e = exp(-|x|) 2^64 (normal wherever sigmoid is), 1/(1+e) = 2^64 / (e + 2^64) for
 * x >= 0, e / (e + 2^64) for x < 0 (no overflow). Results below 2^-126 (x < -87.3) are
 * subnormal, and each operation producing one costs ~50 cycles of microcode (x86): with e
 * scaled, only the division does (exp(-|x|) itself did too). */
static inline v128_t sigmoid_parts(v128_t x, v128_t* num) {
  const v128_t e = wt_exp_nonpos64(wasm_f32x4_neg(wasm_f32x4_abs(x)));
  *num = wasm_v128_bitselect(e, WT_K(0x1p64f), wasm_f32x4_lt(x, WT_K(0.0f)));
  return wasm_f32x4_add(e, WT_K(0x1p64f));
}

static inline v128_t v_sigmoid(v128_t x) {
  v128_t num;
  const v128_t d = sigmoid_parts(x, &num);
  return wasm_f32x4_div(num, d);
}

/* The same results without a subnormal operation, for integer inputs (6% of the cliff
 * table's int lanes are below -87: 2.2x the time): where y < 2^-126 the denominator is 2^64
 * exactly, so y = num 2^-64 is taken as w = num 2^85 = y 2^149 (normal, < 2^23) rounded to an
 * integer by the 2^23 add, whose bits are y's (the one rounding of the division). Five
 * operations more per vector: float32 data (no such lanes) keeps v_sigmoid. */
static inline v128_t v_sigmoid_nosub(v128_t x) {
  v128_t num;
  const v128_t d = sigmoid_parts(x, &num);
  const v128_t y = wasm_f32x4_div(wasm_f32x4_pmax(num, WT_K(0x1p-62f)), d);
  const v128_t ws = wasm_i32x4_sub(WT_MADD(num, WT_K(0x1p85f), WT_K(0x1p23f)), WT_K(0x1p23f));
  return wasm_v128_bitselect(ws, y, wasm_f32x4_lt(num, WT_K(0x1p-62f)));
}

static inline v128_t v_silu(v128_t x) { return wt_mul_sigmoid(x, x, x, 0); }

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
  return wt_mul_sigmoid(x, vh, vl, 1);
}

WT_UNARY_KERNEL_INT(exp, wt_exp)
WT_UNARY_KERNEL_INT(expm1, wt_expm1)
WT_UNARY_KERNEL_INT(log, wt_log)
WT_UNARY_KERNEL_INT(log1p, wt_log1p)
WT_UNARY_KERNEL_INT(tanh, v_tanh)
WT_UNARY_KERNEL_INT_VIA(sigmoid, v_sigmoid, v_sigmoid_nosub)
WT_UNARY_KERNEL(silu, v_silu)
WT_UNARY_KERNEL(gelu_tanh, v_gelu_tanh)
