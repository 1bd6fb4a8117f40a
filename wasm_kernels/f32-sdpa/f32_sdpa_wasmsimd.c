/* Fused scaled dot-product attention, one query row at a time with an online (streaming)
 * softmax over blocks of WT_SDPA_BK keys (flash-attention style): the [L, S] score matrix is
 * never stored, only WT_SDPA_BK scores on the stack; the output row doubles as the
 * accumulator.
 *
 *   void wt_f32_sdpa_<isa>(size_t batch, size_t heads, size_t kheads, size_t vheads,
 *       size_t L, size_t S, size_t E, size_t Ev, size_t flags, float scale,
 *       const float* q, int q_bs, int q_hs, int q_rs,
 *       const float* k, int k_bs, int k_hs, int k_rs,
 *       const float* v, int v_bs, int v_hs, int v_rs,
 *       const float* mask, int m_bs, int m_hs, int m_rs, float* y)
 *
 * q [batch, heads, L, E], k [batch, kheads, S, E], v [batch, vheads, S, Ev], mask
 * [batch, heads, L, S], each with the given batch / head / row strides (in elements) and unit
 * column stride; y [batch, heads, L, Ev] contiguous. Query head h reads key head
 * h / (heads / kheads) and value head h / (heads / vheads) (grouped-query attention).
 * flags: bit 0 causal (key j is seen by query i iff j <= i), bit 1 mask given (additive).
 * A row whose scores are all -inf gives zeros (torch); nan or +inf scores give nan.
 * Error: the scores carry E eps |q||k| scale; exp 1.5 ulp; output ~ (S / BK + 8) eps max|v|.
 */
#include "wt_vmath.h"

#define WT_SDPA_BK 64


/* s[j] = scale * q . k_j for nb keys starting at k (row stride k_rs) */
static void scores(const float* q, const float* k, int k_rs, size_t nb, size_t E, float scale,
                   float* s) {
  const size_t E4 = E & ~(size_t)3;
  const v128_t sc = WT_SPLAT(scale);
  size_t j = 0;
  for (; j + 4 <= nb; j += 4) {
    const float* k0 = k + (ptrdiff_t)j * k_rs;
    const float* k1 = k0 + k_rs;
    const float* k2 = k1 + k_rs;
    const float* k3 = k2 + k_rs;
    v128_t a0 = WT_SPLAT(0.0f), a1 = a0, a2 = a0, a3 = a0;
    size_t e = 0;
    for (; e < E4; e += 4) {
      const v128_t qv = wasm_v128_load(q + e);
      a0 = WT_MADD(qv, wasm_v128_load(k0 + e), a0);
      a1 = WT_MADD(qv, wasm_v128_load(k1 + e), a1);
      a2 = WT_MADD(qv, wasm_v128_load(k2 + e), a2);
      a3 = WT_MADD(qv, wasm_v128_load(k3 + e), a3);
    }
    if (e < E) {
      const v128_t qv = wt_load_partial(q + e, E - e, 0.0f);
      a0 = WT_MADD(qv, wt_load_partial(k0 + e, E - e, 0.0f), a0);
      a1 = WT_MADD(qv, wt_load_partial(k1 + e, E - e, 0.0f), a1);
      a2 = WT_MADD(qv, wt_load_partial(k2 + e, E - e, 0.0f), a2);
      a3 = WT_MADD(qv, wt_load_partial(k3 + e, E - e, 0.0f), a3);
    }
    wasm_v128_store(s + j, wasm_f32x4_mul(wt_hsum4(a0, a1, a2, a3), sc));
  }
  for (; j < nb; j++) {
    const float* kj = k + (ptrdiff_t)j * k_rs;
    v128_t a = WT_SPLAT(0.0f);
    size_t e = 0;
    for (; e < E4; e += 4) a = WT_MADD(wasm_v128_load(q + e), wasm_v128_load(kj + e), a);
    if (e < E)
      a = WT_MADD(wt_load_partial(q + e, E - e, 0.0f), wt_load_partial(kj + e, E - e, 0.0f), a);
    const v128_t z = WT_SPLAT(0.0f);
    s[j] = wasm_f32x4_extract_lane(wt_hsum4(a, z, z, z), 0) * scale;
  }
}

