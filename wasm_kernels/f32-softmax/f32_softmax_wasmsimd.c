/* softmax / log_softmax along the middle axis of a contiguous [outer, n, inner] f32 array:
 *   void wt_f32_<op>_<isa>(size_t outer, size_t n, size_t inner, const float* x, float* y)
 * y has x's shape; y == x (in place) is allowed. Numerically stable: max first.
 * Errors: softmax <= 4 ulp + the sum's relative error (see f32_reduce); log_softmax
 * <= 2 ulp of max(|x - max|, |log sum|) absolute. Like torch, a row with +inf or all -inf
 * gives nan, and any nan gives nan.
 */
#include "wt_fold.h"
#include "wt_softmax.h"
#include "wt_hrow.h"

WT_DEFINE_FOLD(max, wt_op_max, -__builtin_inff(), WT_MAP_ID)
WT_DEFINE_FOLD(sum, wt_op_add, 0.0f, WT_MAP_ID)
/* x - max <= 0 on every lane a fold reads (its tails are padded with 0 only where the lanes
 * are then masked off) */
static inline v128_t map_exp_shift(v128_t v, v128_t m) { return wt_exp_nonpos(wasm_f32x4_sub(v, m)); }
WT_DEFINE_FOLD(sumexp, wt_op_add, 0.0f, map_exp_shift)

/* y = VFN(x, p) elementwise over n contiguous floats */
#define MAP_ROW(x, y, n, VFN, p)                                                       \
  do {                                                                                 \
    size_t k = 0;                                                                      \
    for (; k + 4 <= (n); k += 4) wasm_v128_store((y) + k, VFN(wasm_v128_load((x) + k), p)); \
    if (k < (n)) wt_store_partial((y) + k, (n) - k, VFN(wt_load_partial((x) + k, (n) - k, 0.0f), p)); \
  } while (0)

/* y = VFN(x, p) for c adjacent columns over n rows of stride inner */
#define MAP_COLS(x, y, n, inner, c, VFN, p)                                            \
  for (size_t k = 0; k < (n); k++) {                                                   \
    const float* xk = (x) + k * (inner);                                               \
    const v128_t v = (c) == 4 ? wasm_v128_load(xk) : wt_load_partial(xk, (c), 0.0f);   \
    wt_store_c((y) + k * (inner), (c), VFN(v, p));                                     \
  }

static inline v128_t f_exp_shift(v128_t v, v128_t m) { return wt_exp(wasm_f32x4_sub(v, m)); }
static inline v128_t f_div(v128_t v, v128_t s) { return wasm_f32x4_div(v, s); }
static inline v128_t f_mul(v128_t v, v128_t r) { return wasm_f32x4_mul(v, r); }

/* y = exp(x - m) over one row, returning sum(y): the exp pass and the sum pass fused (one read
 * of x, one write of y), summed in fold_row_sum's order so the sum is the same. */
static float exp_store_sum(const float* x, float* y, size_t n, v128_t m) {
  const v128_t zero = WT_SPLAT(0.0f);
  v128_t total = zero;
  for (size_t k0 = 0; k0 < n; k0 += WT_ROW_BLOCK) {
    const size_t kend = wt_min_size(n, k0 + WT_ROW_BLOCK);
    v128_t a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    size_t k = k0;
    for (; k + 16 <= kend; k += 16) {
      const v128_t e0 = map_exp_shift(wasm_v128_load(x + k), m);
      const v128_t e1 = map_exp_shift(wasm_v128_load(x + k + 4), m);
      const v128_t e2 = map_exp_shift(wasm_v128_load(x + k + 8), m);
      const v128_t e3 = map_exp_shift(wasm_v128_load(x + k + 12), m);
      wasm_v128_store(y + k, e0);
      wasm_v128_store(y + k + 4, e1);
      wasm_v128_store(y + k + 8, e2);
      wasm_v128_store(y + k + 12, e3);
      a0 = wasm_f32x4_add(a0, e0);
      a1 = wasm_f32x4_add(a1, e1);
      a2 = wasm_f32x4_add(a2, e2);
      a3 = wasm_f32x4_add(a3, e3);
    }
    for (; k + 4 <= kend; k += 4) {
      const v128_t e = map_exp_shift(wasm_v128_load(x + k), m);
      wasm_v128_store(y + k, e);
      a0 = wasm_f32x4_add(a0, e);
    }
    if (k < kend) {
      const v128_t e = map_exp_shift(wt_load_partial(x + k, kend - k, -__builtin_inff()), m);
      wt_store_partial(y + k, kend - k, e);
      a1 = wasm_f32x4_add(a1, wasm_v128_bitselect(e, zero, wt_lane_mask(kend - k)));
    }
    total = wasm_f32x4_add(total, wasm_f32x4_add(wasm_f32x4_add(a0, a1),
                                                 wasm_f32x4_add(a2, a3)));
  }
  total = wasm_f32x4_add(total, wt_hfold_prep(total, 2));
  total = wasm_f32x4_add(total, wt_hfold_prep(total, 1));
  return wasm_f32x4_extract_lane(total, 0);
}
/* log_softmax element: (x - m) - log(sum), with the row max and log-sum passed together */
typedef struct { v128_t m, ls; } shift2;
static inline v128_t f_logsm(v128_t v, shift2 p) {
  return wasm_f32x4_sub(wasm_f32x4_sub(v, p.m), p.ls);
}

