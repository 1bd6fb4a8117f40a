/* int16 activations for the quantised GEMVs (webtensor.quant.linear(..., activations="int16"),
 * wasm_kernels/qd16-gemv): x is rounded per block of 32 to
 *   72-byte blocks {float32 d; int32 sum; int16 q[32]}   xh[j] = d * q[j], sum = sum_j q[j]
 * by qd16_quantize (qN-convert): d = amax / 32767, q = nearest-even(x * (1/d)), so
 * |x - xh| <= d/2 (1 + 2^-5): ~2^-16 of the block's max, 256x finer than Q8_0's. The GEMVs
 * then take exact integer dots of the weight codes with q (i32x4.dot_i16x8_s) and scale once
 * per block, as the int8 path does.
 */
#pragma once
#include "wt_quant.h"

#define WT_QD16_BYTES 72
#define WT_QD16_HEAD 8      /* q starts here */

static inline float wt_qd16_scale(const uint8_t* xb) {
  float d;
  __builtin_memcpy(&d, xb, 4);
  return d;
}

static inline int32_t wt_qd16_sum(const uint8_t* xb) {
  int32_t s;
  __builtin_memcpy(&s, xb + 4, 4);
  return s;
}

/* i32x4 lanes adding up to c . x for 16 unsigned byte codes c and two i16x8 x */
static inline v128_t wt_dot_u8_i16(v128_t c, const v128_t x16[2]) {
  return wasm_i32x4_add(wasm_i32x4_dot_i16x8(wasm_u16x8_extend_low_u8x16(c), x16[0]),
                        wasm_i32x4_dot_i16x8(wasm_u16x8_extend_high_u8x16(c), x16[1]));
}

/* [sum a0, sum a1, sum a2, sum a3] of four i32x4 (exact) */
static inline v128_t wt_hsum4_i32(v128_t a0, v128_t a1, v128_t a2, v128_t a3) {
  const v128_t s01 = wasm_i32x4_add(wasm_i32x4_shuffle(a0, a1, 0, 4, 1, 5),
                                    wasm_i32x4_shuffle(a0, a1, 2, 6, 3, 7));
  const v128_t s23 = wasm_i32x4_add(wasm_i32x4_shuffle(a2, a3, 0, 4, 1, 5),
                                    wasm_i32x4_shuffle(a2, a3, 2, 6, 3, 7));
  return wasm_i32x4_add(wasm_i32x4_shuffle(s01, s23, 0, 1, 4, 5),
                        wasm_i32x4_shuffle(s01, s23, 2, 3, 6, 7));
}

/* four binary16 (the HIGH 16 bits of each i32 lane; the low ones are ignored) -> float32,
 * exactly as wt_f16_to_f32: the arithmetic shift by 3 keeps the sign and puts the half's
 * exponent and mantissa where a float32's go, i.e. the value times 2^-112 (subnormals too);
 * times 2^112 is exact. Exponent 31 (inf / NaN) lands on 2^16 (1.m) there: or-ing float32's
 * all-ones exponent in makes it inf / NaN with the same mantissa. 7 operations a vector. */
static inline v128_t wt_f16hi_to_f32(v128_t h) {
  const v128_t y = wasm_v128_and(wasm_i32x4_shr(h, 3), wasm_i32x4_splat((int32_t)0x8fffe000));
  const v128_t big = wasm_i32x4_gt(wasm_v128_and(y, wasm_i32x4_splat(0x0fffe000)),
                                   wasm_i32x4_splat(0x0f7fe000));
  return wasm_v128_or(wasm_f32x4_mul(y, wasm_f32x4_splat(0x1p112f)),
                      wasm_v128_and(big, wasm_i32x4_splat(0x7f800000)));
}

/* four binary16 (the low 16 bits of each i32 lane) -> float32, exactly as wt_f16_to_f32 */
static inline v128_t wt_f16x4_to_f32(v128_t h) {
  return wt_f16hi_to_f32(wasm_i32x4_shl(h, 16));
}

/* the 32-bit words at p0..p3 as one i32x4 */
static inline v128_t wt_load4_u32(const uint8_t* p0, const uint8_t* p1, const uint8_t* p2,
                                  const uint8_t* p3) {
  v128_t v = wasm_v128_load32_zero(p0);
  v = wasm_v128_load32_lane(p1, v, 1);
  v = wasm_v128_load32_lane(p2, v, 2);
  return wasm_v128_load32_lane(p3, v, 3);
}
