/* Sliding-window helpers shared by the conv and pool kernels (NCHW planes). */
#pragma once
#include <stddef.h>

/* [*lo, *hi): the outputs o in [0, count) whose input position start + o * s lies in [0, n).
 * s > 0. Both are clipped to [0, count] and lo <= hi. */
static inline void wt_span(ptrdiff_t start, ptrdiff_t s, ptrdiff_t n, ptrdiff_t count,
                           ptrdiff_t* lo, ptrdiff_t* hi) {
  ptrdiff_t l = start >= 0 ? 0 : (-start + s - 1) / s;
  ptrdiff_t h = start >= n ? 0 : (n - 1 - start) / s + 1;
  if (l > count) l = count;
  if (h > count) h = count;
  if (h < l) h = l;
  *lo = l;
  *hi = h;
}
