/* Reductions and scans over the middle axis of [outer, n, inner] for float64 / int64 / int32
 * (amax/amin/argmax/argmin also int16 / int8 / uint8 and bool bytes; all/any of bool bytes),
 * f32-reduce's form:
 *   void wt_<dt>_<op>_<isa>(size_t outer, size_t n, size_t inner, const T* x, OUT* y)
 * y[o, i] = op over k of x[o, k, i]  (scans: y has x's shape, y[o, k, i] = op over j <= k).
 * Accumulation as torch's CPU: float64 in float64, integers in int64 (the op layer widens
 * int32/bool/uint8 to int64 for sum/prod/cumsum/cumprod), wrap-around; float32 cumprod in
 * float64. amax/amin: NaN wins; argmax/argmin: the first maximum (a NaN counts as the
 * largest), int64 indices; for contiguous int32/16/8 rows: the best value 128 bits at a time,
 * then the first index holding it; all/any of contiguous rows 16 bytes at a time, stopping at
 * the first deciding vector. all/any: of 0/1 bytes, bool out.
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
#define NO_ROW(...) 0
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
/* Integer rows: the best value 128 bits at a time, then the first index holding it. */
#define INT_ROW(dt, op, T, L, VBEST, SPLAT, VEQ, VMASK, BETTER)                                \
  static int64_t dt##_##op##_row(const T* x, size_t n) {                                    \
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
    const v128_t s = SPLAT(best);                                                           \
    for (k = 0; k + L <= n; k += L) {                                                       \
      const uint32_t m = VMASK(VEQ(wasm_v128_load(x + k), s));                              \
      if (m) return (int64_t)(k + __builtin_ctz(m));                                        \
    }                                                                                       \
    for (; k < n; k++)                                                                      \
      if (x[k] == best) break;                                                              \
    return (int64_t)k;                                                                      \
  }
#define ROW_OK16(n) ((n) >= 16)
#define ROW_OK8(n) ((n) >= 8)
#define ROW_OK4(n) ((n) >= 4)
#define INT_ARG(dt, T, L, V, S)                                                              \
  INT_ROW(dt, argmax, T, L, wasm_##V##_max, wasm_##S##_splat, wasm_##S##_eq,                \
          wasm_##S##_bitmask, GT_NAN)                                                       \
  INT_ROW(dt, argmin, T, L, wasm_##V##_min, wasm_##S##_splat, wasm_##S##_eq,                \
          wasm_##S##_bitmask, LT_NAN)                                                       \
  ARGREDUCE_ROWS(dt, argmax, T, GT_NAN, ROW_OK##L, dt##_argmax_row)                         \
  ARGREDUCE_ROWS(dt, argmin, T, LT_NAN, ROW_OK##L, dt##_argmin_row)
INT_ARG(i32, int32_t, 4, i32x4, i32x4)
#define MINMAX_ARG(dt, T, L, V, S)                                                           \
  REDUCE(dt, amax, T, T, T, 0, MAXN, ID, 1) REDUCE(dt, amin, T, T, T, 0, MINN, ID, 1)        \
  INT_ARG(dt, T, L, V, S)
MINMAX_ARG(i16, int16_t, 8, i16x8, i16x8)
MINMAX_ARG(i8, int8_t, 16, i8x16, i8x16)
MINMAX_ARG(u8, uint8_t, 16, u8x16, i8x16)
/* all / any of bool bytes (other dtypes: x != 0 first, on the comparison kernels) */
/* all / any: contiguous rows 16 bytes at a time, stopping at the first deciding vector */
#define ALLANY(op, INIT, C, STOP)                                                            \
  WT_EXPORT void WT_SYM(u8_##op)(size_t outer, size_t n, size_t inner, const uint8_t* x,    \
                                 uint8_t* y) {                                              \
    for (size_t o = 0; o < outer; o++, x += n * inner, y += inner)                          \
      for (size_t i = 0; i < inner; i++) {                                                  \
        uint8_t r = INIT;                                                                   \
        size_t k = 0;                                                                       \
        if (inner == 1)                                                                     \
          for (; k + 16 <= n && r == INIT; k += 16)                                         \
            if (STOP(wasm_v128_load(x + k))) r = !INIT;                                     \
        for (; k < n && r == INIT; k++) r = C(r, x[k * inner + i]);                         \
        y[i] = r;                                                                           \
      }                                                                                     \
  }
#define ALL_STOP(v) (!wasm_i8x16_all_true(v))
ALLANY(all, 1, AND, ALL_STOP)
ALLANY(any, 0, OR, wasm_v128_any_true)
SCAN(f64, cumsum, double, double, ADD, 0.0)
SCAN(f64, cumprod, double, double, MUL, 1.0)
SCAN(f32, cumprod, float, double, MUL, 1.0)
SCAN(i64, cumsum, int64_t, int64_t, IADD, 0)
SCAN(i64, cumprod, int64_t, int64_t, IMUL, 1)

WT_SMALL_END
