/* Random fills that equal torch's CPU generator bit for bit (torch 2.x, x86 AVX2/AVX-512 build):
 *   void wt_f32_uniform_<isa>(size_t n, uint8_t* state, const double* params, float* y)
 *   void wt_f64_uniform_<isa>(size_t n, uint8_t* state, const double* params, double* y)
 *       params = {from, to} (already cast to the dtype): x * (to - from) + from with ONE
 *       rounding in double (GCC fuses it in torch), x = 24 (53) random bits / 2^24 (2^53);
 *       to - from is a float32 subtraction for float32
 *   void wt_f32_normal_<isa>(size_t n, uint8_t* state, const double* params, float* y)
 *       params = {mean, std, 1 + 2^-12, -(1 + 2^-11)} (the last two: the fma probe below);
 *       n >= 16: torch's normal_fill_AVX2 (also its AVX-512 build): uniforms first, then
 *       Box-Muller on blocks of 16 with avx_mathfun's log256_ps / sincos256_ps, the last 16
 *       drawn again when 16 does not divide n
 *   void wt_f32_bernoulli_<isa>(size_t n, uint8_t* state, const double* params, float* y)
 *       params = {p}: y = (53-bit uniform < p) (bernoulli_(p), dropout masks)
 * state: torch's 5056-byte generator state (wt_mt19937.h), read and written back.
 * Exactness: every fused multiply-add of torch's build is computed with one rounding here
 * (wasm has no fma: double products of floats are exact, sums rounded to odd); max error 0.
 * Relaxed build (every kernel here has a relaxed twin, identical but for f32_normal): where
 * the engine's f32x4.relaxed_madd is a true fma (probed on each call with values read from
 * params, so nothing is folded at compile time) f32_normal uses it directly; else, as in the
 * simd128 build, each fma is emulated in f64x2. */
#include "wt_common.h"
#include "wt_exact.h"
#include "wt_mt19937.h"

#define CHUNK 512

/* The long loops run in functions called once per chunk, never inside the exported kernel:
 * V8 first runs wasm in its baseline compiler (Liftoff, 3-4x slower here) and swaps in the
 * optimised code of a function at its next call, so a first call of 1M values (torch.randn at
 * the top of a script) gets the fast code after a few chunks instead of never. */
__attribute__((noinline)) static void u24_to_f32(const uint32_t* w, float* y, size_t k) {
  for (size_t j = 0; j < k; j++) y[j] = (float)(w[j] & 0xffffffu) * 0x1p-24f;
}

WT_EXPORT void WT_SYM(f32_uniform)(size_t n, uint8_t* state, const double* params, float* y) {
  wt_mt g;
  uint32_t w[CHUNK];
  wt_mt_load(&g, state);
  const double lo = params[0], range = (double)((float)params[1] - (float)params[0]);
  const int plain = lo == 0.0 && range == 1.0;
  for (size_t i = 0; i < n; i += CHUNK) {
    const size_t k = wt_min_size(CHUNK, n - i);
    wt_mt_draw(&g, w, k);
    if (plain) {
      u24_to_f32(w, y + i, k);
    } else {
      for (size_t j = 0; j < k; j++)
        y[i + j] = (float)fma64((double)(w[j] & 0xffffffu) * 0x1p-24, range, lo);
    }
  }
  wt_mt_store(&g, state);
}

static inline double u53(const uint32_t* w) {
  const uint64_t v = ((uint64_t)w[0] << 32) | w[1];
  return (double)(v & ((1ull << 53) - 1)) * 0x1p-53;
}

WT_EXPORT void WT_SYM(f64_uniform)(size_t n, uint8_t* state, const double* params, double* y) {
  wt_mt g;
  uint32_t w[CHUNK];
  wt_mt_load(&g, state);
  const double lo = params[0], range = params[1] - params[0];
  const int plain = lo == 0.0 && range == 1.0;
  for (size_t i = 0; i < n; i += CHUNK / 2) {
    const size_t k = wt_min_size(CHUNK / 2, n - i);
    wt_mt_draw(&g, w, 2 * k);
    for (size_t j = 0; j < k; j++) {
      const double x = u53(w + 2 * j);
      y[i + j] = plain ? x : fma64(x, range, lo);
    }
  }
  wt_mt_store(&g, state);
}

