/* Floor / trunc division, remainder and fmod (torch's rules) for f32 / f64 / f16 / bf16 / i64 /
 * i32 / i16 / i8 / u8, in the binary 2-D broadcast form plus a status word:
 *   void wt_<dt>_<op>_<isa>(size_t m, size_t n, const T* a, int32_t a_rs, int32_t a_cs,
 *                           const T* b, int32_t b_rs, int32_t b_cs, T* y, int32_t* status)
 * ops: remainder (Python's sign rule: the divisor's sign), div_floor, div_trunc, fmod (C's:
 * the dividend's sign).
 * Integers: a zero divisor sets *status = 1 (the caller raises torch's "ZeroDivisionError");
 * its element gets 0. INT_MIN / -1 wraps (no trap; int16/int8 too: -128 // -1 == -128, as
 * torch's). int32 runs in i32x4 lanes, int16 and the 8-bit types in i16x8 lanes, with the
 * quotient from a float division: trunc(fl(a / b)) is the exact quotient for |a|, |b| <= 2^15
 * in float32 and < 2^31 in float64 (fl(a / b) lies within 2^-24 |a / b| of a / b, which is at
 * least 1 / |b| from any other integer). int64: scalar.
 * Floats follow torch's CPU formulas on an exact fmod (remainder = fmod, + b where the signs
 * differ; div_floor from (a - fmod) / b, torch's rounding fix-ups; div_trunc = trunc(a / b)),
 * in the element's own precision, so the results are torch's bit for bit. The fmod is exact
 * in float64 lanes (float32 promoted): q = trunc(|a| / |b|), |a| - q |b| in double-double, one
 * correction step; lanes with q >= 2^52 or extreme exponents take a scalar long division.
 * float16 / bfloat16: widened to float32 in registers, the float32 formulas, rounded once
 * (the float32 opmath of the op layer's widen / float32 op / round passes, in one pass).
 */
#include "wt_vdrive.h"

#define F2(c) wasm_f64x2_splat(c)
#define SEL wasm_v128_bitselect
#define SIGN64 wasm_i64x2_splat((int64_t)0x8000000000000000ULL)

static v128_t zero_divisor; /* lanes of the current call that divided an integer by zero */

WT_SMALL_BEGIN

/* exact fmod for large quotients or huge/tiny operands: binary long division on the
 * mantissas, both normalised to 53 bits first (subnormals included) */
static double fmod_slow(double a, double b) {
  union { double d; uint64_t u; } ua = {a}, ub = {b};
  const uint64_t sx = ua.u >> 63;
  int ex = (int)(ua.u >> 52 & 0x7ff), ey = (int)(ub.u >> 52 & 0x7ff);
  uint64_t mx = ua.u & 0xfffffffffffffULL, my = ub.u & 0xfffffffffffffULL;
  if (ex) mx |= 1ULL << 52; else ex = 1;
  if (ey) my |= 1ULL << 52; else ey = 1;
  while (!(mx >> 52)) mx <<= 1, ex--;
  while (!(my >> 52)) my <<= 1, ey--;
  if (ex < ey || (ex == ey && mx < my)) return a;
  for (; ex > ey; ex--) {
    if (mx >= my) mx -= my;
    mx <<= 1;
  }
  if (mx >= my) mx -= my;
  if (mx == 0) return sx ? -0.0 : 0.0;
  while (!(mx >> 52)) mx <<= 1, ex--;
  if (ex >= 1) ua.u = (mx & 0xfffffffffffffULL) | ((uint64_t)ex << 52);
  else ua.u = mx >> (1 - ex); /* subnormal: exact, the remainder is representable */
  ua.u |= sx << 63;
  return ua.d;
}

/* ---- integers --------------------------------------------------------------------------- */
#define INT_OPS(dt, T, UT)                                                                  \
  static T dt##_1(T a, T b, int op) {                                                       \
    if (b == 0) return zero_divisor = wasm_i32x4_splat(-1), 0;                             \
    if (b == -1) return op == 1 || op == 2 ? (T)(0 - (UT)a) : 0; /* floor, trunc: -a (wraps) */ \
    const T q = a / b, r = a % b;                                                           \
    const int fix = r != 0 && (r < 0) != (b < 0);                                           \
    return op == 0 ? r + (fix ? b : 0) : op == 1 ? q - fix : op == 2 ? q : r;               \
  }
INT_OPS(i64, int64_t, uint64_t)

