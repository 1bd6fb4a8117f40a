/* float64 / int64 / int32 / int16 / 8-bit binary kernels in the 2-D broadcast form of the f32 ones
 * (wt_binary.h):
 *   void wt_<dt>_<op>_<isa>(size_t m, size_t n, const T* a, int32_t a_rs, int32_t a_cs,
 *                           const T* b, int32_t b_rs, int32_t b_cs, OUT* y)
 * One macro per dtype instantiates the ops from a vector expression each (V_<dt>_<op>); a
 * row's tail goes through one zero-padded vector, so every element gets the same instruction.
 * Integers: add/sub/mul wrap around (two's complement, like torch); maximum/minimum; bitwise
 * and/or/xor. u8: bytes of uint8 (and of int8 for the sign-blind add/sub/mul/bitwise, of bool
 * for bitwise/max/min/comparisons); i8: int8's signed maximum/minimum/comparisons.
 * float64: IEEE, 0 ulp; maximum/minimum propagate NaN from either side and return `a` when
 * a == b (as the f32 kernels and torch). float16 / bfloat16 arithmetic: widened to float32 in
 * registers, computed there and rounded back once (torch's CPU kernels: float32 opmath), and
 * compared there; their fmax/fmin NaN-ignoring like xN-fminmax's. Comparisons and
 * logical_and/or/xor (nonzero tests: a float's -0.0 is zero, NaN is not) write bool bytes 0/1.
 */
#include "wt_common.h"
#include "wt_half.h"

WT_SMALL_BEGIN

/* float64 */
#define V_f64_add(a, b) wasm_f64x2_add(a, b)
#define V_f64_sub(a, b) wasm_f64x2_sub(a, b)
#define V_f64_mul(a, b) wasm_f64x2_mul(a, b)
#define V_f64_div(a, b) wasm_f64x2_div(a, b)
#define V_f64_maximum(a, b) wasm_v128_bitselect(b, wasm_f64x2_pmax(a, b), wasm_f64x2_ne(b, b))
#define V_f64_minimum(a, b) wasm_v128_bitselect(b, wasm_f64x2_pmin(a, b), wasm_f64x2_ne(b, b))
#define V_f64_eq(a, b) wasm_f64x2_eq(a, b)
#define V_f64_ne(a, b) wasm_f64x2_ne(a, b)
#define V_f64_lt(a, b) wasm_f64x2_lt(a, b)
#define V_f64_le(a, b) wasm_f64x2_le(a, b)
#define V_f64_gt(a, b) wasm_f64x2_gt(a, b)
#define V_f64_ge(a, b) wasm_f64x2_ge(a, b)
/* integers: the lane width (and the signedness of 8-bit lanes) is the only difference */
#define V_INT(dt, S, W, L)                                                                  \
  static inline v128_t V_##dt##_add(v128_t a, v128_t b) { return wasm_i##W##x##L##_add(a, b); } \
  static inline v128_t V_##dt##_sub(v128_t a, v128_t b) { return wasm_i##W##x##L##_sub(a, b); } \
  static inline v128_t V_##dt##_maximum(v128_t a, v128_t b) {                                 \
    return wasm_v128_bitselect(a, b, wasm_##S##W##x##L##_ge(a, b));                         \
  }                                                                                         \
  static inline v128_t V_##dt##_minimum(v128_t a, v128_t b) {                                 \
    return wasm_v128_bitselect(a, b, wasm_##S##W##x##L##_le(a, b));                         \
  }                                                                                         \
  static inline v128_t V_##dt##_eq(v128_t a, v128_t b) { return wasm_i##W##x##L##_eq(a, b); } \
  static inline v128_t V_##dt##_ne(v128_t a, v128_t b) { return wasm_i##W##x##L##_ne(a, b); } \
  static inline v128_t V_##dt##_lt(v128_t a, v128_t b) { return wasm_##S##W##x##L##_lt(a, b); } \
  static inline v128_t V_##dt##_le(v128_t a, v128_t b) { return wasm_##S##W##x##L##_le(a, b); } \
  static inline v128_t V_##dt##_gt(v128_t a, v128_t b) { return wasm_##S##W##x##L##_gt(a, b); } \
  static inline v128_t V_##dt##_ge(v128_t a, v128_t b) { return wasm_##S##W##x##L##_ge(a, b); } \
  static inline v128_t V_##dt##_bitwise_and(v128_t a, v128_t b) { return wasm_v128_and(a, b); } \
  static inline v128_t V_##dt##_bitwise_or(v128_t a, v128_t b) { return wasm_v128_or(a, b); }   \
  static inline v128_t V_##dt##_bitwise_xor(v128_t a, v128_t b) { return wasm_v128_xor(a, b); }
