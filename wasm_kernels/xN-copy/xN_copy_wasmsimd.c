/* Strided gather into a contiguous output, for element sizes 1/2/4/8 bytes:
 *   void wt_x<bits>_copy_<isa>(size_t ndim, const int32_t* shape, const int32_t* strides,
 *                              const T* x, T* y)
 * y[i0, ..., i_{d-1}] (row-major, contiguous) = x[sum i_j * strides[j]] (strides in elements,
 * 0 broadcasts; a negative stride walks its dim backwards, and x then points at the view's
 * lowest-addressed element: flip). ndim <= WT_COPY_MAX_DIM (callers coalesce dims first);
 * ndim == 0 copies one
 * element. The innermost dim gets a vector loop for stride 1 (and -1: lanes reversed) and a
 * fill for stride 0.
 * When the second-innermost dim has stride 1 and the innermost does not (a transpose: x.t(),
 * permute(0, 2, 1), NCHW <-> NHWC after coalescing), each [R, C] plane is copied in cache tiles
 * of WT_TILE x WT_TILE elements instead of row by row (which would touch one element per
 * cache line of x); 32-bit elements transpose 4x4 blocks in registers; an innermost dim of 2
 * (pixel_shuffle, complex-style pairs) interleaves two source rows 16 bytes at a time.
 * Exact; x and y must not overlap.
 */
#include "wt_common.h"

#define WT_COPY_MAX_DIM 16
#define WT_TILE 32

/* y[r * C + c] = x[c * ld + r] for r < R, c < C: scalar, tiled */
#define DEFINE_TRANSPOSE(bits, T)                                                           \
  static void transpose_##bits(const T* x, ptrdiff_t ld, size_t R, size_t C, T* y) {        \
    for (size_t r0 = 0; r0 < R; r0 += WT_TILE) {                                            \
      const size_t r1 = wt_min_size(r0 + WT_TILE, R);                                       \
      for (size_t c0 = 0; c0 < C; c0 += WT_TILE) {                                          \
        const size_t c1 = wt_min_size(c0 + WT_TILE, C);                                     \
        for (size_t r = r0; r < r1; r++)                                                    \
          for (size_t c = c0; c < c1; c++) y[r * C + c] = x[(ptrdiff_t)c * ld + r];         \
      }                                                                                     \
    }                                                                                       \
  }
DEFINE_TRANSPOSE(8, uint8_t)
DEFINE_TRANSPOSE(16, uint16_t)
DEFINE_TRANSPOSE(64, uint64_t)

/* 32-bit: 4x4 register transposes inside each tile, scalar edges */
static void transpose_32(const uint32_t* x, ptrdiff_t ld, size_t R, size_t C, uint32_t* y) {
  for (size_t r0 = 0; r0 < R; r0 += WT_TILE) {
    const size_t r1 = wt_min_size(r0 + WT_TILE, R);
    for (size_t c0 = 0; c0 < C; c0 += WT_TILE) {
      const size_t c1 = wt_min_size(c0 + WT_TILE, C);
      size_t r = r0;
      for (; r + 4 <= r1; r += 4) {
        size_t c = c0;
        for (; c + 4 <= c1; c += 4) {
          const uint32_t* p = x + (ptrdiff_t)c * ld + r;   /* 4 source rows = 4 out columns */
          const v128_t v0 = wasm_v128_load(p), v1 = wasm_v128_load(p + ld);
          const v128_t v2 = wasm_v128_load(p + 2 * ld), v3 = wasm_v128_load(p + 3 * ld);
          const v128_t t0 = wasm_i32x4_shuffle(v0, v1, 0, 4, 1, 5);
          const v128_t t1 = wasm_i32x4_shuffle(v2, v3, 0, 4, 1, 5);
          const v128_t t2 = wasm_i32x4_shuffle(v0, v1, 2, 6, 3, 7);
          const v128_t t3 = wasm_i32x4_shuffle(v2, v3, 2, 6, 3, 7);
          uint32_t* q = y + r * C + c;
          wasm_v128_store(q, wasm_i64x2_shuffle(t0, t1, 0, 2));
          wasm_v128_store(q + C, wasm_i64x2_shuffle(t0, t1, 1, 3));
          wasm_v128_store(q + 2 * C, wasm_i64x2_shuffle(t2, t3, 0, 2));
          wasm_v128_store(q + 3 * C, wasm_i64x2_shuffle(t2, t3, 1, 3));
        }
        for (; c < c1; c++)
          for (size_t i = 0; i < 4; i++) y[(r + i) * C + c] = x[(ptrdiff_t)c * ld + r + i];
      }
      for (; r < r1; r++)
        for (size_t c = c0; c < c1; c++) y[r * C + c] = x[(ptrdiff_t)c * ld + r];
    }
  }
}

