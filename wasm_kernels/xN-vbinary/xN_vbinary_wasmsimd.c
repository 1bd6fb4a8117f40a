/* pow and atan2 (float64, float32, float16, bfloat16) and integer pow, in the binary 2-D form:
 *   void wt_<dt>_<op>_<isa>(size_t m, size_t n, const T* a, int32_t a_rs, int32_t a_cs,
 *                           const T* b, int32_t b_rs, int32_t b_cs, T* y)
 * Max errors vs long-double / mpmath references (tests/unit/kernels/test_kernels_vbinary.py):
 *   f64_pow 1 ulp: exp(y log|x|) with log|x| in double-double (a 2s + 2s^3/3 split with exact
 *     products) and exp of the double-double product; f32_pow 0.505 ulp (0.5004 measured):
 *     2^(y log2 x) in double, log2 from the float32 bits with one division, exp2 by a
 *     64-entry table, demoted once; the special cases on the f32 lanes. C99/torch special
 *     cases: pow(x, 0) = 1 and pow(1, y) = 1 even for nan, pow(-1, +-inf) = 1, negative base
 *     with a non-integer exponent nan, signed zeros and infinities by the odd-integer rule.
 *   f64_atan2 2 ulp: atan(min/max) reduced with one
 *     division to |a| <= tan(pi/16) (offsets 0, atan(tan(pi/8)), pi/4), a Taylor series, then
 *     the octant; C99's signed zeros and infinities. f32_atan2 0.53 ulp (0.520 measured) in
 *     f32x4 lanes, carried in double-float where it matters (v_atan2_f32); vectors whose
 *     magnitudes are all in [2^-40, 2^40) skip the special cases and the scaling.
 *   i64/i32/i16/i8/u8 pow: square-and-multiply in the lanes, wrapping like torch's; a negative
 *     exponent gives torch's 1 (base 1), +-1 (base -1), else 0.
 * f16/bf16 pow and atan2: the float32 run on blocks of widened lanes, rounded once. int8/uint8 pow:
 *   the exponent reduced first (POW8).
 * The op is inlined in a loop over each run of vectors (WT_VSPAN), not called per vector.
 * No libm: Taylor series (no fitted coefficients), Cody-Waite reductions.
 */
#include "wt_f64x2.h"
#include "wt_vdrive.h"
#include "../f64-vunary/f64_vmath.h" /* log_split; D2 made once per run */

#define DIV wasm_f64x2_div
#define INF __builtin_inf()
/* a vector constant made once per run, not once per use: as f64_vmath.h's D2 (Chromium's V8
 * re-materialises each v128.const inside the loop) */
#define OPQ(v) ({ v128_t opq_ = (v); __asm__("" : "+r"(opq_)); opq_; })

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

/* log(x) = hi + lo for finite x > 0, relative error < 2^-66: log m = 2s + 2s^3/3 + s^5 Q(s^2),
 * s = f / (2 + f), with s, s^3 and the sum carried in double-double. */
static inline v128_t log_dd(v128_t x, v128_t* lo) {
  v128_t ki;
  const v128_t f = log_split(x, &ki);
  const v128_t dk = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(ki, ki, 0, 2, 0, 2));
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

/* pow's special cases around the core value v = exp(y log|x|) of |x|, for f64x2 (W 64) or
 * f32x4 (W 32) lanes */
