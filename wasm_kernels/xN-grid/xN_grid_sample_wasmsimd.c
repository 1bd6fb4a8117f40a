/* F.grid_sample of 4-D inputs, float32 / float64 / float16 / bfloat16 (ops/grid_sample.py):
 *   void wt_<dt>_grid_sample_<isa>(size_t n, size_t c, size_t h, size_t w, size_t ho,
 *                                  size_t wo, size_t flags, const T* x, const T* grid, T* y,
 *                                  S* stage)
 *   x [n, c, h, w], grid [n, ho, wo, 2] (x, y in [-1, 1]), y [n, c, ho, wo], contiguous, all
 *   of dtype dt; flags & 1: nearest (else bilinear), (flags >> 1) & 3: padding 0 zeros,
 *   1 border, 2 reflection; flags & 8: align_corners. torch's CPU formulas (grid_sampler_2d):
 *   source index unnormalised, clipped / reflected, four taps weighted by the opposite areas
 *   (nearest: round half to even); taps outside the image count zero.
 *   stage: ceil(c / 4) * 4 * (h * w + 1) elements of S (float64 for float64, else float32).
 * The channels of one batch image are staged four at a time side by side ([group][pixel][4],
 * halves widened to float32 once per element, not once per tap; each group ends with a zero
 * pixel, the target of the taps outside the image: no masks, an inf or NaN at a clamped
 * offset cannot leak in). The taps and weights of a block of output pixels are computed once
 * and serve every group: a tap is one 4-channel vector load times the splatted weight, and
 * eight pixels' results are transposed back into the four channel planes. Sums start from
 * +0 in tap order, as the former per-pixel kernels did (bit for bit the same values).
 */
#include "wt_common.h"
#include "wt_half.h"

#define GRID_BLOCK 256

/* the taps of m output pixels from their grid pairs g: stage offsets (the zero pixel
 * outside: 4 * plane) and weights (0 outside); padded with empty taps to a multiple of 8 */
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
  static __attribute__((noinline)) void dt##_taps(const C* g, size_t m, size_t h, size_t w, size_t flags,                \
                        int32_t (*off)[GRID_BLOCK], C (*wt)[GRID_BLOCK]) {                     \
    const size_t pad = (flags >> 1) & 3;                                                       \
    const int align = (flags & 8) != 0, nearest = flags & 1;                                   \
    const int32_t zero = 4 * (int32_t)(h * w);                                                 \
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
        off[k][q] = in ? 4 * ((int32_t)ty * (int32_t)w + (int32_t)tx) : zero;                  \
        wt[k][q] = in ? (nearest ? 1 : ws[k]) : 0;                                             \
      }                                                                                        \
    }                                                                                          \
    for (size_t q = m; q % 8; q++)                                                             \
      for (int k = 0; k < 4; k++) off[k][q] = zero, wt[k][q] = 0;                              \
  }

GRID_TAPS(f32, float, __builtin_floorf, __builtin_rintf)
GRID_TAPS(f64, double, __builtin_floor, __builtin_rint)

/* a, b, c, d (rows of a 4 x 4 block of 32-bit lanes) <- its columns */
#define TR4(a, b, c, d)                                                                        \
  do {                                                                                         \
    const v128_t t0_ = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), t1_ = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7); \
    const v128_t t2_ = wasm_i32x4_shuffle(c, d, 0, 4, 1, 5), t3_ = wasm_i32x4_shuffle(c, d, 2, 6, 3, 7); \
    a = wasm_i64x2_shuffle(t0_, t2_, 0, 2);                                                    \
    b = wasm_i64x2_shuffle(t0_, t2_, 1, 3);                                                    \
    c = wasm_i64x2_shuffle(t1_, t3_, 0, 2);                                                    \
    d = wasm_i64x2_shuffle(t1_, t3_, 1, 3);                                                    \
  } while (0)

enum { DT_F32, DT_F16, DT_BF16 };

/* eight pixels p..p+7 of plane xc (float32, or halves widened) as two vectors */
static inline __attribute__((always_inline)) void load8(int dt, const void* xc, size_t p,
                                                        v128_t* lo, v128_t* hi) {
  if (dt == DT_F32) {
    *lo = wasm_v128_load((const float*)xc + p);
    *hi = wasm_v128_load((const float*)xc + p + 4);
  } else {
    const v128_t h = wasm_v128_load((const uint16_t*)xc + p);
    if (dt == DT_BF16) v_f32x8_from_bf16(h, lo, hi);
    else v_f32x8_from_f16(h, lo, hi);
  }
}

