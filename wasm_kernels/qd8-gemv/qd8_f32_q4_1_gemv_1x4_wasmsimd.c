/* Decode GEMV, int8 (Q8_0) activations times Q4_1 weights: see qd8_f32_q8_0_gemv_1x4_wasmsimd.c
 *   void wt_qd8_f32_q4_1_gemv_1x4_<isa>(size_t n, size_t k, const uint8_t* xq,
 *                                       const uint8_t* w, float* y)
 * Per block: d_w d_x (q_w . q_x) + m_w d_x sum(q_x), the integer parts exact.
 */
#include "wt_quant.h"

typedef struct {
  v128_t xa, xb;        /* the 32 int8 activations (relaxed build) */
  v128_t x16[4];        /* the same as i16x8 (plain build) */
  v128_t xs;            /* d_x * partial sums of q_x (lanes add up to sum(xh)) */
  float dx;
} qd8_xblock;

static inline void qd8_load_x(const uint8_t* xb, qd8_xblock* x) {
  x->xa = wasm_v128_load(xb + 2);
  x->xb = wasm_v128_load(xb + 18);
  x->x16[0] = wasm_i16x8_extend_low_i8x16(x->xa);
  x->x16[1] = wasm_i16x8_extend_high_i8x16(x->xa);
  x->x16[2] = wasm_i16x8_extend_low_i8x16(x->xb);
  x->x16[3] = wasm_i16x8_extend_high_i8x16(x->xb);
  x->dx = wt_f16_to_f32(wt_load_u16(xb));
  const v128_t one = wasm_i16x8_splat(1);
  v128_t s = wasm_i32x4_add(wasm_i32x4_dot_i16x8(x->x16[0], one),
                            wasm_i32x4_dot_i16x8(x->x16[1], one));
  s = wasm_i32x4_add(s, wasm_i32x4_add(wasm_i32x4_dot_i16x8(x->x16[2], one),
                                       wasm_i32x4_dot_i16x8(x->x16[3], one)));
  x->xs = wasm_f32x4_mul(wasm_f32x4_convert_i32x4(s), wasm_f32x4_splat(x->dx));
}

static inline v128_t qd8_block(const uint8_t* wb, const qd8_xblock* x, v128_t acc) {
  const v128_t v = wasm_v128_load(wb + 4);
  const v128_t lo = wasm_v128_and(v, wasm_i8x16_splat(0x0f)), hi = wasm_u8x16_shr(v, 4);
#ifdef WT_RELAXED
  v128_t s = wasm_i32x4_relaxed_dot_i8x16_i7x16_add(x->xa, lo, wasm_i32x4_splat(0));
  s = wasm_i32x4_relaxed_dot_i8x16_i7x16_add(x->xb, hi, s);
#else
  v128_t s = wasm_i32x4_dot_i16x8(wasm_u16x8_extend_low_u8x16(lo), x->x16[0]);
  s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(wasm_u16x8_extend_high_u8x16(lo), x->x16[1]));
  s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(wasm_u16x8_extend_low_u8x16(hi), x->x16[2]));
  s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(wasm_u16x8_extend_high_u8x16(hi), x->x16[3]));
#endif
  acc = WT_MADD(wasm_f32x4_splat(wt_f16_to_f32(wt_load_u16(wb)) * x->dx),
                wasm_f32x4_convert_i32x4(s), acc);
  return WT_MADD(wasm_f32x4_splat(wt_f16_to_f32(wt_load_u16(wb + 2))), x->xs, acc);
}

WT_EXPORT void WT_SYM(qd8_f32_q4_1_gemv_1x4)(size_t n, size_t k, const uint8_t* xq,
                                             const uint8_t* w, float* y) {
  const size_t nb = k / WT_QK, rb = nb * WT_Q4_1_BYTES;
  const v128_t zero = wasm_f32x4_splat(0.0f);
  size_t i = 0;
  for (; i + 4 <= n; i += 4, w += 4 * rb) {
    v128_t a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    const uint8_t* p = w;
    for (size_t b = 0; b < nb; b++, p += WT_Q4_1_BYTES) {
      qd8_xblock x;
      qd8_load_x(xq + b * WT_Q8_0_BYTES, &x);
      a0 = qd8_block(p, &x, a0);
      a1 = qd8_block(p + rb, &x, a1);
      a2 = qd8_block(p + 2 * rb, &x, a2);
      a3 = qd8_block(p + 3 * rb, &x, a3);
    }
    wasm_v128_store(y + i, wt_hsum4(a0, a1, a2, a3));
  }
  for (; i < n; i++, w += rb) {
    v128_t a = zero;
    for (size_t b = 0; b < nb; b++) {
      qd8_xblock x;
      qd8_load_x(xq + b * WT_Q8_0_BYTES, &x);
      a = qd8_block(w + b * WT_Q4_1_BYTES, &x, a);
    }
    y[i] = wt_hsum(a);
  }
}
