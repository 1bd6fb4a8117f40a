/* Shared by the gather/scatter kernels: index checks (status protocol of backends/wasm/
 * gather.py's bad_index(): the first bad flat position, or -1), float16 / bfloat16 rows <->
 * float32 (wt_half.h's conversions, bit-exact with torch's casts) and a byte copy. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "wt_half.h"

#define WT_HIDDEN __attribute__((visibility("hidden")))

/* Out of line, defined once in xN_scatter_reduce_wasmsimd.c (WT_INDEX_DEFINE) for every
 * kernel file of the family:
 * the flat position of the first idx[k] outside [0, n), or -1 (sixteen indices per test; a
 * scalar rescan only on a block with a bad one) */
WT_HIDDEN int32_t wt_first_bad_index(const int64_t* idx, size_t total, size_t n);
/* n float16 (bf: bfloat16) values <-> float32, eight at a time (the last ones through a
 * padded copy) */
WT_HIDDEN void wt_halves_to_f32(const uint16_t* x, float* y, size_t n, int bf);
WT_HIDDEN void wt_f32_to_halves(const float* x, uint16_t* y, size_t n, int bf);

/* f16_<kind> and bf16_<kind>, the scatter form's entry points, on a file's
 * halves(..., int bf) */
#define WT_HALF_SCATTERS(kind)                                                               \
  WT_EXPORT void WT_SYM(f16_##kind)(size_t outer, size_t n, size_t m, size_t inner,          \
      size_t mode, const int64_t* idx, const uint16_t* src, uint16_t* y, int32_t* status) {  \
    halves(outer, n, m, inner, mode, idx, src, y, status, 0);                                \
  }                                                                                          \
  WT_EXPORT void WT_SYM(bf16_##kind)(size_t outer, size_t n, size_t m, size_t inner,         \
      size_t mode, const int64_t* idx, const uint16_t* src, uint16_t* y, int32_t* status) {  \
    halves(outer, n, m, inner, mode, idx, src, y, status, 1);                                \
  }

#ifdef WT_INDEX_DEFINE
WT_HIDDEN int32_t wt_first_bad_index(const int64_t* idx, size_t total, size_t n_) {
  const int64_t n = (int64_t)n_;
  const v128_t vlo = wasm_i64x2_splat(0), vn = wasm_i64x2_splat(n);
  size_t k = 0;
  for (; k + 16 <= total; k += 16) {
    v128_t bad = wasm_i64x2_splat(0);
    for (size_t u = 0; u < 16; u += 2) {
      const v128_t v = wasm_v128_load(idx + k + u);
      bad = wasm_v128_or(bad, wasm_v128_or(wasm_i64x2_lt(v, vlo), wasm_i64x2_ge(v, vn)));
    }
    if (wasm_v128_any_true(bad)) break;
  }
  for (; k < total; k++) {
    if (idx[k] < 0 || idx[k] >= n) return (int32_t)k;
  }
  return -1;
}

WT_HIDDEN void wt_halves_to_f32(const uint16_t* x, float* y, size_t n, int bf) {
  for (size_t i = 0; i < n; i += 8) {
    const size_t r = wt_min_size(n - i, 8);
    uint16_t t[8] = {0};
    float u[8];
    v128_t h, lo, hi;
    if (r == 8) {
      h = wasm_v128_load(x + i);
    } else {
      for (size_t k = 0; k < r; k++) t[k] = x[i + k];
      h = wasm_v128_load(t);
    }
    if (bf) v_f32x8_from_bf16(h, &lo, &hi);
    else v_f32x8_from_f16(h, &lo, &hi);
    float* o = r == 8 ? y + i : u;
    wasm_v128_store(o, lo);
    wasm_v128_store(o + 4, hi);
    for (size_t k = 0; r < 8 && k < r; k++) y[i + k] = u[k];
  }
}
WT_HIDDEN void wt_f32_to_halves(const float* x, uint16_t* y, size_t n, int bf) {
  for (size_t i = 0; i < n; i += 8) {
    const size_t r = wt_min_size(n - i, 8);
    float u[8] = {0};
    uint16_t t[8];
    const float* p = x + i;
    if (r < 8) {
      for (size_t k = 0; k < r; k++) u[k] = x[i + k];
      p = u;
    }
    const v128_t lo = wasm_v128_load(p), hi = wasm_v128_load(p + 4);
    const v128_t h = bf ? v_bf16x8_from_f32(lo, hi) : v_f16x8_from_f32(lo, hi);
    if (r == 8) {
      wasm_v128_store(y + i, h);
    } else {
      wasm_v128_store(t, h);
      for (size_t k = 0; k < r; k++) y[i + k] = t[k];
    }
  }
}

#endif

/* nb bytes from x to y (rows of index_select, index_copy) */
static inline void wt_copy_bytes(uint8_t* y, const uint8_t* x, size_t nb) {
  size_t i = 0;
  for (; i + 64 <= nb; i += 64) {
    const v128_t a = wasm_v128_load(x + i), b = wasm_v128_load(x + i + 16);
    const v128_t c = wasm_v128_load(x + i + 32), d = wasm_v128_load(x + i + 48);
    wasm_v128_store(y + i, a);
    wasm_v128_store(y + i + 16, b);
    wasm_v128_store(y + i + 32, c);
    wasm_v128_store(y + i + 48, d);
  }
  for (; i + 16 <= nb; i += 16) wasm_v128_store(y + i, wasm_v128_load(x + i));
  for (; i + 4 <= nb; i += 4) wasm_v128_store32_lane(y + i, wasm_v128_load32_zero(x + i), 0);
  for (; i < nb; i++) y[i] = x[i];
}