/* channels c0..c0+nc-1 (nc <= 4) of one batch image into the stage s: [plane + 1][4] */
static __attribute__((noinline)) void stage4(int dt, const void* xb, size_t esz, size_t nc, size_t plane, float* s) {
  const char* xp[4];
  for (size_t j = 0; j < 4; j++) xp[j] = (const char*)xb + (j < nc ? j : 0) * plane * esz;
  const v128_t z = wasm_f32x4_splat(0);
  size_t p = 0;
  for (; p + 8 <= plane; p += 8) {
    v128_t l[4], h[4];
#pragma clang loop unroll(disable)
    for (size_t j = 0; j < 4; j++) {
      load8(dt, xp[j], p, &l[j], &h[j]);
      if (j >= nc) l[j] = h[j] = z;
    }
    TR4(l[0], l[1], l[2], l[3]);
    TR4(h[0], h[1], h[2], h[3]);
    for (size_t j = 0; j < 4; j++) {
      wasm_v128_store(s + 4 * (p + j), l[j]);
      wasm_v128_store(s + 4 * (p + 4 + j), h[j]);
    }
  }
  for (; p < plane; p++)
    for (size_t j = 0; j < 4; j++) {
      float v = 0;
      if (j < nc) {
        if (dt == DT_F32) v = ((const float*)xp[j])[p];
        else wt_h16_to_f32(dt == DT_BF16, (const uint16_t*)xp[j] + p, &v, 1);
      }
      s[4 * p + j] = v;
    }
  wasm_v128_store(s + 4 * plane, z);
}

/* one output pixel of a group: ((0 + t0) + t1) + ... in tap order */
#define PIXEL4(s, off, wt, p, taps)                                                            \
  ({                                                                                           \
    v128_t a_ = wasm_f32x4_splat(0);                                                           \
    for (int k_ = 0; k_ < (taps); k_++)                                                        \
      a_ = wasm_f32x4_add(a_, wasm_f32x4_mul(wasm_v128_load((s) + off[k_][p]),                 \
                                             wasm_v128_load32_splat(&wt[k_][p])));             \
    a_;                                                                                        \
  })

/* m pixels (a multiple of 8 computed) of one group as float32 into nc rows of y (stride ys) */
static __attribute__((noinline)) void group4(int taps, const float* s,
                                                         int32_t (*off)[GRID_BLOCK],
                                                         float (*wt)[GRID_BLOCK], size_t m,
                                                         size_t nc, float* y, size_t ys) {
  for (size_t q = 0; q < m; q += 8) {
    v128_t r[8];
    if (taps == 4)
      for (int i = 0; i < 8; i++) r[i] = PIXEL4(s, off, wt, q + i, 4);
    else
      for (int i = 0; i < 8; i++) r[i] = PIXEL4(s, off, wt, q + i, 1);
    TR4(r[0], r[1], r[2], r[3]);
    TR4(r[4], r[5], r[6], r[7]);
    const size_t cnt = wt_min_size(8, m - q);
    for (size_t j = 0; j < nc; j++) {
      float* yj = y + j * ys + q;
      if (cnt == 8) {
        wasm_v128_store(yj, r[j]);
        wasm_v128_store(yj + 4, r[4 + j]);
      } else {
        float t[8];
        wasm_v128_store(t, r[j]);
        wasm_v128_store(t + 4, r[4 + j]);
        for (size_t i = 0; i < cnt; i++) yj[i] = t[i];
      }
    }
  }
}

static __attribute__((noinline)) void grid_lanes(int dt, size_t n, size_t c, size_t h, size_t w,
                                                 size_t ho, size_t wo, size_t flags,
                                                 const void* x, const void* grid, void* y,
                                                 float* stage) {
  const size_t plane = h * w, opl = ho * wo, esz = dt == DT_F32 ? 4 : 2;
  const size_t groups = (c + 3) / 4, gsz = 4 * (plane + 1);
  int32_t off[4][GRID_BLOCK];
  float wt[4][GRID_BLOCK], g[2 * GRID_BLOCK], res[4][GRID_BLOCK];
  for (size_t b = 0; b < n; b++) {
    for (size_t gi = 0; gi < groups; gi++)
      stage4(dt, (const char*)x + (b * c + 4 * gi) * plane * esz, esz,
             wt_min_size(4, c - 4 * gi), plane, stage + gi * gsz);
    for (size_t q0 = 0; q0 < opl; q0 += GRID_BLOCK) {
      const size_t m = wt_min_size(GRID_BLOCK, opl - q0);
      const float* gp = g;
      if (dt == DT_F32) gp = (const float*)grid + 2 * (b * opl + q0);
      else wt_h16_to_f32(dt == DT_BF16, (const uint16_t*)grid + 2 * (b * opl + q0), g, 2 * m);
      f32_taps(gp, m, h, w, flags, off, wt);
      for (size_t gi = 0; gi < groups; gi++) {
        const size_t nc = wt_min_size(4, c - 4 * gi), y0 = (b * c + 4 * gi) * opl + q0;
        if (dt == DT_F32) {
          group4(flags & 1 ? 1 : 4, stage + gi * gsz, off, wt, m, nc, (float*)y + y0, opl);
        } else {   /* the halves: a block's rows in float32, then rounded */
          group4(flags & 1 ? 1 : 4, stage + gi * gsz, off, wt, m, nc, res[0], GRID_BLOCK);
          for (size_t j = 0; j < nc; j++)
            wt_f32_to_h16(dt == DT_BF16, res[j], (uint16_t*)y + y0 + j * opl, m);
        }
      }
    }
  }
}

