/* Backward kernels for the training hot paths (the first-order fast paths of the derivatives
 * table; the formulas in ops/derivatives*.py stay the differentiable definition).
 *
 *   void wt_f32_act_backward_<isa>(size_t n, size_t op, const float* g, const float* x, float* y)
 *     y = g * act'(x); op 0 relu (torch's threshold_backward: 0 where x <= 0, x may be relu's
 *     output), 1 gelu (erf), 2 gelu (tanh), 3 silu. Torch's formulas; erf/exp as f32_verf/vexp.
 *   void wt_f32_softmax_backward_<isa>(size_t outer, size_t n, size_t inner, size_t log,
 *                                      const float* g, const float* y, float* dx)
 *     over the middle axis of contiguous [outer, n, inner]; y the forward's output:
 *     softmax: dx = y (g - sum(g y)); log_softmax: dx = g - exp(y) sum(g).
 *   void wt_f32_cross_entropy_<isa>(size_t rows, size_t c, size_t flags, float smoothing,
 *                                   int32_t ignore_index, const int64_t* target,
 *                                   const float* x, float* loss, float* dx, int32_t* status)
 *     log_softmax + nll (+ label smoothing) of x [rows, c] in one pass; flags & 3: reduction
 *     (0 none: loss [rows], 1 sum, 2 mean: loss [1]), flags & 4: also write dx [rows, c], the
 *     gradient of the (reduced) loss. Row loss (1 - s) (lse - x_t) + s / c (c lse - sum x);
 *     its gradient softmax(x) - (1 - s) onehot(t) - s / c; ignored rows give 0. Sums over
 *     rows in double. status[0] = 1 + the first row whose target is out of [0, c).
 *   void wt_f32_norm_backward_<isa>(size_t rows, size_t n, size_t flags, float eps,
 *                                   const float* g, const float* x, const float* w,
 *                                   float* dx, float* dw, float* db)
 *     layer_norm (flags & 8: rms_norm) over rows of [rows, n]: statistics recomputed (two
 *     passes), dx = rstd (gw - mean(gw) - xhat mean(gw xhat)) with gw = g w (rms: no
 *     mean(gw) term); flags & 1: w given, & 2: dw = sum over rows of g xhat, & 4: db = sum g.
 */
#include "wt_common.h"
#include "wt_vmath.h"
#include "wt_softmax.h"

/* gelu' needs erfc to full relative precision where x << 0 (the forward's erf, a rational
 * in x, is only accurate to 7 ulp of 1): erf and erfc of |z| with exp(-z^2) unrounded. */
/* exp(-s v^2) for v >= 0 and s = 1 or 0.5, without rounding v^2: v = vh + vl with a 12-bit
 * vh, so s vh^2 is exact and the remainder s (v - vh)(v + vh) is small. */
static inline v128_t wt_exp_neg_sq(v128_t v, float s) {
  const v128_t vc = wasm_f32x4_min(v, WT_SPLAT(16.0f)); /* exp(-128) is 0 already */
  const v128_t vh = wasm_v128_and(vc, wasm_i32x4_splat((int32_t)0xfffff000u));
  const v128_t d = wasm_f32x4_mul(wasm_f32x4_mul(wasm_f32x4_sub(vc, vh), wasm_f32x4_add(vc, vh)),
                                  WT_SPLAT(s));
  const v128_t h = wasm_f32x4_mul(wasm_f32x4_mul(vh, vh), WT_SPLAT(s));
  return wasm_f32x4_mul(wt_exp(wasm_f32x4_neg(h)), wt_exp(wasm_f32x4_neg(d)));
}

/* erf(a) and erfc(a) for a = |z| >= 0 (nan passes through). exp(-z^2) is taken as
 * wt_exp_neg_sq(sq, s) so callers whose z is a rounded x/sqrt(2) can pass sq = |x|, s = 0.5
 * and avoid that rounding's amplification (by 2 z^2) in erfc. erf: max error 3 ulp;
 * erfc: max error 4 ulp relative (for a < 0.92 it is 1 - erf: 2^-23 absolute). */