/* y[2 r + c] = x[c * ld + r] for r < R, c < 2: two rows zipped a vector at a time */
#define DEFINE_ZIP2(bits, T, LO, HI)                                                        \
  static void zip2_##bits(const T* x, ptrdiff_t ld, size_t R, T* y) {                       \
    const size_t per = 16 / sizeof(T);                                                      \
    size_t r = 0;                                                                           \
    for (; r + per <= R; r += per) {                                                        \
      const v128_t a = wasm_v128_load(x + r), b = wasm_v128_load(x + ld + r);               \
      wasm_v128_store(y + 2 * r, LO);                                                       \
      wasm_v128_store(y + 2 * r + per, HI);                                                 \
    }                                                                                       \
    for (; r < R; r++) {                                                                    \
      y[2 * r] = x[r];                                                                      \
      y[2 * r + 1] = x[ld + r];                                                             \
    }                                                                                       \
  }
DEFINE_ZIP2(8, uint8_t,
            wasm_i8x16_shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23),
            wasm_i8x16_shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15,
                               31))
DEFINE_ZIP2(16, uint16_t, wasm_i16x8_shuffle(a, b, 0, 8, 1, 9, 2, 10, 3, 11),
            wasm_i16x8_shuffle(a, b, 4, 12, 5, 13, 6, 14, 7, 15))
DEFINE_ZIP2(32, uint32_t, wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), wasm_i32x4_shuffle(a, b, 2, 6, 3, 7))
DEFINE_ZIP2(64, uint64_t, wasm_i64x2_shuffle(a, b, 0, 2), wasm_i64x2_shuffle(a, b, 1, 3))

