/* Reductions over the middle axis of a contiguous [outer, n, inner] f32 array:
 *   void wt_f32_<op>_<isa>(size_t outer, size_t n, size_t inner, const float* x, float* y)
 * y is [outer, inner]. var takes `float correction` before x.
 * Errors: sum/mean <= (WT_ROW_BLOCK/16 + n/WT_ROW_BLOCK + 4) eps sum|x| for inner == 1 and
 * (WT_COL_BLOCK + n/WT_COL_BLOCK + 2) eps sum|x| otherwise (eps = 2^-24); prod <= n eps
 * relative; amax/amin exact; var two-pass (mean, then squared deviations);
 * logsumexp <= 4 ulp + the sum bound. n == 0 gives torch's empty results: sum 0, prod 1,
 * mean/var nan, logsumexp -inf, amax -inf, amin +inf.
 * NaN propagates through all of them (amax/amin too, like torch).
 */
#include "wt_fold.h"
#include "wt_vmath.h"

WT_DEFINE_FOLD(sum, wt_op_add, 0.0f, WT_MAP_ID)
WT_DEFINE_FOLD(prod, wt_op_mul, 1.0f, WT_MAP_ID)
WT_DEFINE_FOLD(max, wt_op_max, -__builtin_inff(), WT_MAP_ID)
WT_DEFINE_FOLD(min, wt_op_min, __builtin_inff(), WT_MAP_ID)

/* squared deviation from prm (the mean) and exp(x - prm) (logsumexp) */
static inline v128_t map_sqdev(v128_t v, v128_t m) {
  const v128_t d = wasm_f32x4_sub(v, m);
  return wasm_f32x4_mul(d, d);
}
static inline v128_t map_exp_shift(v128_t v, v128_t m) { return wt_exp(wasm_f32x4_sub(v, m)); }
WT_DEFINE_FOLD(sqdev, wt_op_add, 0.0f, map_sqdev)
WT_DEFINE_FOLD(sumexp, wt_op_add, 0.0f, map_exp_shift)

static inline v128_t fin_id(v128_t v, size_t n) { (void)n; return v; }
static inline v128_t fin_mean(v128_t v, size_t n) { return wasm_f32x4_div(v, WT_SPLAT((float)n)); }

