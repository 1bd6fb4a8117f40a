/* F.grid_sample of 4-D inputs, float32 / float64 / float16 / bfloat16 (ops/grid_sample.py):
 *   void wt_<dt>_grid_sample_<isa>(size_t n, size_t c, size_t h, size_t w, size_t ho,
 *                                  size_t wo, size_t flags, const T* x, const T* grid, T* y)
 *   x [n, c, h, w], grid [n, ho, wo, 2] (x, y in [-1, 1]), y [n, c, ho, wo], contiguous, all
 *   of dtype dt; flags & 1: nearest (else bilinear), (flags >> 1) & 3: padding 0 zeros,
 *   1 border, 2 reflection; flags & 8: align_corners. torch's CPU formulas (grid_sampler_2d):
 *   source index unnormalised, clipped / reflected, four taps weighted by the opposite areas
 *   (nearest: round half to even); taps outside the image count zero (masked: an inf or NaN
 *   at the clamped offset does not leak in).
 * Taps and weights of a block of output pixels first (float16 / bfloat16: the grid block
 * widened to float32, which is exact), then each channel's plane over that block: float32
 * four pixels at a time in float32 lanes (each tap a 4-lane gather), the halves eight (a
 * tap's eight halves widened in one go, the sums rounded once); float64 scalar, skipping
 * the taps outside. Offsets are int32 (the caller checks the sizes).
 */
#include "wt_common.h"
#include "wt_half.h"

#define GRID_BLOCK 256

/* the taps of m output pixels from their grid pairs g: offsets (0 outside), weights (0
 * outside), in-image masks (-1 / 0); padded with empty taps to a multiple of 8 pixels */
#define GRID_TAPS(dt, C, FLOOR, RINT)                                                          \
  static C dt##_reflect(C v, C lo2, C hi2) {                                                   \
    if (lo2 == hi2) return 0;                                                                  \
    const C lo = lo2 / 2, span = (hi2 - lo2) / 2;                                              \
    v = v - lo < 0 ? lo - v : v - lo;                                                          \
    const C flips = FLOOR(v / span), extra = v - flips * span;                                 \
    return FLOOR(flips / 2) * 2 == flips ? extra + lo : span - extra + lo;                    \
  }                                                                                            \
  static C dt##_source(C v, size_t size, size_t pad, int align) {                              \
    const C s = (C)size;                                                                       \
    v = align ? (v + 1) / 2 * (s - 1) : ((v + 1) * s - 1) / 2;                                 \
    if (pad == 2) v = align ? dt##_reflect(v, 0, 2 * (s - 1)) : dt##_reflect(v, -1, 2 * s - 1); \
    if (pad) v = v < 0 ? 0 : v > s - 1 ? s - 1 : v;                                           \
    return v;                                                                                  \
  }                                                                                            \
  static void dt##_taps(const C* g, size_t m, size_t h, size_t w, size_t flags,                \
                        int32_t (*off)[GRID_BLOCK], C (*wt)[GRID_BLOCK],                       \
                        int32_t (*ok)[GRID_BLOCK]) {                                           \
    const size_t pad = (flags >> 1) & 3;                                                       \
    const int align = (flags & 8) != 0, nearest = flags & 1;                                   \
    for (size_t q = 0; q < m; q++) {                                                           \
      const C gx = dt##_source(g[2 * q], w, pad, align);                                       \
      const C gy = dt##_source(g[2 * q + 1], h, pad, align);                                   \
      const C x0 = nearest ? RINT(gx) : FLOOR(gx), y0 = nearest ? RINT(gy) : FLOOR(gy);        \
      const C x1 = x0 + 1, y1 = y0 + 1;                                                        \
      const C ws[4] = {(x1 - gx) * (y1 - gy), (gx - x0) * (y1 - gy), (x1 - gx) * (gy - y0),    \
                       (gx - x0) * (gy - y0)};                                                 \
      for (int k = 0; k < 4; k++) {                                                            \
        const C tx = k & 1 ? x1 : x0, ty = k & 2 ? y1 : y0;                                    \
        const int in = (!nearest || k == 0) && tx >= 0 && tx <= (C)w - 1 && ty >= 0 &&         \
                       ty <= (C)h - 1;                                                         \
        off[k][q] = in ? (int32_t)ty * (int32_t)w + (int32_t)tx : 0;                           \
        wt[k][q] = in ? (nearest ? 1 : ws[k]) : 0;                                             \
        ok[k][q] = in ? -1 : 0;                                                                \
      }                                                                                        \
    }                                                                                          \
    for (size_t q = m; q % 8; q++)                                                             \
      for (int k = 0; k < 4; k++) off[k][q] = 0, wt[k][q] = 0, ok[k][q] = 0;                   \
  }

