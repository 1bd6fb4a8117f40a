/* The one loop shape of every f32 binary kernel: a 2-D broadcast form
 *   void wt_f32_<op>_<isa>(size_t m, size_t n,
 *                          const float* a, int32_t a_rs, int32_t a_cs,
 *                          const float* b, int32_t b_rs, int32_t b_cs, OUT* y)
 * y is contiguous [m, n]; a(i, j) = a[i*a_rs + j*a_cs] and likewise b. A stride of 0 broadcasts,
 * so same-shape (m = 1), scalar, row and column broadcasts are all this one form.
 * Column strides 1 and 0 get vector loops (the branch is hoisted out of the row loop);
 * any other column stride takes a gather loop. Tails use the vector op on splats so the
 * scalar and vector paths give bit-identical results. OUT is float, or uint8_t for the
 * comparisons (0/1). Each kernel also has a flat twin for same-shape contiguous operands:
 *   void wt_f32_<op>_flat_<isa>(size_t n, const float* a, const float* b, OUT* y)
 * and a flatc twin for a contiguous `a` and a scalar b[0] (same arguments).
 */
#pragma once
#include "wt_common.h"

static inline v128_t wt_load_cs(const float* p, ptrdiff_t cs) {
  if (cs == 1) return wasm_v128_load(p);
  if (cs == 0) return wasm_v128_load32_splat(p);
  return wasm_f32x4_make(p[0], p[cs], p[2 * cs], p[3 * cs]);
}

/* f32 outputs */
static inline void wt_put4_f32(float* y, v128_t v) { wasm_v128_store(y, v); }
static inline void wt_put1_f32(float* y, v128_t v) { *y = wasm_f32x4_extract_lane(v, 0); }

/* uint8 0/1 outputs from an all-ones/all-zeros lane mask */
static inline void wt_put4_u8(uint8_t* y, v128_t mask) {
  const v128_t b = wasm_v128_and(mask, wasm_i32x4_splat(1));
  const v128_t packed = wasm_i8x16_shuffle(b, b, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12);
  wasm_v128_store32_lane(y, packed, 0);
}
static inline void wt_put1_u8(uint8_t* y, v128_t mask) {
  *y = (uint8_t)(wasm_i32x4_extract_lane(mask, 0) & 1);
}

#define WT_BINARY_ROW(VOP, PUT4, PUT1, pa, acs, pb, bcs, py, n)                      \
  do {                                                                              \
    size_t j = 0;                                                                   \
    for (; j + 4 <= (n); j += 4)                                                    \
      PUT4((py) + j,  VOP(wt_load_cs((pa) + (ptrdiff_t)j * (acs), (acs)),          \
                           wt_load_cs((pb) + (ptrdiff_t)j * (bcs), (bcs))));        \
    for (; j < (n); j++)                                                            \
      PUT1((py) + j,  VOP(wasm_v128_load32_splat((pa) + (ptrdiff_t)j * (acs)),     \
                           wasm_v128_load32_splat((pb) + (ptrdiff_t)j * (bcs))));   \
  } while (0)

#define WT_BINARY_KERNEL(op, VOP, OUT, PUT4, PUT1)                                             \
  WT_EXPORT void WT_SYM(f32_##op)(size_t m, size_t n, const float* a, int32_t a_rs,     \
                                  int32_t a_cs, const float* b, int32_t b_rs,           \
                                  int32_t b_cs, OUT* y) {                               \
    for (size_t i = 0; i < m; i++, y += n) {                                            \
      const float* pa = a + (ptrdiff_t)i * a_rs;                                        \
      const float* pb = b + (ptrdiff_t)i * b_rs;                                        \
      if (a_cs == 1 && b_cs == 1) WT_BINARY_ROW(VOP, PUT4, PUT1, pa, 1, pb, 1, y, n);      \
      else if (a_cs == 1 && b_cs == 0) WT_BINARY_ROW(VOP, PUT4, PUT1, pa, 1, pb, 0, y, n); \
      else if (a_cs == 0 && b_cs == 1) WT_BINARY_ROW(VOP, PUT4, PUT1, pa, 0, pb, 1, y, n); \
      else WT_BINARY_ROW(VOP, PUT4, PUT1, pa, a_cs, pb, b_cs, y, n);                       \
    }                                                                                   \
  }                                                                                     \
  /* the same-shape contiguous case alone: 4 arguments instead of 9, since every         \
   * argument of a call from Python (ctypes in Pyodide) costs ~0.1 us */                 \
  WT_EXPORT void WT_SYM(f32_##op##_flat)(size_t n, const float* a, const float* b, OUT* y) { \
    WT_BINARY_ROW(VOP, PUT4, PUT1, a, 1, b, 1, y, n);                                   \
  }                                                                                     \
  /* and with b one value broadcast (x * 2.0, x > 0) */                                 \
  WT_EXPORT void WT_SYM(f32_##op##_flatc)(size_t n, const float* a, const float* b, OUT* y) { \
    WT_BINARY_ROW(VOP, PUT4, PUT1, a, 1, b, 0, y, n);                                   \
  }
