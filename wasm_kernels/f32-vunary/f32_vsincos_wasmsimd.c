/* sin and cos: max error 1 ulp for every finite f32.
 *
 * |x| <= 4096 (every lane of a vector): float32 only. n = round(x 2/pi) < 2^12; pi/2 in four
 * parts, the first three 12-bit multiples of 2^-11, 2^-23, 2^-35, so x - n P1 - n P2 is exact
 * and r = x - n pi/2 is carried as rh + rl; sin / cos polynomials of rh on |r| <= pi/4 with
 * rl folded in (measured 0.91 ulp over every 13th float of [1e-3, 4096], 0.5 ulp at the
 * floats nearest to k pi/2).
 * Other vectors (some |x| > 4096, inf, nan) reduce x mod pi in f64 (a 25-bit + 53-bit split
 * of pi/2, exact products for |x| < 2^26 pi/2) and evaluate one odd Taylor polynomial in f64
 * (<= 0.5 ulp + double rounding); larger finite x take a scalar Payne-Hanek reduction with
 * 2/pi to 256 bits, so sin(3e38) is right like torch's. sin/cos(+-inf or nan) = nan.
 */
#include "wt_unary.h"
#include "wt_vmath.h"

#define PIO2_1 0x1.921fb5p+0             /* pi/2 to 25 bits: n * PIO2_1 exact for n < 2^28 */
#define PIO2_1T 0x1.110b4611a6263p-26    /* pi/2 - PIO2_1 */
#define INV_PIO2 0x1.45f306dc9c883p-1
#define LARGE 0x1.921fb4p+26f             /* ~2^26 pi/2: above it, Payne-Hanek (k < 2^28) */

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

/* sin(r) for f64x2 r, |r| <= pi/2: Taylor to r^13 (truncation 6.7e-10 relative, 0.01 f32
 * ulp), sign flipped where `flip` (a 64-bit lane mask) */
static inline v128_t sin_poly(v128_t r, v128_t flip) {
  const v128_t r2 = wasm_f64x2_mul(r, r);
  v128_t s = wasm_f64x2_splat(1.0 / 6227020800.0);
  s = wasm_f64x2_add(wasm_f64x2_mul(s, r2), wasm_f64x2_splat(-1.0 / 39916800.0));
  s = wasm_f64x2_add(wasm_f64x2_mul(s, r2), wasm_f64x2_splat(1.0 / 362880.0));
  s = wasm_f64x2_add(wasm_f64x2_mul(s, r2), wasm_f64x2_splat(-1.0 / 5040.0));
  s = wasm_f64x2_add(wasm_f64x2_mul(s, r2), wasm_f64x2_splat(1.0 / 120.0));
  s = wasm_f64x2_add(wasm_f64x2_mul(s, r2), wasm_f64x2_splat(-1.0 / 6.0));
  s = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_mul(s, r2), r), r);
  return wasm_v128_xor(s, wasm_v128_and(flip, wasm_f64x2_splat(-0.0)));
}

/* One reduction by pi (not pi/2), so one polynomial serves every lane:
 * sin x = (-1)^n sin(x - n pi), n = round(x / pi);
 * cos x = -(-1)^n sin(x - (n + 1/2) pi), n = round(x / pi - 1/2).
 * k pi/2 (k = 2n or 2n + 1 < 2^28) is exact in the two-part split. */
static inline v128_t sincos_f64x2(v128_t xd, int want_cos) {
  v128_t t = wasm_f64x2_mul(xd, wasm_f64x2_splat(INV_PIO2 * 0.5));
  if (want_cos) t = wasm_f64x2_sub(t, wasm_f64x2_splat(0.5));
  const v128_t n = wasm_f64x2_nearest(t);
  v128_t k = wasm_f64x2_add(n, n);
  if (want_cos) k = wasm_f64x2_add(k, wasm_f64x2_splat(1.0));
  v128_t r = wasm_f64x2_sub(xd, wasm_f64x2_mul(k, wasm_f64x2_splat(PIO2_1)));
  r = wasm_f64x2_sub(r, wasm_f64x2_mul(k, wasm_f64x2_splat(PIO2_1T)));
  const v128_t h = wasm_f64x2_mul(n, wasm_f64x2_splat(0.5));
  v128_t odd = wasm_f64x2_ne(h, wasm_f64x2_floor(h));
  if (want_cos) odd = wasm_v128_not(odd);
  return sin_poly(r, odd);
}

/* the quadrant form of Payne-Hanek's result: sin(r + q pi/2), |r| <= pi/4 */
static float sin_quadrant(double r, int q, int want_cos) {
  q = (q + want_cos) & 3;
  if (q & 1) r = 1.57079632679489661923 - (r < 0 ? -r : r); /* cos r = sin(pi/2 - |r|) */
  const v128_t y = sin_poly(wasm_f64x2_splat(r), wasm_i64x2_splat(q & 2 ? -1 : 0));
  return (float)wasm_f64x2_extract_lane(y, 0);
}

