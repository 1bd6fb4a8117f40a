/* Scatter of whole rows by a 1-D index (index_add, index_copy, index_fill, index_put, put: a
 * scatter whose index is one vector expanded over the other dims):
 *   void wt_<dt>_scatter_rows_<isa>(size_t outer, size_t n, size_t m, size_t inner,
 *       size_t mode, const int64_t* idx, const T* src, T* y, int32_t* status)
 *   dt: f32 f64 i64 i32 i16 x8 (int8 and uint8) b8 (bool) f16 bf16
 * idx is [m], src is contiguous [outer, m, inner], y is contiguous [outer, n, inner]; for every
 * j in order, the row y[o, idx[j], :] gets src[o, j, :] by mode:
 *   0 sum: added (integers wrap, bool or, float16/bfloat16 computed in float32 and rounded);
 *   1 copy: written (later j win);  2 fill: src[0] written into every indexed row.
 * float16/bfloat16 sums: torch rounds once after summing every contribution in float32; that
 * is one rounding per row when no index repeats, so with a repeated index (or n > 2**16)
 * status[0] = -2 and nothing is written (the caller sums in float32 itself).
 * Every index is checked first: if one is outside [0, n), status[0] = its position and y is
 * not written; otherwise status[0] = -1.
 */
#include "wt_common.h"
#include "wt_index.h"

static uint8_t seen[8192]; /* one bit per row: repeated indices of a float16 sum */

/* 1 if some index repeats (or n is too large to tell); the bits are cleared again */
static int index_repeats(const int64_t* idx, size_t m, size_t n) {
  if (n > 8 * sizeof seen) return 1;
  size_t j = 0;
  for (; j < m; j++) {
    const size_t r = (size_t)idx[j];
    if (seen[r >> 3] & (1u << (r & 7))) break;
    seen[r >> 3] |= (uint8_t)(1u << (r & 7));
  }
  for (size_t k = 0; k < j; k++) seen[(size_t)idx[k] >> 3] = 0;
  return j < m;
}

/* modes 1 and 2 for every dtype: rows of rb bytes, elements of w bytes */
static void copy_rows(size_t outer, size_t n, size_t m, size_t rb, size_t w, size_t mode,
                      const int64_t* idx, const uint8_t* src, uint8_t* y) {
  if (mode == 1 && rb == w && (w == 1 || w == 2 || w == 4 || w == 8)) { /* put: elements */
    for (size_t o = 0; o < outer; o++, y += n * w, src += m * w) {
      if (w == 1) for (size_t j = 0; j < m; j++) y[idx[j]] = src[j];
      else if (w == 2) for (size_t j = 0; j < m; j++) ((uint16_t*)y)[idx[j]] = ((const uint16_t*)src)[j];
      else if (w == 4) for (size_t j = 0; j < m; j++) ((uint32_t*)y)[idx[j]] = ((const uint32_t*)src)[j];
      else for (size_t j = 0; j < m; j++) ((uint64_t*)y)[idx[j]] = ((const uint64_t*)src)[j];
    }
    return;
  }
  uint8_t pat[16];
  for (size_t b = 0; b < 16; b++) pat[b] = src[b % w];
  for (size_t o = 0; o < outer; o++, y += n * rb) {
    for (size_t j = 0; j < m; j++, src += rb) {
      uint8_t* yr = y + (size_t)idx[j] * rb;
      if (mode == 1) {
        wt_copy_bytes(yr, src, rb);
      } else {
        size_t i = 0;
        for (; i + 16 <= rb; i += 16) wasm_v128_store(yr + i, wasm_v128_load(pat));
        for (; i < rb; i++) yr[i] = pat[i % w];
      }
    }
  }
}

#define SSUM_ADD(a, b) ((a) + (b))
#define SSUM_B8(a, b) ((a) | (b))

/* VSUM: 16 bytes of rows added; SSUM: one element */
#define DEFINE_SCATTER_ROWS(dt, T, VSUM, SSUM)                                         \
  WT_EXPORT void WT_SYM(dt##_scatter_rows)(size_t outer, size_t n, size_t m, size_t inner,  \
      size_t mode, const int64_t* idx, const T* src, T* y, int32_t* status) {               \
    status[0] = wt_first_bad_index(idx, m, n);                                              \
    if (status[0] != -1) return;                                                            \
    if (mode) {                                                                             \
      copy_rows(outer, n, m, inner * sizeof(T), sizeof(T), mode, idx, (const uint8_t*)src,  \
                (uint8_t*)y);                                                               \
      return;                                                                               \
    }                                                                                       \
    const size_t L = 16 / sizeof(T);                                                        \
    if (inner == 1) { /* put: one element per index */                                      \
      for (size_t o = 0; o < outer; o++, y += n, src += m)                                  \
        for (size_t j = 0; j < m; j++) y[idx[j]] = (T)SSUM(y[idx[j]], src[j]);              \
      return;                                                                               \
    }                                                                                       \
    for (size_t o = 0; o < outer; o++, y += n * inner) {                                    \
      for (size_t j = 0; j < m; j++, src += inner) {                                        \
        T* yr = y + (size_t)idx[j] * inner;                                                 \
        size_t i = 0;                                                                       \
        for (; i + L <= inner; i += L)                                                      \
          wasm_v128_store(yr + i, VSUM(wasm_v128_load(yr + i), wasm_v128_load(src + i)));   \
        for (; i < inner; i++) yr[i] = (T)SSUM(yr[i], src[i]);                              \
      }                                                                                     \
    }                                                                                       \
  }

