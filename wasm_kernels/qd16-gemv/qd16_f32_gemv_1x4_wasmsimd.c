/* Decode GEMVs with int16 activations (webtensor.quant.linear(..., activations="int16")):
 *   void wt_qd16_f32_<kind>_gemv_1x4_<isa>(size_t n, size_t k, const uint8_t* xq,
 *                                          const uint8_t* w, float* y)
 * y[i] = sum_l xh[l] W[i][l], xh = the activations as int16 blocks xq (k/32 blocks of 72 bytes
 * from qd16_quantize, see include/wt_qd16.h), W [n, k] in <kind> blocks. k must be a multiple
 * of the kind's block; k == 0 writes zeros; y [n] must not overlap the inputs.
 *
 * Q8_0 and Q4_1 (the SmolLM2 file's kinds) run four rows at a time with one vector per
 * block for all four: the integer dots q_w . q_x (i32x4.dot_i16x8_s on codes widened to i16;
 * exact: |sum| < 32 * 127 * 32767 < 2^31) are summed across lanes in integers, and the four
 * rows' half scales are widened together (wt_f16x4_to_f32), so per block and row the float
 * work is a quarter of a madd. Q4_1's codes are below 16, so its sums (< 2^24) convert
 * exactly; it adds m d_x sum(q_x). Error against the float path on xh: ~(k/32 + 4) eps
 * sum_l |xh[l]| (|d q| + |m|). The other kinds go through the generic template (wt_qd8.h).
 */
#include "wt_qd16.h"

static volatile uint32_t wt_qd16_sink;    /* keeps the touches of qd16_gemv */

static inline void qd16_load_x(const uint8_t* xb, v128_t x16[4]) {
  for (int i = 0; i < 4; i++) x16[i] = wasm_v128_load(xb + WT_QD16_HEAD + 16 * i);
}

static inline v128_t qd16_q8_0_dot(const uint8_t* wb, const v128_t x16[4]) {
  const v128_t a = wasm_v128_load(wb + 2), b = wasm_v128_load(wb + 18);
  v128_t s = wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(a), x16[0]);
  s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(a), x16[1]));
  s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(b), x16[2]));
  return wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(b), x16[3]));
}

static inline v128_t qd16_q4_1_dot(const uint8_t* wb, const v128_t x16[4]) {
  const v128_t v = wasm_v128_load(wb + 4);
  const v128_t lo = wasm_v128_and(v, wasm_i8x16_splat(0x0f)), hi = wasm_u8x16_shr(v, 4);
  return wasm_i32x4_add(wt_dot_u8_i16(lo, x16), wt_dot_u8_i16(hi, x16 + 2));
}

/* the driver of both kinds: has_m (Q4_1) reads {d, m} halves, else d alone */
static inline __attribute__((always_inline)) void qd16_gemv(
    size_t n, size_t k, const uint8_t* xq, const uint8_t* w, float* y, size_t bytes,
    int has_m, v128_t (*dot)(const uint8_t*, const v128_t*)) {
  const size_t nb = k / WT_QK, rb = nb * bytes;
  uint32_t sink = 0;
  for (size_t i = 0; i < n; i += 4) {
    /* the last 1-3 rows repeat row n-1 (read again, never stored) */
    const uint8_t* p0 = w + wt_min_size(i, n - 1) * rb;
    const uint8_t* p1 = w + wt_min_size(i + 1, n - 1) * rb;
    const uint8_t* p2 = w + wt_min_size(i + 2, n - 1) * rb;
    const uint8_t* p3 = w + wt_min_size(i + 3, n - 1) * rb;
    /* the next four rows (4 rb bytes, contiguous) are touched every 2 blocks' bytes, 4
     * blocks' a step, so they come from memory while these are computed (wasm has no
     * prefetch instruction); on the last group pf stays on this group's first byte */
    const int ahead = i + 8 <= n;
    const uint8_t* pf = ahead ? p3 + rb : p0;
    const size_t pstep = ahead ? 4 * bytes : 0, poff = ahead ? 2 * bytes : 0;
    v128_t acc = wasm_f32x4_splat(0.0f);
    for (size_t b = 0; b < nb; b++, p0 += bytes, p1 += bytes, p2 += bytes, p3 += bytes,
                              pf += pstep) {
      sink += pf[0] + pf[poff];
      const uint8_t* xb = xq + b * WT_QD16_BYTES;
      v128_t x16[4];
      qd16_load_x(xb, x16);
      const float dx = wt_qd16_scale(xb);
      const v128_t s = wt_hsum4_i32(dot(p0, x16), dot(p1, x16), dot(p2, x16), dot(p3, x16));
      const v128_t dm = wt_load4_u32(p0, p1, p2, p3);
      const v128_t d = wt_f16x4_to_f32(dm);
      acc = WT_MADD(wasm_f32x4_mul(d, wasm_f32x4_splat(dx)), wasm_f32x4_convert_i32x4(s), acc);
      if (has_m)
        acc = WT_MADD(wt_f16hi_to_f32(dm),
                      wasm_f32x4_splat(dx * (float)wt_qd16_sum(xb)), acc);
    }
    if (n - i >= 4)
      wasm_v128_store(y + i, acc);
    else
      wt_store_partial(y + i, n - i, acc);
  }
  wt_qd16_sink = sink;
}

WT_EXPORT void WT_SYM(qd16_f32_q8_0_gemv_1x4)(size_t n, size_t k, const uint8_t* xq,
                                              const uint8_t* w, float* y) {
  qd16_gemv(n, k, xq, w, y, WT_Q8_0_BYTES, 0, qd16_q8_0_dot);
}

WT_EXPORT void WT_SYM(qd16_f32_q4_1_gemv_1x4)(size_t n, size_t k, const uint8_t* xq,
                                              const uint8_t* w, float* y) {
  qd16_gemv(n, k, xq, w, y, WT_Q4_1_BYTES, 1, qd16_q4_1_dot);
}

#define WT_QGEMV_I16 1
#define WT_QD8_NAME qd16_f32_q4_0_gemv_1x4
#define WT_QBYTES WT_Q4_0_BYTES
#define WT_QBLK WT_QK
#define WT_QSUB wt_q4_0_sub
#define WT_QHAS_M 0
#include "wt_qd8.h"

#define WT_QGEMV_I16 1
#define WT_QD8_NAME qd16_f32_q5_0_gemv_1x4
#define WT_QBYTES WT_Q5_0_BYTES
#define WT_QBLK WT_QK
#define WT_QSUB wt_q5_0_sub
#define WT_QHAS_M 0
#include "wt_qd8.h"

#define WT_QGEMV_I16 1
#define WT_QD8_NAME qd16_f32_q5_1_gemv_1x4
#define WT_QBYTES WT_Q5_1_BYTES
#define WT_QBLK WT_QK
#define WT_QSUB wt_q5_1_sub
#define WT_QHAS_M 1
#include "wt_qd8.h"

#define WT_QGEMV_I16 1
#define WT_QD8_NAME qd16_f32_q4_k_gemv_1x4
#define WT_QBYTES WT_Q4_K_BYTES
#define WT_QBLK WT_QK_K
#define WT_QSUB wt_q4_k_sub
#define WT_QHAS_M 1
#include "wt_qd8.h"

#define WT_QGEMV_I16 1
#define WT_QD8_NAME qd16_f32_q6_k_gemv_1x4
#define WT_QBYTES WT_Q6_K_BYTES
#define WT_QBLK WT_QK_K
#define WT_QSUB wt_q6_k_sub
#define WT_QHAS_M 0
#include "wt_qd8.h"
