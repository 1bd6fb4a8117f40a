/* The one loop shape of every contiguous elementwise unary kernel:
 *   void wt_f32_<op>_<isa>(size_t n, const float* x, float* y)
 * and, not exported, the same loop on int32 input converted in its load (torch's float32 result
 * of an integer input; xN_vunary's int32 kernels call it, one pass):
 *   void wt_f32i32_<op>_<isa>(size_t n, const int32_t* x, float* y)
 * x == y (in place) is allowed. The tail (n % 8) goes through padded temporaries and the same
 * loop body, so nothing outside [x, x+n) is read or outside [y, y+n) written, and the op is
 * inlined twice per kernel, not four times.
 */
#pragma once
#include "wt_common.h"

enum { WT_SRC_F32 = 0, WT_SRC_I32 = 1, WT_SRC_I64 = 2 };

/* an int64 constant splat kept in a local (see WT_K in wt_vmath.h) */
#define WT_K64(c) ({ v128_t wt_k_ = wasm_i64x2_splat(c); __asm__("" : "+r"(wt_k_)); wt_k_; })

/* 4 int64 lanes as float32 rounded to nearest (torch's conversion). |x| < 2^51: the bits
 * 0x4338.. + x are the double 1.5 * 2^52 + x (the exponent unchanged: checked), so one f64
 * subtraction gives x and the demotion rounds once; a vector with a larger lane converts its
 * lanes one by one. One constant (V8 keeps few in registers). */
static inline v128_t wt_f32x4_from_i64(const char* p, v128_t magic) {
  const v128_t sa = wasm_i64x2_add(wasm_v128_load(p), magic);
  const v128_t sb = wasm_i64x2_add(wasm_v128_load(p + 16), magic);
  const v128_t big = wasm_v128_or(wasm_v128_xor(sa, magic), wasm_v128_xor(sb, magic));
  if (__builtin_expect(wasm_v128_any_true(wasm_u64x2_shr(big, 52)), 0)) {
    const int64_t* s = (const int64_t*)p;
    return wasm_f32x4_make((float)s[0], (float)s[1], (float)s[2], (float)s[3]);
  }
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(wasm_f64x2_sub(sa, magic)),
                            wasm_f32x4_demote_f64x2_zero(wasm_f64x2_sub(sb, magic)), 0, 1, 4, 5);
}

/* 4 elements of x (elements of type src) as float32 */
static inline v128_t wt_load_src(const char* p, int src, v128_t magic) {
  if (src == WT_SRC_F32) return wasm_v128_load(p);
  if (src == WT_SRC_I32) return wasm_f32x4_convert_i32x4(wasm_v128_load(p));
  return wt_f32x4_from_i64(p, magic);
}

/* the loop; src a constant (float32: its own copy) or opaque (int32 / int64 share one) */
#define WT_UNARY_LOOP(VFN, OPAQUE)                                                          \
  _Alignas(16) char tx[64];                                                                 \
  _Alignas(16) float ty[8];                                                                 \
  const size_t sz = src == WT_SRC_I64 ? 8 : 4, m = n & ~(size_t)7;                          \
  const v128_t magic = WT_K64(0x4338000000000000LL);                                        \
  const char* xs = (const char*)x;                                                          \
  float* ys = y;                                                                            \
  for (size_t e = m;;) {                                                                    \
    for (size_t i = 0; i < e; i += 8) {                                                     \
      if (OPAQUE) __asm__("" : "+r"(src));                                                  \
      const v128_t v0 = wt_load_src(xs + i * sz, src, magic);                               \
      const v128_t v1 = wt_load_src(xs + (i + 4) * sz, src, magic);                         \
      wasm_v128_store(ys + i, VFN(v0));                                                     \
      wasm_v128_store(ys + i + 4, VFN(v1));                                                 \
    }                                                                                       \
    if (ys == ty || m == n) break;                                                          \
    for (size_t b = 0; b < 64; b++)                                                         \
      tx[b] = b < (n - m) * sz ? ((const char*)x)[m * sz + b] : 0;                          \
    xs = tx, ys = ty, e = 8;                                                                \
  }                                                                                         \
  for (size_t i = m; i < n; i++) y[i] = ty[i - m];

#define WT_UNARY_KERNEL(op, VFN)                                                            \
  WT_EXPORT void WT_SYM(f32_##op)(size_t n, const float* x, float* y) {                    \
    int src = WT_SRC_F32;   /* a constant: the asm of WT_UNARY_LOOP is dead here */       \
    WT_UNARY_LOOP(VFN, 0)                                                                   \
  }

/* the ops integer inputs take (xN_vunary's INT_KERNELS): also wt_f32i32_<op> on int32 input,
 * with VFN_INT (bit for bit VFN's results, faster on integer data). One loop per source:
 * a loop choosing the source per vector (int32 / int64) ran slower in Chromium's V8. */
#define WT_UNARY_KERNEL_INT_VIA(op, VFN, VFN_INT)                                           \
  WT_UNARY_KERNEL(op, VFN)                                                                  \
  void WT_SYM(f32i32_##op)(size_t n, const void* x, float* y) {                             \
    int src = WT_SRC_I32;                                                                   \
    WT_UNARY_LOOP(VFN_INT, 0)                                                               \
  }
#define WT_UNARY_KERNEL_INT(op, VFN) WT_UNARY_KERNEL_INT_VIA(op, VFN, VFN)
