/* 2-D pooling over NCHW planes for float64 and the integers torch pools (scalar loops; the
 * float32 kernels are f32-pool/, whose argument forms these share):
 *   wt_<f64|i64|i32>_max_pool2d_indices_<isa>(planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw,
 *                                             dh, dw, x, y, idx)   idx: int64, iy * w + ix
 *   wt_<f64|i64>_avg_pool2d_<isa>(planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw,
 *                                 count_include_pad, divisor_override (0: none), x, y)
 *   wt_f64_adaptive_avg_pool2d_<isa>(planes, h, w, oh, ow, x, y)
 *   wt_f64_adaptive_max_pool2d_<isa>(planes, h, w, oh, ow, x, y, idx)
 * torch's CPU rules: windows clipped to the input; max keeps the first maximum and a NaN wins
 * (integers start from the type's lowest value, so an all-lowest window gives its first
 * position); avg sums row by row, then divides once (integers: sums wrap, the quotient
 * truncates toward zero, as torch's int64 avg_pool2d). Exact for max; avg as torch's loop.
 */
#include "wt_common.h"
#include "../f32-conv/wt_window.h"

WT_SMALL_BEGIN

#define DEFINE_MAX_POOL(name, T, LOWEST)                                                   \
  WT_EXPORT void WT_SYM(name)(size_t planes, size_t h, size_t w, size_t oh, size_t ow,     \
                              size_t kh, size_t kw, size_t sh, size_t sw, size_t ph,       \
                              size_t pw, size_t dh, size_t dw, const T* x, T* y,           \
                              int64_t* idx) {                                              \
    const ptrdiff_t H = (ptrdiff_t)h, W = (ptrdiff_t)w;                                    \
    for (size_t p = 0; p < planes; p++, x += H * W)                                        \
      for (ptrdiff_t oy = 0; oy < (ptrdiff_t)oh; oy++)                                     \
        for (ptrdiff_t ox = 0; ox < (ptrdiff_t)ow; ox++, y++, idx++) {                     \
          ptrdiff_t y0 = oy * (ptrdiff_t)sh - (ptrdiff_t)ph;                               \
          ptrdiff_t x0 = ox * (ptrdiff_t)sw - (ptrdiff_t)pw;                               \
          const ptrdiff_t y1 = y0 + (ptrdiff_t)((kh - 1) * dh) + 1;                        \
          const ptrdiff_t x1 = x0 + (ptrdiff_t)((kw - 1) * dw) + 1;                        \
          while (y0 < 0) y0 += (ptrdiff_t)dh;                                              \
          while (x0 < 0) x0 += (ptrdiff_t)dw;                                              \
          T m = LOWEST;                                                                    \
          int64_t best = y0 * W + x0;                                                      \
          for (ptrdiff_t iy = y0; iy < (y1 < H ? y1 : H); iy += (ptrdiff_t)dh)             \
            for (ptrdiff_t ix = x0; ix < (x1 < W ? x1 : W); ix += (ptrdiff_t)dw) {         \
              const T v = x[iy * W + ix];                                                  \
              if (v > m || v != v) m = v, best = iy * W + ix;                              \
            }                                                                              \
          *y = m;                                                                          \
          *idx = best;                                                                     \
        }                                                                                  \
  }