WT_EXPORT void WT_SYM(f32_grid_sample)(size_t n, size_t c, size_t h, size_t w, size_t ho,
                                       size_t wo, size_t flags, const float* x,
                                       const float* grid, float* y, float* stage) {
  grid_lanes(DT_F32, n, c, h, w, ho, wo, flags, x, grid, y, stage);
}
WT_EXPORT void WT_SYM(f16_grid_sample)(size_t n, size_t c, size_t h, size_t w, size_t ho,
                                       size_t wo, size_t flags, const uint16_t* x,
                                       const uint16_t* grid, uint16_t* y, float* stage) {
  grid_lanes(DT_F16, n, c, h, w, ho, wo, flags, x, grid, y, stage);
}
WT_EXPORT void WT_SYM(bf16_grid_sample)(size_t n, size_t c, size_t h, size_t w, size_t ho,
                                        size_t wo, size_t flags, const uint16_t* x,
                                        const uint16_t* grid, uint16_t* y, float* stage) {
  grid_lanes(DT_BF16, n, c, h, w, ho, wo, flags, x, grid, y, stage);
}

/* float64: the same layout, a group's four channels in two f64x2 vectors, two pixels per
 * step transposed back with one shuffle per channel */
WT_EXPORT void WT_SYM(f64_grid_sample)(size_t n, size_t c, size_t h, size_t w, size_t ho,
                                       size_t wo, size_t flags, const double* x,
                                       const double* grid, double* y, double* stage) {
  const size_t plane = h * w, opl = ho * wo, taps = flags & 1 ? 1 : 4;
  const size_t groups = (c + 3) / 4, gsz = 4 * (plane + 1);
  int32_t off[4][GRID_BLOCK];
  double wt[4][GRID_BLOCK];
  for (size_t b = 0; b < n; b++) {
    for (size_t gi = 0; gi < groups; gi++) {
      const double* xg = x + (b * c + 4 * gi) * plane;
      const size_t nc = wt_min_size(4, c - 4 * gi);
      double* s = stage + gi * gsz;
      for (size_t p = 0; p < plane; p++)
        for (size_t j = 0; j < 4; j++) s[4 * p + j] = j < nc ? xg[j * plane + p] : 0;
      for (size_t j = 0; j < 4; j++) s[4 * plane + j] = 0;
    }
    for (size_t q0 = 0; q0 < opl; q0 += GRID_BLOCK) {
      const size_t m = wt_min_size(GRID_BLOCK, opl - q0);
      f64_taps(grid + 2 * (b * opl + q0), m, h, w, flags, off, wt);
      for (size_t gi = 0; gi < groups; gi++) {
        const double* s = stage + gi * gsz;
        double* yc = y + (b * c + 4 * gi) * opl + q0;
        const size_t nc = wt_min_size(4, c - 4 * gi);
        for (size_t q = 0; q < m; q += 2) {
          v128_t r[4];
          for (int i = 0; i < 2; i++) {
            v128_t lo = wasm_f64x2_splat(0), hi = lo;
            for (size_t k = 0; k < taps; k++) {
              const double* sp = s + off[k][q + i];
              const v128_t wk = wasm_v128_load64_splat(&wt[k][q + i]);
              lo = wasm_f64x2_add(lo, wasm_f64x2_mul(wasm_v128_load(sp), wk));
              hi = wasm_f64x2_add(hi, wasm_f64x2_mul(wasm_v128_load(sp + 2), wk));
            }
            r[i] = lo, r[2 + i] = hi;
          }
          const v128_t ch[4] = {wasm_i64x2_shuffle(r[0], r[1], 0, 2),
                                wasm_i64x2_shuffle(r[0], r[1], 1, 3),
                                wasm_i64x2_shuffle(r[2], r[3], 0, 2),
                                wasm_i64x2_shuffle(r[2], r[3], 1, 3)};
          for (size_t j = 0; j < nc; j++) {
            if (q + 2 <= m) wasm_v128_store(yc + j * opl + q, ch[j]);
            else yc[j * opl + q] = wasm_f64x2_extract_lane(ch[j], 0);
          }
        }
      }
    }
  }
}