static inline float nan_max(float a, float b) {
  if (a != a || b != b) return a + b;
  return a > b ? a : b;
}

/* y = y * c + sum_j p[j] v_j over nb value rows */
static void accumulate(float* y, float c, const float* p, const float* v, int v_rs, size_t nb,
                       size_t Ev) {
  const size_t E4 = Ev & ~(size_t)3;
  if (c != 1.0f) {
    const v128_t cv = WT_SPLAT(c);
    size_t e = 0;
    for (; e < E4; e += 4) wasm_v128_store(y + e, wasm_f32x4_mul(wasm_v128_load(y + e), cv));
    for (; e < Ev; e++) y[e] *= c;
  }
  size_t j = 0;
  for (; j + 4 <= nb; j += 4) {
    const float* v0 = v + (ptrdiff_t)j * v_rs;
    const float* v1 = v0 + v_rs;
    const float* v2 = v1 + v_rs;
    const float* v3 = v2 + v_rs;
    const v128_t p0 = WT_SPLAT(p[j]), p1 = WT_SPLAT(p[j + 1]);
    const v128_t p2 = WT_SPLAT(p[j + 2]), p3 = WT_SPLAT(p[j + 3]);
    size_t e = 0;
    for (; e < E4; e += 4) {
      v128_t acc = wasm_v128_load(y + e);
      acc = WT_MADD(p0, wasm_v128_load(v0 + e), acc);
      acc = WT_MADD(p1, wasm_v128_load(v1 + e), acc);
      acc = WT_MADD(p2, wasm_v128_load(v2 + e), acc);
      acc = WT_MADD(p3, wasm_v128_load(v3 + e), acc);
      wasm_v128_store(y + e, acc);
    }
    for (; e < Ev; e++) y[e] += p[j] * v0[e] + p[j + 1] * v1[e] + p[j + 2] * v2[e] + p[j + 3] * v3[e];
  }
  for (; j < nb; j++) {
    const float* vj = v + (ptrdiff_t)j * v_rs;
    const v128_t pj = WT_SPLAT(p[j]);
    size_t e = 0;
    for (; e < E4; e += 4)
      wasm_v128_store(y + e, WT_MADD(pj, wasm_v128_load(vj + e), wasm_v128_load(y + e)));
    for (; e < Ev; e++) y[e] += p[j] * vj[e];
  }
}

