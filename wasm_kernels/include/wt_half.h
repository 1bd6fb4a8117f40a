/* float16 / bfloat16 <-> float32 in vectors, bit-exact with torch's CPU casts (c10):
 * f32 -> f16 / bf16 round to nearest even, overflow -> inf; f16 NaN -> sign|0x7E00, bf16 NaN ->
 * 0x7FC0; f16 -> f32 quiets a signalling NaN. Used by the conversions (xN-convert) and by the
 * f16/bf16 kernels, which compute in float32 registers (xN-binary, xN-reduce).
 * Without a hardware f16 conversion in WASM, float16 is ALU-bound: the 8-lane forms below
 * (v_f32x8_from_f16, v_f16x8_from_f32) take a short path when no lane is inf/NaN (and, to
 * half, none rounds to a subnormal) and fall back to the general (FP16-library) form
 * otherwise: about a third of the instructions in the common case. */
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

/* low 16 bits of each u32 lane of a and b -> 8 u16 */
static inline v128_t v_lo16(v128_t a, v128_t b) {
  return wasm_i8x16_shuffle(a, b, 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29);
}

/* 8 halves -> two f32x4 (lanes 0-3, 4-7) */
static inline void v_f32x8_from_f16(v128_t h, v128_t* lo, v128_t* hi) {
  /* rare lanes: inf/NaN (|h| > 0x7BFF) */
  if (__builtin_expect(wasm_v128_any_true(wasm_i16x8_gt(wasm_v128_and(h, wasm_i16x8_splat(0x7FFF)),
                                                        wasm_i16x8_splat(0x7BFF))), 0)) {
    *lo = v_f32_from_f16(wasm_u32x4_extend_low_u16x8(h));
    *hi = v_f32_from_f16(wasm_u32x4_extend_high_u16x8(h));
    return;
  }
  /* h << 16, shifted right by 3 with the sign kept: sign | |h| << 13, read as a float the
   * value * 2^-112 exactly (zeros stay, a subnormal half becomes a subnormal float) */
  const v128_t z = wasm_i32x4_splat(0), k = wasm_f32x4_splat(0x1.0p+112f);
  const v128_t m = wasm_i32x4_splat((int32_t)0x8FFFFFFFu);
  *lo = wasm_f32x4_mul(wasm_v128_and(wasm_i32x4_shr(
      wasm_i16x8_shuffle(z, h, 0, 8, 1, 9, 2, 10, 3, 11), 3), m), k);
  *hi = wasm_f32x4_mul(wasm_v128_and(wasm_i32x4_shr(
      wasm_i16x8_shuffle(z, h, 4, 12, 5, 13, 6, 14, 7, 15), 3), m), k);
}

/* a = |v| (not NaN, not a subnormal result): round to nearest even on the integer bits; an
 * overflow gives >= 0x7C00, a zero (or |v| < 2^-133) a negative number: the caller's
 * saturating narrowing and cap make them inf and 0 */
static inline v128_t v_f16_normal(v128_t a) {
  const v128_t odd = wasm_v128_and(wasm_u32x4_shr(a, 13), wasm_i32x4_splat(1));
  return wasm_i32x4_shr(
      wasm_i32x4_add(wasm_i32x4_add(a, wasm_i32x4_splat((int32_t)0xC8000FFF)), odd), 13);
}

/* two f32x4 -> 8 halves */
static inline v128_t v_f16x8_from_f32(v128_t v0, v128_t v1) {
  /* the high 16 bits of each float: sign, exponent, 7 mantissa bits */
  const v128_t t = wasm_i16x8_shuffle(v0, v1, 1, 3, 5, 7, 9, 11, 13, 15);
  const v128_t x = wasm_v128_and(t, wasm_i16x8_splat(0x7FFF));
  /* rare lanes: inf/NaN (x >= 0x7F80) and |v| in [2^-133, 2^-14) (x - 1 < 0x387F unsigned:
   * x == 0 wraps): subnormal results. Smaller |v| round to zero, larger ones are normal or
   * overflow to inf (the saturating narrowing, capped at 0x7C00). */
  const v128_t rare = wasm_v128_or(wasm_u16x8_sub_sat(x, wasm_i16x8_splat(0x7F7F)),
      wasm_u16x8_sub_sat(wasm_i16x8_splat(0x387F), wasm_i16x8_sub(x, wasm_i16x8_splat(1))));
  if (__builtin_expect(wasm_v128_any_true(rare), 0))
    return v_lo16(v_f16_from_f32(v0), v_f16_from_f32(v1));
  const v128_t m = wasm_i32x4_splat(0x7FFFFFFF);
  const v128_t r = wasm_u16x8_narrow_i32x4(v_f16_normal(wasm_v128_and(v0, m)),
                                           v_f16_normal(wasm_v128_and(v1, m)));
  return wasm_v128_or(wasm_u16x8_min(r, wasm_i16x8_splat(0x7C00)),
                      wasm_v128_and(t, wasm_i16x8_splat((int16_t)0x8000)));
}

