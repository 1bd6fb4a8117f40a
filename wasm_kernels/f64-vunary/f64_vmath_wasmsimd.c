/* float64 transcendentals, f64x2 at a time, the xN_unary form:
 *   void wt_f64_<op>_<isa>(size_t n, const double* x, double* y)
 * Max errors vs long-double references (tests/unit/kernels/test_kernels_f64_vmath.py, dense
 * grids and random bit patterns): exp 1 ulp, expm1 2, log 1, log1p 2, tanh 3, sigmoid 3,
 * silu 4 (below x = -708, where sigmoid is subnormal: (|x| + 16) 2^-1074 absolute; torch gives
 * -0 there), rsqrt 1.5 (torch's 1 / sqrt(x): bit-identical), gelu_tanh 4 (torch's own formula
 * 0.5 x (1 + tanh(u)), which cancels for x < 0: there |x| 2^-52 absolute), sin/cos 1, erf 1.5,
 * gelu 2 (+ |x| 2^-52 for x < 0, torch's formula; see each below). Table-driven exp,
 * minimax / Taylor / Chebyshev polynomials with Cody-Waite reductions; no libm. Edge values as torch:
 * exp(-inf) = 0, log(0) = -inf, log(<0) = nan, log1p(-1) = -inf, expm1(-inf) = -1,
 * tanh(+-inf) = +-1, sigmoid(+-inf) = 1/0, silu(-inf) = nan (subnormal results are rounded,
 * where torch flushes some to 0).
 */
#include "wt_f64x2.h"

/* Polynomials in Estrin's form, not Horner's: a loop iteration is one long dependency chain
 * (Horner: a mul and an add per coefficient) and engines overlap only a few iterations, so the
 * chain length sets the speed; Estrin's tree is ~3x shorter. */
/* sum a[i] t^i, i < n (n a compile-time constant once inlined; a is overwritten) */
static inline __attribute__((always_inline)) v128_t estrin(v128_t* a, int n, v128_t t) {
  while (n > 1) {
    for (int i = 0; i < n / 2; i++) a[i] = ADD(a[2 * i], MUL(a[2 * i + 1], t));
    if (n & 1) a[n / 2] = a[n - 1];
    n = (n + 1) / 2;
    t = MUL(t, t);
  }
  return a[0];
}
/* the same from a table, highest degree first (rows picked per lane: r0 lane 0, r1 lane 1) */
static inline __attribute__((always_inline)) v128_t estrin_rows(const double* r0,
                                                                const double* r1, int n,
                                                                v128_t t) {
  v128_t a[16];
  for (int i = 0; i < n; i++) a[i] = wasm_f64x2_make(r0[n - 1 - i], r1[n - 1 - i]);
  /* the two lowest terms by Horner's rule: they dominate, and summed last they round least */
  return ADD(a[0], MUL(t, ADD(a[1], MUL(t, estrin(a + 2, n - 2, t)))));
}

/* exp family: x = (128 n + j) ln2/128 + r, |r| <= ln2/256; exp(x) = 2^n 2^(j/128) e^r with
 * 2^(j/128) = s (1 + tail) from EXP_T (wasm_kernels/tools/fit_poly.py exp_table_f64) and
 * e^r - 1 Taylor to r^5 (truncation 2^-60): few operations and constants, where the
 * table-free reduction needed terms to r^13. */
