/* float64 <-> int64 / int32 dtype conversions (grid_sample's float64 tap indices,
 * torch.arange(n).double()), bit-exact with torch's x86 casts:
 *   void wt_f64_<i64|i32>_copy_<isa>(size_t n, const double* x, I* y)
 *     truncation toward zero; NaN and values outside the integer range give the lowest
 *     integer (cvttsd2si's "integer indefinite"), never a trap
 *   void wt_<i64|i32>_f64_copy_<isa>(size_t n, const I* x, double* y)
 *     round to nearest even (exact for int32)
 */
#include "wt_common.h"

WT_SMALL_BEGIN

WT_EXPORT void WT_SYM(f64_i64_copy)(size_t n, const double* x, int64_t* y) {
  for (size_t i = 0; i < n; i++)
    y[i] = (x[i] >= -0x1.0p63 && x[i] < 0x1.0p63) ? (int64_t)x[i] : INT64_MIN;
}

WT_EXPORT void WT_SYM(f64_i32_copy)(size_t n, const double* x, int32_t* y) {
  for (size_t i = 0; i < n; i++)
    y[i] = (x[i] > -0x1.0p31 - 1.0 && x[i] < 0x1.0p31) ? (int32_t)x[i] : INT32_MIN;
}

WT_EXPORT void WT_SYM(i64_f64_copy)(size_t n, const int64_t* x, double* y) {
  for (size_t i = 0; i < n; i++) y[i] = (double)x[i];
}

WT_EXPORT void WT_SYM(i32_f64_copy)(size_t n, const int32_t* x, double* y) {
  for (size_t i = 0; i < n; i++) y[i] = (double)x[i];
}

WT_SMALL_END