WT_SMALL_END

/* int64: scalar, two lanes (op: 0 remainder, 1 div_floor, 2 div_trunc, 3 fmod) */
static v128_t v_i64(v128_t a, v128_t b, int op) {
  return wasm_i64x2_make(
      i64_1(wasm_i64x2_extract_lane(a, 0), wasm_i64x2_extract_lane(b, 0), op),
      i64_1(wasm_i64x2_extract_lane(a, 1), wasm_i64x2_extract_lane(b, 1), op));
}

/* int32 lanes: the quotient from float64 division */
__attribute__((noinline)) static v128_t v_i32(v128_t a, v128_t b, int op) {
  const v128_t z = wasm_i32x4_eq(b, wasm_i32x4_splat(0));
  zero_divisor = wasm_v128_or(zero_divisor, z);
  const v128_t bh = wasm_i32x4_shuffle(b, b, 2, 3, 2, 3), ah = wasm_i32x4_shuffle(a, a, 2, 3, 2, 3);
  const v128_t lo = wasm_i32x4_trunc_sat_f64x2_zero(wasm_f64x2_div(
      wasm_f64x2_convert_low_i32x4(a), wasm_f64x2_convert_low_i32x4(b)));
  const v128_t hi = wasm_i32x4_trunc_sat_f64x2_zero(wasm_f64x2_div(
      wasm_f64x2_convert_low_i32x4(ah), wasm_f64x2_convert_low_i32x4(bh)));
  /* b == -1: -a, wrapping (INT_MIN / -1 saturates in the conversion) */
  const v128_t q = SEL(wasm_i32x4_neg(a), wasm_i32x4_shuffle(lo, hi, 0, 1, 4, 5),
                       wasm_i32x4_eq(b, wasm_i32x4_splat(-1)));
  const v128_t r = wasm_i32x4_sub(a, wasm_i32x4_mul(q, b));
  /* r != 0 with the sign of a opposite to b's: floor and Python's remainder step once */
  const v128_t fix = wasm_v128_andnot(wasm_i32x4_lt(wasm_v128_xor(r, b), wasm_i32x4_splat(0)),
                                      wasm_i32x4_eq(r, wasm_i32x4_splat(0)));
  const v128_t y = op == 0 ? wasm_i32x4_add(r, wasm_v128_and(b, fix))
                 : op == 1 ? wasm_i32x4_add(q, fix)
                 : op == 2 ? q : r;
  return wasm_v128_andnot(y, z);
}
/* the truncated quotient of i32x4 lanes (|a|, |b| <= 2^15) through float32 */
static inline v128_t q_f32(v128_t a, v128_t b) {
  return wasm_i32x4_trunc_sat_f32x4(
      wasm_f32x4_div(wasm_f32x4_convert_i32x4(a), wasm_f32x4_convert_i32x4(b)));
}
/* i16x8 lanes (int16, or 8-bit values widened): the quotient's low 16 bits (-32768 / -1
 * wraps), the rest in 16-bit lanes */
