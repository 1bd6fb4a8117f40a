/* im2col for conv2d as a GEMM (NCHW):
 *   void wt_f32_im2col_<isa>(size_t c, size_t h, size_t w, size_t kh, size_t kw,
 *                            size_t sh, size_t sw, size_t ph, size_t pw, size_t dh, size_t dw,
 *                            size_t oh, size_t ow, size_t ld, const float* x, float* col)
 * x is [c, h, w]; col is [c * kh * kw, oh * ow] with row stride ld >= oh * ow (the gap is
 * left alone; a padded ld keeps the GEMM's walk down col's rows off one L1 cache set):
 * row (ci, ki, kj) holds, for every output
 * pixel, x[ci, oy*sh - ph + ki*dh, ox*sw - pw + kj*dw], or 0 where that lies in the padding.
 * Then out[oc, :] = weight[oc, :] @ col is the convolution (f32_gemm_4x8). Exact (a copy).
 * Padding is top/left; oh/ow set how far the windows reach (bottom/right padding implied).
 */
#include "wt_common.h"
#include "wt_window.h"

static void copy_row(float* dst, const float* src, ptrdiff_t n, ptrdiff_t s) {
  ptrdiff_t i = 0;
  if (s == 1) {
    for (; i + 8 <= n; i += 8) {
      wasm_v128_store(dst + i, wasm_v128_load(src + i));
      wasm_v128_store(dst + i + 4, wasm_v128_load(src + i + 4));
    }
    for (; i < n; i++) dst[i] = src[i];
  } else if (s == 2) {   /* even lanes of two vectors; the last pair may end inside the row */
    for (; 2 * i + 7 <= 2 * n - 2; i += 4) {   /* reads src[2i .. 2i+7] */
      const v128_t a = wasm_v128_load(src + 2 * i), b = wasm_v128_load(src + 2 * i + 4);
      wasm_v128_store(dst + i, wasm_i32x4_shuffle(a, b, 0, 2, 4, 6));
    }
    for (; i < n; i++) dst[i] = src[2 * i];
  } else {
    for (; i < n; i++) dst[i] = src[i * s];
  }
}

static void zero(float* p, ptrdiff_t n) {
  for (ptrdiff_t i = 0; i < n; i++) p[i] = 0.0f;
}

WT_EXPORT void WT_SYM(f32_im2col)(size_t c, size_t h, size_t w, size_t kh, size_t kw,
                                  size_t sh, size_t sw, size_t ph, size_t pw, size_t dh,
                                  size_t dw, size_t oh, size_t ow, size_t ld, const float* x,
                                  float* col) {
  const ptrdiff_t H = (ptrdiff_t)h, W = (ptrdiff_t)w, OH = (ptrdiff_t)oh, OW = (ptrdiff_t)ow;
  for (size_t ci = 0; ci < c; ci++) {
    const float* plane = x + (ptrdiff_t)ci * H * W;
    for (size_t ki = 0; ki < kh; ki++) {
      for (size_t kj = 0; kj < kw; kj++) {
        const ptrdiff_t x0 = (ptrdiff_t)(kj * dw) - (ptrdiff_t)pw;
        ptrdiff_t lo, hi;
        wt_span(x0, (ptrdiff_t)sw, W, OW, &lo, &hi);
        float* row = col;
        col += ld;
        for (ptrdiff_t oy = 0; oy < OH; oy++, row += OW) {
          const ptrdiff_t iy = oy * (ptrdiff_t)sh - (ptrdiff_t)ph + (ptrdiff_t)(ki * dh);
          if (iy < 0 || iy >= H) {
            zero(row, OW);
            continue;
          }
          zero(row, lo);
          copy_row(row + lo, plane + iy * W + x0 + lo * (ptrdiff_t)sw, hi - lo, (ptrdiff_t)sw);
          zero(row + hi, OW - hi);
        }
      }
    }
  }
}
