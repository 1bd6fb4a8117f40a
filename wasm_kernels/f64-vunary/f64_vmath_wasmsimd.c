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

/* erf: 1.5 ulp. |x| <= 6: erf(r) + erf'(r) T(|x| - r), r = |x| rounded to n/64, erf(r) (+ a
 * float low part) and erf'(r) from a table, T a Taylor series with coefficients from the
 * Hermite recurrence in r: no branches, no per-lane coefficient gathers, relative accuracy
 * down to 0 (erf(0) = 0 exactly); beyond, +-1 (erf(6) == 1 in float64). Odd: erf(-0) = -0,
 * nan passes. */
/* {erf(r), erf'(r) = 2/sqrt(pi) exp(-r^2)}, erf(r) - ERF_T[n][0]; r = n/64, rows 1 and 2 as
 * row 0 (wasm_kernels/tools/fit_poly.py erf_table_f64) */
static const double ERF_T[385][2] = {
    {0x0.0p+0, 0x1.20dd750429b6dp+0}, {0x0.0p+0, 0x1.20dd750429b6dp+0},
    {0x0.0p+0, 0x1.20dd750429b6dp+0}, {0x1.b0fafef135745p-5, 0x1.203b261cd0053p+0},
    {0x1.207d480e90658p-4, 0x1.1fbd27cdc72d3p+0}, {0x1.68591a1e83b5dp-4, 0x1.1f1b7ae44867fp+0},
    {0x1.b0081148a873ap-4, 0x1.1e565bca400d4p+0}, {0x1.f78159ec8bb50p-4, 0x1.1d6e14099944ap+0},
    {0x1.1f5e1a35c3b89p-3, 0x1.1c62fa1e869b6p+0}, {0x1.42d7fc2f64959p-3, 0x1.1b357141d95d5p+0},
    {0x1.662a0bdf7a89fp-3, 0x1.19e5e92b964abp+0}, {0x1.895010fdbdbfdp-3, 0x1.1874ddcdfce24p+0},
    {0x1.ac45e37fe2526p-3, 0x1.16e2d7093cd8cp+0}, {0x1.cf076d1233237p-3, 0x1.153068581b781p+0},
    {0x1.f190aa85540e2p-3, 0x1.135e3075d076bp+0}, {0x1.09eed6982b948p-2, 0x1.116cd8fd67618p+0},
    {0x1.1af54e232d609p-2, 0x1.0f5d1602f7e41p+0}, {0x1.2bd9db0f7827fp-2, 0x1.0d2fa5a70c168p+0},
    {0x1.3c9aa8b84bedap-2, 0x1.0ae54fa490723p+0}, {0x1.4d35ef3e5372ep-2, 0x1.087ee4d9ad247p+0},
    {0x1.5da9f415ff23fp-2, 0x1.05fd3ecbec298p+0}, {0x1.6df50a8dff772p-2, 0x1.03613f2812dafp+0},
    {0x1.7e15944d9d3e4p-2, 0x1.00abcf3e187a9p+0}, {0x1.8e0a01cab516bp-2, 0x1.fbbbbef34b4b2p-1},
    {0x1.9dd0d2b721f39p-2, 0x1.f5f0cdaf15313p-1}, {0x1.ad68966569a87p-2, 0x1.eff8c4b1375dbp-1},
    {0x1.bccfec24855b8p-2, 0x1.e9d5a8e4c934ep-1}, {0x1.cc058392a6d2dp-2, 0x1.e38988fc46e72p-1},
    {0x1.db081ce6e2a48p-2, 0x1.dd167c4cf9d2ap-1}, {0x1.e9d68931ae650p-2, 0x1.d67ea1a8b5368p-1},
    {0x1.f86faa9428f9dp-2, 0x1.cfc41e36c7df9p-1}, {0x1.03693a371519cp-1, 0x1.c8e91c4d01368p-1},
    {0x1.0a7ef5c18edd2p-1, 0x1.c1efca49a5011p-1}, {0x1.1178930ada115p-1, 0x1.bada596f25436p-1},
    {0x1.1855a5fd3dd50p-1, 0x1.b3aafcc27502ep-1}, {0x1.1f15cb50bc4dep-1, 0x1.ac63e7ecc1411p-1},
    {0x1.25b8a88b6dd7fp-1, 0x1.a5074e2157620p-1}, {0x1.2c3debfd7d6c1p-1, 0x1.9d97610879642p-1},
    {0x1.32a54cb8db67bp-1, 0x1.96164fafd8de3p-1}, {0x1.38ee8a84beb71p-1, 0x1.8e86458169af8p-1},
    {0x1.3f196dcd0f135p-1, 0x1.86e9694134b9ep-1}, {0x1.4525c78dd5966p-1, 0x1.7f41dc12c9e89p-1},
    {0x1.4b13713ad3513p-1, 0x1.7791b886e7403p-1}, {0x1.50e24ca35fd2cp-1, 0x1.6fdb11b1e0c34p-1},
    {0x1.569243d2b3a9bp-1, 0x1.681ff24b4ab04p-1}, {0x1.5c2348ecc4dc3p-1, 0x1.60625bd75d07bp-1},
    {0x1.61955607dd15dp-1, 0x1.58a445da7c74cp-1}, {0x1.66e86d0312e82p-1, 0x1.50e79d1749ac9p-1},
    {0x1.6c1c9759d0e5fp-1, 0x1.492e42d78d2c5p-1}, {0x1.7131e5f496a5ap-1, 0x1.417a0c4049fd0p-1},
    {0x1.762870f720c6fp-1, 0x1.39ccc1b136d5ap-1}, {0x1.7b00578c26037p-1, 0x1.32281e2fd1a92p-1},
    {0x1.7fb9bfaed8078p-1, 0x1.2a8dcede3673bp-1}, {0x1.8454d5f25760dp-1, 0x1.22ff727dd6f7bp-1},
    {0x1.88d1cd474a2e0p-1, 0x1.1b7e98fe26217p-1}, {0x1.8d30debfc572ep-1, 0x1.140cc3173f007p-1},
    {0x1.91724951b8fc6p-1, 0x1.0cab61f084b93p-1}, {0x1.959651980da31p-1, 0x1.055bd6d32e8d7p-1},
    {0x1.999d4192a5715p-1, 0x1.fc3ee5d1524b0p-2}, {0x1.9d8768656cc42p-1, 0x1.edeeee0959518p-2},
    {0x1.a1551a16aaeafp-1, 0x1.dfca26f5bbf88p-2}, {0x1.a506af4cc00f4p-1, 0x1.d1d2cfff91594p-2},
    {0x1.a89c850b7d54dp-1, 0x1.c40b0729ed548p-2}, {0x1.ac16fc7143263p-1, 0x1.b674c8ffc6283p-2},
    {0x1.af767a741088bp-1, 0x1.a911f096fbc26p-2}, {0x1.b2bb679ead19cp-1, 0x1.9be437a7de946p-2},
    {0x1.b5e62fce16095p-1, 0x1.8eed36b886d93p-2}, {0x1.b8f741ef54f83p-1, 0x1.822e655b417e7p-2},
    {0x1.bbef0fbde6221p-1, 0x1.75a91a7f4d2edp-2}, {0x1.bece0d82d1a5cp-1, 0x1.695e8cd31867ep-2},
    {0x1.c194b1d49a184p-1, 0x1.5d4fd33729015p-2}, {0x1.c443755820d64p-1, 0x1.517de540ce2a3p-2},
    {0x1.c6dad2829ec62p-1, 0x1.45e99bcbb7915p-2}, {0x1.c95b455cce69dp-1, 0x1.3a93b1998736cp-2},
    {0x1.cbc54b476248dp-1, 0x1.2f7cc3fe6f423p-2}, {0x1.ce1962c0e0d8bp-1, 0x1.24a55399ea239p-2},
    {0x1.d0580b2cfd249p-1, 0x1.1a0dc51a9934dp-2}, {0x1.d281c49d818d0p-1, 0x1.0fb6620c550afp-2},
    {0x1.d4970f9ce00d9p-1, 0x1.059f59af7a906p-2}, {0x1.d6986cfa798e7p-1, 0x1.f79183b101c5bp-3},
    {0x1.d8865d98abe01p-1, 0x1.e4652fadcb6b2p-3}, {0x1.da61623cb41e0p-1, 0x1.d1b982c501370p-3},
    {0x1.dc29fb60715afp-1, 0x1.bf8e1b1ca2279p-3}, {0x1.dde0a90611a0dp-1, 0x1.ade26b7fbed95p-3},
    {0x1.df85ea8db188ep-1, 0x1.9cb5bd549b111p-3}, {0x1.e11a3e8cf4eb8p-1, 0x1.8c07329874652p-3},
    {0x1.e29e22a89d766p-1, 0x1.7bd5c7df3fe9cp-3}, {0x1.e4121370224ccp-1, 0x1.6c205655be720p-3},
    {0x1.e5768c3b4a3fcp-1, 0x1.5ce595c455b0ap-3}, {0x1.e6cc0709c8a0dp-1, 0x1.4e241e912c305p-3},
    {0x1.e812fc64db369p-1, 0x1.3fda6bc016994p-3}, {0x1.e94be342e6743p-1, 0x1.3206dceef5f87p-3},
    {0x1.ea7730ed0bbb9p-1, 0x1.24a7b84d38971p-3}, {0x1.eb9558e6b42cep-1, 0x1.17bb2c8d41535p-3},
    {0x1.eca6ccd709544p-1, 0x1.0b3f52ce8c383p-3}, {0x1.edabfc7453e63p-1, 0x1.fe6460fef4680p-4},
    {0x1.eea5557137ae0p-1, 0x1.e723726b824a9p-4}, {0x1.ef93436bc2daap-1, 0x1.d0b7a0f921e7cp-4},
    {0x1.f0762fde45ee6p-1, 0x1.bb1c972f23e50p-4}, {0x1.f14e8211e8c55p-1, 0x1.a64de673e8837p-4},
    {0x1.f21c9f12f0677p-1, 0x1.92470a61b6965p-4}, {0x1.f2e0e9a6a8b09p-1, 0x1.7f036c0107294p-4},
    {0x1.f39bc242e43e6p-1, 0x1.6c7e64e7281cbp-4}, {0x1.f44d870704911p-1, 0x1.5ab342383d178p-4},
    {0x1.f4f693b67bd77p-1, 0x1.499d478bca735p-4}, {0x1.f59741b4b97cfp-1, 0x1.3937b1b31925ap-4},
    {0x1.f62fe80272419p-1, 0x1.297db960e4f63p-4}, {0x1.f6c0db3c34641p-1, 0x1.1a6a95b1e786fp-4},
    {0x1.f74a6d9a38383p-1, 0x1.0bf97e95f2a64p-4}, {0x1.f7cceef15d631p-1, 0x1.fc4b5e32d6259p-5},
    {0x1.f848acb544e95p-1, 0x1.e1d4cf1e2450ap-5}, {0x1.f8bdf1fb78370p-1, 0x1.c885df3451a07p-5},
    {0x1.f92d077f8d56dp-1, 0x1.b055303221015p-5}, {0x1.f99633a838a57p-1, 0x1.993979e14fffep-5},
    {0x1.f9f9ba8d3c733p-1, 0x1.83298d717210ep-5}, {0x1.fa57ddfe27376p-1, 0x1.6e1c5893c380bp-5},
    {0x1.fab0dd89d1309p-1, 0x1.5a08e85af27e0p-5}, {0x1.fb04f6868a944p-1, 0x1.46e66be002240p-5},
    {0x1.fb54641aebbc9p-1, 0x1.34ac36ad8dafep-5}, {0x1.fb9f5f4739170p-1, 0x1.2351c2f2d1449p-5},
    {0x1.fbe61eef4cf6ap-1, 0x1.12ceb37ff9bc3p-5}, {0x1.fc28d7e4f9cd0p-1, 0x1.031ad58d56279p-5},
    {0x1.fc67bcf2d7b8fp-1, 0x1.e85c449e377f3p-6}, {0x1.fca2fee770c79p-1, 0x1.cc0180af00a8bp-6},
    {0x1.fcdacca0bfb73p-1, 0x1.b1160991ff737p-6}, {0x1.fd0f5317f582fp-1, 0x1.978ae8b55ce1bp-6},
    {0x1.fd40bd6d7a785p-1, 0x1.7f5188610ddc8p-6}, {0x1.fd6f34f52013ap-1, 0x1.685bb5134ef13p-6},
    {0x1.fd9ae142795e3p-1, 0x1.529b9e8cf9a1ep-6}, {0x1.fdc3e835500b3p-1, 0x1.3e03d891b37dep-6},
    {0x1.fdea6e062d0c9p-1, 0x1.2a875b5ffab56p-6}, {0x1.fe0e9552ebdd6p-1, 0x1.181983e5133ddp-6},
    {0x1.fe307f2b503d0p-1, 0x1.06ae13b0d3255p-6}, {0x1.fe504b1d9696cp-1, 0x1.ec72615a894c4p-7},
    {0x1.fe6e1742f7cf6p-1, 0x1.cd5ec93c12432p-7}, {0x1.fe8a004c19ae6p-1, 0x1.b00b38d6b3575p-7},
    {0x1.fea4218d6594ap-1, 0x1.94624e78e0fafp-7}, {0x1.febc950b3fa75p-1, 0x1.7a4f6aca256cbp-7},
    {0x1.fed37386190fbp-1, 0x1.61beae53b72b7p-7}, {0x1.fee8d486585eep-1, 0x1.4a9cf6bda3f4cp-7},
    {0x1.fefcce6813974p-1, 0x1.34d7dbc76d7e5p-7}, {0x1.ff0f766697c76p-1, 0x1.205dac02bd6b9p-7},
    {0x1.ff20e0a7ba8c2p-1, 0x1.0d1d69569b82dp-7}, {0x1.ff312046f2339p-1, 0x1.f60d8aa2a88f2p-8},
    {0x1.ff404760319b4p-1, 0x1.d4143a9dfe965p-8}, {0x1.ff4e671a85425p-1, 0x1.b430ecf4a83a8p-8},
    {0x1.ff5b8fb26f5f6p-1, 0x1.9646f35a76624p-8}, {0x1.ff67d08401202p-1, 0x1.7a3ade6c8b3e5p-8},
    {0x1.ff733814af88cp-1, 0x1.5ff2750fe7820p-8}, {0x1.ff7dd41ce2b4dp-1, 0x1.4754abacdf1dcp-8},
    {0x1.ff87b1913e853p-1, 0x1.30499b503957fp-8}, {0x1.ff90dcaba4096p-1, 0x1.1aba78ba3af89p-8},
    {0x1.ff9960f3eb327p-1, 0x1.06918b6355624p-8}, {0x1.ffa14948549a7p-1, 0x1.e77448fb66bb9p-9},
    {0x1.ffa89fe5b3625p-1, 0x1.c4412bf4b8f0bp-9}, {0x1.ffaf6e6f4f5c0p-1, 0x1.a3645330550ffp-9},
    {0x1.ffb5bdf67fe6fp-1, 0x1.84ba3004a50d0p-9}, {0x1.ffbb970200110p-1, 0x1.6821000795a03p-9},
    {0x1.ffc10194fcb64p-1, 0x1.4d78bba8ca5fdp-9}, {0x1.ffc60535dd7f5p-1, 0x1.34a305080681fp-9},
    {0x1.ffcaa8f4c9beap-1, 0x1.1d83170fbf6fbp-9}, {0x1.ffcef371ea4d7p-1, 0x1.07fdb4dafea5fp-9},
    {0x1.ffd2eae369a07p-1, 0x1.e7f232d9e2630p-10}, {0x1.ffd6951b33686p-1, 0x1.c2b9cf7f893bfp-10},
    {0x1.ffd9f78c7524ap-1, 0x1.a024365f771bdp-10}, {0x1.ffdd1750e1220p-1, 0x1.8005f08d6f1efp-10},
    {0x1.ffdff92db56e5p-1, 0x1.6235fbd7a4345p-10}, {0x1.ffe2a1988857cp-1, 0x1.468dadf4080abp-10},
    {0x1.ffe514bbdc197p-1, 0x1.2ce898809244ep-10}, {0x1.ffe7567b7b5e1p-1, 0x1.15246dda49d47p-10},
    {0x1.ffe96a78a04a9p-1, 0x1.fe41cd9bb4eeep-11}, {0x1.ffeb5415e7c44p-1, 0x1.d57f524723822p-11},
    {0x1.ffed167b12ac2p-1, 0x1.afc85e0f82e12p-11}, {0x1.ffeeb49896c6dp-1, 0x1.8ce75e9f6f8a0p-11},
    {0x1.fff0312b010b5p-1, 0x1.6caa0d3582fe9p-11}, {0x1.fff18ebe2b0e1p-1, 0x1.4ee1429bf7cc0p-11},
    {0x1.fff2cfb0453d9p-1, 0x1.3360ccd23db3ap-11}, {0x1.fff3f634b79f9p-1, 0x1.19ff4663ae9dfp-11},
    {0x1.fff50456dab8cp-1, 0x1.0295ef6591848p-11}, {0x1.fff5fbfc8a439p-1, 0x1.da01102b5f851p-12},
    {0x1.fff6dee89352ep-1, 0x1.b23a5a23e4210p-12}, {0x1.fff7aebcff755p-1, 0x1.8d986a4187285p-12},
    {0x1.fff86cfd3e657p-1, 0x1.6be02102b3520p-12}, {0x1.fff91b102fca8p-1, 0x1.4cda5374ea275p-12},
    {0x1.fff9ba420e834p-1, 0x1.30538fbb77ecdp-12}, {0x1.fffa4bc63ee9ap-1, 0x1.161be46ad3b50p-12},
    {0x1.fffad0b901755p-1, 0x1.fc0d55470cf51p-13}, {0x1.fffb4a210b172p-1, 0x1.cfd4a5adec5c0p-13},
    {0x1.fffbb8f1049c6p-1, 0x1.a740684026555p-13}, {0x1.fffc1e08f25f5p-1, 0x1.8208bc334a6a5p-13},
    {0x1.fffc7a37857d2p-1, 0x1.5feada379d8b7p-13}, {0x1.fffcce3b57bffp-1, 0x1.40a8c1949f75ep-13},
    {0x1.fffd1ac4135f9p-1, 0x1.2408e9ba3327fp-13}, {0x1.fffd607387b07p-1, 0x1.09d5f819c9e29p-13},
    {0x1.fffd9fdeabccep-1, 0x1.e3bcf436a1a95p-14}, {0x1.fffdd98e903b2p-1, 0x1.b7e94604479dcp-14},
    {0x1.fffe0e0140857p-1, 0x1.8fdc1b2dcf7b9p-14}, {0x1.fffe3daa95b18p-1, 0x1.6b4702d7d5849p-14},
    {0x1.fffe68f4fa777p-1, 0x1.49e17724f4d41p-14}, {0x1.fffe904222101p-1, 0x1.2b6875310f785p-14},
    {0x1.fffeb3ebb267bp-1, 0x1.0f9e1b4dd36dfp-14}, {0x1.fffed443e2787p-1, 0x1.ec929a665b449p-15},
    {0x1.fffef1960d85dp-1, 0x1.be6abbb10a5aap-15}, {0x1.ffff0c273bea2p-1, 0x1.94637d5bacfdbp-15},
    {0x1.ffff2436a21dcp-1, 0x1.6e2367dc27f95p-15}, {0x1.ffff39fe16963p-1, 0x1.4b581b8d170fcp-15},
    {0x1.ffff4db27f146p-1, 0x1.2bb5cc22e5db6p-15}, {0x1.ffff5f8435efcp-1, 0x1.0ef6c4c84a0fep-15},
    {0x1.ffff6f9f67e55p-1, 0x1.e9b5e8d00ce77p-16}, {0x1.ffff7e2c6aea2p-1, 0x1.ba4f035d60e03p-16},
    {0x1.ffff8b500e77cp-1, 0x1.8f4ccca7fc90dp-16}, {0x1.ffff972be5c59p-1, 0x1.684c227fcacefp-16},
    {0x1.ffffa1de8c582p-1, 0x1.44f21e49054f2p-16}, {0x1.ffffab83e54b8p-1, 0x1.24eb7254ccf83p-16},
    {0x1.ffffb43555b5fp-1, 0x1.07ebd2a2d2844p-16}, {0x1.ffffbc09fa7cdp-1, 0x1.db5ad0b27805cp-17},
    {0x1.ffffc316d9ed0p-1, 0x1.abe09e9144b5ep-17}, {0x1.ffffc96f1165ep-1, 0x1.80f439b4ee04bp-17},
    {0x1.ffffcf23ff5fcp-1, 0x1.5a2adfa0b4bc4p-17}, {0x1.ffffd4456a10dp-1, 0x1.37231085c7d9ap-17},
    {0x1.ffffd8e1a2f22p-1, 0x1.1783ceac28910p-17}, {0x1.ffffdd05a75eap-1, 0x1.f5f7d88472604p-18},
    {0x1.ffffe0bd3e852p-1, 0x1.c282cd3957edap-18}, {0x1.ffffe41314e06p-1, 0x1.94219bfcb4928p-18},
    {0x1.ffffe710d565ep-1, 0x1.6a597219a93dap-18}, {0x1.ffffe9bf4098cp-1, 0x1.44ba864670882p-18},
    {0x1.ffffec2641a9ep-1, 0x1.22df298214423p-18}, {0x1.ffffee4d01cd6p-1, 0x1.046aeabcfcdecp-18},
    {0x1.fffff039f9e8fp-1, 0x1.d21397ead99cbp-19}, {0x1.fffff1f302bc1p-1, 0x1.a0df0f0c626dcp-19},
    {0x1.fffff37d63a36p-1, 0x1.74adc8f4064d3p-19}, {0x1.fffff4dde0118p-1, 0x1.4d0231928c6f9p-19},
    {0x1.fffff618c3da6p-1, 0x1.296a70f414053p-19}, {0x1.fffff731ee681p-1, 0x1.097f6156f32c5p-19},
    {0x1.fffff82cdcf1bp-1, 0x1.d9c73698fb1dcp-20}, {0x1.fffff90cb3c81p-1, 0x1.a6852c6b58392p-20},
    {0x1.fffff9d446cccp-1, 0x1.789fb715aae95p-20}, {0x1.fffffa8621251p-1, 0x1.4f8c96f26a26ap-20},
    {0x1.fffffb248c39dp-1, 0x1.2acee2f5ecdb8p-20}, {0x1.fffffbb196132p-1, 0x1.09f5cf4dd2877p-20},
    {0x1.fffffc2f171e3p-1, 0x1.d9371e2ff7c35p-21}, {0x1.fffffc9eb76acp-1, 0x1.a4c89e08ef4f3p-21},
    {0x1.fffffd01f36afp-1, 0x1.75fa8dbc84becp-21}, {0x1.fffffd5a2041fp-1, 0x1.4c37c0394d094p-21},
    {0x1.fffffda86faa9p-1, 0x1.26f9df8519bd7p-21}, {0x1.fffffdedf37edp-1, 0x1.05c803e4831c1p-21},
    {0x1.fffffe2ba0ea5p-1, 0x1.d06ad6ecdf971p-22}, {0x1.fffffe62534d4p-1, 0x1.9bc09f112b494p-22},
    {0x1.fffffe92ced93p-1, 0x1.6ce1aa3fd7bddp-22}, {0x1.fffffebdc2ec6p-1, 0x1.43302cc4a0da8p-22},
    {0x1.fffffee3cc32cp-1, 0x1.1e1e857adc568p-22}, {0x1.ffffff0576917p-1, 0x1.fa5b4f49cc6b2p-23},
    {0x1.ffffff233ee1dp-1, 0x1.bfd7555a3bd68p-23}, {0x1.ffffff3d9480fp-1, 0x1.8be4f8f6c951fp-23},
    {0x1.ffffff54dab72p-1, 0x1.5dcd669f2cd34p-23}, {0x1.ffffff6969fb8p-1, 0x1.34ecf8a3c124ap-23},
    {0x1.ffffff7b91176p-1, 0x1.10b1488aeb235p-23}, {0x1.ffffff8b962bep-1, 0x1.e12ee004efc37p-24},
    {0x1.ffffff99b79d2p-1, 0x1.a854ea14102a8p-24}, {0x1.ffffffa62ce54p-1, 0x1.7603bac345f65p-24},
    {0x1.ffffffb127525p-1, 0x1.4980cb3c80949p-24}, {0x1.ffffffbad2affp-1, 0x1.2225b12bffc68p-24},
    {0x1.ffffffc355dfdp-1, 0x1.febc107d5efaap-25}, {0x1.ffffffcad3626p-1, 0x1.c14b2188bcee4p-25},
    {0x1.ffffffd169d0cp-1, 0x1.8b0cfce0579e0p-25}, {0x1.ffffffd7344aap-1, 0x1.5b2fe547a1340p-25},
    {0x1.ffffffdc4ad7ap-1, 0x1.30f93c3699078p-25}, {0x1.ffffffe0c2bf0p-1, 0x1.0bc30c5d52f15p-25},
    {0x1.ffffffe4aed5ep-1, 0x1.d5f3a8dea7357p-26}, {0x1.ffffffe81fc4ep-1, 0x1.9c3517e789488p-26},
    {0x1.ffffffeb24467p-1, 0x1.6961b8d641d06p-26}, {0x1.ffffffedc95e7p-1, 0x1.3cab1343d18d1p-26},
    {0x1.fffffff01a8b6p-1, 0x1.155a09065d4f7p-26}, {0x1.fffffff221f30p-1, 0x1.e59890b926c78p-27},
    {0x1.fffffff3e8892p-1, 0x1.a8e405e651ab6p-27}, {0x1.fffffff57632dp-1, 0x1.7397c5a66e307p-27},
    {0x1.fffffff6d1e56p-1, 0x1.44d26de513197p-27}, {0x1.fffffff801c1fp-1, 0x1.1bcca373b7b43p-27},
    {0x1.fffffff90b2e3p-1, 0x1.efac5187b2863p-28}, {0x1.fffffff9f2e9fp-1, 0x1.b0a68a2128babp-28},
    {0x1.fffffffabd229p-1, 0x1.7974e743dea3dp-28}, {0x1.fffffffb6d844p-1, 0x1.4924a74dec729p-28},
    {0x1.fffffffc0748fp-1, 0x1.1edfa3c5f5ccap-28}, {0x1.fffffffc8d462p-1, 0x1.f3d2185e047d9p-29},
    {0x1.fffffffd01f89p-1, 0x1.b334fac4b9f99p-29}, {0x1.fffffffd678edp-1, 0x1.7ac2d72fc2c63p-29},
    {0x1.fffffffdbff2ap-1, 0x1.4979ac8b28927p-29}, {0x1.fffffffe0cd16p-1, 0x1.1e767bce37dd7p-29},
    {0x1.fffffffe4fa30p-1, 0x1.f1e3523b41d7dp-30}, {0x1.fffffffe89b0cp-1, 0x1.b0778b7b3301bp-30},
    {0x1.fffffffebc1a9p-1, 0x1.77756ec9f78fap-30}, {0x1.fffffffee7dc8p-1, 0x1.45ce65699ff6dp-30},
    {0x1.ffffffff0dd2bp-1, 0x1.1a94ff571654fp-30}, {0x1.ffffffff2ebdap-1, 0x1.e9f1ff8ddd774p-31},
    {0x1.ffffffff4b453p-1, 0x1.a887bd2b4404dp-31}, {0x1.ffffffff63fc3p-1, 0x1.6fab63324088ap-31},
    {0x1.ffffffff79626p-1, 0x1.3e44e45301b92p-31}, {0x1.ffffffff8be77p-1, 0x1.135f28f2d50b4p-31},
    {0x1.ffffffff9bec8p-1, 0x1.dc479de0ef001p-32}, {0x1.ffffffffa9c63p-1, 0x1.9baed3ed27ab8p-32},
    {0x1.ffffffffb5be5p-1, 0x1.63ac6b4edc88ep-32}, {0x1.ffffffffc014ep-1, 0x1.332259185f1a0p-32},
    {0x1.ffffffffc901cp-1, 0x1.0916f04b6e18bp-32}, {0x1.ffffffffd0b56p-1, 0x1.c960bf23153e0p-33},
    {0x1.ffffffffd759dp-1, 0x1.8a61745ec7d1dp-33}, {0x1.ffffffffdd13cp-1, 0x1.53e4f7d1666cbp-33},
    {0x1.ffffffffe202dp-1, 0x1.24caf2c32af14p-33}, {0x1.ffffffffe642ap-1, 0x1.f830c0bb41fd7p-34},
    {0x1.ffffffffe9eb0p-1, 0x1.b1e5acf351d87p-34}, {0x1.ffffffffed10ap-1, 0x1.7538c60a04476p-34},
    {0x1.ffffffffefc57p-1, 0x1.40dfd87456f4cp-34}, {0x1.fffffffff218fp-1, 0x1.13bc07e891491p-34},
    {0x1.fffffffff4188p-1, 0x1.d9a880f306bd8p-35}, {0x1.fffffffff5cfdp-1, 0x1.96a0b33f2c4dap-35},
    {0x1.fffffffff748ep-1, 0x1.5ce9ab1670dd2p-35}, {0x1.fffffffff88c5p-1, 0x1.2b3e53538ff3fp-35},
    {0x1.fffffffff9a1bp-1, 0x1.0084ff125639dp-35}, {0x1.fffffffffa8f6p-1, 0x1.b7937d1c40c53p-36},
    {0x1.fffffffffb5b0p-1, 0x1.7872d9fa10aadp-36}, {0x1.fffffffffc095p-1, 0x1.423ac0df49a40p-36},
    {0x1.fffffffffc9e8p-1, 0x1.13af4f04f9998p-36}, {0x1.fffffffffd1e1p-1, 0x1.d77f0c82e7641p-37},
    {0x1.fffffffffd8b3p-1, 0x1.92ff33023d5bdp-37}, {0x1.fffffffffde86p-1, 0x1.5847eda620959p-37},
    {0x1.fffffffffe380p-1, 0x1.25f9ee0b923dcp-37}, {0x1.fffffffffe7c0p-1, 0x1.f5cc7718082b0p-38},
    {0x1.fffffffffeb60p-1, 0x1.ac0f5f3229372p-38}, {0x1.fffffffffee77p-1, 0x1.6cfa9bcca59dcp-38},
    {0x1.ffffffffff11ap-1, 0x1.370ab8327af5ep-38}, {0x1.ffffffffff359p-1, 0x1.08f24085d4597p-38},
    {0x1.ffffffffff542p-1, 0x1.c324c20e337dcp-39}, {0x1.ffffffffff6e3p-1, 0x1.7fe903cdf5855p-39},
    {0x1.ffffffffff845p-1, 0x1.46897d4b69fc6p-39}, {0x1.ffffffffff973p-1, 0x1.159a386b11517p-39},
    {0x1.ffffffffffa73p-1, 0x1.d7c593130dd0bp-40}, {0x1.ffffffffffb4cp-1, 0x1.90ae4d3405651p-40},
    {0x1.ffffffffffc05p-1, 0x1.5422ef5d8949dp-40}, {0x1.ffffffffffca2p-1, 0x1.20997f73e73ddp-40},
    {0x1.ffffffffffd27p-1, 0x1.e9810295890ecp-41}, {0x1.ffffffffffd98p-1, 0x1.9eee068fa7596p-41},
    {0x1.ffffffffffdf8p-1, 0x1.5f8b87a31bd85p-41}, {0x1.ffffffffffe49p-1, 0x1.29b2933ef4cbcp-41},
    {0x1.ffffffffffe8dp-1, 0x1.f7f338086a86bp-42}, {0x1.ffffffffffec7p-1, 0x1.aa577251ae485p-42},
    {0x1.ffffffffffef8p-1, 0x1.68823e52970bep-42}, {0x1.fffffffffff22p-1, 0x1.30b14dbe876bcp-42},
    {0x1.fffffffffff45p-1, 0x1.01647ba798745p-42}, {0x1.fffffffffff62p-1, 0x1.b2a87e86d0c8ap-43},
    {0x1.fffffffffff7bp-1, 0x1.6ed2f2515e933p-43}, {0x1.fffffffffff90p-1, 0x1.356cd5ce7799ep-43},
    {0x1.fffffffffffa2p-1, 0x1.04e15ecc7f3f6p-43}, {0x1.fffffffffffb1p-1, 0x1.b7b040832f310p-44},
    {0x1.fffffffffffbep-1, 0x1.7258610b3b233p-44}, {0x1.fffffffffffc8p-1, 0x1.37c92babdc2fdp-44},
    {0x1.fffffffffffd1p-1, 0x1.065b9616170d4p-44}, {0x1.fffffffffffd9p-1, 0x1.b950d32467392p-45},
    {0x1.fffffffffffdfp-1, 0x1.72fd93e036cdcp-45}, {0x1.fffffffffffe4p-1, 0x1.37b83c521fe96p-45},
    {0x1.fffffffffffe9p-1, 0x1.05ca50205d26ap-45}, {0x1.fffffffffffedp-1, 0x1.b7807e294781fp-46},
    {0x1.ffffffffffff0p-1, 0x1.70beaf9c7ffb6p-46}, {0x1.ffffffffffff3p-1, 0x1.353a6cf7f7fffp-46},
    {0x1.ffffffffffff5p-1, 0x1.0330f0fd69921p-46}, {0x1.ffffffffffff7p-1, 0x1.b24a16b4d09aap-47},
    {0x1.ffffffffffff8p-1, 0x1.6ba91ac734786p-47}, {0x1.ffffffffffff9p-1, 0x1.305e9721d0981p-47},
    {0x1.ffffffffffffbp-1, 0x1.fd3de10d62855p-48}, {0x1.ffffffffffffbp-1, 0x1.a9cc93c25aca9p-48},
    {0x1.ffffffffffffcp-1, 0x1.63daf8b4b1e0cp-48}, {0x1.ffffffffffffdp-1, 0x1.294175802d99ap-48},
    {0x1.ffffffffffffdp-1, 0x1.f05e82aae2bb9p-49}, {0x1.ffffffffffffep-1, 0x1.9e39dc5dd2f7cp-49},
    {0x1.ffffffffffffep-1, 0x1.5982008db1304p-49}, {0x1.ffffffffffffep-1, 0x1.200c898d9ee3ep-49},
    {0x1.fffffffffffffp-1, 0x1.e00e9148a1d25p-50}, {0x1.fffffffffffffp-1, 0x1.8fd4e01891bf8p-50},
    {0x1.fffffffffffffp-1, 0x1.4cd9c04158cd7p-50}, {0x1.fffffffffffffp-1, 0x1.14f4890ff2461p-50},
    {0x1.fffffffffffffp-1, 0x1.ccaaea71ab0dfp-51}, {0x1.0000000000000p+0, 0x1.7eef13b59e96cp-51},
    {0x1.0000000000000p+0, 0x1.3e296303b2297p-51}, {0x1.0000000000000p+0, 0x1.083768c5e4542p-51},
    {0x1.0000000000000p+0, 0x1.b69f10b0191b5p-52}, {0x1.0000000000000p+0, 0x1.6be573c40c8e7p-52},
    {0x1.0000000000000p+0, 0x1.2dc119095729fp-52},
};
static const float ERF_LO[385] = {
    0x0.0p+0f, 0x0.0p+0f, 0x0.0p+0f, -0x1.8a402c0000000p-60f,
    0x1.4c35c40000000p-58f, 0x1.41788e0000000p-58f, -0x1.f00e820000000p-61f, 0x1.dbe83e0000000p-59f,
    0x1.d0b6d60000000p-57f, -0x1.86fe600000000p-59f, -0x1.ef80fe0000000p-59f, 0x1.1ca1f80000000p-57f,
    0x1.48d4860000000p-57f, -0x1.bedc100000000p-59f, -0x1.e521a00000000p-57f, -0x1.5307400000000p-56f,
    -0x1.bee9220000000p-56f, -0x1.8efaa20000000p-60f, 0x1.38e8460000000p-58f, 0x1.7de8a60000000p-59f,
    -0x1.a72e520000000p-59f, -0x1.7db7ae0000000p-57f, -0x1.95fdc40000000p-57f, 0x1.365c020000000p-59f,
    -0x1.1671c00000000p-56f, -0x1.be29b00000000p-56f, -0x1.47292a0000000p-56f, -0x1.6b16ee0000000p-56f,
    -0x1.7ff0a40000000p-56f, 0x1.d9e2ba0000000p-57f, 0x1.99988c0000000p-56f, 0x1.1939440000000p-55f,
    0x1.5e80a00000000p-56f, -0x1.91f8f40000000p-56f, 0x1.8f68260000000p-55f, -0x1.2a28c00000000p-57f,
    0x1.9534a40000000p-55f, -0x1.ce9e980000000p-57f, -0x1.9626360000000p-57f, 0x1.7a10ce0000000p-56f,
    -0x1.f25f500000000p-56f, -0x1.5a1ce00000000p-55f, 0x1.e941d80000000p-57f, -0x1.1a33760000000p-55f,
    0x1.8eef700000000p-56f, -0x1.48c27a0000000p-59f, 0x1.98fdde0000000p-55f, -0x1.4dc0660000000p-55f,
    0x1.b143300000000p-55f, 0x1.a197c20000000p-55f, 0x1.118a1c0000000p-55f, -0x1.31713a0000000p-55f,
    0x1.66cf140000000p-56f, -0x1.a863080000000p-58f, 0x1.6f57a20000000p-55f, -0x1.9011b60000000p-56f,
    -0x1.27912e0000000p-55f, 0x1.5dcf400000000p-55f, -0x1.c887160000000p-55f, -0x1.a5c2a80000000p-56f,
    0x1.a558a40000000p-57f, 0x1.4cd4280000000p-56f, -0x1.e274060000000p-55f, 0x1.9bb8da0000000p-57f,
    -0x1.c97f780000000p-56f, -0x1.236af40000000p-55f, 0x1.bc3da00000000p-56f, 0x1.ff27660000000p-55f,
    -0x1.322c120000000p-55f, 0x1.6a183e0000000p-60f, -0x1.6776b60000000p-57f, 0x1.3a868e0000000p-55f,
    -0x1.ab76d40000000p-57f, -0x1.c218ea0000000p-55f, 0x1.1a504a0000000p-55f, 0x1.18d61c0000000p-55f,
    0x1.4fca640000000p-55f, -0x1.67986e0000000p-55f, -0x1.5670500000000p-56f, 0x1.ce8e720000000p-57f,
    -0x1.fcec4a0000000p-55f, 0x1.d6be160000000p-55f, 0x1.ab00e20000000p-55f, 0x1.d44db40000000p-55f,
    -0x1.f71e820000000p-55f, 0x1.12c0360000000p-55f, 0x1.bcc9f00000000p-55f, 0x1.27fbb20000000p-59f,
    0x1.8b62680000000p-57f, 0x1.fd56520000000p-56f, 0x1.3c65ee0000000p-55f, 0x1.fdefd80000000p-55f,
    0x1.2c5bd80000000p-55f, -0x1.d683f40000000p-56f, 0x1.f3df160000000p-57f, -0x1.8e05e60000000p-55f,
    -0x1.385e440000000p-55f, 0x1.835a8c0000000p-55f, 0x1.9c35520000000p-55f, -0x1.59c8240000000p-55f,
    -0x1.7efe420000000p-58f, 0x1.4ef7de0000000p-56f, -0x1.dbade20000000p-55f, -0x1.32b6320000000p-55f,
    -0x1.3a1ee20000000p-56f, -0x1.6d774a0000000p-55f, -0x1.b7c25e0000000p-55f, 0x1.a581880000000p-55f,
    0x1.c33a320000000p-55f, 0x1.0449960000000p-55f, -0x1.b27a620000000p-55f, -0x1.8370b80000000p-55f,
    0x1.8b55f00000000p-56f, -0x1.4ba6bc0000000p-55f, 0x1.cd57620000000p-55f, 0x1.e636760000000p-55f,
    -0x1.ae61be0000000p-55f, -0x1.1ae77c0000000p-55f, -0x1.79972c0000000p-55f, 0x1.8318480000000p-55f,
    0x1.15ded80000000p-55f, -0x1.8608aa0000000p-55f, -0x1.0d27340000000p-55f, 0x1.ecfc680000000p-57f,
    -0x1.2c33d80000000p-55f, -0x1.c8821e0000000p-55f, 0x1.60d4280000000p-55f, -0x1.4fcb2e0000000p-55f,
    0x1.9728020000000p-56f, 0x1.973a360000000p-57f, -0x1.64c6b60000000p-56f, -0x1.5572f60000000p-55f,
    -0x1.8a55500000000p-57f, 0x1.0b21e00000000p-56f, -0x1.cebcf40000000p-55f, 0x1.7fbc7e0000000p-55f,
    -0x1.e3333e0000000p-58f, 0x1.a558a60000000p-56f, 0x1.72b1680000000p-55f, 0x1.fbded60000000p-55f,
    -0x1.b27cf60000000p-58f, -0x1.8a47b20000000p-55f, -0x1.03f8b20000000p-57f, 0x1.8350a60000000p-60f,
    0x1.f142080000000p-56f, 0x1.2bdbba0000000p-57f, -0x1.7e918e0000000p-55f, 0x1.ad3a5e0000000p-56f,
    0x1.0a87240000000p-56f, -0x1.2045360000000p-55f, -0x1.3ca99c0000000p-56f, -0x1.7333640000000p-56f,
    -0x1.08b1ca0000000p-56f, 0x1.12e9be0000000p-55f, 0x1.934b200000000p-55f, 0x1.16e1b60000000p-56f,
    0x1.4e83040000000p-62f, 0x1.5cfd6e0000000p-59f, 0x1.ea147a0000000p-55f, -0x1.9641a20000000p-55f,
    0x1.b0cee20000000p-55f, 0x1.58d3ca0000000p-56f, -0x1.83b0b40000000p-57f, -0x1.6df2320000000p-55f,
    0x1.04ed700000000p-55f, 0x1.51aaf60000000p-55f, -0x1.8aeef00000000p-56f, 0x1.ead0b20000000p-56f,
    -0x1.cd96340000000p-58f, 0x1.cb29b00000000p-55f, -0x1.2816fc0000000p-55f, -0x1.1c162a0000000p-55f,
    -0x1.ddc0ce0000000p-55f, 0x1.cc59480000000p-55f, 0x1.155dec0000000p-55f, -0x1.9834160000000p-57f,
    0x1.9a91360000000p-55f, 0x1.cf2d340000000p-55f, -0x1.a197ac0000000p-58f, -0x1.a9a6160000000p-57f,
    0x1.b96c0c0000000p-55f, 0x1.2c79360000000p-55f, -0x1.2e06b00000000p-56f, 0x1.334d300000000p-55f,
    0x1.1379ec0000000p-56f, -0x1.195a900000000p-56f, 0x1.70d5c60000000p-57f, -0x1.5de9ac0000000p-58f,
    0x1.d2c6260000000p-56f, 0x1.8bac400000000p-56f, -0x1.97b3120000000p-56f, -0x1.2da4420000000p-56f,
    0x1.eeafa20000000p-55f, 0x1.ca44220000000p-57f, 0x1.0c43c40000000p-55f, -0x1.8ca3bc0000000p-55f,
    -0x1.6aa3700000000p-57f, 0x1.5bc3160000000p-55f, 0x1.2f21760000000p-60f, -0x1.8476480000000p-56f,
    0x1.e47f6a0000000p-57f, 0x1.6c73400000000p-56f, -0x1.f7cc780000000p-55f, -0x1.958a620000000p-55f,
    -0x1.3607960000000p-55f, 0x1.dcc9940000000p-55f, 0x1.ddecde0000000p-55f, -0x1.0f8e140000000p-55f,
    0x1.e1e4480000000p-55f, 0x1.1fce980000000p-57f, -0x1.1014e20000000p-56f, -0x1.139d100000000p-56f,
    0x1.8325400000000p-55f, -0x1.c986800000000p-56f, 0x1.c17f840000000p-55f, 0x1.6b5ff60000000p-55f,
    -0x1.8b32f40000000p-55f, 0x1.c6ea980000000p-58f, -0x1.b18a8c0000000p-55f, -0x1.06a8bc0000000p-56f,
    -0x1.c10ae00000000p-55f, -0x1.5fd7800000000p-55f, -0x1.d7ece40000000p-58f, 0x1.4986c40000000p-58f,
    0x1.c9ea520000000p-55f, -0x1.4c976a0000000p-55f, -0x1.e7ba500000000p-55f, 0x1.b8a91e0000000p-55f,
    -0x1.9d1bce0000000p-55f, 0x1.c805240000000p-58f, -0x1.753e320000000p-57f, 0x1.e79b240000000p-55f,
    -0x1.19309c0000000p-58f, 0x1.5e8f000000000p-55f, 0x1.046bbe0000000p-55f, 0x1.4f726a0000000p-58f,
    -0x1.bb06ba0000000p-57f, 0x1.6f6c860000000p-58f, 0x1.9b9a420000000p-55f, 0x1.ee2aa40000000p-61f,
    0x1.85edd00000000p-55f, -0x1.7833ee0000000p-55f, -0x1.d419160000000p-55f, 0x1.f32dfc0000000p-56f,
    -0x1.d230260000000p-56f, 0x1.c969560000000p-55f, -0x1.26cd7a0000000p-55f, -0x1.0cbbd00000000p-55f,
    -0x1.d2db2e0000000p-55f, -0x1.db9f080000000p-56f, 0x1.e429180000000p-56f, 0x1.4918920000000p-55f,
    0x1.db123e0000000p-55f, 0x1.4928da0000000p-55f, -0x1.a443e00000000p-55f, -0x1.3d7d720000000p-55f,
    0x1.0b28660000000p-56f, 0x1.a5738c0000000p-55f, -0x1.58ff1c0000000p-56f, 0x1.9f27ae0000000p-55f,
    0x1.504f380000000p-55f, -0x1.7a22d40000000p-58f, 0x1.88cb600000000p-57f, -0x1.aa7cc20000000p-55f,
    0x1.70a2c00000000p-55f, 0x1.aba7140000000p-59f, -0x1.d75de80000000p-55f, -0x1.9e22660000000p-56f,
    0x1.389c100000000p-59f, 0x1.9c94640000000p-56f, 0x1.bff89e0000000p-55f, -0x1.efc2e60000000p-55f,
    0x1.23370e0000000p-60f, -0x1.160a6a0000000p-57f, 0x1.befbf80000000p-58f, 0x1.933c0a0000000p-59f,
    -0x1.64d96a0000000p-55f, -0x1.0635440000000p-57f, -0x1.d82d940000000p-56f, -0x1.8c44380000000p-55f,
    -0x1.4dbe4a0000000p-57f, -0x1.c3be820000000p-55f, 0x1.6ef7aa0000000p-57f, 0x1.0c956e0000000p-55f,
    -0x1.35e8e40000000p-56f, -0x1.f4d65c0000000p-55f, 0x1.49438a0000000p-56f, -0x1.5aae920000000p-60f,
    0x1.d166bc0000000p-57f, -0x1.b3c67e0000000p-55f, 0x1.e0e5fa0000000p-56f, -0x1.7a5e920000000p-58f,
    0x1.0df73e0000000p-55f, -0x1.7058640000000p-55f, 0x1.59b2500000000p-55f, -0x1.6a286e0000000p-55f,
    0x1.5fbc520000000p-55f, 0x1.616bae0000000p-60f, -0x1.6755060000000p-56f, 0x1.6750780000000p-55f,
    -0x1.729d680000000p-56f, 0x1.2a586a0000000p-55f, 0x1.9c951c0000000p-57f, -0x1.e076280000000p-57f,
    0x1.f7bee80000000p-55f, 0x1.e164900000000p-58f, 0x1.a548420000000p-55f, 0x1.02d3f00000000p-57f,
    -0x1.ea527e0000000p-58f, 0x1.f9b89a0000000p-62f, -0x1.8225aa0000000p-57f, -0x1.a8bedc0000000p-56f,
    0x1.7a2cb40000000p-55f, 0x1.3e2f7c0000000p-55f, 0x1.ae15e40000000p-57f, 0x1.98f6f80000000p-55f,
    -0x1.6a87280000000p-57f, -0x1.3e4c360000000p-58f, -0x1.50fb1a0000000p-55f, -0x1.f4521a0000000p-57f,
    -0x1.a759f80000000p-56f, 0x1.c5dc660000000p-55f, -0x1.5182460000000p-57f, 0x1.d016780000000p-55f,
    0x1.7ce0720000000p-55f, -0x1.b5336a0000000p-57f, -0x1.4d3f540000000p-56f, 0x1.dd4e7a0000000p-56f,
    -0x1.3eafcc0000000p-56f, -0x1.80d8200000000p-55f, 0x1.b57ed60000000p-57f, -0x1.032fa40000000p-55f,
    0x1.b0edc60000000p-56f, -0x1.7936ae0000000p-55f, -0x1.6fead60000000p-56f, 0x1.d5c9700000000p-55f,
    0x1.07ba960000000p-55f, 0x1.863ea40000000p-57f, 0x1.19e1a80000000p-56f, -0x1.ed675c0000000p-58f,
    -0x1.dcf8b20000000p-55f, -0x1.f972f60000000p-55f, 0x1.e766e20000000p-58f, 0x1.1e84ea0000000p-57f,
    0x1.14be620000000p-56f, -0x1.8b1db60000000p-55f, -0x1.5948ee0000000p-55f, 0x1.0ddce80000000p-55f,
    0x1.00fa080000000p-55f, 0x1.55c2940000000p-55f, 0x1.d0750a0000000p-57f, 0x1.99f34e0000000p-57f,
    -0x1.182b320000000p-55f, 0x1.6f819e0000000p-55f, 0x1.3b6fc00000000p-55f, -0x1.4e7a2a0000000p-56f,
    0x1.5669e60000000p-56f, 0x1.f35c480000000p-55f, -0x1.5fe9120000000p-58f, -0x1.294f380000000p-55f,
    -0x1.20ef360000000p-56f, -0x1.ff720e0000000p-55f, -0x1.238f8e0000000p-55f, -0x1.b719520000000p-55f,
    0x1.0160f00000000p-56f, 0x1.b549b80000000p-55f, -0x1.efa4d60000000p-55f, 0x1.b4f28c0000000p-55f,
    0x1.8115fe0000000p-56f, -0x1.6826da0000000p-56f, 0x1.6be96a0000000p-55f, -0x1.9c050c0000000p-56f,
    0x1.59ab240000000p-56f, 0x1.e8c14e0000000p-55f, -0x1.0fecc60000000p-55f, -0x1.a4702e0000000p-58f,
    0x1.04393a0000000p-56f, 0x1.1a24380000000p-55f, 0x1.989c6c0000000p-55f, -0x1.fe3bd00000000p-55f,
    -0x1.a6d7d20000000p-55f, -0x1.5e40620000000p-55f, -0x1.21fb7a0000000p-55f, -0x1.dfefbe0000000p-56f,
    -0x1.8cf8160000000p-56f,
};

