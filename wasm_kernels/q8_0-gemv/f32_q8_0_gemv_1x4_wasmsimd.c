/* Row vector times a Q8_0 weight matrix, transposed (linear's M == 1 decode path):
 *   void wt_f32_q8_0_gemv_1x4_<isa>(size_t n, size_t k, const float* x, const uint8_t* w,
 *                                   float* y)
 * y[i] = sum_l x[l] * W[i][l] for i < n, where W [n, k] is n rows of k/32 Q8_0 blocks
 * (34 bytes each: fp16 d, 32 int8 q; W[i][32b + j] = d * q[j]). k must be a multiple of 32;
 * k == 0 writes zeros. x is contiguous [k]; y [n] must not overlap x or w.
 *
 * Bandwidth bound: 34 bytes per 32 weights (1.06 B/weight vs 4 for f32). Blocks are
 * dequantised in registers (int8 -> f32) and dotted with x (L1-resident); four weight rows
 * per step share x's loads. Per block the partial dot is scaled by d once.
 * Error: y[i] is a length-k dot product of x with the exactly dequantised weights:
 * |y - exact| <= ~(k/4 + 8) eps sum_l |x[l] W[i][l]| (fused or not).
 */
#include "wt_quant.h"

WT_EXPORT void WT_SYM(f32_q8_0_gemv_1x4)(size_t n, size_t k, const float* x, const uint8_t* w,
                                         float* y) {
  const size_t nb = k / WT_QK, rb = nb * WT_Q8_0_BYTES;
  const v128_t zero = wasm_f32x4_splat(0.0f);
  size_t i = 0;
  for (; i + 4 <= n; i += 4, w += 4 * rb) {
    v128_t a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    const uint8_t* p = w;
    for (size_t b = 0; b < nb; b++, p += WT_Q8_0_BYTES) {
      const float* xb = x + b * WT_QK;
      a0 = wt_q8_0_block_dot(p, xb, a0);
      a1 = wt_q8_0_block_dot(p + rb, xb, a1);
      a2 = wt_q8_0_block_dot(p + 2 * rb, xb, a2);
      a3 = wt_q8_0_block_dot(p + 3 * rb, xb, a3);
    }
    wasm_v128_store(y + i, wt_hsum4(a0, a1, a2, a3));
  }
  for (; i < n; i++, w += rb) {
    v128_t a = zero;
    for (size_t b = 0; b < nb; b++) a = wt_q8_0_block_dot(w + b * WT_Q8_0_BYTES, x + b * WT_QK, a);
    y[i] = wt_hsum(a);
  }
}
