/* exp for softmax-shaped arguments (x - max <= 0), shared by f32-softmax and f32-sdpa. */
#pragma once
#include "wt_common.h"
#include "wt_vmath.h"

/* exp(x) for x <= 0 (or nan): wt_exp's reduction and polynomial (1.5 ulp) without its
 * overflow side and two-step scaling: results below 2^-126.5 (x < -87.68) are flushed to 0,
 * as torch's own softmax exp (exp_u20) does below FLT_MIN. ~15 instructions instead of ~25. */
static inline v128_t wt_exp_nonpos(v128_t x) {
  const v128_t xc = wasm_f32x4_pmax(x, WT_SPLAT(-88.0f));   /* nan and -inf pass / clamp */
  v128_t t;
  const v128_t p = wt_exp_reduced(xc, &t);
  /* t's low bits hold n (n in [-127, 0]): 2^n, with n == -127 giving +0 */
  const v128_t e = wasm_i32x4_shl(wasm_i32x4_add(t, wasm_i32x4_splat(127 - 0x4b400000)), 23);
  return wasm_f32x4_mul(p, e);
}
