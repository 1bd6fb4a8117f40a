/* Fused scaled dot-product attention with an online (streaming) softmax over blocks of
 * WT_SDPA_BK keys (flash-attention style): the [L, S] score matrix is never stored, only a
 * block of scores on the stack; the output rows double as the accumulators.
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
 *
 * Two forms:
 *  - L >= WT_SDPA_BLOCK_L (prefill, encoders): the sgemm form. K^T is packed into 8-key
 *    panels (the whole head once when it fits WT_SDPA_PANEL, else per key block and group of
 *    query rows), 4 query rows at a time get their scores from wt_gemm.h's 4x8 microkernel,
 *    the softmax update runs per row on those scores, and P V accumulates into the output
 *    rows through the same microkernel (V rows read in place).
 *  - otherwise (decode): one query row at a time, dot products along E.
 * Error: the scores carry E eps |q||k| scale; exp 1.5 ulp; output ~ (S / BK + 8) eps max|v|.
 */
#include "wt_softmax.h"
#define WT_MR 4
#include "wt_gemm.h"

#ifndef WT_SDPA_BK
#define WT_SDPA_BK 128
#endif


/* s[j] = q . k_j for nb keys starting at k (row stride k_rs) */
static void scores(const float* q, const float* k, int k_rs, size_t nb, size_t E, float* s) {
  const size_t E4 = E & ~(size_t)3;
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
    wasm_v128_store(s + j, wt_hsum4(a0, a1, a2, a3));
  }
  for (; j < nb; j++) {
    const float* kj = k + (ptrdiff_t)j * k_rs;
    v128_t a = WT_SPLAT(0.0f);
    size_t e = 0;
    for (; e < E4; e += 4) a = WT_MADD(wasm_v128_load(q + e), wasm_v128_load(kj + e), a);
    if (e < E)
      a = WT_MADD(wt_load_partial(q + e, E - e, 0.0f), wt_load_partial(kj + e, E - e, 0.0f), a);
    const v128_t z = WT_SPLAT(0.0f);
    s[j] = wasm_f32x4_extract_lane(wt_hsum4(a, z, z, z), 0);
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

/* The online-softmax step of one row over a block of nb raw scores s (times scale, plus the
 * mask row mb if any, in one pass that also finds the block max): s becomes
 * p = exp(s - m_new) and *l the running sum. Returns 0 when every score so far is -inf (the
 * row is left untouched), else 1 with *c = exp(m_old - m_new), the factor for what was
 * accumulated so far. */
/* not inlined: measured faster in both forms (register pressure), and smaller */
static __attribute__((noinline)) int softmax_step(float* s, size_t nb, float scale,
                                                  const float* mb, float* m, float* l,
                                                  float* c) {
  const v128_t sc = WT_SPLAT(scale);
  /* pmax (one x86 instruction; f32x4.max is several) skips nan scores: they give nan through
   * exp(nan - m) below, except in a block of only -inf and nan, checked for nan apart */
  v128_t bv = WT_SPLAT(-__builtin_inff());
  size_t j = 0;
  if (mb) {
    for (; j + 4 <= nb; j += 4) {
      const v128_t sv = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(s + j), sc),
                                       wasm_v128_load(mb + j));
      wasm_v128_store(s + j, sv);
      bv = wasm_f32x4_pmax(bv, sv);
    }
    for (size_t t = j; t < nb; t++) s[t] = s[t] * scale + mb[t];
  } else {
    for (; j + 4 <= nb; j += 4) {
      const v128_t sv = wasm_f32x4_mul(wasm_v128_load(s + j), sc);
      wasm_v128_store(s + j, sv);
      bv = wasm_f32x4_pmax(bv, sv);
    }
    for (size_t t = j; t < nb; t++) s[t] *= scale;
  }
  bv = wasm_f32x4_pmax(bv, wasm_i32x4_shuffle(bv, bv, 2, 3, 0, 1));
  bv = wasm_f32x4_pmax(bv, wasm_i32x4_shuffle(bv, bv, 1, 0, 3, 2));
  float bm = wasm_f32x4_extract_lane(bv, 0);
  for (size_t t = j; t < nb; t++) bm = nan_max(bm, s[t]);
  if (bm == -__builtin_inff())
    for (size_t t = 0; t < nb; t++) bm = nan_max(bm, s[t]);
  const float mn = nan_max(*m, bm);
  if (mn == -__builtin_inff()) return 0;             /* everything so far masked */
  const v128_t mv = WT_SPLAT(mn);
  *c = wasm_f32x4_extract_lane(wt_exp(WT_SPLAT(*m - mn)), 0);
  v128_t l0 = WT_SPLAT(0.0f), l1 = l0;
  j = 0;
  for (; j + 8 <= nb; j += 8) {
    const v128_t p0 = wt_exp_nonpos(wasm_f32x4_sub(wasm_v128_load(s + j), mv));
    const v128_t p1 = wt_exp_nonpos(wasm_f32x4_sub(wasm_v128_load(s + j + 4), mv));
    wasm_v128_store(s + j, p0);
    wasm_v128_store(s + j + 4, p1);
    l0 = wasm_f32x4_add(l0, p0);
    l1 = wasm_f32x4_add(l1, p1);
  }
  for (; j < nb; j += 4) {
    const size_t r = nb - j;
    const v128_t x = r >= 4 ? wasm_v128_load(s + j) : wt_load_partial(s + j, r, -__builtin_inff());
    const v128_t p = wt_exp_nonpos(wasm_f32x4_sub(x, mv));
    if (r >= 4)
      wasm_v128_store(s + j, p);
    else
      wt_store_partial(s + j, r, p);
    l0 = wasm_f32x4_add(l0, p);
  }
  const v128_t z = WT_SPLAT(0.0f);
  *l = *l * *c + wasm_f32x4_extract_lane(wt_hsum4(wasm_f32x4_add(l0, l1), z, z, z), 0);
  *m = mn;
  return 1;
}