static const struct { double tail; uint64_t bits; } EXP_T[128] = {
    {0x0.0p+0, 0x3ff0000000000000ULL}, {0x1.b3b4f1a88bf6ep-54, 0x3feff63da9fb3335ULL},
    {-0x1.160139cd8dc5dp-56, 0x3fefec9a3e778061ULL}, {-0x1.05e7a108766d1p-54, 0x3fefe315e86e7f85ULL},
    {0x1.cd2523567f613p-55, 0x3fefd9b0d3158574ULL}, {-0x1.bce8023f98efap-55, 0x3fefd06b29ddf6deULL},
    {0x1.0f74e61e6c861p-57, 0x3fefc74518759bc8ULL}, {0x1.0a3e45b33d399p-54, 0x3fefbe3ecac6f383ULL},
    {0x1.79aa65d837b6dp-54, 0x3fefb5586cf9890fULL}, {0x1.eb51a92fdeffcp-55, 0x3fefac922b7247f7ULL},
    {0x1.ebe3d702f9cd1p-60, 0x3fefa3ec32d3d1a2ULL}, {-0x1.a033489906e0bp-57, 0x3fef9b66affed31bULL},
    {-0x1.556522a2fbd0ep-54, 0x3fef9301d0125b51ULL}, {-0x1.080ef8c4eea55p-58, 0x3fef8abdc06c31ccULL},
    {-0x1.1c923b9d5f416p-54, 0x3fef829aaea92de0ULL}, {0x1.0d3e3e95c55afp-55, 0x3fef7a98c8a58e51ULL},
    {-0x1.01b15eaa59348p-55, 0x3fef72b83c7d517bULL}, {-0x1.f1ff055de323dp-55, 0x3fef6af9388c8deaULL},
    {0x1.b898c3f1353bfp-55, 0x3fef635beb6fcb75ULL}, {-0x1.6d99c7611eb26p-54, 0x3fef5be084045cd4ULL},
    {0x1.aecf73e3a2f60p-54, 0x3fef54873168b9aaULL}, {-0x1.fe782cb86389dp-55, 0x3fef4d5022fcd91dULL},
    {0x1.a6f4144a6c38dp-55, 0x3fef463b88628cd6ULL}, {0x1.07a05b0e4047dp-55, 0x3fef3f49917ddc96ULL},
    {0x1.68efde3a8a894p-54, 0x3fef387a6e756238ULL}, {0x1.75e18f274487dp-55, 0x3fef31ce4fb2a63fULL},
    {0x1.0472b981fe7f2p-55, 0x3fef2b4565e27cddULL}, {-0x1.6b87b3f71085ep-54, 0x3fef24dfe1f56381ULL},
    {0x1.2f7e16d09ab31p-55, 0x3fef1e9df51fdee1ULL}, {-0x1.d219b1a6fbffap-60, 0x3fef187fd0dad990ULL},
    {0x1.b3782720c0ab4p-55, 0x3fef1285a6e4030bULL}, {0x1.e149289cecb8fp-57, 0x3fef0cafa93e2f56ULL},
    {0x1.34d754db0abb6p-55, 0x3fef06fe0a31b715ULL}, {0x1.64201e2ac744cp-55, 0x3fef0170fc4cd831ULL},
    {0x1.fdd395dd3f84ap-55, 0x3feefc08b26416ffULL}, {-0x1.6a3803b8e5b04p-55, 0x3feef6c55f929ff1ULL},
    {-0x1.24aedcc4b5068p-54, 0x3feef1a7373aa9cbULL}, {-0x1.907f81b512d8ep-54, 0x3feeecae6d05d866ULL},
    {-0x1.1d1e83e9436d2p-56, 0x3feee7db34e59ff7ULL}, {-0x1.91919b3ce1b15p-54, 0x3feee32dc313a8e5ULL},
    {0x1.59f48a72a4c6dp-55, 0x3feedea64c123422ULL}, {-0x1.312607a28698ap-54, 0x3feeda4504ac801cULL},
    {-0x1.8a78f4817895bp-58, 0x3feed60a21f72e2aULL}, {-0x1.c2c9b67499a1bp-56, 0x3feed1f5d950a897ULL},
    {0x1.363ed60c2ac11p-59, 0x3feece086061892dULL}, {0x1.666093b0664efp-54, 0x3feeca41ed1d0057ULL},
    {0x1.ecce1daa10379p-57, 0x3feec6a2b5c13cd0ULL}, {0x1.3ff8e3f0f1230p-54, 0x3feec32af0d7d3deULL},
    {0x1.690cebb7aafb0p-56, 0x3feebfdad5362a27ULL}, {0x1.31dbdeb54e077p-54, 0x3feebcb299fddd0dULL},
    {-0x1.f94340071a38ep-55, 0x3feeb9b2769d2ca7ULL}, {-0x1.7deccdc93a349p-55, 0x3feeb6daa2cf6642ULL},
    {-0x1.8dec6bd0f385fp-56, 0x3feeb42b569d4f82ULL}, {-0x1.61246ec7b5cf6p-55, 0x3feeb1a4ca5d920fULL},
    {0x1.3350518fdd78ep-54, 0x3feeaf4736b527daULL}, {0x1.b98b72f8a9b05p-56, 0x3feead12d497c7fdULL},
    {0x1.063e1e21c5409p-54, 0x3feeab07dd485429ULL}, {0x1.4c7855019c6eap-60, 0x3feea9268a5946b7ULL},
    {0x1.432e62b64c035p-54, 0x3feea76f15ad2148ULL}, {-0x1.ce44a6199769fp-55, 0x3feea5e1b976dc09ULL},
    {-0x1.c33c53bef4da8p-55, 0x3feea47eb03a5585ULL}, {-0x1.45378892be9aep-55, 0x3feea34634ccc320ULL},
    {-0x1.3cedd78565858p-54, 0x3feea23882552225ULL}, {0x1.710aa807e1964p-58, 0x3feea155d44ca973ULL},
    {-0x1.3b3efbf5e2228p-54, 0x3feea09e667f3bcdULL}, {-0x1.a12ad8734b982p-57, 0x3feea012750bdabfULL},
    {-0x1.367efb86da9eep-57, 0x3fee9fb23c651a2fULL}, {-0x1.0dc3d54e08851p-55, 0x3fee9f7df9519484ULL},
    {-0x1.81f647e5a3ecfp-56, 0x3fee9f75e8ec5f74ULL}, {-0x1.6ee4ac08b7db0p-55, 0x3fee9f9a48a58174ULL},
    {-0x1.619321e55e68ap-55, 0x3fee9feb564267c9ULL}, {0x1.09ccb5e09d4d3p-54, 0x3feea0694fde5d3fULL},
    {-0x1.b32dcb94da51dp-56, 0x3feea11473eb0187ULL}, {0x1.4ecfd5467c06bp-54, 0x3feea1ed0130c132ULL},
    {0x1.5ebe1abd66c55p-57, 0x3feea2f336cf4e62ULL}, {-0x1.8a1c52fb3cf42p-55, 0x3feea427543e1a12ULL},
    {-0x1.369b6f13b3734p-54, 0x3feea589994cce13ULL}, {-0x1.05e843a19ff1ep-55, 0x3feea71a4623c7adULL},
    {-0x1.4d450d872576ep-54, 0x3feea8d99b4492edULL}, {0x1.0ad675b0e8a00p-54, 0x3feeaac7d98a6699ULL},
    {0x1.db72fc1f0eab4p-55, 0x3feeace5422aa0dbULL}, {-0x1.5b6609cc5e7ffp-57, 0x3feeaf3216b5448cULL},
    {0x1.bf68359f35f44p-56, 0x3feeb1ae99157736ULL}, {-0x1.3091fa71e3d83p-54, 0x3feeb45b0b91ffc6ULL},
    {-0x1.da9b88b6c1e29p-58, 0x3feeb737b0cdc5e5ULL}, {-0x1.c23f97c90b959p-57, 0x3feeba44cbc8520fULL},
    {-0x1.2434322f4f9aap-54, 0x3feebd829fde4e50ULL}, {-0x1.5ca6cd7668e4bp-55, 0x3feec0f170ca07baULL},
    {0x1.1affc2b91ce27p-56, 0x3feec49182a3f090ULL}, {0x1.dd235e10a73bbp-57, 0x3feec86319e32323ULL},
    {-0x1.7c50422622263p-55, 0x3feecc667b5de565ULL}, {0x1.b1c86e3e231d5p-55, 0x3feed09bec4a2d33ULL},
    {-0x1.1bbd1d3bcbb15p-54, 0x3feed503b23e255dULL}, {0x1.0cc319cee31d2p-54, 0x3feed99e1330b358ULL},
    {0x1.469846e735ab3p-55, 0x3feede6b5579fdbfULL}, {-0x1.2dfcd978e9db4p-55, 0x3feee36bbfd3f37aULL},
    {0x1.c1a7792cb3387p-55, 0x3feee89f995ad3adULL}, {-0x1.07b8f4ad1d9fap-54, 0x3feeee07298db666ULL},
    {-0x1.5c3d956dcaebap-58, 0x3feef3a2b84f15fbULL}, {-0x1.0a40e3da6f640p-54, 0x3feef9728de5593aULL},
    {-0x1.8d6f438ad9334p-57, 0x3feeff76f2fb5e47ULL}, {-0x1.1eee26b588a35p-54, 0x3fef05b030a1064aULL},
    {0x1.4ffd70a5fddcdp-56, 0x3fef0c1e904bc1d2ULL}, {-0x1.1bdfbfa9298acp-54, 0x3fef12c25bd71e09ULL},
    {0x1.36eae30af0cb3p-56, 0x3fef199bdd85529cULL}, {0x1.ee3325c9ffd94p-55, 0x3fef20ab5fffd07aULL},
    {0x1.4e08fd10959acp-55, 0x3fef27f12e57d14bULL}, {0x1.3cdaf384e1a67p-57, 0x3fef2f6d9406e7b5ULL},
    {0x1.76b2c6c921968p-57, 0x3fef3720dcef9069ULL}, {-0x1.08a1883ccb5d2p-55, 0x3fef3f0b555dc3faULL},
    {-0x1.fad5d3ffffa6fp-55, 0x3fef472d4a07897cULL}, {-0x1.00dae3875a949p-54, 0x3fef4f87080d89f2ULL},
    {0x1.4a385a63d07a7p-56, 0x3fef5818dcfba487ULL}, {-0x1.2919e2040220fp-55, 0x3fef60e316c98398ULL},
    {0x1.e5a50d5c192acp-55, 0x3fef69e603db3285ULL}, {0x1.43a59ac016b4bp-55, 0x3fef7321f301b460ULL},
    {-0x1.2d52107b43e1fp-55, 0x3fef7c97337b9b5fULL}, {-0x1.92ab93b470dc9p-55, 0x3fef864614f5a129ULL},
    {0x1.4b604603a88d3p-56, 0x3fef902ee78b3ff6ULL}, {0x1.3c5ec519d7271p-55, 0x3fef9a51fbc74c83ULL},
    {-0x1.ff7128fd391f0p-55, 0x3fefa4afa2a490daULL}, {-0x1.dae98e223747dp-55, 0x3fefaf482d8e67f1ULL},
    {0x1.ec3bc41aa2008p-55, 0x3fefba1bee615a27ULL}, {0x1.42b94c3a9eb32p-55, 0x3fefc52b376bba97ULL},
    {0x1.a64a931d185eep-55, 0x3fefd0765b6e4540ULL}, {-0x1.e37bae43be3edp-55, 0x3fefdbfdad9cbe14ULL},
    {0x1.7893b4d91cd9dp-56, 0x3fefe7c1819e90d8ULL}, {0x1.305c14160cc89p-58, 0x3feff3c22b8f71f1ULL},
};
#define N_LN2 0x1.71547652b82fep7       /* 128 / ln2 */
#define LN2N_HI 0x1.62e42fef80000p-8 /* ln2 / 128 in 34 bits: k LN2N_HI exact (|k| < 2^19) */
#define LN2N_LO 0x1.1cf79abc9e3b4p-43
/* for |x| < 708: exp(x) = scale (1 + t), t = tail + e^r - 1, |t| < 2^-7 */
static inline v128_t exp_parts(v128_t x, v128_t* t) {
  const v128_t kd = ADD(MUL(x, D2(N_LN2)), D2(MAGIC));
  const v128_t k = SUB(kd, D2(MAGIC));
  const v128_t r = SUB(SUB(x, MUL(k, D2(LN2N_HI))), MUL(k, D2(LN2N_LO)));
  const v128_t j = wasm_v128_and(kd, wasm_i64x2_splat(127));
  const v128_t e0 = wasm_v128_load(&EXP_T[wasm_i64x2_extract_lane(j, 0)]);
  const v128_t e1 = wasm_v128_load(&EXP_T[wasm_i64x2_extract_lane(j, 1)]);
  const v128_t r2 = MUL(r, r);
  const v128_t p = ADD(MUL(r2, H(D2(1.0 / 6.0), r, 0.5)),
                       MUL(MUL(r2, r2), H(D2(1.0 / 120.0), r, 1.0 / 24.0)));
  *t = ADD(ADD(wasm_i64x2_shuffle(e0, e1, 0, 2), r), p);
  return wasm_i64x2_add(wasm_i64x2_shuffle(e0, e1, 1, 3), wasm_i64x2_shl(kd, 45));
}
static inline v128_t exp_small(v128_t x) { /* |x| < 708 */
  v128_t t;
  const v128_t s = exp_parts(x, &t);
  return ADD(s, MUL(s, t));
}