V_INT(i64, i, 64, 2)
V_INT(i32, i, 32, 4)
V_INT(i16, i, 16, 8)
V_INT(i8, i, 8, 16)
V_INT(u8, u, 8, 16)
#define V_i64_mul(a, b) wasm_i64x2_mul(a, b)
#define V_i32_mul(a, b) wasm_i32x4_mul(a, b)
#define V_i16_mul(a, b) wasm_i16x8_mul(a, b)
/* no 8-bit multiply: the low bytes of the 16-bit products (the same bits signed or not) */
static inline v128_t V_u8_mul(v128_t a, v128_t b) {
  return wasm_i8x16_shuffle(wasm_u16x8_extmul_low_u8x16(a, b), wasm_u16x8_extmul_high_u8x16(a, b),
                            0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
}

/* logical_and/or/xor: lane masks of the nonzero tests (float: -0.0 is zero, nan is not) */
#define NZ_i64(v) wasm_i64x2_ne(v, wasm_i64x2_splat(0))
#define NZ_f64(v) wasm_i64x2_ne(wasm_v128_and(v, wasm_i64x2_splat(INT64_MAX)), wasm_i64x2_splat(0))
#define NZ_i32(v) wasm_i32x4_ne(v, wasm_i32x4_splat(0))
#define NZ_i16(v) wasm_i16x8_ne(v, wasm_i16x8_splat(0))
#define NZ_f16(v) wasm_i16x8_ne(wasm_v128_and(v, wasm_i16x8_splat(0x7FFF)), wasm_i16x8_splat(0))
#define NZ_bf16 NZ_f16
#define NZ_u8(v) wasm_i8x16_ne(v, wasm_i8x16_splat(0))
#define V_LOGICAL(dt)                                                                       \
  static inline v128_t V_##dt##_logical_and(v128_t a, v128_t b) {                           \
    return wasm_v128_and(NZ_##dt(a), NZ_##dt(b));                                           \
  }                                                                                         \
  static inline v128_t V_##dt##_logical_or(v128_t a, v128_t b) {                            \
    return wasm_v128_or(NZ_##dt(a), NZ_##dt(b));                                            \
  }                                                                                         \
  static inline v128_t V_##dt##_logical_xor(v128_t a, v128_t b) {                           \
    return wasm_v128_xor(NZ_##dt(a), NZ_##dt(b));                                           \
  }
V_LOGICAL(f64)
V_LOGICAL(i64)
V_LOGICAL(i32)
V_LOGICAL(i16)
V_LOGICAL(f16)
V_LOGICAL(bf16)
V_LOGICAL(u8)

/* stores of a vector result: the value, or lane masks -> bool bytes */
static inline void put_v(void* y, v128_t v) { wasm_v128_store(y, v); }
static inline void put_m64(uint8_t* y, v128_t m) {
  wasm_v128_store16_lane(y, wasm_v128_and(wasm_i8x16_shuffle(m, m, 0, 8, 0, 8, 0, 8, 0, 8, 0,
                                                             8, 0, 8, 0, 8, 0, 8),
                                          wasm_i8x16_splat(1)), 0);
}
static inline void put_m8(uint8_t* y, v128_t m) {
  wasm_v128_store(y, wasm_v128_and(m, wasm_i8x16_splat(1)));
}
static inline void put_m16(uint8_t* y, v128_t m) {
  wasm_v128_store64_lane(y, wasm_v128_and(wasm_i8x16_narrow_i16x8(m, m), wasm_i8x16_splat(1)), 0);
}
static inline void put_m32(uint8_t* y, v128_t m) {
  wasm_v128_store32_lane(y, wasm_v128_and(wasm_i8x16_shuffle(m, m, 0, 4, 8, 12, 0, 4, 8, 12,
                                                             0, 4, 8, 12, 0, 4, 8, 12),
                                          wasm_i8x16_splat(1)), 0);
}

/* One 2-D driver per dtype calls the op's row routine through a pointer (code size: ~60
 * kernels share 4 drivers). Operands that are not contiguous along the row (broadcast or
 * strided) are first copied into a stack chunk of 1 KiB, so each op has a single vector loop
 * (a broadcast value is copied once per row; 64-element chunks, one indirect call per 4
 * vectors, made int8 `x + 1` cost 2x `x + y`). */
#define WT_CHUNK(T) (1024 / sizeof(T))
#define DEFINE_DRIVER(dt, T)                                                                \
  typedef void (*row_##dt)(const T*, const T*, void*, size_t);                             \
  /* a broadcast value (cs == 0) is splat a vector at a time: outer's column operand is  \
   * re-staged every row, and a scalar loop over the 1 KiB chunk cost one store per       \
   * output element of int8 outer (2-3x the 64-element chunks before) */                 \
  static void fetch_##dt(T* d, const T* s, ptrdiff_t cs, size_t k) {                        \
    size_t i = 0;                                                                           \
    if (cs == 0) {                                                                          \
      enum { L = 16 / sizeof(T) };                                                          \
      T v[L];                                                                               \
      for (size_t l = 0; l < L; l++) v[l] = s[0];                                           \
      const v128_t vv = wasm_v128_load(v);                                                  \
      for (; i + L <= k; i += L) wasm_v128_store(d + i, vv);                                \
    }                                                                                       \
    for (; i < k; i++) d[i] = s[(ptrdiff_t)i * cs];                                         \
  }                                                                                         \
  /* whole vectors through row(), the tail through one zero-padded vector */              \
  static void run_##dt(const T* a, const T* b, char* y, size_t ysz, size_t n,               \
                       row_##dt row) {                                                      \
    enum { L = 16 / sizeof(T) };                                                            \
    const size_t body = n - n % L;                                                          \
    row(a, b, y, body);                                                                     \
    if (body < n) {                                                                         \
      T ta[L] = {0}, tb[L] = {0};                                                           \
      char ty[16];                                                                          \
      for (size_t k = 0; body + k < n; k++) ta[k] = a[body + k], tb[k] = b[body + k];       \
      row(ta, tb, ty, L);                                                                   \
      for (size_t k = 0; k < (n - body) * ysz; k++) y[body * ysz + k] = ty[k];              \
    }                                                                                       \
  }                                                                                         \
  static void drive_##dt(size_t m, size_t n, const T* a, int32_t a_rs, int32_t a_cs,        \
                         const T* b, int32_t b_rs, int32_t b_cs, char* y, size_t ysz,       \
                         row_##dt row) {                                                    \
    T ta[WT_CHUNK(T)], tb[WT_CHUNK(T)];                                                     \
    for (size_t i = 0; i < m; i++, y += n * ysz) {                                          \
      const T* pa = a + (ptrdiff_t)i * a_rs;                                                \
      const T* pb = b + (ptrdiff_t)i * b_rs;                                                \
      if (a_cs == 1 && b_cs == 1) {                                                         \
        run_##dt(pa, pb, y, ysz, n, row);                                                   \
        continue;                                                                           \
      }                                                                                     \
      for (size_t j0 = 0; j0 < n; j0 += WT_CHUNK(T)) {                                      \
        const size_t k = wt_min_size(WT_CHUNK(T), n - j0);                                  \
        const T* qa = pa + j0;                                                              \
        const T* qb = pb + j0;                                                              \
        if (a_cs != 1) {                                                                    \
          if (a_cs != 0 || j0 == 0) fetch_##dt(ta, pa + (ptrdiff_t)j0 * a_cs, a_cs, k);     \
          qa = ta;                                                                          \
        }                                                                                   \
        if (b_cs != 1) {                                                                    \
          if (b_cs != 0 || j0 == 0) fetch_##dt(tb, pb + (ptrdiff_t)j0 * b_cs, b_cs, k);     \
          qb = tb;                                                                          \
        }                                                                                   \
        run_##dt(qa, qb, y + j0 * ysz, ysz, k, row);                                        \
      }                                                                                     \
    }                                                                                       \
  }
