/* Scaled dot-product attention in float64, f32_sdpa's form (strides in elements, grouped-query
 * heads by index, causal = key j seen by query i iff j <= i, additive mask) with the scale a
 * double in memory:
 *   void wt_f64_sdpa_<isa>(size_t batch, size_t heads, size_t kheads, size_t vheads,
 *       size_t L, size_t S, size_t E, size_t Ev, size_t flags, const double* scale,
 *       const double* q, int q_bs, int q_hs, int q_rs, const double* k, int k_bs, int k_hs,
 *       int k_rs, const double* v, int v_bs, int v_hs, int v_rs, const double* mask, int m_bs,
 *       int m_hs, int m_rs, double* y)
 * One query row at a time, an online softmax over the keys one by one (the output row is the
 * accumulator): a row whose scores are all -inf gives zeros (as f32_sdpa); a nan or +inf score
 * gives nan. Error: a few ulp of float64 (exp below: <= 1 ulp).
 */
#include "wt_common.h"

/* q.k over E, two doubles at a time in two accumulators (the row loops are f64x2; the rest
 * size-optimised) */
static double dot_f64(const double* a, const double* b, size_t n) {
  v128_t s0 = wasm_f64x2_splat(0.0), s1 = s0;
  size_t e = 0;
  for (; e + 4 <= n; e += 4) {
    s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(wasm_v128_load(a + e), wasm_v128_load(b + e)));
    s1 = wasm_f64x2_add(s1, wasm_f64x2_mul(wasm_v128_load(a + e + 2), wasm_v128_load(b + e + 2)));
  }
  s0 = wasm_f64x2_add(s0, s1);
  double s = wasm_f64x2_extract_lane(s0, 0) + wasm_f64x2_extract_lane(s0, 1);
  for (; e < n; e++) s += a[e] * b[e];
  return s;
}

/* y = y * c + p * v over n (c == 1: no rescale) */
static void axpby_f64(double* y, double c, double p, const double* v, size_t n) {
  const v128_t cv = wasm_f64x2_splat(c), pv = wasm_f64x2_splat(p);
  size_t e = 0;
  for (; e + 2 <= n; e += 2)
    wasm_v128_store(y + e, wasm_f64x2_add(wasm_f64x2_mul(wasm_v128_load(y + e), cv),
                                          wasm_f64x2_mul(pv, wasm_v128_load(v + e))));
  for (; e < n; e++) y[e] = y[e] * c + p * v[e];
}

/* e^x in double: x = k ln2 + r (Cody-Waite, fdlibm's split ln2), |r| <= ln2/2, Taylor to
 * r^13 (truncation < 5e-18 relative), times 2^k in two steps (subnormal results); speed-
 * optimised like the row loops */
static double exp_f64(double x) {
  if (x != x) return x;
  if (x > 709.782712893384) return __builtin_inf();
  if (x < -745.2) return 0.0;
  const double kf = __builtin_rint(x * 1.4426950408889634);
  const double r = (x - kf * 6.93147180369123816490e-01) - kf * 1.90821492927058770002e-10;
  /* in two halves (a shorter dependency chain): 1 + r + ... + r^6/6! + r^7 (1/7! + ... r^6/13!) */
  double hi = 1.0 / 6227020800.0, lo = 1.0 / 720.0;
  static const double ch[6] = {1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0,
                               1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 5040.0};
  static const double cl[6] = {1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0};
  for (int i = 0; i < 6; i++) hi = hi * r + ch[i], lo = lo * r + cl[i];
  const double r2 = r * r, r7 = r2 * r2 * r2 * r;
  const double p = lo + r7 * hi;
  const int64_t k = (int64_t)kf, k1 = k / 2, k2 = k - k1;
  uint64_t b1 = (uint64_t)(k1 + 1023) << 52, b2 = (uint64_t)(k2 + 1023) << 52;
  double s1, s2;
  __builtin_memcpy(&s1, &b1, 8);
  __builtin_memcpy(&s2, &b2, 8);
  return p * s1 * s2;
}

WT_SMALL_BEGIN

WT_EXPORT void WT_SYM(f64_sdpa)(size_t batch, size_t heads, size_t kheads, size_t vheads,
                                size_t L, size_t S, size_t E, size_t Ev, size_t flags,
                                const double* scale, const double* q, int q_bs, int q_hs,
                                int q_rs, const double* k, int k_bs, int k_hs, int k_rs,
                                const double* v, int v_bs, int v_hs, int v_rs,
                                const double* mask, int m_bs, int m_hs, int m_rs, double* y) {
  if (heads == 0 || kheads == 0 || vheads == 0) return;
  const size_t gk = heads / kheads, gv = heads / vheads;
  const int causal = (int)(flags & 1), has_mask = (int)(flags & 2);
  for (size_t b = 0; b < batch; b++)
    for (size_t h = 0; h < heads; h++) {
      const double* kh = k + (ptrdiff_t)b * k_bs + (ptrdiff_t)(h / gk) * k_hs;
      const double* vh = v + (ptrdiff_t)b * v_bs + (ptrdiff_t)(h / gv) * v_hs;
      for (size_t i = 0; i < L; i++, y += Ev) {
        const double* qi = q + (ptrdiff_t)b * q_bs + (ptrdiff_t)h * q_hs + (ptrdiff_t)i * q_rs;
        const double* mi = mask + (ptrdiff_t)b * m_bs + (ptrdiff_t)h * m_hs +
                           (ptrdiff_t)i * m_rs;
        const size_t Se = causal ? wt_min_size(S, i + 1) : S;
        double m = -__builtin_inf(), l = 0.0;
        int bad = 0;
        for (size_t e = 0; e < Ev; e++) y[e] = 0.0;
        for (size_t j = 0; j < Se; j++) {
          const double* kj = kh + (ptrdiff_t)j * k_rs;
          const double* vj = vh + (ptrdiff_t)j * v_rs;
          double s = dot_f64(qi, kj, E);
          s *= scale[0];
          if (has_mask) s += mi[j];
          if (s != s || s == __builtin_inf()) bad = 1;
          if (bad || s == -__builtin_inf()) continue;
          double c = 1.0;
          if (s > m) {                  /* a new maximum: rescale what is summed so far */
            c = exp_f64(m - s);
            l *= c;
            m = s;
          }
          const double p = exp_f64(s - m);
          l += p;
          axpby_f64(y, c, p, vj, Ev);
        }
        for (size_t e = 0; e < Ev; e++)
          y[e] = bad ? __builtin_nan("") : l > 0.0 ? y[e] / l : 0.0;
      }
    }
}

WT_SMALL_END