GRID_TAPS(f32, float, __builtin_floorf, __builtin_rintf)
GRID_TAPS(f64, double, __builtin_floor, __builtin_rint)

/* four pixels' tap k of plane xc as float32 lanes */
#define LANES_F32(xc, o) wasm_f32x4_make(xc[o[0]], xc[o[1]], xc[o[2]], xc[o[3]])
/* four float32 results into y (r of them: the block's last group) */
#define STORE_F32(y, v, r)                                                                     \
  do {                                                                                         \
    if (r == 4) {                                                                              \
      wasm_v128_store((y), v);                                                                 \
    } else {                                                                                   \
      float t_[4];                                                                             \
      wasm_v128_store(t_, v);                                                                  \
      for (size_t i_ = 0; i_ < r; i_++) (y)[i_] = t_[i_];                                        \
    }                                                                                          \
  } while (0)
#define GRID_SAMPLE_LANES(dt, T, LANES, STORE)                                         \
  WT_EXPORT void WT_SYM(dt##_grid_sample)(size_t n, size_t c, size_t h, size_t w, size_t ho,   \
                                          size_t wo, size_t flags, const T* x, const T* grid, \
                                          T* y) {                                              \
    const size_t plane = h * w, opl = ho * wo, taps = flags & 1 ? 1 : 4;                       \
    int32_t off[4][GRID_BLOCK], ok[4][GRID_BLOCK];                                             \
    float wt[4][GRID_BLOCK];                                                                   \
    for (size_t b = 0; b < n; b++) {                                                           \
      const T* xb = x + b * c * plane;                                                         \
      T* yb = y + b * c * opl;                                                                 \
      for (size_t q0 = 0; q0 < opl; q0 += GRID_BLOCK) {                                        \
        const size_t m = wt_min_size(GRID_BLOCK, opl - q0);                                    \
        f32_taps(grid + 2 * (b * opl + q0), m, h, w, flags, off, wt, ok);                      \
        for (size_t ch = 0; ch < c; ch++) {                                                    \
          const T* xc = xb + ch * plane;                                                       \
          T* yc = yb + ch * opl + q0;                                                          \
          for (size_t q = 0; q < m; q += 4) {                                                  \
            v128_t acc = wasm_f32x4_splat(0);                                                  \
            for (size_t k = 0; k < taps; k++) {                                                \
              const int32_t* o = off[k] + q;                                                   \
              const v128_t v = wasm_v128_and(LANES(xc, o), wasm_v128_load(ok[k] + q));         \
              acc = wasm_f32x4_add(acc, wasm_f32x4_mul(v, wasm_v128_load(wt[k] + q)));         \
            }                                                                                  \
            STORE(yc + q, acc, wt_min_size(4, m - q));                                         \
          }                                                                                    \
        }                                                                                      \
      }                                                                                        \
    }                                                                                          \
  }

GRID_SAMPLE_LANES(f32, float, LANES_F32, STORE_F32)

