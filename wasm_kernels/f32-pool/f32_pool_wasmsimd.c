/* 2-D pooling over NCHW planes (x [planes, h, w] -> y [planes, oh, ow]):
 *   wt_f32_max_pool2d_<isa>(planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, x, y)
 *   wt_f32_max_pool2d_indices_<isa>(same..., x, y, idx)       idx: int64, iy * w + ix
 *   wt_f32_avg_pool2d_<isa>(planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw,
 *                           count_include_pad, divisor_override (0: none), x, y)
 *   wt_f32_adaptive_avg_pool2d_<isa>(planes, h, w, oh, ow, x, y)
 *   wt_f32_adaptive_max_pool2d_<isa>(planes, h, w, oh, ow, x, y, idx)
 * Windows are clipped to the input (padding never wins a max), as in torch's CPU kernels:
 * max keeps the first maximum, a NaN always wins (the last NaN's index); avg sums row by row
 * and divides once by torch's divisor. Max is exact; avg's error is <= k eps sum|x| / k.
 * Interior windows of max/avg with stride 1 or 2 run 4 outputs per vector.
 *   wt_<f16|bf16>_avg_pool2d_<isa>(the avg form on halves): planes widened into a float32
 *   stage of WT_POOL_STAGE elements (the caller checks that one plane fits), the float32
 *   kernel run there, each result rounded once (torch's opmath); 2-wide stride-2 windows
 *   (wt_pool.h's pairs path) widen in registers, no stage.
 */
#include "wt_common.h"
#include "wt_half.h"
#include "../f32-conv/wt_window.h"
#include "wt_pool.h"

#define WT_POOL_STAGE 16384

/* 4 inputs for outputs o..o+3 at p, stride 1 or 2 */
static inline v128_t load4s(const float* p, ptrdiff_t s) {
  if (s == 1) return wasm_v128_load(p);
  return wasm_i32x4_shuffle(wasm_v128_load(p), wasm_v128_load(p + 4), 0, 2, 4, 6);
}

/* [lo, vhi): interior outputs, in blocks of 4, whose every tap lies inside the row and whose
 * vector loads (4*s floats from the first tap) do too. Outputs outside run scalar. */
static void interior(ptrdiff_t W, ptrdiff_t OW, ptrdiff_t K, ptrdiff_t S, ptrdiff_t P,
                     ptrdiff_t D, ptrdiff_t* lo, ptrdiff_t* vhi) {
  ptrdiff_t l = 0, h = OW;
  for (ptrdiff_t k = 0; k < K; k++) {
    ptrdiff_t a, b;
    wt_span(k * D - P, S, W, OW, &a, &b);
    if (a > l) l = a;
    if (b < h) h = b;
  }
  ptrdiff_t v = l;
  if (S <= 2 && h > l)
    while (v + 4 <= h && (v + 4) * S - P + (K - 1) * D + (S - 1) <= W) v += 4;
  *lo = l;
  *vhi = v;
}

typedef struct {
  ptrdiff_t H, W, OH, OW, KH, KW, SH, SW, PH, PW, DH, DW;
} Geom;

static inline Geom geom(size_t h, size_t w, size_t oh, size_t ow, size_t kh, size_t kw,
                        size_t sh, size_t sw, size_t ph, size_t pw, size_t dh, size_t dw) {
  Geom g = {(ptrdiff_t)h, (ptrdiff_t)w, (ptrdiff_t)oh, (ptrdiff_t)ow, (ptrdiff_t)kh,
            (ptrdiff_t)kw, (ptrdiff_t)sh, (ptrdiff_t)sw, (ptrdiff_t)ph, (ptrdiff_t)pw,
            (ptrdiff_t)dh, (ptrdiff_t)dw};
  return g;
}

static inline ptrdiff_t smin(ptrdiff_t a, ptrdiff_t b) { return a < b ? a : b; }

