/* F.grid_sample of 4-D inputs, float32 / float64 (ops/grid_sample.py):
 *   void wt_<dt>_grid_sample_<isa>(size_t n, size_t c, size_t h, size_t w, size_t ho,
 *                                  size_t wo, size_t flags, const T* x, const T* grid, T* y)
 *   x [n, c, h, w], grid [n, ho, wo, 2] (x, y in [-1, 1]), y [n, c, ho, wo], contiguous;
 *   flags & 1: nearest (else bilinear), (flags >> 1) & 3: padding 0 zeros, 1 border,
 *   2 reflection; flags & 8: align_corners. torch's CPU formulas (grid_sampler_2d): source
 *   index unnormalised, clipped / reflected, four taps weighted by the opposite areas
 *   (nearest: round half to even); taps outside the image are skipped.
 * Scalar: taps and weights of a block of output pixels first, then each channel's plane over
 * that block (reads stay near each other). Offsets are int32 (the caller checks the sizes).
 */
#include "wt_common.h"

#define GRID_BLOCK 256

#define GRID_SAMPLE(dt, T, FLOOR, RINT)                                                        \
  static T dt##_reflect(T v, T lo2, T hi2) {                                                   \
    if (lo2 == hi2) return 0;                                                                  \
    const T lo = lo2 / 2, span = (hi2 - lo2) / 2;                                              \
    v = v - lo < 0 ? lo - v : v - lo;                                                          \
    const T flips = FLOOR(v / span), extra = v - flips * span;                                 \
    return FLOOR(flips / 2) * 2 == flips ? extra + lo : span - extra + lo;                    \
  }                                                                                            \
  static T dt##_source(T v, size_t size, size_t pad, int align) {                              \
    const T s = (T)size;                                                                       \
    v = align ? (v + 1) / 2 * (s - 1) : ((v + 1) * s - 1) / 2;                                 \
    if (pad == 2) v = align ? dt##_reflect(v, 0, 2 * (s - 1)) : dt##_reflect(v, -1, 2 * s - 1); \
    if (pad) v = v < 0 ? 0 : v > s - 1 ? s - 1 : v;                                           \
    return v;                                                                                  \
  }                                                                                            \
  WT_EXPORT void WT_SYM(dt##_grid_sample)(size_t n, size_t c, size_t h, size_t w, size_t ho,   \
                                          size_t wo, size_t flags, const T* x, const T* grid, \
                                          T* y) {                                              \
    const size_t pad = (flags >> 1) & 3, plane = h * w, opl = ho * wo;                         \
    const int align = (flags & 8) != 0;                                                        \
    for (size_t b = 0; b < n; b++) {                                                           \
      const T* xb = x + b * c * plane;                                                         \
      T* yb = y + b * c * opl;                                                                 \
      for (size_t q0 = 0; q0 < opl; q0 += GRID_BLOCK) {                                        \
        const size_t m = wt_min_size(GRID_BLOCK, opl - q0);                                    \
        int32_t off[GRID_BLOCK][4];                                                            \
        T wt[GRID_BLOCK][4];                                                                   \
        for (size_t q = 0; q < m; q++) {                                                       \
          const T* gq = grid + 2 * (b * opl + q0 + q);                                         \
          const T gx = dt##_source(gq[0], w, pad, align), gy = dt##_source(gq[1], h, pad, align); \
          const int nearest = flags & 1;                                                       \
          const T x0 = nearest ? RINT(gx) : FLOOR(gx), y0 = nearest ? RINT(gy) : FLOOR(gy);    \
          const T x1 = x0 + 1, y1 = y0 + 1;                                                    \
          const T ws[4] = {(x1 - gx) * (y1 - gy), (gx - x0) * (y1 - gy), (x1 - gx) * (gy - y0), \
                           (gx - x0) * (gy - y0)};                                             \
          for (int k = 0; k < 4; k++) {                                                        \
            const T tx = k & 1 ? x1 : x0, ty = k & 2 ? y1 : y0;                                \
            const int in = (!nearest || k == 0) && tx >= 0 && tx <= (T)w - 1 && ty >= 0 &&     \
                           ty <= (T)h - 1;                                                     \
            off[q][k] = in ? (int32_t)ty * (int32_t)w + (int32_t)tx : -1;                      \
            wt[q][k] = nearest ? 1 : ws[k];                                                    \
          }                                                                                    \
        }                                                                                      \
        for (size_t ch = 0; ch < c; ch++) {                                                    \
          const T* xc = xb + ch * plane;                                                       \
          T* yc = yb + ch * opl + q0;                                                          \
          for (size_t q = 0; q < m; q++) {                                                     \
            T acc = 0;                                                                         \
            for (int k = 0; k < 4; k++)                                                        \
              if (off[q][k] >= 0) acc += xc[off[q][k]] * wt[q][k];                             \
            yc[q] = acc;                                                                       \
          }                                                                                    \
        }                                                                                      \
      }                                                                                        \
    }                                                                                          \
  }

GRID_SAMPLE(f32, float, __builtin_floorf, __builtin_rintf)
GRID_SAMPLE(f64, double, __builtin_floor, __builtin_rint)
