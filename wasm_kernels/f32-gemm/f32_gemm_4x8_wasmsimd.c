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
 * sweep them; later k-blocks accumulate into C.
 * Error: each C element is a length-k dot product, <= k eps sum|a||b| (fused or not).
 */
#include "wt_common.h"

#define MR 4
#define NR 8
#define KC 256
#define NC 256
#ifndef WT_GEMM_BLOCKED_STRIDED_A
#define WT_GEMM_BLOCKED_STRIDED_A 0
#endif

/* 8 floats of row p (first nr valid, rest 0) */
static inline void load8(const float* p, size_t nr, v128_t* v0, v128_t* v1) {
  if (nr == NR) {
    *v0 = wasm_v128_load(p);
    *v1 = wasm_v128_load(p + 4);
  } else {
    float t[NR] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (size_t j = 0; j < nr; j++) t[j] = p[j];
    *v0 = wasm_v128_load(t);
    *v1 = wasm_v128_load(t + 4);
  }
}

static inline void store8(float* p, size_t nr, v128_t v0, v128_t v1) {
  if (nr == NR) {
    wasm_v128_store(p, v0);
    wasm_v128_store(p + 4, v1);
  } else {
    float t[NR];
    wasm_v128_store(t, v0);
    wasm_v128_store(t + 4, v1);
    for (size_t j = 0; j < nr; j++) p[j] = t[j];
  }
}

/* C[0:mr, 0:nr] (+)= A[0:mr, 0:kc] @ B[0:kc, 0:nr]. Rows past mr alias the last valid row:
 * they compute and store the same values again, which keeps the loop branch-free. */
static inline void ukernel(size_t mr, size_t nr, size_t kc, const float* a, ptrdiff_t a_rs,
                           ptrdiff_t a_cs, const float* b, ptrdiff_t ldb, float* c,
                           ptrdiff_t ldc, int accumulate) {
  const float* a0 = a;
  const float* a1 = mr > 1 ? a0 + a_rs : a0;
  const float* a2 = mr > 2 ? a1 + a_rs : a1;
  const float* a3 = mr > 3 ? a2 + a_rs : a2;
  float* c0 = c;
  float* c1 = mr > 1 ? c0 + ldc : c0;
  float* c2 = mr > 2 ? c1 + ldc : c1;
  float* c3 = mr > 3 ? c2 + ldc : c2;
  v128_t x00, x01, x10, x11, x20, x21, x30, x31;
  if (accumulate) {
    load8(c0, nr, &x00, &x01);
    load8(c1, nr, &x10, &x11);
    load8(c2, nr, &x20, &x21);
    load8(c3, nr, &x30, &x31);
  } else {
    x00 = x01 = x10 = x11 = x20 = x21 = x30 = x31 = wasm_f32x4_splat(0.0f);
  }
  if (nr == NR) {
    for (size_t l = 0; l < kc; l++, b += ldb) {
      const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
      const v128_t v0 = wasm_v128_load32_splat(a0), v1 = wasm_v128_load32_splat(a1);
      const v128_t v2 = wasm_v128_load32_splat(a2), v3 = wasm_v128_load32_splat(a3);
      a0 += a_cs, a1 += a_cs, a2 += a_cs, a3 += a_cs;
      x00 = WT_MADD(v0, b0, x00), x01 = WT_MADD(v0, b1, x01);
      x10 = WT_MADD(v1, b0, x10), x11 = WT_MADD(v1, b1, x11);
      x20 = WT_MADD(v2, b0, x20), x21 = WT_MADD(v2, b1, x21);
      x30 = WT_MADD(v3, b0, x30), x31 = WT_MADD(v3, b1, x31);
    }
  } else {
    for (size_t l = 0; l < kc; l++, b += ldb) {
      v128_t b0, b1;
      load8(b, nr, &b0, &b1);
      const v128_t v0 = wasm_v128_load32_splat(a0), v1 = wasm_v128_load32_splat(a1);
      const v128_t v2 = wasm_v128_load32_splat(a2), v3 = wasm_v128_load32_splat(a3);
      a0 += a_cs, a1 += a_cs, a2 += a_cs, a3 += a_cs;
      x00 = WT_MADD(v0, b0, x00), x01 = WT_MADD(v0, b1, x01);
      x10 = WT_MADD(v1, b0, x10), x11 = WT_MADD(v1, b1, x11);
      x20 = WT_MADD(v2, b0, x20), x21 = WT_MADD(v2, b1, x21);
      x30 = WT_MADD(v3, b0, x30), x31 = WT_MADD(v3, b1, x31);
    }
  }
  store8(c3, nr, x30, x31);
  store8(c2, nr, x20, x21);
  store8(c1, nr, x10, x11);
  store8(c0, nr, x00, x01);
}

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
#ifdef WT_GEMM_BLOCKED_ALL
    if (1) {
#else
    if (a_cs != 1 && WT_GEMM_BLOCKED_STRIDED_A) {
#endif
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
        for (size_t i = 0; i < m; i += MR) {
          const size_t mr = wt_min_size(MR, m - i);
          for (size_t j = j0; j < j0 + nc; j += NR)
            ukernel(mr, wt_min_size(NR, j0 + nc - j), kc,
                    ap + (ptrdiff_t)i * a_rs + (ptrdiff_t)l0 * a_cs, a_rs, a_cs,
                    bp + (ptrdiff_t)l0 * ldb + j, ldb, cp + (ptrdiff_t)i * ldc + j, ldc, l0 > 0);
        }
      }
    }
  }
}