/* exp(x): 1 ulp. Lanes with |x| >= 708 or nan: the table-free reduction, 2^n applied in two
 * steps so subnormal results round once and overflow is inf without selects. */
__attribute__((noinline)) static v128_t exp_wide(v128_t x) {
  v128_t ni;
  const v128_t r = reduce_ln2(x, -746.0, 710.0, &ni);
  const v128_t p = ADD(expm1_poly(r, 0), D2(1.0));
  const v128_t n1 = wasm_i64x2_shr(ni, 1);
  return MUL(MUL(p, pow2i(n1)), pow2i(wasm_i64x2_sub(ni, n1)));
}
static inline int all_small(v128_t x) {
  return wasm_i64x2_all_true(wasm_f64x2_lt(wasm_f64x2_abs(x), D2(708.0)));
}
static inline v128_t v_exp(v128_t x) {
  return all_small(x) ? exp_small(x) : exp_wide(x);
}


/* expm1(x): 2 ulp: (s - 1) + s t. Above 37.5 expm1 == exp in f64. */
/* lanes above 37.5, near 0 or nan, out of line (one branch keeps the common path straight) */
__attribute__((noinline)) static v128_t expm1_fix(v128_t x, v128_t y) {
  const v128_t big = wasm_f64x2_gt(x, D2(37.5));
  if (wasm_v128_any_true(big)) y = wasm_v128_bitselect(exp_wide(x), y, big);
  /* |x| < 3 ln2/256, where s - 1 and s t would cancel: Taylor to x^8 (truncation 2^-62) */
  const v128_t ax = wasm_f64x2_abs(x);
  const v128_t near0 = wasm_f64x2_lt(ax, D2(0.0081));
  v128_t a[7];
  double f = 2.0;
  for (int i = 0; i < 7; i++, f *= i + 2) a[i] = D2(1.0 / f);
  y = SEL(ADD(x, MUL(MUL(x, x), estrin(a, 7, x))), y, near0);
  /* tiny |x|: x itself (sign of zero, subnormals) */
  return wasm_v128_bitselect(x, y, wasm_f64x2_lt(ax, D2(0x1p-54)));
}
static inline v128_t v_expm1(v128_t x) {
  v128_t t;
  const v128_t s = exp_parts(wasm_f64x2_pmin(wasm_f64x2_pmax(x, D2(-38.0)), D2(38.0)), &t);
  const v128_t y = ADD(SUB(s, D2(1.0)), MUL(s, t)); /* s - 1 exact where it matters */
  const v128_t ax = wasm_f64x2_abs(x);
  if (!wasm_i64x2_all_true(wasm_v128_and(wasm_f64x2_ge(ax, D2(0.0081)), wasm_f64x2_le(x, D2(37.5)))))
    return expm1_fix(x, y);
  return y;
}