WT_EXPORT void WT_SYM(f32_bernoulli)(size_t n, uint8_t* state, const double* params, float* y) {
  wt_mt g;
  uint32_t w[CHUNK];
  wt_mt_load(&g, state);
  const double p = params[0];
  for (size_t i = 0; i < n; i += CHUNK / 2) {
    const size_t k = wt_min_size(CHUNK / 2, n - i);
    wt_mt_draw(&g, w, 2 * k);
    for (size_t j = 0; j < k; j++) y[i + j] = u53(w + 2 * j) < p ? 1.0f : 0.0f;
  }
  wt_mt_store(&g, state);
}

/* ---- avx_mathfun.h's log256_ps and sincos256_ps, one lane at a time (branch-free) ---- */
__attribute__((noinline)) static float log_avx(float x) {
  const uint32_t b = bits32(x < 0x1p-126f ? 0x1p-126f : x);
  float e = (float)((int32_t)(b >> 23) - 127) + 1.0f;
  const float m0 = from32((b & ~0x7f800000u) | 0x3f000000u);    /* mantissa in [0.5, 1) */
  const int small = m0 < 0.707106781186547524f;
  e -= small ? 1.0f : 0.0f;
  const float m = (m0 - 1.0f) + (small ? m0 : 0.0f);
  const float z = m * m;
  float p = 7.0376836292E-2f;
  p = fma32(p, m, -1.1514610310E-1f);
  p = fma32(p, m, 1.1676998740E-1f);
  p = fma32(p, m, -1.2420140846E-1f);
  p = fma32(p, m, 1.4249322787E-1f);
  p = fma32(p, m, -1.6668057665E-1f);
  p = fma32(p, m, 2.0000714765E-1f);
  p = fma32(p, m, -2.4999993993E-1f);
  p = fma32(p, m, 3.3333331174E-1f);
  p = p * m;
  p = fma32(p, z, e * -2.12194440e-4f);      /* torch's build fuses y * z here, not e * q1 */
  p = p - z * 0.5f;
  return fma32(e, 0.693359375f, m + p);
}

__attribute__((noinline)) static void sincos_avx(float x, float* s, float* c) {   /* x >= 0 (angles 2 pi u) */
  const int32_t j = ((int32_t)(x * 1.27323954473516f) + 1) & ~1;
  const float y = (float)j;
  x = fma32(y, -0.78515625f, x);
  x = fma32(y, -2.4187564849853515625e-4f, x);
  x = fma32(y, -3.77489497744594108e-8f, x);
  const float z = x * x;
  float yc = fma32(fma32(2.443315711809948E-005f, z, -1.388731625493765E-003f), z,
                   4.166664568298827E-002f);
  yc = fma32(yc * z, z, -(z * 0.5f));       /* fused: yc * z, not z * 0.5 */
  yc = yc + 1.0f;
  float ys = fma32(fma32(-1.9515295891E-4f, z, 8.3321608736E-3f), z, -1.6666654611E-1f);
  ys = fma32(ys * z, x, x);
  const int swap = j & 2;
  const uint32_t sin_sign = (uint32_t)(j & 4) << 29;
  const uint32_t cos_sign = (uint32_t)(~(j - 2) & 4) << 29;
  *s = from32(bits32(swap ? yc : ys) ^ sin_sign);
  *c = from32(bits32(swap ? ys : yc) ^ cos_sign);
}

__attribute__((noinline)) static void normal_fill16(float* d, float mean, float std) {
  for (int j = 0; j < 8; j++) {
    const float radius = __builtin_sqrtf(-2.0f * log_avx(1.0f - d[j]));
    float s, c;
    sincos_avx((float)(2.0 * 3.14159265358979323846) * d[j + 8], &s, &c);
    d[j] = fma32(radius * c, std, mean);
    d[j + 8] = fma32(radius * s, std, mean);
  }
}


