/* Reductions and scans over the middle axis of [outer, n, inner] for float64 / int64 / int32
 * (amax/amin/argmax/argmin also int16 / int8 / uint8 and bool bytes; all/any of bool bytes),
 * f32-reduce's form:
 *   void wt_<dt>_<op>_<isa>(size_t outer, size_t n, size_t inner, const T* x, OUT* y)
 * y[o, i] = op over k of x[o, k, i]  (scans: y has x's shape, y[o, k, i] = op over j <= k).
 * Accumulation as torch's CPU: float64 in float64, integers in int64 (the op layer widens
 * int32/bool/uint8 to int64 for sum/prod/cumsum/cumprod), wrap-around; float32 cumprod in
 * float64. amax/amin: NaN wins; argmax/argmin: the first maximum (a NaN counts as the
 * largest), int64 indices. all/any: of 0/1 bytes, bool out.
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
#define NACC 8

/* A: accumulator type; INIT: identity (amax/amin start from the first element instead).
 * A contiguous row (inner == 1) is read as [n / NACC, NACC]: NACC interleaved accumulators
 * by the same loop as the strided case, then the tail and a fixed tree. */
#define REDUCE(dt, op, T, A, OUT, INIT, C, FIN, FIRST)                                       \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t outer, size_t n, size_t inner, const T* x,        \
                                   OUT* y) {                                                \
    const int rows8 = inner == 1 && n >= 2 * NACC;                                          \
    const size_t nn = rows8 ? n / NACC : n, in = rows8 ? NACC : inner;                      \
    for (size_t o = 0; o < outer; o++, x += n * inner, y += inner) {                        \
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
#define ARGREDUCE(dt, op, T, BETTER)                                                        \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t outer, size_t n, size_t inner, const T* x,        \
                                   int64_t* y) {                                            \
    for (size_t o = 0; o < outer; o++, x += n * inner, y += inner) {                        \
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
#define SCAN(dt, op, T, A, C, INIT)                                                         \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t outer, size_t n, size_t inner, const T* x, T* y) { \
    for (size_t o = 0; o < outer; o++, x += n * inner, y += n * inner)                      \
      for (size_t i = 0; i < inner; i++) {       /* the running value stays in a register */ \
        A acc = (A)(INIT);                                                                  \
        for (size_t k = 0; k < n; k++) {                                                    \
          acc = C(acc, (A)x[k * inner + i]);                                                \
          y[k * inner + i] = (T)acc;                                                        \
        }                                                                                   \
      }                                                                                     \
  }

REDUCE(f64, sum, double, double, double, 0.0, ADD, ID, 0)
REDUCE(f64, prod, double, double, double, 1.0, MUL, ID, 0)
REDUCE(f64, amax, double, double, double, 0.0, MAXN, ID, 1)
REDUCE(f64, amin, double, double, double, 0.0, MINN, ID, 1)
REDUCE(i64, sum, int64_t, int64_t, int64_t, 0, IADD, ID, 0)
REDUCE(i64, prod, int64_t, int64_t, int64_t, 1, IMUL, ID, 0)
REDUCE(i64, amax, int64_t, int64_t, int64_t, 0, MAXN, ID, 1)
REDUCE(i64, amin, int64_t, int64_t, int64_t, 0, MINN, ID, 1)
REDUCE(i32, amax, int32_t, int32_t, int32_t, 0, MAXN, ID, 1)
REDUCE(i32, amin, int32_t, int32_t, int32_t, 0, MINN, ID, 1)
ARGREDUCE(f64, argmax, double, GT_NAN)
ARGREDUCE(f64, argmin, double, LT_NAN)
ARGREDUCE(i64, argmax, int64_t, GT_NAN)
ARGREDUCE(i64, argmin, int64_t, LT_NAN)
ARGREDUCE(i32, argmax, int32_t, GT_NAN)
ARGREDUCE(i32, argmin, int32_t, LT_NAN)
#define MINMAX_ARG(dt, T)                                                                    \
  REDUCE(dt, amax, T, T, T, 0, MAXN, ID, 1) REDUCE(dt, amin, T, T, T, 0, MINN, ID, 1)        \
  ARGREDUCE(dt, argmax, T, GT_NAN) ARGREDUCE(dt, argmin, T, LT_NAN)
MINMAX_ARG(i16, int16_t)
MINMAX_ARG(i8, int8_t)
MINMAX_ARG(u8, uint8_t)
/* all / any of bool bytes (other dtypes: x != 0 first, on the comparison kernels) */
REDUCE(u8, all, uint8_t, uint8_t, uint8_t, 1, AND, ID, 0)
REDUCE(u8, any, uint8_t, uint8_t, uint8_t, 0, OR, ID, 0)
SCAN(f64, cumsum, double, double, ADD, 0.0)
SCAN(f64, cumprod, double, double, MUL, 1.0)
SCAN(f32, cumprod, float, double, MUL, 1.0)
SCAN(i64, cumsum, int64_t, int64_t, IADD, 0)
SCAN(i64, cumprod, int64_t, int64_t, IMUL, 1)

WT_SMALL_END
