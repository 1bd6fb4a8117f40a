/* argmax / argmin over the middle axis of a contiguous [outer, n, inner] f32 array:
 *   void wt_f32_<op>_<isa>(size_t outer, size_t n, size_t inner, const float* x, int64_t* y)
 * torch semantics: the first occurrence wins, and NaN counts as the extreme for both (the
 * first NaN's index is returned). n == 0 writes 0 (torch raises before calling).
 */
#include "wt_fold.h"

/* lane-wise "v beats best": strictly better, or NaN over non-NaN */
static inline v128_t beats(v128_t v, v128_t best, int is_max) {
  const v128_t better = is_max ? wasm_f32x4_gt(v, best) : wasm_f32x4_lt(v, best);
  const v128_t nan_v = wasm_f32x4_ne(v, v), num_best = wasm_f32x4_eq(best, best);
  return wasm_v128_or(better, wasm_v128_and(nan_v, num_best));
}

static inline int beats1(float v, float best, int is_max) {
  if (best != best) return 0;
  if (v != v) return 1;
  return is_max ? v > best : v < best;
}

static int64_t arg_row(const float* x, size_t n, int is_max) {
  if (n == 0) return 0;
  /* lane l looks at k = 4i + l; index 0 seeds every lane, so ties keep the smallest index */
  v128_t best = wasm_v128_load32_splat(x), bidx = wasm_i32x4_splat(0);
  const v128_t iota = wasm_i32x4_make(0, 1, 2, 3);
  size_t k = 0;
  for (; k + 4 <= n; k += 4) {
    const v128_t v = wasm_v128_load(x + k);
    const v128_t b = beats(v, best, is_max);
    best = wasm_v128_bitselect(v, best, b);
    bidx = wasm_v128_bitselect(wasm_i32x4_add(iota, wasm_i32x4_splat((int32_t)k)), bidx, b);
  }
  float bv[4];
  int32_t bi[4];
  wasm_v128_store(bv, best);
  wasm_v128_store(bi, bidx);
  float v0 = bv[0];
  int32_t i0 = bi[0];
  for (int l = 1; l < 4; l++) {
    const int tie = (bv[l] == v0) || (bv[l] != bv[l] && v0 != v0);
    if (beats1(bv[l], v0, is_max) || (tie && bi[l] < i0)) {
      v0 = bv[l];
      i0 = bi[l];
    }
  }
  for (; k < n; k++)
    if (beats1(x[k], v0, is_max)) {
      v0 = x[k];
      i0 = (int32_t)k;
    }
  return i0;
}

static void arg_cols(const float* x, size_t n, size_t inner, size_t c, int is_max,
                     int64_t* y) {
  int64_t t[4] = {0, 0, 0, 0};
  if (n > 0) {
    v128_t best = c == 4 ? wasm_v128_load(x) : wt_load_partial(x, c, 0.0f);
    v128_t bidx = wasm_i32x4_splat(0);
    for (size_t k = 1; k < n; k++) {
      const float* p = x + k * inner;
      const v128_t v = c == 4 ? wasm_v128_load(p) : wt_load_partial(p, c, 0.0f);
      const v128_t b = beats(v, best, is_max);
      best = wasm_v128_bitselect(v, best, b);
      bidx = wasm_v128_bitselect(wasm_i32x4_splat((int32_t)k), bidx, b);
    }
    wasm_v128_store(t, wasm_i64x2_extend_low_i32x4(bidx));
    wasm_v128_store(t + 2, wasm_i64x2_extend_high_i32x4(bidx));
  }
  for (size_t l = 0; l < c; l++) y[l] = t[l];
}

#define DEFINE_ARG(op, is_max)                                                           \
  WT_EXPORT void WT_SYM(f32_##op)(size_t outer, size_t n, size_t inner, const float* x, \
                                  int64_t* y) {                                         \
    for (size_t o = 0; o < outer; o++) {                                                \
      const float* xo = x + o * n * inner;                                              \
      int64_t* yo = y + o * inner;                                                      \
      if (inner == 1) {                                                                 \
        *yo = arg_row(xo, n, is_max);                                                   \
      } else {                                                                          \
        for (size_t j = 0; j < inner; j += 4)                                           \
          arg_cols(xo + j, n, inner, wt_min_size(4, inner - j), is_max, yo + j);        \
      }                                                                                 \
    }                                                                                   \
  }

DEFINE_ARG(argmax, 1)
DEFINE_ARG(argmin, 0)
