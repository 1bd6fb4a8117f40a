/* Decode GEMV with int8 activations, llama.cpp style (webtensor.quant.linear(...,
 * activations="int8")):
 *   void wt_qd8_f32_q8_0_gemv_1x4_<isa>(size_t n, size_t k, const uint8_t* xq,
 *                                       const uint8_t* w, float* y)
 *   void wt_qd8_f32_q4_1_gemv_1x4_<isa>(...)   (qd8_f32_q4_1_gemv_1x4_wasmsimd.c)
 * y[i] = sum_l xh[l] * W[i][l] where xh = the Q8_0 blocks xq of the activations (x quantised
 * by q8_0_quantize: k/32 blocks of 34 bytes) and W [n, k] in Q8_0 / Q4_1 blocks. k must be a
 * multiple of 32; k == 0 writes zeros; y [n] must not overlap the inputs.
 *
 * Per block the integer dot q_w . q_x is exact (i32x4.dot_i16x8_s; |sum| < 2^24, so its float
 * conversion is exact too), then scaled once by d_w * d_x: about half the instructions of the
 * float path per weight. Q4_1 adds m * sum(xh); its relaxed build takes the nibbles (0..15,
 * valid "i7" lanes) straight into i32x4.relaxed_dot_i8x16_i7x16_add_s (deterministic there).
 * Error against the float path on xh: ~(k/4 + 8) eps sum_l |xh[l]| (|d q| + |m|); xh itself
 * is x within Q8_0's rounding (|x - xh| <= d_x/2 + 127 h(d_x), see webtensor/quant.py).
 */
#include "wt_quant.h"

/* the activation block as four i16x8 vectors (elements 0-7, 8-15, 16-23, 24-31) */
static inline void qd8_x16(const uint8_t* xb, v128_t x16[4]) {
  const v128_t a = wasm_v128_load(xb + 2), b = wasm_v128_load(xb + 18);
  x16[0] = wasm_i16x8_extend_low_i8x16(a);
  x16[1] = wasm_i16x8_extend_high_i8x16(a);
  x16[2] = wasm_i16x8_extend_low_i8x16(b);
  x16[3] = wasm_i16x8_extend_high_i8x16(b);
}

static inline v128_t qd8_block(const uint8_t* wb, const v128_t x16[4], float dx, v128_t acc) {
  const v128_t a = wasm_v128_load(wb + 2), b = wasm_v128_load(wb + 18);
  v128_t s = wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(a), x16[0]);
  s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(a), x16[1]));
  s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(b), x16[2]));
  s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(b), x16[3]));
  return WT_MADD(wasm_f32x4_splat(wt_f16_to_f32(wt_load_u16(wb)) * dx),
                 wasm_f32x4_convert_i32x4(s), acc);
}

WT_EXPORT void WT_SYM(qd8_f32_q8_0_gemv_1x4)(size_t n, size_t k, const uint8_t* xq,
                                             const uint8_t* w, float* y) {
  const size_t nb = k / WT_QK, rb = nb * WT_Q8_0_BYTES;
  const v128_t zero = wasm_f32x4_splat(0.0f);
  size_t i = 0;
  for (; i + 4 <= n; i += 4, w += 4 * rb) {
    v128_t a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    const uint8_t* p = w;
    for (size_t b = 0; b < nb; b++, p += WT_Q8_0_BYTES) {
      const uint8_t* xb = xq + b * WT_Q8_0_BYTES;
      v128_t x16[4];
      qd8_x16(xb, x16);
      const float dx = wt_f16_to_f32(wt_load_u16(xb));
      a0 = qd8_block(p, x16, dx, a0);
      a1 = qd8_block(p + rb, x16, dx, a1);
      a2 = qd8_block(p + 2 * rb, x16, dx, a2);
      a3 = qd8_block(p + 3 * rb, x16, dx, a3);
    }
    wasm_v128_store(y + i, wt_hsum4(a0, a1, a2, a3));
  }
  for (; i < n; i++, w += rb) {
    v128_t a = zero;
    for (size_t b = 0; b < nb; b++) {
      const uint8_t* xb = xq + b * WT_Q8_0_BYTES;
      v128_t x16[4];
      qd8_x16(xb, x16);
      a = qd8_block(w + b * WT_Q8_0_BYTES, x16, wt_f16_to_f32(wt_load_u16(xb)), a);
    }
    y[i] = wt_hsum(a);
  }
}