/* max over one window; *at gets its index (NaN wins, else the first maximum) */
static inline float max_window(const float* xp, const Geom* g, ptrdiff_t oy, ptrdiff_t ox,
                               int64_t* at) {
  ptrdiff_t y0 = oy * g->SH - g->PH, x0 = ox * g->SW - g->PW;
  while (y0 < 0) y0 += g->DH;
  while (x0 < 0) x0 += g->DW;
  const ptrdiff_t y1 = smin(oy * g->SH - g->PH + (g->KH - 1) * g->DH + 1, g->H);
  const ptrdiff_t x1 = smin(ox * g->SW - g->PW + (g->KW - 1) * g->DW + 1, g->W);
  float m = -__builtin_inff();
  int64_t best = y0 * g->W + x0;
  for (ptrdiff_t iy = y0; iy < y1; iy += g->DH)
    for (ptrdiff_t ix = x0; ix < x1; ix += g->DW) {
      const float v = xp[iy * g->W + ix];
      if (v > m || v != v) m = v, best = iy * g->W + ix;
    }
  *at = best;
  return m;
}

WT_EXPORT void WT_SYM(f32_max_pool2d)(size_t planes, size_t h, size_t w, size_t oh, size_t ow,
                                      size_t kh, size_t kw, size_t sh, size_t sw, size_t ph,
                                      size_t pw, size_t dh, size_t dw, const float* x,
                                      float* y) {
  const Geom g = geom(h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw);
  ptrdiff_t lo, vhi;
  interior(g.W, g.OW, g.KW, g.SW, g.PW, g.DW, &lo, &vhi);
  for (size_t p = 0; p < planes; p++) {
    const float* xp = x + (ptrdiff_t)p * g.H * g.W;
    for (ptrdiff_t oy = 0; oy < g.OH; oy++, y += g.OW) {
      int64_t at;
      for (ptrdiff_t o = 0; o < g.OW; o++) {
        if (o == lo) o = vhi;
        if (o >= g.OW) break;
        y[o] = max_window(xp, &g, oy, o, &at);
      }
      const ptrdiff_t iy0 = oy * g.SH - g.PH;
      for (ptrdiff_t o = lo; o < vhi; o += 4) {
        v128_t m = wasm_f32x4_splat(-__builtin_inff());
        for (ptrdiff_t ki = 0; ki < g.KH; ki++) {
          const ptrdiff_t iy = iy0 + ki * g.DH;
          if (iy < 0 || iy >= g.H) continue;
          const float* row = xp + iy * g.W + o * g.SW - g.PW;
          for (ptrdiff_t kj = 0; kj < g.KW; kj++) {
            const v128_t v = load4s(row + kj * g.DW, g.SW);
            /* v > m or v is NaN: same choice as the scalar loop, -0.0/+0.0 included */
            const v128_t take = wasm_v128_or(wasm_f32x4_gt(v, m), wasm_f32x4_ne(v, v));
            m = wasm_v128_bitselect(v, m, take);
          }
        }
        wasm_v128_store(y + o, m);
      }
    }
  }
}

WT_EXPORT void WT_SYM(f32_max_pool2d_indices)(size_t planes, size_t h, size_t w, size_t oh,
                                              size_t ow, size_t kh, size_t kw, size_t sh,
                                              size_t sw, size_t ph, size_t pw, size_t dh,
                                              size_t dw, const float* x, float* y,
                                              int64_t* idx) {
  const Geom g = geom(h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw);
  for (size_t p = 0; p < planes; p++) {
    const float* xp = x + (ptrdiff_t)p * g.H * g.W;
    for (ptrdiff_t oy = 0; oy < g.OH; oy++)
      for (ptrdiff_t o = 0; o < g.OW; o++, y++, idx++) *y = max_window(xp, &g, oy, o, idx);
  }
}

