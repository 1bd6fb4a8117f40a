/* torch.nonzero / argwhere (and boolean-mask indexing) in two passes over a bool tensor:
 *   void wt_b8_nonzero_count_<isa>(size_t n, const uint8_t* x, int64_t* count)
 *     count[0] = the number of nonzero bytes among x[0 .. n).
 *   void wt_b8_nonzero_<isa>(size_t ndim, const int32_t* shape, size_t cap, const uint8_t* x,
 *                            int64_t* y)
 *     x contiguous of `shape` (ndim >= 1); y [cap, ndim]: the coordinates of the nonzero bytes
 *     in row-major order; at most cap rows are written (cap comes from the count pass).
 * 16 bytes at a time: an all-zero vector is skipped with one test, so sparse masks cost about
 * one read of x.
 */
#include "wt_common.h"

WT_EXPORT void WT_SYM(b8_nonzero_count)(size_t n, const uint8_t* x, int64_t* count) {
  int64_t total = 0;
  size_t i = 0;
  while (i + 16 <= n) {              /* byte lanes summed for up to 255 vectors, then widened */
    v128_t acc = wasm_i8x16_splat(0);
    const size_t end = i + wt_min_size((n - i) / 16, 255) * 16;
    for (; i < end; i += 16) acc = wasm_i8x16_sub(acc, wasm_i8x16_ne(wasm_v128_load(x + i),
                                                                       wasm_i8x16_splat(0)));
    const v128_t s16 = wasm_u16x8_extadd_pairwise_u8x16(acc);
    const v128_t s32 = wasm_u32x4_extadd_pairwise_u16x8(s16);
    total += (int64_t)wasm_i32x4_extract_lane(s32, 0) + wasm_i32x4_extract_lane(s32, 1) +
             wasm_i32x4_extract_lane(s32, 2) + wasm_i32x4_extract_lane(s32, 3);
  }
  for (; i < n; i++) total += x[i] != 0;
  count[0] = total;
}

#define WT_NONZERO_MAX_DIM 64   /* torch's limit on tensor dims */

/* row r of y: the leading coordinates pos[0 .. last), then col */
static inline int64_t* put_row(int64_t* y, const int64_t* pos, size_t last, int64_t col) {
  for (size_t d = 0; d < last; d++) y[d] = pos[d];
  y[last] = col;
  return y + last + 1;
}

WT_EXPORT void WT_SYM(b8_nonzero)(size_t ndim, const int32_t* shape, size_t cap,
                                  const uint8_t* x, int64_t* y) {
  if (ndim == 0 || ndim > WT_NONZERO_MAX_DIM) return;
  int64_t pos[WT_NONZERO_MAX_DIM];   /* coordinates of the current row's first element */
  size_t rows = 1;
  for (size_t d = 0; d < ndim; d++) {
    pos[d] = 0;
    if (d + 1 < ndim) rows *= (size_t)shape[d];
  }
  const size_t cols = (size_t)shape[ndim - 1], last = ndim - 1;
  if (cols == 0) return;
  size_t left = cap;
  for (size_t r = 0; r < rows; r++, x += cols) {
    size_t j = 0;
    for (; j + 16 <= cols; j += 16) {
      /* 16 bytes at once: skipped when all zero, 16 rows stored when all nonzero (ndim 1
       * and 2 as i64x2 vectors), else one row per set bit of the mask */
      uint32_t m = wasm_i8x16_bitmask(wasm_i8x16_ne(wasm_v128_load(x + j), wasm_i8x16_splat(0)));
      if (m == 0) continue;
      if (m == 0xffff && left >= 16 && ndim <= 2) {
        if (ndim == 1) {
          v128_t v = wasm_i64x2_make((int64_t)j, (int64_t)j + 1);
          for (int k = 0; k < 8; k++, y += 2, v = wasm_i64x2_add(v, wasm_i64x2_splat(2)))
            wasm_v128_store(y, v);
        } else {
          v128_t v = wasm_i64x2_make(pos[0], (int64_t)j);
          for (int k = 0; k < 16; k++, y += 2, v = wasm_i64x2_add(v, wasm_i64x2_make(0, 1)))
            wasm_v128_store(y, v);
        }
        left -= 16;
        continue;
      }
      for (; m; m &= m - 1) {
        if (!left--) return;
        y = put_row(y, pos, last, (int64_t)(j + __builtin_ctz(m)));
      }
    }
    for (; j < cols; j++) {
      if (!x[j]) continue;
      if (!left--) return;
      y = put_row(y, pos, last, (int64_t)j);
    }
    for (size_t d = last; d-- > 0;) {      /* next row: carry through the leading dims */
      if (++pos[d] < shape[d]) break;
      pos[d] = 0;
    }
  }
}
