/* The gradients of scaled dot-product attention (f32_sdpa's backward), one query row at a time:
 * the row's probabilities are recomputed (scores, max, sum of exp) into scratch, then
 *   dP_j = g . v_j,  D = sum_j P_j dP_j,  dS_j = P_j (dP_j - D),
 *   dq = scale sum_j dS_j k_j,  dk_j += scale dS_j q,  dv_j += P_j g.
 *
 *   void wt_f32_sdpa_backward_<isa>(size_t batch, size_t heads, size_t kheads, size_t vheads,
 *       size_t L, size_t S, size_t E, size_t Ev, size_t flags, float scale,
 *       const float* q, const float* k, const float* v, const float* g,
 *       const float* mask, int m_bs, int m_hs, int m_rs,
 *       float* dq, float* dk, float* dv, float* scratch)
 *
 * q, dq, g [batch, heads, L, E / Ev], k, dk [batch, kheads, S, E], v, dv [batch, vheads, S, Ev]
 * all contiguous; mask (flags bit 1) additive [batch, heads, L, S] with the given strides;
 * flags bit 0 causal (key j seen by query i iff j <= i). Query head h reads key head
 * h / (heads / kheads) and value head h / (heads / vheads); dk, dv sum over the query heads
 * sharing them. A fully masked row (all scores -inf) contributes nothing, as the forward's
 * zero output. scratch: 2 S floats. Sums in float, in key order.
 */
#include "wt_vmath.h"

static float dot(const float* a, const float* b, size_t n) {
  v128_t acc = WT_SPLAT(0.0f);
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  float s = (wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1)) +
            (wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3));
  for (; i < n; i++) s += a[i] * b[i];
  return s;
}

static void axpy(float* y, float a, const float* x, size_t n) {
  for (size_t i = 0; i < n; i++) y[i] += a * x[i];
}

WT_EXPORT void WT_SYM(f32_sdpa_backward)(size_t batch, size_t heads, size_t kheads,
                                         size_t vheads, size_t L, size_t S, size_t E, size_t Ev,
                                         size_t flags, float scale, const float* q,
                                         const float* k, const float* v, const float* g,
                                         const float* mask, int m_bs, int m_hs, int m_rs,
                                         float* dq, float* dk, float* dv, float* scratch) {
  const int causal = flags & 1, masked = (flags & 2) != 0;
  for (size_t i = 0; i < batch * kheads * S * E; i++) dk[i] = 0.0f;
  for (size_t i = 0; i < batch * vheads * S * Ev; i++) dv[i] = 0.0f;
  float* p = scratch;
  float* dp = scratch + S;
  for (size_t b = 0; b < batch; b++) {
    for (size_t h = 0; h < heads; h++) {
      const size_t kh = h / (heads / kheads), vh = h / (heads / vheads);
      const float* kb = k + (b * kheads + kh) * S * E;
      const float* vb = v + (b * vheads + vh) * S * Ev;
      float* dkb = dk + (b * kheads + kh) * S * E;
      float* dvb = dv + (b * vheads + vh) * S * Ev;
      for (size_t i = 0; i < L; i++) {
        const size_t row = (b * heads + h) * L + i;
        const float* qi = q + row * E;
        const float* gi = g + row * Ev;
        float* dqi = dq + row * E;
        for (size_t e = 0; e < E; e++) dqi[e] = 0.0f;
        const size_t n = causal ? (i + 1 < S ? i + 1 : S) : S;
        const float* mr = masked ? mask + (ptrdiff_t)b * m_bs + (ptrdiff_t)h * m_hs +
                                       (ptrdiff_t)i * m_rs : 0;
        float m = -__builtin_inff();
        for (size_t j = 0; j < n; j++) {
          float s = scale * dot(qi, kb + j * E, E);
          if (masked) s += mr[j];
          p[j] = s;
          m = s > m ? s : m;
        }
        if (m == -__builtin_inff()) continue;      /* fully masked: zero output, no gradient */
        float l = 0.0f;
        size_t j = 0;
        const v128_t mv = WT_SPLAT(m);
        for (; j + 4 <= n; j += 4) {
          const v128_t e4 = wt_exp(wasm_f32x4_sub(wasm_v128_load(p + j), mv));
          wasm_v128_store(p + j, e4);
          l += (wasm_f32x4_extract_lane(e4, 0) + wasm_f32x4_extract_lane(e4, 1)) +
               (wasm_f32x4_extract_lane(e4, 2) + wasm_f32x4_extract_lane(e4, 3));
        }
        for (; j < n; j++) {
          p[j] = wasm_f32x4_extract_lane(wt_exp(WT_SPLAT(p[j] - m)), 0);
          l += p[j];
        }
        const float inv = 1.0f / l;
        float d = 0.0f;
        for (j = 0; j < n; j++) {
          p[j] *= inv;
          dp[j] = dot(gi, vb + j * Ev, Ev);
          d += p[j] * dp[j];
        }
        for (j = 0; j < n; j++) {
          const float ds = p[j] * (dp[j] - d) * scale;
          axpy(dqi, ds, kb + j * E, E);
          axpy(dkb + j * E, ds, qi, E);
          axpy(dvb + j * Ev, p[j], gi, Ev);
        }
      }
    }
  }
}
