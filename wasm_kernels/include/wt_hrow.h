/* float16 / bfloat16 rows <-> float32 for the row-wise half kernels (f32-softmax, f32-norm,
 * f32-reduce, f32-cumsum): the same arithmetic as wt_half.h's 8-lane forms (bit for bit), in
 * loops specialised by dtype whose v128 constants are made once per call: V8 (Chromium's
 * more than Node's) builds a v128.const anew at each use inside a loop, and LLVM re-emits
 * them there; WT_HK hides the value from LLVM so it stays in a local. Rare lanes (inf/NaN,
 * subnormal results) take wt_half.h's general form.
 *   wt_hrow_to_f32(bf, src, dst, n)     n halves -> floats
 *   wt_hrow_from_f32(bf, src, dst, n)   n floats -> halves (round to nearest even)
 * (defined once, in f32-norm, which sets WT_HROW_DEFINE; the other files call that copy) and,
 * for loops that convert in registers, the constant sets and 8-lane steps below. */
#pragma once
#include "wt_common.h"
#include "wt_half.h"

#define WT_HK(v) ({ v128_t wt_hk_ = (v); __asm__("" : "+r"(wt_hk_)); wt_hk_; })

typedef struct { v128_t abs16, inf16, shr_mask, k112; } wt_hin;   /* f16 -> f32 */
typedef struct { v128_t abs16, hi16, lo16, one16, abs32, one32, bias, inf16c, sign16; } wt_hout;
typedef struct { v128_t abs32, inf32, one32, r7fff, qnan; } wt_bout;   /* f32 -> bf16 */

static inline wt_hin wt_hin_k(void) {
  wt_hin k = {WT_HK(wasm_i16x8_splat(0x7FFF)), WT_HK(wasm_i16x8_splat(0x7BFF)),
              WT_HK(wasm_i32x4_splat((int32_t)0x8FFFFFFFu)), WT_HK(wasm_f32x4_splat(0x1.0p+112f))};
  return k;
}
static inline wt_hout wt_hout_k(void) {
  wt_hout k = {WT_HK(wasm_i16x8_splat(0x7FFF)), WT_HK(wasm_i16x8_splat(0x7F7F)),
               WT_HK(wasm_i16x8_splat(0x387F)), WT_HK(wasm_i16x8_splat(1)),
               WT_HK(wasm_i32x4_splat(0x7FFFFFFF)), WT_HK(wasm_i32x4_splat(1)),
               WT_HK(wasm_i32x4_splat((int32_t)0xC8000FFF)), WT_HK(wasm_i16x8_splat(0x7C00)),
               WT_HK(wasm_i16x8_splat((int16_t)0x8000))};
  return k;
}
static inline wt_bout wt_bout_k(void) {
  wt_bout k = {WT_HK(wasm_i32x4_splat(0x7FFFFFFF)), WT_HK(wasm_i32x4_splat(0x7F800000)),
               WT_HK(wasm_i32x4_splat(1)), WT_HK(wasm_i32x4_splat(0x7FFF)),
               WT_HK(wasm_i32x4_splat(0x7FC0))};
  return k;
}

/* the rare lanes out of line: the loops stay small */
static __attribute__((noinline)) void wt_hin8_rare(v128_t h, v128_t* lo, v128_t* hi) {
  v_f32x8_from_f16(h, lo, hi);
}
static __attribute__((noinline)) v128_t wt_hout8_rare(v128_t v0, v128_t v1) {
  return v_f16x8_from_f32(v0, v1);
}

/* v_f32x8_from_f16 with the constants in k */
static inline __attribute__((always_inline)) void wt_hin8(v128_t h, v128_t* lo, v128_t* hi,
                                                          const wt_hin* k) {
  if (__builtin_expect(wasm_v128_any_true(wasm_i16x8_gt(wasm_v128_and(h, k->abs16), k->inf16)), 0)) {
    wt_hin8_rare(h, lo, hi);
    return;
  }
  const v128_t z = wasm_i32x4_splat(0);
  *lo = wasm_f32x4_mul(wasm_v128_and(wasm_i32x4_shr(
      wasm_i16x8_shuffle(z, h, 0, 8, 1, 9, 2, 10, 3, 11), 3), k->shr_mask), k->k112);
  *hi = wasm_f32x4_mul(wasm_v128_and(wasm_i32x4_shr(
      wasm_i16x8_shuffle(z, h, 4, 12, 5, 13, 6, 14, 7, 15), 3), k->shr_mask), k->k112);
}
static inline void wt_bin8(v128_t h, v128_t* lo, v128_t* hi) { v_f32x8_from_bf16(h, lo, hi); }

