/* Batched GEMM for float64, int64 and int32 (matmul/mm/bmm/dot/mv/linear, conv through
 * im2col), in f32_gemm_4x8's argument form:
 *   void wt_<f64|i64>_gemm_4x4_<isa>, wt_i32_gemm_4x8_<isa>(size_t batch, size_t m, size_t n,
 *       size_t k, const T* a, int32_t a_bs, int32_t a_rs, int32_t a_cs, const T* b,
 *       int32_t b_bs, int32_t ldb, T* c, int32_t c_bs, int32_t ldc)
 *   C[bi] (m x n, row stride ldc) = A[bi] (m x k, any strides) @ B[bi] (k x n, row stride ldb,
 *   unit column stride); batch bi at a + bi*a_bs, b + bi*b_bs, c + bi*c_bs.
 * n == 1 (mv, dot): a dot product per row (the tiles would compute NR columns and pack B
 * for one); float64 in four vector accumulators where A's row and B are contiguous (summed in
 * another order than the tiles' k order: a few ulp; integers: clang vectorises the loop).
 * Otherwise blocked: k in blocks of KC, n in blocks of NC; each B block is packed into a
 * static panel of NR-wide column strips (zero past n), read by a 4 x NR register tile (two
 * 16-byte vectors per row) with A splatted one scalar at a time. Sums run in k order per
 * block, float64 rounding (not torch's BLAS order: a few ulp apart); integers wrap in two's
 * complement, like torch.
 * Built -O3 (not size-optimised): the tile loop must stay in registers.
 */
#include "wt_common.h"


#define MR 4
#define KC 256
#define NC 64

typedef double f64v __attribute__((vector_size(16)));
typedef uint64_t u64v __attribute__((vector_size(16)));
typedef uint32_t u32v __attribute__((vector_size(16)));

static uint64_t panel[KC * NC];   /* the packed B block: KC * NC elements of 8 bytes or less */

/* T: element; S: the scalar type of the arithmetic (unsigned integers wrap); V: 16-byte
 * vector of L lanes of S; NR = 2 * L; FLOAT: S is floating point */
