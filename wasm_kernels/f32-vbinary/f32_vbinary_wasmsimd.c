/* f32 arithmetic binary kernels in the 2-D broadcast form of wt_binary.h. Exact (IEEE,
 * 0 ulp). maximum/minimum propagate NaN from either side and, like torch, return `a` when
 * a == b (so maximum(-0, +0) = -0). */
#include "wt_binary.h"

static inline v128_t v_add(v128_t a, v128_t b) { return wasm_f32x4_add(a, b); }
static inline v128_t v_sub(v128_t a, v128_t b) { return wasm_f32x4_sub(a, b); }
static inline v128_t v_mul(v128_t a, v128_t b) { return wasm_f32x4_mul(a, b); }
static inline v128_t v_div(v128_t a, v128_t b) { return wasm_f32x4_div(a, b); }
/* pmax(a, b) = a < b ? b : a keeps a's NaN; b's NaN is selected explicitly */
static inline v128_t v_maximum(v128_t a, v128_t b) {
  return wasm_v128_bitselect(b, wasm_f32x4_pmax(a, b), wasm_f32x4_ne(b, b));
}
static inline v128_t v_minimum(v128_t a, v128_t b) {
  return wasm_v128_bitselect(b, wasm_f32x4_pmin(a, b), wasm_f32x4_ne(b, b));
}

WT_BINARY_KERNEL(add, v_add, float, wt_put4_f32, wt_put1_f32)
WT_BINARY_KERNEL(sub, v_sub, float, wt_put4_f32, wt_put1_f32)
WT_BINARY_KERNEL(mul, v_mul, float, wt_put4_f32, wt_put1_f32)
WT_BINARY_KERNEL(div, v_div, float, wt_put4_f32, wt_put1_f32)
WT_BINARY_KERNEL(maximum, v_maximum, float, wt_put4_f32, wt_put1_f32)
WT_BINARY_KERNEL(minimum, v_minimum, float, wt_put4_f32, wt_put1_f32)
