/* torch's serial CPU random kernels (cpu_serial_kernel over a contiguous output), bit for bit,
 * on its generator state (wt_mt19937.h):
 *   void wt_i64_randint_wasmsimd(size_t n, uint8_t* state, const uint64_t* params, int64_t* y)
 *       params = {range, base, wide}: y = (draw % range) + base, draw = random64() when wide
 *       (torch: range >= 2^32 for 64-bit dtypes and float/bfloat16), else random();
 *       random_from_to, randint, and random_() (range = the dtype's, base 0); the caller casts
 *   void wt_i64_randperm_wasmsimd(size_t n, uint8_t* state, const void* params, int64_t* y)
 *       randperm_cpu: Fisher-Yates with random() % (n - i) for n < 2^32 / 20, else the
 *       inside-out shuffle on random64()
 *   void wt_f32/f64_bernoulli_tensor_wasmsimd(size_t n, uint8_t* state, const T* p, T* y)
 *       bernoulli(p): y = uniform < p, a float uniform (24 bits of random()) against a float
 *       p, a double one (53 bits of random64()) against a double p
 *   void wt_f32/f64_exponential_wasmsimd(size_t n, uint8_t* state, const double* params, T* y)
 *       params = {lambda}: -1 / lambda * log1p(-u), u a 53-bit double uniform, cast to T
 *   void wt_f32/f64_multinomial_wasmsimd(size_t rows, size_t n_cat, size_t n_sample,
 *           uint8_t* state, const T* probs, T* cum, int64_t* y, int32_t* status)
 *       multinomial with replacement (MultinomialKernel.cpp): per row the cumulative sums in
 *       T divided by the total, the last set to 1, then per sample a 53-bit uniform placed by
 *       binary search; cum: n_cat scratch. status: 0, or 1 (entry < 0 or NaN), 2 (entry
 *       infinite), 3 (row sum <= 0) -- torch's checks, in its order, state left where it
 *       stopped. */
#include "wt_common.h"
#include "wt_exact.h"
#include "wt_mt19937.h"

#define CHUNK 512

WT_SMALL_BEGIN

static inline uint64_t u64_of(const uint32_t* w) { return ((uint64_t)w[0] << 32) | w[1]; }
static inline double u53_of(const uint32_t* w) {   /* signed convert: faster in wasm */
  return (double)(int64_t)(u64_of(w) & ((1ull << 53) - 1)) * 0x1p-53;
}

WT_EXPORT void WT_SYM(i64_randint)(size_t n, uint8_t* state, const uint64_t* params, int64_t* y) {
  wt_mt g;
  uint32_t w[CHUNK];
  const uint64_t range = params[0], base = params[1];
  const size_t per = params[2] ? 2 : 1;
  wt_mt_load(&g, state);
  for (size_t i = 0; i < n; i += CHUNK / 2) {
    const size_t k = wt_min_size(CHUNK / 2, n - i);
    wt_mt_draw(&g, w, per * k);
    for (size_t j = 0; j < k; j++)
      y[i + j] = (int64_t)((per == 2 ? u64_of(w + 2 * j) : w[j]) % range + base);
  }
  wt_mt_store(&g, state);
}

WT_EXPORT void WT_SYM(i64_randperm)(size_t n, uint8_t* state, const void* params, int64_t* y) {
  (void)params;
  wt_mt g;
  uint32_t w[CHUNK];
  wt_mt_load(&g, state);
  if ((uint64_t)n < 0xffffffffull / 20) {
    for (size_t i = 0; i < n; i++) y[i] = (int64_t)i;
    for (size_t i = 0; i + 1 < n; i += CHUNK) {
      const size_t k = wt_min_size(CHUNK, n - 1 - i);
      wt_mt_draw(&g, w, k);
      for (size_t j = 0; j < k; j++) {
        const size_t a = i + j, z = (size_t)(w[j] % (uint64_t)(n - a)) + a;
        const int64_t t = y[a];
        y[a] = y[z];
        y[z] = t;
      }
    }
  } else {
    for (size_t i = 0; i < n; i += CHUNK / 2) {
      const size_t k = wt_min_size(CHUNK / 2, n - i);
      wt_mt_draw(&g, w, 2 * k);
      for (size_t j = 0; j < k; j++) {
        const size_t a = i + j, z = (size_t)(u64_of(w + 2 * j) % (uint64_t)(a + 1));
        y[a] = y[z];
        y[z] = (int64_t)a;
      }
    }
  }
  wt_mt_store(&g, state);
}