static inline v128_t v_erf(v128_t x) {
  const v128_t ax = wasm_f64x2_abs(x);
  /* r = |x| rounded to n/64 (n < 3: r = 0, where erf(r) would cancel with the series),
   * d = |x| - r exact (nan: r = 6) */
  const v128_t ac = wasm_f64x2_pmin(D2(6.0), ax);
  const v128_t kd = ADD(MUL(ac, D2(64.0)), D2(MAGIC));
  v128_t r = MUL(SUB(kd, D2(MAGIC)), D2(1.0 / 64));
  r = wasm_v128_andnot(r, wasm_f64x2_lt(r, D2(2.5 / 64)));
  const v128_t d = SUB(ac, r);
  const int n0 = wasm_i64x2_extract_lane(kd, 0) & 511, n1 = wasm_i64x2_extract_lane(kd, 1) & 511;
  const v128_t e0 = wasm_v128_load(ERF_T[n0]), e1 = wasm_v128_load(ERF_T[n1]);
  const v128_t lo = wasm_f64x2_promote_low_f32x4(
      wasm_v128_load32_lane(&ERF_LO[n1], wasm_v128_load32_zero(&ERF_LO[n0]), 1));
  /* erf(r + d) = erf(r) + erf'(r) d (1 + sum_k c_k d^k), c_k = (-1)^k H_k(r) / (k+1)!
   * (Hermite), each a short polynomial in r^2 (times r for odd k): independent, where a
   * recurrence would be one long chain; to d^9: truncation < 2^-62 relative (|d| <= 5/128 at
   * r = 0, else 1/128) */
  static const double CK[8][5] = {{-1.0},
                                  {-1.0 / 3, 2.0 / 3},
                                  {1.0 / 2, -1.0 / 3},
                                  {1.0 / 10, -2.0 / 5, 2.0 / 15},
                                  {-1.0 / 6, 2.0 / 9, -2.0 / 45},
                                  {-1.0 / 42, 1.0 / 7, -2.0 / 21, 4.0 / 315},
                                  {1.0 / 24, -1.0 / 12, 1.0 / 30, -1.0 / 315},
                                  {5.0 / 1080, -1.0 / 27, 1.0 / 27, -4.0 / 405, 1.0 / 1417.5}};
  const v128_t z = MUL(r, r);
  v128_t c[8];
#pragma clang loop unroll(full)
  for (int k = 0; k < 8; k++) {
    v128_t a[5];
    const int m = (k + 3) / 2;
    for (int i = 0; i < m; i++) a[i] = D2(CK[k][i]);
    c[k] = estrin(a, m, z);
    if (!(k & 1)) c[k] = MUL(c[k], r); /* odd degree (k + 1) */
  }
  const v128_t f = MUL(d, estrin(c, 8, d));
  const v128_t w = MUL(wasm_i64x2_shuffle(e0, e1, 1, 3), d);
  const v128_t y = ADD(wasm_i64x2_shuffle(e0, e1, 0, 2), ADD(w, ADD(lo, MUL(w, f))));
  return SEL(x, wasm_v128_or(y, wasm_v128_and(x, D2(-0.0))), wasm_f64x2_ne(x, x));
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
F64_UNARY(erf, v_erf, 1)
F64_UNARY(gelu, v_gelu, 1)