__attribute__((noinline)) static v128_t v_i16(v128_t a, v128_t b, int op) {
  const v128_t z = wasm_i16x8_eq(b, wasm_i16x8_splat(0));
  zero_divisor = wasm_v128_or(zero_divisor, z);
  const v128_t q = v_lo16(q_f32(wasm_i32x4_extend_low_i16x8(a), wasm_i32x4_extend_low_i16x8(b)),
                          q_f32(wasm_i32x4_extend_high_i16x8(a), wasm_i32x4_extend_high_i16x8(b)));
  const v128_t r = wasm_i16x8_sub(a, wasm_i16x8_mul(q, b));
  const v128_t fix = wasm_v128_andnot(wasm_i16x8_lt(wasm_v128_xor(r, b), wasm_i16x8_splat(0)),
                                      wasm_i16x8_eq(r, wasm_i16x8_splat(0)));
  const v128_t y = op == 0 ? wasm_i16x8_add(r, wasm_v128_and(b, fix))
                 : op == 1 ? wasm_i16x8_add(q, fix)
                 : op == 2 ? q : r;
  return wasm_v128_andnot(y, z);
}
/* 16 bytes as 2 x i16x8 (signed or not), the low bytes of the results back */
#define V8(dt, S)                                                                           \
  static v128_t v_##dt(v128_t a, v128_t b, int op) {                                        \
    const v128_t lo = v_i16(wasm_##S##16x8_extend_low_##S##8x16(a),                         \
                            wasm_##S##16x8_extend_low_##S##8x16(b), op);                    \
    const v128_t hi = v_i16(wasm_##S##16x8_extend_high_##S##8x16(a),                        \
                            wasm_##S##16x8_extend_high_##S##8x16(b), op);                   \
    return wasm_i8x16_shuffle(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30); \
  }
V8(i8, i)
V8(u8, u)

/* ---- floats ------------------------------------------------------------------------------ */
/* C's fmod of f64x2 lanes, exact (nan for a = +-inf or b = 0; a for b = +-inf) */
__attribute__((noinline)) static v128_t v_fmod64(v128_t a, v128_t b) {
  const v128_t aa = wasm_f64x2_abs(a), ab = wasm_f64x2_abs(b);
  const v128_t nan = wasm_v128_or(wasm_v128_or(wasm_f64x2_ne(a, a), wasm_f64x2_ne(b, b)),
                                  wasm_v128_or(wasm_f64x2_eq(aa, F2(__builtin_inf())),
                                               wasm_f64x2_eq(b, F2(0.0))));
  const v128_t keep = wasm_v128_or(wasm_f64x2_eq(ab, F2(__builtin_inf())), wasm_f64x2_lt(aa, ab));
  const v128_t q = wasm_f64x2_div(aa, ab), t = wasm_f64x2_trunc(q);
  /* t |b| = p + e exactly (Veltkamp splits; no fma) */
  const v128_t c = F2(134217729.0);
  v128_t s = wasm_f64x2_mul(c, t);
  const v128_t th = wasm_f64x2_sub(s, wasm_f64x2_sub(s, t)), tl = wasm_f64x2_sub(t, th);
  s = wasm_f64x2_mul(c, ab);
  const v128_t bh = wasm_f64x2_sub(s, wasm_f64x2_sub(s, ab)), bl = wasm_f64x2_sub(ab, bh);
  const v128_t p = wasm_f64x2_mul(t, ab);
  const v128_t e = wasm_f64x2_add(
      wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_sub(wasm_f64x2_mul(th, bh), p),
                                    wasm_f64x2_mul(th, bl)), wasm_f64x2_mul(tl, bh)),
      wasm_f64x2_mul(tl, bl));
  v128_t r = wasm_f64x2_sub(wasm_f64x2_sub(aa, p), e); /* exact: t is off by at most 1 */
  r = SEL(wasm_f64x2_add(r, ab), r, wasm_f64x2_lt(r, F2(0.0)));
  r = SEL(wasm_f64x2_sub(r, ab), r, wasm_f64x2_ge(r, ab));
  r = wasm_v128_xor(r, wasm_v128_and(a, SIGN64));
  r = SEL(F2(__builtin_nan("")), SEL(a, r, keep), nan);
  const v128_t slow = wasm_v128_andnot(
      wasm_v128_or(wasm_v128_or(wasm_f64x2_ge(q, F2(0x1p52)), wasm_f64x2_gt(aa, F2(0x1p990))),
                   wasm_f64x2_lt(ab, F2(0x1p-960))),
      wasm_v128_or(nan, keep));
  if (__builtin_expect(wasm_v128_any_true(slow), 0)) {
    if (wasm_i64x2_extract_lane(slow, 0))
      r = wasm_f64x2_replace_lane(r, 0, fmod_slow(wasm_f64x2_extract_lane(a, 0),
                                                  wasm_f64x2_extract_lane(b, 0)));
    if (wasm_i64x2_extract_lane(slow, 1))
      r = wasm_f64x2_replace_lane(r, 1, fmod_slow(wasm_f64x2_extract_lane(a, 1),
                                                  wasm_f64x2_extract_lane(b, 1)));
  }
  return r;
}
/* float32 lanes, in double: where every |q| = trunc(|a / b|) < 2^27 (and b finite), q is the
 * exact quotient (a / b is at least 2^-25 from any other integer, fl(a / b) within 2^-53 |a / b|
 * of it) and a - q b is exact (q b has at most 51 bits): 6 operations per pair. Otherwise the
 * double-double path. Either way exact, so exact after the demotion. */