static inline __attribute__((always_inline)) void softmax_slab(const float* xo, float* yo, size_t n, size_t inner) {
  const v128_t zero = WT_SPLAT(0.0f);
  if (inner == 1) {
    const v128_t m = WT_SPLAT(fold_row_max(xo, n, zero));
    /* times the reciprocal: one rounding more than dividing (within the stated bound),
     * and a multiply instead of a slow f32x4.div per vector */
    const v128_t r = WT_SPLAT(1.0f / exp_store_sum(xo, yo, n, m));
    MAP_ROW(yo, yo, n, f_mul, r);
    return;
  }
  for (size_t j = 0; j < inner; j += 4) {
    const size_t c = wt_min_size(4, inner - j);
    const v128_t m = fold_cols_max(xo + j, n, inner, zero, c);
    MAP_COLS(xo + j, yo + j, n, inner, c, f_exp_shift, m);
    const v128_t s = fold_cols_sum(yo + j, n, inner, zero, c);
    MAP_COLS(yo + j, yo + j, n, inner, c, f_div, s);
  }
}

static inline __attribute__((always_inline)) void log_softmax_slab(const float* xo, float* yo, size_t n, size_t inner) {
  const v128_t zero = WT_SPLAT(0.0f);
  if (inner == 1) {
    shift2 p;
    p.m = WT_SPLAT(fold_row_max(xo, n, zero));
    p.ls = wt_log(WT_SPLAT(fold_row_sumexp(xo, n, p.m)));
    MAP_ROW(xo, yo, n, f_logsm, p);
    return;
  }
  for (size_t j = 0; j < inner; j += 4) {
    const size_t c = wt_min_size(4, inner - j);
    shift2 p;
    p.m = fold_cols_max(xo + j, n, inner, zero, c);
    p.ls = wt_log(fold_cols_sumexp(xo + j, n, inner, p.m, c));
    MAP_COLS(xo + j, yo + j, n, inner, c, f_logsm, p);
  }
}

WT_EXPORT void WT_SYM(f32_softmax)(size_t outer, size_t n, size_t inner, const float* x,
                                   float* y) {
  for (size_t o = 0; o < outer; o++) softmax_slab(x + o * n * inner, y + o * n * inner, n, inner);
}

WT_EXPORT void WT_SYM(f32_log_softmax)(size_t outer, size_t n, size_t inner, const float* x,
                                       float* y) {
  for (size_t o = 0; o < outer; o++)
    log_softmax_slab(x + o * n * inner, y + o * n * inner, n, inner);
}

/* float16 / bfloat16: each [n, inner] slab (n * inner <= WT_H16_STAGE, the caller checks)
 * converted into an L1/L2 buffer (wt_hrow.h), the float32 code run there, rounded once on
 * the way out: torch's opmath float32 without two conversion passes over memory. Fusing the
 * conversions into the max and scale passes was tried: ~1% faster in Node, and the exp pass
 * out of line (shared by both) cost float32 softmax 20%.
 *   void wt_h16_softmax_<isa>(size_t outer, size_t n, size_t inner, size_t flags,
 *                             const uint16_t* x, uint16_t* y)   flags: 1 bfloat16, 2 log_softmax */
#define WT_H16_STAGE 16384
static float stage[WT_H16_STAGE];

WT_EXPORT void WT_SYM(h16_softmax)(size_t outer, size_t n, size_t inner, size_t flags,
                                   const uint16_t* x, uint16_t* y) {
  const size_t k = n * inner;
  if (k > WT_H16_STAGE) return;
  for (size_t o = 0; o < outer; o++) {
    wt_hrow_to_f32(flags & 1, x + o * k, stage, k);
    if (flags & 2) WT_SYM(f32_log_softmax)(1, n, inner, stage, stage);
    else WT_SYM(f32_softmax)(1, n, inner, stage, stage);
    wt_hrow_from_f32(flags & 1, stage, y + o * k, k);
  }
}