DEFINE_DRIVER(f64, double)
DEFINE_DRIVER(i64, int64_t)
DEFINE_DRIVER(i32, int32_t)
DEFINE_DRIVER(i16, int16_t)
DEFINE_DRIVER(u8, uint8_t)
#define drive_i8 drive_u8       /* int8 kernels run on the byte driver (uint8_t pointers) */
#define drive_f16 drive_i16     /* float16 / bfloat16 on the 16-bit driver (int16_t pointers) */
#define drive_bf16 drive_i16

#define KERNEL(dt, op, T, OUT, PUT)                                                         \
  static void vec_##dt##_##op(const T* a, const T* b, void* out, size_t n) {                \
    OUT* y = (OUT*)out;                                                                     \
    for (size_t j = 0; j < n; j += 16 / sizeof(T))                                          \
      PUT(y + j, V_##dt##_##op(wasm_v128_load(a + j), wasm_v128_load(b + j)));              \
  }                                                                                         \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t m, size_t n, const T* a, int32_t a_rs,            \
                                   int32_t a_cs, const T* b, int32_t b_rs, int32_t b_cs,    \
                                   OUT* y) {                                                \
    drive_##dt(m, n, a, a_rs, a_cs, b, b_rs, b_cs, (char*)y, sizeof(OUT), vec_##dt##_##op);  \
  }