#define REV_8(v) \
  wasm_i8x16_shuffle(v, v, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define REV_16(v) wasm_i16x8_shuffle(v, v, 7, 6, 5, 4, 3, 2, 1, 0)
#define REV_32(v) wasm_i32x4_shuffle(v, v, 3, 2, 1, 0)
#define REV_64(v) wasm_i64x2_shuffle(v, v, 1, 0)

#define DEFINE_COPY(bits, T)                                                                \
  /* not inlined: copy and copy_strided share it (module size) */                         \
  __attribute__((noinline)) static void row_##bits(const T* x, ptrdiff_t s, size_t n,     \
                                                   T* y) {                                 \
    if (s == 1) {                                                                           \
      const size_t per = 16 / sizeof(T);                                                    \
      size_t i = 0;                                                                         \
      for (; i + per <= n; i += per) wasm_v128_store(y + i, wasm_v128_load(x + i));         \
      for (; i < n; i++) y[i] = x[i];                                                       \
    } else if (s == 0) {                                                                    \
      const T v = x[0];                                                                     \
      for (size_t i = 0; i < n; i++) y[i] = v;                                              \
    } else if (s == -1) {      /* flip of the last dim: vectors with their lanes reversed */ \
      const size_t per = 16 / sizeof(T);                                                    \
      size_t i = 0;                                                                         \
      _Pragma("clang loop unroll(disable)")                                                 \
      for (; i + per <= n; i += per)                                                        \
        wasm_v128_store(y + i, REV_##bits(wasm_v128_load(x - i - (per - 1))));              \
      _Pragma("clang loop vectorize(disable) unroll(disable)")                              \
      for (; i < n; i++) y[i] = x[-(ptrdiff_t)i];                                           \
    } else {                                                                                \
      for (size_t i = 0; i < n; i++) y[i] = x[(ptrdiff_t)i * s];                            \
    }                                                                                       \
  }                                                                                         \
  WT_EXPORT void WT_SYM(x##bits##_copy)(size_t ndim, const int32_t* shape,                  \
                                        const int32_t* strides, const T* x, T* y) {         \
    if (ndim == 0) {                                                                        \
      y[0] = x[0];                                                                          \
      return;                                                                               \
    }                                                                                       \
    if (ndim > WT_COPY_MAX_DIM) return;                                                     \
    size_t rows = 1;                                                                        \
    for (size_t d = 0; d < ndim; d++) {                                                     \
      if (shape[d] <= 0) return;                                                            \
      if (d + 1 < ndim) rows *= (size_t)shape[d];                                           \
      if (strides[d] < 0) x -= (ptrdiff_t)(shape[d] - 1) * strides[d];                      \
    }                                                                                       \
    const size_t n = (size_t)shape[ndim - 1];                                               \
    const ptrdiff_t s = strides[ndim - 1];                                                  \
    int32_t idx[WT_COPY_MAX_DIM] = {0};                                                     \
    ptrdiff_t off = 0;                                                                      \
    if (ndim >= 2 && strides[ndim - 2] == 1 && s != 1 && s != 0 && n > 1 &&                \
        shape[ndim - 2] > 1) {                                                              \
      /* planes of [R, n] transposed from x, the outer dims by the odometer below */        \
      const size_t R = (size_t)shape[ndim - 2];                                             \
      for (size_t p = 0; p < rows / R; p++, y += R * n) {                                   \
        if (n == 2) zip2_##bits(x + off, s, R, y);                                          \
        else transpose_##bits(x + off, s, R, n, y);                                         \
        for (size_t d = ndim - 2; d-- > 0;) {                                               \
          off += strides[d];                                                                \
          if (++idx[d] < shape[d]) break;                                                   \
          off -= (ptrdiff_t)shape[d] * strides[d];                                          \
          idx[d] = 0;                                                                       \
        }                                                                                   \
      }                                                                                     \
      return;                                                                               \
    }                                                                                       \
    for (size_t r = 0; r < rows; r++, y += n) {                                             \
      row_##bits(x + off, s, n, y);                                                         \
      /* odometer over the outer dims, updating the offset incrementally */                 \
      for (size_t d = ndim - 1; d-- > 0;) {                                                 \
        off += strides[d];                                                                  \
        if (++idx[d] < shape[d]) break;                                                     \
        off -= (ptrdiff_t)shape[d] * strides[d];                                            \
        idx[d] = 0;                                                                         \
      }                                                                                     \
    }                                                                                       \
  }

DEFINE_COPY(8, uint8_t)
DEFINE_COPY(16, uint16_t)
DEFINE_COPY(32, uint32_t)
DEFINE_COPY(64, uint64_t)

/* Strided to strided, for writes into views (cat's slices, slice assignment, caches):
 *   void wt_x<bits>_copy_strided_<isa>(size_t ndim, const int32_t* shape,
 *                                      const int32_t* x_strides, const int32_t* y_strides,
 *                                      const T* x, T* y)
 * y[sum i_j * y_strides[j]] = x[sum i_j * x_strides[j]] (elements; x strides may be 0; with
 * negative strides x / y point at the lowest-addressed element, as in x<bits>_copy).
 * Rows with unit y stride reuse the gather row loop; x and y must not overlap. */
#define DEFINE_COPY_STRIDED(bits, T)                                                        \
  WT_EXPORT void WT_SYM(x##bits##_copy_strided)(size_t ndim, const int32_t* shape,          \
                                                const int32_t* xs, const int32_t* ys,       \
                                                const T* x, T* y) {                         \
    if (ndim == 0) {                                                                        \
      y[0] = x[0];                                                                          \
      return;                                                                               \
    }                                                                                       \
    if (ndim > WT_COPY_MAX_DIM) return;                                                     \
    size_t rows = 1;                                                                        \
    for (size_t d = 0; d < ndim; d++) {                                                     \
      if (shape[d] <= 0) return;                                                            \
      if (d + 1 < ndim) rows *= (size_t)shape[d];                                           \
      if (xs[d] < 0) x -= (ptrdiff_t)(shape[d] - 1) * xs[d];                                \
      if (ys[d] < 0) y -= (ptrdiff_t)(shape[d] - 1) * ys[d];                                \
    }                                                                                       \
    const size_t n = (size_t)shape[ndim - 1];                                               \
    const ptrdiff_t sx = xs[ndim - 1], sy = ys[ndim - 1];                                   \
    int32_t idx[WT_COPY_MAX_DIM] = {0};                                                     \
    ptrdiff_t ox = 0, oy = 0;                                                               \
    for (size_t r = 0; r < rows; r++) {                                                     \
      if (sy == 1) {                                                                        \
        row_##bits(x + ox, sx, n, y + oy);                                                  \
      } else { /* rare (e.g. a column of a matrix): kept small, not vectorised */          \
        _Pragma("clang loop vectorize(disable) unroll(disable)")                            \
        for (size_t i = 0; i < n; i++) y[oy + (ptrdiff_t)i * sy] = x[ox + (ptrdiff_t)i * sx]; \
      }                                                                                     \
      for (size_t d = ndim - 1; d-- > 0;) {                                                 \
        ox += xs[d];                                                                        \
        oy += ys[d];                                                                        \
        if (++idx[d] < shape[d]) break;                                                     \
        ox -= (ptrdiff_t)shape[d] * xs[d];                                                  \
        oy -= (ptrdiff_t)shape[d] * ys[d];                                                  \
        idx[d] = 0;                                                                         \
      }                                                                                     \
    }                                                                                       \
  }

DEFINE_COPY_STRIDED(8, uint8_t)
DEFINE_COPY_STRIDED(16, uint16_t)
DEFINE_COPY_STRIDED(32, uint32_t)
DEFINE_COPY_STRIDED(64, uint64_t)

/* tril / triu of contiguous [planes, m, n] matrices of any element size (bytes), diagonal
 * clamped by the caller to [-m - 1, n + 1]:
 *   void wt_x8_<tril|triu>_<isa>(size_t planes, size_t m, size_t n, size_t isz,
 *                                int32_t diagonal, const uint8_t* x, uint8_t* y)
 * each row a copy of the kept columns and a zero fill of the others (zero bits: +0, False) */
static void tri_rows(size_t planes, size_t m, size_t n, size_t isz, int32_t diagonal,
                     int lower, const uint8_t* x, uint8_t* y) {
  const size_t rb = n * isz;
  for (size_t p = 0; p < planes; p++) {
    for (size_t i = 0; i < m; i++, x += rb, y += rb) {
      /* columns j < cut are the lower part (j <= i + diagonal) */
      ptrdiff_t cut = (ptrdiff_t)i + diagonal + 1;
      cut = cut < 0 ? 0 : cut > (ptrdiff_t)n ? (ptrdiff_t)n : cut;
      const size_t c = (size_t)cut * isz;
      const size_t k0 = lower ? 0 : c, k1 = lower ? c : rb;  /* the copied bytes */
      size_t k = 0;
      for (; k + 16 <= k0; k += 16) wasm_v128_store(y + k, wasm_i32x4_splat(0));
      for (; k < k0; k++) y[k] = 0;
      for (; k + 16 <= k1; k += 16) wasm_v128_store(y + k, wasm_v128_load(x + k));
      for (; k < k1; k++) y[k] = x[k];
      for (; k + 16 <= rb; k += 16) wasm_v128_store(y + k, wasm_i32x4_splat(0));
      for (; k < rb; k++) y[k] = 0;
    }
  }
}
WT_EXPORT void WT_SYM(x8_tril)(size_t planes, size_t m, size_t n, size_t isz, int32_t diagonal,
                               const uint8_t* x, uint8_t* y) {
  tri_rows(planes, m, n, isz, diagonal, 1, x, y);
}
WT_EXPORT void WT_SYM(x8_triu)(size_t planes, size_t m, size_t n, size_t isz, int32_t diagonal,
                               const uint8_t* x, uint8_t* y) {
  tri_rows(planes, m, n, isz, diagonal - 1, 0, x, y);
}
