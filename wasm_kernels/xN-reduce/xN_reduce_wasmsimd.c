/* Reductions and scans over the middle axis of [outer, n, inner] for float64 / int64 / int32 /
 * int16 / int8 / uint8 (bool as uint8) and float16 / bfloat16 bits, f32-reduce's form:
 *   void wt_<dt>_<op>_<isa>(size_t outer, size_t n, size_t inner, const T* x, OUT* y)
 * y[o, i] = op over k of x[o, k, i]  (scans: y has x's shape, y[o, k, i] = op over j <= k).
 * Accumulation as torch's CPU: float64 in float64, integers in int64 (narrow integers' sum /
 * prod / cumsum / cumprod read the input and write int64), wrap-around; float32 cumprod in
 * float64. amax/amin: NaN wins; argmax/argmin: the first maximum (a NaN counts as the
 * largest), int64 indices; contiguous rows 128 bits at a time where the op allows.
 * count_nonzero / all / any by the bits of any dtype; dot_rows for dot / mv of small ints.
 * Summation order: 8 interleaved accumulators over a contiguous row, then a fixed tree, so
 * float64 sums differ from a sequential sum by rounding only (|error| <= n * eps * sum|x|).
 */
#include "wt_common.h"

WT_SMALL_BEGIN

#define ADD(a, v) ((a) + (v))
#define MUL(a, v) ((a) * (v))
#define MAXN(a, v) (((v) > (a) || (v) != (v)) ? (v) : (a))   /* a NaN accumulator stays */
#define MINN(a, v) (((v) < (a) || (v) != (v)) ? (v) : (a))
#define IADD(a, v) (int64_t)((uint64_t)(a) + (uint64_t)(v))
#define IMUL(a, v) (int64_t)((uint64_t)(a) * (uint64_t)(v))
#define AND(a, v) ((a) & ((v) != 0))
#define OR(a, v) ((a) | ((v) != 0))
#define ID(a, n) (a)
#define WT_CHUNK 64
#define NO_ROW(...) 0
#define NACC 8

/* A: accumulator type; INIT: identity (amax/amin start from the first element instead).
 * A contiguous row (inner == 1) is read as [n / NACC, NACC]: NACC interleaved accumulators
 * by the same loop as the strided case, then the tail and a fixed tree; or, where
 * ROW_OK(n), by ROW(x, n) (128 bits at a time). */
#define REDUCE(dt, op, T, A, OUT, INIT, C, FIN, FIRST)                                       \
  REDUCE_ROWS(dt, op, T, A, OUT, INIT, C, FIN, FIRST, NO_ROW, NO_ROW)
#define REDUCE_ROWS(dt, op, T, A, OUT, INIT, C, FIN, FIRST, ROW_OK, ROW)                      \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t outer, size_t n, size_t inner, const T* x,        \
                                   OUT* y) {                                                \
    const int rows8 = inner == 1 && n >= 2 * NACC;                                          \
    const size_t nn = rows8 ? n / NACC : n, in = rows8 ? NACC : inner;                      \
    for (size_t o = 0; o < outer; o++, x += n * inner, y += inner) {                        \
      if (inner == 1 && ROW_OK(n)) {                                                        \
        y[0] = (OUT)ROW(x, n);                                                              \
        continue;                                                                           \
      }                                                                                     \
      for (size_t i0 = 0; i0 < in; i0 += WT_CHUNK) {                                        \
        const size_t m = wt_min_size(WT_CHUNK, in - i0);                                    \
        A acc[WT_CHUNK];                                                                    \
        for (size_t i = 0; i < m; i++) acc[i] = (FIRST && n) ? (A)x[i0 + i] : (A)(INIT);    \
        for (size_t k = 0; k < nn; k++) {                                                   \
          const T* row = x + k * in + i0;                                                   \
          for (size_t i = 0; i < m; i++) acc[i] = C(acc[i], row[i]);                        \
        }                                                                                   \
        if (rows8) {                                                                        \
          for (size_t k = nn * NACC; k < n; k++) acc[0] = C(acc[0], x[k]);                  \
          for (size_t w = NACC / 2; w; w /= 2)                                              \
            for (size_t a = 0; a < w; a++) acc[a] = C(acc[a], acc[a + w]);                  \
          y[0] = (OUT)FIN(acc[0], n);                                                       \
        } else {                                                                            \
          for (size_t i = 0; i < m; i++) y[i0 + i] = (OUT)FIN(acc[i], n);                   \
        }                                                                                   \
      }                                                                                     \
    }                                                                                       \
  }