/* log(x): 1 ulp. x = 2^k m, m in [sqrt(1/2), sqrt(2)), f = m - 1, s = f / (2 + f):
 * log(1 + f) = f - (hf - s (hf + R)), R = 2 atanh(s)/s - 2 in z = s^2 (|s| < 0.1716). */
/* x = 2^k m: f = m - 1, *k as i64 */
static inline v128_t log_split(v128_t x, v128_t* kp) {
  const v128_t sub = wasm_f64x2_lt(x, D2(0x1p-1022));
  const v128_t xs = wasm_v128_bitselect(MUL(x, D2(0x1p54)), x, sub);
  const v128_t eadj = wasm_v128_and(sub, wasm_i64x2_splat(-54));
  const v128_t ix = wasm_i64x2_add(xs, wasm_i64x2_splat(0x3ff0000000000000LL - 0x3fe6a09e667f3bcdLL));
  const v128_t k = wasm_i64x2_add(
      wasm_i64x2_sub(wasm_u64x2_shr(ix, 52), wasm_i64x2_splat(1023)), eadj);
  const v128_t m = wasm_i64x2_add(wasm_v128_and(ix, wasm_i64x2_splat(0x000fffffffffffffLL)),
                                  wasm_i64x2_splat(0x3fe6a09e667f3bcdLL));
  *kp = k;
  return SUB(m, D2(1.0));
}
/* the division, in the first pass of F64_UNARY2 */
static inline v128_t log_pre(v128_t x) {
  v128_t k;
  const v128_t f = log_split(x, &k);
  return wasm_f64x2_div(f, ADD(f, D2(2.0)));
}
static inline v128_t log_post(v128_t x, v128_t s) {
  v128_t k;
  const v128_t f = log_split(x, &k);
  const v128_t z = MUL(s, s);
  /* R(z) = z (Lg1 + Lg2 z + ... + Lg7 z^6): fdlibm e_log.c's minimax (|R - exact| < 2^-58.45) */
  static const double LG[7] = {6.666666666666735130e-01, 3.999999999940941908e-01,
                               2.857142874366239149e-01, 2.222219843214978396e-01,
                               1.818357216161805012e-01, 1.531383769920937332e-01,
                               1.479819860511658591e-01};
  v128_t a[7];
  for (int i = 0; i < 7; i++) a[i] = D2(LG[i]);
  const v128_t R = MUL(estrin(a, 7, z), z);
  const v128_t hf = MUL(MUL(f, f), D2(0.5));
  /* k (|k| < 1100) as f64: its low i32 halves, converted */
  const v128_t dk = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(k, k, 0, 2, 0, 2));
  v128_t t = ADD(MUL(s, ADD(hf, R)), MUL(dk, D2(LN2_LO)));
  t = SUB(SUB(hf, t), f);
  v128_t y = SUB(MUL(dk, D2(LN2_HI)), t);
  y = wasm_v128_bitselect(D2(-__builtin_inf()), y, wasm_f64x2_eq(x, D2(0.0)));
  y = wasm_v128_bitselect(D2(__builtin_nan("")), y, wasm_f64x2_lt(x, D2(0.0)));
  const v128_t passthru = wasm_v128_or(wasm_f64x2_ne(x, x), wasm_f64x2_eq(x, D2(__builtin_inf())));
  return wasm_v128_bitselect(x, y, passthru);
}


/* log1p(x): 2 ulp. log(u) corrected by (x - (u - 1)) / u, u = 1 + x rounded. */
static inline v128_t log1p_pre(v128_t x) { return log_pre(ADD(x, D2(1.0))); }
static inline v128_t log1p_post(v128_t x, v128_t s) {
  const v128_t u = ADD(x, D2(1.0));
  v128_t c = wasm_f64x2_div(SUB(x, SUB(u, D2(1.0))), u);
  c = wasm_v128_andnot(c, wasm_v128_or(wasm_f64x2_eq(u, D2(0.0)),
                                       wasm_f64x2_eq(u, D2(__builtin_inf()))));
  const v128_t y = ADD(log_post(u, s), c);
  return wasm_v128_bitselect(x, y, wasm_f64x2_lt(wasm_f64x2_abs(x), D2(0x1p-54)));
}

static inline v128_t copysign2(v128_t mag, v128_t sgn) {
  return wasm_v128_bitselect(sgn, mag, wasm_i64x2_splat((int64_t)0x8000000000000000ULL));
}

/* tanh: 3 ulp. tanh|x| = e / (e + 2), e = expm1(2|x|) (2|x| clamped to 37.5: no exp path);
 * 1 from |x| > 19.1, where tanh rounds to 1. */
static inline v128_t tanh_pre(v128_t x) {
  const v128_t a = wasm_f64x2_abs(x);
  return v_expm1(wasm_f64x2_pmin(ADD(a, a), D2(37.5)));
}
static inline v128_t tanh_post(v128_t x, v128_t e) {
  v128_t t = wasm_f64x2_div(e, ADD(e, D2(2.0)));
  t = wasm_v128_bitselect(D2(1.0), t, wasm_f64x2_gt(wasm_f64x2_abs(x), D2(19.1)));
  return copysign2(t, x);
}

/* sigmoid: 3 ulp. e = exp(-|x|): 1 / (1 + e) for x >= 0, e / (1 + e) for x < 0. */
static inline v128_t sigmoid_pre(v128_t x) { return v_exp(wasm_f64x2_neg(wasm_f64x2_abs(x))); }
static inline v128_t sigmoid_post(v128_t x, v128_t e) {
  const v128_t num = wasm_v128_bitselect(e, D2(1.0), wasm_f64x2_lt(x, D2(0.0)));
  return wasm_f64x2_div(num, ADD(e, D2(1.0)));
}

/* silu = x sigmoid(x): 4 ulp; silu(-inf) = -inf * 0 = nan as torch */
static inline v128_t silu_post(v128_t x, v128_t e) { return MUL(x, sigmoid_post(x, e)); }

