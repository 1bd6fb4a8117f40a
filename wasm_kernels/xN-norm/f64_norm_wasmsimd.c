/* layer_norm / rms_norm over rows of a contiguous [rows, n] float64 array (group_norm runs on
 * layer_norm), f32-norm's forms with eps passed as a double in memory:
 *   void wt_f64_layer_norm_<isa>(size_t rows, size_t n, size_t flags, const double* eps,
 *                                const double* x, const double* w, const double* b, double* y)
 *   void wt_f64_rms_norm_<isa>(size_t rows, size_t n, size_t flags, const double* eps,
 *                              const double* x, const double* w, double* y)
 * flags: bit 0 = w given, bit 1 = b given (absent pointers are never read). y == x allowed.
 * Two passes in double (mean, then the centred sum of squares: no cancellation), then
 * y = (x - mean) * rstd * w + b; rms: y = x * rstd * w with rstd = 1 / sqrt(mean(x^2) + eps).
 * Error: a few ulp of float64 (torch sums in another order).
 */
#include "wt_common.h"

WT_SMALL_BEGIN

WT_EXPORT void WT_SYM(f64_layer_norm)(size_t rows, size_t n, size_t flags, const double* eps,
                                      const double* x, const double* w, const double* b,
                                      double* y) {
  for (size_t r = 0; r < rows; r++, x += n, y += n) {
    double s = 0.0, q = 0.0;
    for (size_t i = 0; i < n; i++) s += x[i];
    const double mean = s / (double)n;
    for (size_t i = 0; i < n; i++) q += (x[i] - mean) * (x[i] - mean);
    const double rstd = 1.0 / __builtin_sqrt(q / (double)n + eps[0]);
    for (size_t i = 0; i < n; i++) {
      double v = (x[i] - mean) * rstd;
      if (flags & 1) v *= w[i];
      if (flags & 2) v += b[i];
      y[i] = v;
    }
  }
}

WT_EXPORT void WT_SYM(f64_rms_norm)(size_t rows, size_t n, size_t flags, const double* eps,
                                    const double* x, const double* w, double* y) {
  for (size_t r = 0; r < rows; r++, x += n, y += n) {
    double q = 0.0;
    for (size_t i = 0; i < n; i++) q += x[i] * x[i];
    const double rstd = 1.0 / __builtin_sqrt(q / (double)n + eps[0]);
    for (size_t i = 0; i < n; i++) y[i] = (flags & 1) ? x[i] * rstd * w[i] : x[i] * rstd;
  }
}

WT_SMALL_END
