/* Prefill GEMMs with int16 activations (webtensor.quant.linear(..., activations="int16"),
 * M > 1) for the SmolLM2 file's kinds:
 *   void wt_qd16_f32_<kind>_gemm_4x8_<isa>(size_t m, size_t n, size_t k, const uint8_t* xq,
 *                                          const uint8_t* w, float* y)
 * y[r][i] = sum_l xh[r][l] W[i][l], r < m, i < n: xq holds m rows of k/32 int16 blocks (72
 * bytes each, from qd16_quantize, include/wt_qd16.h), W [n, k] rows of k/32 Q8_0 / Q4_1
 * blocks, y [m, n] contiguous (not overlapping the inputs). k a multiple of 32; k == 0 writes
 * zeros.
 *
 * Why: a float GEMM needs one FMA per 4 multiply-adds; i32x4.dot_i16x8_s does 8 (pmaddwd on
 * x86). A panel of 8 weight rows x 512 columns (8 KiB of codes on the stack) is packed once
 * as i16 codes interleaved by 4 rows: the vector for columns (2p, 2p+1) holds those two codes
 * of each of 4 rows, so a dot with the activation pair (x[2p], x[2p+1]) splatted gives one
 * partial sum per weight row and the output lanes are the 4 rows (no horizontal sums). Every
 * row of x reuses the panel: a 4x8 register tile (four x rows, two groups of 4 weight rows)
 * takes per pair 4 splats, 2 panel loads, 8 dots: ~1.2x the float GEMM's speed on x86 (V8
 * computes every address with its own lea, so the loop is bound by instruction count, not by
 * the multipliers). Per block the exact integer sums (|.| < 16 * 2 * 127 * 32767 <
 * 2^31) are scaled once: d_w d_x s (+ m_w d_x sum(q_x) for Q4_1), as the int16 GEMV does.
 * Error against the float path on xh: ~(k/32 + 2) eps sum_l |xh[l]| (|d q| + |m|).
 */
#include "wt_qd16.h"

#define QD16_NP 8              /* weight rows per panel: two groups of 4 */
#define QD16_KB 16             /* blocks (of 32 columns) per panel: 8 KiB of codes */

typedef struct {
  v128_t c[QD16_KB][16][2];    /* [block][pair][group]: 4 rows' two codes each, as i16 */
  v128_t d[QD16_KB][2], m[QD16_KB][2];   /* [block][group]: the 4 rows' scales, mins */
} qd16_panel;

/* one row's 32 codes of a block as 4 i16x8 (elements 0-7, 8-15, 16-23, 24-31) */
static void qd16_codes_q8_0(const uint8_t* b, v128_t c[4]) {
  const v128_t a = wasm_v128_load(b + 2), h = wasm_v128_load(b + 18);
  c[0] = wasm_i16x8_extend_low_i8x16(a);
  c[1] = wasm_i16x8_extend_high_i8x16(a);
  c[2] = wasm_i16x8_extend_low_i8x16(h);
  c[3] = wasm_i16x8_extend_high_i8x16(h);
}

static void qd16_codes_q4_1(const uint8_t* b, v128_t c[4]) {
  const v128_t v = wasm_v128_load(b + 4);
  const v128_t lo = wasm_v128_and(v, wasm_i8x16_splat(0x0f)), hi = wasm_u8x16_shr(v, 4);
  c[0] = wasm_u16x8_extend_low_u8x16(lo);
  c[1] = wasm_u16x8_extend_high_u8x16(lo);
  c[2] = wasm_u16x8_extend_low_u8x16(hi);
  c[3] = wasm_u16x8_extend_high_u8x16(hi);
}