/* avg_pool2d's pairs path (wt_pool.h): 4 outputs per vector from 8 floats of each row */
static void f32_avg_pairs(int bf, const void* rv, size_t w, ptrdiff_t rows, ptrdiff_t d,
                          size_t ow, void* yv) {
  const float* r = rv;
  float* y = yv;
  (void)bf;
  const v128_t dv = wasm_f32x4_splat((float)d);
  for (size_t o = 0; o < ow; o += 4) {
    v128_t s = wasm_f32x4_splat(0.0f);   /* torch's 0 start: -0.0 sums give 0.0 */
    for (ptrdiff_t i = 0; i < rows; i++) {
      const float* q = r + i * w + 2 * o;
      const v128_t a = wasm_v128_load(q), b = wasm_v128_load(q + 4);
      s = wasm_f32x4_add(s, wasm_i32x4_shuffle(a, b, 0, 2, 4, 6));
      s = wasm_f32x4_add(s, wasm_i32x4_shuffle(a, b, 1, 3, 5, 7));
    }
    wasm_v128_store(y + o, wasm_f32x4_div(s, dv));
  }
}

/* halves: 8 outputs per step, 16 halves of each row widened in registers; rounded once */
static __attribute__((minsize, flatten)) void h16_avg_pairs(int bf, const void* rv, size_t w,
                                                            ptrdiff_t rows, ptrdiff_t d,
                                                            size_t ow, void* yv) {
  const uint16_t* r = rv;
  uint16_t* y = yv;
  const v128_t dv = wasm_f32x4_splat((float)d);
  for (size_t o = 0; o < ow; o += 8) {
    v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0;
    for (ptrdiff_t i = 0; i < rows; i++) {
      const uint16_t* q = r + i * w + 2 * o;
      v128_t a0, a1, b0, b1;
      if (bf) {
        v_f32x8_from_bf16(wasm_v128_load(q), &a0, &a1);
        v_f32x8_from_bf16(wasm_v128_load(q + 8), &b0, &b1);
      } else {
        v_f32x8_from_f16(wasm_v128_load(q), &a0, &a1);
        v_f32x8_from_f16(wasm_v128_load(q + 8), &b0, &b1);
      }
      s0 = wasm_f32x4_add(s0, wasm_i32x4_shuffle(a0, a1, 0, 2, 4, 6));
      s0 = wasm_f32x4_add(s0, wasm_i32x4_shuffle(a0, a1, 1, 3, 5, 7));
      s1 = wasm_f32x4_add(s1, wasm_i32x4_shuffle(b0, b1, 0, 2, 4, 6));
      s1 = wasm_f32x4_add(s1, wasm_i32x4_shuffle(b0, b1, 1, 3, 5, 7));
    }
    s0 = wasm_f32x4_div(s0, dv), s1 = wasm_f32x4_div(s1, dv);
    wasm_v128_store(y + o, bf ? v_bf16x8_from_f32(s0, s1) : v_f16x8_from_f32(s0, s1));
  }
}