/* S: the sum's type (unsigned for integers: wraps); Q: the quotient's */
#define DEFINE_AVG_POOL(name, T, S, Q)                                                     \
  WT_EXPORT void WT_SYM(name)(size_t planes, size_t h, size_t w, size_t oh, size_t ow,     \
                              size_t kh, size_t kw, size_t sh, size_t sw, size_t ph,       \
                              size_t pw, size_t count_include_pad,                         \
                              int32_t divisor_override, const T* x, T* y) {                \
    const ptrdiff_t H = (ptrdiff_t)h, W = (ptrdiff_t)w;                                    \
    for (size_t p = 0; p < planes; p++, x += H * W)                                        \
      for (ptrdiff_t oy = 0; oy < (ptrdiff_t)oh; oy++)                                     \
        for (ptrdiff_t ox = 0; ox < (ptrdiff_t)ow; ox++, y++) {                            \
          const ptrdiff_t y0 = oy * (ptrdiff_t)sh - (ptrdiff_t)ph;                         \
          const ptrdiff_t x0 = ox * (ptrdiff_t)sw - (ptrdiff_t)pw;                         \
          ptrdiff_t y1 = y0 + (ptrdiff_t)kh, x1 = x0 + (ptrdiff_t)kw;                      \
          if (y1 > H + (ptrdiff_t)ph) y1 = H + (ptrdiff_t)ph;                              \
          if (x1 > W + (ptrdiff_t)pw) x1 = W + (ptrdiff_t)pw;                              \
          const ptrdiff_t pool = (y1 - y0) * (x1 - x0);                                    \
          const ptrdiff_t vy0 = y0 < 0 ? 0 : y0, vy1 = y1 > H ? H : y1;                    \
          const ptrdiff_t vx0 = x0 < 0 ? 0 : x0, vx1 = x1 > W ? W : x1;                    \
          if (vy0 >= vy1 || vx0 >= vx1) {                                                  \
            *y = 0;                                                                        \
            continue;                                                                      \
          }                                                                                \
          S s = 0;                                                                         \
          for (ptrdiff_t iy = vy0; iy < vy1; iy++)                                         \
            for (ptrdiff_t ix = vx0; ix < vx1; ix++) s += (S)x[iy * W + ix];               \
          const ptrdiff_t d = divisor_override ? divisor_override                          \
                              : count_include_pad ? pool : (vy1 - vy0) * (vx1 - vx0);      \
          *y = (T)((Q)s / (Q)d);                                                           \
        }                                                                                  \
  }

DEFINE_MAX_POOL(f64_max_pool2d_indices, double, -__builtin_inf())
DEFINE_MAX_POOL(i64_max_pool2d_indices, int64_t, INT64_MIN)
DEFINE_MAX_POOL(i32_max_pool2d_indices, int32_t, INT32_MIN)
DEFINE_AVG_POOL(f64_avg_pool2d, double, double, double)
DEFINE_AVG_POOL(i64_avg_pool2d, int64_t, uint64_t, int64_t)

/* adaptive windows: [floor(i*n/o), ceil((i+1)*n/o)) */
static inline ptrdiff_t a_start(ptrdiff_t i, ptrdiff_t n, ptrdiff_t o) { return i * n / o; }
static inline ptrdiff_t a_end(ptrdiff_t i, ptrdiff_t n, ptrdiff_t o) {
  return ((i + 1) * n + o - 1) / o;
}

/* max: idx non-NULL; avg: idx NULL */
static void adaptive(size_t planes, size_t h, size_t w, size_t oh, size_t ow, const double* x,
                     double* y, int64_t* idx) {
  const ptrdiff_t H = (ptrdiff_t)h, W = (ptrdiff_t)w, OH = (ptrdiff_t)oh, OW = (ptrdiff_t)ow;
  for (size_t p = 0; p < planes; p++, x += H * W)
    for (ptrdiff_t i = 0; i < OH; i++) {
      const ptrdiff_t y0 = a_start(i, H, OH), y1 = a_end(i, H, OH);
      for (ptrdiff_t j = 0; j < OW; j++, y++) {
        const ptrdiff_t x0 = a_start(j, W, OW), x1 = a_end(j, W, OW);
        double m = idx ? -__builtin_inf() : 0.0;
        int64_t best = y0 * W + x0;
        for (ptrdiff_t iy = y0; iy < y1; iy++)
          for (ptrdiff_t ix = x0; ix < x1; ix++) {
            const double v = x[iy * W + ix];
            if (!idx) m += v;
            else if (v > m || v != v) m = v, best = iy * W + ix;
          }
        if (idx) *idx++ = best;
        *y = idx ? m : m / (double)((y1 - y0) * (x1 - x0));
      }
    }
}

WT_EXPORT void WT_SYM(f64_adaptive_avg_pool2d)(size_t planes, size_t h, size_t w, size_t oh,
                                               size_t ow, const double* x, double* y) {
  adaptive(planes, h, w, oh, ow, x, y, NULL);
}

WT_EXPORT void WT_SYM(f64_adaptive_max_pool2d)(size_t planes, size_t h, size_t w, size_t oh,
                                               size_t ow, const double* x, double* y,
                                               int64_t* idx) {
  adaptive(planes, h, w, oh, ow, x, y, idx);
}

WT_SMALL_END
