/* layer_norm / rms_norm over rows of a contiguous [rows, n] float64 array (group_norm runs on
 * layer_norm), f32-norm's forms with eps passed as a double in memory:
 *   void wt_f64_layer_norm_<isa>(size_t rows, size_t n, size_t flags, const double* eps,
 *                                const double* x, const double* w, const double* b, double* y)
 *   void wt_f64_rms_norm_<isa>(size_t rows, size_t n, size_t flags, const double* eps,
 *                              const double* x, const double* w, double* y)
 * flags: bit 0 = w given, bit 1 = b given (absent pointers are never read). y == x allowed.
 * Two passes in double (mean, then the centred sum of squares: no cancellation), then
 * y = (x - mean) * rstd * w + b; rms: y = x * rstd * w with rstd = 1 / sqrt(mean(x^2) + eps).
 * Sums over eight partial sums. Error: a few ulp of float64 (torch sums in another order).
 */
#include "wt_common.h"

WT_SMALL_BEGIN

/* sum of (x - c)^2 (sq) or of x - c over a row: four f64x2 partial sums (eight chains: the
 * adds' latency, not their count, set a single chain's speed), then the tail */
static double row_fold(const double* x, size_t n, double c, int sq) {
  const v128_t cv = wasm_f64x2_splat(c);
  v128_t a[4] = {wasm_f64x2_splat(0.0), wasm_f64x2_splat(0.0), wasm_f64x2_splat(0.0),
                 wasm_f64x2_splat(0.0)};
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 4; k++) {
      const v128_t d = wasm_f64x2_sub(wasm_v128_load(x + i + 2 * k), cv);
      a[k] = wasm_f64x2_add(a[k], sq ? wasm_f64x2_mul(d, d) : d);
    }
  const v128_t t = wasm_f64x2_add(wasm_f64x2_add(a[0], a[1]), wasm_f64x2_add(a[2], a[3]));
  double s = wasm_f64x2_extract_lane(t, 0) + wasm_f64x2_extract_lane(t, 1);
  for (; i < n; i++) s += sq ? (x[i] - c) * (x[i] - c) : x[i] - c;
  return s;
}

/* y = (x - c) * r (* w) (+ b) over a row (flags: bit 0 w, bit 1 b) */
static void row_out(const double* x, size_t n, double c, double r, size_t flags,
                    const double* w, const double* b, double* y) {
  const v128_t cv = wasm_f64x2_splat(c), rv = wasm_f64x2_splat(r);
  size_t i = 0;
  for (; i + 2 <= n; i += 2) {
    v128_t v = wasm_f64x2_mul(wasm_f64x2_sub(wasm_v128_load(x + i), cv), rv);
    if (flags & 1) v = wasm_f64x2_mul(v, wasm_v128_load(w + i));
    if (flags & 2) v = wasm_f64x2_add(v, wasm_v128_load(b + i));
    wasm_v128_store(y + i, v);
  }
  for (; i < n; i++) {
    double v = (x[i] - c) * r;
    if (flags & 1) v *= w[i];
    if (flags & 2) v += b[i];
    y[i] = v;
  }
}

WT_EXPORT void WT_SYM(f64_layer_norm)(size_t rows, size_t n, size_t flags, const double* eps,
                                      const double* x, const double* w, const double* b,
                                      double* y) {
  for (size_t r = 0; r < rows; r++, x += n, y += n) {
    const double mean = row_fold(x, n, 0.0, 0) / (double)n;
    const double q = row_fold(x, n, mean, 1);
    row_out(x, n, mean, 1.0 / __builtin_sqrt(q / (double)n + eps[0]), flags & 3, w, b, y);
  }
}

WT_EXPORT void WT_SYM(f64_rms_norm)(size_t rows, size_t n, size_t flags, const double* eps,
                                    const double* x, const double* w, double* y) {
  for (size_t r = 0; r < rows; r++, x += n, y += n) {
    const double q = row_fold(x, n, 0.0, 1);
    row_out(x, n, 0.0, 1.0 / __builtin_sqrt(q / (double)n + eps[0]), flags & 1, w, w, y);
  }
}

WT_SMALL_END
