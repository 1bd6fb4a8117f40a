/* pow and atan2 (float64, float32, float16, bfloat16) and integer pow, in the binary 2-D form:
 *   void wt_<dt>_<op>_<isa>(size_t m, size_t n, const T* a, int32_t a_rs, int32_t a_cs,
 *                           const T* b, int32_t b_rs, int32_t b_cs, T* y)
 * Max errors vs long-double / mpmath references (tests/unit/kernels/test_kernels_vbinary.py):
 *   f64_pow 1 ulp: exp(y log|x|) with log|x| in double-double (a 2s + 2s^3/3 split with exact
 *     products) and exp of the double-double product; float32: the same formula in double
 *     (f32_pow 0.52 ulp: a 2^-35 log, the special cases on the f32 lanes). C99/torch special cases: pow(x, 0) = 1 and
 *     pow(1, y) = 1 even for nan, pow(-1, +-inf) = 1, negative base with a non-integer exponent
 *     nan, signed zeros and infinities by the odd-integer rule.
 *   f64_atan2 2 ulp: atan(min/max) reduced with one
 *     division to |a| <= tan(pi/16) (offsets 0, atan(tan(pi/8)), pi/4), a Taylor series, then
 *     the octant; C99's signed zeros and infinities. f32_atan2 0.53 ulp (0.520 measured) in
 *     f32x4 lanes, carried in double-float where it matters (v_atan2_f32); vectors whose
 *     magnitudes are all in [2^-40, 2^40) skip the special cases and the scaling.
 *   i64/i32/i16/i8/u8 pow: square-and-multiply in the lanes, wrapping like torch's; a negative
 *     exponent gives torch's 1 (base 1), +-1 (base -1), else 0.
 * f16/bf16 pow and atan2: the float32 op on the widened lanes, rounded once.
 * The op is inlined in a loop over each run of vectors (WT_VSPAN), not called per vector.
 * No libm: Taylor series (no fitted coefficients), Cody-Waite reductions.
 */
#include "wt_f64x2.h"
#include "wt_vdrive.h"

#define DIV wasm_f64x2_div
#define INF __builtin_inf()

/* ---- double-double helpers (no fma: Veltkamp splits) ---------------------------------- */
static inline void split(v128_t x, v128_t* h, v128_t* l) {
  const v128_t t = MUL(x, D2(134217729.0)); /* 2^27 + 1 */
  *h = SUB(t, SUB(t, x));
  *l = SUB(x, *h);
}
/* p + e == x * y exactly (|x|, |y| < 2^995), x and y already split */
static inline v128_t two_prod_s(v128_t xh, v128_t xl, v128_t yh, v128_t yl, v128_t p) {
  return ADD(ADD(ADD(SUB(MUL(xh, yh), p), MUL(xh, yl)), MUL(xl, yh)), MUL(xl, yl));
}
static inline v128_t two_prod(v128_t x, v128_t y, v128_t* e) {
  v128_t xh, xl, yh, yl;
  split(x, &xh, &xl);
  split(y, &yh, &yl);
  const v128_t p = MUL(x, y);
  *e = two_prod_s(xh, xl, yh, yl, p);
  return p;
}
static inline v128_t two_sum(v128_t a, v128_t b, v128_t* e) {
  const v128_t s = ADD(a, b), bb = SUB(s, a);
  *e = ADD(SUB(a, SUB(s, bb)), SUB(b, bb));
  return s;
}

/* x = 2^k m, m in [sqrt(1/2), sqrt 2), for finite x > 0 (subnormals too where sub, a
 * compile-time constant, is set: float32 inputs in double are all normal); returns f = m - 1
 * and k as f64 */