/* gelu_tanh: torch's formula 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) */
static inline v128_t gelu_inner(v128_t x) {
  return MUL(D2(0.7978845608028654), ADD(x, MUL(D2(0.044715), MUL(MUL(x, x), x))));
}
static inline v128_t gelu_tanh_pre(v128_t x) { return tanh_pre(gelu_inner(x)); }
static inline v128_t gelu_tanh_post(v128_t x, v128_t e) {
  return MUL(MUL(D2(0.5), x), ADD(D2(1.0), tanh_post(gelu_inner(x), e)));
}

/* rsqrt: torch's 1 / sqrt(x), two correctly rounded steps (bit-identical) */
static inline v128_t v_rsqrt(v128_t x) { return wasm_f64x2_div(D2(1.0), wasm_f64x2_sqrt(x)); }

/* sin, cos: 1 ulp (tests: 0.8 measured). x = k pi/2 + r, |r| <= pi/4, r as double-double
 * from a 4-part Cody-Waite split of pi/2 (k < 2^20: k P1, k P2, k P3 exact); both minimax
 * polynomials (degree 13 / 14), picked and signed by k mod 4. Lanes with
 * |x| >= 2^20 pi/2 take a scalar Payne-Hanek reduction (2/pi to 1280 bits) out of line, so
 * sin(1e300) is right as torch's. sin/cos(+-inf, nan) = nan; sin(-0) = -0. */
#define PIO2_1 0x1.921fb544p+0
#define PIO2_2 0x1.0b4611a6p-34
#define PIO2_3 0x1.3198a2ep-69
#define PIO2_3T 0x1.b839a252049c1p-104
#define INV_PIO2 0x1.45f306dc9c883p-1
#define PIO2_H 0x1.921fb54442d18p+0
#define PIO2_L 0x1.1a62633145c07p-54
#define SC_LARGE 0x1.921fb54442d18p+20

/* sin or cos (per lane: odd q) of rh + rl, negated where q & 2; q as i64 lanes */
static inline v128_t sincos_poly(v128_t rh, v128_t rl, v128_t q) {
  const v128_t z = MUL(rh, rh);
  /* fdlibm k_sin.c / k_cos.c's minimax on |r| <= pi/4 (errors < 2^-58) */
  static const double S[6] = {-1.66666666666666324348e-01, 8.33333333332248946124e-03,
                              -1.98412698298579493134e-04, 2.75573137070700676789e-06,
                              -2.50507602534068634195e-08, 1.58969099521155010221e-10};
  static const double C[6] = {4.16666666666666019037e-02, -1.38888888888741095749e-03,
                              2.48015872894767294178e-05, -2.75573143513906633035e-07,
                              2.08757232129817482790e-09, -1.13596475577881948265e-11};
  v128_t a[6];
  for (int i = 0; i < 6; i++) a[i] = D2(S[i]);
  const v128_t s = estrin(a, 6, z);
  const v128_t hz = MUL(z, D2(0.5));
  const v128_t sn = ADD(rh, ADD(MUL(MUL(rh, z), s), MUL(rl, SUB(D2(1.0), hz))));
  for (int i = 0; i < 6; i++) a[i] = D2(C[i]);
  const v128_t c = estrin(a, 6, z);
  const v128_t w = SUB(D2(1.0), hz);
  const v128_t cs = ADD(w, ADD(SUB(SUB(D2(1.0), w), hz), SUB(MUL(MUL(z, z), c), MUL(rh, rl))));
  const v128_t odd = wasm_i64x2_eq(wasm_v128_and(q, wasm_i64x2_splat(1)), wasm_i64x2_splat(1));
  const v128_t y = wasm_v128_bitselect(cs, sn, odd);
  return wasm_v128_xor(y, wasm_i64x2_shl(wasm_u64x2_shr(q, 1), 63));
}
__attribute__((noinline)) static v128_t sincos_core(v128_t rh, v128_t rl, v128_t q) {
  return sincos_poly(rh, rl, q);
}

/* 2/pi = 0.A2F9836E 4E441529 ... (hex), 40 words */
static const uint32_t two_over_pi[40] = {
    0xA2F9836Eu, 0x4E441529u, 0xFC2757D1u, 0xF534DDC0u, 0xDB629599u, 0x3C439041u, 0xFE5163ABu,
    0xDEBBC561u, 0xB7246E3Au, 0x424DD2E0u, 0x06492EEAu, 0x09D1921Cu, 0xFE1DEB1Cu, 0xB129A73Eu,
    0xE88235F5u, 0x2EBB4484u, 0xE99C7026u, 0xB45F7E41u, 0x3991D639u, 0x835339F4u, 0x9C845F8Bu,
    0xBDF9283Bu, 0x1FF897FFu, 0xDE05980Fu, 0xEF2F118Bu, 0x5A0A6D1Fu, 0x6D367ECFu, 0x27CB09B7u,
    0x4F463F66u, 0x9E5FEA2Du, 0x7527BAC7u, 0xEBE5F17Bu, 0x3D0739F7u, 0x8A5292EAu, 0x6BFB5FB1u,
    0x1F8D5D08u, 0x56033046u, 0xFC7B6BABu, 0xF0CFBC20u, 0x9AF4361Du};

static uint64_t bits64(const uint32_t* p, int pos) { /* bits [pos, pos + 64) of limbs p */
  const int w = pos >> 5, off = pos & 31;
  const uint64_t lo = (uint64_t)p[w] | ((uint64_t)p[w + 1] << 32);
  return off ? (lo >> off) | ((uint64_t)p[w + 2] << (64 - off)) : lo;
}