static void scale_row(float* y, size_t n, float c) {
  const v128_t cv = WT_SPLAT(c);
  size_t e = 0;
  for (; e + 4 <= n; e += 4) wasm_v128_store(y + e, wasm_f32x4_mul(wasm_v128_load(y + e), cv));
  for (; e < n; e++) y[e] *= c;
}

/* One query row: y[0..Ev) = softmax(scale q K^T + mask) V over the first Se keys */
static void attend_row(const float* q, const float* k, int k_rs, const float* v, int v_rs,
                       const float* mrow, size_t Se, size_t E, size_t Ev, float scale,
                       float* y) {
  float s[WT_SDPA_BK];
  float m = -__builtin_inff(), l = 0.0f, c;
  for (size_t e = 0; e < Ev; e++) y[e] = 0.0f;
  for (size_t j0 = 0; j0 < Se; j0 += WT_SDPA_BK) {
    const size_t nb = wt_min_size(WT_SDPA_BK, Se - j0);
    scores(q, k + (ptrdiff_t)j0 * k_rs, k_rs, nb, E, s);
    if (softmax_step(s, nb, scale, mrow ? mrow + j0 : 0, &m, &l, &c))
      accumulate(y, c, s, v + (ptrdiff_t)j0 * v_rs, v_rs, nb, Ev);
  }
  if (l != 0.0f) scale_row(y, Ev, 1.0f / l);   /* l == 0: fully masked, y stays 0 */
}

/* The sgemm form. The K^T panel holds a whole head when roundup(S, 8) * E fits, else one key
 * block, packed again for each group of WT_SDPA_QG query rows (1/QG of the score work). */
#define WT_SDPA_BLOCK_L 4
#define WT_SDPA_QG 64
#define WT_SDPA_PANEL (32 * 1024)   /* floats: 128 KiB, E <= 256 */
static float kpanel[WT_SDPA_PANEL] __attribute__((aligned(16)));

/* kpanel[g*8*E + e*8 + c] = K[8g + c][e] for the n keys from k (zeros past n) */
static void pack_keys(const float* k, int k_rs, size_t n, size_t E) {
  for (size_t g = 0; g * WT_NR < n; g++)
    wt_pack_wt8(wt_min_size(WT_NR, n - g * WT_NR), E, k + (ptrdiff_t)(g * WT_NR) * k_rs, k_rs,
                kpanel + g * WT_NR * E);
}