/* pack rows j..j+np-1 (np <= 8; the rest zeros), blocks b0..b0+nb-1 of the panel */
static inline __attribute__((always_inline)) void qd16_pack(
    qd16_panel* P, const uint8_t* w, size_t rb, size_t np, size_t nb, size_t bytes, int has_m,
    void (*codes)(const uint8_t*, v128_t*)) {
  const v128_t zero = wasm_i32x4_splat(0);
  for (size_t g = 0; g < 2; g++) {
    const uint8_t* p[4];
    for (size_t r = 0; r < 4; r++) p[r] = w + wt_min_size(4 * g + r, np - 1) * rb;
    /* rows past np repeat the last row's bytes; their scales are zeroed below */
    const v128_t live = wasm_i32x4_gt(wasm_i32x4_splat((int32_t)np - 4 * (int32_t)g),
                                      wasm_i32x4_make(0, 1, 2, 3));
    for (size_t b = 0; b < nb; b++) {
      v128_t c[4][4];
      for (size_t r = 0; r < 4; r++) codes(p[r] + b * bytes, c[r]);
      for (size_t q = 0; q < 4; q++) {   /* 4x4 transpose of i32 lanes (code pairs) */
        const v128_t t0 = wasm_i32x4_shuffle(c[0][q], c[1][q], 0, 4, 1, 5);
        const v128_t t1 = wasm_i32x4_shuffle(c[2][q], c[3][q], 0, 4, 1, 5);
        const v128_t t2 = wasm_i32x4_shuffle(c[0][q], c[1][q], 2, 6, 3, 7);
        const v128_t t3 = wasm_i32x4_shuffle(c[2][q], c[3][q], 2, 6, 3, 7);
        P->c[b][4 * q][g] = wasm_i64x2_shuffle(t0, t1, 0, 2);
        P->c[b][4 * q + 1][g] = wasm_i64x2_shuffle(t0, t1, 1, 3);
        P->c[b][4 * q + 2][g] = wasm_i64x2_shuffle(t2, t3, 0, 2);
        P->c[b][4 * q + 3][g] = wasm_i64x2_shuffle(t2, t3, 1, 3);
      }
      const size_t o = b * bytes;
      const v128_t dm = wt_load4_u32(p[0] + o, p[1] + o, p[2] + o, p[3] + o);
      P->d[b][g] = wasm_v128_and(live, wt_f16x4_to_f32(dm));
      P->m[b][g] = has_m ? wasm_v128_and(live, wt_f16hi_to_f32(dm)) : zero;
    }
  }
}

/* y[0:4] (+)= v for the lanes of live rows */
static inline void qd16_store(float* y, size_t nr, v128_t v, int first) {
  if (nr >= 4) {
    wasm_v128_store(y, first ? v : wasm_f32x4_add(wasm_v128_load(y), v));
    return;
  }
  float t[4];
  wasm_v128_store(t, v);
  for (size_t r = 0; r < nr; r++) y[r] = first ? t[r] : y[r] + t[r];
}

#define QD16_MR 4              /* x rows per register tile */

/* x rows x[0..3] (each k/32 blocks of 72 bytes from block b0 on) times the panel over nb
 * blocks, into y rows y[r] (r < mr) columns 0..np-1; rows past mr repeat row mr-1 */