/* Payne-Hanek for finite |x| >= 2^20 pi/2: x = q pi/2 + rh + rl, returns q */
static int64_t rem_pio2_large(double x, double* rh, double* rl) {
  union { double d; uint64_t u; } b = {x};
  const int e = (int)((b.u >> 52) & 0x7ff) - 1075; /* |x| = m 2^e, e in [-32, 971] */
  const uint64_t m = (b.u & 0xfffffffffffffULL) | (1ULL << 52);
  const int i0 = e >= 2 ? (e - 2) >> 5 : 0;       /* earlier words add multiples of 4 */
  uint32_t p[11] = {0};
  const uint64_t ml = m & 0xffffffffu, mh = m >> 32;
  uint64_t c1 = 0, c2 = 0;
  for (int j = 0; j < 8; j++) {
    const uint64_t w = two_over_pi[i0 + 7 - j];
    const uint64_t t1 = ml * w + p[j] + c1;
    p[j] = (uint32_t)t1;
    c1 = t1 >> 32;
    const uint64_t t2 = mh * w + p[j + 1] + c2 + c1;
    p[j + 1] = (uint32_t)t2;
    c1 = 0;
    c2 = t2 >> 32;
  }
  p[9] = (uint32_t)c2;
  const int F = 256 + 32 * i0 - e; /* fraction bits of p */
  int64_t q = (int64_t)(bits64(p, F) & 3);
  const uint64_t hi = bits64(p, F - 64), lo = bits64(p, F - 128);
  if (hi >> 63) q += 1; /* fraction >= 1/2: the next quadrant, a negative remainder */
  const double fa = (double)(int32_t)(hi >> 32) * 0x1p-32, fb = (double)(uint32_t)hi * 0x1p-64;
  const double fh = fa + fb, fl = ((fa - fh) + fb) + (double)lo * 0x1p-128;
  /* (fh + fl) pi/2 in double-double */
  const double c = 134217729.0, ph = PIO2_H;
  double t = c * fh;
  const double fhh = t - (t - fh), fhl = fh - fhh;
  t = c * ph;
  const double phh = t - (t - ph), phl = ph - phh;
  const double r = fh * ph;
  const double re = ((fhh * phh - r) + fhh * phl + fhl * phh) + fhl * phl;
  double h = r, l = re + fh * PIO2_L + fl * ph;
  if (b.u >> 63) q = -q, h = -h, l = -l;
  *rh = h + l;
  *rl = l - (*rh - h);
  return q;
}

__attribute__((noinline)) static v128_t sincos_large(v128_t x, v128_t y, v128_t large,
                                                     int want_cos) {
  double xs[2], ys[2];
  int64_t ls[2];
  wasm_v128_store(xs, x);
  wasm_v128_store(ys, y);
  wasm_v128_store(ls, large);
  for (int i = 0; i < 2; i++) {
    if (!ls[i]) continue;
    double rh, rl;
    const int64_t q = rem_pio2_large(xs[i], &rh, &rl) + want_cos;
    ys[i] = wasm_f64x2_extract_lane(sincos_core(D2(rh), D2(rl), wasm_i64x2_splat(q)), 0);
  }
  return wasm_v128_load(ys);
}

static inline v128_t v_sincos(v128_t x, int want_cos) {
  const v128_t tm = ADD(MUL(x, D2(INV_PIO2)), D2(MAGIC));
  const v128_t k = SUB(tm, D2(MAGIC));
  const v128_t r = SUB(x, MUL(k, D2(PIO2_1)));
  const v128_t w = MUL(k, D2(PIO2_2));
  const v128_t r1 = SUB(r, w);
  const v128_t e1 = SUB(SUB(SUB(SUB(r, r1), w), MUL(k, D2(PIO2_3))), MUL(k, D2(PIO2_3T)));
  const v128_t rh = ADD(r1, e1);
  const v128_t rl = ADD(SUB(r1, rh), e1);
  const v128_t q = wasm_i64x2_add(wasm_i64x2_sub(tm, D2(MAGIC)), wasm_i64x2_splat(want_cos));
  v128_t y = sincos_poly(rh, rl, q);
  const v128_t ax = wasm_f64x2_abs(x);
  const v128_t large = wasm_v128_and(wasm_f64x2_ge(ax, D2(SC_LARGE)),
                                     wasm_f64x2_lt(ax, D2(__builtin_inf())));
  if (wasm_v128_any_true(large)) y = sincos_large(x, y, large, want_cos);
  if (!want_cos) /* sin x == x below 2^-27 (keeps -0 and subnormals) */
    y = wasm_v128_bitselect(x, y, wasm_f64x2_lt(ax, D2(0x1p-27)));
  return y;
}
static inline v128_t v_sin(v128_t x) { return v_sincos(x, 0); }
static inline v128_t v_cos(v128_t x) { return v_sincos(x, 1); }

/* erf: 1.5 ulp (tests: 1.4). |x| < 1/2: x P(x^2); 1/2 <= |x| < 6: one of eleven polynomials in
 * t = |x| - c, picked per lane (coefficients: Chebyshev fits, wasm_kernels/tools/fit_poly.py
 * fit_erf_f64); beyond, +-1. Odd: erf(-0) = -0, nan passes. */
