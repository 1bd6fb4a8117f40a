/* Random fills that equal torch's CPU generator bit for bit (torch 2.x, x86 AVX2/AVX-512 build):
 *   void wt_f32_uniform_<isa>(size_t n, uint8_t* state, const double* params, float* y)
 *   void wt_f64_uniform_<isa>(size_t n, uint8_t* state, const double* params, double* y)
 *       params = {from, to} (already cast to the dtype): x * (to - from) + from with ONE
 *       rounding in double (GCC fuses it in torch), x = 24 (53) random bits / 2^24 (2^53);
 *       to - from is a float32 subtraction for float32
 *   void wt_f32_normal_<isa>(size_t n, uint8_t* state, const double* params, float* y)
 *       params = {mean, std}; n >= 16: torch's normal_fill_AVX2 (uniforms first, then
 *       Box-Muller on blocks of 16 with avx_mathfun's log256_ps / sincos256_ps, the last 16
 *       drawn again when 16 does not divide n)
 *   void wt_f32_bernoulli_<isa>(size_t n, uint8_t* state, const double* params, float* y)
 *       params = {p}: y = (53-bit uniform < p) (bernoulli_(p), dropout masks)
 * state: torch's 5056-byte generator state (wt_mt19937.h), read and written back.
 * Exactness: every fused multiply-add of torch's build is computed with one rounding here
 * (wasm has no fma: double products of floats are exact, sums rounded to odd); max error 0. */
#include "wt_common.h"
#include "wt_mt19937.h"

#define CHUNK 512

static inline uint64_t bits64(double x) { return __builtin_bit_cast(uint64_t, x); }
static inline double from64(uint64_t b) { return __builtin_bit_cast(double, b); }
static inline uint32_t bits32(float x) { return __builtin_bit_cast(uint32_t, x); }
static inline float from32(uint32_t b) { return __builtin_bit_cast(float, b); }

/* s + err (err the exact error of s) rounded to odd: s, or its odd neighbour toward err. */
static inline double round_to_odd(double s, double err) {
  const uint64_t b = bits64(s);
  const int adjust = (err != 0.0) & !(b & 1);
  const uint64_t step = ((err > 0.0) == (s > 0.0)) ? 1u : (uint64_t)-1;
  return from64(b + (adjust ? step : 0));
}

static inline double two_sum_err(double a, double b, double s) {
  const double bp = s - a;
  return (a - (s - bp)) + (b - bp);
}

/* float32 fma: the product of two floats is exact in a double; the sum rounded to odd
 * rounds correctly to float. */
static inline float fma32(float a, float b, float c) {
  const double p = (double)a * (double)b;
  const double s = p + (double)c;
  return (float)round_to_odd(s, two_sum_err(p, (double)c, s));
}

/* double fma (Boldo-Melquiond: exact product and sum, the small parts rounded to odd). */
__attribute__((noinline)) static double fma64(double a, double b, double c) {
  const double split = 134217729.0;
  const double uh = a * b;
  double t = split * a;
  const double ah = t - (t - a), al = a - ah;
  t = split * b;
  const double bh = t - (t - b), bl = b - bh;
  const double ul = ((ah * bh - uh) + ah * bl + al * bh) + al * bl;
  const double th = c + uh;
  const double tl = two_sum_err(c, uh, th);
  const double v = tl + ul;
  return th + round_to_odd(v, two_sum_err(tl, ul, v));
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
      for (size_t j = 0; j < k; j++) y[i + j] = (float)(w[j] & 0xffffffu) * 0x1p-24f;
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

static void uniform24(wt_mt* g, float* y, size_t n) {
  uint32_t w[CHUNK];
  for (size_t i = 0; i < n; i += CHUNK) {
    const size_t k = wt_min_size(CHUNK, n - i);
    wt_mt_draw(g, w, k);
    for (size_t j = 0; j < k; j++) y[i + j] = (float)(w[j] & 0xffffffu) * 0x1p-24f;
  }
}

WT_EXPORT void WT_SYM(f32_normal)(size_t n, uint8_t* state, const double* params, float* y) {
  if (n < 16) return;                         /* the caller takes torch's serial path */
  wt_mt g;
  wt_mt_load(&g, state);
  const float mean = (float)params[0], std = (float)params[1];
  uniform24(&g, y, n);
  for (size_t i = 0; i + 16 <= n; i += 16) normal_fill16(y + i, mean, std);
  if (n % 16) {
    uniform24(&g, y + n - 16, 16);
    normal_fill16(y + n - 16, mean, std);
  }
  wt_mt_store(&g, state);
}
