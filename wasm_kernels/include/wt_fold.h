/* Folds along the middle axis of a contiguous [outer, n, inner] f32 array, the building
 * block of the reduction and softmax kernels.
 *
 *   fold_row_<name>(x, n, prm)               inner == 1: fold n contiguous floats -> float
 *   fold_cols_<name>(x, n, inner, prm, c)    fold c <= 4 adjacent columns (stride inner) -> f32x4
 *   fold_chunk_<name>(x, n, inner, prm, nv, out)  fold 4*nv (nv <= WT_CHUNK_V) adjacent columns
 *                                            -> out[nv], column v mapped with prm[v]
 *
 * fold_chunk reads each row's 4*nv floats contiguously (one pass down the rows with nv
 * running accumulators) instead of 4 floats per row; per column it does exactly the same
 * operations in the same order as fold_cols, so results are bit-identical.
 *
 * Each folds MAP(x, prm) with OP. Two levels (blocks of WT_ROW_BLOCK / WT_COL_BLOCK items, then
 * block totals) keep a float sum's error near (block + n/block) eps sum|x| instead of n eps.
 * Nothing outside the n (x c) input elements is read.
 */
#pragma once
#include "wt_common.h"

#define WT_ROW_BLOCK 256
#define WT_COL_BLOCK 64
#define WT_CHUNK_V 8 /* vectors per fold_chunk: 32 columns, 128 bytes of each row */

static inline v128_t wt_hfold_prep(v128_t v, int step) {
  return step == 2 ? wasm_i32x4_shuffle(v, v, 2, 3, 0, 1) : wasm_i32x4_shuffle(v, v, 1, 0, 3, 2);
}

/* the body of fold_chunk for NV vectors; a constant NV lets the accumulators live in locals */
#define WT_FOLD_CHUNK_BODY(OP, IDENT, MAP, NV)                                              \
  {                                                                                        \
    const v128_t id = WT_SPLAT(IDENT);                                                     \
    v128_t total[WT_CHUNK_V], a[WT_CHUNK_V];                                               \
    for (size_t v = 0; v < (NV); v++) total[v] = id;                                       \
    for (size_t k0 = 0; k0 < n; k0 += WT_COL_BLOCK) {                                      \
      const size_t kend = wt_min_size(n, k0 + WT_COL_BLOCK);                               \
      for (size_t v = 0; v < (NV); v++) a[v] = id;                                         \
      for (size_t k = k0; k < kend; k++) {                                                 \
        const float* r = x + k * inner;                                                    \
        for (size_t v = 0; v < (NV); v++)                                                  \
          a[v] = OP(a[v], MAP(wasm_v128_load(r + 4 * v), prm[v]));                         \
      }                                                                                    \
      for (size_t v = 0; v < (NV); v++) total[v] = OP(total[v], a[v]);                     \
    }                                                                                      \
    for (size_t v = 0; v < (NV); v++) out[v] = total[v];                                   \
  }

#define WT_DEFINE_FOLD(name, OP, IDENT, MAP)                                                 \
  static inline float fold_row_##name(const float* x, size_t n, v128_t prm) {             \
    const v128_t id = WT_SPLAT(IDENT);                                                     \
    v128_t total = id;                                                                     \
    for (size_t k0 = 0; k0 < n; k0 += WT_ROW_BLOCK) {                                      \
      const size_t kend = wt_min_size(n, k0 + WT_ROW_BLOCK);                               \
      v128_t a0 = id, a1 = id, a2 = id, a3 = id;                                           \
      size_t k = k0;                                                                       \
      for (; k + 16 <= kend; k += 16) {                                                    \
        a0 = OP(a0, MAP(wasm_v128_load(x + k), prm));                                      \
        a1 = OP(a1, MAP(wasm_v128_load(x + k + 4), prm));                                  \
        a2 = OP(a2, MAP(wasm_v128_load(x + k + 8), prm));                                  \
        a3 = OP(a3, MAP(wasm_v128_load(x + k + 12), prm));                                 \
      }                                                                                    \
      for (; k + 4 <= kend; k += 4) a0 = OP(a0, MAP(wasm_v128_load(x + k), prm));          \
      if (k < kend) {                                                                      \
        const v128_t v = MAP(wt_load_partial(x + k, kend - k, 0.0f), prm);                 \
        a1 = OP(a1, wasm_v128_bitselect(v, id, wt_lane_mask(kend - k)));                   \
      }                                                                                    \
      total = OP(total, OP(OP(a0, a1), OP(a2, a3)));                                       \
    }                                                                                      \
    total = OP(total, wt_hfold_prep(total, 2));                                            \
    total = OP(total, wt_hfold_prep(total, 1));                                            \
    return wasm_f32x4_extract_lane(total, 0);                                              \
  }                                                                                        \
  static inline v128_t fold_cols_##name(const float* x, size_t n, size_t inner, v128_t prm, \
                                        size_t c) {                                        \
    const v128_t id = WT_SPLAT(IDENT);                                                     \
    v128_t total = id;                                                                     \
    for (size_t k0 = 0; k0 < n; k0 += WT_COL_BLOCK) {                                      \
      const size_t kend = wt_min_size(n, k0 + WT_COL_BLOCK);                               \
      v128_t a = id;                                                                       \
      if (c == 4) {                                                                        \
        for (size_t k = k0; k < kend; k++)                                                 \
          a = OP(a, MAP(wasm_v128_load(x + k * inner), prm));                              \
      } else {                                                                             \
        for (size_t k = k0; k < kend; k++)                                                 \
          a = OP(a, MAP(wt_load_partial(x + k * inner, c, 0.0f), prm));                    \
      }                                                                                    \
      total = OP(total, a);                                                                \
    }                                                                                      \
    return total;                                                                          \
  }                                                                                        \
  static inline void fold_chunk_##name(const float* x, size_t n, size_t inner,            \
                                       const v128_t* prm, size_t nv, v128_t* out) {        \
    if (nv == WT_CHUNK_V) WT_FOLD_CHUNK_BODY(OP, IDENT, MAP, WT_CHUNK_V)                   \
    else WT_FOLD_CHUNK_BODY(OP, IDENT, MAP, nv)                                            \
  }

#define WT_MAP_ID(v, prm) ((void)(prm), (v))

static inline v128_t wt_op_add(v128_t a, v128_t b) { return wasm_f32x4_add(a, b); }
static inline v128_t wt_op_mul(v128_t a, v128_t b) { return wasm_f32x4_mul(a, b); }
/* NaN-propagating max/min, which is what torch's amax/amin do. f32x4.max/min also order -0 <
 * +0 and lower to ~7 instructions on x86; pmax/pmin are one maxps/minps. pmax(a, b) keeps a
 * NaN a; or-ing in b's NaN mask (all ones: a NaN) lets a NaN b in. A NaN result is -nan. */
static inline v128_t wt_op_max(v128_t a, v128_t b) {
  return wasm_v128_or(wasm_f32x4_pmax(a, b), wasm_f32x4_ne(b, b));
}
static inline v128_t wt_op_min(v128_t a, v128_t b) {
  return wasm_v128_or(wasm_f32x4_pmin(a, b), wasm_f32x4_ne(b, b));
}

/* Store the first c (<= 4) lanes. */
static inline void wt_store_c(float* y, size_t c, v128_t v) {
  if (c == 4) wasm_v128_store(y, v);
  else wt_store_partial(y, c, v);
}