#define DEFINE_GEMM(name, T, S, V, L, SPLAT, FLOAT)                                        \
  static void name##_pack(size_t kc, size_t nc, const T* b, ptrdiff_t ldb, S* p) {         \
    for (size_t j0 = 0; j0 < nc; j0 += 2 * L)                                              \
      for (size_t l = 0; l < kc; l++)                                                      \
        for (size_t j = 0; j < 2 * L; j++, p++)                                            \
          *p = j0 + j < nc ? (S)b[(ptrdiff_t)l * ldb + (ptrdiff_t)(j0 + j)] : (S)0;        \
  }                                                                                        \
  static void name##_tile(size_t mr, size_t nr, size_t kc, const T* a, ptrdiff_t a_rs,     \
                          ptrdiff_t a_cs, const S* p, T* c, ptrdiff_t ldc, int acc) {      \
    const T* ap[MR];                                                                       \
    T* cp[MR];                                                                             \
    V x0[MR], x1[MR];                                                                      \
    for (size_t r = 0; r < MR; r++) {                                                      \
      const ptrdiff_t rr = (ptrdiff_t)(r < mr ? r : mr - 1);  /* extra rows: the last */  \
      ap[r] = a + rr * a_rs;                                                               \
      cp[r] = c + rr * ldc;                                                                \
      S t[2 * L];                                                                          \
      for (size_t j = 0; j < 2 * L; j++) t[j] = acc && j < nr ? (S)cp[r][j] : (S)0;        \
      __builtin_memcpy(&x0[r], t, 16);                                                     \
      __builtin_memcpy(&x1[r], t + L, 16);                                                 \
    }                                                                                      \
    for (size_t l = 0; l < kc; l++, p += 2 * L) {                                          \
      V b0, b1;                                                                            \
      __builtin_memcpy(&b0, p, 16);                                                        \
      __builtin_memcpy(&b1, p + L, 16);                                                    \
      for (size_t r = 0; r < MR; r++) {                                                    \
        const V v = SPLAT((S)*ap[r]);                                                      \
        ap[r] += a_cs;                                                                     \
        x0[r] += v * b0;                                                                   \
        x1[r] += v * b1;                                                                   \
      }                                                                                    \
    }                                                                                      \
    for (size_t r = MR; r-- > 0;) {                                                        \
      S t[2 * L];                                                                          \
      __builtin_memcpy(t, &x0[r], 16);                                                     \
      __builtin_memcpy(t + L, &x1[r], 16);                                                 \
      for (size_t j = 0; j < nr; j++) cp[r][j] = (T)t[j];                                  \
    }                                                                                      \
  }                                                                                        \
  WT_EXPORT void WT_SYM(name)(size_t batch, size_t m, size_t n, size_t k, const T* a,      \
                              int32_t a_bs, int32_t a_rs, int32_t a_cs, const T* b,        \
                              int32_t b_bs, int32_t ldb, T* c, int32_t c_bs, int32_t ldc) { \
    S* p = (S*)(void*)panel;                                                               \
    for (size_t bi = 0; bi < batch; bi++, a += a_bs, b += b_bs, c += c_bs) {               \
      if (k == 0) {                                                                        \
        for (size_t i = 0; i < m; i++)                                                     \
          for (size_t j = 0; j < n; j++) c[(ptrdiff_t)i * ldc + (ptrdiff_t)j] = 0;         \
        continue;                                                                          \
      }                                                                                    \
      if (n == 1) {        /* mv, dot: one dot product per row */                          \
        for (size_t i = 0; i < m; i++) {                                                   \
          const T* ar = a + (ptrdiff_t)i * a_rs;                                           \
          S s = 0;                                                                         \
          size_t l = 0;                                                                    \
          if (FLOAT && a_cs == 1 && ldb == 1) {  /* 4 vectors: no add-latency chain */      \
            V v0 = SPLAT(0), v1 = v0, v2 = v0, v3 = v0, x[4], y[4];                        \
            for (; l + 4 * L <= k; l += 4 * L) {                                           \
              __builtin_memcpy(x, ar + l, 64);                                             \
              __builtin_memcpy(y, b + l, 64);                                              \
              v0 += x[0] * y[0];                                                           \
              v1 += x[1] * y[1];                                                           \
              v2 += x[2] * y[2];                                                           \
              v3 += x[3] * y[3];                                                           \
            }                                                                              \
            v0 = (v0 + v1) + (v2 + v3);                                                    \
            for (size_t j = 0; j < L; j++) s += v0[j];                                     \
          }                                                                                \
          for (; l < k; l++)                                                               \
            s += (S)ar[(ptrdiff_t)l * a_cs] * (S)b[(ptrdiff_t)l * ldb];                    \
          c[(ptrdiff_t)i * ldc] = (T)s;                                                    \
        }                                                                                  \
        continue;                                                                          \
      }                                                                                    \
      for (size_t j0 = 0; j0 < n; j0 += NC) {                                              \
        const size_t nc = wt_min_size(NC, n - j0);                                         \
        for (size_t l0 = 0; l0 < k; l0 += KC) {                                            \
          const size_t kc = wt_min_size(KC, k - l0);                                       \
          name##_pack(kc, nc, b + (ptrdiff_t)l0 * ldb + (ptrdiff_t)j0, ldb, p);            \
          for (size_t jj = 0; jj < nc; jj += 2 * L)    /* a strip stays in L1 */          \
            for (size_t i0 = 0; i0 < m; i0 += MR)                                          \
              name##_tile(wt_min_size(MR, m - i0), wt_min_size(2 * L, nc - jj), kc,        \
                          a + (ptrdiff_t)i0 * a_rs + (ptrdiff_t)l0 * a_cs, a_rs, a_cs,     \
                          p + jj * kc, c + (ptrdiff_t)i0 * ldc + (ptrdiff_t)(j0 + jj), ldc, \
                          l0 > 0);                                                         \
        }                                                                                  \
      }                                                                                    \
    }                                                                                      \
  }

#define SPLAT_F64(s) ((f64v)wasm_f64x2_splat(s))
#define SPLAT_U64(s) ((u64v)wasm_i64x2_splat((int64_t)(s)))
#define SPLAT_U32(s) ((u32v)wasm_i32x4_splat((int32_t)(s)))
DEFINE_GEMM(f64_gemm_4x4, double, double, f64v, 2, SPLAT_F64, 1)
DEFINE_GEMM(i64_gemm_4x4, int64_t, uint64_t, u64v, 2, SPLAT_U64, 0)
DEFINE_GEMM(i32_gemm_4x8, int32_t, uint32_t, u32v, 4, SPLAT_U32, 0)