WT_EXPORT void WT_SYM(f32_bernoulli_tensor)(size_t n, uint8_t* state, const float* p, float* y) {
  wt_mt g;
  uint32_t w[CHUNK];
  wt_mt_load(&g, state);
  for (size_t i = 0; i < n; i += CHUNK) {
    const size_t k = wt_min_size(CHUNK, n - i);
    wt_mt_draw(&g, w, k);
    for (size_t j = 0; j < k; j++)
      y[i + j] = (float)(w[j] & 0xffffffu) * 0x1p-24f < p[i + j] ? 1.0f : 0.0f;
  }
  wt_mt_store(&g, state);
}

WT_EXPORT void WT_SYM(f64_bernoulli_tensor)(size_t n, uint8_t* state, const double* p, double* y) {
  wt_mt g;
  uint32_t w[CHUNK];
  wt_mt_load(&g, state);
  for (size_t i = 0; i < n; i += CHUNK / 2) {
    const size_t k = wt_min_size(CHUNK / 2, n - i);
    wt_mt_draw(&g, w, 2 * k);
    for (size_t j = 0; j < k; j++) y[i + j] = u53_of(w + 2 * j) < p[i + j] ? 1.0 : 0.0;
  }
  wt_mt_store(&g, state);
}

/* log1p(x) for -1 < x <= 0 with the operations of the C library torch calls: glibc's
 * dbl-64 s_log1p.c (Sun's fdlibm algorithm: 1 + x = 2^k (1 + f) with a correction term c for
 * the rounding of 1 + x, a degree-14 polynomial in s = f / (2 + f) in Estrin form) as the
 * x86-64 glibc 2.36 build computes it: the polynomial's products fused into its sums, the
 * rest not (found by testing every fusion pattern against it), so every result is its
 * double, last bit included (test_kernels_random_draws checks 2^20 draws). fmad(a, b, c,
 * fused): the relaxed build's f64x2.relaxed_madd where the engine fuses it (probed per call),
 * else emulated. */
static inline double fmad(double a, double b, double c, int fused) {
#ifdef WT_RELAXED
  if (fused)
    return wasm_f64x2_extract_lane(wasm_f64x2_relaxed_madd(wasm_f64x2_splat(a),
                                                           wasm_f64x2_splat(b),
                                                           wasm_f64x2_splat(c)), 0);
#else
  (void)fused;
#endif
  return fma64(a, b, c);
}

static int fused_madd(void) {        /* (1 + 2^-30)^2 - (1 + 2^-29): 2^-60 fused, 0 rounded */
#ifdef WT_RELAXED
  volatile double a = 1 + 0x1p-30, c = -(1 + 0x1p-29);
  return fmad(a, a, c, 1) == 0x1p-60;
#else
  return 0;
#endif
}

static double log1p_neg(double x, int fused) {
  static const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10,
      Lp1 = 6.666666666666735130e-01, Lp2 = 3.999999999940941908e-01,
      Lp3 = 2.857142874366239149e-01, Lp4 = 2.222219843214978396e-01,
      Lp5 = 1.818357216161805012e-01, Lp6 = 1.531383769920937332e-01,
      Lp7 = 1.479819860511658591e-01;
  const uint32_t ax = (uint32_t)(bits64(x) >> 32) & 0x7fffffffu;
  double f, c = 0.0;
  int k;
  uint32_t hu = 1;
  if (ax < 0x3e200000u) return ax < 0x3c900000u ? x : x - x * x * 0.5;   /* |x| < 2^-29 */
  if (ax <= 0x3fd2bec4u) {                                               /* x >= -0.2929 */
    k = 0;
    f = x;
  } else {
    double u = 1.0 + x;
    hu = (uint32_t)(bits64(u) >> 32);
    k = (int)(hu >> 20) - 1023;
    c = (k > 0 ? 1.0 - (u - x) : x - (u - 1.0)) / u;
    hu &= 0x000fffffu;
    if (hu < 0x6a09eu) {
      u = from64(((uint64_t)(hu | 0x3ff00000u) << 32) | (bits64(u) & 0xffffffffu));
    } else {
      k += 1;
      u = from64(((uint64_t)(hu | 0x3fe00000u) << 32) | (bits64(u) & 0xffffffffu));
      hu = (0x00100000u - hu) >> 2;
    }
    f = u - 1.0;
  }
  const double hfsq = 0.5 * f * f;
  if (hu == 0) {                                                          /* |f| < 2^-20 */
    if (f == 0.0) return k == 0 ? 0.0 : k * ln2_hi + (c + k * ln2_lo);
    const double R = hfsq * (1.0 - 0.66666666666666666 * f);
    return k == 0 ? f - R : k * ln2_hi - ((R - (k * ln2_lo + c)) - f);
  }
  const double s = f / (2.0 + f), z = s * s, z2 = z * z, z4 = z2 * z2, z6 = z4 * z2;
  const double R = fmad(z6, fmad(z, Lp7, Lp6, fused),
                       fmad(z4, fmad(z, Lp5, Lp4, fused),
                           fmad(z, Lp1, z2 * fmad(z, Lp3, Lp2, fused), fused), fused), fused);
  if (k == 0) return f - (hfsq - s * (hfsq + R));
  return k * ln2_hi - ((hfsq - (s * (hfsq + R) + (k * ln2_lo + c))) - f);
}