static inline void wt_erf_erfc_abs(v128_t a, v128_t sq, float s, v128_t* erf_a,
                                   v128_t* erfc_a) {
  const v128_t small = wasm_f32x4_lt(a, WT_SPLAT(0.921875f));
  /* |a| < 0.921875: erf = a P(a^2) */
  const v128_t a2 = wasm_f32x4_mul(a, a);
  v128_t p = WT_MADD(WT_SPLAT(8.370249270e-05f), a2, WT_SPLAT(-8.142745937e-04f));
  p = WT_MADD(p, a2, WT_SPLAT(5.201036576e-03f));
  p = WT_MADD(p, a2, WT_SPLAT(-2.685940079e-02f));
  p = WT_MADD(p, a2, WT_SPLAT(1.128369570e-01f));
  p = WT_MADD(p, a2, WT_SPLAT(-3.761263490e-01f));
  p = WT_MADD(p, a2, WT_SPLAT(1.128379226e+00f));
  const v128_t es = wasm_f32x4_mul(a, p);
  /* a >= 0.921875: erfc = exp(-a^2) Q(1/a), Q = erfcx fitted on [0.92, 2) and [2, 10.5] */
  const v128_t ac = wasm_f32x4_min(wasm_f32x4_max(a, WT_SPLAT(0.921875f)), WT_SPLAT(10.5f));
  const v128_t lo = wasm_f32x4_lt(ac, WT_SPLAT(2.0f));
#define WT_C(c_lo, c_hi) wasm_v128_bitselect(WT_SPLAT(c_lo), WT_SPLAT(c_hi), lo)
  const v128_t w = wasm_f32x4_div(WT_SPLAT(1.0f), ac);
  v128_t q = WT_MADD(WT_C(8.655885234e-03f, -3.164578378e-01f), w,
                     WT_C(-5.371561274e-02f, 5.738950968e-01f));
  q = WT_MADD(q, w, WT_C(1.280817091e-01f, -6.079511344e-02f));
  q = WT_MADD(q, w, WT_C(-1.085485145e-01f, -6.576730609e-01f));
  q = WT_MADD(q, w, WT_C(-1.226922348e-01f, 6.240433455e-01f));
  q = WT_MADD(q, w, WT_C(4.180937707e-01f, -3.565203771e-02f));
  q = WT_MADD(q, w, WT_C(-4.326746464e-01f, -2.783478498e-01f));
  q = WT_MADD(q, w, WT_C(2.847990580e-02f, -2.157750423e-04f));
  q = WT_MADD(q, w, WT_C(5.619032979e-01f, 5.641947985e-01f));
  q = wasm_f32x4_mul(q, w);
#undef WT_C
  const v128_t ex = wt_exp_neg_sq(sq, s);
  const v128_t ec = wasm_f32x4_mul(ex, q);
  *erf_a = wasm_v128_bitselect(es, wasm_f32x4_sub(WT_SPLAT(1.0f), ec), small);
  *erfc_a = wasm_v128_bitselect(wasm_f32x4_sub(WT_SPLAT(1.0f), es), ec, small);
}

#define ACT_RELU 0
#define ACT_GELU 1
#define ACT_GELU_TANH 2
#define ACT_SILU 3

static inline v128_t act_grad(v128_t x, size_t op) {
  const v128_t one = WT_SPLAT(1.0f), half = WT_SPLAT(0.5f);
  if (op == ACT_GELU) {
    const v128_t ax = wasm_f32x4_abs(x);
    v128_t erf_a, erfc_a;
    wt_erf_erfc_abs(wasm_f32x4_mul(ax, WT_SPLAT(0.70710678118654752f)), ax, 0.5f, &erf_a,
                    &erfc_a);
    const v128_t cdf = wasm_v128_bitselect(wasm_f32x4_mul(half, wasm_f32x4_add(one, erf_a)),
                                           wasm_f32x4_mul(half, erfc_a),
                                           wasm_f32x4_ge(x, WT_SPLAT(0.0f)));
    const v128_t pdf = wasm_f32x4_mul(wt_exp_neg_sq(ax, 0.5f), WT_SPLAT(0.3989422804014327f));
    return wasm_f32x4_add(cdf, wasm_f32x4_mul(x, pdf));
  }
  if (op == ACT_GELU_TANH) {
    const v128_t beta = WT_SPLAT(0.7978845608028654f), kappa = WT_SPLAT(0.044715f);
    const v128_t x2 = wasm_f32x4_mul(x, x);
    const v128_t inner = wasm_f32x4_mul(beta, wasm_f32x4_add(x, wasm_f32x4_mul(kappa,
                                                                   wasm_f32x4_mul(x2, x))));
    /* 1 + tanh(u) and 1 - tanh(u) from a = exp(-2|u|), each to full relative precision
     * (1 + t = 2 / (1 + a) for u >= 0, 2a / (1 + a) below; 1 - t the other way round), so
     * the terms keep their digits where gelu' is tiny (x << 0) */
    const v128_t a = wt_exp(wasm_f32x4_mul(WT_SPLAT(-2.0f), wasm_f32x4_abs(inner)));
    const v128_t big = wasm_f32x4_div(WT_SPLAT(2.0f), wasm_f32x4_add(one, a));
    const v128_t small = wasm_f32x4_mul(big, a);
    const v128_t pos = wasm_f32x4_ge(inner, WT_SPLAT(0.0f));
    const v128_t onep = wasm_v128_bitselect(big, small, pos);     /* 1 + t */
    const v128_t onem = wasm_v128_bitselect(small, big, pos);     /* 1 - t */
    const v128_t left_d = wasm_f32x4_mul(half, onep);
    const v128_t right_d = wasm_f32x4_mul(
        wasm_f32x4_mul(wasm_f32x4_mul(half, x), wasm_f32x4_mul(onep, onem)),
        wasm_f32x4_mul(beta, wasm_f32x4_add(one, wasm_f32x4_mul(WT_SPLAT(3.0f * 0.044715f), x2))));
    return wasm_f32x4_add(left_d, right_d);
  }
  /* silu: s (1 + x (1 - s)), s = sigmoid(x) = 1 / (1 + exp(-x)) */
  const v128_t s = wasm_f32x4_div(one, wasm_f32x4_add(one, wt_exp(wasm_f32x4_neg(x))));
  return wasm_f32x4_mul(s, wasm_f32x4_add(one, wasm_f32x4_mul(x, wasm_f32x4_sub(one, s))));
}