static inline v128_t reduce_log(v128_t x, v128_t* dk, int sub) {
  v128_t xs = x, eadj = wasm_i64x2_splat(0);
  if (sub) {
    const v128_t s = wasm_f64x2_lt(x, D2(0x1p-1022));
    xs = SEL(MUL(x, D2(0x1p54)), x, s);
    eadj = wasm_v128_and(s, wasm_i64x2_splat(-54));
  }
  const v128_t ix = wasm_i64x2_add(xs, wasm_i64x2_splat(0x3ff0000000000000LL - 0x3fe6a09e667f3bcdLL));
  const v128_t k = wasm_i64x2_add(
      wasm_i64x2_sub(wasm_u64x2_shr(ix, 52), wasm_i64x2_splat(1023)), eadj);
  const v128_t m = wasm_i64x2_add(wasm_v128_and(ix, wasm_i64x2_splat(0x000fffffffffffffLL)),
                                  wasm_i64x2_splat(0x3fe6a09e667f3bcdLL));
  *dk = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(k, k, 0, 2, 0, 2));
  return SUB(m, D2(1.0));
}

/* log(x) = hi + lo for finite x > 0, relative error < 2^-66: log m = 2s + 2s^3/3 + s^5 Q(s^2),
 * s = f / (2 + f), with s, s^3 and the sum carried in double-double. */
static inline v128_t log_dd(v128_t x, v128_t* lo) {
  v128_t dk;
  const v128_t f = reduce_log(x, &dk, 1);
  const v128_t uh = ADD(f, D2(2.0)), ul = SUB(f, SUB(uh, D2(2.0)));
  const v128_t sh = DIV(f, uh);
  v128_t shh, shl, uhh, uhl;
  split(sh, &shh, &shl);
  split(uh, &uhh, &uhl);
  const v128_t p = MUL(sh, uh);
  const v128_t pe = two_prod_s(shh, shl, uhh, uhl, p);
  const v128_t sl = DIV(SUB(SUB(SUB(f, p), pe), MUL(sh, ul)), uh);
  /* z = s^2 and s^3 exactly enough */
  const v128_t zh = MUL(sh, sh);
  const v128_t zl = two_prod_s(shh, shl, shh, shl, zh);
  v128_t zhh, zhl;
  split(zh, &zhh, &zhl);
  const v128_t qh = MUL(sh, zh);
  const v128_t ql = ADD(two_prod_s(shh, shl, zhh, zhl, qh),
                        ADD(MUL(sh, zl), MUL(MUL(D2(3.0), zh), sl)));
  /* 2/3 s^3 = th + tl */
  v128_t qhh, qhl, ch, cl;
  split(qh, &qhh, &qhl);
  split(D2(0x1.5555555555555p-1), &ch, &cl); /* 2/3 = C + 0x1.5555555555555p-55 */
  const v128_t th = MUL(qh, D2(0x1.5555555555555p-1));
  const v128_t tl = ADD(two_prod_s(qhh, qhl, ch, cl, th),
                        ADD(MUL(ql, D2(0x1.5555555555555p-1)), MUL(qh, D2(0x1.5555555555555p-55))));
  /* s^5 Q(z): Q = 2/5 + 2/7 z + ... (z <= 0.0295: 10 terms, truncation < 2^-70) */
  v128_t Q = D2(2.0 / 23);
  Q = H(Q, zh, 2.0 / 21);
  Q = H(Q, zh, 2.0 / 19);
  Q = H(Q, zh, 2.0 / 17);
  Q = H(Q, zh, 2.0 / 15);
  Q = H(Q, zh, 2.0 / 13);
  Q = H(Q, zh, 2.0 / 11);
  Q = H(Q, zh, 2.0 / 9);
  Q = H(Q, zh, 2.0 / 7);
  Q = H(Q, zh, 2.0 / 5);
  const v128_t s5q = MUL(MUL(qh, zh), Q);
  /* k ln2 + 2 sh (k != 0: |k ln2| > |2 sh|) + th, then every small term */
  const v128_t a = MUL(dk, D2(LN2_HI)), b = ADD(sh, sh);
  const v128_t s1 = ADD(a, b);
  const v128_t e1 = SUB(b, SUB(s1, a));
  v128_t e2;
  const v128_t s2 = two_sum(s1, th, &e2);
  const v128_t rest = ADD(ADD(ADD(e1, e2), ADD(ADD(sl, sl), tl)),
                          ADD(s5q, MUL(dk, D2(LN2_LO))));
  const v128_t hi = ADD(s2, rest);
  *lo = SUB(rest, SUB(hi, s2));
  return hi;
}

