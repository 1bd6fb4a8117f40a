/* float16 / bfloat16 <-> float32 in vectors, bit-exact with torch's CPU casts (c10):
 * f32 -> f16 / bf16 round to nearest even, overflow -> inf; f16 NaN -> sign|0x7E00, bf16 NaN ->
 * 0x7FC0. Used by the conversions (xN-convert) and by the f16/bf16 binary kernels, which
 * compute in float32 registers (xN-binary). */
#pragma once
#include "wt_common.h"

static inline v128_t v_f16_from_f32(v128_t v) {  /* 4 results in the low 16 bits of each lane */
  const v128_t shl1 = wasm_i32x4_add(v, v);
  const v128_t sign = wasm_v128_and(v, wasm_i32x4_splat((int32_t)0x80000000u));
  v128_t base = wasm_f32x4_mul(wasm_f32x4_mul(wasm_f32x4_abs(v), wasm_f32x4_splat(0x1.0p+112f)),
                               wasm_f32x4_splat(0x1.0p-110f));
  v128_t bias = wasm_v128_and(shl1, wasm_i32x4_splat((int32_t)0xFF000000u));
  bias = wasm_u32x4_max(bias, wasm_i32x4_splat(0x71000000));
  base = wasm_f32x4_add(wasm_i32x4_add(wasm_u32x4_shr(bias, 1), wasm_i32x4_splat(0x07800000)),
                        base);
  const v128_t nonsign = wasm_i32x4_add(
      wasm_v128_and(wasm_u32x4_shr(base, 13), wasm_i32x4_splat(0x7C00)),
      wasm_v128_and(base, wasm_i32x4_splat(0x0FFF)));
  const v128_t nan = wasm_u32x4_gt(shl1, wasm_i32x4_splat((int32_t)0xFF000000u));
  return wasm_v128_or(wasm_u32x4_shr(sign, 16),
                      wasm_v128_bitselect(wasm_i32x4_splat(0x7E00), nonsign, nan));
}

static inline v128_t v_f32_from_f16(v128_t w16) {  /* w16: 4 halves zero-extended to u32 */
  const v128_t w = wasm_i32x4_shl(w16, 16);
  const v128_t sign = wasm_v128_and(w, wasm_i32x4_splat((int32_t)0x80000000u));
  const v128_t two_w = wasm_i32x4_add(w, w);
  const v128_t normalized = wasm_f32x4_mul(
      wasm_i32x4_add(wasm_u32x4_shr(two_w, 4), wasm_i32x4_splat((int32_t)(0xE0u << 23))),
      wasm_f32x4_splat(0x1.0p-112f));
  const v128_t denormalized = wasm_f32x4_sub(
      wasm_v128_or(wasm_u32x4_shr(two_w, 17), wasm_i32x4_splat(126 << 23)),
      wasm_f32x4_splat(0.5f));
  const v128_t small = wasm_u32x4_lt(two_w, wasm_i32x4_splat(1 << 27));
  return wasm_v128_or(sign, wasm_v128_bitselect(denormalized, normalized, small));
}

static inline v128_t v_bf16_from_f32(v128_t b) {  /* results in the low 16 bits */
  const v128_t nan = wasm_u32x4_gt(wasm_v128_and(b, wasm_i32x4_splat(0x7FFFFFFF)),
                                   wasm_i32x4_splat(0x7F800000));
  const v128_t odd = wasm_v128_and(wasm_u32x4_shr(b, 16), wasm_i32x4_splat(1));
  const v128_t r = wasm_u32x4_shr(
      wasm_i32x4_add(wasm_i32x4_add(b, wasm_i32x4_splat(0x7FFF)), odd), 16);
  return wasm_v128_bitselect(wasm_i32x4_splat(0x7FC0), r, nan);
}

/* low 16 bits of each u32 lane of a and b -> 8 u16 */
static inline v128_t v_lo16(v128_t a, v128_t b) {
  return wasm_i8x16_shuffle(a, b, 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29);
}