/* exponential_distribution<double>: (-1 / lambda) * log1p(-u) */
#define EXPONENTIAL(T, NAME)                                                                 \
  WT_EXPORT void WT_SYM(NAME)(size_t n, uint8_t* state, const double* params, T* y) {       \
    wt_mt g;                                                                                 \
    uint32_t w[CHUNK];                                                                       \
    const double scale = -1.0 / params[0];                                                   \
    const int fused = fused_madd();                                                          \
    wt_mt_load(&g, state);                                                                   \
    for (size_t i = 0; i < n; i += CHUNK / 2) {                                              \
      const size_t k = wt_min_size(CHUNK / 2, n - i);                                        \
      wt_mt_draw(&g, w, 2 * k);                                                              \
      for (size_t j = 0; j < k; j++) y[i + j] = (T)(scale * log1p_neg(-u53_of(w + 2 * j), fused)); \
    }                                                                                        \
    wt_mt_store(&g, state);                                                                  \
  }
EXPONENTIAL(float, f32_exponential)
EXPONENTIAL(double, f64_exponential)

#define MULTINOMIAL(T, NAME)                                                                 \
  WT_EXPORT void WT_SYM(NAME)(size_t rows, size_t n_cat, size_t n_sample, uint8_t* state,   \
                              const T* probs, T* cum, int64_t* y, int32_t* status) {        \
    wt_mt g;                                                                                 \
    uint32_t w[2];                                                                           \
    wt_mt_load(&g, state);                                                                   \
    *status = 0;                                                                             \
    for (size_t r = 0; r < rows && !*status; r++) {                                          \
      const T* p = probs + r * n_cat;                                                        \
      T sum = 0;                                                                             \
      for (size_t j = 0; j < n_cat; j++) {                                                   \
        if (!(p[j] >= 0)) { *status = 1; break; }                                           \
        if (p[j] - p[j] != 0) { *status = 2; break; }                                       \
        sum += p[j];                                                                         \
        cum[j] = sum;                                                                        \
      }                                                                                      \
      if (!*status && !(sum > 0)) *status = 3;                                               \
      if (*status) break;                                                                    \
      for (size_t j = 0; j < n_cat; j++) cum[j] /= sum;                                      \
      cum[n_cat - 1] = 1;                                                                    \
      for (size_t s = 0; s < n_sample; s++) {                                                \
        wt_mt_draw(&g, w, 2);                                                                \
        const double u = u53_of(w);                                                          \
        size_t lo = 0, hi = n_cat;                                                           \
        while (hi > lo) {                                                                    \
          const size_t mid = lo + (hi - lo) / 2;                                             \
          if ((double)cum[mid] < u) lo = mid + 1; else hi = mid;                             \
        }                                                                                    \
        y[r * n_sample + s] = (int64_t)lo;                                                   \
      }                                                                                      \
    }                                                                                        \
    wt_mt_store(&g, state);                                                                  \
  }
MULTINOMIAL(float, f32_multinomial)
MULTINOMIAL(double, f64_multinomial)

WT_SMALL_END
