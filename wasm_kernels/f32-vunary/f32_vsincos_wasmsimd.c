/* sin and cos: max error 1 ulp for every finite f32 (measured <= 0.5 ulp + double rounding).
 *
 * Why double: reducing x mod pi/2 in f64 (a 25-bit + 53-bit split of pi/2, exact products
 * for |x| < 2^28 pi/2) and evaluating Taylor polynomials in f64 leaves only the final
 * demotion's rounding. Larger finite x (rare) take a scalar Payne-Hanek reduction with 2/pi
 * to 256 bits, so sin(3e38) is right like torch's. sin/cos(+-inf or nan) = nan.
 */
#include "wt_unary.h"

#define PIO2_1 0x1.921fb5p+0             /* pi/2 to 25 bits: n * PIO2_1 exact for n < 2^28 */
#define PIO2_1T 0x1.110b4611a6263p-26    /* pi/2 - PIO2_1 */
#define INV_PIO2 0x1.45f306dc9c883p-1
#define LARGE 0x1.921fb4p+28f             /* ~2^28 pi/2: above it, Payne-Hanek */

/* 2/pi = 0.A2F9836E 4E441529 ... (hex), 8 words */
static const uint32_t two_over_pi[8] = {0xA2F9836Eu, 0x4E441529u, 0xFC2757D1u, 0xF534DDC0u,
                                        0xDB629599u, 0x3C439041u, 0xFE5163ABu, 0xDEBBC561u};

/* bits [pos, pos + 64) of the 160-bit little-endian limb number p */
static uint64_t bits64(const uint32_t* p, int pos) {
  const int w = pos >> 5, off = pos & 31;
  const uint64_t lo = (uint64_t)p[w] | ((uint64_t)p[w + 1] << 32);
  if (off == 0) return lo;
  return (lo >> off) | ((uint64_t)p[w + 2] << (64 - off));
}

/* Payne-Hanek for finite |x| >= 2^28: returns quadrant (mod 4), *r = x - q pi/2. */
static int rem_pio2_large(float x, double* r) {
  union { float f; uint32_t u; } b = {x};
  const int e = (int)((b.u >> 23) & 0xff) - 150; /* |x| = m 2^e, e in [5, 104] */
  const uint64_t m = (b.u & 0x7fffff) | 0x800000;
  /* words before i0 only add multiples of 4 to x * 2/pi */
  const int i0 = (e - 2) >> 5;
  uint32_t p[6] = {0, 0, 0, 0, 0, 0};
  uint64_t carry = 0;
  for (int j = 0; j < 4; j++) {
    const uint64_t t = m * two_over_pi[i0 + 3 - j] + carry;
    p[j] = (uint32_t)t;
    carry = t >> 32;
  }
  p[4] = (uint32_t)carry;
  /* value = p * 2^-F, F fractional bits */
  const int F = 128 - (e - 32 * i0);
  int q = (int)(bits64(p, F) & 3);
  const int64_t frac = (int64_t)bits64(p, F - 64); /* negative: round q up */
  if (frac < 0) q += 1;
  double rr = (double)frac * 0x1p-64 * 1.57079632679489661923;
  if (b.u >> 31) {
    q = -q;
    rr = -rr;
  }
  *r = rr;
  return q & 3;
}

/* sin (want_cos = 0) or cos of r + q pi/2 for an f64x2 r, |r| <= pi/4, quadrants q in i32
 * lanes 0..1 */