WT_EXPORT void WT_SYM(f32_avg_pool2d)(size_t planes, size_t h, size_t w, size_t oh, size_t ow,
                                      size_t kh, size_t kw, size_t sh, size_t sw, size_t ph,
                                      size_t pw, size_t count_include_pad,
                                      int32_t divisor_override, const float* x, float* y) {
  if (wt_avg_pairs_ok(kw, sw, pw, w, ow, 4)) {
    wt_avg_pairs(f32_avg_pairs, 0, 4, planes, h, w, oh, ow, kh, sh, ph, count_include_pad,
                 divisor_override, (const char*)x, (char*)y);
    return;
  }
  const Geom g = geom(h, w, oh, ow, kh, kw, sh, sw, ph, pw, 1, 1);
  const int32_t div_override = divisor_override;
  ptrdiff_t lo, vhi;
  interior(g.W, g.OW, g.KW, g.SW, g.PW, 1, &lo, &vhi);
  for (size_t p = 0; p < planes; p++) {
    const float* xp = x + (ptrdiff_t)p * g.H * g.W;
    for (ptrdiff_t oy = 0; oy < g.OH; oy++, y += g.OW) {
      ptrdiff_t y0 = oy * g.SH - g.PH;
      ptrdiff_t y1 = y0 + g.KH < g.H + g.PH ? y0 + g.KH : g.H + g.PH;
      const ptrdiff_t rows = y1 - y0;
      const ptrdiff_t vy0 = y0 < 0 ? 0 : y0, vy1 = y1 > g.H ? g.H : y1;
      for (ptrdiff_t o = 0; o < g.OW; o++) {
        if (o == lo && vy0 == y0 && vy1 == y1) o = vhi;   /* full windows: vector loop */
        if (o >= g.OW) break;
        ptrdiff_t x0 = o * g.SW - g.PW;
        ptrdiff_t x1 = x0 + g.KW < g.W + g.PW ? x0 + g.KW : g.W + g.PW;
        const ptrdiff_t pool = rows * (x1 - x0);
        const ptrdiff_t vx0 = x0 < 0 ? 0 : x0, vx1 = x1 > g.W ? g.W : x1;
        if (vy0 >= vy1 || vx0 >= vx1) {
          y[o] = 0.0f;
          continue;
        }
        float s = 0.0f;
        for (ptrdiff_t iy = vy0; iy < vy1; iy++)
          for (ptrdiff_t ix = vx0; ix < vx1; ix++) s += xp[iy * g.W + ix];
        const ptrdiff_t d = div_override ? div_override
                            : count_include_pad ? pool : (vy1 - vy0) * (vx1 - vx0);
        y[o] = s / (float)d;
      }
      if (!(vy0 == y0 && vy1 == y1)) continue;
      /* rows may be < KH: ceil_mode clips the window at the input's end (no padding there) */
      const v128_t d = wasm_f32x4_splat((float)(div_override ? div_override : rows * g.KW));
      for (ptrdiff_t o = lo; o < vhi; o += 4) {
        v128_t s = wasm_f32x4_splat(0.0f);
        for (ptrdiff_t iy = y0; iy < y1; iy++) {
          const float* row = xp + iy * g.W + o * g.SW - g.PW;
          for (ptrdiff_t kj = 0; kj < g.KW; kj++) s = wasm_f32x4_add(s, load4s(row + kj, g.SW));
        }
        wasm_v128_store(y + o, wasm_f32x4_div(s, d));
      }
    }
  }
}

/* adaptive windows: [floor(i*n/o), ceil((i+1)*n/o)) */
static inline ptrdiff_t a_start(ptrdiff_t i, ptrdiff_t n, ptrdiff_t o) { return i * n / o; }
static inline ptrdiff_t a_end(ptrdiff_t i, ptrdiff_t n, ptrdiff_t o) {
  return ((i + 1) * n + o - 1) / o;
}