/* argmax/argmin: the first best index; BETTER(v, best) says v replaces best */
#define GT_NAN(v, b) ((v) > (b) || ((v) != (v) && (b) == (b)))
#define LT_NAN(v, b) ((v) < (b) || ((v) != (v) && (b) == (b)))
#define ARGREDUCE(dt, op, T, BETTER) ARGREDUCE_ROWS(dt, op, T, BETTER, NO_ROW, NO_ROW)
/* ROW(x, n): a contiguous row's index where ROW_OK(n) (the integer rows: 128 bits at a time) */
#define ARGREDUCE_ROWS(dt, op, T, BETTER, ROW_OK, ROW)                                      \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t outer, size_t n, size_t inner, const T* x,        \
                                   int64_t* y) {                                            \
    for (size_t o = 0; o < outer; o++, x += n * inner, y += inner) {                        \
      if (inner == 1 && ROW_OK(n)) {                                                        \
        y[0] = ROW(x, n);                                                                   \
        continue;                                                                           \
      }                                                                                     \
      for (size_t i = 0; i < inner; i++) {                                                  \
        T best = n ? x[i] : (T)0;                                                           \
        int64_t at = 0;                                                                     \
        for (size_t k = 1; k < n; k++) {                                                    \
          const T v = x[k * inner + i];                                                     \
          if (BETTER(v, best)) best = v, at = (int64_t)k;                                   \
        }                                                                                   \
        y[i] = at;                                                                          \
      }                                                                                     \
    }                                                                                       \
  }

/* cumsum / cumprod along the middle axis, accumulating in A */
#define SCAN(dt, op, T, A, OUT, C, INIT)                                                    \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t outer, size_t n, size_t inner, const T* x,        \
                                   OUT* y) {                                                \
    for (size_t o = 0; o < outer; o++, x += n * inner, y += n * inner)                      \
      for (size_t i = 0; i < inner; i++) {       /* the running value stays in a register */ \
        A acc = (A)(INIT);                                                                  \
        for (size_t k = 0; k < n; k++) {                                                    \
          acc = C(acc, (A)x[k * inner + i]);                                                \
          y[k * inner + i] = (OUT)acc;                                                        \
        }                                                                                   \
      }                                                                                     \
  }

/* The best value of a contiguous row 128 bits at a time (n >= L), then the lanes and the tail */
#define BEST_ROW(name, T, L, VBEST, BETTER)                                                  \
  static T name(const T* x, size_t n) {                                                     \
    v128_t b = wasm_v128_load(x);                                                           \
    size_t k = L;                                                                           \
    for (; k + L <= n; k += L) b = VBEST(b, wasm_v128_load(x + k));                         \
    T lane[L], best;                                                                        \
    wasm_v128_store(lane, b);                                                               \
    best = lane[0];                                                                         \
    for (size_t i = 1; i < L; i++)                                                          \
      if (BETTER(lane[i], best)) best = lane[i];                                            \
    for (; k < n; k++)                                                                      \
      if (BETTER(x[k], best)) best = x[k];                                                  \
    return best;                                                                            \
  }
/* ...and the first index holding it (integer rows) */
#define INT_ROW(dt, op, T, L, S, BETTER)                                                     \
  static int64_t dt##_##op##_row(const T* x, size_t n) {                                    \
    const T best = dt##_##op##_best(x, n);                                                  \
    const v128_t s = wasm_##S##_splat(best);                                                \
    size_t k = 0;                                                                           \
    for (; k + L <= n; k += L) {                                                            \
      const uint32_t m = wasm_##S##_bitmask(wasm_##S##_eq(wasm_v128_load(x + k), s));       \
      if (m) return (int64_t)(k + __builtin_ctz(m));                                        \
    }                                                                                       \
    for (; k < n; k++)                                                                      \
      if (x[k] == best) break;                                                              \
    return (int64_t)k;                                                                      \
  }
