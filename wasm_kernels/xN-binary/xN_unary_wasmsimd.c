/* float64 / integer exact unary kernels, the f32_vunary form:
 *   void wt_<dt>_<op>_<isa>(size_t n, const T* x, T* y)
 * float64: neg abs sqrt floor ceil round (half to even, as torch), all exact (IEEE, 0 ulp);
 * integers: abs (wrap-around: abs(INT_MIN) = INT_MIN, as torch); sign of int16/int8 (x clamped
 * to [-1, 1]) and of uint8/bool bytes (min(x, 1)); uint8 abs is a copy. Integer neg (0 - x) and
 * float64 reciprocal (1 / x) run on the binary kernels (backends/wasm/elementwise.py).
 * float16 / bfloat16 / integer inputs of the float32 ops: f32-vunary/xN_vunary.
 * isnan / isinf / isfinite of float16 / bfloat16 / float64 (bool out) on the bits, one pass:
 *   void wt_<dt>_<op>_<isa>(size_t n, const T* x, bool* y)
 * Tails go through a one-vector buffer: every element gets the same instruction.
 */
#include "wt_common.h"

WT_SMALL_BEGIN

#define U_f64_neg(v) wasm_f64x2_neg(v)
#define U_f64_abs(v) wasm_f64x2_abs(v)
#define U_f64_sqrt(v) wasm_f64x2_sqrt(v)
#define U_f64_floor(v) wasm_f64x2_floor(v)
#define U_f64_ceil(v) wasm_f64x2_ceil(v)
#define U_f64_round(v) wasm_f64x2_nearest(v)
#define U_i64_abs(v) wasm_i64x2_abs(v)
#define U_i32_abs(v) wasm_i32x4_abs(v)
#define U_i16_abs(v) wasm_i16x8_abs(v)
#define U_i8_abs(v) wasm_i8x16_abs(v)
#define U_i16_sign(v) wasm_i16x8_min(wasm_i16x8_max(v, wasm_i16x8_splat(-1)), wasm_i16x8_splat(1))
#define U_i8_sign(v) wasm_i8x16_min(wasm_i8x16_max(v, wasm_i8x16_splat(-1)), wasm_i8x16_splat(1))
#define U_u8_sign(v) wasm_u8x16_min(v, wasm_i8x16_splat(1))

#define UNARY(dt, op, T)                                                                    \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t n, const T* x, T* y) {                            \
    enum { L = 16 / sizeof(T) };                                                            \
    size_t j = 0;                                                                           \
    for (; j + L <= n; j += L) wasm_v128_store(y + j, U_##dt##_##op(wasm_v128_load(x + j)));  \
    if (j < n) {                                                                            \
      T t[L] = {0};                                                                         \
      for (size_t k = 0; j + k < n; k++) t[k] = x[j + k];                                   \
      wasm_v128_store(t, U_##dt##_##op(wasm_v128_load(t)));                                 \
      for (size_t k = 0; j + k < n; k++) y[j + k] = t[k];                                   \
    }                                                                                       \
  }

UNARY(f64, neg, double) UNARY(f64, abs, double) UNARY(f64, sqrt, double)
UNARY(f64, floor, double) UNARY(f64, ceil, double) UNARY(f64, round, double)
UNARY(i64, abs, int64_t)
UNARY(i32, abs, int32_t)
UNARY(i16, abs, int16_t) UNARY(i16, sign, int16_t)
UNARY(i8, abs, int8_t) UNARY(i8, sign, int8_t) UNARY(u8, sign, uint8_t)


/* |x| bits against the infinity pattern: > nan, == inf, < finite; 16 results per step as
 * 0 / -1 bytes, & 1 */
#define CLS_isnan(a, inf, W) wasm_##W##_gt(a, inf)
#define CLS_isinf(a, inf, W) wasm_##W##_eq(a, inf)
#define CLS_isfinite(a, inf, W) wasm_##W##_lt(a, inf)
#define BYTES16(dt, op, T, L, M16)                                                          \
  static v128_t dt##_##op##_16(const T* x) {                                              \
    v128_t m[16 / L];                                                                       \
    for (int q = 0; q < 16 / L; q++) m[q] = M16(wasm_v128_load(x + q * L), op);             \
    return wasm_v128_and(NARROW_##dt(m), wasm_i8x16_splat(1));                              \
  }                                                                                         \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t n, const T* x, uint8_t* y) {                      \
    size_t j = 0;                                                                           \
    for (; j + 16 <= n; j += 16) wasm_v128_store(y + j, dt##_##op##_16(x + j));             \
    if (j < n) {                                                                            \
      T t[16] = {0};                                                                        \
      uint8_t b[16];                                                                        \
      for (size_t k = 0; j + k < n; k++) t[k] = x[j + k];                                   \
      wasm_v128_store(b, dt##_##op##_16(t));                                                \
      for (size_t k = 0; j + k < n; k++) y[j + k] = b[k];                                   \
    }                                                                                       \
  }
#define M_f16(v, op) CLS_##op(wasm_v128_and(v, wasm_i16x8_splat(0x7FFF)), wasm_i16x8_splat(0x7C00), i16x8)
#define M_bf16(v, op) CLS_##op(wasm_v128_and(v, wasm_i16x8_splat(0x7FFF)), wasm_i16x8_splat(0x7F80), i16x8)
#define M_f64(v, op) CLS_##op(wasm_v128_and(v, wasm_i64x2_splat(0x7FFFFFFFFFFFFFFFll)), \
                              wasm_i64x2_splat(0x7FF0000000000000ll), i64x2)
#define NARROW_f16(m) wasm_i8x16_narrow_i16x8(m[0], m[1])
#define NARROW_bf16(m) wasm_i8x16_narrow_i16x8(m[0], m[1])
static inline v128_t lo32x2(v128_t a, v128_t b) { return wasm_i32x4_shuffle(a, b, 0, 2, 4, 6); }
#define NARROW_f64(m) wasm_i8x16_narrow_i16x8(                                              \
    wasm_i16x8_narrow_i32x4(lo32x2(m[0], m[1]), lo32x2(m[2], m[3])),                       \
    wasm_i16x8_narrow_i32x4(lo32x2(m[4], m[5]), lo32x2(m[6], m[7])))
#define CLASSIFY(dt, T, L)                                                                  \
  BYTES16(dt, isnan, T, L, M_##dt) BYTES16(dt, isinf, T, L, M_##dt) BYTES16(dt, isfinite, T, L, M_##dt)
CLASSIFY(f16, uint16_t, 8)
CLASSIFY(bf16, uint16_t, 8)
CLASSIFY(f64, uint64_t, 2)

WT_SMALL_END