WT_SMALL_BEGIN
DEFINE_SCATTER_ROWS(f32, float, wasm_f32x4_add, SSUM_ADD)
DEFINE_SCATTER_ROWS(f64, double, wasm_f64x2_add, SSUM_ADD)
DEFINE_SCATTER_ROWS(i64, uint64_t, wasm_i64x2_add, SSUM_ADD)
DEFINE_SCATTER_ROWS(i32, uint32_t, wasm_i32x4_add, SSUM_ADD)
DEFINE_SCATTER_ROWS(i16, uint16_t, wasm_i16x8_add, SSUM_ADD)
DEFINE_SCATTER_ROWS(x8, uint8_t, wasm_i8x16_add, SSUM_ADD) /* int8 and uint8 */
DEFINE_SCATTER_ROWS(b8, uint8_t, wasm_v128_or, SSUM_B8)

WT_SMALL_END

/* y[i] += s[i] for n halves, in float32 lanes (8 at a time; the tail through a stage) */
#define DEFINE_ADD_HALVES(name, FROM, TO, BF)                                                 \
  static void name(uint16_t* y, const uint16_t* s, size_t n) {                                \
    size_t i = 0;                                                                             \
    for (; i + 8 <= n; i += 8) {                                                              \
      v128_t a0, a1, b0, b1;                                                                  \
      FROM(wasm_v128_load(y + i), &a0, &a1);                                                  \
      FROM(wasm_v128_load(s + i), &b0, &b1);                                                  \
      wasm_v128_store(y + i, TO(wasm_f32x4_add(a0, b0), wasm_f32x4_add(a1, b1)));             \
    }                                                                                         \
    if (i < n) {                                                                              \
      float a[8], b[8];                                                                       \
      wt_halves_to_f32(y + i, a, n - i, BF);                                                  \
      wt_halves_to_f32(s + i, b, n - i, BF);                                                  \
      for (size_t k = 0; k < n - i; k++) a[k] += b[k];                                        \
      wt_f32_to_halves(a, y + i, n - i, BF);                                                  \
    }                                                                                         \
  }
DEFINE_ADD_HALVES(add_f16, v_f32x8_from_f16, v_f16x8_from_f32, 0)
DEFINE_ADD_HALVES(add_bf16, v_f32x8_from_bf16, v_bf16x8_from_f32, 1)

/* float16 / bfloat16 sums: rows through float32 lanes */
static void halves(size_t outer, size_t n, size_t m, size_t inner, size_t mode,
                   const int64_t* idx, const uint16_t* src, uint16_t* y, int32_t* status,
                   int bf) {
  status[0] = wt_first_bad_index(idx, m, n);
  if (status[0] != -1) return;
  if (mode) {
    copy_rows(outer, n, m, 2 * inner, 2, mode, idx, (const uint8_t*)src, (uint8_t*)y);
    return;
  }
  if (index_repeats(idx, m, n)) {
    status[0] = -2;
    return;
  }
  float a[256], b[256];
  if (inner == 1) { /* put: 8 (distinct) elements at a time */
    for (size_t o = 0; o < outer; o++, y += n, src += m) {
      for (size_t j0 = 0; j0 < m; j0 += 256) {
        const size_t c = wt_min_size(m - j0, 256);
        uint16_t t[256];
        for (size_t j = 0; j < c; j++) t[j] = y[idx[j0 + j]];
        wt_halves_to_f32(t, a, c, bf);
        wt_halves_to_f32(src + j0, b, c, bf);
        for (size_t i = 0; i < c; i++) a[i] += b[i];
        wt_f32_to_halves(a, t, c, bf);
        for (size_t j = 0; j < c; j++) y[idx[j0 + j]] = t[j];
      }
    }
    return;
  }
  for (size_t o = 0; o < outer; o++, y += n * inner)
    for (size_t j = 0; j < m; j++, src += inner)
      (bf ? add_bf16 : add_f16)(y + (size_t)idx[j] * inner, src, inner);
}

WT_HALF_SCATTERS(scatter_rows)