static inline v128_t v_bf16_round(v128_t b) {  /* in the low 16 bits, NaN -> 0x7FC0 */
  const v128_t nan = wasm_i32x4_gt(wasm_v128_and(b, wasm_i32x4_splat(0x7FFFFFFF)),
                                   wasm_i32x4_splat(0x7F800000));
  const v128_t odd = wasm_v128_and(wasm_u32x4_shr(b, 16), wasm_i32x4_splat(1));
  const v128_t r = wasm_u32x4_shr(
      wasm_i32x4_add(wasm_i32x4_add(b, wasm_i32x4_splat(0x7FFF)), odd), 16);
  return wasm_v128_bitselect(wasm_i32x4_splat(0x7FC0), r, nan);
}

static inline v128_t v_bf16x8_from_f32(v128_t v0, v128_t v1) {
  return wasm_u16x8_narrow_i32x4(v_bf16_round(v0), v_bf16_round(v1));
}

static inline void v_f32x8_from_bf16(v128_t h, v128_t* lo, v128_t* hi) {
  const v128_t z = wasm_i32x4_splat(0);
  *lo = wasm_i16x8_shuffle(z, h, 0, 8, 1, 9, 2, 10, 3, 11);
  *hi = wasm_i16x8_shuffle(z, h, 4, 12, 5, 13, 6, 14, 7, 15);
}

/* 8 float16 / bfloat16 patterns as i16 keys ordered like their values: sign-magnitude ->
 * two's complement (-0.0 and 0.0 both 0); NaN keys lie beyond the infinities' (test with
 * v_h16_nan: inf is 0x7C00 for float16, 0x7F80 for bfloat16). Selections and comparisons of
 * halves need no conversion. */
static inline v128_t v_h16_key(v128_t h) {
  const v128_t s = wasm_i16x8_shr(h, 15);
  return wasm_i16x8_sub(wasm_v128_xor(wasm_v128_and(h, wasm_i16x8_splat(0x7FFF)), s), s);
}
static inline v128_t v_h16_nan(v128_t h, int16_t inf) {
  return wasm_i16x8_gt(wasm_v128_and(h, wasm_i16x8_splat(0x7FFF)), wasm_i16x8_splat(inf));
}

/* n float16 (bf = 0) / bfloat16 (bf = 1) values <-> float32, 8 at a time with a padded tail:
 * the staging of the f16/bf16 row-wise kernels (softmax, norms, losses), which convert a row
 * or block in L1 around their float32 code instead of converting whole tensors in memory. */
static inline __attribute__((noinline)) void wt_h16_to_f32(int bf, const uint16_t* s, float* d, size_t n) {
  for (size_t i = 0; i < n; i += 8) {
    const size_t r = n - i < 8 ? n - i : 8;
    uint16_t t[8] = {0};
    v128_t h, lo, hi;
    if (r == 8) {
      h = wasm_v128_load(s + i);
    } else {
      for (size_t k = 0; k < r; k++) t[k] = s[i + k];
      h = wasm_v128_load(t);
    }
    if (bf) v_f32x8_from_bf16(h, &lo, &hi);
    else v_f32x8_from_f16(h, &lo, &hi);
    if (r == 8) {
      wasm_v128_store(d + i, lo);
      wasm_v128_store(d + i + 4, hi);
    } else {
      float f[8];
      wasm_v128_store(f, lo);
      wasm_v128_store(f + 4, hi);
      for (size_t k = 0; k < r; k++) d[i + k] = f[k];
    }
  }
}

static inline __attribute__((noinline)) void wt_f32_to_h16(int bf, const float* s, uint16_t* d, size_t n) {
  for (size_t i = 0; i < n; i += 8) {
    const size_t r = n - i < 8 ? n - i : 8;
    float f[8] = {0};
    v128_t a, b;
    if (r == 8) {
      a = wasm_v128_load(s + i);
      b = wasm_v128_load(s + i + 4);
    } else {
      for (size_t k = 0; k < r; k++) f[k] = s[i + k];
      a = wasm_v128_load(f);
      b = wasm_v128_load(f + 4);
    }
    const v128_t h = bf ? v_bf16x8_from_f32(a, b) : v_f16x8_from_f32(a, b);
    if (r == 8) {
      wasm_v128_store(d + i, h);
    } else {
      uint16_t t[8];
      wasm_v128_store(t, h);
      for (size_t k = 0; k < r; k++) d[i + k] = t[k];
    }
  }
}
