/* Strided gather into a contiguous output, for element sizes 1/2/4/8 bytes:
 *   void wt_x<bits>_copy_<isa>(size_t ndim, const int32_t* shape, const int32_t* strides,
 *                              const T* x, T* y)
 * y[i0, ..., i_{d-1}] (row-major, contiguous) = x[sum i_j * strides[j]] (strides in elements,
 * 0 broadcasts). ndim <= WT_COPY_MAX_DIM (callers coalesce dims first); ndim == 0 copies one
 * element. The innermost dim gets a vector loop for stride 1 and a fill for stride 0.
 * Exact; x and y must not overlap.
 */
#include "wt_common.h"

#define WT_COPY_MAX_DIM 16

#define DEFINE_COPY(bits, T)                                                                \
  static void row_##bits(const T* x, ptrdiff_t s, size_t n, T* y) {                         \
    if (s == 1) {                                                                           \
      const size_t per = 16 / sizeof(T);                                                    \
      size_t i = 0;                                                                         \
      for (; i + per <= n; i += per) wasm_v128_store(y + i, wasm_v128_load(x + i));         \
      for (; i < n; i++) y[i] = x[i];                                                       \
    } else if (s == 0) {                                                                    \
      const T v = x[0];                                                                     \
      for (size_t i = 0; i < n; i++) y[i] = v;                                              \
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
    }                                                                                       \
    const size_t n = (size_t)shape[ndim - 1];                                               \
    const ptrdiff_t s = strides[ndim - 1];                                                  \
    int32_t idx[WT_COPY_MAX_DIM] = {0};                                                     \
    ptrdiff_t off = 0;                                                                      \
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