/* erf(x) / x as a polynomial in x^2 on |x| < 0.5 (highest degree first), error 2^-65 */
static const double ERF_SMALL[10] = {-0x1.39fb524e9c1f7p-23, 0x1.b776442df3041p-20, -0x1.f4bb9f7301dedp-17, 0x1.f9a2a6635fe79p-14, -0x1.c02db23d41138p-11, 0x1.565bcd0aa6349p-8, -0x1.b82ce3127f739p-6, 0x1.ce2f21a042b29p-4, -0x1.812746b0379e6p-2, 0x1.20dd750429b6dp+0};
/* erf(c + t), |t| <= 1/4, c = 0.75, 1.25, ..., 5.75 (highest degree first), abs error 2^-61 */
static const double ERF_MID[11][15] = {
    {0x1.667fa58b0070ap-16, -0x1.36b989ccff556p-14, -0x1.bd13d8e7a2e3cp-14, 0x1.4710d00f25d6ep-11, 0x1.862185356d484p-13, -0x1.04103d05ade71p-8, 0x1.2db333b4ce61bp-9, 0x1.2e0afad7b4ac3p-6, -0x1.b847796701a6dp-6, -0x1.b42a189076e8ap-5, 0x1.349b5eaa14681p-3, 0x1.b6e8591f65e30p-6, -0x1.edc5644353c27p-2, 0x1.492e42d78d2c5p-1, 0x1.6c1c9759d0e5fp-1},
    {-0x1.6b00eb2cb6fdap-19, 0x1.c7dbbabc9602cp-15, -0x1.baa412d8caf14p-15, -0x1.538c382602086p-12, 0x1.a0077eba0fde4p-11, 0x1.cc2172222da51p-11, -0x1.75672d12391f6p-8, 0x1.db43cae5db126p-9, 0x1.5d0003af90ad9p-6, -0x1.8281ce0b82f08p-5, -0x1.93a9a7bb7f98dp-8, 0x1.571d01c5c588cp-3, -0x1.2ebf3dcc9f22fp-2, 0x1.e4652fadcb6b1p-3, 0x1.d8865d98abe01p-1},
    {-0x1.39018723e6d46p-18, -0x1.1c9c05c8566aap-16, 0x1.200b75b2a369cp-14, -0x1.722db27883de3p-18, -0x1.d041fa2455146p-12, 0x1.d4cf7e6170c7fp-11, 0x1.7ec1d1fe41acfp-11, -0x1.8d10fbc9edc40p-8, 0x1.25b378c922971p-7, 0x1.b22257de3e309p-8, -0x1.8a0da54306125p-5, 0x1.7148c3d57c13dp-4, -0x1.7a4a8a2bdce13p-4, 0x1.b055303221017p-5, 0x1.f92d077f8d56dp-1},
    {0x1.c604970ebb8a5p-19, -0x1.9a8d6636d4e3dp-20, -0x1.7c9628114e880p-16, 0x1.1145d519c5e72p-14, -0x1.80c2a51bfb5f0p-17, -0x1.8353090f6d335p-12, 0x1.0602e34e91dccp-10, -0x1.5f8312f2e509fp-11, -0x1.7cae0d45d1827p-9, 0x1.5d3b17bbb7d08p-7, -0x1.38a9832789088p-6, 0x1.63ef61e82460cp-6, -0x1.074b60f8df349p-6, 0x1.d4143a9dfe962p-8, 0x1.ff404760319b4p-1},
    {-0x1.ddb4fc18278c9p-21, 0x1.68a5f7de223aap-19, -0x1.2027571ce8a4bp-20, -0x1.09d044aa888fcp-16, 0x1.cd5961467fceep-15, -0x1.2abb3e006ef2ep-14, -0x1.7557732aef7d8p-14, 0x1.52b6264035d58p-11, -0x1.b2755bfd49744p-10, 0x1.6935960663d09p-9, -0x1.ab0c273ac282fp-9, 0x1.69cf466ccdf7bp-9, -0x1.a6a519a114d6ep-10, 0x1.3360ccd23db3ap-11, 0x1.fff2cfb0453d9p-1},
    {-0x1.9474cda205f5cp-29, -0x1.1dec94d465e98p-21, 0x1.ff5b0dda40037p-20, -0x1.80a322aa6be87p-19, -0x1.389435464ebf4p-19, 0x1.b2c36d6a9697bp-16, -0x1.567479968d821p-14, 0x1.647f71dcc8e45p-13, -0x1.145464ea53367p-12, 0x1.490a4d2379088p-12, -0x1.2c7d5ef053abap-12, 0x1.9aa489e3c996dp-13, -0x1.8de3cd290a7c7p-14, 0x1.e9b5e8d00cebap-16, 0x1.ffff6f9f67e55p-1},
    {0x1.7133b91983267p-25, -0x1.046c53922e7b9p-24, -0x1.835991bf3a5d4p-24, 0x1.a06d7c8613a38p-21, -0x1.5d68f52907684p-19, 0x1.99f58493e3d34p-18, -0x1.7566bf05da612p-17, 0x1.110de505de76bp-16, -0x1.4357b55446d3bp-16, 0x1.3436bc9e6103ep-16, -0x1.d06f586094603p-17, 0x1.0b6a7b0f1f753p-17, -0x1.bba3ac4cf8465p-19, 0x1.d9371e2ff7a72p-21, 0x1.fffffc2f171e3p-1},
    {-0x1.8d5063f9bbfebp-29, 0x1.2476c65e7e71cp-26, -0x1.e05aa8744cbb7p-25, 0x1.27def3c157d93p-23, -0x1.275887d66f6cap-22, 0x1.eab4c554bb11fp-22, -0x1.566f0257044a5p-21, 0x1.916e929f2bf29p-21, -0x1.8868e1d0a7cbcp-21, 0x1.3b46801847502p-21, -0x1.96ba7366c5762p-22, 0x1.95ea6fe003e71p-23, -0x1.26afa996c31b1p-24, 0x1.155a09065d31bp-26, 0x1.fffffff01a8b6p-1},
    {-0x1.c08288e6abc1bp-31, 0x1.1a4b016ee1dc7p-29, -0x1.1ed38869b1ea0p-28, 0x1.01b220cbcdfeep-27, -0x1.90aaa27e76addp-27, 0x1.0d4e2a0ce34d5p-26, -0x1.3834e30c8ba30p-26, 0x1.35dc7b2ef4aa3p-26, -0x1.042f2a6c672b5p-26, 0x1.6b43c988358b3p-27, -0x1.9b017abbcce5cp-28, 0x1.6a8aeba33b14dp-29, -0x1.d453ba308dc61p-31, 0x1.8a61745ed043cp-33, 0x1.ffffffffd759dp-1},
    {-0x1.6ba6bda3b5f6dp-35, 0x1.5baa952604b33p-34, -0x1.1168f63ca58b4p-33, 0x1.933b66aea721ep-33, -0x1.07839e41fb1eep-32, 0x1.2e3dfbd49afdfp-32, -0x1.2ec53fc860171p-32, 0x1.065933e6f4ad0p-32, -0x1.83ea4c05d949fp-33, 0x1.e044b5d9efc14p-34, -0x1.e4cb4ae823368p-35, 0x1.7f8a0f32ad772p-36, -0x1.be6dda2acc178p-38, 0x1.5422ef5dd7e56p-40, 0x1.ffffffffffc05p-1},
    {-0x1.e0bebdb52146cp-41, 0x1.80e858e46707ep-40, -0x1.f42ee04dbf586p-40, 0x1.3d8ebeeb6b903p-39, -0x1.6a577387fbb15p-39, 0x1.6d2b03c9f2290p-39, -0x1.43c0e76ad620ep-39, 0x1.f3c4a4fbe308bp-40, -0x1.4aed69c0755d9p-40, 0x1.70b70755e016cp-41, -0x1.505d952c32bedp-42, 0x1.e2d06d25b3af5p-44, -0x1.ff8ac58400682p-46, 0x1.63daf8b6ae5eep-48, 0x1.ffffffffffffcp-1}};