/* ---- the same block four lanes at a time --------------------------------------------------
 * vfma: the float products are exact in f64x2; the double sum rounded to float32 is correct
 * unless it sits exactly on a float32 midpoint (its low 29 mantissa bits 0x10000000): such a
 * lane sets *bad and the caller redoes the block with the scalar code above. Products known to
 * be exact in float32 (small integers times short constants) use plain float ops. */
#define F4(c) wasm_f32x4_splat(c)

static inline v128_t vfma(v128_t a, v128_t b, v128_t c, v128_t* bad, int fused) {
#ifdef WT_RELAXED
  if (fused) return wasm_f32x4_relaxed_madd(a, b, c);
#else
  (void)fused;
#endif
  const v128_t lo = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(a),
                                                  wasm_f64x2_promote_low_f32x4(b)),
                                   wasm_f64x2_promote_low_f32x4(c));
  const v128_t ah = wasm_i64x2_shuffle(a, a, 1, 0), bh = wasm_i64x2_shuffle(b, b, 1, 0),
               ch = wasm_i64x2_shuffle(c, c, 1, 0);
  const v128_t hi = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(ah),
                                                  wasm_f64x2_promote_low_f32x4(bh)),
                                   wasm_f64x2_promote_low_f32x4(ch));
  const v128_t low29 = wasm_i64x2_splat(0x1fffffff), mid = wasm_i64x2_splat(0x10000000);
  *bad = wasm_v128_or(*bad, wasm_v128_or(wasm_i64x2_eq(wasm_v128_and(lo, low29), mid),
                                         wasm_i64x2_eq(wasm_v128_and(hi, low29), mid)));
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi),
                            0, 1, 4, 5);
}

/* vfma for the last step, y * std + mean: with round std and mean an exact sum often lands on a
 * midpoint (a true tie, rounded correctly): only an inexact one (two-sum error != 0) is bad. */
static inline v128_t vfma_tie(v128_t a, v128_t b, v128_t c, v128_t* bad, int fused) {
#ifdef WT_RELAXED
  if (fused) return wasm_f32x4_relaxed_madd(a, b, c);
#else
  (void)fused;
#endif
  v128_t r[2];
  for (int h = 0; h < 2; h++) {
    const v128_t ah = h ? wasm_i64x2_shuffle(a, a, 1, 0) : a;
    const v128_t bh = h ? wasm_i64x2_shuffle(b, b, 1, 0) : b;
    const v128_t ch = wasm_f64x2_promote_low_f32x4(h ? wasm_i64x2_shuffle(c, c, 1, 0) : c);
    const v128_t p = wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(ah),
                                    wasm_f64x2_promote_low_f32x4(bh));
    const v128_t s = wasm_f64x2_add(p, ch);
    const v128_t bp = wasm_f64x2_sub(s, p);
    const v128_t err = wasm_f64x2_add(wasm_f64x2_sub(p, wasm_f64x2_sub(s, bp)),
                                      wasm_f64x2_sub(ch, bp));
    const v128_t tie = wasm_i64x2_eq(wasm_v128_and(s, wasm_i64x2_splat(0x1fffffff)),
                                     wasm_i64x2_splat(0x10000000));
    *bad = wasm_v128_or(*bad, wasm_v128_andnot(tie, wasm_f64x2_eq(err, wasm_f64x2_splat(0.0))));
    r[h] = wasm_f32x4_demote_f64x2_zero(s);
  }
  return wasm_i32x4_shuffle(r[0], r[1], 0, 1, 4, 5);
}