static inline v128_t sincos_core(v128_t r, v128_t q, int want_cos) {
  const v128_t r2 = wasm_f64x2_mul(r, r);
  v128_t s = wasm_f64x2_splat(-1.0 / 39916800.0);
  s = wasm_f64x2_add(wasm_f64x2_mul(s, r2), wasm_f64x2_splat(1.0 / 362880.0));
  s = wasm_f64x2_add(wasm_f64x2_mul(s, r2), wasm_f64x2_splat(-1.0 / 5040.0));
  s = wasm_f64x2_add(wasm_f64x2_mul(s, r2), wasm_f64x2_splat(1.0 / 120.0));
  s = wasm_f64x2_add(wasm_f64x2_mul(s, r2), wasm_f64x2_splat(-1.0 / 6.0));
  s = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_mul(s, r2), r), r);
  v128_t c = wasm_f64x2_splat(1.0 / 479001600.0);
  c = wasm_f64x2_add(wasm_f64x2_mul(c, r2), wasm_f64x2_splat(-1.0 / 3628800.0));
  c = wasm_f64x2_add(wasm_f64x2_mul(c, r2), wasm_f64x2_splat(1.0 / 40320.0));
  c = wasm_f64x2_add(wasm_f64x2_mul(c, r2), wasm_f64x2_splat(-1.0 / 720.0));
  c = wasm_f64x2_add(wasm_f64x2_mul(c, r2), wasm_f64x2_splat(1.0 / 24.0));
  c = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_mul(c, r2), r2),
                     wasm_f64x2_sub(wasm_f64x2_splat(1.0), wasm_f64x2_mul(r2, wasm_f64x2_splat(0.5))));
  /* sin: s, c, -s, -c for q = 0..3; cos = sin shifted by one quadrant */
  if (want_cos) q = wasm_i32x4_add(q, wasm_i32x4_splat(1));
  const v128_t one = wasm_i32x4_splat(1), two = wasm_i32x4_splat(2);
  const v128_t swap = wasm_i64x2_extend_low_i32x4(wasm_i32x4_eq(wasm_v128_and(q, one), one));
  const v128_t flip = wasm_i64x2_extend_low_i32x4(wasm_i32x4_eq(wasm_v128_and(q, two), two));
  const v128_t y = wasm_v128_bitselect(c, s, swap);
  return wasm_v128_xor(y, wasm_v128_and(flip, wasm_f64x2_splat(-0.0)));
}

static inline v128_t sincos_f64x2(v128_t xd, int want_cos) {
  const v128_t n = wasm_f64x2_nearest(wasm_f64x2_mul(xd, wasm_f64x2_splat(INV_PIO2)));
  v128_t r = wasm_f64x2_sub(xd, wasm_f64x2_mul(n, wasm_f64x2_splat(PIO2_1)));
  r = wasm_f64x2_sub(r, wasm_f64x2_mul(n, wasm_f64x2_splat(PIO2_1T)));
  const v128_t q = wasm_i32x4_trunc_sat_f64x2_zero(n);
  return sincos_core(r, q, want_cos);
}

static inline v128_t v_sincos(v128_t x, int want_cos) {
  const v128_t lo = sincos_f64x2(wasm_f64x2_promote_low_f32x4(x), want_cos);
  const v128_t hi = sincos_f64x2(
      wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(x, x, 2, 3, 2, 3)), want_cos);
  v128_t y = wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo),
                                wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5);
  const v128_t ax = wasm_f32x4_abs(x);
  const v128_t large = wasm_v128_and(wasm_f32x4_ge(ax, wasm_f32x4_splat(LARGE)),
                                     wasm_f32x4_lt(ax, wasm_f32x4_splat(__builtin_inff())));
  if (wasm_v128_any_true(large)) {
    float xs[4], ys[4];
    int32_t ls[4];
    wasm_v128_store(xs, x);
    wasm_v128_store(ys, y);
    wasm_v128_store(ls, large);
    for (int i = 0; i < 4; i++) {
      if (!ls[i]) continue;
      double r;
      const int q = rem_pio2_large(xs[i], &r);
      const v128_t v = sincos_core(wasm_f64x2_splat(r), wasm_i32x4_splat(q), want_cos);
      ys[i] = (float)wasm_f64x2_extract_lane(v, 0);
    }
    y = wasm_v128_load(ys);
  }
  if (!want_cos) /* sin x == x below 2^-12 (keeps -0 and subnormals) */
    y = wasm_v128_bitselect(x, y, wasm_f32x4_lt(ax, wasm_f32x4_splat(0x1p-12f)));
  return y;
}

static inline v128_t v_sin(v128_t x) { return v_sincos(x, 0); }
static inline v128_t v_cos(v128_t x) { return v_sincos(x, 1); }

WT_UNARY_KERNEL(sin, v_sin)
WT_UNARY_KERNEL(cos, v_cos)
