/* Batched sgemm with a register-blocked 4x8 microkernel:
 *   void wt_f32_gemm_4x8_<isa>(size_t batch, size_t m, size_t n, size_t k,
 *                              const float* a, int32_t a_bs, int32_t a_rs, int32_t a_cs,
 *                              const float* b, int32_t b_bs, int32_t ldb,
 *                              float* c, int32_t c_bs, int32_t ldc)
 * C[p] = A[p] @ B[p] for p < batch. A(i, l) = a[p*a_bs + i*a_rs + l*a_cs]: any strides, so a
 * transposed A costs nothing (A is read one scalar at a time, splatted). B rows are
 * contiguous (unit column stride, leading dim ldb); C rows have leading dim ldc. A batch
 * stride of 0 broadcasts that operand. k == 0 writes zeros.
 * Cache blocking: KC rows of B x NC columns (<= 256 KiB) stay hot while 4-row strips of A
 * sweep them; later k-blocks accumulate into C. For m >= BLOCKED_M the packed driver of
 * f32_linear_4x8 (wt_gemm_blocked) runs instead.
 * Error: each C element is a length-k dot product, <= k eps sum|a||b| (fused or not).
 */
#define WT_MR 4
#include "wt_gemm.h"

#ifndef KC
#define KC 256
#endif
#ifndef NC
#define NC 256
#endif
/* From this many rows on, B is packed and A (when its rows are strided, e.g. transposed)
 * too, through f32_linear's cache-blocked driver (measured, benchmarks/bench_gemm_kernels.mjs
 * --cpu, V8: equal at 128..512 rows, 32 -> 38 GFLOP/s at 1024^3, transposed A 22-37 -> 38-45;
 * below it packing B costs more than it saves: 36 vs 31 at 16x768x768). */
#ifndef BLOCKED_M
#define BLOCKED_M 64
#endif

void wt_gemm_blocked(size_t m, size_t n, size_t k, const float* a, ptrdiff_t a_rs,
                     ptrdiff_t a_cs, const float* b, ptrdiff_t b_ks, ptrdiff_t b_ns,
                     const float* bias, float* c, ptrdiff_t ldc, int act);

WT_EXPORT void WT_SYM(f32_gemm_4x8)(size_t batch, size_t m, size_t n, size_t k,
                                    const float* a, int32_t a_bs, int32_t a_rs, int32_t a_cs,
                                    const float* b, int32_t b_bs, int32_t ldb, float* c,
                                    int32_t c_bs, int32_t ldc) {
  for (size_t p = 0; p < batch; p++) {
    const float* ap = a + (ptrdiff_t)p * a_bs;
    const float* bp = b + (ptrdiff_t)p * b_bs;
    float* cp = c + (ptrdiff_t)p * c_bs;
    if (m >= BLOCKED_M) {
      wt_gemm_blocked(m, n, k, ap, a_rs, a_cs, bp, ldb, 1, 0, cp, ldc, 0);
      continue;
    }
    if (k == 0) {
      for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) cp[(ptrdiff_t)i * ldc + j] = 0.0f;
      continue;
    }
    for (size_t l0 = 0; l0 < k; l0 += KC) {
      const size_t kc = wt_min_size(KC, k - l0);
      for (size_t j0 = 0; j0 < n; j0 += NC) {
        const size_t nc = wt_min_size(NC, n - j0);
        for (size_t i = 0; i < m; i += WT_MR) {
          const size_t mr = wt_min_size(WT_MR, m - i);
          for (size_t j = j0; j < j0 + nc; j += WT_NR) {
            const size_t nr = wt_min_size(WT_NR, j0 + nc - j);
            wt_ukernel(mr, nr, kc, ap + (ptrdiff_t)i * a_rs + (ptrdiff_t)l0 * a_cs, a_rs, a_cs,
                       bp + (ptrdiff_t)l0 * ldb + j, ldb, nr == WT_NR,
                       cp + (ptrdiff_t)i * ldc + j, ldc, l0 > 0 ? WT_INIT_LOAD_C : WT_INIT_ZERO,
                       0);
          }
        }
      }
    }
  }
}
