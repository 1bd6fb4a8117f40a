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
  size_t written = 0;
  for (size_t r = 0; r < rows; r++, x += cols) {
    for (size_t j = 0; j < cols;) {
      if (j + 16 <= cols && !wasm_v128_any_true(wasm_v128_load(x + j))) {
        j += 16;
        continue;
      }
      const size_t end = j + 16 <= cols ? j + 16 : cols;
      for (; j < end; j++) {         /* the next row always written, kept when x[j] != 0 */
        if (written == cap) return;  /* (no branch on the data: dense masks mispredict) */
        pos[last] = (int64_t)j;
        for (size_t d = 0; d < ndim; d++) y[d] = pos[d];
        const size_t nz = x[j] != 0;
        y += ndim * nz;
        written += nz;
      }
    }
    for (size_t d = last; d-- > 0;) {      /* next row: carry through the leading dims */
      if (++pos[d] < shape[d]) break;
      pos[d] = 0;
    }
  }
}
