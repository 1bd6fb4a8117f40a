/* Scatter with a reduction along one dim (scatter_add, scatter_reduce, scatter(reduce=...),
 * index_add, fold's column sums; gather's and embedding's backward):
 *   void wt_<dt>_scatter_reduce_<isa>(size_t outer, size_t n, size_t m, size_t inner,
 *       size_t mode, const int64_t* idx, const T* src, T* y, int32_t* status)
 *   dt: f32 f64 i64 i32 i16 i8 u8 b8 (bool) f16 bf16
 * idx and src are contiguous [outer, m, inner], y is contiguous [outer, n, inner]:
 *   y[o, idx[o, j, i], i] = op(y[o, idx[o, j, i], i], src[o, j, i])   in j order
 * with op by mode: 0 sum, 1 prod, 2 amax, 3 amin. That is torch's CPU loop, so float sums and
 * products round as torch's do; integers wrap (two's complement, like torch's); bool sums are
 * or, products and; a NaN source wins amax/amin and a NaN already in y stays (torch's
 * isnan(src) ? src : max(y, src)). float16/bfloat16 reduce in float32 (torch's opmath) and
 * round once: each [n, c] part of y is converted into a float32 slab of WT_SLAB floats, reduced
 * there (src's rows converted block by block) and written back; when not even one column fits
 * (n > WT_SLAB), status[0] = -2 and
 * nothing is written (the caller goes through float32 itself).
 * Every index is checked first: if one is outside [0, n), status[0] = its flat position and y
 * is not written; otherwise status[0] = -1. Never writes out of bounds.
 */
#include "wt_common.h"
#define WT_INDEX_DEFINE
#include "wt_index.h"

WT_SMALL_BEGIN

#define WT_SLAB 8192
static float slab[WT_SLAB], sbuf[WT_SLAB]; /* the halves' part of y, a block of src rows */

/* one loop per mode: the reduction is inlined, not a call per element. m rows of c columns:
 * idx rows of is elements, src rows of ss, w (y or the slab) rows of rs */
#define SCATTER_LOOP(T, EXPR)                                                              \
  if (c == 1 && is == 1 && ss == 1) { /* inner == 1: one flat loop */                     \
    for (size_t j = 0; j < m; j++) {                                                      \
      T* p = w + (size_t)idx[j] * rs;                                                     \
      const T a = *p, v = src[j];                                                         \
      *p = (T)(EXPR);                                                                     \
    }                                                                                     \
  } else                                                                                  \
  for (size_t j = 0; j < m; j++, idx += is, src += ss) {                                  \
    for (size_t i = 0; i < c; i++) {                                                      \
      T* p = w + (size_t)idx[i] * rs + i;                                                 \
      const T a = *p, v = src[i];                                                         \
      *p = (T)(EXPR);                                                                     \
    }                                                                                     \
  }

#define WT_ID(x) (x)
#define WT_NZ(x) ((x) != 0)

/* T: storage type; U: the type sums and products are computed in (unsigned for integers:
 * wrap-around without undefined behaviour); FIX: bool's != 0 */
#define DEFINE_SCATTER_CORE(dt, T, U, FIX)                                                  \
  static void dt##_core(size_t m, size_t c, size_t is, size_t ss, size_t rs, size_t mode,   \
                        const int64_t* idx, const T* src, T* w) {                           \
    switch (mode) {                                                                         \
      case 0: SCATTER_LOOP(T, FIX((U)a + (U)v)) break;                                      \
      case 1: SCATTER_LOOP(T, FIX((U)a * (U)v)) break;                                      \
      case 2: SCATTER_LOOP(T, (v != v || a < v) ? v : a) break;                             \
      case 3: SCATTER_LOOP(T, (v != v || v < a) ? v : a) break;                             \
      default: break;                                                                       \
    }                                                                                       \
  }
#define DEFINE_SCATTER_ENTRY(dt, T)                                                         \
  WT_EXPORT void WT_SYM(dt##_scatter_reduce)(size_t outer, size_t n, size_t m,              \
      size_t inner, size_t mode, const int64_t* idx, const T* src, T* y, int32_t* status) { \
    status[0] = wt_first_bad_index(idx, outer * m * inner, n);                              \
    if (status[0] != -1) return;                                                            \
    for (size_t o = 0; o < outer; o++, y += n * inner, idx += m * inner, src += m * inner) \
      dt##_core(m, inner, inner, inner, inner, mode, idx, src, y);                          \
  }

#define DEFINE_SCATTER(dt, T, U, FIX) DEFINE_SCATTER_CORE(dt, T, U, FIX) DEFINE_SCATTER_ENTRY(dt, T)
DEFINE_SCATTER(f32, float, float, WT_ID)
DEFINE_SCATTER(f64, double, double, WT_ID)
DEFINE_SCATTER(i64, int64_t, uint64_t, WT_ID)
DEFINE_SCATTER(i32, int32_t, uint32_t, WT_ID)
DEFINE_SCATTER(i16, int16_t, uint32_t, WT_ID)
DEFINE_SCATTER(i8, int8_t, uint32_t, WT_ID)
DEFINE_SCATTER(u8, uint8_t, uint32_t, WT_ID)
DEFINE_SCATTER(b8, uint8_t, uint32_t, WT_NZ)

WT_SMALL_END
/* the halves' float32 sums at full optimisation (scatter_add / index_add of halves ran at
 * 10-15x the memory time under minsize) */
static void h32_sum(size_t m, size_t c, size_t is, size_t ss, size_t rs, const int64_t* idx,
                    const float* src, float* w) {
  SCATTER_LOOP(float, a + v)
}

/* float16 / bfloat16: float32's loops on the slab (y's columns [i0, i0 + c) of one outer
 * index) and on blocks of src converted to float32 */
static void halves(size_t outer, size_t n, size_t m, size_t inner, size_t mode,
                   const int64_t* idx, const uint16_t* src, uint16_t* y, int32_t* status,
                   int bf) {
  status[0] = wt_first_bad_index(idx, outer * m * inner, n);
  if (status[0] != -1) return;
  const size_t cw = wt_min_size(inner, WT_SLAB / n);
  if (!cw) {
    status[0] = -2;
    return;
  }
  for (size_t o = 0; o < outer; o++, y += n * inner, idx += m * inner, src += m * inner) {
    for (size_t i0 = 0; i0 < inner; i0 += cw) {
      const size_t c = wt_min_size(inner - i0, cw), jb = WT_SLAB / c;
      /* whole rows (c == inner) are one contiguous run */
      const size_t rows = c == inner ? 1 : n, run = c == inner ? n * c : c;
      for (size_t r = 0; r < rows; r++) wt_halves_to_f32(y + r * inner + i0, slab + r * c, run, bf);
      for (size_t j0 = 0; j0 < m; j0 += jb) {
        const size_t mj = wt_min_size(m - j0, jb);
        for (size_t j = 0; j < (c == inner ? 1 : mj); j++)
          wt_halves_to_f32(src + (j0 + j) * inner + i0, sbuf + j * c, c == inner ? mj * c : c,
                           bf);
        if (mode) f32_core(mj, c, inner, c, c, mode, idx + j0 * inner + i0, sbuf, slab);
        else h32_sum(mj, c, inner, c, c, idx + j0 * inner + i0, sbuf, slab);
      }
      for (size_t r = 0; r < rows; r++) wt_f32_to_halves(slab + r * c, y + r * inner + i0, run, bf);
    }
  }
}

WT_HALF_SCATTERS(scatter_reduce)