static v128_t v_fmod32(v128_t a, v128_t b) {
  const v128_t al = wasm_f64x2_promote_low_f32x4(a), bl = wasm_f64x2_promote_low_f32x4(b);
  const v128_t ah = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(a, a, 2, 3, 2, 3));
  const v128_t bh = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(b, b, 2, 3, 2, 3));
  const v128_t ql = wasm_f64x2_trunc(wasm_f64x2_div(al, bl));
  const v128_t qh = wasm_f64x2_trunc(wasm_f64x2_div(ah, bh));
  v128_t lo, hi;
  if (__builtin_expect(wasm_i64x2_all_true(wasm_v128_and(
                           wasm_f64x2_lt(wasm_f64x2_abs(ql), F2(0x1p27)),
                           wasm_f64x2_lt(wasm_f64x2_abs(qh), F2(0x1p27)))) &&
                       wasm_i32x4_all_true(wasm_f32x4_lt(wasm_f32x4_abs(b),
                                                         wasm_f32x4_splat(__builtin_inff()))), 1)) {
    lo = wasm_f64x2_sub(al, wasm_f64x2_mul(ql, bl));
    hi = wasm_f64x2_sub(ah, wasm_f64x2_mul(qh, bh));
    /* the sign of a (a zero remainder too) */
    return wasm_v128_bitselect(a, wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo),
                                                     wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5),
                               wasm_i32x4_splat((int32_t)0x80000000u));
  }
  lo = v_fmod64(al, bl);
  hi = v_fmod64(ah, bh);
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi),
                            0, 1, 4, 5);
}

/* float32 lanes holding halves (at most 11 significant bits): where every q = trunc(|a / b|)
 * < 2^13 (b finite), fl(|a| / |b|) is within 2^-11 of |a / b|, which is a multiple of 1 / B
 * (B < 2^11, b's integer significand) away from any other integer: q is exact, and so are
 * q |b| (24 bits) and |a| - q |b|: 4 float32 operations. Otherwise v_fmod32. */
static v128_t v_fmod_h(v128_t a, v128_t b) {
  const v128_t aa = wasm_f32x4_abs(a), ab = wasm_f32x4_abs(b);
  const v128_t q = wasm_f32x4_trunc(wasm_f32x4_div(aa, ab));
  if (__builtin_expect(wasm_i32x4_all_true(wasm_v128_and(
          wasm_f32x4_lt(q, wasm_f32x4_splat(0x1p13f)),
          wasm_f32x4_lt(ab, wasm_f32x4_splat(__builtin_inff())))), 1))
    return wasm_v128_bitselect(a, wasm_f32x4_sub(aa, wasm_f32x4_mul(q, ab)),
                               wasm_i32x4_splat((int32_t)0x80000000u));
  return v_fmod32(a, b);
}

