/* cumsum along the middle axis of a contiguous [outer, n, inner] f32 array:
 *   void wt_f32_cumsum_<isa>(size_t outer, size_t n, size_t inner, const float* x, float* y)
 * Accumulates in f64 like torch's CPU kernel (acc_type<float> is double), so the only error
 * is the final rounding of each prefix: <= 0.5 ulp + n * 2^-53 sum|x|. y == x is allowed.
 */
#include "wt_common.h"

static void cumsum_row(const float* x, float* y, size_t n) {
  double acc = 0.0;
  for (size_t k = 0; k < n; k++) {
    acc += (double)x[k];
    y[k] = (float)acc;
  }
}

/* c <= 4 adjacent columns as two f64x2 accumulators */
static void cumsum_cols(const float* x, float* y, size_t n, size_t inner, size_t c) {
  v128_t lo = wasm_f64x2_splat(0.0), hi = wasm_f64x2_splat(0.0);
  for (size_t k = 0; k < n; k++) {
    const float* xk = x + k * inner;
    const v128_t v = c == 4 ? wasm_v128_load(xk) : wt_load_partial(xk, c, 0.0f);
    lo = wasm_f64x2_add(lo, wasm_f64x2_promote_low_f32x4(v));
    hi = wasm_f64x2_add(hi, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)));
    const v128_t r = wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo),
                                        wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5);
    float* yk = y + k * inner;
    if (c == 4) wasm_v128_store(yk, r);
    else wt_store_partial(yk, c, r);
  }
}

WT_EXPORT void WT_SYM(f32_cumsum)(size_t outer, size_t n, size_t inner, const float* x,
                                  float* y) {
  for (size_t o = 0; o < outer; o++) {
    const float* xo = x + o * n * inner;
    float* yo = y + o * n * inner;
    if (inner == 1) cumsum_row(xo, yo, n);
    else
      for (size_t j = 0; j < inner; j += 4) cumsum_cols(xo + j, yo + j, n, inner, wt_min_size(4, inner - j));
  }
}
