/* The float32 unary kernels for float16 / bfloat16 / integer / bool inputs, in one pass:
 *   void wt_<src>_<op>_<isa>(size_t n, const S* x, D* y)
 * src f16 / bf16: y of the same dtype, the float32 op rounded once (torch's float32 opmath);
 * src i64 / i32 / i16 / i8 / u8 (uint8 and bool): y float32 (torch's promotion).
 * int32: the f32 kernel's own loop converts each vector as it loads it (wt_unary.h's
 * wt_f32i32_<op>). int64 (4 lanes through float64), halves and small ints: x is widened exactly into a stack chunk of floats,
 * the f32 kernel runs on it (f32-vunary: the same code and results as float32 input), the
 * chunk is written out.
 * 8- and 16-bit inputs have at most 65536 distinct values: from n >= that count, the op runs
 * once per value into a static table (kept for the next call of the same op and dtypes) and
 * y is a lookup, bit for bit the chunked results at memory speed.
 * x == y (in place) is allowed. Tails go through padded temporaries: nothing outside x[0, n)
 * is read or outside y[0, n) written.
 */
#include "wt_common.h"
#include "wt_half.h"
#include "wt_unary.h"

enum { S_F16, S_BF16, S_I64, S_I32, S_I16, S_I8, S_U8 };
enum { D_F32, D_F16, D_BF16 };
#define CHUNK 256

/* code, op, 1 where the relaxed build has its own f32 kernel */
#define CV_F32_OPS(X)                                                                       \
  X(0, neg, 0) X(1, abs, 0) X(2, sqrt, 0) X(3, floor, 0) X(4, ceil, 0) X(5, round, 0)       \
  X(6, sign, 0) X(7, reciprocal, 0) X(8, relu, 0) X(9, rsqrt, 0) X(10, sin, 0)             \
  X(11, cos, 0) X(12, exp, 1) X(13, log, 1) X(14, log1p, 1) X(15, expm1, 1)               \
  X(16, tanh, 1) X(17, sigmoid, 1) X(18, silu, 1) X(19, gelu_tanh, 1) X(20, erf, 1)       \
  X(21, gelu, 1)
/* the ops of integer inputs (a subset of CV_F32_OPS: code, op, relaxed) */
#define INT_OPS(X)                                                                          \
  X(2, sqrt, 0) X(7, reciprocal, 0) X(9, rsqrt, 0) X(10, sin, 0) X(11, cos, 0) X(12, exp, 1) \
  X(13, log, 1) X(14, log1p, 1) X(15, expm1, 1) X(16, tanh, 1) X(17, sigmoid, 1) X(20, erf, 1)
/* ops without an f32 kernel of their own (float32 input: the loss family's trunc / frac) */
#define OP_TRUNC 22
#define OP_FRAC 23
#define OP_SQUARE 24

/* the f32 kernels, called directly (a function pointer would be a GOT import in PIC) */
#define F32_FN_1(op) WT_SYM(f32_##op)
#define F32_FN_0(op) wt_f32_##op##_wasmsimd
#define DECLARE_F32(i, op, r) void F32_FN_##r(op)(size_t n, const float* x, float* y);
CV_F32_OPS(DECLARE_F32)
/* the same kernels on int32 input, converted in their loads (wt_unary.h) */
#define SRC_FN_1(op) WT_SYM(f32i32_##op)
#define SRC_FN_0(op) wt_f32i32_##op##_wasmsimd
#define DECLARE_SRC(i, op, r) void SRC_FN_##r(op)(size_t n, const void* x, float* y);
INT_OPS(DECLARE_SRC)

#define LOCAL_LOOP(EXPR)                                                                    \
  for (size_t j = 0; j < n; j += 4) {                                                       \
    const v128_t v = wasm_v128_load(buf + j);                                               \
    wasm_v128_store(buf + j, EXPR);                                                         \
  }
/* buf holds n floats and room up to the next multiple of 16 */
static void f32_op(int code, size_t n, float* buf) {
  switch (code) {
#define CALL_F32(i, op, r) case i: F32_FN_##r(op)(n, buf, buf); break;
    CV_F32_OPS(CALL_F32)
    case OP_TRUNC: LOCAL_LOOP(wasm_f32x4_trunc(v)) break;
    case OP_FRAC: LOCAL_LOOP(wasm_f32x4_sub(v, wasm_f32x4_trunc(v))) break;
    case OP_SQUARE: LOCAL_LOOP(wasm_f32x4_mul(v, v)) break;
  }
}

