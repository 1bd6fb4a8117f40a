/* Template of the quantised-weight GEMM kernels (linear's M > 1 prefill path):
 *   void wt_<WT_QGEMM_NAME>_<isa>(size_t m, size_t n, size_t k, const float* x,
 *                                 const uint8_t* w, float* y)
 * y[r][i] = sum_l x[r][l] * W[i][l], r < m, i < n: y = x @ W^T with x [m, k] and y [m, n]
 * contiguous (y must not overlap x or w) and W [n, k] in rows of k/32 blocks of
 * WT_QBYTES bytes of WT_QBLK weights (32, the default, or 256 for the K-quants), dequantised
 * by WT_QDEQUANT(block, float out[WT_QBLK]). k must be a multiple of WT_QBLK; k == 0 writes
 * zeros. Included once per kernel: a file may instantiate several (the macros are undefined
 * at the end).
 *
 * A panel of WT_QNP weight rows x WT_QKC columns is dequantised once into a stack tile
 * (8 KiB) and reused by every row of x: a 2x4 register tile (two x rows, four weight rows,
 * eight f32x4 accumulators) sweeps it; partial dots over the panel are folded (hsum4) and
 * added into y. So the int->float work is amortised over m rows.
 * Error: a length-k dot product of x with the dequantised weights, summed in chunks of 256:
 * |y - exact| <= ~(k/4 + 64) eps sum_l |x[r][l] W[i][l]| (fused or not), plus the
 * dequantisation rounding of Q4_1's d*q + m (half an ulp of each weight).
 */
#include "wt_quant.h"

#if !defined(WT_QBLK) && !defined(WT_QGEMM_GENERIC)
#define WT_QBLK WT_QK
#endif

#ifndef WT_QGEMM_HELPERS
#define WT_QGEMM_HELPERS
#define WT_QNP 8
#define WT_QKC 256

/* y[0:nr] (+)= v, nr <= 4 */
static inline void wt_qgemm_store(float* y, size_t nr, v128_t v, int first) {
  if (nr == 4) {
    wasm_v128_store(y, first ? v : wasm_f32x4_add(wasm_v128_load(y), v));
    return;
  }
  float t[4];
  wasm_v128_store(t, v);
  for (size_t r = 0; r < nr; r++) y[r] = first ? t[r] : y[r] + t[r];
}

/* two x rows (x0, x1) times four panel rows (p, stride WT_QKC) over kc columns */
static inline void wt_qgemm_2x4(const float* x0, const float* x1, const float* p, size_t kc,
                                float* y0, float* y1, size_t nr, int first) {
  const v128_t z = wasm_f32x4_splat(0.0f);
  v128_t c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
  for (size_t t = 0; t < kc; t += 4) {
    const v128_t u0 = wasm_v128_load(x0 + t), u1 = wasm_v128_load(x1 + t);
    v128_t w = wasm_v128_load(p + t);
    c00 = WT_MADD(u0, w, c00);
    c10 = WT_MADD(u1, w, c10);
    w = wasm_v128_load(p + WT_QKC + t);
    c01 = WT_MADD(u0, w, c01);
    c11 = WT_MADD(u1, w, c11);
    w = wasm_v128_load(p + 2 * WT_QKC + t);
    c02 = WT_MADD(u0, w, c02);
    c12 = WT_MADD(u1, w, c12);
    w = wasm_v128_load(p + 3 * WT_QKC + t);
    c03 = WT_MADD(u0, w, c03);
    c13 = WT_MADD(u1, w, c13);
  }
  wt_qgemm_store(y0, nr, wt_hsum4(c00, c01, c02, c03), first);
  wt_qgemm_store(y1, nr, wt_hsum4(c10, c11, c12, c13), first);
}

static inline void wt_qgemm_1x4(const float* x0, const float* p, size_t kc, float* y0,
                                size_t nr, int first) {
  const v128_t z = wasm_f32x4_splat(0.0f);
  v128_t c0 = z, c1 = z, c2 = z, c3 = z;
  for (size_t t = 0; t < kc; t += 4) {
    const v128_t u0 = wasm_v128_load(x0 + t);
    c0 = WT_MADD(u0, wasm_v128_load(p + t), c0);
    c1 = WT_MADD(u0, wasm_v128_load(p + WT_QKC + t), c1);
    c2 = WT_MADD(u0, wasm_v128_load(p + 2 * WT_QKC + t), c2);
    c3 = WT_MADD(u0, wasm_v128_load(p + 3 * WT_QKC + t), c3);
  }
  wt_qgemm_store(y0, nr, wt_hsum4(c0, c1, c2, c3), first);
}
#endif

#ifdef WT_QGEMM_GENERIC   /* block geometry and dequantiser as arguments */
static __attribute__((noinline)) void WT_QGEMM_NAME(
    size_t m, size_t n, size_t k, const float* x, const uint8_t* w, float* y,
    const size_t WT_QBYTES, const size_t WT_QBLK,
    void (*dequant)(size_t nblocks, const uint8_t* blocks, float* y)) {
#define WT_QDEQUANT_RUN(src, bc, dst) dequant((bc), (src), (dst))
#else
WT_EXPORT void WT_SYM(WT_QGEMM_NAME)(size_t m, size_t n, size_t k, const float* x,
                                     const uint8_t* w, float* y) {
#define WT_QDEQUANT_RUN(src, bc, dst) \
  for (size_t b = 0; b < (bc); b++) WT_QDEQUANT((src) + b * WT_QBYTES, (dst) + b * WT_QBLK)
#endif
  float panel[WT_QNP * WT_QKC] __attribute__((aligned(16)));
  const size_t nb = k / WT_QBLK, rb = nb * WT_QBYTES, pb = WT_QKC / WT_QBLK;
  if (nb == 0) {
    for (size_t t = 0; t < m * n; t++) y[t] = 0.0f;
    return;
  }
  for (size_t j = 0; j < n; j += WT_QNP) {
    const size_t np = wt_min_size(WT_QNP, n - j);
    for (size_t b0 = 0; b0 < nb; b0 += pb) {
      const size_t bc = wt_min_size(pb, nb - b0), kc = bc * WT_QBLK;
      const int first = b0 == 0;
      for (size_t r = 0; r < WT_QNP; r++) {   /* rows past n: zeros, never stored */
        float* pr = panel + r * WT_QKC;
        if (r < np) {
          const uint8_t* src = w + (j + r) * rb + b0 * WT_QBYTES;
          WT_QDEQUANT_RUN(src, bc, pr);
        } else {
          for (size_t t = 0; t < kc; t += 4) wasm_v128_store(pr + t, wasm_f32x4_splat(0.0f));
        }
      }
      size_t i = 0;
      for (; i + 2 <= m; i += 2) {
        const float* x0 = x + i * k + b0 * WT_QBLK;
        for (size_t s = 0; s < np; s += 4)
          wt_qgemm_2x4(x0, x0 + k, panel + s * WT_QKC, kc, y + i * n + j + s,
                       y + (i + 1) * n + j + s, wt_min_size(4, np - s), first);
      }
      if (i < m) {
        const float* x0 = x + i * k + b0 * WT_QBLK;
        for (size_t s = 0; s < np; s += 4)
          wt_qgemm_1x4(x0, panel + s * WT_QKC, kc, y + i * n + j + s, wt_min_size(4, np - s),
                       first);
      }
    }
  }
}

#undef WT_QGEMM_NAME
#undef WT_QBYTES
#undef WT_QBLK
#undef WT_QDEQUANT
#undef WT_QDEQUANT_RUN
#undef WT_QGEMM_GENERIC