#define ROW_OK16(n) ((n) >= 16)
#define ROW_OK8(n) ((n) >= 8)
#define ROW_OK4(n) ((n) >= 4)
/* amax / amin (128 bits at a time along contiguous rows) */
#define MINMAX(dt, T, L, V)                                                                  \
  BEST_ROW(dt##_argmax_best, T, L, wasm_##V##_max, GT_NAN)                                  \
  BEST_ROW(dt##_argmin_best, T, L, wasm_##V##_min, LT_NAN)                                  \
  REDUCE_ROWS(dt, amax, T, T, T, 0, MAXN, ID, 1, ROW_OK##L, dt##_argmax_best)               \
  REDUCE_ROWS(dt, amin, T, T, T, 0, MINN, ID, 1, ROW_OK##L, dt##_argmin_best)
/* ...and argmax / argmin of the integers */
#define MINMAX_ARG(dt, T, L, V, S)                                                           \
  MINMAX(dt, T, L, V)                                                                       \
  INT_ROW(dt, argmax, T, L, S, GT_NAN)                                                      \
  INT_ROW(dt, argmin, T, L, S, LT_NAN)                                                      \
  ARGREDUCE_ROWS(dt, argmax, T, GT_NAN, ROW_OK##L, dt##_argmax_row)                         \
  ARGREDUCE_ROWS(dt, argmin, T, LT_NAN, ROW_OK##L, dt##_argmin_row)

/* Integer sum / prod into int64 (torch's accumulation dtype) straight from the narrow input:
 * contiguous rows STEP elements at a time folded exactly into four 32-bit lanes (pairwise sums;
 * products of 2 int16 or 4 bytes fit), then two 64-bit accumulators (wrapping). */
#define STEP_i32 4
#define STEP_i16 8
#define STEP_i8 16
#define STEP_u8 16
#define SUM4_i32(p) wasm_v128_load(p)
#define SUM4_i16(p) wasm_i32x4_extadd_pairwise_i16x8(wasm_v128_load(p))
#define SUM4_i8(p) wasm_i32x4_extadd_pairwise_i16x8(wasm_i16x8_extadd_pairwise_i8x16(wasm_v128_load(p)))
#define SUM4_u8(p) wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(wasm_v128_load(p)))
static inline v128_t prod4_i16(v128_t v) {
  return wasm_i32x4_mul(wasm_i32x4_extend_low_i16x8(v), wasm_i32x4_extend_high_i16x8(v));
}
static inline v128_t prod4_u16(v128_t v) {        /* u16 products: u32 (< 2^32) */
  return wasm_i32x4_mul(wasm_u32x4_extend_low_u16x8(v), wasm_u32x4_extend_high_u16x8(v));
}
#define PROD4_i32(p) wasm_v128_load(p)
#define PROD4_i16(p) prod4_i16(wasm_v128_load(p))
#define PROD4_i8(p) prod4_i16(wasm_i16x8_mul(wasm_i16x8_extend_low_i8x16(wasm_v128_load(p)),   \
                                             wasm_i16x8_extend_high_i8x16(wasm_v128_load(p))))
#define PROD4_u8(p) prod4_u16(wasm_i16x8_mul(wasm_u16x8_extend_low_u8x16(wasm_v128_load(p)),   \
                                             wasm_u16x8_extend_high_u8x16(wasm_v128_load(p))))
#define EXT_i32(half, v) wasm_i64x2_extend_##half##_i32x4(v)
#define EXT_i16 EXT_i32
#define EXT_i8 EXT_i32
#define EXT_u8(half, v) wasm_u64x2_extend_##half##_u32x4(v)
#define WIDE_ROW(dt, op, T, F4, VOP, C, INIT)                                                \
  static int64_t dt##_##op##_wide(const T* x, size_t n) {                                   \
    v128_t a = wasm_i64x2_splat(INIT), b = a;                                               \
    size_t k = 0;                                                                           \
    for (; k + STEP_##dt <= n; k += STEP_##dt) {                                            \
      const v128_t v = F4##_##dt(x + k);                                                    \
      a = VOP(a, EXT_##dt(low, v));                                                         \
      b = VOP(b, EXT_##dt(high, v));                                                        \
    }                                                                                       \
    a = VOP(a, b);                                                                          \
    int64_t r = C(wasm_i64x2_extract_lane(a, 0), wasm_i64x2_extract_lane(a, 1));            \
    for (; k < n; k++) r = C(r, (int64_t)x[k]);                                             \
    return r;                                                                               \
  }
#define WIDE(dt, T)                                                                          \
  WIDE_ROW(dt, sum, T, SUM4, wasm_i64x2_add, IADD, 0)                                       \
  WIDE_ROW(dt, prod, T, PROD4, wasm_i64x2_mul, IMUL, 1)                                     \
  REDUCE_ROWS(dt, sum, T, int64_t, int64_t, 0, IADD, ID, 0, ROW_OK4, dt##_sum_wide)         \
  REDUCE_ROWS(dt, prod, T, int64_t, int64_t, 1, IMUL, ID, 0, ROW_OK4, dt##_prod_wide)       \
  SCAN(dt, cumsum, T, int64_t, int64_t, IADD, 0)                                            \
  SCAN(dt, cumprod, T, int64_t, int64_t, IMUL, 1)

/* float64 / int64 sum and prod of contiguous rows of >= 16: the same 8 accumulators as four
 * 128-bit vectors (lane i of vector v is accumulator 2v + i), then the same tail and tree:
 * bit for bit the scalar form's result (the add / multiply chains run two lanes at a time). */
#define ARITH_ROW(name, T, INIT, VOP, C)                                                      \
  static T name(const T* x, size_t n) {                                                     \
    const size_t nn = n / NACC;                                                             \
    v128_t a0 = INIT, a1 = a0, a2 = a0, a3 = a0;                                            \
    for (size_t k = 0; k < nn; k++) {                                                       \
      const T* r = x + k * NACC;                                                            \
      a0 = VOP(a0, wasm_v128_load(r)), a1 = VOP(a1, wasm_v128_load(r + 2));                 \
      a2 = VOP(a2, wasm_v128_load(r + 4)), a3 = VOP(a3, wasm_v128_load(r + 6));             \
    }                                                                                       \
    T acc[NACC];                                                                            \
    wasm_v128_store(acc, a0), wasm_v128_store(acc + 2, a1);                                 \
    wasm_v128_store(acc + 4, a2), wasm_v128_store(acc + 6, a3);                             \
    for (size_t k = nn * NACC; k < n; k++) acc[0] = C(acc[0], x[k]);                        \
    for (size_t w = NACC / 2; w; w /= 2)                                                    \
      for (size_t a = 0; a < w; a++) acc[a] = C(acc[a], acc[a + w]);                        \
    return acc[0];                                                                          \
  }
ARITH_ROW(f64_sum_row, double, wasm_f64x2_splat(0.0), wasm_f64x2_add, ADD)
ARITH_ROW(f64_prod_row, double, wasm_f64x2_splat(1.0), wasm_f64x2_mul, MUL)
ARITH_ROW(i64_sum_row, int64_t, wasm_i64x2_splat(0), wasm_i64x2_add, IADD)
ARITH_ROW(i64_prod_row, int64_t, wasm_i64x2_splat(1), wasm_i64x2_mul, IMUL)
REDUCE_ROWS(f64, sum, double, double, double, 0.0, ADD, ID, 0, ROW_OK16, f64_sum_row)
REDUCE_ROWS(f64, prod, double, double, double, 1.0, MUL, ID, 0, ROW_OK16, f64_prod_row)
/* float64 amax / amin: 8 accumulators (one f64x2.max chain is NaN-propagating: long on x64).
 * Contiguous rows of >= 16: the same 8 accumulators as four f64x2 lanes with pmax / pmin (one
 * instruction; v > acc ? v : acc per lane, as the scalar form), NaNs noted on the side; a row
 * with a NaN is redone by the scalar form, so the result (which NaN, which zero) is that of
 * the scalar loop bit for bit. */
#define F64_BEST_ROW(name, PM, C)                                                            \
  static double name(const double* x, size_t n) {                                           \
    const size_t nn = n / NACC;                                                             \
    v128_t a0 = wasm_v128_load(x), a1 = wasm_v128_load(x + 2), a2 = wasm_v128_load(x + 4);  \
    v128_t a3 = wasm_v128_load(x + 6), bad = wasm_v128_or(wasm_f64x2_ne(a0, a0),           \
        wasm_v128_or(wasm_f64x2_ne(a1, a1), wasm_v128_or(wasm_f64x2_ne(a2, a2),            \
                                                         wasm_f64x2_ne(a3, a3))));          \
    for (size_t k = 1; k < nn; k++) {                                                       \
      const double* r = x + k * NACC;                                                       \
      const v128_t v0 = wasm_v128_load(r), v1 = wasm_v128_load(r + 2);                      \
      const v128_t v2 = wasm_v128_load(r + 4), v3 = wasm_v128_load(r + 6);                  \
      a0 = PM(a0, v0), a1 = PM(a1, v1), a2 = PM(a2, v2), a3 = PM(a3, v3);                   \
      bad = wasm_v128_or(bad, wasm_v128_or(wasm_v128_or(wasm_f64x2_ne(v0, v0),              \
                                                        wasm_f64x2_ne(v1, v1)),             \
                                           wasm_v128_or(wasm_f64x2_ne(v2, v2),              \
                                                        wasm_f64x2_ne(v3, v3))));           \
    }                                                                                       \
    double acc[NACC];                                                                       \
    wasm_v128_store(acc, a0), wasm_v128_store(acc + 2, a1);                                 \
    wasm_v128_store(acc + 4, a2), wasm_v128_store(acc + 6, a3);                             \
    if (wasm_v128_any_true(bad)) {                                                          \
      for (size_t i = 0; i < NACC; i++) acc[i] = x[i];                                      \
      for (size_t k = 1; k < nn; k++)                                                       \
        for (size_t i = 0; i < NACC; i++) acc[i] = C(acc[i], x[k * NACC + i]);              \
    }                                                                                       \
    for (size_t k = nn * NACC; k < n; k++) acc[0] = C(acc[0], x[k]);                        \
    for (size_t w = NACC / 2; w; w /= 2)                                                    \
      for (size_t a = 0; a < w; a++) acc[a] = C(acc[a], acc[a + w]);                        \
    return acc[0];                                                                          \
  }
F64_BEST_ROW(f64_amax_row, wasm_f64x2_pmax, MAXN)
F64_BEST_ROW(f64_amin_row, wasm_f64x2_pmin, MINN)
REDUCE_ROWS(f64, amax, double, double, double, 0.0, MAXN, ID, 1, ROW_OK16, f64_amax_row)
REDUCE_ROWS(f64, amin, double, double, double, 0.0, MINN, ID, 1, ROW_OK16, f64_amin_row)
REDUCE_ROWS(i64, sum, int64_t, int64_t, int64_t, 0, IADD, ID, 0, ROW_OK16, i64_sum_row)
REDUCE_ROWS(i64, prod, int64_t, int64_t, int64_t, 1, IMUL, ID, 0, ROW_OK16, i64_prod_row)
/* int64 amax / amin / argmax / argmin of contiguous rows of >= 16: four i64x2 accumulators
 * (no i64x2 max: a gt_s and a select), then the first index holding the best (INT_ROW) */
#define I64_BEST_ROW(name, A_WINS, BETTER)                                                   \
  static int64_t name(const int64_t* x, size_t n) {                                         \
    v128_t b0 = wasm_v128_load(x), b1 = wasm_v128_load(x + 2);                              \
    v128_t b2 = wasm_v128_load(x + 4), b3 = wasm_v128_load(x + 6);                          \
    size_t k = 8;                                                                           \
    for (; k + 8 <= n; k += 8) {                                                            \
      const v128_t v0 = wasm_v128_load(x + k), v1 = wasm_v128_load(x + k + 2);              \
      const v128_t v2 = wasm_v128_load(x + k + 4), v3 = wasm_v128_load(x + k + 6);          \
      b0 = wasm_v128_bitselect(b0, v0, A_WINS(b0, v0));                                     \
      b1 = wasm_v128_bitselect(b1, v1, A_WINS(b1, v1));                                     \
      b2 = wasm_v128_bitselect(b2, v2, A_WINS(b2, v2));                                     \
      b3 = wasm_v128_bitselect(b3, v3, A_WINS(b3, v3));                                     \
    }                                                                                       \
    int64_t lane[8], best;                                                                  \
    wasm_v128_store(lane, b0), wasm_v128_store(lane + 2, b1);                               \
    wasm_v128_store(lane + 4, b2), wasm_v128_store(lane + 6, b3);                           \
    best = lane[0];                                                                         \
    for (size_t i = 1; i < 8; i++)                                                          \
      if (BETTER(lane[i], best)) best = lane[i];                                            \
    for (; k < n; k++)                                                                      \
      if (BETTER(x[k], best)) best = x[k];                                                  \
    return best;                                                                            \
  }
I64_BEST_ROW(i64_argmax_best, wasm_i64x2_gt, GT_NAN)
I64_BEST_ROW(i64_argmin_best, wasm_i64x2_lt, LT_NAN)
INT_ROW(i64, argmax, int64_t, 2, i64x2, GT_NAN)
INT_ROW(i64, argmin, int64_t, 2, i64x2, LT_NAN)
REDUCE_ROWS(i64, amax, int64_t, int64_t, int64_t, 0, MAXN, ID, 1, ROW_OK16, i64_argmax_best)
REDUCE_ROWS(i64, amin, int64_t, int64_t, int64_t, 0, MINN, ID, 1, ROW_OK16, i64_argmin_best)
ARGREDUCE(f64, argmax, double, GT_NAN)
ARGREDUCE(f64, argmin, double, LT_NAN)
ARGREDUCE_ROWS(i64, argmax, int64_t, GT_NAN, ROW_OK16, i64_argmax_row)
ARGREDUCE_ROWS(i64, argmin, int64_t, LT_NAN, ROW_OK16, i64_argmin_row)
MINMAX_ARG(i32, int32_t, 4, i32x4, i32x4)
MINMAX_ARG(i16, int16_t, 8, i16x8, i16x8)
MINMAX_ARG(i8, int8_t, 16, i8x16, i8x16)
MINMAX_ARG(u8, uint8_t, 16, u8x16, i8x16)
WIDE(i32, int32_t)
WIDE(i16, int16_t)
WIDE(i8, int8_t)
WIDE(u8, uint8_t)

/* count_nonzero / all / any by the bits of any dtype (kd: u8 bytes, x16/x32/x64 integers, h16
 * float16/bfloat16, f32, f64: the sign bit masked off, so -0.0 is zero and NaN nonzero);
 * contiguous rows 128 bits at a time, all/any stopping at the first deciding vector. */
#define NONZERO(kd, T, S, M)                                                                 \
  WT_EXPORT void WT_SYM(kd##_count_nonzero)(size_t outer, size_t n, size_t inner,           \
                                            const T* x, int64_t* y) {                       \
    const v128_t vm = wasm_##S##_splat(M), z = wasm_##S##_splat(0);                         \
    for (size_t o = 0; o < outer; o++, x += n * inner, y += inner)                          \
      for (size_t i = 0; i < inner; i++) {                                                  \
        size_t c = 0, k = 0;                                                                \
        if (inner == 1)                                                                     \
          for (; k + 16 / sizeof(T) <= n; k += 16 / sizeof(T))                              \
            c += __builtin_popcount(wasm_##S##_bitmask(                                     \
                wasm_##S##_ne(wasm_v128_and(wasm_v128_load(x + k), vm), z)));               \
        for (; k < n; k++) c += (x[k * inner + i] & (T)(M)) != 0;                           \
        y[i] = (int64_t)c;                                                                  \
      }                                                                                     \
  }                                                                                         \
  ALLANY(kd, all, T, S, M, 1, AND, ALL_STOP)                                                \
  ALLANY(kd, any, T, S, M, 0, OR, ANY_STOP)
#define ALLANY(kd, op, T, S, M, INIT, C, STOP)                                               \
  WT_EXPORT void WT_SYM(kd##_##op)(size_t outer, size_t n, size_t inner, const T* x,        \
                                   uint8_t* y) {                                            \
    const v128_t vm = wasm_##S##_splat(M);                                                  \
    for (size_t o = 0; o < outer; o++, x += n * inner, y += inner)                          \
      for (size_t i = 0; i < inner; i++) {                                                  \
        uint8_t r = INIT;                                                                   \
        size_t k = 0;                                                                       \
        if (inner == 1)                                                                     \
          for (; k + 16 / sizeof(T) <= n && r == INIT; k += 16 / sizeof(T))                 \
            if (STOP(S, wasm_v128_and(wasm_v128_load(x + k), vm))) r = !INIT;               \
        for (; k < n && r == INIT; k++) r = C(r, x[k * inner + i] & (T)(M));                \
        y[i] = r;                                                                           \
      }                                                                                     \
  }
#define ALL_STOP(S, v) (!wasm_##S##_all_true(v))
#define ANY_STOP(S, v) wasm_v128_any_true(v)
NONZERO(u8, uint8_t, i8x16, 0xFF)
NONZERO(x16, uint16_t, i16x8, 0xFFFF)
NONZERO(h16, uint16_t, i16x8, 0x7FFF)
NONZERO(x32, uint32_t, i32x4, 0xFFFFFFFFu)
NONZERO(f32, uint32_t, i32x4, 0x7FFFFFFF)
NONZERO(x64, uint64_t, i64x2, 0xFFFFFFFFFFFFFFFFull)
NONZERO(f64, uint64_t, i64x2, 0x7FFFFFFFFFFFFFFFll)

/* float16 / bfloat16 amax amin argmax argmin on int16 keys ordered like the values (8 lanes
 * at a time, no conversion): the magnitude bits, negated for negatives (-0 == +0); NaN
 * (magnitude above INF) -> NANK, the extreme that wins. The first best element wins (torch's
 * first index; amax/amin of zeros: the first zero's sign). */
__attribute__((always_inline)) static inline v128_t hkey8(v128_t v, int16_t inf, int16_t nank) {
  const v128_t m = wasm_v128_and(v, wasm_i16x8_splat(0x7FFF)), neg = wasm_i16x8_shr(v, 15);
  return wasm_v128_bitselect(wasm_i16x8_splat(nank), wasm_i16x8_sub(wasm_v128_xor(m, neg), neg),
                             wasm_i16x8_gt(m, wasm_i16x8_splat(inf)));
}
__attribute__((always_inline)) static inline int16_t hkey1(uint16_t b, int16_t inf, int16_t nank) {
  const int16_t m = (int16_t)(b & 0x7FFF);
  return m > inf ? nank : b >> 15 ? (int16_t)-m : m;
}
#define HBETTER(v, b) (mx ? (v) > (b) : (v) < (b))
/* arg 0: y = the best value's bits (NaN: qnan); arg 1: y = its first index (int64) */
static void half_best(size_t outer, size_t n, size_t inner, const uint16_t* x, void* out,
                      int16_t inf, uint16_t qnan, int mx, int arg) {
  const int16_t nank = mx ? 0x7FFF : -0x8000;
  uint16_t* yv = out;
  int64_t* yi = out;
  for (size_t o = 0; o < outer; o++, x += n * inner, yv += inner, yi += inner)
    for (size_t i = 0; i < inner; i++) {
      int16_t best = n ? hkey1(x[i], inf, nank) : 0;
      size_t k = 1, at = 0;
      if (inner == 1 && n >= 16) {
        v128_t b = hkey8(wasm_v128_load(x), inf, nank);
        for (k = 8; k + 8 <= n; k += 8) {
          const v128_t v = hkey8(wasm_v128_load(x + k), inf, nank);
          b = mx ? wasm_i16x8_max(b, v) : wasm_i16x8_min(b, v);
        }
        int16_t lane[8];
        wasm_v128_store(lane, b);
        for (size_t l = 0; l < 8; l++) best = HBETTER(lane[l], best) ? lane[l] : best;
        for (size_t j = k; j < n; j++) {
          const int16_t v = hkey1(x[j], inf, nank);
          if (HBETTER(v, best)) best = v;
        }
        if (arg || best == 0) {                 /* the first index holding best */
          const v128_t s = wasm_i16x8_splat(best);
          for (k = 0; k + 8 <= n; k += 8)
            if (wasm_i16x8_bitmask(wasm_i16x8_eq(hkey8(wasm_v128_load(x + k), inf, nank), s)))
              break;
          for (at = k; at < n && hkey1(x[at], inf, nank) != best; at++) {}
        }
        k = n;
      }
      for (; k < n; k++) {
        const int16_t v = hkey1(x[k * inner + i], inf, nank);
        if (HBETTER(v, best)) best = v, at = k;
      }
      if (arg) yi[i] = (int64_t)at;
      else yv[i] = best == nank ? qnan : best == 0 ? x[at * inner + i]
                   : best > 0 ? (uint16_t)best : (uint16_t)(0x8000 | -best);
    }
}
#define HALF_BEST(dt, op, INF, QNAN, MX, ARG, OUT)                                           \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t outer, size_t n, size_t inner, const uint16_t* x, \
                                   OUT* y) {                                                \
    half_best(outer, n, inner, x, y, INF, QNAN, MX, ARG);                                   \
  }
#define HALF_MINMAX(dt, INF, QNAN)                                                           \
  HALF_BEST(dt, amax, INF, QNAN, 1, 0, uint16_t)                                            \
  HALF_BEST(dt, amin, INF, QNAN, 0, 0, uint16_t)                                            \
  HALF_BEST(dt, argmax, INF, QNAN, 1, 1, int64_t)                                           \
  HALF_BEST(dt, argmin, INF, QNAN, 0, 1, int64_t)
HALF_MINMAX(f16, 0x7C00, 0x7E00)
HALF_MINMAX(bf16, 0x7F80, 0x7FC0)

/* int16 / int8 / uint8 dot products of contiguous rows with one vector (dot, mv) in int32
 * lanes (i32x4.dot_i16x8_s), wrapping: the low 8/16 bits are torch's result in the dtype.
 *   void wt_<dt>_dot_rows_<isa>(size_t rows, size_t n, const T* a, const T* b, T* y) */
#define DOT16_i16(p, q) wasm_i32x4_dot_i16x8(wasm_v128_load(p), wasm_v128_load(q))
#define DOT16_BYTES(E, p, q)                                                                 \
  wasm_i32x4_add(wasm_i32x4_dot_i16x8(E##_low(wasm_v128_load(p)), E##_low(wasm_v128_load(q))), \
                 wasm_i32x4_dot_i16x8(E##_high(wasm_v128_load(p)), E##_high(wasm_v128_load(q))))
#define i8_ext_low wasm_i16x8_extend_low_i8x16
#define i8_ext_high wasm_i16x8_extend_high_i8x16
#define u8_ext_low wasm_u16x8_extend_low_u8x16
#define u8_ext_high wasm_u16x8_extend_high_u8x16
#define DOT16_i8(p, q) DOT16_BYTES(i8_ext, p, q)
#define DOT16_u8(p, q) DOT16_BYTES(u8_ext, p, q)
#define INT_DOT(dt, T)                                                                       \
  WT_EXPORT void WT_SYM(dt##_dot_rows)(size_t rows, size_t n, const T* a, const T* b, T* y) { \
    for (size_t r = 0; r < rows; r++, a += n) {                                             \
      v128_t acc = wasm_i32x4_splat(0);                                                     \
      size_t k = 0;                                                                         \
      for (; k + 16 / sizeof(T) <= n; k += 16 / sizeof(T))                                  \
        acc = wasm_i32x4_add(acc, DOT16_##dt(a + k, b + k));                                \
      uint32_t s = 0;                                                                       \
      for (size_t l = 0; l < 4; l++) s += (uint32_t)wt_lane_i32(acc, l);                    \
      for (; k < n; k++) s += (uint32_t)((int32_t)a[k] * (int32_t)b[k]);                    \
      y[r] = (T)s;                                                                          \
    }                                                                                       \
  }
static inline int32_t wt_lane_i32(v128_t v, size_t l) {
  int32_t t[4];
  wasm_v128_store(t, v);
  return t[l];
}
INT_DOT(i16, int16_t)
INT_DOT(i8, int8_t)
INT_DOT(u8, uint8_t)

/* float64 var: the mean, then the squared deviations (two passes; contiguous rows two f64x2
 * accumulators at a time); / max(0, n - correction), 0/0 = NaN like torch */
static double f64_fold(const double* x, size_t n, size_t stride, double mean, int sq) {
  v128_t a = wasm_f64x2_splat(0.0), b = a;
  const v128_t vm = wasm_f64x2_splat(mean);
  size_t k = 0;
  if (stride == 1)
    for (; k + 4 <= n; k += 4) {
      v128_t u = wasm_v128_load(x + k), v = wasm_v128_load(x + k + 2);
      if (sq) {
        u = wasm_f64x2_sub(u, vm), v = wasm_f64x2_sub(v, vm);
        u = wasm_f64x2_mul(u, u), v = wasm_f64x2_mul(v, v);
      }
      a = wasm_f64x2_add(a, u), b = wasm_f64x2_add(b, v);
    }
  a = wasm_f64x2_add(a, b);
  double r = wasm_f64x2_extract_lane(a, 0) + wasm_f64x2_extract_lane(a, 1);
  for (; k < n; k++) {
    const double d = x[k * stride] - (sq ? mean : 0.0);
    r += sq ? d * d : d;
  }
  return r;
}
WT_EXPORT void WT_SYM(f64_var)(size_t outer, size_t n, size_t inner, float correction,
                               const double* x, double* y) {
  const double dof = (double)n - correction > 0.0 ? (double)n - correction : 0.0;
  for (size_t o = 0; o < outer; o++, x += n * inner, y += inner)
    for (size_t i = 0; i < inner; i++)
      y[i] = f64_fold(x + i, n, inner, f64_fold(x + i, n, inner, 0.0, 0) / (double)n, 1) / dof;
}

SCAN(f64, cumsum, double, double, double, ADD, 0.0)
SCAN(f64, cumprod, double, double, double, MUL, 1.0)
SCAN(f32, cumprod, float, double, float, MUL, 1.0)
SCAN(i64, cumsum, int64_t, int64_t, int64_t, IADD, 0)
SCAN(i64, cumprod, int64_t, int64_t, int64_t, IMUL, 1)

WT_SMALL_END