/* the rare lanes with |x| >= LARGE, out of line: the vector loop keeps no stack frame */
__attribute__((noinline)) static v128_t fix_large(v128_t x, v128_t y, v128_t large,
                                                  int want_cos) {
  float xs[4], ys[4];
  int32_t ls[4];
  wasm_v128_store(xs, x);
  wasm_v128_store(ys, y);
  wasm_v128_store(ls, large);
  for (int i = 0; i < 4; i++) {
    if (!ls[i]) continue;
    double r;
    const int q = rem_pio2_large(xs[i], &r);
    ys[i] = sin_quadrant(r, q, want_cos);
  }
  return wasm_v128_load(ys);
}

/* |x| <= 4096: see the top. The reduction uses plain mul/sub (exact products), WT_MADD only
 * in the polynomials (cephes' sinf/cosf coefficients on [-pi/4, pi/4]). */
static inline v128_t sincos_f32(v128_t x, int want_cos) {
  const v128_t t = wasm_f32x4_add(wasm_f32x4_mul(x, WT_K(0x1.45f306p-1f)), WT_K(0x1.8p23f));
  const v128_t n = wasm_f32x4_sub(t, WT_K(0x1.8p23f));
  const v128_t q = wasm_i32x4_add(t, wasm_i32x4_splat(want_cos));  /* quadrant in bits 0-1 */
  const v128_t a = wasm_f32x4_sub(wasm_f32x4_sub(x, wasm_f32x4_mul(n, WT_K(0x1.92p+0f))),
                                  wasm_f32x4_mul(n, WT_K(0x1.fb4p-12f)));
  const v128_t p3 = wasm_f32x4_mul(n, WT_K(0x1.444p-24f));
  const v128_t rh = wasm_f32x4_sub(a, p3);
  const v128_t rl = wasm_f32x4_sub(wasm_f32x4_sub(wasm_f32x4_sub(a, rh), p3),
                                   wasm_f32x4_mul(n, WT_K(0x1.68c234p-39f)));
  const v128_t z = wasm_f32x4_mul(rh, rh);
  v128_t sp = WT_MADD(z, WT_K(-1.9515295891e-4f), WT_K(8.3321608736e-3f));
  sp = WT_MADD(z, sp, WT_K(-1.6666654611e-1f));
  const v128_t s = wasm_f32x4_add(rh, WT_MADD(wasm_f32x4_mul(rh, z), sp, rl));
  v128_t cp = WT_MADD(z, WT_K(2.443315711809948e-5f), WT_K(-1.388731625493765e-3f));
  cp = WT_MADD(z, cp, WT_K(4.166664568298827e-2f));
  const v128_t hz = wasm_f32x4_mul(z, WT_K(0.5f));
  const v128_t w = wasm_f32x4_sub(WT_K(1.0f), hz);
  const v128_t tail = wasm_f32x4_sub(wasm_f32x4_sub(WT_K(1.0f), w), hz);
  const v128_t c = wasm_f32x4_add(
      w, wasm_f32x4_add(tail, wasm_f32x4_sub(wasm_f32x4_mul(wasm_f32x4_mul(z, z), cp),
                                             wasm_f32x4_mul(rh, rl))));
  const v128_t odd = wasm_i32x4_shl(q, 31), neg = wasm_i32x4_shl(wasm_u32x4_shr(q, 1), 31);
  const v128_t y = wasm_v128_bitselect(c, s, wasm_i32x4_shr(odd, 31));
  return wasm_v128_xor(y, neg);
}

/* the vectors with some |x| > 4096, inf or nan; small: sincos_f32 of x (kept for lanes <= 4096:
 * a value's result never depends on its neighbours) */
__attribute__((noinline)) static v128_t sincos_wide(v128_t x, v128_t ax, v128_t small, int want_cos) {
  const v128_t lo = sincos_f64x2(wasm_f64x2_promote_low_f32x4(x), want_cos);
  const v128_t hi = sincos_f64x2(
      wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(x, x, 2, 3, 2, 3)), want_cos);
  v128_t y = wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo),
                                wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5);
  const v128_t large = wasm_v128_and(wasm_f32x4_ge(ax, wasm_f32x4_splat(LARGE)),
                                     wasm_f32x4_lt(ax, wasm_f32x4_splat(__builtin_inff())));
  if (wasm_v128_any_true(large)) y = fix_large(x, y, large, want_cos);
  return wasm_v128_bitselect(small, y, wasm_f32x4_le(ax, wasm_f32x4_splat(4096.0f)));
}

/* sincos_f32 runs unconditionally (its constants then leave the loop: WT_K) */
__attribute__((always_inline)) static inline v128_t v_sincos(v128_t x, int want_cos) {
  const v128_t ax = wasm_f32x4_abs(x);
  v128_t y = sincos_f32(x, want_cos);
  if (!wasm_i32x4_all_true(wasm_f32x4_le(ax, WT_K(4096.0f)))) y = sincos_wide(x, ax, y, want_cos);
  if (!want_cos) /* sin x == x below 2^-12 (keeps -0 and subnormals) */
    y = wasm_v128_bitselect(x, y, wasm_f32x4_lt(ax, WT_K(0x1p-12f)));
  return y;
}

static inline v128_t v_sin(v128_t x) { return v_sincos(x, 0); }
static inline v128_t v_cos(v128_t x) { return v_sincos(x, 1); }

WT_UNARY_KERNEL_INT(sin, v_sin)
WT_UNARY_KERNEL_INT(cos, v_cos)