static inline v128_t v_erf(v128_t x) {
  const v128_t ax = wasm_f64x2_abs(x);
  const v128_t small = wasm_f64x2_lt(ax, D2(0.5));
  v128_t y = D2(0.0);
  if (wasm_v128_any_true(small)) {
    const v128_t z = MUL(x, x); /* Horner: Estrin's rounding gives 1.6 ulp here */
    v128_t p = D2(ERF_SMALL[0]);
    for (int j = 1; j < 10; j++) p = H(p, z, ERF_SMALL[j]);
    y = MUL(x, p);
  }
  if (!wasm_i64x2_all_true(small)) {
    /* row i = (|x| - 1/2) * 2 in [0, 10] (|x| >= 6: row 10, nan: row 0; replaced below) */
    const v128_t ac = wasm_f64x2_pmin(wasm_f64x2_pmax(ax, D2(0.5)), D2(6.0));
    v128_t fi = wasm_f64x2_pmin(wasm_f64x2_floor(MUL(SUB(ac, D2(0.5)), D2(2.0))), D2(10.0));
    fi = wasm_f64x2_pmax(D2(0.0), fi); /* nan: row 0 */
    const v128_t t = SUB(ac, ADD(MUL(fi, D2(0.5)), D2(0.75)));
    const v128_t ri = ADD(fi, D2(MAGIC)); /* the row in the low bits (no float-to-int checks) */
    const double* r0 = ERF_MID[wasm_i64x2_extract_lane(ri, 0) & 15];
    const double* r1 = ERF_MID[wasm_i64x2_extract_lane(ri, 1) & 15];
    v128_t p = estrin_rows(r0, r1, 15, t);
    p = SEL(D2(1.0), p, wasm_f64x2_ge(ax, D2(6.0)));
    p = wasm_v128_or(p, wasm_v128_and(x, wasm_i64x2_splat((int64_t)0x8000000000000000ULL)));
    y = SEL(y, p, small);
  }
  return SEL(x, y, wasm_f64x2_ne(x, x));
}

/* gelu: 2 ulp; torch's formula x / 2 (1 + erf(x / sqrt 2)), which cancels for x < 0 (there |x| 2^-52
 * absolute); gelu(-inf) = -inf * 0 = nan as torch */
static inline v128_t v_gelu(v128_t x) {
  return MUL(MUL(x, D2(0.5)), ADD(D2(1.0), v_erf(MUL(x, D2(0.70710678118654752440)))));
}

/* The tail (one element) goes through the kernel itself on a two-element buffer: every
 * element gets the same instructions, the body is emitted once (module size) and the main loop
 * touches no stack. */
#define F64_UNARY(op, VFN, X2)                                                              \
  WT_EXPORT void WT_SYM(f64_##op)(size_t n, const double* x, double* y) {                   \
    size_t j = 0;                                                                           \
    /* X2: two independent vectors per step, which the engine overlaps (the short kernels;  \
     * the long ones gain nothing for twice the code) */                                    \
    for (; X2 && j + 4 <= n; j += 4) {                                                      \
      const v128_t a = VFN(wasm_v128_load(x + j)), b = VFN(wasm_v128_load(x + j + 2));       \
      wasm_v128_store(y + j, a);                                                            \
      wasm_v128_store(y + j + 2, b);                                                        \
    }                                                                                       \
    for (; j + 2 <= n; j += 2) wasm_v128_store(y + j, VFN(wasm_v128_load(x + j)));           \
    if (j < n) {                                                                            \
      double t[2] = {x[j], 0.0};                                                            \
      WT_SYM(f64_##op)(2, t, t);                                                            \
      y[j] = t[0];                                                                          \
    }                                                                                       \
  }

/* Two passes over blocks of 64 elements where a division would sit in the one long dependency
 * chain of an iteration: PRE (the long part, or the division) into a stack block, then POST;
 * short chains let the engine overlap iterations. POST reads x before writing y (in place ok). */
/* the first pass over a block of m <= 32 vectors, out of line: sigmoid and silu share one */
#define F64_PRE_BLOCK(name, PRE, X2)                                                        \
  __attribute__((noinline)) static void name(const double* x, v128_t* b, size_t m) {        \
    size_t i = 0;                                                                           \
    for (; X2 && i + 2 <= m; i += 2) {                                                      \
      const v128_t p0 = PRE(wasm_v128_load(x + 2 * i));                                     \
      const v128_t p1 = PRE(wasm_v128_load(x + 2 * i + 2));                                 \
      b[i] = p0;                                                                            \
      b[i + 1] = p1;                                                                        \
    }                                                                                       \
    for (; i < m; i++) b[i] = PRE(wasm_v128_load(x + 2 * i));                               \
  }
#define F64_UNARY2(op, PRE_BLOCK, POST)                                                     \
  WT_EXPORT void WT_SYM(f64_##op)(size_t n, const double* x, double* y) {                   \
    v128_t b[32];                                                                           \
    size_t j = 0;                                                                           \
    while (j + 2 <= n) {                                                                    \
      const size_t m = (n - j) / 2 < 32 ? (n - j) / 2 : 32;                                 \
      PRE_BLOCK(x + j, b, m);                                                               \
      for (size_t i = 0; i < m; i++)                                                        \
        wasm_v128_store(y + j + 2 * i, POST(wasm_v128_load(x + j + 2 * i), b[i]));          \
      j += 2 * m;                                                                           \
    }                                                                                       \
    if (j < n) {                                                                            \
      double t[2] = {x[j], 0.0};                                                            \
      WT_SYM(f64_##op)(2, t, t);                                                            \
      y[j] = t[0];                                                                          \
    }                                                                                       \
  }

F64_PRE_BLOCK(log_block, log_pre, 0)
F64_PRE_BLOCK(log1p_block, log1p_pre, 0)
F64_PRE_BLOCK(tanh_block, tanh_pre, 1)
F64_PRE_BLOCK(sigmoid_block, sigmoid_pre, 1)
F64_PRE_BLOCK(gelu_tanh_block, gelu_tanh_pre, 0)
F64_UNARY(exp, v_exp, 1)
F64_UNARY(expm1, v_expm1, 1)
F64_UNARY2(log, log_block, log_post)
F64_UNARY2(log1p, log1p_block, log1p_post)
F64_UNARY2(tanh, tanh_block, tanh_post)
F64_UNARY2(sigmoid, sigmoid_block, sigmoid_post)
F64_UNARY2(silu, sigmoid_block, silu_post)
F64_UNARY2(gelu_tanh, gelu_tanh_block, gelu_tanh_post)
F64_UNARY(rsqrt, v_rsqrt, 0)
F64_UNARY(sin, v_sin, 0)
F64_UNARY(cos, v_cos, 0)
F64_UNARY(erf, v_erf, 0)
F64_UNARY(gelu, v_gelu, 0)