#define COMPARE(dt, T, PUTM)                                                                \
  KERNEL(dt, eq, T, uint8_t, PUTM) KERNEL(dt, ne, T, uint8_t, PUTM)                         \
  KERNEL(dt, lt, T, uint8_t, PUTM) KERNEL(dt, le, T, uint8_t, PUTM)                         \
  KERNEL(dt, gt, T, uint8_t, PUTM) KERNEL(dt, ge, T, uint8_t, PUTM)
#define MINMAX(dt, T)                                                                       \
  KERNEL(dt, add, T, T, put_v) KERNEL(dt, sub, T, T, put_v) KERNEL(dt, mul, T, T, put_v)     \
  KERNEL(dt, maximum, T, T, put_v) KERNEL(dt, minimum, T, T, put_v)
#define LOGICAL(dt, T, PUTM)                                                                \
  KERNEL(dt, logical_and, T, uint8_t, PUTM) KERNEL(dt, logical_or, T, uint8_t, PUTM)        \
  KERNEL(dt, logical_xor, T, uint8_t, PUTM)
#define BITWISE(dt, T)                                                                      \
  KERNEL(dt, bitwise_and, T, T, put_v) KERNEL(dt, bitwise_or, T, T, put_v)                  \
  KERNEL(dt, bitwise_xor, T, T, put_v)

MINMAX(f64, double) KERNEL(f64, div, double, double, put_v) COMPARE(f64, double, put_m64)
MINMAX(i64, int64_t) BITWISE(i64, int64_t) COMPARE(i64, int64_t, put_m64)
MINMAX(i32, int32_t) BITWISE(i32, int32_t) COMPARE(i32, int32_t, put_m32)
MINMAX(i16, int16_t) BITWISE(i16, int16_t) COMPARE(i16, int16_t, put_m16)
MINMAX(u8, uint8_t) BITWISE(u8, uint8_t) COMPARE(u8, uint8_t, put_m8)
KERNEL(i8, maximum, uint8_t, uint8_t, put_v) KERNEL(i8, minimum, uint8_t, uint8_t, put_v)
COMPARE(i8, uint8_t, put_m8)

/* clamp in one pass: minimum(maximum(x, lo), hi) with the binary kernels' own maximum/minimum
 * (the two selections the op layer made, same results); bounds = {lo, hi} in x's dtype (the
 * dtype's extremes or -inf / inf for a missing one). int8: signed lanes on uint8_t pointers.
 *   void wt_<dt>_clamp_<isa>(size_t n, const T* x, const T* bounds, T* y) */
