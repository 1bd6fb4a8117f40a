/* Shared definitions for every webtensor kernel.
 *
 * A kernel file named *_wasmsimd.c is built into both side modules. Its relaxed twin
 * *_wasmrelaxedsimd.c only defines WT_RELAXED and includes it: the same source then uses
 * relaxed-SIMD instructions where WT_MADD appears and gets the _wasmrelaxedsimd symbol suffix.
 * Sizes are size_t (u32 on wasm32); strides are int32 element counts.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <wasm_simd128.h>

/* Only WT_EXPORT symbols leave the module (built with -fvisibility=hidden). */
#define WT_EXPORT __attribute__((visibility("default")))

#define WT_CAT3_(a, b, c) a##b##c
#define WT_CAT3(a, b, c) WT_CAT3_(a, b, c)

#ifdef WT_RELAXED
#define WT_ISA_NAME _wasmrelaxedsimd
/* fused or not, at the engine's choice: every error bound below holds for both */
#define WT_MADD(a, b, c) wasm_f32x4_relaxed_madd((a), (b), (c))
#else
#define WT_ISA_NAME _wasmsimd
#define WT_MADD(a, b, c) wasm_f32x4_add(wasm_f32x4_mul((a), (b)), (c))
#endif

/* Size-optimised code for a whole file (the dtype-generic families: many kernels, simple
 * loops), so the module stays small enough for Chromium's synchronous compile:
 *   WT_SMALL_BEGIN ... WT_SMALL_END */
#define WT_SMALL_BEGIN _Pragma("clang attribute push (__attribute__((minsize)), apply_to = function)")
#define WT_SMALL_END _Pragma("clang attribute pop")

/* WT_SYM(f32_exp) -> wt_f32_exp_wasmsimd / wt_f32_exp_wasmrelaxedsimd */
#define WT_SYM(name) WT_CAT3(wt_, name, WT_ISA_NAME)

#define WT_SPLAT(c) wasm_f32x4_splat(c)

static inline size_t wt_min_size(size_t a, size_t b) { return a < b ? a : b; }

/* Load the first r (< 4) floats of p; other lanes get `fill`. Never reads past p + r. */
static inline v128_t wt_load_partial(const float* p, size_t r, float fill) {
  float t[4] = {fill, fill, fill, fill};
  for (size_t i = 0; i < r; i++) t[i] = p[i];
  return wasm_v128_load(t);
}

/* Store the first r (< 4) lanes of v to p. Never writes past p + r. */
static inline void wt_store_partial(float* p, size_t r, v128_t v) {
  float t[4];
  wasm_v128_store(t, v);
  for (size_t i = 0; i < r; i++) p[i] = t[i];
}

/* [sum a0, sum a1, sum a2, sum a3]: four horizontal sums in one vector. */
static inline v128_t wt_hsum4(v128_t a0, v128_t a1, v128_t a2, v128_t a3) {
  const v128_t s01 = wasm_f32x4_add(wasm_i32x4_shuffle(a0, a1, 0, 4, 1, 5),
                                    wasm_i32x4_shuffle(a0, a1, 2, 6, 3, 7));
  const v128_t s23 = wasm_f32x4_add(wasm_i32x4_shuffle(a2, a3, 0, 4, 1, 5),
                                    wasm_i32x4_shuffle(a2, a3, 2, 6, 3, 7));
  return wasm_f32x4_add(wasm_i32x4_shuffle(s01, s23, 0, 1, 4, 5),
                        wasm_i32x4_shuffle(s01, s23, 2, 3, 6, 7));
}

/* Lanes whose index is < r are all-ones. */
static inline v128_t wt_lane_mask(size_t r) {
  return wasm_i32x4_lt(wasm_i32x4_make(0, 1, 2, 3), wasm_i32x4_splat((int32_t)r));
}