WT_EXPORT void WT_SYM(f32_adaptive_avg_pool2d)(size_t planes, size_t h, size_t w, size_t oh,
                                               size_t ow, const float* x, float* y) {
  const ptrdiff_t H = (ptrdiff_t)h, W = (ptrdiff_t)w, OH = (ptrdiff_t)oh, OW = (ptrdiff_t)ow;
  for (size_t p = 0; p < planes; p++) {
    const float* xp = x + (ptrdiff_t)p * H * W;
    for (ptrdiff_t i = 0; i < OH; i++) {
      const ptrdiff_t y0 = a_start(i, H, OH), y1 = a_end(i, H, OH);
      for (ptrdiff_t j = 0; j < OW; j++, y++) {
        const ptrdiff_t x0 = a_start(j, W, OW), x1 = a_end(j, W, OW);
        float s = 0.0f;
        if (x1 - x0 >= 8) {        /* long rows (global pooling): 4 lanes, then a tail */
          for (ptrdiff_t iy = y0; iy < y1; iy++) {
            const float* r = xp + iy * W;
            v128_t v = wasm_f32x4_splat(0.0f);
            ptrdiff_t ix = x0;
            for (; ix + 4 <= x1; ix += 4) v = wasm_f32x4_add(v, wasm_v128_load(r + ix));
            float t = (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) +
                      (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
            for (; ix < x1; ix++) t += r[ix];
            s += t;
          }
        } else {
          for (ptrdiff_t iy = y0; iy < y1; iy++)
            for (ptrdiff_t ix = x0; ix < x1; ix++) s += xp[iy * W + ix];
        }
        *y = s / (float)((y1 - y0) * (x1 - x0));
      }
    }
  }
}

WT_EXPORT void WT_SYM(f32_adaptive_max_pool2d)(size_t planes, size_t h, size_t w, size_t oh,
                                               size_t ow, const float* x, float* y,
                                               int64_t* idx) {
  const ptrdiff_t H = (ptrdiff_t)h, W = (ptrdiff_t)w, OH = (ptrdiff_t)oh, OW = (ptrdiff_t)ow;
  for (size_t p = 0; p < planes; p++) {
    const float* xp = x + (ptrdiff_t)p * H * W;
    for (ptrdiff_t i = 0; i < OH; i++) {
      const ptrdiff_t y0 = a_start(i, H, OH), y1 = a_end(i, H, OH);
      for (ptrdiff_t j = 0; j < OW; j++, y++, idx++) {
        const ptrdiff_t x0 = a_start(j, W, OW), x1 = a_end(j, W, OW);
        float m = -__builtin_inff();
        int64_t best = y0 * W + x0;
        for (ptrdiff_t iy = y0; iy < y1; iy++)
          for (ptrdiff_t ix = x0; ix < x1; ix++) {
            const float v = xp[iy * W + ix];
            if (v > m || v != v) m = v, best = iy * W + ix;
          }
        *y = m;
        *idx = best;
      }
    }
  }
}

static float pool_in[WT_POOL_STAGE], pool_out[WT_POOL_STAGE];

static void h16_avg_pool2d(int bf, size_t planes, size_t h, size_t w, size_t oh, size_t ow,
                           size_t kh, size_t kw, size_t sh, size_t sw, size_t ph, size_t pw,
                           size_t count_include_pad, int32_t divisor_override,
                           const uint16_t* x, uint16_t* y) {
  if (wt_avg_pairs_ok(kw, sw, pw, w, ow, 8)) {
    wt_avg_pairs(h16_avg_pairs, bf, 2, planes, h, w, oh, ow, kh, sh, ph, count_include_pad,
                 divisor_override, (const char*)x, (char*)y);
    return;
  }
  const size_t in = h * w, out = oh * ow;
  const size_t per = wt_min_size(WT_POOL_STAGE / in, out ? WT_POOL_STAGE / out : planes);
  for (size_t p = 0; p < planes; p += per) {
    const size_t k = wt_min_size(per, planes - p);
    wt_h16_to_f32(bf, x + p * in, pool_in, k * in);
    WT_SYM(f32_avg_pool2d)(k, h, w, oh, ow, kh, kw, sh, sw, ph, pw, count_include_pad,
                           divisor_override, pool_in, pool_out);
    wt_f32_to_h16(bf, pool_out, y + p * out, k * out);
  }
}

#define H16_AVG_POOL(dt, bf)                                                                   \
  WT_EXPORT void WT_SYM(dt##_avg_pool2d)(size_t planes, size_t h, size_t w, size_t oh,         \
                                         size_t ow, size_t kh, size_t kw, size_t sh, size_t sw, \
                                         size_t ph, size_t pw, size_t count_include_pad,        \
                                         int32_t divisor_override, const uint16_t* x,          \
                                         uint16_t* y) {                                        \
    h16_avg_pool2d(bf, planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, count_include_pad,        \
                   divisor_override, x, y);                                                    \
  }
H16_AVG_POOL(f16, 0)
H16_AVG_POOL(bf16, 1)