#define CLAMP_KERNEL(dt, T)                                                                 \
  WT_EXPORT void WT_SYM(dt##_clamp)(size_t n, const T* x, const T* bounds, T* y) {          \
    enum { L = 16 / sizeof(T) };                                                            \
    T t[3][L];                                                                              \
    for (size_t k = 0; k < L; k++) t[0][k] = bounds[0], t[1][k] = bounds[1];                \
    const v128_t lo = wasm_v128_load(t[0]), hi = wasm_v128_load(t[1]);                      \
    size_t j = 0;                                                                           \
    for (; j + L <= n; j += L)                                                              \
      wasm_v128_store(y + j, V_##dt##_minimum(V_##dt##_maximum(wasm_v128_load(x + j), lo), hi)); \
    if (j < n) {                                                                            \
      for (size_t k = 0; k < L; k++) t[2][k] = j + k < n ? x[j + k] : 0;                    \
      wasm_v128_store(t[2], V_##dt##_minimum(V_##dt##_maximum(wasm_v128_load(t[2]), lo), hi)); \
      for (size_t k = 0; j + k < n; k++) y[j + k] = t[2][k];                                \
    }                                                                                       \
  }
/* float32's maximum / minimum as f32-vbinary's (NaN from either side, `a` when a == b) */
#define V_f32_maximum(a, b) wasm_v128_bitselect(b, wasm_f32x4_pmax(a, b), wasm_f32x4_ne(b, b))
#define V_f32_minimum(a, b) wasm_v128_bitselect(b, wasm_f32x4_pmin(a, b), wasm_f32x4_ne(b, b))
CLAMP_KERNEL(f32, float)
CLAMP_KERNEL(f64, double)
CLAMP_KERNEL(i64, int64_t)
CLAMP_KERNEL(i32, int32_t)
CLAMP_KERNEL(i16, int16_t)
CLAMP_KERNEL(i8, uint8_t)
CLAMP_KERNEL(u8, uint8_t)
LOGICAL(f64, double, put_m64) LOGICAL(i64, int64_t, put_m64) LOGICAL(i32, int32_t, put_m32)
LOGICAL(i16, int16_t, put_m16) LOGICAL(u8, uint8_t, put_m8)
LOGICAL(f16, int16_t, put_m16) LOGICAL(bf16, int16_t, put_m16)

WT_SMALL_END

/* float16 / bfloat16: 8 halves -> two f32x4, the float32 op, rounded back to 8 halves.
 * Outside the size-optimised region: under minsize the conversions stay calls. */
#define V_f32_add(a, b) wasm_f32x4_add(a, b)
#define V_f32_sub(a, b) wasm_f32x4_sub(a, b)
#define V_f32_mul(a, b) wasm_f32x4_mul(a, b)
#define V_f32_div(a, b) wasm_f32x4_div(a, b)
#define V_HALF(dt, op)                                                                      \
  static inline v128_t V_##dt##_##op(v128_t a, v128_t b) {                                  \
    v128_t a0, a1, b0, b1;                                                                  \
    v_f32x8_from_##dt(a, &a0, &a1);                                                         \
    v_f32x8_from_##dt(b, &b0, &b1);                                                         \
    return v_##dt##x8_from_f32(V_f32_##op(a0, b0), V_f32_##op(a1, b1));                     \
  }
V_HALF(f16, add) V_HALF(f16, sub) V_HALF(f16, mul) V_HALF(f16, div)
V_HALF(bf16, add) V_HALF(bf16, sub) V_HALF(bf16, mul) V_HALF(bf16, div)
/* Selections and comparisons need no float: on the 16-bit patterns (wt_half.h's v_h16_key,
 * v_h16_nan), -0.0 == 0.0, NaN unordered. maximum/minimum: NaN from either side as the
 * canonical quiet NaN, a == b gives a; fmax/fmin NaN-ignoring (xN-fminmax's rule: a NaN
 * operand gives the other, two give the canonical NaN). Bits in, bits out: no rounding. */
#define V_HALF_SEL(dt, INF, QNAN)                                                           \
  static inline v128_t V_##dt##_maximum(v128_t a, v128_t b) {                               \
    const v128_t r = wasm_v128_bitselect(b, a, wasm_i16x8_lt(v_h16_key(a), v_h16_key(b)));   \
    return wasm_v128_bitselect(wasm_i16x8_splat(QNAN), r,                                   \
                               wasm_v128_or(v_h16_nan(a, INF), v_h16_nan(b, INF)));         \
  }                                                                                         \
  static inline v128_t V_##dt##_minimum(v128_t a, v128_t b) {                               \
    const v128_t r = wasm_v128_bitselect(b, a, wasm_i16x8_lt(v_h16_key(b), v_h16_key(a)));   \
    return wasm_v128_bitselect(wasm_i16x8_splat(QNAN), r,                                   \
                               wasm_v128_or(v_h16_nan(a, INF), v_h16_nan(b, INF)));         \
  }                                                                                         \
  static inline v128_t V_##dt##_fmax(v128_t a, v128_t b) {                                  \
    const v128_t na = v_h16_nan(a, INF), nb = v_h16_nan(b, INF);                            \
    const v128_t r = wasm_v128_bitselect(b, a, wasm_v128_or(                                \
        wasm_i16x8_lt(v_h16_key(a), v_h16_key(b)), na));                                    \
    return wasm_v128_bitselect(wasm_i16x8_splat(QNAN), wasm_v128_bitselect(a, r, nb),       \
                               wasm_v128_and(na, nb));                                      \
  }                                                                                         \
  static inline v128_t V_##dt##_fmin(v128_t a, v128_t b) {                                  \
    const v128_t na = v_h16_nan(a, INF), nb = v_h16_nan(b, INF);                            \
    const v128_t r = wasm_v128_bitselect(b, a, wasm_v128_or(                                \
        wasm_i16x8_lt(v_h16_key(b), v_h16_key(a)), na));                                    \
    return wasm_v128_bitselect(wasm_i16x8_splat(QNAN), wasm_v128_bitselect(a, r, nb),       \
                               wasm_v128_and(na, nb));                                      \
  }                                                                                         \
  static inline v128_t dt##_unord(v128_t a, v128_t b) {                                     \
    return wasm_v128_or(v_h16_nan(a, INF), v_h16_nan(b, INF));                              \
  }                                                                                         \
  static inline v128_t V_##dt##_eq(v128_t a, v128_t b) {                                    \
    return wasm_v128_andnot(wasm_i16x8_eq(v_h16_key(a), v_h16_key(b)), dt##_unord(a, b));   \
  }                                                                                         \
  static inline v128_t V_##dt##_ne(v128_t a, v128_t b) {                                    \
    return wasm_v128_or(wasm_i16x8_ne(v_h16_key(a), v_h16_key(b)), dt##_unord(a, b));       \
  }                                                                                         \
  static inline v128_t V_##dt##_lt(v128_t a, v128_t b) {                                    \
    return wasm_v128_andnot(wasm_i16x8_lt(v_h16_key(a), v_h16_key(b)), dt##_unord(a, b));   \
  }                                                                                         \
  static inline v128_t V_##dt##_le(v128_t a, v128_t b) {                                    \
    return wasm_v128_andnot(wasm_i16x8_le(v_h16_key(a), v_h16_key(b)), dt##_unord(a, b));   \
  }                                                                                         \
  static inline v128_t V_##dt##_gt(v128_t a, v128_t b) { return V_##dt##_lt(b, a); }         \
  static inline v128_t V_##dt##_ge(v128_t a, v128_t b) { return V_##dt##_le(b, a); }
V_HALF_SEL(f16, 0x7C00, 0x7E00)
V_HALF_SEL(bf16, 0x7F80, 0x7FC0)
#define HALF_KERNELS(dt)                                                                    \
  MINMAX(dt, int16_t) KERNEL(dt, div, int16_t, int16_t, put_v) COMPARE(dt, int16_t, put_m16) \
  KERNEL(dt, fmax, int16_t, int16_t, put_v) KERNEL(dt, fmin, int16_t, int16_t, put_v)
HALF_KERNELS(f16)
HALF_KERNELS(bf16)
