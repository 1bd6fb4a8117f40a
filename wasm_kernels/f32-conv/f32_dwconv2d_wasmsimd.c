/* Direct depthwise conv2d (groups == input channels), NCHW:
 *   void wt_f32_dwconv2d_<isa>(size_t planes, size_t oc, size_t mult, size_t h, size_t w,
 *                              size_t kh, size_t kw, size_t sh, size_t sw, size_t ph,
 *                              size_t pw, size_t dh, size_t dw, size_t oh, size_t ow,
 *                              const float* x, const float* wt, const float* bias, float* y)
 * Output plane p (of planes = N * oc) is channel p % oc; it reads input plane p / mult
 * (mult = oc / input channels) and weights wt[p % oc] ([kh, kw]); y starts at bias[p % oc].
 * Interior columns keep 8 (then 4) outputs in registers across all taps (stride 1 and 2);
 * borders and other strides run one output at a time. Taps accumulate row by row, left to right.
 * Error: each output is a length-(kh*kw) dot product plus bias, <= (kh*kw+1) eps sum|terms|.
 */
#include "wt_common.h"
#include "wt_window.h"

/* 8 inputs for outputs o..o+7 at input offset p: stride 1 or 2 */
static inline void load8s(const float* p, ptrdiff_t s, v128_t* v0, v128_t* v1) {
  if (s == 1) {
    *v0 = wasm_v128_load(p);
    *v1 = wasm_v128_load(p + 4);
  } else {
    const v128_t a = wasm_v128_load(p), b = wasm_v128_load(p + 4);
    const v128_t c = wasm_v128_load(p + 8), d = wasm_v128_load(p + 12);
    *v0 = wasm_i32x4_shuffle(a, b, 0, 2, 4, 6);
    *v1 = wasm_i32x4_shuffle(c, d, 0, 2, 4, 6);
  }
}

WT_EXPORT void WT_SYM(f32_dwconv2d)(size_t planes, size_t oc, size_t mult, size_t h, size_t w,
                                    size_t kh, size_t kw, size_t sh, size_t sw, size_t ph,
                                    size_t pw, size_t dh, size_t dw, size_t oh, size_t ow,
                                    const float* x, const float* wt, const float* bias,
                                    float* y) {
  const ptrdiff_t H = (ptrdiff_t)h, W = (ptrdiff_t)w, OW = (ptrdiff_t)ow;
  const ptrdiff_t SW = (ptrdiff_t)sw, DW = (ptrdiff_t)dw, PW = (ptrdiff_t)pw;
  const ptrdiff_t KW = (ptrdiff_t)kw;
  /* interior columns: every tap kj of output o is inside the row */
  ptrdiff_t lo = 0, hi = OW;
  for (ptrdiff_t kj = 0; kj < KW; kj++) {
    ptrdiff_t l, r;
    wt_span(kj * DW - PW, SW, W, OW, &l, &r);
    if (l > lo) lo = l;
    if (r < hi) hi = r;
  }
  if (hi < lo) hi = lo;
  /* a vector block reads up to 8*SW - 1 + ... floats past its first input: keep it in-row */
  ptrdiff_t v8 = lo, vhi = lo;
  if (SW <= 2) {
    while (v8 + 8 <= hi && (v8 + 8) * SW - PW + (KW - 1) * DW + (SW - 1) <= W) v8 += 8;
    vhi = v8;   /* then at most one block of 4 (two would have been one of 8) */
    if (vhi + 4 <= hi && (vhi + 4) * SW - PW + (KW - 1) * DW + (SW - 1) <= W) vhi += 4;
  }
  for (size_t p = 0; p < planes; p++) {
    const size_t ch = p % oc;
    const float* xp = x + (ptrdiff_t)(p / mult) * H * W;
    const float* wp = wt + ch * kh * kw;
    const float b = bias[ch];
    for (size_t oy = 0; oy < oh; oy++, y += OW) {
      const ptrdiff_t iy0 = (ptrdiff_t)(oy * sh) - (ptrdiff_t)ph;
      /* one output at a time, bounds-checked */
      for (ptrdiff_t o = 0; o < OW; o++) {
        if (o == lo) o = vhi;   /* the vector loop below does [lo, vhi) */
        if (o >= OW) break;
        float acc = b;
        for (size_t ki = 0; ki < kh; ki++) {
          const ptrdiff_t iy = iy0 + (ptrdiff_t)(ki * dh);
          if (iy < 0 || iy >= H) continue;
          for (ptrdiff_t kj = 0; kj < KW; kj++) {
            const ptrdiff_t ix = o * SW - PW + kj * DW;
            if (ix >= 0 && ix < W) acc += wp[ki * kw + kj] * xp[iy * W + ix];
          }
        }
        y[o] = acc;
      }
      for (ptrdiff_t o = lo; o < v8; o += 8) {
        v128_t a0 = wasm_f32x4_splat(b), a1 = a0;
        for (size_t ki = 0; ki < kh; ki++) {
          const ptrdiff_t iy = iy0 + (ptrdiff_t)(ki * dh);
          if (iy < 0 || iy >= H) continue;
          const float* row = xp + iy * W + o * SW - PW;
          const float* wr = wp + ki * kw;
          for (ptrdiff_t kj = 0; kj < KW; kj++) {
            v128_t v0, v1;
            load8s(row + kj * DW, SW, &v0, &v1);
            const v128_t wv = wasm_v128_load32_splat(wr + kj);
            a0 = WT_MADD(wv, v0, a0);
            a1 = WT_MADD(wv, v1, a1);
          }
        }
        wasm_v128_store(y + o, a0);
        wasm_v128_store(y + o + 4, a1);
      }
      if (vhi > v8) {
        v128_t a0 = wasm_f32x4_splat(b);
        for (size_t ki = 0; ki < kh; ki++) {
          const ptrdiff_t iy = iy0 + (ptrdiff_t)(ki * dh);
          if (iy < 0 || iy >= H) continue;
          const float* row = xp + iy * W + v8 * SW - PW;
          const float* wr = wp + ki * kw;
          for (ptrdiff_t kj = 0; kj < KW; kj++) {
            const float* q = row + kj * DW;
            const v128_t v = SW == 1 ? wasm_v128_load(q)
                : wasm_i32x4_shuffle(wasm_v128_load(q), wasm_v128_load(q + 4), 0, 2, 4, 6);
            a0 = WT_MADD(wasm_v128_load32_splat(wr + kj), v, a0);
          }
        }
        wasm_v128_store(y + v8, a0);
      }
    }
  }
}