/* exp(hi + lo), |lo| <= 2^-40 |hi|; hi beyond [-746, 710] gives 0 / inf. 2^n in two steps:
 * subnormal results round once. */
static inline v128_t exp_dd(v128_t hi, v128_t lo, int f32) {
  v128_t ni;
  const v128_t r = ADD(reduce_ln2(hi, -746.0, 710.0, &ni), lo);
  const v128_t p = ADD(expm1_poly(r, f32), D2(1.0));
  const v128_t n1 = wasm_i64x2_shr(ni, 1);
  return MUL(MUL(p, pow2i(n1)), pow2i(wasm_i64x2_sub(ni, n1)));
}

/* plain double log for f32_pow (relative error 2^-35: what a float32 result needs) */
static inline v128_t log_d(v128_t x) {
  v128_t dk;
  const v128_t f = reduce_log(x, &dk, 0);
  const v128_t s = DIV(f, ADD(f, D2(2.0)));
  const v128_t z = MUL(s, s);
  v128_t R = D2(2.0 / 11); /* truncation 2 s z^6 / 13 < 2^-35 |log x| */
  R = H(R, z, 2.0 / 9);
  R = H(R, z, 2.0 / 7);
  R = H(R, z, 2.0 / 5);
  R = H(R, z, 2.0 / 3);
  R = H(R, z, 2.0);
  return ADD(MUL(dk, D2(0x1.62e42fefa39efp-1)), MUL(s, R));
}

/* pow's special cases around the core value v = exp(y log|x|) of |x|, for f64x2 (W 64) or
 * f32x4 (W 32) lanes */