#define POW_FIX(name, F, I, W, SIGN)                                                        \
  static inline v128_t name(v128_t x, v128_t y, v128_t v) {                                 \
    const v128_t one_ = OPQ(F##_splat(1)), inf_ = OPQ(F##_splat(INF));                      \
    const v128_t yint = F##_eq(F##_trunc(y), y);                                            \
    const v128_t half = F##_mul(y, OPQ(F##_splat(0.5)));                                    \
    const v128_t yodd = wasm_v128_andnot(yint, F##_eq(F##_trunc(half), half));              \
    const v128_t sgn = OPQ(I##_splat(SIGN));                                                \
    const v128_t xneg = I##_lt(x, OPQ(I##_splat(0))); /* sign bit: -0 and nan too */        \
    v = wasm_v128_or(v, wasm_v128_and(wasm_v128_and(xneg, yodd), sgn));                     \
    /* x < 0 (finite) with y not an integer, and x nan: nan */                              \
    const v128_t bad = wasm_v128_or(                                                        \
        wasm_v128_andnot(wasm_v128_and(F##_lt(x, OPQ(F##_splat(0))),                        \
                                       F##_gt(x, wasm_v128_or(inf_, sgn))),                 \
                         yint),                                                             \
        F##_ne(x, x));                                                                      \
    v = SEL(OPQ(F##_splat(__builtin_nan(""))), v, bad);                                     \
    /* y == 0, x == 1, x == -1 with y = +-inf: 1 */                                         \
    const v128_t one = wasm_v128_or(                                                        \
        wasm_v128_or(F##_eq(y, OPQ(F##_splat(0))), F##_eq(x, one_)),                        \
        wasm_v128_and(F##_eq(x, wasm_v128_or(one_, sgn)), F##_eq(F##_abs(y), inf_)));       \
    return SEL(one_, v, one);                                                               \
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

/* POWF_EXP2[j]: the bits of 2^(j/64) (mpmath, rounded once) minus j << 46: adding n << 46 for
 * n = 64 k + j gives 2^(n/64) (k lands in the exponent field) */
static const uint64_t POWF_EXP2[64] = {
  0x3ff0000000000000ULL, 0x3fefec9a3e778061ULL, 0x3fefd9b0d3158574ULL, 0x3fefc74518759bc8ULL,
  0x3fefb5586cf9890fULL, 0x3fefa3ec32d3d1a2ULL, 0x3fef9301d0125b51ULL, 0x3fef829aaea92de0ULL,
  0x3fef72b83c7d517bULL, 0x3fef635beb6fcb75ULL, 0x3fef54873168b9aaULL, 0x3fef463b88628cd6ULL,
  0x3fef387a6e756238ULL, 0x3fef2b4565e27cddULL, 0x3fef1e9df51fdee1ULL, 0x3fef1285a6e4030bULL,
  0x3fef06fe0a31b715ULL, 0x3feefc08b26416ffULL, 0x3feef1a7373aa9cbULL, 0x3feee7db34e59ff7ULL,
  0x3feedea64c123422ULL, 0x3feed60a21f72e2aULL, 0x3feece086061892dULL, 0x3feec6a2b5c13cd0ULL,
  0x3feebfdad5362a27ULL, 0x3feeb9b2769d2ca7ULL, 0x3feeb42b569d4f82ULL, 0x3feeaf4736b527daULL,
  0x3feeab07dd485429ULL, 0x3feea76f15ad2148ULL, 0x3feea47eb03a5585ULL, 0x3feea23882552225ULL,
  0x3feea09e667f3bcdULL, 0x3fee9fb23c651a2fULL, 0x3fee9f75e8ec5f74ULL, 0x3fee9feb564267c9ULL,
  0x3feea11473eb0187ULL, 0x3feea2f336cf4e62ULL, 0x3feea589994cce13ULL, 0x3feea8d99b4492edULL,
  0x3feeace5422aa0dbULL, 0x3feeb1ae99157736ULL, 0x3feeb737b0cdc5e5ULL, 0x3feebd829fde4e50ULL,
  0x3feec49182a3f090ULL, 0x3feecc667b5de565ULL, 0x3feed503b23e255dULL, 0x3feede6b5579fdbfULL,
  0x3feee89f995ad3adULL, 0x3feef3a2b84f15fbULL, 0x3feeff76f2fb5e47ULL, 0x3fef0c1e904bc1d2ULL,
  0x3fef199bdd85529cULL, 0x3fef27f12e57d14bULL, 0x3fef3720dcef9069ULL, 0x3fef472d4a07897cULL,
  0x3fef5818dcfba487ULL, 0x3fef69e603db3285ULL, 0x3fef7c97337b9b5fULL, 0x3fef902ee78b3ff6ULL,
  0x3fefa4afa2a490daULL, 0x3fefba1bee615a27ULL, 0x3fefd0765b6e4540ULL, 0x3fefe7c1819e90d8ULL,
};

/* float32 pow: 2^(y log2 |x|) in double. log2: |x| = 2^k m from the float32 bits (m in
 * [sqrt(1/2), sqrt 2), subnormals pre-scaled by 2^23), f = m - 1 exact, s = f / (2 + f),
 * log2 m = s (2 + 2/3 s^2 + ... + 2/13 s^12) / ln2 (truncation < 2^-39 |log2 m|). exp2: n =
 * round(64 t), 2^t = 2^(n/64) (POWF_EXP2) * 2^(t - n/64) (Taylor to degree 3: < 2^-34);
 * t clamped to [-160, 130], where the float32 result is 0 / inf anyway. The double result is
 * demoted once: 0.5 + 2^-9 ulp. Special cases: pow_fix32 on the f32x4. */
/* 2^(y log2 x) for two lanes: f = m - 1, y and k as f64; x0 / xinf: the lanes where |x| = 0 /
 * inf */
static inline v128_t powf_half(v128_t f, v128_t y, v128_t k, v128_t x0, v128_t xinf) {
  const v128_t s = DIV(f, ADD(f, D2(2.0)));
  const v128_t z = MUL(s, s);
  v128_t R = D2(2.0 / 13 / 0x1.62e42fefa39efp-1);
  R = H(R, z, 2.0 / 11 / 0x1.62e42fefa39efp-1);
  R = H(R, z, 2.0 / 9 / 0x1.62e42fefa39efp-1);
  R = H(R, z, 2.0 / 7 / 0x1.62e42fefa39efp-1);
  R = H(R, z, 2.0 / 5 / 0x1.62e42fefa39efp-1);
  R = H(R, z, 2.0 / 3 / 0x1.62e42fefa39efp-1);
  R = H(R, z, 2.0 / 0x1.62e42fefa39efp-1);
  v128_t l = ADD(k, MUL(s, R));
  l = SEL(D2(-INF), SEL(D2(INF), l, xinf), x0);
  const v128_t t = wasm_f64x2_pmin(wasm_f64x2_pmax(MUL(y, l), D2(-160.0)), D2(130.0));
  const v128_t kd = ADD(t, D2(0x1.8p46)); /* round(64 t) in the low bits */
  const v128_t u = SUB(t, SUB(kd, D2(0x1.8p46)));
  v128_t e = wasm_v128_load64_zero(&POWF_EXP2[wasm_i32x4_extract_lane(kd, 0) & 63]);
  e = wasm_v128_load64_lane(&POWF_EXP2[wasm_i32x4_extract_lane(kd, 2) & 63], e, 1);
  e = wasm_i64x2_add(e, wasm_i64x2_shl(kd, 46));
  /* 2^u = 1 + u ln2 + (u ln2)^2/2 + (u ln2)^3/6, |u| <= 1/128 */
  const v128_t q = ADD(MUL(u, ADD(D2(0x1.62e42fefa39efp-1), MUL(u, D2(0x1.ebfbdff82c58fp-3)))),
                       MUL(MUL(u, MUL(u, u)), D2(0x1.c6b08d704a0c0p-5)));
  return ADD(e, MUL(e, q));
}
static inline v128_t v_pow_f32(v128_t x, v128_t y) {
  const v128_t ax = wasm_f32x4_abs(x);
  const v128_t sub = wasm_i32x4_lt(ax, OPQ(wasm_i32x4_splat(0x00800000))); /* 0 too: harmless */
  const v128_t bits = SEL(wasm_f32x4_mul(ax, OPQ(wasm_f32x4_splat(0x1p23f))), ax, sub);
  const v128_t ix = wasm_i32x4_sub(bits, OPQ(wasm_i32x4_splat(0x3f3504f3))); /* sqrt(1/2) */
  const v128_t k = wasm_i32x4_sub(wasm_i32x4_shr(ix, 23),
                                  wasm_v128_and(sub, OPQ(wasm_i32x4_splat(23))));
  const v128_t m = wasm_i32x4_sub(bits,
                                  wasm_v128_and(ix, OPQ(wasm_i32x4_splat((int32_t)0xff800000u))));
  const v128_t f = wasm_f32x4_sub(m, OPQ(wasm_f32x4_splat(1.0f))); /* exact (Sterbenz) */
  const v128_t x0 = wasm_f32x4_eq(ax, OPQ(wasm_f32x4_splat(0.0f)));
  const v128_t xinf = wasm_f32x4_eq(ax, OPQ(wasm_f32x4_splat(__builtin_inff())));
  const v128_t fh = wasm_i32x4_shuffle(f, f, 2, 3, 2, 3), yh = wasm_i32x4_shuffle(y, y, 2, 3, 2, 3);
  const v128_t kh = wasm_i32x4_shuffle(k, k, 2, 3, 2, 3);
  const v128_t lo = powf_half(wasm_f64x2_promote_low_f32x4(f), wasm_f64x2_promote_low_f32x4(y),
                              wasm_f64x2_convert_low_i32x4(k),
                              wasm_i64x2_extend_low_i32x4(x0), wasm_i64x2_extend_low_i32x4(xinf));
  const v128_t hi = powf_half(wasm_f64x2_promote_low_f32x4(fh), wasm_f64x2_promote_low_f32x4(yh),
                              wasm_f64x2_convert_low_i32x4(kh),
                              wasm_i64x2_extend_high_i32x4(x0), wasm_i64x2_extend_high_i32x4(xinf));
  const v128_t v = wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo),
                                      wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5);
  return pow_fix32(x, y, v);
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
    const v128_t one = OPQ(wasm_i##W##x##L##_splat(1));                                          \
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
/* int8 / uint8 exponents: odd bases have b^e = b^(e mod 64) mod 2^8 (the odd residues' group
 * has exponent 64), even bases b^e = 0 for e >= 8: e > 63 becomes e & 63 (6 squaring rounds
 * at most, not 7 / 8) and even bases with e > 7 give 0 */
#define POW8(dt, GT)                                                                        \
  static inline v128_t v_pow8_##dt(v128_t b, v128_t e) {                                    \
    const v128_t big = GT(e, wasm_i8x16_splat(63));                                         \
    const v128_t r = v_pow_##dt(b, SEL(wasm_v128_and(e, wasm_i8x16_splat(63)), e, big));    \
    const v128_t zero = wasm_v128_and(GT(e, wasm_i8x16_splat(7)),                           \
                                      wasm_i8x16_eq(wasm_v128_and(b, wasm_i8x16_splat(1)),  \
                                                    wasm_i8x16_splat(0)));                  \
    return wasm_v128_andnot(r, zero);                                                       \
  }
POW8(i8, wasm_i8x16_gt)
POW8(u8, wasm_u8x16_gt)

#define EXPORT(dt, op, T, SPAN)                                                             \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t m, size_t n, const T* a, int32_t a_rs,            \
                                   int32_t a_cs, const T* b, int32_t b_rs, int32_t b_cs,    \
                                   T* y) {                                                  \
    wt_vdrive_span(m, n, (const char*)a, a_rs, a_cs, (const char*)b, b_rs, b_cs, (char*)y,  \
                   sizeof(T), 0, SPAN);                                                     \
  }
#define KERNEL(dt, op, T, VFN) WT_VSPAN(span_##dt##_##op, VFN) EXPORT(dt, op, T, span_##dt##_##op)

/* float16 / bfloat16: blocks of 64 halves widened exactly into float32, the float32 run (the
 * op inlined there once, its constants made once per block, not once per 4 lanes), rounded back
 * once (torch's float32 opmath). A block is read whole before it is written (y may be a). */
#define HALF_SPAN(name, dt, F32SPAN)                                                        \
  static void name(const char* a, const char* b, char* y, size_t bytes) {                   \
    _Alignas(16) char fa[256], fb[256], fy[256];                                            \
    for (size_t t = 0; t < bytes; t += 128) {                                               \
      const size_t nb = bytes - t < 128 ? bytes - t : 128;                                  \
      _Pragma("clang loop unroll(disable)")                                                 \
      for (size_t u = 0; u < nb; u += 16) {                                                 \
        v128_t p0, p1;                                                                      \
        v_f32x8_from_##dt(wasm_v128_load(a + t + u), &p0, &p1);                             \
        wasm_v128_store(fa + 2 * u, p0);                                                    \
        wasm_v128_store(fa + 2 * u + 16, p1);                                               \
        v_f32x8_from_##dt(wasm_v128_load(b + t + u), &p0, &p1);                             \
        wasm_v128_store(fb + 2 * u, p0);                                                    \
        wasm_v128_store(fb + 2 * u + 16, p1);                                               \
      }                                                                                     \
      F32SPAN(fa, fb, fy, 2 * nb);                                                          \
      _Pragma("clang loop unroll(disable)")                                                 \
      for (size_t u = 0; u < nb; u += 16)                                                   \
        wasm_v128_store(y + t + u, v_##dt##x8_from_f32(wasm_v128_load(fy + 2 * u),          \
                                                       wasm_v128_load(fy + 2 * u + 16)));   \
    }                                                                                       \
  }
/* the float32 runs, out of line: shared with the half kernels (module size) */
__attribute__((noinline)) WT_VSPAN(span_f32_pow, v_pow_f32)
__attribute__((noinline)) WT_VSPAN(span_f32_atan2, v_atan2_f32)
HALF_SPAN(span_f16_pow, f16, span_f32_pow)
HALF_SPAN(span_bf16_pow, bf16, span_f32_pow)
HALF_SPAN(span_f16_atan2, f16, span_f32_atan2)
HALF_SPAN(span_bf16_atan2, bf16, span_f32_atan2)

KERNEL(f64, pow, double, v_pow_f64)
EXPORT(f32, pow, float, span_f32_pow)
KERNEL(f64, atan2, double, v_atan2_f64)
EXPORT(f32, atan2, float, span_f32_atan2)
KERNEL(i64, pow, int64_t, v_pow_i64)
KERNEL(i32, pow, int32_t, v_pow_i32)
KERNEL(i16, pow, int16_t, v_pow_i16)
KERNEL(i8, pow, int8_t, v_pow8_i8)
KERNEL(u8, pow, uint8_t, v_pow8_u8)
EXPORT(f16, pow, uint16_t, span_f16_pow)
EXPORT(bf16, pow, uint16_t, span_bf16_pow)
EXPORT(f16, atan2, uint16_t, span_f16_atan2)
EXPORT(bf16, atan2, uint16_t, span_bf16_atan2)
