/* float64 / integer exact unary kernels, the f32_vunary form:
 *   void wt_<dt>_<op>_<isa>(size_t n, const T* x, T* y)
 * float64: neg abs sqrt floor ceil round (half to even, as torch), all exact (IEEE, 0 ulp);
 * integers: abs (wrap-around: abs(INT_MIN) = INT_MIN, as torch); sign of int16/int8 (x clamped
 * to [-1, 1]) and of uint8/bool bytes (min(x, 1)); uint8 abs is a copy. Integer neg (0 - x) and
 * float64 reciprocal (1 / x) run on the binary kernels (backends/wasm/elementwise.py).
 * float16 / bfloat16: neg abs sqrt floor ceil round sign reciprocal relu through the
 * float32 kernels (f32-vunary) in stack chunks: widened exactly, the float32 op, rounded once
 * (torch's float32 opmath), one pass over memory instead of the op layer's three.
 * Tails go through a one-vector buffer: every element gets the same instruction.
 */
#include "wt_common.h"
#include "wt_half.h"

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

WT_SMALL_END

/* float16 / bfloat16 through the float32 kernels, WT_HCHUNK elements at a time */
#define WT_HCHUNK 256
/* the f32 kernels, called directly (a function pointer would be a GOT import in PIC) */
#define HALF_UNARY_OPS(X)                                                                   \
  X(0, neg) X(1, abs) X(2, sqrt) X(3, floor) X(4, ceil) X(5, round) X(6, sign)              \
  X(7, reciprocal) X(8, relu)
#define DECLARE_F32(i, op) void WT_SYM(f32_##op)(size_t n, const float* x, float* y);
HALF_UNARY_OPS(DECLARE_F32)
static void f32_unary_by_code(int code, size_t n, float* buf) {
  switch (code) {
#define CALL_F32(i, op) case i: WT_SYM(f32_##op)(n, buf, buf); break;
    HALF_UNARY_OPS(CALL_F32)
  }
}
#define HALF_UNARY_DRIVER(h)                                                                \
  static void half_unary_##h(size_t n, const uint16_t* x, uint16_t* y, int code) {      \
    float buf[WT_HCHUNK];                                                                   \
    for (size_t i0 = 0; i0 < n; i0 += WT_HCHUNK) {                                          \
      const size_t k = wt_min_size(WT_HCHUNK, n - i0);                                      \
      const size_t body = k - k % 8;                                                        \
      uint16_t t[8] = {0};                                                                  \
      for (size_t j = body; j < k; j++) t[j - body] = x[i0 + j];                            \
      for (size_t j = 0; j < k; j += 8) {   /* the buffer has room for a whole last vector */ \
        v128_t lo, hi;                                                                      \
        v_f32x8_from_##h(wasm_v128_load(j < body ? x + i0 + j : t), &lo, &hi);              \
        wasm_v128_store(buf + j, lo);                                                       \
        wasm_v128_store(buf + j + 4, hi);                                                   \
      }                                                                                     \
      f32_unary_by_code(code, k, buf);                                                      \
      for (size_t j = 0; j < body; j += 8)                                                  \
        wasm_v128_store(y + i0 + j, v_##h##x8_from_f32(wasm_v128_load(buf + j),             \
                                                       wasm_v128_load(buf + j + 4)));       \
      if (body < k) {                                                                       \
        wasm_v128_store(t, v_##h##x8_from_f32(wasm_v128_load(buf + body),                   \
                                              wasm_v128_load(buf + body + 4)));             \
        for (size_t j = body; j < k; j++) y[i0 + j] = t[j - body];                          \
      }                                                                                     \
    }                                                                                       \
  }
HALF_UNARY_DRIVER(f16)
HALF_UNARY_DRIVER(bf16)

#define HALF_UNARY(i, op)                                                                   \
  WT_EXPORT void WT_SYM(f16_##op)(size_t n, const uint16_t* x, uint16_t* y) {               \
    half_unary_f16(n, x, y, i);                                                             \
  }                                                                                         \
  WT_EXPORT void WT_SYM(bf16_##op)(size_t n, const uint16_t* x, uint16_t* y) {              \
    half_unary_bf16(n, x, y, i);                                                            \
  }
HALF_UNARY_OPS(HALF_UNARY)
