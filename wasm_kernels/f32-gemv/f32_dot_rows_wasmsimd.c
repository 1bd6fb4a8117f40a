/* float32 dot products of contiguous rows with one contiguous vector (dot, mv: matmul with a
 * one-column B), in the DOT_ROWS form of the small dtypes' kernels:
 *   void wt_f32_dot_rows_<isa>(size_t rows, size_t n, const float* a, const float* b,
 *                              float* y)        y[r] = sum_k a[r*n + k] * b[k]
 * The GEMM and GEMV kernels vectorise along B's columns, so one column ran one lane of
 * them at a time; here 16 lanes of k run in four independent accumulators.
 * Error: a length-n dot product, <= n eps sum|a||b| (fused or not).
 */
#include "wt_common.h"

WT_EXPORT void WT_SYM(f32_dot_rows)(size_t rows, size_t n, const float* a, const float* b,
                                    float* y) {
  for (size_t r = 0; r < rows; r++, a += n) {
    v128_t s0 = WT_SPLAT(0.0f), s1 = s0, s2 = s0, s3 = s0;
    size_t k = 0;
    for (; k + 16 <= n; k += 16) {
      s0 = WT_MADD(wasm_v128_load(a + k), wasm_v128_load(b + k), s0);
      s1 = WT_MADD(wasm_v128_load(a + k + 4), wasm_v128_load(b + k + 4), s1);
      s2 = WT_MADD(wasm_v128_load(a + k + 8), wasm_v128_load(b + k + 8), s2);
      s3 = WT_MADD(wasm_v128_load(a + k + 12), wasm_v128_load(b + k + 12), s3);
    }
    for (; k + 4 <= n; k += 4)
      s0 = WT_MADD(wasm_v128_load(a + k), wasm_v128_load(b + k), s0);
    const v128_t t = wasm_f32x4_add(wasm_f32x4_add(s0, s1), wasm_f32x4_add(s2, s3));
    float s = wasm_f32x4_extract_lane(wt_hsum4(t, t, t, t), 0);
    for (; k < n; k++) s += a[k] * b[k];
    y[r] = s;
  }
}