/* Query rows [i0, i0 + qg) of one head */
static void attend_block(const float* q, int q_rs, const float* k, int k_rs, const float* v,
                         int v_rs, const float* mh, int m_rs, size_t i0, size_t qg, size_t S,
                         size_t E, size_t Ev, int causal, int whole, float scale, float* y) {
  float s[WT_MR * WT_SDPA_BK] __attribute__((aligned(16)));
  float m[WT_SDPA_QG], l[WT_SDPA_QG];
  for (size_t r = 0; r < qg; r++) m[r] = -__builtin_inff(), l[r] = 0.0f;
  for (size_t e = 0; e < qg * Ev; e++) y[i0 * Ev + e] = 0.0f;
  const size_t Se = causal ? wt_min_size(S, i0 + qg) : S;
  for (size_t j0 = 0; j0 < Se; j0 += WT_SDPA_BK) {
    const size_t nb = wt_min_size(WT_SDPA_BK, Se - j0);
    const float* kp = kpanel + j0 * E;
    if (!whole) {
      pack_keys(k + (ptrdiff_t)j0 * k_rs, k_rs, nb, E);
      kp = kpanel;
    }
    for (size_t r0 = 0; r0 < qg; r0 += WT_MR) {
      const size_t mr = wt_min_size(WT_MR, qg - r0), i = i0 + r0;
      if (causal && j0 >= i + mr) continue;   /* every key of the block masked for these rows */
      /* causal: keys past the block's last row are masked for all its rows */
      const size_t nk = causal ? wt_min_size(nb, i + mr - j0) : nb;
      const float* qr = q + (ptrdiff_t)i * q_rs;
      for (size_t g = 0; g < nk; g += WT_NR)
        wt_ukernel(mr, wt_min_size(WT_NR, nk - g), E, qr, q_rs, 1, kp + g * E, WT_NR, 1, s + g,
                   WT_SDPA_BK, WT_INIT_ZERO, 0);
      for (size_t r = 0; r < mr; r++) {
        float* sr = s + r * WT_SDPA_BK;
        /* causal: row i + r sees keys up to i + r; the rest of the block's nk get p = 0 */
        size_t nv = !causal ? nk : i + r + 1 > j0 ? wt_min_size(nk, i + r + 1 - j0) : 0;
        float c = 1.0f;
        if (nv && !softmax_step(sr, nv, scale, mh ? mh + (ptrdiff_t)(i + r) * m_rs + j0 : 0,
                          &m[r0 + r], &l[r0 + r], &c))
          nv = 0;
        else if (c != 1.0f)
          scale_row(y + (i + r) * Ev, Ev, c);
        for (size_t t = nv; t < nk; t++) sr[t] = 0.0f;
      }
      for (size_t e = 0; e < Ev; e += WT_NR) {
        const size_t nr = wt_min_size(WT_NR, Ev - e);
        wt_ukernel(mr, nr, nk, s, WT_SDPA_BK, 1, v + (ptrdiff_t)j0 * v_rs + e, v_rs,
                   nr == WT_NR, y + i * Ev + e, Ev, WT_INIT_LOAD_C, 0);
      }
    }
  }
  for (size_t r = 0; r < qg; r++)
    if (l[r] != 0.0f) scale_row(y + (i0 + r) * Ev, Ev, 1.0f / l[r]);
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
      if (L >= WT_SDPA_BLOCK_L && WT_SDPA_BK * E <= WT_SDPA_PANEL) {
        const size_t S8 = (S + WT_NR - 1) / WT_NR * WT_NR;
        const int whole = S8 * E <= WT_SDPA_PANEL;
        if (whole) pack_keys(kh, k_rs, S, E);
        for (size_t i0 = 0; i0 < L; i0 += WT_SDPA_QG)
          attend_block(qh, q_rs, kh, k_rs, vh, v_rs, mh, m_rs, i0,
                       wt_min_size(WT_SDPA_QG, L - i0), S, E, Ev, causal, whole, scale, yh);
        continue;
      }
      for (size_t i = 0; i < L; i++) {
        const size_t Se = causal ? wt_min_size(S, i + 1) : S;
        attend_row(qh + (ptrdiff_t)i * q_rs, kh, k_rs, vh, v_rs,
                   mh ? mh + (ptrdiff_t)i * m_rs : 0, Se, E, Ev, scale, yh + i * Ev);
      }
    }
  }
}