/* x[0, k) of type T, L per vector, as floats into buf (whole vectors: zeros past k) */
#define WIDEN(T, L, ...)                                                                    \
  {                                                                                         \
    const T* s = (const T*)x;                                                               \
    for (size_t j = 0; j < k; j += L) {                                                     \
      v128_t v;                                                                             \
      if (j + L <= k) {                                                                     \
        v = wasm_v128_load(s + j);                                                          \
      } else {                                                                              \
        T t[L] = {0};                                                                       \
        for (size_t q = 0; j + q < k; q++) t[q] = s[j + q];                                 \
        v = wasm_v128_load(t);                                                              \
      }                                                                                     \
      __VA_ARGS__                                                                           \
    }                                                                                       \
  }
#define ST(o, e) wasm_v128_store(buf + j + (o), (e));
#define CVT(e) wasm_f32x4_convert_i32x4(e)

static void widen(int src, const void* x, size_t k, float* buf) {
  switch (src) {
    case S_F16: WIDEN(uint16_t, 8, { v128_t lo, hi; v_f32x8_from_f16(v, &lo, &hi);
                                     ST(0, lo) ST(4, hi) }) break;
    case S_BF16: WIDEN(uint16_t, 8, { v128_t lo, hi; v_f32x8_from_bf16(v, &lo, &hi);
                                      ST(0, lo) ST(4, hi) }) break;
    case S_I64: {   /* 4 at a time through float64 (wt_unary.h); the 0-padded tail too */
      const char* s = (const char*)x;
      int64_t t[4];
      const v128_t magic = WT_K64(0x4338000000000000LL);
      for (size_t j = 0; j < k; j += 4) {
        const char* p = s + j * 8;
        if (j + 4 > k) {
          for (size_t q = 0; q < 4; q++) t[q] = j + q < k ? ((const int64_t*)s)[j + q] : 0;
          p = (const char*)t;
        }
        wasm_v128_store(buf + j, wt_f32x4_from_i64(p, magic));
      }
    } break;
    /* int32: never here (cv_unary runs its kernels on the input directly) */
    case S_I16: WIDEN(int16_t, 8, { ST(0, CVT(wasm_i32x4_extend_low_i16x8(v)))
                                    ST(4, CVT(wasm_i32x4_extend_high_i16x8(v))) }) break;
    case S_I8: WIDEN(int8_t, 16, {
        const v128_t lo = wasm_i16x8_extend_low_i8x16(v), hi = wasm_i16x8_extend_high_i8x16(v);
        ST(0, CVT(wasm_i32x4_extend_low_i16x8(lo))) ST(4, CVT(wasm_i32x4_extend_high_i16x8(lo)))
        ST(8, CVT(wasm_i32x4_extend_low_i16x8(hi))) ST(12, CVT(wasm_i32x4_extend_high_i16x8(hi))) })
      break;
    case S_U8: WIDEN(uint8_t, 16, {
        const v128_t lo = wasm_u16x8_extend_low_u8x16(v), hi = wasm_u16x8_extend_high_u8x16(v);
        ST(0, CVT(wasm_u32x4_extend_low_u16x8(lo))) ST(4, CVT(wasm_u32x4_extend_high_u16x8(lo)))
        ST(8, CVT(wasm_u32x4_extend_low_u16x8(hi))) ST(12, CVT(wasm_u32x4_extend_high_u16x8(hi))) })
      break;
  }
}

/* buf[0, k) (initialised up to the next multiple of 8) into y[0, k) as dst */
static void narrow(int dst, const float* buf, size_t k, void* y) {
  if (dst == D_F32) {
    float* d = (float*)y;
    size_t j = 0;
    for (; j + 4 <= k; j += 4) wasm_v128_store(d + j, wasm_v128_load(buf + j));
    for (; j < k; j++) d[j] = buf[j];
    return;
  }
  uint16_t* d = (uint16_t*)y;
  for (size_t j = 0; j < k; j += 8) {
    const v128_t lo = wasm_v128_load(buf + j), hi = wasm_v128_load(buf + j + 4);
    const v128_t h = dst == D_F16 ? v_f16x8_from_f32(lo, hi) : v_bf16x8_from_f32(lo, hi);
    if (j + 8 <= k) {
      wasm_v128_store(d + j, h);
    } else {
      uint16_t t[8];
      wasm_v128_store(t, h);
      for (size_t q = 0; j + q < k; q++) d[j + q] = t[q];
    }
  }
}

static const unsigned char SRC_SIZE[] = {2, 2, 8, 4, 2, 1, 1};
static const unsigned char DST_SIZE[] = {4, 2, 2};

__attribute__((noinline)) static void chunks(size_t n, const void* x, void* y, int src, int code, int dst) {
  float buf[CHUNK + 16] __attribute__((aligned(16)));
  const size_t ss = SRC_SIZE[src], ds = DST_SIZE[dst];
  for (size_t i0 = 0; i0 < n; i0 += CHUNK) {
    const size_t k = wt_min_size(CHUNK, n - i0);
    /* float32 out: whole chunks widen into y itself (no copy; x is read before y is written
     * only up to 8-byte elements: an in-place i64 chunk is widened through buf) */
    float* b = dst == D_F32 && k == CHUNK && ss <= 4 ? (float*)y + i0 : buf;
    widen(src, (const char*)x + i0 * ss, k, b);
    f32_op(code, k, b);
    if (b == buf) narrow(dst, buf, k, (char*)y + i0 * ds);
  }
}