static inline v128_t wt_hnormal(v128_t a, const wt_hout* k) {   /* v_f16_normal */
  const v128_t odd = wasm_v128_and(wasm_u32x4_shr(a, 13), k->one32);
  return wasm_i32x4_shr(wasm_i32x4_add(wasm_i32x4_add(a, k->bias), odd), 13);
}
/* v_f16x8_from_f32 with the constants in k */
static inline __attribute__((always_inline)) v128_t wt_hout8(v128_t v0, v128_t v1,
                                                             const wt_hout* k) {
  const v128_t t = wasm_i16x8_shuffle(v0, v1, 1, 3, 5, 7, 9, 11, 13, 15);
  const v128_t x = wasm_v128_and(t, k->abs16);
  const v128_t rare = wasm_v128_or(wasm_u16x8_sub_sat(x, k->hi16),
                                   wasm_u16x8_sub_sat(k->lo16, wasm_i16x8_sub(x, k->one16)));
  if (__builtin_expect(wasm_v128_any_true(rare), 0)) return wt_hout8_rare(v0, v1);
  const v128_t r = wasm_u16x8_narrow_i32x4(wt_hnormal(wasm_v128_and(v0, k->abs32), k),
                                           wt_hnormal(wasm_v128_and(v1, k->abs32), k));
  return wasm_v128_or(wasm_u16x8_min(r, k->inf16c), wasm_v128_and(t, k->sign16));
}
static inline v128_t wt_bround(v128_t b, const wt_bout* k) {   /* v_bf16_round */
  const v128_t nan = wasm_i32x4_gt(wasm_v128_and(b, k->abs32), k->inf32);
  const v128_t odd = wasm_v128_and(wasm_u32x4_shr(b, 16), k->one32);
  const v128_t r = wasm_u32x4_shr(wasm_i32x4_add(wasm_i32x4_add(b, k->r7fff), odd), 16);
  return wasm_v128_bitselect(k->qnan, r, nan);
}
static inline v128_t wt_bout8(v128_t v0, v128_t v1, const wt_bout* k) {
  return wasm_u16x8_narrow_i32x4(wt_bround(v0, k), wt_bround(v1, k));
}

/* a tail of r < 8 halves / floats through a padded vector (pads: +0) */
static inline v128_t wt_hrow_load_tail(const uint16_t* s, size_t r) {
  uint16_t t[8] = {0};
  for (size_t i = 0; i < r; i++) t[i] = s[i];
  return wasm_v128_load(t);
}

__attribute__((visibility("hidden"))) void wt_hrow_to_f32(int bf, const uint16_t* s, float* d,
                                                         size_t n);
__attribute__((visibility("hidden"))) void wt_hrow_from_f32(int bf, const float* s, uint16_t* d,
                                                           size_t n);
#ifdef WT_HROW_DEFINE
__attribute__((noinline)) void wt_hrow_to_f32(int bf, const uint16_t* s, float* d, size_t n) {
  size_t i = 0;
  v128_t lo, hi;
  if (bf) {
    for (; i + 8 <= n; i += 8) {
      wt_bin8(wasm_v128_load(s + i), &lo, &hi);
      wasm_v128_store(d + i, lo);
      wasm_v128_store(d + i + 4, hi);
    }
  } else {
    const wt_hin k = wt_hin_k();
    for (; i + 8 <= n; i += 8) {
      wt_hin8(wasm_v128_load(s + i), &lo, &hi, &k);
      wasm_v128_store(d + i, lo);
      wasm_v128_store(d + i + 4, hi);
    }
  }
  if (i < n) {
    float f[8];
    const v128_t h = wt_hrow_load_tail(s + i, n - i);
    if (bf) v_f32x8_from_bf16(h, &lo, &hi);
    else v_f32x8_from_f16(h, &lo, &hi);
    wasm_v128_store(f, lo);
    wasm_v128_store(f + 4, hi);
    for (size_t j = 0; i + j < n; j++) d[i + j] = f[j];
  }
}

__attribute__((noinline)) void wt_hrow_from_f32(int bf, const float* s, uint16_t* d, size_t n) {
  size_t i = 0;
  if (bf) {
    const wt_bout k = wt_bout_k();
    for (; i + 8 <= n; i += 8)
      wasm_v128_store(d + i, wt_bout8(wasm_v128_load(s + i), wasm_v128_load(s + i + 4), &k));
  } else {
    const wt_hout k = wt_hout_k();
    for (; i + 8 <= n; i += 8)
      wasm_v128_store(d + i, wt_hout8(wasm_v128_load(s + i), wasm_v128_load(s + i + 4), &k));
  }
  if (i < n) {
    float f[8] = {0};
    uint16_t t[8];
    for (size_t j = 0; i + j < n; j++) f[j] = s[i + j];
    const v128_t a = wasm_v128_load(f), b = wasm_v128_load(f + 4);
    wasm_v128_store(t, bf ? v_bf16x8_from_f32(a, b) : v_f16x8_from_f32(a, b));
    for (size_t j = 0; i + j < n; j++) d[i + j] = t[j];
  }
}
#endif
