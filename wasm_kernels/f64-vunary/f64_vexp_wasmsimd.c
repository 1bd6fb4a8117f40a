/* float64 exp family and log family: exp expm1 log log1p tanh sigmoid silu gelu_tanh, and
 * rsqrt (bounds and edge values: f64_vmath.h) */
#include "f64_vmath.h"

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
