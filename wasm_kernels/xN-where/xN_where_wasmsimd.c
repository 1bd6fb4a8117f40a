/* where(cond, a, b) for element sizes 1/2/4/8 bytes, in the 2-D broadcast form of the binary
 * kernels:
 *   void wt_x<bits>_where_<isa>(size_t m, size_t n, const uint8_t* c, int32_t c_rs,
 *                               int32_t c_cs, const T* a, int32_t a_rs, int32_t a_cs,
 *                               const T* b, int32_t b_rs, int32_t b_cs, T* y)
 * y is contiguous [m, n]; y(i, j) = c(i, j) ? a(i, j) : b(i, j), c a bool (any nonzero byte is
 * true). Strides in elements; 0 broadcasts. Rows whose column strides are all 0 or 1 take a
 * vector loop (masked_fill: a is a broadcast scalar); others an element loop. Bits are copied
 * exactly (NaN payloads, -0.0).
 */
#include "wt_common.h"

/* cond bytes at c (k = 16 / sizeof(T) of them, or one splat when cs == 0) -> lane mask */
static inline v128_t mask8(const uint8_t* c, int cs) {
  const v128_t v = cs ? wasm_v128_load(c) : wasm_v128_load8_splat(c);
  return wasm_i8x16_ne(v, wasm_i8x16_splat(0));
}
static inline v128_t mask16(const uint8_t* c, int cs) {
  const v128_t v = cs ? wasm_u16x8_extend_low_u8x16(wasm_v128_load64_zero(c))
                      : wasm_i16x8_splat(c[0]);
  return wasm_i16x8_ne(v, wasm_i16x8_splat(0));
}
static inline v128_t mask32(const uint8_t* c, int cs) {
  const v128_t v = cs ? wasm_u32x4_extend_low_u16x8(
                            wasm_u16x8_extend_low_u8x16(wasm_v128_load32_zero(c)))
                      : wasm_i32x4_splat(c[0]);
  return wasm_i32x4_ne(v, wasm_i32x4_splat(0));
}
static inline v128_t mask64(const uint8_t* c, int cs) {
  const v128_t v = cs ? wasm_i64x2_make(c[0], c[1]) : wasm_i64x2_splat(c[0]);
  return wasm_i64x2_ne(v, wasm_i64x2_splat(0));
}

#define DEFINE_WHERE(bits, T, MASK, SPLAT)                                                 \
  static inline v128_t ld##bits(const T* p, int cs) {                                      \
    return cs ? wasm_v128_load(p) : SPLAT(p);                                              \
  }                                                                                        \
  static void row##bits(size_t n, const uint8_t* c, int ccs, const T* a, int acs,          \
                        const T* b, int bcs, T* y) {                                       \
    const size_t per = 16 / sizeof(T);                                                     \
    size_t j = 0;                                                                          \
    for (; j + per <= n; j += per)                                                         \
      wasm_v128_store(y + j, wasm_v128_bitselect(ld##bits(a + j * acs, acs),               \
                                                 ld##bits(b + j * bcs, bcs),               \
                                                 MASK(c + j * ccs, ccs)));                 \
    for (; j < n; j++) y[j] = c[j * ccs] ? a[j * acs] : b[j * bcs];                        \
  }                                                                                        \
  WT_EXPORT void WT_SYM(x##bits##_where)(size_t m, size_t n, const uint8_t* c,             \
                                         int32_t c_rs, int32_t c_cs, const T* a,           \
                                         int32_t a_rs, int32_t a_cs, const T* b,           \
                                         int32_t b_rs, int32_t b_cs, T* y) {               \
    const int vec = (c_cs == 0 || c_cs == 1) && (a_cs == 0 || a_cs == 1) &&                \
                    (b_cs == 0 || b_cs == 1);                                              \
    for (size_t i = 0; i < m; i++, y += n) {                                               \
      const uint8_t* pc = c + (ptrdiff_t)i * c_rs;                                         \
      const T* pa = a + (ptrdiff_t)i * a_rs;                                               \
      const T* pb = b + (ptrdiff_t)i * b_rs;                                               \
      if (vec) {                                                                           \
        row##bits(n, pc, c_cs, pa, a_cs, pb, b_cs, y);                                     \
      } else {                                                                             \
        for (size_t j = 0; j < n; j++)                                                     \
          y[j] = pc[(ptrdiff_t)j * c_cs] ? pa[(ptrdiff_t)j * a_cs] : pb[(ptrdiff_t)j * b_cs]; \
      }                                                                                    \
    }                                                                                      \
  }

DEFINE_WHERE(8, uint8_t, mask8, wasm_v128_load8_splat)
DEFINE_WHERE(16, uint16_t, mask16, wasm_v128_load16_splat)
DEFINE_WHERE(32, uint32_t, mask32, wasm_v128_load32_splat)
DEFINE_WHERE(64, uint64_t, mask64, wasm_v128_load64_splat)
