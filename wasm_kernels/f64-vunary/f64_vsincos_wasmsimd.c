/* float64 sin, cos (f64_vmath.h) */
#include "f64_vmath.h"

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

F64_UNARY(sin, v_sin, 0)
F64_UNARY(cos, v_cos, 0)