/* inner > 1: chunks of 4 * WT_CHUNK_V columns (contiguous row reads), then a < 4 column tail */
#define DEFINE_SIMPLE(op, fold, FIN)                                                        \
  WT_EXPORT void WT_SYM(f32_##op)(size_t outer, size_t n, size_t inner, const float* x,    \
                                  float* y) {                                              \
    const v128_t zero = WT_SPLAT(0.0f);                                                    \
    v128_t zeros[WT_CHUNK_V], acc[WT_CHUNK_V];                                             \
    for (size_t v = 0; v < WT_CHUNK_V; v++) zeros[v] = zero;                               \
    for (size_t o = 0; o < outer; o++) {                                                   \
      const float* xo = x + o * n * inner;                                                 \
      float* yo = y + o * inner;                                                           \
      if (inner == 1) {                                                                    \
        *yo = wasm_f32x4_extract_lane(FIN(WT_SPLAT(fold_row_##fold(xo, n, zero)), n), 0);  \
        continue;                                                                          \
      }                                                                                    \
      size_t j = 0;                                                                        \
      while (j + 4 <= inner) {                                                             \
        const size_t nv = wt_min_size(WT_CHUNK_V, (inner - j) / 4);                        \
        fold_chunk_##fold(xo + j, n, inner, zeros, nv, acc);                               \
        for (size_t v = 0; v < nv; v++) wasm_v128_store(yo + j + 4 * v, FIN(acc[v], n));   \
        j += 4 * nv;                                                                       \
      }                                                                                    \
      if (j < inner)                                                                       \
        wt_store_c(yo + j, inner - j,                                                      \
                   FIN(fold_cols_##fold(xo + j, n, inner, zero, inner - j), n));           \
    }                                                                                      \
  }

DEFINE_SIMPLE(sum, sum, fin_id)
DEFINE_SIMPLE(mean, sum, fin_mean)
DEFINE_SIMPLE(prod, prod, fin_id)
DEFINE_SIMPLE(amax, max, fin_id)
DEFINE_SIMPLE(amin, min, fin_id)

/* var = sum (x - mean)^2 / max(0, n - correction); 0/0 = nan, positive/0 = inf like torch */
WT_EXPORT void WT_SYM(f32_var)(size_t outer, size_t n, size_t inner, float correction,
                               const float* x, float* y) {
  const v128_t zero = WT_SPLAT(0.0f);
  const float dof = (float)n - correction > 0.0f ? (float)n - correction : 0.0f;
  const v128_t vn = WT_SPLAT((float)n), vdof = WT_SPLAT(dof);
  v128_t zeros[WT_CHUNK_V], vmean[WT_CHUNK_V], vss[WT_CHUNK_V];
  for (size_t v = 0; v < WT_CHUNK_V; v++) zeros[v] = zero;
  for (size_t o = 0; o < outer; o++) {
    const float* xo = x + o * n * inner;
    float* yo = y + o * inner;
    if (inner == 1) {
      const float mean = fold_row_sum(xo, n, zero) / (float)n;
      *yo = fold_row_sqdev(xo, n, WT_SPLAT(mean)) / dof;
      continue;
    }
    size_t j = 0;
    while (j + 4 <= inner) {
      const size_t nv = wt_min_size(WT_CHUNK_V, (inner - j) / 4);
      fold_chunk_sum(xo + j, n, inner, zeros, nv, vmean);
      for (size_t v = 0; v < nv; v++) vmean[v] = wasm_f32x4_div(vmean[v], vn);
      fold_chunk_sqdev(xo + j, n, inner, vmean, nv, vss);
      for (size_t v = 0; v < nv; v++) wasm_v128_store(yo + j + 4 * v, wasm_f32x4_div(vss[v], vdof));
      j += 4 * nv;
    }
    {
      for (; j < inner; j += 4) {
        const size_t c = wt_min_size(4, inner - j);
        const v128_t mean = wasm_f32x4_div(fold_cols_sum(xo + j, n, inner, zero, c), vn);
        const v128_t ss = fold_cols_sqdev(xo + j, n, inner, mean, c);
        wt_store_c(yo + j, c, wasm_f32x4_div(ss, vdof));
      }
    }
  }
}

/* logsumexp = log(sum exp(x - m)) + m, m = max with +-inf replaced by 0 (torch's rule:
 * all -inf -> -inf, any +inf -> +inf, any nan -> nan) */
static inline v128_t lse_shift(v128_t m) {
  return wasm_v128_andnot(m, wasm_f32x4_eq(wasm_f32x4_abs(m), WT_SPLAT(__builtin_inff())));
}

WT_EXPORT void WT_SYM(f32_logsumexp)(size_t outer, size_t n, size_t inner, const float* x,
                                     float* y) {
  const v128_t zero = WT_SPLAT(0.0f);
  v128_t zeros[WT_CHUNK_V], vm[WT_CHUNK_V], vs[WT_CHUNK_V];
  for (size_t v = 0; v < WT_CHUNK_V; v++) zeros[v] = zero;
  for (size_t o = 0; o < outer; o++) {
    const float* xo = x + o * n * inner;
    float* yo = y + o * inner;
    if (inner == 1) {
      const v128_t m = lse_shift(WT_SPLAT(fold_row_max(xo, n, zero)));
      const v128_t s = WT_SPLAT(fold_row_sumexp(xo, n, m));
      *yo = wasm_f32x4_extract_lane(wasm_f32x4_add(wt_log(s), m), 0);
      continue;
    }
    size_t j = 0;
    while (j + 4 <= inner) {
      const size_t nv = wt_min_size(WT_CHUNK_V, (inner - j) / 4);
      fold_chunk_max(xo + j, n, inner, zeros, nv, vm);
      for (size_t v = 0; v < nv; v++) vm[v] = lse_shift(vm[v]);
      fold_chunk_sumexp(xo + j, n, inner, vm, nv, vs);
      for (size_t v = 0; v < nv; v++)
        wasm_v128_store(yo + j + 4 * v, wasm_f32x4_add(wt_log(vs[v]), vm[v]));
      j += 4 * nv;
    }
    {
      for (; j < inner; j += 4) {
        const size_t c = wt_min_size(4, inner - j);
        const v128_t m = lse_shift(fold_cols_max(xo + j, n, inner, zero, c));
        const v128_t s = fold_cols_sumexp(xo + j, n, inner, m, c);
        wt_store_c(yo + j, c, wasm_f32x4_add(wt_log(s), m));
      }
    }
  }
}

/* float16 / bfloat16 rows (inner == 1; the caller permutes other layouts) into float32
 * results, torch's opmath: each row converted WT_ROW_BLOCK elements at a time into float32 on
 * the stack (wt_half.h, exact), folded as above, the block results combined in float32:
 *   void wt_<h>_<op>_rows_<isa>(size_t rows, size_t n, [float correction,] const uint16_t* x,
 *                               float* y)  op: sum mean prod var logsumexp nansum nanmean
 * nansum / nanmean: NaN read as zero; nanmean divides by the count of the others (0/0: NaN). */
#include "wt_hrow.h"

enum { H_SUM, H_PROD, H_MAX, H_SQDEV, H_SUMEXP, H_NANSUM, H_NANMEAN };

/* m halves -> t, zero-filled to a multiple of 8 (wt_hrow.h's row converter); nan: NaN -> 0,
 * and the count of the others is returned */
static inline __attribute__((always_inline)) size_t h_block(const uint16_t* x, size_t m,
                                                            float* t, int bf, int nan) {
  size_t count = m, k = 0;
  v128_t lo, hi;
  if (bf) {
    for (; k + 8 <= m; k += 8) {
      wt_bin8(wasm_v128_load(x + k), &lo, &hi);
      wasm_v128_store(t + k, lo);
      wasm_v128_store(t + k + 4, hi);
    }
  } else {
    const wt_hin kin = wt_hin_k();
    for (; k + 8 <= m; k += 8) {
      wt_hin8(wasm_v128_load(x + k), &lo, &hi, &kin);
      wasm_v128_store(t + k, lo);
      wasm_v128_store(t + k + 4, hi);
    }
  }
  if (k < m) wt_hrow_to_f32(bf, x + k, t + k, m - k);
  for (k = m; k & 7; k++) t[k] = 0.0f;
  if (nan)
    for (size_t k = 0; k < m; k += 4) {
      const v128_t v = wasm_v128_load(t + k), ok = wasm_f32x4_eq(v, v);
      wasm_v128_store(t + k, wasm_v128_and(v, ok));
      count -= __builtin_popcount(~wasm_i32x4_bitmask(ok) & 0xF);
    }
  return count;
}

/* out of line, op at run time: one copy of each fold in the module */
__attribute__((noinline)) static float h_row(const uint16_t* x, size_t n, int bf, int op,
                                             v128_t prm) {
  float t[WT_ROW_BLOCK];
  v128_t acc = WT_SPLAT(op == H_PROD ? 1.0f : op == H_MAX ? -__builtin_inff() : 0.0f);
  size_t count = 0;
  for (size_t k0 = 0; k0 < n; k0 += WT_ROW_BLOCK) {
    const size_t m = wt_min_size(WT_ROW_BLOCK, n - k0);
    count += h_block(x + k0, m, t, bf, op >= H_NANSUM);
    switch (op) {
      case H_SUM:
      case H_NANSUM:
      case H_NANMEAN: acc = wasm_f32x4_add(acc, WT_SPLAT(fold_row_sum(t, m, prm))); break;
      case H_PROD: acc = wasm_f32x4_mul(acc, WT_SPLAT(fold_row_prod(t, m, prm))); break;
      case H_MAX: acc = wt_op_max(acc, WT_SPLAT(fold_row_max(t, m, prm))); break;
      default: acc = wasm_f32x4_add(acc, WT_SPLAT(fold_row_sumexp(t, m, prm)));
    }
  }
  return wasm_f32x4_extract_lane(acc, 0) / (op == H_NANMEAN ? (float)count : 1.0f);
}

/* var of one row, one conversion per block: each block's mean and squared deviations from
 * the float32 copy, merged by Chan's formula */
static float h_var(const uint16_t* x, size_t n, int bf) {
  float t[WT_ROW_BLOCK], mean = 0.0f, m2 = 0.0f;
  for (size_t k0 = 0; k0 < n; k0 += WT_ROW_BLOCK) {
    const size_t m = wt_min_size(WT_ROW_BLOCK, n - k0);
    h_block(x + k0, m, t, bf, 0);
    const float bm = fold_row_sum(t, m, WT_SPLAT(0.0f)) / (float)m;
    const float bm2 = fold_row_sqdev(t, m, WT_SPLAT(bm));
    const float d = bm - mean, w = (float)m / (float)(k0 + m);
    mean += d * w;
    m2 += bm2 + d * d * (float)k0 * w;
  }
  return n ? m2 : __builtin_nanf("");
}

__attribute__((noinline)) static void h_rows(size_t rows, size_t n, float correction,
                                             const uint16_t* x, float* y, int bf, int op) {
  const v128_t zero = WT_SPLAT(0.0f);
  const float dof = (float)n - correction > 0.0f ? (float)n - correction : 0.0f;
  for (size_t r = 0; r < rows; r++, x += n) {
    if (op == H_SQDEV) {                                   /* var */
      y[r] = h_var(x, n, bf) / dof;
    } else if (op == H_SUMEXP) {                           /* logsumexp */
      const v128_t m = lse_shift(WT_SPLAT(h_row(x, n, bf, H_MAX, zero)));
      y[r] = wasm_f32x4_extract_lane(
          wasm_f32x4_add(wt_log(WT_SPLAT(h_row(x, n, bf, H_SUMEXP, m))), m), 0);
    } else {
      y[r] = h_row(x, n, bf, op, zero) / (correction ? (float)n : 1.0f);   /* mean: / n */
    }
  }
}

#define HALF_ROWS(h, bf)                                                                     \
  WT_EXPORT void WT_SYM(h##_sum_rows)(size_t rows, size_t n, const uint16_t* x, float* y) { \
    h_rows(rows, n, 0.0f, x, y, bf, H_SUM);                                                 \
  }                                                                                         \
  WT_EXPORT void WT_SYM(h##_mean_rows)(size_t rows, size_t n, const uint16_t* x, float* y) { \
    h_rows(rows, n, 1.0f, x, y, bf, H_SUM);                                                 \
  }                                                                                         \
  WT_EXPORT void WT_SYM(h##_prod_rows)(size_t rows, size_t n, const uint16_t* x, float* y) { \
    h_rows(rows, n, 0.0f, x, y, bf, H_PROD);                                                \
  }                                                                                         \
  WT_EXPORT void WT_SYM(h##_var_rows)(size_t rows, size_t n, float correction,              \
                                      const uint16_t* x, float* y) {                        \
    h_rows(rows, n, correction, x, y, bf, H_SQDEV);                                         \
  }                                                                                         \
  WT_EXPORT void WT_SYM(h##_logsumexp_rows)(size_t rows, size_t n, const uint16_t* x,       \
                                            float* y) {                                     \
    h_rows(rows, n, 0.0f, x, y, bf, H_SUMEXP);                                              \
  }                                                                                         \
  WT_EXPORT void WT_SYM(h##_nansum_rows)(size_t rows, size_t n, const uint16_t* x,          \
                                         float* y) {                                        \
    h_rows(rows, n, 0.0f, x, y, bf, H_NANSUM);                                              \
  }                                                                                         \
  WT_EXPORT void WT_SYM(h##_nanmean_rows)(size_t rows, size_t n, const uint16_t* x,         \
                                          float* y) {                                       \
    h_rows(rows, n, 0.0f, x, y, bf, H_NANMEAN);                                             \
  }
HALF_ROWS(f16, 0)
HALF_ROWS(bf16, 1)

/* float16 / bfloat16 dot products of contiguous rows with one vector (dot, mv), float32
 * accumulation (torch's opmath) into float32:
 *   void wt_<h>_dot_rows_<isa>(size_t rows, size_t n, const uint16_t* a, const uint16_t* b,
 *                              float* y)        y[r] = sum_k a[r, k] * b[k] */
__attribute__((noinline)) static void h_dot_rows(size_t rows, size_t n, const uint16_t* a,
                                                 const uint16_t* b, float* y, int bf) {
  float ta[WT_ROW_BLOCK], tb[WT_ROW_BLOCK];
  for (size_t r = 0; r < rows; r++) y[r] = 0.0f;
  for (size_t k0 = 0; k0 < n; k0 += WT_ROW_BLOCK) {    /* b's block converted once */
    const size_t m = wt_min_size(WT_ROW_BLOCK, n - k0);
    h_block(b + k0, m, tb, bf, 0);
    for (size_t r = 0; r < rows; r++) {
      h_block(a + r * n + k0, m, ta, bf, 0);
      v128_t acc0 = WT_SPLAT(0.0f), acc1 = acc0;
      for (size_t k = 0; k < m; k += 8) {     /* h_block zero-fills to a multiple of 8 */
        acc0 = WT_MADD(wasm_v128_load(ta + k), wasm_v128_load(tb + k), acc0);
        acc1 = WT_MADD(wasm_v128_load(ta + k + 4), wasm_v128_load(tb + k + 4), acc1);
      }
      y[r] += wasm_f32x4_extract_lane(wt_hsum4(wasm_f32x4_add(acc0, acc1), acc0, acc0, acc0), 0);
    }
  }
}
WT_EXPORT void WT_SYM(f16_dot_rows)(size_t rows, size_t n, const uint16_t* a, const uint16_t* b,
                                    float* y) {
  h_dot_rows(rows, n, a, b, y, 0);
}
WT_EXPORT void WT_SYM(bf16_dot_rows)(size_t rows, size_t n, const uint16_t* a,
                                     const uint16_t* b, float* y) {
  h_dot_rows(rows, n, a, b, y, 1);
}
