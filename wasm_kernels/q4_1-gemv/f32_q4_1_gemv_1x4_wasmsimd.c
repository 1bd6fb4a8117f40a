/* Row vector times a Q4_1 weight matrix, transposed (linear's M == 1 decode path):
 *   void wt_f32_q4_1_gemv_1x4_<isa>(size_t n, size_t k, const float* x, const uint8_t* w,
 *                                   float* y)
 * y[i] = sum_l x[l] * W[i][l] for i < n, where W [n, k] is n rows of k/32 Q4_1 blocks
 * (20 bytes each: fp16 d, fp16 m, 16 bytes of nibbles; W[i][32b + j] = d * q[j] + m with
 * q[j] the low nibble of byte j and q[j + 16] its high nibble, j < 16). k must be a multiple
 * of 32; k == 0 writes zeros. x is contiguous [k]; y [n] must not overlap x or w.
 *
 * Bandwidth bound: 20 bytes per 32 weights (0.625 B/weight vs 4 for f32). Per block:
 * d * (q . x) + m * sum(x), nibbles widened to f32 in registers; sum(x) per block is computed
 * once for the four weight rows of a step.
 * Error: |y - exact| <= ~(k/4 + 10) eps sum_l |x[l]| (|d q[l]| + |m|) (fused or not), where
 * exact is the dot product with the exactly dequantised weights.
 */
#include "wt_quant.h"

WT_EXPORT void WT_SYM(f32_q4_1_gemv_1x4)(size_t n, size_t k, const float* x, const uint8_t* w,
                                         float* y) {
  const size_t nb = k / WT_QK, rb = nb * WT_Q4_1_BYTES;
  const v128_t zero = wasm_f32x4_splat(0.0f);
  size_t i = 0;
  for (; i + 4 <= n; i += 4, w += 4 * rb) {
    v128_t a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    const uint8_t* p = w;
    for (size_t b = 0; b < nb; b++, p += WT_Q4_1_BYTES) {
      const float* xb = x + b * WT_QK;
      const v128_t xs = wt_sum32(xb);
      a0 = wt_q4_1_block_dot(p, xb, xs, a0);
      a1 = wt_q4_1_block_dot(p + rb, xb, xs, a1);
      a2 = wt_q4_1_block_dot(p + 2 * rb, xb, xs, a2);
      a3 = wt_q4_1_block_dot(p + 3 * rb, xb, xs, a3);
    }
    wasm_v128_store(y + i, wt_hsum4(a0, a1, a2, a3));
  }
  for (; i < n; i++, w += rb) {
    v128_t a = zero;
    for (size_t b = 0; b < nb; b++) {
      const float* xb = x + b * WT_QK;
      a = wt_q4_1_block_dot(w + b * WT_Q4_1_BYTES, xb, wt_sum32(xb), a);
    }
    y[i] = wt_hsum(a);
  }
}