/* One query row: y[0..Ev) = softmax(scale q K^T + mask) V over the first Se keys */
static void attend_row(const float* q, const float* k, int k_rs, const float* v, int v_rs,
                       const float* mrow, size_t Se, size_t E, size_t Ev, float scale,
                       float* y) {
  float s[WT_SDPA_BK];
  float m = -__builtin_inff(), l = 0.0f;
  for (size_t e = 0; e < Ev; e++) y[e] = 0.0f;
  for (size_t j0 = 0; j0 < Se; j0 += WT_SDPA_BK) {
    const size_t nb = wt_min_size(WT_SDPA_BK, Se - j0);
    scores(q, k + (ptrdiff_t)j0 * k_rs, k_rs, nb, E, scale, s);
    v128_t bv = WT_SPLAT(-__builtin_inff());   /* f32x4.max propagates nan, like nan_max */
    size_t j = 0;
    if (mrow) {
      const float* mb = mrow + j0;
      for (; j + 4 <= nb; j += 4) {
        const v128_t sv = wasm_f32x4_add(wasm_v128_load(s + j), wasm_v128_load(mb + j));
        wasm_v128_store(s + j, sv);
        bv = wasm_f32x4_max(bv, sv);
      }
      for (size_t t = j; t < nb; t++) s[t] += mb[t];
    } else {
      for (; j + 4 <= nb; j += 4) bv = wasm_f32x4_max(bv, wasm_v128_load(s + j));
    }
    bv = wasm_f32x4_max(bv, wasm_i32x4_shuffle(bv, bv, 2, 3, 0, 1));
    bv = wasm_f32x4_max(bv, wasm_i32x4_shuffle(bv, bv, 1, 0, 3, 2));
    float bm = wasm_f32x4_extract_lane(bv, 0);
    for (size_t t = j; t < nb; t++) bm = nan_max(bm, s[t]);
    const float mn = nan_max(m, bm);
    if (mn == -__builtin_inff()) continue;             /* everything so far masked */
    const v128_t mv = WT_SPLAT(mn);
    const float c = wasm_f32x4_extract_lane(wt_exp(WT_SPLAT(m - mn)), 0);
    v128_t ls = WT_SPLAT(0.0f);
    j = 0;
    for (; j + 4 <= nb; j += 4) {
      const v128_t p = wt_exp(wasm_f32x4_sub(wasm_v128_load(s + j), mv));
      wasm_v128_store(s + j, p);
      ls = wasm_f32x4_add(ls, p);
    }
    if (j < nb) {
      const v128_t p = wt_exp(wasm_f32x4_sub(wt_load_partial(s + j, nb - j, -__builtin_inff()), mv));
      wt_store_partial(s + j, nb - j, p);
      ls = wasm_f32x4_add(ls, p);
    }
    const v128_t z = WT_SPLAT(0.0f);
    l = l * c + wasm_f32x4_extract_lane(wt_hsum4(ls, z, z, z), 0);
    accumulate(y, c, s, v + (ptrdiff_t)j0 * v_rs, v_rs, nb, Ev);
    m = mn;
  }
  if (l != 0.0f) {   /* l == 0: fully masked, y stays 0 */
    const float inv = 1.0f / l;
    for (size_t e = 0; e < Ev; e++) y[e] *= inv;
  }
}

WT_EXPORT void WT_SYM(f32_sdpa)(size_t batch, size_t heads, size_t kheads, size_t vheads,
                                size_t L, size_t S, size_t E, size_t Ev, size_t flags,
                                float scale, const float* q, int q_bs, int q_hs, int q_rs,
                                const float* k, int k_bs, int k_hs, int k_rs, const float* v,
                                int v_bs, int v_hs, int v_rs, const float* mask, int m_bs,
                                int m_hs, int m_rs, float* y) {
  if (heads == 0 || kheads == 0 || vheads == 0) return;
  const size_t gk = heads / kheads, gv = heads / vheads;
  const int causal = (int)(flags & 1), has_mask = (int)(flags & 2);
  for (size_t b = 0; b < batch; b++) {
    for (size_t h = 0; h < heads; h++) {
      const float* qh = q + (ptrdiff_t)b * q_bs + (ptrdiff_t)h * q_hs;
      const float* kh = k + (ptrdiff_t)b * k_bs + (ptrdiff_t)(h / gk) * k_hs;
      const float* vh = v + (ptrdiff_t)b * v_bs + (ptrdiff_t)(h / gv) * v_hs;
      const float* mh = has_mask ? mask + (ptrdiff_t)b * m_bs + (ptrdiff_t)h * m_hs : 0;
      float* yh = y + (b * heads + h) * L * Ev;
      for (size_t i = 0; i < L; i++) {
        const size_t Se = causal ? wt_min_size(S, i + 1) : S;
        attend_row(qh + (ptrdiff_t)i * q_rs, kh, k_rs, vh, v_rs,
                   mh ? mh + (ptrdiff_t)i * m_rs : 0, Se, E, Ev, scale, yh + i * Ev);
      }
    }
  }
}
