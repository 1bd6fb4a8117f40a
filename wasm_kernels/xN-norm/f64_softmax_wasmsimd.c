/* float64 softmax / log_softmax over contiguous rows (the last dim):
 *   void wt_f64_softmax_<isa>(size_t rows, size_t n, size_t flags, const double* x, double* y)
 *   flags & 2: log_softmax. y == x allowed.
 * torch's steps fused per row (the row stays in cache between them): m = max (nan if any
 * is), e = exp(x - m) into y by f64-vunary's f64_exp kernel, s = sum(e); softmax y = e / s,
 * log_softmax y = (x - m) - log(s) (f64_log). Like torch, a row with +inf or all -inf gives
 * nan. Errors: exp's 1 ulp and the sum's rounding.
 */
#include "wt_common.h"

void WT_SYM(f64_exp)(size_t n, const double* x, double* y);
void WT_SYM(f64_log)(size_t n, const double* x, double* y);

static double row_max(const double* x, size_t n) {
  v128_t a = wasm_f64x2_splat(-__builtin_inf()), b = a;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    a = wasm_f64x2_max(a, wasm_v128_load(x + i));
    b = wasm_f64x2_max(b, wasm_v128_load(x + i + 2));
  }
  for (; i + 2 <= n; i += 2) a = wasm_f64x2_max(a, wasm_v128_load(x + i));
  if (i < n) a = wasm_f64x2_max(a, wasm_f64x2_splat(x[i]));
  a = wasm_f64x2_max(a, b);
  const double p = wasm_f64x2_extract_lane(a, 0), q = wasm_f64x2_extract_lane(a, 1);
  return p != p ? p : q != q ? q : p > q ? p : q;
}

/* y = a * x + c over n doubles (v: x - m with c = -m, a = 1; or e * (1 / s)) */
static void affine(const double* x, size_t n, double a, double c, double* y) {
  const v128_t av = wasm_f64x2_splat(a), cv = wasm_f64x2_splat(c);
  size_t i = 0;
  for (; i + 2 <= n; i += 2)
    wasm_v128_store(y + i, wasm_f64x2_add(wasm_f64x2_mul(wasm_v128_load(x + i), av), cv));
  if (i < n) y[i] = x[i] * a + c;
}

static double row_sum(const double* x, size_t n) {
  v128_t a = wasm_f64x2_splat(0.0), b = a;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    a = wasm_f64x2_add(a, wasm_v128_load(x + i));
    b = wasm_f64x2_add(b, wasm_v128_load(x + i + 2));
  }
  for (; i + 2 <= n; i += 2) a = wasm_f64x2_add(a, wasm_v128_load(x + i));
  a = wasm_f64x2_add(a, b);
  double s = wasm_f64x2_extract_lane(a, 0) + wasm_f64x2_extract_lane(a, 1);
  if (i < n) s += x[i];
  return s;
}

#define WT_F64_BLOCK 2048   /* exp(x - m) in blocks that stay in L1 for the sum */
static double scratch[WT_F64_BLOCK];

WT_EXPORT void WT_SYM(f64_softmax)(size_t rows, size_t n, size_t flags, const double* x,
                                   double* y) {
  const int log = (flags & 2) != 0;
  for (size_t r = 0; r < rows; r++, x += n, y += n) {
    const double m = row_max(x, n);
    double s = 0.0, ls;
    for (size_t k = 0; k < n; k += WT_F64_BLOCK) {   /* log_softmax keeps x: a scratch block */
      const size_t b = wt_min_size(WT_F64_BLOCK, n - k);
      double* e = log ? scratch : y + k;
      affine(x + k, b, 1.0, -m, e);
      WT_SYM(f64_exp)(b, e, e);
      s += row_sum(e, b);
    }
    if (log) {
      WT_SYM(f64_log)(1, &s, &ls);
      affine(x, n, 1.0, -m, y);       /* (x - m) - log(s), rounded as torch's two steps */
      affine(y, n, 1.0, -ls, y);
    } else {
      affine(y, n, 1.0 / s, 0.0, y);  /* times 1 / s, as torch's vectorised softmax */
    }
  }
}