#define POW_FIX(name, F, I, W, SIGN)                                                        \
  static inline v128_t name(v128_t x, v128_t y, v128_t v) {                                 \
    const v128_t yint = F##_eq(F##_trunc(y), y);                                            \
    const v128_t half = F##_mul(y, F##_splat(0.5));                                         \
    const v128_t yodd = wasm_v128_andnot(yint, F##_eq(F##_trunc(half), half));              \
    const v128_t xneg = I##_lt(x, I##_splat(0)); /* sign bit: -0 and nan too */             \
    v = wasm_v128_or(v, wasm_v128_and(wasm_v128_and(xneg, yodd), I##_splat(SIGN)));         \
    /* x < 0 (finite) with y not an integer, and x nan: nan */                              \
    const v128_t bad = wasm_v128_or(                                                        \
        wasm_v128_andnot(wasm_v128_and(F##_lt(x, F##_splat(0)), F##_gt(x, F##_splat(-INF))), \
                         yint),                                                             \
        F##_ne(x, x));                                                                      \
    v = SEL(F##_splat(__builtin_nan("")), v, bad);                                          \
    /* y == 0, x == 1, x == -1 with y = +-inf: 1 */                                         \
    const v128_t one = wasm_v128_or(                                                        \
        wasm_v128_or(F##_eq(y, F##_splat(0)), F##_eq(x, F##_splat(1))),                     \
        wasm_v128_and(F##_eq(x, F##_splat(-1)), F##_eq(F##_abs(y), F##_splat(INF))));        \
    return SEL(F##_splat(1), v, one);                                                       \
  }
POW_FIX(pow_fix, wasm_f64x2, wasm_i64x2, 64, (int64_t)0x8000000000000000ULL)
POW_FIX(pow_fix32, wasm_f32x4, wasm_i32x4, 32, (int32_t)0x80000000u)

static inline v128_t v_pow_f64(v128_t x, v128_t y) {
  const v128_t ax = wasm_f64x2_abs(x);
  v128_t llo;
  const v128_t lhi = log_dd(ax, &llo);
  /* |x| = 0 / inf (log_dd is for finite x > 0) */
  const v128_t z = wasm_f64x2_eq(ax, D2(0.0)), inf = wasm_f64x2_eq(ax, D2(INF));
  const v128_t L = SEL(D2(-INF), SEL(D2(INF), lhi, inf), z);
  const v128_t p = MUL(y, L);
  /* the product's error term; dropped where |p| > 1000 (result 0 or inf anyway; splitting a
   * huge y would overflow) */
  v128_t e;
  two_prod(y, L, &e);
  e = ADD(e, MUL(y, llo));
  e = wasm_v128_and(e, wasm_v128_and(wasm_f64x2_lt(wasm_f64x2_abs(p), D2(1000.0)),
                                      wasm_f64x2_lt(wasm_f64x2_abs(y), D2(0x1p900))));
  return pow_fix(x, y, exp_dd(p, e, 0));
}

static inline v128_t v_pow_f32half(v128_t x, v128_t y) {
  const v128_t ax = wasm_f64x2_abs(x);
  const v128_t z = wasm_f64x2_eq(ax, D2(0.0)), inf = wasm_f64x2_eq(ax, D2(INF));
  const v128_t L = SEL(D2(-INF), SEL(D2(INF), log_d(ax), inf), z);
  /* exp(y L) clamped to [-104, 89] (0 / inf as float32 beyond): 2^n is a normal double, one
   * scaling, the demotion rounds once (subnormal float32 results too). Special cases:
   * pow_fix32 on the f32x4. */
  v128_t ni;
  const v128_t r = reduce_ln2(MUL(y, L), -104.0, 89.0, &ni);
  return MUL(ADD(expm1_poly(r, 1), D2(1.0)), pow2i(ni));
}

/* atan2(y, x): see the header */
#define C1 0x1.a827999fcef32p-2 /* tan(pi/8) rounded; its atan below */
static inline v128_t v_atan2_f64(v128_t y, v128_t x) {
  const v128_t ay = wasm_f64x2_abs(y), ax = wasm_f64x2_abs(x);
  const v128_t swap = wasm_f64x2_gt(ay, ax);
  v128_t mn = SEL(ax, ay, swap), mx = SEL(ay, ax, swap);
  /* 0/0 -> 0, inf/inf -> 1 */
  const v128_t both_inf = wasm_f64x2_eq(mn, D2(INF));
  mn = SEL(D2(1.0), mn, both_inf);
  mx = SEL(D2(1.0), mx, both_inf);
  mx = SEL(D2(1.0), mx, wasm_f64x2_eq(mx, D2(0.0)));
  const v128_t mxinf = wasm_f64x2_eq(mx, D2(INF)); /* finite / inf: 0 */
  mn = SEL(D2(0.0), mn, mxinf);
  mx = SEL(D2(1.0), mx, mxinf);
  { /* keep c mx and mx + c mn finite and exact: mx in [2^-900, 2^990] */
    const v128_t sc = SEL(D2(0x1p-40), SEL(D2(0x1p200), D2(1.0), wasm_f64x2_lt(mx, D2(0x1p-900))),
                          wasm_f64x2_gt(mx, D2(0x1p990)));
    mn = MUL(mn, sc);
    mx = MUL(mx, sc);
  }
  const v128_t r1 = wasm_f64x2_gt(mn, MUL(mx, D2(0x1.975f5e0553158p-3)));  /* tan(pi/16) */
  const v128_t r2 = wasm_f64x2_gt(mn, MUL(mx, D2(0x1.561b82ab7f990p-1)));  /* tan(3pi/16) */
  /* a = (mn - c mx) / (mx + c mn), c = 0, tan(pi/8) or 1 */
  const v128_t c = SEL(D2(1.0), SEL(D2(C1), D2(0.0), r1), r2);
  v128_t num;
  { /* c mx exactly (c is 0, 1 or C1, split by hand) */
    v128_t mxh, mxl, ch, cl;
    split(mx, &mxh, &mxl);
    split(c, &ch, &cl);
    const v128_t p = MUL(c, mx);
    const v128_t e = two_prod_s(ch, cl, mxh, mxl, p);
    num = SUB(SUB(mn, p), e);
  }
  const v128_t a = DIV(num, ADD(mx, MUL(c, mn)));
  const v128_t z = MUL(a, a);
  /* atan a = a - a^3/3 + ..., |a| <= tan(pi/16): z <= 0.0396, 11 terms */
  v128_t q = D2(1.0 / 21);
  q = H(q, z, -1.0 / 19);
  q = H(q, z, 1.0 / 17);
  q = H(q, z, -1.0 / 15);
  q = H(q, z, 1.0 / 13);
  q = H(q, z, -1.0 / 11);
  q = H(q, z, 1.0 / 9);
  q = H(q, z, -1.0 / 7);
  q = H(q, z, 1.0 / 5);
  q = H(q, z, -1.0 / 3);
  const v128_t at = ADD(a, MUL(MUL(a, z), q));
  const v128_t oh = SEL(D2(0x1.921fb54442d18p-1), SEL(D2(0x1.921fb54442d18p-2), D2(0.0), r1), r2);
  const v128_t ol = SEL(D2(0x1.1a62633145c07p-55), SEL(D2(0x1.c398861b78b55p-59), D2(0.0), r1), r2);
  v128_t t = ADD(oh, ADD(at, ol));
  t = SEL(ADD(SUB(D2(0x1.921fb54442d18p+0), t), D2(0x1.1a62633145c07p-54)), t, swap);
  const v128_t xneg = wasm_i64x2_lt(x, wasm_i64x2_splat(0));
  t = SEL(ADD(SUB(D2(0x1.921fb54442d18p+1), t), D2(0x1.1a62633145c07p-53)), t, xneg);
  t = wasm_v128_or(t, wasm_v128_and(y, wasm_i64x2_splat((int64_t)0x8000000000000000ULL)));
  const v128_t nan = wasm_v128_or(wasm_f64x2_ne(x, x), wasm_f64x2_ne(y, y));
  return SEL(D2(__builtin_nan("")), t, nan);
}

/* float32 atan2 in f32x4 lanes, carried in double-float where it matters (see the header):
 * with t = min/max of |y|, |x| (max scaled to [1, 2) by its exponent), a = (mn - c mx) /
 * (mx + c mn) for c = 0 (t <= 1/4), 1/2 (t <= 0.7208) or 1: the numerator exact (Sterbenz),
 * the denominator as a two-sum, the quotient with its remainder term (Veltkamp products);
 * |a| <= 1/4, atan a = a + a z P(z) (Taylor to a^13); then B + s (atan c + atan a) with B 0,
 * pi/2 or pi, all in two-sums, rounded once at the end. */
#define F4(c) wasm_f32x4_splat(c)
#define FADD wasm_f32x4_add
#define FSUB wasm_f32x4_sub
#define FMUL wasm_f32x4_mul
static inline v128_t fsplit_hi(v128_t x) { /* 12 high bits of x (|x| < 2^100) */
  const v128_t t = FMUL(x, F4(4097.0f));
  return FSUB(t, FSUB(t, x));
}
static inline v128_t ftwo_sum(v128_t a, v128_t b, v128_t* e) {
  const v128_t s = FADD(a, b), bb = FSUB(s, a);
  *e = FADD(FSUB(a, FSUB(s, bb)), FSUB(b, bb));
  return s;
}
/* atan2 of |y|, |x| as min mn / max mx (swap: |y| > |x|), mx in [1, 2) or both within
 * [2^-40, 2^40) (the double-float products stay normal), before the tiny path and y's sign */
static inline v128_t atan2_f32_core(v128_t mn, v128_t mx, v128_t swap, v128_t x) {
  const v128_t r1 = wasm_f32x4_gt(mn, FMUL(mx, F4(0.25f)));
  const v128_t r2 = wasm_f32x4_gt(mn, FMUL(mx, F4(0x1.7109p-1f))); /* 0.72083 */
  const v128_t c = SEL(F4(1.0f), SEL(F4(0.5f), F4(0.0f), r1), r2);
  const v128_t num = FSUB(mn, FMUL(c, mx));       /* exact */
  const v128_t cm = FMUL(c, mn);                  /* exact, <= mx */
  const v128_t den = FADD(mx, cm), dl = FSUB(cm, FSUB(den, mx));
  const v128_t ah = wasm_f32x4_div(num, den);
  /* num - ah den exactly: ah den = p + e */
  const v128_t p = FMUL(ah, den);
  const v128_t ahh = fsplit_hi(ah), ahl = FSUB(ah, ahh), dh = fsplit_hi(den), dlo = FSUB(den, dh);
  const v128_t e = FADD(FADD(FADD(FSUB(FMUL(ahh, dh), p), FMUL(ahh, dlo)), FMUL(ahl, dh)),
                        FMUL(ahl, dlo));
  const v128_t al = wasm_f32x4_div(FSUB(FSUB(FSUB(num, p), e), FMUL(ah, dl)), den);
  const v128_t z = FMUL(ah, ah);
  v128_t q = F4(1.0f / 13);
  q = FADD(FMUL(q, z), F4(-1.0f / 11));
  q = FADD(FMUL(q, z), F4(1.0f / 9));
  q = FADD(FMUL(q, z), F4(-1.0f / 7));
  q = FADD(FMUL(q, z), F4(1.0f / 5));
  q = FADD(FMUL(q, z), F4(-1.0f / 3));
  const v128_t small = FADD(al, FMUL(FMUL(ah, z), q)); /* atan a = ah + small */
  /* angle = B + s (off + atan a): B, s = 0, + / pi/2, - (swap) / pi, - (x < 0) / pi/2, + */
  const v128_t xneg = wasm_i32x4_lt(x, wasm_i32x4_splat(0));
  const v128_t neg = wasm_v128_xor(swap, xneg);
  const v128_t bh = SEL(F4(0x1.921fb6p+0f), SEL(F4(0x1.921fb6p+1f), F4(0.0f), xneg), swap);
  const v128_t bl = SEL(F4(-0x1.777a5cp-25f), SEL(F4(-0x1.777a5cp-24f), F4(0.0f), xneg), swap);
  const v128_t oh = SEL(F4(0x1.921fb6p-1f), SEL(F4(0x1.dac670p-2f), F4(0.0f), r1), r2);
  const v128_t ol = SEL(F4(-0x1.777a5cp-26f), SEL(F4(0x1.586ed4p-28f), F4(0.0f), r1), r2);
  const v128_t sgn = wasm_v128_and(neg, wasm_i32x4_splat((int32_t)0x80000000u));
  v128_t e1, e2;
  const v128_t k = ftwo_sum(bh, wasm_v128_xor(oh, sgn), &e1);
  const v128_t s = ftwo_sum(k, wasm_v128_xor(ah, sgn), &e2);
  const v128_t rest = FADD(FADD(e1, e2), FADD(bl, wasm_v128_xor(FADD(ol, small), sgn)));
  return FADD(s, rest);
}
static inline v128_t with_sign_of(v128_t t, v128_t y) {
  return wasm_v128_or(t, wasm_v128_and(y, wasm_i32x4_splat((int32_t)0x80000000u)));
}
/* every lane: zeros, infinities, nan, the extreme exponents (rare vectors: out of line) */
__attribute__((noinline)) static v128_t v_atan2_f32_full(v128_t y, v128_t x) {
  const v128_t ay = wasm_f32x4_abs(y), ax = wasm_f32x4_abs(x);
  const v128_t swap = wasm_f32x4_gt(ay, ax);
  v128_t mn = SEL(ax, ay, swap), mx = SEL(ay, ax, swap);
  /* 0/0 -> 0, inf/inf -> 1, finite/inf -> 0 */
  const v128_t both_inf = wasm_f32x4_eq(mn, F4(__builtin_inff()));
  mn = SEL(F4(1.0f), mn, both_inf);
  mx = SEL(F4(1.0f), mx, both_inf);
  mx = SEL(F4(1.0f), mx, wasm_f32x4_eq(mx, F4(0.0f)));
  const v128_t mxinf = wasm_f32x4_eq(mx, F4(__builtin_inff()));
  mn = SEL(F4(0.0f), mn, mxinf);
  mx = SEL(F4(1.0f), mx, mxinf);
  /* mx >= 2^126 first by 1/4 (2^-e(mx) below would be subnormal; a mn that loses bits here
   * makes t < 2^-100: the quotient path below) */
  const v128_t mn0 = mn, mx0 = mx, big = wasm_f32x4_ge(mx, F4(0x1p126f));
  mn = SEL(FMUL(mn, F4(0.25f)), mn, big);
  mx = SEL(FMUL(mx, F4(0.25f)), mx, big);
  /* scale by 2^-e(mx): mx in [1, 2) (a subnormal mx in [2^-22, 2)) */
  const v128_t sc = wasm_i32x4_sub(wasm_i32x4_splat(0x7f000000),
                                   wasm_v128_and(mx, wasm_i32x4_splat(0x7f800000)));
  mn = FMUL(mn, sc);
  mx = FMUL(mx, sc);
  v128_t t = atan2_f32_core(mn, mx, swap, x);
  /* atan2 = t < 2^-100 (the scaled mn may have lost bits): the quotient, rounded once */
  const v128_t xneg = wasm_i32x4_lt(x, wasm_i32x4_splat(0));
  const v128_t tiny = wasm_v128_andnot(wasm_f32x4_lt(mn, F4(0x1p-100f)), wasm_v128_or(swap, xneg));
  t = SEL(wasm_f32x4_div(mn0, mx0), t, tiny);
  const v128_t nan = wasm_v128_or(wasm_f32x4_ne(x, x), wasm_f32x4_ne(y, y));
  return SEL(F4(__builtin_nanf("")), with_sign_of(t, y), nan);
}
/* |y| and |x| both in [2^-40, 2^40) (the usual vector): no special case, no scaling */
static inline v128_t v_atan2_f32(v128_t y, v128_t x) {
  const v128_t lo = wasm_i32x4_splat(0x2b800000), span = wasm_i32x4_splat(0x28000000);
  const v128_t ay = wasm_f32x4_abs(y), ax = wasm_f32x4_abs(x);
  const v128_t ok = wasm_v128_and(wasm_u32x4_lt(wasm_i32x4_sub(ay, lo), span),
                                  wasm_u32x4_lt(wasm_i32x4_sub(ax, lo), span));
  if (__builtin_expect(!wasm_i32x4_all_true(ok), 0)) return v_atan2_f32_full(y, x);
  const v128_t swap = wasm_f32x4_gt(ay, ax);
  return with_sign_of(atan2_f32_core(SEL(ax, ay, swap), SEL(ay, ax, swap), swap, x), y);
}

/* float32: each half of the f32x4 promoted, computed in double, demoted once */
#define F32_VIA_F64(name, HALF)                                                             \
  static inline v128_t name(v128_t a, v128_t b) {                                           \
    const v128_t lo = HALF(wasm_f64x2_promote_low_f32x4(a), wasm_f64x2_promote_low_f32x4(b)); \
    const v128_t hi = HALF(wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(a, a, 2, 3, 2, 3)), \
                           wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(b, b, 2, 3, 2, 3))); \
    return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo),                             \
                              wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5);                \
  }
F32_VIA_F64(v_pow_f32_core, v_pow_f32half)
static inline v128_t v_pow_f32(v128_t x, v128_t y) { return pow_fix32(x, y, v_pow_f32_core(x, y)); }

/* ---- integer pow ---------------------------------------------------------------------- */
static inline v128_t mul_u8(v128_t a, v128_t b) {
  return wasm_i8x16_shuffle(wasm_u16x8_extmul_low_u8x16(a, b), wasm_u16x8_extmul_high_u8x16(a, b),
                            0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
}
#define mul_i64 wasm_i64x2_mul
#define mul_i32 wasm_i32x4_mul
#define mul_i16 wasm_i16x8_mul
#define IPOW(dt, W, L, MUL, SIGNED)                                                         \
  static inline v128_t v_pow_##dt(v128_t base, v128_t e) {                                  \
    const v128_t one = wasm_i##W##x##L##_splat(1);                                          \
    const v128_t neg = SIGNED ? wasm_i##W##x##L##_lt(e, wasm_i##W##x##L##_splat(0))         \
                              : wasm_i##W##x##L##_splat(0);                                 \
    v128_t r = one, p = base, ee = wasm_v128_andnot(e, neg);                                \
    while (wasm_v128_any_true(ee)) {                                                        \
      r = SEL(MUL(r, p), r, wasm_i##W##x##L##_eq(wasm_v128_and(ee, one), one));             \
      p = MUL(p, p);                                                                        \
      ee = wasm_u##W##x##L##_shr(ee, 1);                                                    \
    }                                                                                       \
    if (SIGNED && wasm_v128_any_true(neg)) { /* 1 -> 1, -1 -> +-1, else 0 */                \
      const v128_t m1 = wasm_i##W##x##L##_eq(base, wasm_i##W##x##L##_splat(-1));            \
      const v128_t odd = wasm_i##W##x##L##_eq(wasm_v128_and(e, one), one);                  \
      const v128_t rn = wasm_v128_or(wasm_v128_and(wasm_i##W##x##L##_eq(base, one), one),   \
                                     wasm_v128_and(m1, SEL(wasm_i##W##x##L##_splat(-1), one, odd))); \
      r = SEL(rn, r, neg);                                                                  \
    }                                                                                       \
    return r;                                                                               \
  }
IPOW(i64, 64, 2, mul_i64, 1)
IPOW(i32, 32, 4, mul_i32, 1)
IPOW(i16, 16, 8, mul_i16, 1)
IPOW(i8, 8, 16, mul_u8, 1)
IPOW(u8, 8, 16, mul_u8, 0)

#define KERNEL(dt, op, T, VFN)                                                              \
  WT_VSPAN(span_##dt##_##op, VFN)                                                           \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t m, size_t n, const T* a, int32_t a_rs,            \
                                   int32_t a_cs, const T* b, int32_t b_rs, int32_t b_cs,    \
                                   T* y) {                                                  \
    wt_vdrive_span(m, n, (const char*)a, a_rs, a_cs, (const char*)b, b_rs, b_cs, (char*)y,  \
                   sizeof(T), 0, span_##dt##_##op);                                                            \
  }

/* float16 / bfloat16: the float32 op in registers, rounded once (torch's float32 opmath); the
 * op called, not inlined (module size; one call per 4 lanes beside a long op) */
__attribute__((noinline)) static v128_t v_pow_f32_call(v128_t x, v128_t y) { return v_pow_f32(x, y); }
__attribute__((noinline)) static v128_t v_atan2_f32_call(v128_t y, v128_t x) {
  return v_atan2_f32(y, x);
}
WT_HALF_VOP(v_pow_f16, f16, v_pow_f32_call)
WT_HALF_VOP(v_pow_bf16, bf16, v_pow_f32_call)
WT_HALF_VOP(v_atan2_f16, f16, v_atan2_f32_call)
WT_HALF_VOP(v_atan2_bf16, bf16, v_atan2_f32_call)

KERNEL(f64, pow, double, v_pow_f64)
KERNEL(f32, pow, float, v_pow_f32)
KERNEL(f64, atan2, double, v_atan2_f64)
KERNEL(f32, atan2, float, v_atan2_f32)
KERNEL(i64, pow, int64_t, v_pow_i64)
KERNEL(i32, pow, int32_t, v_pow_i32)
KERNEL(i16, pow, int16_t, v_pow_i16)
KERNEL(i8, pow, int8_t, v_pow_i8)
KERNEL(u8, pow, uint8_t, v_pow_u8)
KERNEL(f16, pow, uint16_t, v_pow_f16)
KERNEL(bf16, pow, uint16_t, v_pow_bf16)
KERNEL(f16, atan2, uint16_t, v_atan2_f16)
KERNEL(bf16, atan2, uint16_t, v_atan2_bf16)