static inline __attribute__((always_inline)) void qd16_tile(
    const qd16_panel* P, size_t nb, const uint8_t* x0, size_t xr, size_t mr, float* y,
    size_t ldy, size_t np, int has_m, int first) {
  const uint8_t* xs[QD16_MR];
  for (size_t r = 0; r < QD16_MR; r++) xs[r] = x0 + wt_min_size(r, mr - 1) * xr;
  v128_t f[QD16_MR][2];
  for (size_t r = 0; r < QD16_MR; r++) f[r][0] = f[r][1] = wasm_f32x4_splat(0.0f);
  for (size_t b = 0; b < nb; b++) {
    const v128_t zi = wasm_i32x4_splat(0);
    v128_t s00 = zi, s01 = zi, s10 = zi, s11 = zi, s20 = zi, s21 = zi, s30 = zi, s31 = zi;
    const uint8_t* q0 = xs[0] + b * WT_QD16_BYTES + WT_QD16_HEAD;
    const uint8_t* q1 = xs[1] + b * WT_QD16_BYTES + WT_QD16_HEAD;
    const uint8_t* q2 = xs[2] + b * WT_QD16_BYTES + WT_QD16_HEAD;
    const uint8_t* q3 = xs[3] + b * WT_QD16_BYTES + WT_QD16_HEAD;
    const v128_t* c = P->c[b][0];
    /* no unrolling: clang would hoist the loads of an unrolled body ahead of the dots and
     * V8 would spill them */
#pragma clang loop unroll(disable)
    for (int p = 0; p < 16; p++, c += 2, q0 += 4, q1 += 4, q2 += 4, q3 += 4) {
      const v128_t w0 = c[0], w1 = c[1];
      v128_t a = wasm_v128_load32_splat(q0);
      s00 = wasm_i32x4_add(s00, wasm_i32x4_dot_i16x8(a, w0));
      s01 = wasm_i32x4_add(s01, wasm_i32x4_dot_i16x8(a, w1));
      a = wasm_v128_load32_splat(q1);
      s10 = wasm_i32x4_add(s10, wasm_i32x4_dot_i16x8(a, w0));
      s11 = wasm_i32x4_add(s11, wasm_i32x4_dot_i16x8(a, w1));
      a = wasm_v128_load32_splat(q2);
      s20 = wasm_i32x4_add(s20, wasm_i32x4_dot_i16x8(a, w0));
      s21 = wasm_i32x4_add(s21, wasm_i32x4_dot_i16x8(a, w1));
      a = wasm_v128_load32_splat(q3);
      s30 = wasm_i32x4_add(s30, wasm_i32x4_dot_i16x8(a, w0));
      s31 = wasm_i32x4_add(s31, wasm_i32x4_dot_i16x8(a, w1));
    }
    const v128_t s[QD16_MR][2] = {{s00, s01}, {s10, s11}, {s20, s21}, {s30, s31}};
    for (size_t r = 0; r < QD16_MR; r++) {
      const uint8_t* xb = xs[r] + b * WT_QD16_BYTES;
      const float dx = wt_qd16_scale(xb);
      const v128_t e = wasm_f32x4_splat(dx);
      for (size_t g = 0; g < 2; g++)
        f[r][g] = WT_MADD(wasm_f32x4_mul(P->d[b][g], e), wasm_f32x4_convert_i32x4(s[r][g]),
                          f[r][g]);
      if (has_m) {
        const v128_t ms = wasm_f32x4_splat(dx * (float)wt_qd16_sum(xb));
        for (size_t g = 0; g < 2; g++) f[r][g] = WT_MADD(P->m[b][g], ms, f[r][g]);
      }
    }
  }
  for (size_t r = 0; r < mr; r++) {
    qd16_store(y + r * ldy, np, f[r][0], first);
    if (np > 4) qd16_store(y + r * ldy + 4, np - 4, f[r][1], first);
  }
}

/* one driver for both kinds (module size): the codes through a pointer, once per panel row
 * and block */
static __attribute__((noinline)) void qd16_gemm(
    size_t m, size_t n, size_t k, const uint8_t* xq, const uint8_t* w, float* y, size_t bytes,
    int has_m, void (*codes)(const uint8_t*, v128_t*)) {
  const size_t nbk = k / WT_QK, rb = nbk * bytes, xr = nbk * WT_QD16_BYTES;
  if (nbk == 0) {
    for (size_t t = 0; t < m * n; t++) y[t] = 0.0f;
    return;
  }
  qd16_panel P;
  for (size_t j = 0; j < n; j += QD16_NP) {
    const size_t np = wt_min_size(QD16_NP, n - j);
    for (size_t b0 = 0; b0 < nbk; b0 += QD16_KB) {
      const size_t nb = wt_min_size(QD16_KB, nbk - b0);
      qd16_pack(&P, w + j * rb + b0 * bytes, rb, np, nb, bytes, has_m, codes);
      for (size_t i = 0; i < m; i += QD16_MR)
        qd16_tile(&P, nb, xq + i * xr + b0 * WT_QD16_BYTES, xr, wt_min_size(QD16_MR, m - i),
                  y + i * n + j, n, np, has_m, b0 == 0);
    }
  }
}

WT_EXPORT void WT_SYM(qd16_f32_q8_0_gemm_4x8)(size_t m, size_t n, size_t k, const uint8_t* xq,
                                              const uint8_t* w, float* y) {
  qd16_gemm(m, n, k, xq, w, y, WT_Q8_0_BYTES, 0, qd16_codes_q8_0);
}

WT_EXPORT void WT_SYM(qd16_f32_q4_1_gemm_4x8)(size_t m, size_t n, size_t k, const uint8_t* xq,
                                              const uint8_t* w, float* y) {
  qd16_gemm(m, n, k, xq, w, y, WT_Q4_1_BYTES, 1, qd16_codes_q4_1);
}