static inline v128_t vlog(v128_t x, v128_t* bad, int fused) {
  const v128_t one = F4(1.0f);
  x = wasm_f32x4_max(x, F4(0x1p-126f));
  v128_t e = wasm_f32x4_add(
      wasm_f32x4_convert_i32x4(wasm_i32x4_sub(wasm_u32x4_shr(x, 23), wasm_i32x4_splat(127))), one);
  const v128_t m0 = wasm_v128_or(wasm_v128_and(x, wasm_i32x4_splat(~0x7f800000)),
                                 wasm_i32x4_splat(0x3f000000));
  const v128_t small = wasm_f32x4_lt(m0, F4(0.707106781186547524f));
  e = wasm_f32x4_sub(e, wasm_v128_and(one, small));
  const v128_t m = wasm_f32x4_add(wasm_f32x4_sub(m0, one), wasm_v128_and(m0, small));
  const v128_t z = wasm_f32x4_mul(m, m);
  v128_t p = F4(7.0376836292E-2f);
  p = vfma(p, m, F4(-1.1514610310E-1f), bad, fused);
  p = vfma(p, m, F4(1.1676998740E-1f), bad, fused);
  p = vfma(p, m, F4(-1.2420140846E-1f), bad, fused);
  p = vfma(p, m, F4(1.4249322787E-1f), bad, fused);
  p = vfma(p, m, F4(-1.6668057665E-1f), bad, fused);
  p = vfma(p, m, F4(2.0000714765E-1f), bad, fused);
  p = vfma(p, m, F4(-2.4999993993E-1f), bad, fused);
  p = vfma(p, m, F4(3.3333331174E-1f), bad, fused);
  p = wasm_f32x4_mul(p, m);
  p = vfma(p, z, wasm_f32x4_mul(e, F4(-2.12194440e-4f)), bad, fused);
  p = wasm_f32x4_sub(p, wasm_f32x4_mul(z, F4(0.5f)));
  /* e * 0.693359375 is exact: the fused add is a plain add */
  return wasm_f32x4_add(wasm_f32x4_add(m, p), wasm_f32x4_mul(e, F4(0.693359375f)));
}

static inline void vsincos(v128_t x, v128_t* s, v128_t* c, v128_t* bad, int fused) {   /* x >= 0 */
  v128_t j = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_mul(x, F4(1.27323954473516f)));
  j = wasm_v128_and(wasm_i32x4_add(j, wasm_i32x4_splat(1)), wasm_i32x4_splat(~1));
  const v128_t y = wasm_f32x4_convert_i32x4(j);
  /* y (an even integer <= 8) times DP1, DP2 is exact */
  x = wasm_f32x4_add(x, wasm_f32x4_mul(y, F4(-0.78515625f)));
  x = wasm_f32x4_add(x, wasm_f32x4_mul(y, F4(-2.4187564849853515625e-4f)));
  x = vfma(y, F4(-3.77489497744594108e-8f), x, bad, fused);
  const v128_t z = wasm_f32x4_mul(x, x);
  v128_t yc = vfma(vfma(F4(2.443315711809948E-005f), z, F4(-1.388731625493765E-003f), bad, fused), z,
                   F4(4.166664568298827E-002f), bad, fused);
  yc = vfma(wasm_f32x4_mul(yc, z), z, wasm_f32x4_neg(wasm_f32x4_mul(z, F4(0.5f))), bad, fused);
  yc = wasm_f32x4_add(yc, F4(1.0f));
  v128_t ys = vfma(vfma(F4(-1.9515295891E-4f), z, F4(8.3321608736E-3f), bad, fused), z,
                   F4(-1.6666654611E-1f), bad, fused);
  ys = vfma(wasm_f32x4_mul(ys, z), x, x, bad, fused);
  const v128_t swap = wasm_i32x4_eq(wasm_v128_and(j, wasm_i32x4_splat(2)), wasm_i32x4_splat(2));
  const v128_t sin_sign = wasm_i32x4_shl(wasm_v128_and(j, wasm_i32x4_splat(4)), 29);
  const v128_t cos_sign = wasm_i32x4_shl(
      wasm_v128_andnot(wasm_i32x4_splat(4), wasm_i32x4_sub(j, wasm_i32x4_splat(2))), 29);
  *s = wasm_v128_xor(wasm_v128_bitselect(yc, ys, swap), sin_sign);
  *c = wasm_v128_xor(wasm_v128_bitselect(ys, yc, swap), cos_sign);
}

