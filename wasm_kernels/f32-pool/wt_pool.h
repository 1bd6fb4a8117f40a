/* avg_pool2d's shared pieces (f32-pool, xN-pool): an output row's window rows, and the
 * vector rows of 2-wide, stride-2 windows without column padding (the common CNN pooling),
 * each sum in torch's order (0, then row by row, left column first) divided once. */
#pragma once
#include "wt_common.h"

/* output row oy: its valid input rows [*v0, *v1) and its full-width windows' divisor (torch's:
 * the override, else the window's area with padding counted or not) */
static inline ptrdiff_t wt_avg_rows(ptrdiff_t oy, ptrdiff_t H, ptrdiff_t KH, ptrdiff_t SH,
                                    ptrdiff_t PH, ptrdiff_t KW, size_t count_include_pad,
                                    int32_t divisor_override, ptrdiff_t* v0, ptrdiff_t* v1) {
  const ptrdiff_t y0 = oy * SH - PH;
  const ptrdiff_t y1 = y0 + KH < H + PH ? y0 + KH : H + PH;
  *v0 = y0 < 0 ? 0 : y0;
  *v1 = y1 > H ? H : y1;
  return divisor_override ? divisor_override
                          : (count_include_pad ? y1 - y0 : *v1 - *v0) * KW;
}

/* the pairs path applies: 2-wide stride-2 windows inside the row, ow a multiple of lanes */
static inline int wt_avg_pairs_ok(size_t kw, size_t sw, size_t pw, size_t w, size_t ow,
                                  size_t lanes) {
  return kw == 2 && sw == 2 && pw == 0 && 2 * ow <= w && ow % lanes == 0;
}

/* one output row of the pairs path: its rows r (stride w), divisor d; bf: bfloat16 (halves) */
typedef void (*wt_avg_row)(int bf, const void* r, size_t w, ptrdiff_t rows, ptrdiff_t d,
                           size_t ow, void* y);

/* every output row of the pairs path; es: the element size. Rows without a valid input row
 * (only padding) are zeros, as torch's. */
static __attribute__((noinline, minsize)) void wt_avg_pairs(
    wt_avg_row row, int bf, size_t es, size_t planes, size_t h, size_t w, size_t oh, size_t ow,
    size_t kh, size_t sh, size_t ph, size_t count_include_pad, int32_t divisor_override,
    const char* x, char* y) {
  for (size_t p = 0; p < planes; p++, x += h * w * es)
    for (ptrdiff_t oy = 0; oy < (ptrdiff_t)oh; oy++, y += ow * es) {
      ptrdiff_t v0, v1;
      const ptrdiff_t d = wt_avg_rows(oy, h, kh, sh, ph, 2, count_include_pad,
                                      divisor_override, &v0, &v1);
      if (v0 >= v1)
        for (size_t i = 0; i < ow * es; i++) y[i] = 0;
      else
        row(bf, x + v0 * w * es, w, v1 - v0, d, ow, y);
    }
}