/* torch's formulas in the lanes' own precision (F wasm_f32x4 / wasm_f64x2) */
#define FLOAT_OPS(dt, F, FMOD)                                                              \
  static v128_t dt##_remainder(v128_t a, v128_t b) {                                        \
    const v128_t m = FMOD(a, b), zero = F##_splat(0);                                       \
    const v128_t fix = wasm_v128_and(F##_ne(m, zero),                                       \
                                     wasm_v128_xor(F##_lt(b, zero), F##_lt(m, zero)));       \
    return SEL(F##_add(m, b), m, fix);                                                      \
  }                                                                                         \
  static v128_t dt##_div_floor(v128_t a, v128_t b) {                                        \
    const v128_t zero = F##_splat(0), q = F##_div(a, b);                                    \
    const v128_t mod = FMOD(a, b);                                                          \
    v128_t div = F##_div(F##_sub(a, mod), b);                                               \
    const v128_t fix = wasm_v128_and(F##_ne(mod, zero),                                     \
                                     wasm_v128_xor(F##_lt(b, zero), F##_lt(mod, zero)));     \
    div = SEL(F##_sub(div, F##_splat(1)), div, fix);                                        \
    v128_t fl = F##_floor(div);                                                             \
    fl = SEL(F##_add(fl, F##_splat(1)), fl, F##_gt(F##_sub(div, fl), F##_splat(0.5)));      \
    /* div == 0: zero with the quotient's sign; b == 0: the quotient */                     \
    fl = SEL(wasm_v128_and(q, F##_splat(-0.0)), fl, F##_eq(div, zero));                     \
    return SEL(q, fl, F##_eq(b, zero));                                                     \
  }                                                                                         \
  static v128_t dt##_div_trunc(v128_t a, v128_t b) { return F##_trunc(F##_div(a, b)); }     \
  static v128_t dt##_fmod(v128_t a, v128_t b) { return FMOD(a, b); }
FLOAT_OPS(f32, wasm_f32x4, v_fmod32)
FLOAT_OPS(f64, wasm_f64x2, v_fmod64)
FLOAT_OPS(h32, wasm_f32x4, v_fmod_h)   /* float32 lanes holding halves */
/* halves' div_floor where v_fmod_h's short path holds: a - fmod(a, b) is +-q |b| exactly, so
 * torch's (a - mod) / b is +-q without a division; the fix-ups as in FLOAT_OPS (the floor is
 * a no-op on integers; a zero takes the quotient's sign, q = 0 carries it) */
static v128_t h32_div_floor_short(v128_t a, v128_t b) {
  const v128_t aa = wasm_f32x4_abs(a), ab = wasm_f32x4_abs(b);
  const v128_t q = wasm_f32x4_trunc(wasm_f32x4_div(aa, ab));
  if (__builtin_expect(!wasm_i32x4_all_true(wasm_v128_and(
          wasm_f32x4_lt(q, wasm_f32x4_splat(0x1p13f)),
          wasm_f32x4_lt(ab, wasm_f32x4_splat(__builtin_inff())))), 0))
    return h32_div_floor(a, b);
  const v128_t apart = wasm_i32x4_shr(wasm_v128_xor(a, b), 31);   /* signs of a and b */
  const v128_t div = wasm_v128_or(q, wasm_v128_and(apart, wasm_i32x4_splat((int32_t)0x80000000u)));
  /* mod != 0 with the signs of a (mod's) and b apart: one less */
  const v128_t fix = wasm_v128_andnot(apart, wasm_f32x4_eq(wasm_f32x4_sub(aa, wasm_f32x4_mul(q, ab)),
                                                           wasm_f32x4_splat(0.0f)));
  return wasm_v128_bitselect(wasm_f32x4_sub(div, wasm_f32x4_splat(1.0f)), div, fix);
}
#define HALF_OPS(dt)                                                                        \
  WT_HALF_VOP(dt##_remainder, dt, h32_remainder)                                            \
  WT_HALF_VOP(dt##_div_floor, dt, h32_div_floor_short)                                      \
  WT_HALF_VOP(dt##_div_trunc, dt, f32_div_trunc)                                            \
  WT_HALF_VOP(dt##_fmod, dt, v_fmod_h)
HALF_OPS(f16)
HALF_OPS(bf16)
#define INT_VOPS(dt)                                                                        \
  static v128_t dt##_remainder(v128_t a, v128_t b) { return v_##dt(a, b, 0); }              \
  static v128_t dt##_div_floor(v128_t a, v128_t b) { return v_##dt(a, b, 1); }              \
  static v128_t dt##_div_trunc(v128_t a, v128_t b) { return v_##dt(a, b, 2); }              \
  static v128_t dt##_fmod(v128_t a, v128_t b) { return v_##dt(a, b, 3); }
INT_VOPS(i64)
INT_VOPS(i32)
INT_VOPS(i16)
INT_VOPS(i8)
INT_VOPS(u8)

/* the op inlined in the run loop (WT_VSPAN): through wt_vdrive's per-vector indirect call the
 * float16 fmod cost ~1 ns per element more than its arithmetic */
#define KERNEL(dt, op, T)                                                                   \
  WT_VSPAN(dt##_##op##_span, dt##_##op)                                                     \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t m, size_t n, const T* a, int32_t a_rs,            \
                                   int32_t a_cs, const T* b, int32_t b_rs, int32_t b_cs,    \
                                   T* y, int32_t* status) {                                 \
    zero_divisor = wasm_i32x4_splat(0);                                                     \
    wt_vdrive_span(m, n, (const char*)a, a_rs, a_cs, (const char*)b, b_rs, b_cs, (char*)y,  \
                   sizeof(T), 0, dt##_##op##_span);                                         \
    *status = wasm_v128_any_true(zero_divisor);                                             \
  }
#define DTYPE(dt, T) KERNEL(dt, remainder, T) KERNEL(dt, div_floor, T) KERNEL(dt, div_trunc, T) \
  KERNEL(dt, fmod, T)

DTYPE(f32, float)
DTYPE(f64, double)
DTYPE(f16, uint16_t)
DTYPE(bf16, uint16_t)
DTYPE(i64, int64_t)
DTYPE(i32, int32_t)
DTYPE(i16, int16_t)
DTYPE(i8, int8_t)
DTYPE(u8, uint8_t)