static inline __attribute__((always_inline)) void normal_fill16_simd(float* d, float mean,
                                                                     float std, int fused) {
  v128_t bad = wasm_i32x4_splat(0);
  v128_t out[4];
  const v128_t vm = F4(mean), vs = F4(std);
  for (int h = 0; h < 2; h++) {
    const v128_t u1 = wasm_f32x4_sub(F4(1.0f), wasm_v128_load(d + 4 * h));
    const v128_t radius = wasm_f32x4_sqrt(wasm_f32x4_mul(F4(-2.0f), vlog(u1, &bad, fused)));
    v128_t s, c;
    vsincos(wasm_f32x4_mul(F4((float)(2.0 * 3.14159265358979323846)),
                           wasm_v128_load(d + 8 + 4 * h)), &s, &c, &bad, fused);
    out[h] = vfma_tie(wasm_f32x4_mul(radius, c), vs, vm, &bad, fused);
    out[2 + h] = vfma_tie(wasm_f32x4_mul(radius, s), vs, vm, &bad, fused);
  }
  if (wasm_v128_any_true(bad)) {
    normal_fill16(d, mean, std);
    return;
  }
  for (int k = 0; k < 4; k++) wasm_v128_store(d + 4 * k, out[k]);
}

/* Blocks of 16, one loop per value of `fused` (a constant in each: the fused loop has no
 * branch per fma and no midpoint bookkeeping, 4-6x faster than one loop testing it). */
__attribute__((noinline)) static void normal_blocks_exact(float* y, size_t blocks, float mean,
                                                          float std) {
  for (size_t i = 0; i < blocks; i++) normal_fill16_simd(y + 16 * i, mean, std, 0);
}

#ifdef WT_RELAXED
__attribute__((noinline)) static void normal_blocks_fused(float* y, size_t blocks, float mean,
                                                          float std) {
  for (size_t i = 0; i < blocks; i++) normal_fill16_simd(y + 16 * i, mean, std, 1);
}
#endif

/* in pieces of 256 blocks (4096 values): see u24_to_f32 */
static void normal_blocks(float* y, size_t blocks, float mean, float std, int fused) {
  for (size_t i = 0; i < blocks; i += 256) {
    const size_t k = wt_min_size(256, blocks - i);
#ifdef WT_RELAXED
    if (fused) {
      normal_blocks_fused(y + 16 * i, k, mean, std);
      continue;
    }
#else
    (void)fused;
#endif
    normal_blocks_exact(y + 16 * i, k, mean, std);
  }
}

static void uniform24(wt_mt* g, float* y, size_t n) {
  uint32_t w[CHUNK];
  for (size_t i = 0; i < n; i += CHUNK) {
    const size_t k = wt_min_size(CHUNK, n - i);
    wt_mt_draw(g, w, k);
    u24_to_f32(w, y + i, k);
  }
}

WT_EXPORT void WT_SYM(f32_normal)(size_t n, uint8_t* state, const double* params, float* y) {
  if (n < 16) return;                         /* the caller takes torch's serial path */
  wt_mt g;
  wt_mt_load(&g, state);
  const float mean = (float)params[0], std = (float)params[1];
  int fused = 0;
#ifdef WT_RELAXED
  {   /* (1 + 2^-12)^2 - (1 + 2^-11) is 2^-24 fused, 0 rounded first */
    const v128_t a = wasm_f32x4_splat((float)params[2]);
    fused = wasm_f32x4_extract_lane(
        wasm_f32x4_relaxed_madd(a, a, wasm_f32x4_splat((float)params[3])), 0) == 0x1p-24f;
  }
#endif
  uniform24(&g, y, n);
  normal_blocks(y, n / 16, mean, std, fused);
  if (n % 16) {
    uniform24(&g, y + n - 16, 16);
    normal_blocks(y + n - 16, 1, mean, std, fused);
  }
  wt_mt_store(&g, state);
}