static inline v128_t act_backward4(v128_t g, v128_t x, size_t op) {
  if (op == ACT_RELU)   /* g unless x <= 0 (nan keeps g, as torch's threshold_backward) */
    return wasm_v128_andnot(g, wasm_f32x4_le(x, WT_SPLAT(0.0f)));
  return wasm_f32x4_mul(g, act_grad(x, op));
}

WT_EXPORT void WT_SYM(f32_act_backward)(size_t n, size_t op, const float* g, const float* x,
                                        float* y) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    wasm_v128_store(y + i, act_backward4(wasm_v128_load(g + i), wasm_v128_load(x + i), op));
  if (i < n)
    wt_store_partial(y + i, n - i, act_backward4(wt_load_partial(g + i, n - i, 0.0f),
                                                 wt_load_partial(x + i, n - i, 0.0f), op));
}

static inline float hsum(v128_t v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) +
         (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}

static inline float exp1(float v) { return wasm_f32x4_extract_lane(wt_exp(WT_SPLAT(v)), 0); }

WT_EXPORT void WT_SYM(f32_softmax_backward)(size_t outer, size_t n, size_t inner, size_t log,
                                            const float* g, const float* y, float* dx) {
  for (size_t o = 0; o < outer; o++) {
    const float* go = g + o * n * inner;
    const float* yo = y + o * n * inner;
    float* d = dx + o * n * inner;
    if (inner == 1) {
      v128_t acc = WT_SPLAT(0.0f);
      size_t k = 0;
      for (; k + 4 <= n; k += 4) {
        const v128_t gv = wasm_v128_load(go + k);
        acc = wasm_f32x4_add(acc, log ? gv : wasm_f32x4_mul(gv, wasm_v128_load(yo + k)));
      }
      float s = hsum(acc);
      for (; k < n; k++) s += log ? go[k] : go[k] * yo[k];
      const v128_t sv = WT_SPLAT(s);
      for (k = 0; k + 4 <= n; k += 4) {
        const v128_t gv = wasm_v128_load(go + k), yv = wasm_v128_load(yo + k);
        wasm_v128_store(d + k, log ? wasm_f32x4_sub(gv, wasm_f32x4_mul(wt_exp(yv), sv))
                                   : wasm_f32x4_mul(yv, wasm_f32x4_sub(gv, sv)));
      }
      for (; k < n; k++) d[k] = log ? go[k] - exp1(yo[k]) * s : yo[k] * (go[k] - s);
      continue;
    }
    for (size_t i = 0; i < inner; i++) {
      float s = 0.0f;
      for (size_t k = 0; k < n; k++) s += log ? go[k * inner + i] : go[k * inner + i] * yo[k * inner + i];
      for (size_t k = 0; k < n; k++) {
        const size_t j = k * inner + i;
        d[j] = log ? go[j] - exp1(yo[j]) * s : yo[j] * (go[j] - s);
      }
    }
  }
}

