/* Batched row-vector times matrix (the M == 1 case of matmul, token-by-token decoding):
 *   void wt_f32_gemv_1x32_<isa>(size_t batch, size_t n, size_t k,
 *                               const float* x, int32_t x_bs, int32_t x_cs,
 *                               const float* b, int32_t b_bs, int32_t ldb,
 *                               float* y, int32_t y_bs)
 * y[p][j] = sum_l x[p*x_bs + l*x_cs] * b[p*b_bs + l*ldb + j] for p < batch, j < n.
 * x has any element stride; B rows are contiguous (unit column stride, leading dim ldb);
 * y is contiguous and must not overlap x or B. A batch stride of 0 broadcasts that operand.
 * k == 0 writes zeros; only y[p][0:n] is written, only B[l][0:n] read.
 *
 * Streams B row-major: y (zeroed first, kept hot in L1) gets four rows of B at a time,
 * y[j:j+4] += x[l]*B[l][j:j+4] + ... + x[l+3]*B[l+3][j:j+4], vectorised across n in chunks
 * of 32 columns (8 independent accumulators), then 4 columns, then a scalar tail; four
 * sequential row streams keep the prefetchers busy and register pressure low (V8 spills
 * the register-blocked form). The "1x32" tile is the 32-column chunk.
 * Error: each y element is a length-k dot product, <= k eps sum|x||b| (fused or not).
 */
#include "wt_common.h"

#define NR 32

/* y[0:4] += v0*b0[0:4] + v1*b1[0:4] + v2*b2[0:4] + v3*b3[0:4], summed in that order */
#define WT_ROWS4(o)                                                                         \
  do {                                                                                      \
    v128_t acc = wasm_v128_load(y + (o));                                                   \
    acc = WT_MADD(v0, wasm_v128_load(b0 + (o)), acc);                                       \
    acc = WT_MADD(v1, wasm_v128_load(b1 + (o)), acc);                                       \
    acc = WT_MADD(v2, wasm_v128_load(b2 + (o)), acc);                                       \
    acc = WT_MADD(v3, wasm_v128_load(b3 + (o)), acc);                                       \
    wasm_v128_store(y + (o), acc);                                                          \
  } while (0)

/* y[0:n] += x[0]*B[0][0:n] + ... + x[3]*B[3][0:n] */
static inline void rows4(size_t n, const float* x, ptrdiff_t x_cs, const float* b0,
                         ptrdiff_t ldb, float* y) {
  const float* b1 = b0 + ldb;
  const float* b2 = b1 + ldb;
  const float* b3 = b2 + ldb;
  const v128_t v0 = wasm_v128_load32_splat(x), v1 = wasm_v128_load32_splat(x + x_cs);
  const v128_t v2 = wasm_v128_load32_splat(x + 2 * x_cs);
  const v128_t v3 = wasm_v128_load32_splat(x + 3 * x_cs);
  size_t j = 0;
  for (; j + NR <= n; j += NR, y += NR, b0 += NR, b1 += NR, b2 += NR, b3 += NR) {
    WT_ROWS4(0); WT_ROWS4(4); WT_ROWS4(8); WT_ROWS4(12);
    WT_ROWS4(16); WT_ROWS4(20); WT_ROWS4(24); WT_ROWS4(28);
  }
  for (; j + 4 <= n; j += 4, y += 4, b0 += 4, b1 += 4, b2 += 4, b3 += 4) WT_ROWS4(0);
  const float s0 = x[0], s1 = x[x_cs], s2 = x[2 * x_cs], s3 = x[3 * x_cs];
  for (size_t t = 0; j < n; j++, t++)
    y[t] = (((y[t] + s0 * b0[t]) + s1 * b1[t]) + s2 * b2[t]) + s3 * b3[t];
}

/* y[0:n] += x[0]*B[0][0:n] */
static inline void row1(size_t n, const float* x, const float* b, float* y) {
  const v128_t v = wasm_v128_load32_splat(x);
  size_t j = 0;
  for (; j + 4 <= n; j += 4)
    wasm_v128_store(y + j, WT_MADD(v, wasm_v128_load(b + j), wasm_v128_load(y + j)));
  for (; j < n; j++) y[j] += x[0] * b[j];
}

WT_EXPORT void WT_SYM(f32_gemv_1x32)(size_t batch, size_t n, size_t k, const float* x,
                                     int32_t x_bs, int32_t x_cs, const float* b, int32_t b_bs,
                                     int32_t ldb, float* y, int32_t y_bs) {
  for (size_t p = 0; p < batch; p++) {
    const float* xp = x + (ptrdiff_t)p * x_bs;
    const float* bp = b + (ptrdiff_t)p * b_bs;
    float* yp = y + (ptrdiff_t)p * y_bs;
    for (size_t j = 0; j < n; j++) yp[j] = 0.0f;
    size_t l = 0;
    for (; l + 4 <= k; l += 4, xp += 4 * (ptrdiff_t)x_cs, bp += 4 * (ptrdiff_t)ldb)
      rows4(n, xp, x_cs, bp, ldb, yp);
    for (; l < k; l++, xp += x_cs, bp += ldb) row1(n, xp, bp, yp);
  }
}
