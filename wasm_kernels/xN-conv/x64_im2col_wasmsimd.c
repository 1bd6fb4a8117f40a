/* im2col for 8-byte elements (float64 and int64 conv2d/conv1d as a GEMM on xN-gemm), the
 * patch matrix of f32_im2col (which also serves int32: a copy is bit-exact for any 4-byte type):
 *   void wt_x64_im2col_<isa>(size_t c, size_t h, size_t w, size_t kh, size_t kw, size_t sh,
 *                            size_t sw, size_t ph, size_t pw, size_t dh, size_t dw,
 *                            size_t oh, size_t ow, size_t ld, const uint64_t* x, uint64_t* col)
 * x [c, h, w]; col [c * kh * kw, oh * ow] with row stride ld: row (ci, ki, kj) holds, for every
 * output pixel, x[ci, oy*sh - ph + ki*dh, ox*sw - pw + kj*dw], or 0 in the padding. Exact.
 */
#include "wt_common.h"
#include "../f32-conv/wt_window.h"

WT_SMALL_BEGIN

WT_EXPORT void WT_SYM(x64_im2col)(size_t c, size_t h, size_t w, size_t kh, size_t kw,
                                  size_t sh, size_t sw, size_t ph, size_t pw, size_t dh,
                                  size_t dw, size_t oh, size_t ow, size_t ld,
                                  const uint64_t* x, uint64_t* col) {
  const ptrdiff_t H = (ptrdiff_t)h, W = (ptrdiff_t)w, OH = (ptrdiff_t)oh, OW = (ptrdiff_t)ow;
  const ptrdiff_t SW = (ptrdiff_t)sw;
  for (size_t ci = 0; ci < c; ci++) {
    const uint64_t* plane = x + (ptrdiff_t)ci * H * W;
    for (size_t ki = 0; ki < kh; ki++) {
      for (size_t kj = 0; kj < kw; kj++, col += ld) {
        const ptrdiff_t x0 = (ptrdiff_t)(kj * dw) - (ptrdiff_t)pw;
        ptrdiff_t lo, hi;
        wt_span(x0, SW, W, OW, &lo, &hi);
        uint64_t* row = col;
        for (ptrdiff_t oy = 0; oy < OH; oy++, row += OW) {
          const ptrdiff_t iy = oy * (ptrdiff_t)sh - (ptrdiff_t)ph + (ptrdiff_t)(ki * dh);
          const int inside = iy >= 0 && iy < H;
          for (ptrdiff_t o = 0; o < OW; o++)
            row[o] = inside && o >= lo && o < hi ? plane[iy * W + x0 + o * SW] : 0;
        }
      }
    }
  }
}

WT_SMALL_END