WT_EXPORT void WT_SYM(f32_cross_entropy)(size_t rows, size_t c, size_t flags, float smoothing,
                                         int32_t ignore_index, const int64_t* target,
                                         const float* x, float* loss, float* dx,
                                         int32_t* status) {
  const size_t reduction = flags & 3;
  const int grad = (flags & 4) != 0;
  const float keep = 1.0f - smoothing, spread = smoothing / (float)c;
  double total = 0.0;
  size_t valid = 0;
  status[0] = 0;
  for (size_t r = 0; r < rows; r++) {
    const float* xr = x + r * c;
    float* dr = dx + r * c;
    const int64_t t = target[r];
    if (t == (int64_t)ignore_index) {
      if (reduction == 0) loss[r] = 0.0f;
      if (grad)
        for (size_t j = 0; j < c; j++) dr[j] = 0.0f;
      continue;
    }
    if (t < 0 || t >= (int64_t)c) {
      status[0] = (int32_t)(r + 1);
      return;
    }
    v128_t mv = WT_SPLAT(-__builtin_inff());
    size_t j = 0;
    for (; j + 4 <= c; j += 4) mv = wasm_f32x4_pmax(mv, wasm_v128_load(xr + j));
    float m = wasm_f32x4_extract_lane(mv, 0);
    for (int l = 1; l < 4; l++) {
      const float v = l == 1 ? wasm_f32x4_extract_lane(mv, 1)
                    : l == 2 ? wasm_f32x4_extract_lane(mv, 2) : wasm_f32x4_extract_lane(mv, 3);
      m = v > m ? v : m;
    }
    for (; j < c; j++) m = xr[j] > m ? xr[j] : m;
    const v128_t msplat = WT_SPLAT(m);
    v128_t se = WT_SPLAT(0.0f), sx = WT_SPLAT(0.0f);
    for (j = 0; j + 4 <= c; j += 4) {
      const v128_t v = wasm_v128_load(xr + j);
      const v128_t e = wt_exp_nonpos(wasm_f32x4_sub(v, msplat));   /* x - max <= 0 */
      if (grad) wasm_v128_store(dr + j, e);
      se = wasm_f32x4_add(se, e);
      sx = wasm_f32x4_add(sx, v);
    }
    float s = hsum(se), sumx = hsum(sx);
    for (; j < c; j++) {
      const float e = exp1(xr[j] - m);
      if (grad) dr[j] = e;
      s += e;
      sumx += xr[j];
    }
    const float lse = m + wasm_f32x4_extract_lane(wt_log(WT_SPLAT(s)), 0);
    float row = keep * (lse - xr[t]);
    if (smoothing != 0.0f) row += spread * ((float)c * lse - sumx);
    if (reduction == 0) loss[r] = row;
    total += row;
    valid++;
    if (grad) {
      const v128_t inv = WT_SPLAT(1.0f / s), sp = WT_SPLAT(spread);
      for (j = 0; j + 4 <= c; j += 4)
        wasm_v128_store(dr + j, wasm_f32x4_sub(wasm_f32x4_mul(wasm_v128_load(dr + j), inv), sp));
      for (; j < c; j++) dr[j] = dr[j] * (1.0f / s) - spread;
      dr[t] -= keep;
    }
  }
  if (reduction == 1) loss[0] = (float)total;
  if (reduction == 2) loss[0] = (float)(total / (double)valid);   /* 0 / 0: nan, as torch */
  if (grad && reduction == 2 && valid > 1) {
    const v128_t sc = WT_SPLAT((float)(1.0 / (double)valid));
    const size_t n = rows * c;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) wasm_v128_store(dx + i, wasm_f32x4_mul(wasm_v128_load(dx + i), sc));
    for (; i < n; i++) dx[i] *= (float)(1.0 / (double)valid);
  }
}

WT_EXPORT void WT_SYM(f32_norm_backward)(size_t rows, size_t n, size_t flags, float eps,
                                         const float* g, const float* x, const float* w,
                                         float* dx, float* dw, float* db) {
  const int rms = (flags & 8) != 0, has_w = flags & 1, want_dw = flags & 2, want_db = flags & 4;
  if (want_dw)
    for (size_t j = 0; j < n; j++) dw[j] = 0.0f;
  if (want_db)
    for (size_t j = 0; j < n; j++) db[j] = 0.0f;
  if (n == 0) return;
  for (size_t r = 0; r < rows; r++) {
    const float* xr = x + r * n;
    const float* gr = g + r * n;
    float* dr = dx + r * n;
    float mean = 0.0f;
    if (!rms) {
      float s = 0.0f;
      for (size_t j = 0; j < n; j++) s += xr[j];
      mean = s / (float)n;
    }
    float ss = 0.0f;
    for (size_t j = 0; j < n; j++) ss += (xr[j] - mean) * (xr[j] - mean);
    const float rstd = 1.0f / wasm_f32x4_extract_lane(
        wasm_f32x4_sqrt(WT_SPLAT(ss / (float)n + eps)), 0);
    float sg = 0.0f, sgx = 0.0f;
    for (size_t j = 0; j < n; j++) {
      const float xh = (xr[j] - mean) * rstd;
      const float gw = has_w ? gr[j] * w[j] : gr[j];
      sg += gw;
      sgx += gw * xh;
      if (want_dw) dw[j] += gr[j] * xh;
      if (want_db) db[j] += gr[j];
    }
    const float mg = rms ? 0.0f : sg / (float)n, mgx = sgx / (float)n;
    for (size_t j = 0; j < n; j++) {
      const float xh = (xr[j] - mean) * rstd;
      const float gw = has_w ? gr[j] * w[j] : gr[j];
      dr[j] = rstd * (gw - mg - xh * mgx);
    }
  }
}