/* float16 / bfloat16: eight pixels per step, a tap's eight halves widened in one go */
#define GRID_SAMPLE_H16(dt, BF, FROM8, TO8)                                                    \
  WT_EXPORT void WT_SYM(dt##_grid_sample)(size_t n, size_t c, size_t h, size_t w, size_t ho,   \
                                          size_t wo, size_t flags, const uint16_t* x,          \
                                          const uint16_t* grid, uint16_t* y) {                 \
    const size_t plane = h * w, opl = ho * wo, taps = flags & 1 ? 1 : 4;                       \
    int32_t off[4][GRID_BLOCK], ok[4][GRID_BLOCK];                                             \
    float wt[4][GRID_BLOCK], g[2 * GRID_BLOCK];                                                \
    for (size_t b = 0; b < n; b++) {                                                           \
      const uint16_t* xb = x + b * c * plane;                                                  \
      uint16_t* yb = y + b * c * opl;                                                          \
      for (size_t q0 = 0; q0 < opl; q0 += GRID_BLOCK) {                                        \
        const size_t m = wt_min_size(GRID_BLOCK, opl - q0);                                    \
        wt_h16_to_f32(BF, grid + 2 * (b * opl + q0), g, 2 * m);                                \
        f32_taps(g, m, h, w, flags, off, wt, ok);                                              \
        for (size_t ch = 0; ch < c; ch++) {                                                    \
          const uint16_t* xc = xb + ch * plane;                                                \
          uint16_t* yc = yb + ch * opl + q0;                                                   \
          for (size_t q = 0; q < m; q += 8) {                                                  \
            v128_t a0 = wasm_f32x4_splat(0), a1 = a0, lo, hi;                                  \
            for (size_t k = 0; k < taps; k++) {                                                \
              const int32_t* o = off[k] + q;                                                   \
              FROM8(wasm_u16x8_make(xc[o[0]], xc[o[1]], xc[o[2]], xc[o[3]], xc[o[4]],          \
                                    xc[o[5]], xc[o[6]], xc[o[7]]), &lo, &hi);                  \
              lo = wasm_v128_and(lo, wasm_v128_load(ok[k] + q));                               \
              hi = wasm_v128_and(hi, wasm_v128_load(ok[k] + q + 4));                           \
              a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(lo, wasm_v128_load(wt[k] + q)));          \
              a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(hi, wasm_v128_load(wt[k] + q + 4)));      \
            }                                                                                  \
            const v128_t r = TO8(a0, a1);                                                      \
            if (q + 8 <= m) {                                                                  \
              wasm_v128_store(yc + q, r);                                                      \
            } else {                                                                           \
              uint16_t t[8];                                                                   \
              wasm_v128_store(t, r);                                                           \
              for (size_t i = 0; i < m - q; i++) yc[q + i] = t[i];                             \
            }                                                                                  \
          }                                                                                    \
        }                                                                                      \
      }                                                                                        \
    }                                                                                          \
  }
GRID_SAMPLE_H16(f16, 0, v_f32x8_from_f16, v_f16x8_from_f32)
GRID_SAMPLE_H16(bf16, 1, v_f32x8_from_bf16, v_bf16x8_from_f32)

WT_EXPORT void WT_SYM(f64_grid_sample)(size_t n, size_t c, size_t h, size_t w, size_t ho,
                                       size_t wo, size_t flags, const double* x,
                                       const double* grid, double* y) {
  const size_t plane = h * w, opl = ho * wo, taps = flags & 1 ? 1 : 4;
  int32_t off[4][GRID_BLOCK], ok[4][GRID_BLOCK];
  double wt[4][GRID_BLOCK];
  for (size_t b = 0; b < n; b++) {
    const double* xb = x + b * c * plane;
    double* yb = y + b * c * opl;
    for (size_t q0 = 0; q0 < opl; q0 += GRID_BLOCK) {
      const size_t m = wt_min_size(GRID_BLOCK, opl - q0);
      f64_taps(grid + 2 * (b * opl + q0), m, h, w, flags, off, wt, ok);
      for (size_t ch = 0; ch < c; ch++) {
        const double* xc = xb + ch * plane;
        double* yc = yb + ch * opl + q0;
        for (size_t q = 0; q < m; q++) {
          double acc = 0;
          for (size_t k = 0; k < taps; k++)
            if (ok[k][q]) acc += xc[off[k][q]] * wt[k][q];
          yc[q] = acc;
        }
      }
    }
  }
}