/* the op of every 8- or 16-bit input value, indexed by its bits */
static uint32_t table[65536] __attribute__((aligned(16)));
static int table_key = -1;

__attribute__((noinline)) static void cv_unary(size_t n, const void* x, void* y, int src, int code, int dst) {
  const size_t ss = SRC_SIZE[src], values = ss == 1 ? 256 : 65536;
  if (src == S_I32) {   /* one pass: the f32 kernel converts in its load */
    switch (code) {
#define CALL_SRC(i, op, r) case i: SRC_FN_##r(op)(n, x, (float*)y); return;
      INT_OPS(CALL_SRC)
    }
  }
  /* neg / abs of a half: its sign bit, 8 lanes at a time (as torch's Vectorized<Half>); the
   * table's scalar lookup took 6x as long (the float16 vector form of floor & co., widened and
   * narrowed, measured slower than the lookup: they keep it) */
  if (code <= 1 && dst != D_F32) {
    const uint16_t* s = (const uint16_t*)x;
    uint16_t* d = (uint16_t*)y;
    const v128_t m = wasm_i16x8_splat(code ? 0x7FFF : (int16_t)0x8000);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      const v128_t v = wasm_v128_load(s + i);
      wasm_v128_store(d + i, code ? wasm_v128_and(v, m) : wasm_v128_xor(v, m));
    }
    for (; i < n; i++) d[i] = code ? s[i] & 0x7FFF : s[i] ^ 0x8000;
    return;
  }
  if (ss > 2 || (n < values && table_key != (code * 8 + src) * 4 + dst)) {
    chunks(n, x, y, src, code, dst);
    return;
  }
  if (table_key != (code * 8 + src) * 4 + dst) {
    uint16_t codes[CHUNK] __attribute__((aligned(16)));
    for (size_t c0 = 0; c0 < values; c0 += CHUNK) {
      for (size_t j = 0; j < CHUNK; j++) {
        if (ss == 1) ((uint8_t*)codes)[j] = (uint8_t)(c0 + j);
        else codes[j] = (uint16_t)(c0 + j);
      }
      chunks(wt_min_size(CHUNK, values - c0), codes, (char*)table + c0 * DST_SIZE[dst], src,
             code, dst);
    }
    table_key = (code * 8 + src) * 4 + dst;
  }
  if (ss == 1) {
    const uint8_t* s = (const uint8_t*)x;
    float* d = (float*)y;
    const float* t = (const float*)table;
    for (size_t i = 0; i < n; i++) d[i] = t[s[i]];
  } else if (dst == D_F32) {
    const uint16_t* s = (const uint16_t*)x;
    float* d = (float*)y;
    const float* t = (const float*)table;
    for (size_t i = 0; i < n; i++) d[i] = t[s[i]];
  } else {
    const uint16_t* s = (const uint16_t*)x;
    uint16_t* d = (uint16_t*)y;
    const uint16_t* t = (const uint16_t*)table;
    for (size_t i = 0; i < n; i++) d[i] = t[s[i]];
  }
}

#define CV_KERNEL(name, T, src, code, dst)                                                  \
  WT_EXPORT void WT_SYM(name)(size_t n, const T* x, void* y) { cv_unary(n, x, y, src, code, dst); }

/* float16 / bfloat16: every op, the input's dtype out */
#define HALF_KERNELS(i, op, r)                                                              \
  CV_KERNEL(f16_##op, uint16_t, S_F16, i, D_F16) CV_KERNEL(bf16_##op, uint16_t, S_BF16, i, D_BF16)
CV_F32_OPS(HALF_KERNELS)
HALF_KERNELS(OP_TRUNC, trunc, 0)
HALF_KERNELS(OP_FRAC, frac, 0)
HALF_KERNELS(OP_SQUARE, square, 0)

/* integers and bool: the ops torch computes in float32 (default dtype) */
#define INT_KERNELS(i, op)                                                                  \
  CV_KERNEL(i64_##op, int64_t, S_I64, i, D_F32) CV_KERNEL(i32_##op, int32_t, S_I32, i, D_F32) \
  CV_KERNEL(i16_##op, int16_t, S_I16, i, D_F32) CV_KERNEL(i8_##op, int8_t, S_I8, i, D_F32)    \
  CV_KERNEL(u8_##op, uint8_t, S_U8, i, D_F32)
#define INT_KERNELS_OF(i, op, r) INT_KERNELS(i, op)
INT_OPS(INT_KERNELS_OF)
