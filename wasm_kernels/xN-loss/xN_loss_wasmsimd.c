/* Pointwise losses with their reduction in the same pass (ops/loss.py: mse_loss, l1_loss,
 * smooth_l1_loss, huber_loss, kl_div, binary_cross_entropy(_with_logits); xlogy; nansum and
 * nanmean's count: x with nan as 0, 1 where x is not nan; trunc and frac of x; xlogy_log:
 * xlogy of integers, x y with y the log of a t that is no nan, 0 at x == 0; float32 only):
 *   void wt_<dt>_pointwise_map_<isa>(size_t n, size_t flags, const T* prm, const T* x,
 *                                    const T* y, T* out, int32_t* status)
 *   (dt f32, f64, and h16: float16 / bfloat16 data with a float32 prm, see below)
 *   x, y [n] contiguous; flags & 15: the loss (LOSS_* below), flags >> 4: reduction (0 none:
 *   out [n], 1 sum, 2 mean: out [1], summed in double); prm[0]: beta / delta.
 *   status[0] (binary_cross_entropy): 1 if an input is outside [0, 1] (nan included, as torch),
 *   2 if a target is; nothing is written then (h16: out is undefined then).
 * float32: SIMD, every kind (log / log1p / exp of wt_vmath.h); float64: SIMD for the kinds
 * without transcendentals (mse, l1, smooth_l1, huber, the nan ones, trunc, frac), L1 blocks
 * through f64-vunary's exp / log / log1p kernels for the others. One loop
 * per kind (the switch outside the loop). Element formulas as torch's CPU kernels.
 */
#include "wt_common.h"
#include "wt_vmath.h"
#include "wt_half.h"

enum { LOSS_MSE, LOSS_L1, LOSS_SMOOTH_L1, LOSS_HUBER, LOSS_BCE, LOSS_BCE_LOGITS, LOSS_KL_DIV,
       LOSS_KL_DIV_LOG, LOSS_XLOGY, LOSS_NAN_TO_ZERO, LOSS_NOT_NAN, LOSS_TRUNC, LOSS_FRAC,
       LOSS_XLOGY_LOG };

/* The log / exp part of the kinds that have one: a function of one input (x for bce and
 * bce_logits, y for the others), so that float16 / bfloat16 can look it up per value (below).
 * g1: bce's second log. */
#define PREP_KIND(k) ((k) >= LOSS_BCE && (k) <= LOSS_XLOGY)
#define PREP_ON_X(k) ((k) == LOSS_BCE || (k) == LOSS_BCE_LOGITS)
static inline __attribute__((always_inline)) void f32_prep4(size_t kind, v128_t v, v128_t* g0,
                                                            v128_t* g1) {
  const v128_t lo = WT_SPLAT(-100.0f), zero = WT_SPLAT(0.0f);
  switch (kind) {
    case LOSS_BCE:         /* torch clamps both logs at -100 */
      *g0 = wasm_f32x4_max(wt_log1p(wasm_f32x4_neg(v)), lo);
      *g1 = wasm_f32x4_max(wt_log(v), lo);
      break;
    case LOSS_BCE_LOGITS:  /* log_sigmoid(x) = min(x, 0) - log1p(e^-|x|) */
      *g0 = wasm_f32x4_sub(wasm_f32x4_pmin(v, zero),
                           wt_log1p(wt_exp(wasm_f32x4_neg(wasm_f32x4_abs(v)))));
      break;
    case LOSS_KL_DIV:      /* xlogy(y, y) */
      *g0 = wasm_v128_andnot(wasm_f32x4_mul(v, wt_log(v)), wasm_f32x4_eq(v, zero));
      break;
    case LOSS_KL_DIV_LOG: *g0 = wt_exp(v); break;
    default: *g0 = wt_log(v);   /* LOSS_XLOGY */
  }
}

/* the loss from x, y and the prep values g0, g1 of the kinds that have them */
static inline __attribute__((always_inline)) v128_t f32_combine4(size_t kind, v128_t x, v128_t y,
                                                                 v128_t g0, v128_t g1) {
  const v128_t one = WT_SPLAT(1.0f);
  switch (kind) {
    case LOSS_BCE:         /* (y - 1) max(log1p(-x), -100) - y max(log(x), -100) */
      return wasm_f32x4_sub(wasm_f32x4_mul(wasm_f32x4_sub(y, one), g0), wasm_f32x4_mul(y, g1));
    case LOSS_BCE_LOGITS: return wasm_f32x4_sub(wasm_f32x4_mul(wasm_f32x4_sub(one, y), x), g0);
    case LOSS_KL_DIV: return wasm_f32x4_sub(g0, wasm_f32x4_mul(y, x));
    case LOSS_KL_DIV_LOG: return wasm_f32x4_mul(g0, wasm_f32x4_sub(y, x));
    default: {             /* xlogy(x, y): nan if y is, else 0 if x == 0, else x log(y) */
      const v128_t zx = wasm_v128_andnot(wasm_f32x4_eq(x, WT_SPLAT(0.0f)), wasm_f32x4_ne(y, y));
      return wasm_v128_andnot(wasm_f32x4_mul(x, g0), zx);
    }
  }
}

static inline __attribute__((always_inline)) v128_t f32_loss4(size_t kind, v128_t x, v128_t y,
                                                            v128_t p) {
  const v128_t one = WT_SPLAT(1.0f), half = WT_SPLAT(0.5f);
  const v128_t d = wasm_f32x4_sub(x, y), z = wasm_f32x4_abs(d);
  if (PREP_KIND(kind)) {
    v128_t g0, g1 = d;
    f32_prep4(kind, PREP_ON_X(kind) ? x : y, &g0, &g1);
    return f32_combine4(kind, x, y, g0, g1);
  }
  switch (kind) {
    case LOSS_MSE: return wasm_f32x4_mul(d, d);
    case LOSS_L1: return z;
    case LOSS_SMOOTH_L1:   /* z < beta ? 0.5 z z / beta : z - 0.5 beta */
      return wasm_v128_bitselect(wasm_f32x4_div(wasm_f32x4_mul(wasm_f32x4_mul(half, z), z), p),
                                 wasm_f32x4_sub(z, wasm_f32x4_mul(half, p)),
                                 wasm_f32x4_lt(z, p));
    case LOSS_HUBER:       /* z < delta ? 0.5 z z : delta (z - 0.5 delta) */
      return wasm_v128_bitselect(wasm_f32x4_mul(wasm_f32x4_mul(half, z), z),
                                 wasm_f32x4_mul(p, wasm_f32x4_sub(z, wasm_f32x4_mul(half, p))),
                                 wasm_f32x4_lt(z, p));
    case LOSS_NAN_TO_ZERO: return wasm_v128_andnot(x, wasm_f32x4_ne(x, x));
    case LOSS_NOT_NAN: return wasm_v128_and(one, wasm_f32x4_eq(x, x));
    case LOSS_TRUNC: return wasm_f32x4_trunc(x);
    case LOSS_XLOGY_LOG:   /* xlogy(x, t) given y = log(t) of a t that is no nan: x y, 0 at x == 0 */
      return wasm_v128_andnot(wasm_f32x4_mul(x, y), wasm_f32x4_eq(x, WT_SPLAT(0.0f)));
    default: return wasm_f32x4_sub(x, wasm_f32x4_trunc(x));   /* LOSS_FRAC */
  }
}

static inline v128_t f64_sum2(v128_t acc, v128_t v) {
  acc = wasm_f64x2_add(acc, wasm_f64x2_promote_low_f32x4(v));
  return wasm_f64x2_add(acc, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 0, 1)));
}

/* the loss of x[0..n), y[0..n) into out (reduction 0), or its sum in double. The tail goes
 * through padded temporaries in the same loop body: one inlined copy of the loss per kind. */
static inline __attribute__((always_inline)) double f32_run(size_t kind, size_t n,
                                                           size_t reduction, v128_t p,
                                                           const float* x, const float* y,
                                                           float* out) {
  v128_t acc0 = wasm_f64x2_splat(0.0), acc1 = acc0;
  _Alignas(16) float tx[8], ty[8], to[8];
  for (size_t i = 0; i < n; i += 8) {
    const float *px = x + i, *py = y + i;
    float* po = out + i;
    const size_t r = n - i;
    if (r < 8) {
      for (size_t j = 0; j < 8; j++) tx[j] = j < r ? px[j] : 0.5f, ty[j] = j < r ? py[j] : 0.5f;
      px = tx, py = ty, po = to;
    }
    v128_t l0 = f32_loss4(kind, wasm_v128_load(px), wasm_v128_load(py), p);
    v128_t l1 = f32_loss4(kind, wasm_v128_load(px + 4), wasm_v128_load(py + 4), p);
    if (reduction == 0) {
      wasm_v128_store(po, l0);
      wasm_v128_store(po + 4, l1);
      if (r < 8)
        for (size_t j = 0; j < r; j++) out[i + j] = to[j];
    } else {
      if (r < 8) {
        l0 = wasm_v128_and(l0, wt_lane_mask(r));
        l1 = wasm_v128_and(l1, wt_lane_mask(r < 4 ? 0 : r - 4));
      }
      acc0 = f64_sum2(acc0, l0);
      acc1 = f64_sum2(acc1, l1);
    }
  }
  const v128_t a = wasm_f64x2_add(acc0, acc1);
  return wasm_f64x2_extract_lane(a, 0) + wasm_f64x2_extract_lane(a, 1);
}

/* torch's bce range checks: 1 if an input is outside [0, 1] (nan included), 2 if a target is */
static int32_t bce_check(size_t n, const float* x, const float* y) {
  v128_t badx = wasm_i32x4_splat(0), bady = badx;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t a = wasm_v128_load(x + i), b = wasm_v128_load(y + i);
    badx = wasm_v128_or(badx, wasm_v128_not(wasm_v128_and(wasm_f32x4_ge(a, WT_SPLAT(0.0f)),
                                                          wasm_f32x4_le(a, WT_SPLAT(1.0f)))));
    bady = wasm_v128_or(bady, wasm_v128_not(wasm_v128_and(wasm_f32x4_ge(b, WT_SPLAT(0.0f)),
                                                          wasm_f32x4_le(b, WT_SPLAT(1.0f)))));
  }
  int bx = wasm_v128_any_true(badx), by = wasm_v128_any_true(bady);
  for (; i < n; i++) {
    bx |= !(x[i] >= 0.0f && x[i] <= 1.0f);
    by |= !(y[i] >= 0.0f && y[i] <= 1.0f);
  }
  return bx ? 1 : by ? 2 : 0;
}

static __attribute__((noinline)) double f32_map(size_t kind, size_t n, size_t reduction, v128_t p, const float* x,
                      const float* y, float* out) {
  switch (kind) {   /* one loop per kind (the kind folds into its body) */
#define F32_CASE(k) case k: return f32_run(k, n, reduction, p, x, y, out);
    F32_CASE(LOSS_MSE) F32_CASE(LOSS_L1) F32_CASE(LOSS_SMOOTH_L1) F32_CASE(LOSS_HUBER)
    F32_CASE(LOSS_BCE) F32_CASE(LOSS_BCE_LOGITS) F32_CASE(LOSS_KL_DIV) F32_CASE(LOSS_KL_DIV_LOG)
    F32_CASE(LOSS_XLOGY) F32_CASE(LOSS_NAN_TO_ZERO) F32_CASE(LOSS_NOT_NAN) F32_CASE(LOSS_TRUNC)
    F32_CASE(LOSS_FRAC) F32_CASE(LOSS_XLOGY_LOG)
  }
  return 0.0;
}

WT_EXPORT void WT_SYM(f32_pointwise_map)(size_t n, size_t flags, const float* prm,
                                         const float* x, const float* y, float* out,
                                         int32_t* status) {
  const size_t kind = flags & 15, reduction = flags >> 4;
  status[0] = kind == LOSS_BCE ? bce_check(n, x, y) : 0;   /* before anything is written */
  if (status[0]) return;
  const double s = f32_map(kind, n, reduction, WT_SPLAT(prm[0]), x, y, out);
  if (reduction) out[0] = (float)(reduction == 2 ? s / (double)n : s);
}

/* float16 / bfloat16 (flags & 64: bfloat16; prm float32): blocks of x and y converted into
 * L1 buffers, bce's range check and the float32 loop run there (one conversion), each result
 * rounded once (a reduction: the double sum, rounded to float32 and then to x's dtype, as the
 * float32 path and .to() did). out is undefined after a range error (the caller's fresh
 * tensor, discarded).
 * The kinds with a log / exp (PREP_KIND): its argument is one 16-bit input of 65536 values, so
 * from n >= 65536 the prep values of every value are made once into a static table by the
 * float32 kernels (kept while the kind and dtype repeat) and looked up per element: bit for
 * bit the float32 path's values, without a log / exp per element. */
#define WT_H16_BLOCK 1024
#define LUT_N 65536
static float lut[2][LUT_N] __attribute__((aligned(16)));
static int lut_key = -1;
void WT_SYM(f32_exp)(size_t n, const float* x, float* y);
void WT_SYM(f32_log)(size_t n, const float* x, float* y);
void WT_SYM(f32_log1p)(size_t n, const float* x, float* y);

/* lut[0] (and bce's lut[1]) = f32_prep4 of every 16-bit value, by the f32 kernels */
static __attribute__((noinline)) void lut_build(size_t kind, int bf) {
  static uint16_t codes[WT_H16_BLOCK];
  float *g0 = lut[0], *v = lut[1];
  for (size_t c = 0; c < LUT_N; c += WT_H16_BLOCK) {
    for (size_t j = 0; j < WT_H16_BLOCK; j++) codes[j] = (uint16_t)(c + j);
    wt_h16_to_f32(bf, codes, v + c, WT_H16_BLOCK);
  }
  const v128_t lo = WT_SPLAT(-100.0f), zero = WT_SPLAT(0.0f);
#define LUT_LOOP(...) for (size_t j = 0; j < LUT_N; j += 4) {                            \
    const v128_t a = wasm_v128_load(v + j), g = wasm_v128_load(g0 + j); (void)a; (void)g;   \
    __VA_ARGS__; }
  switch (kind) {
    case LOSS_BCE:
      LUT_LOOP(wasm_v128_store(g0 + j, wasm_f32x4_neg(a)))
      WT_SYM(f32_log1p)(LUT_N, g0, g0);
      WT_SYM(f32_log)(LUT_N, v, v);
      LUT_LOOP(wasm_v128_store(g0 + j, wasm_f32x4_max(g, lo));
               wasm_v128_store(v + j, wasm_f32x4_max(a, lo)))
      break;
    case LOSS_BCE_LOGITS:
      LUT_LOOP(wasm_v128_store(g0 + j, wasm_f32x4_neg(wasm_f32x4_abs(a))))
      WT_SYM(f32_exp)(LUT_N, g0, g0);
      WT_SYM(f32_log1p)(LUT_N, g0, g0);
      LUT_LOOP(wasm_v128_store(g0 + j, wasm_f32x4_sub(wasm_f32x4_pmin(a, zero), g)))
      break;
    case LOSS_KL_DIV:
      WT_SYM(f32_log)(LUT_N, v, g0);
      LUT_LOOP(wasm_v128_store(g0 + j, wasm_v128_andnot(wasm_f32x4_mul(a, g),
                                                        wasm_f32x4_eq(a, zero))))
      break;
    case LOSS_KL_DIV_LOG: WT_SYM(f32_exp)(LUT_N, v, g0); break;
    default: WT_SYM(f32_log)(LUT_N, v, g0);   /* LOSS_XLOGY */
  }
#undef LUT_LOOP
  lut_key = (int)kind * 2 + bf;
}

/* lut[t][c[0..4)] as a vector */
static inline __attribute__((always_inline)) v128_t lut4(int t, const uint16_t* c) {
  return wasm_f32x4_make(lut[t][c[0]], lut[t][c[1]], lut[t][c[2]], lut[t][c[3]]);
}

/* f32_run for the prep kinds with g0 / g1 looked up by the 16-bit codes c */
static inline __attribute__((always_inline)) double lut_run(size_t kind, size_t n,
                                                            size_t reduction, const float* x,
                                                            const float* y, const uint16_t* c,
                                                            float* out) {
  v128_t acc0 = wasm_f64x2_splat(0.0), acc1 = acc0;
  for (size_t i = 0; i < n; i += 8) {   /* x, y, c padded to whole vectors */
    const int two = kind == LOSS_BCE;
    v128_t l0 = f32_combine4(kind, wasm_v128_load(x + i), wasm_v128_load(y + i),
                             lut4(0, c + i), two ? lut4(1, c + i) : acc0);
    v128_t l1 = f32_combine4(kind, wasm_v128_load(x + i + 4), wasm_v128_load(y + i + 4),
                             lut4(0, c + i + 4), two ? lut4(1, c + i + 4) : acc0);
    if (reduction == 0) {
      wasm_v128_store(out + i, l0);
      wasm_v128_store(out + i + 4, l1);
    } else {
      if (i + 8 > n) {
        l0 = wasm_v128_and(l0, wt_lane_mask(wt_min_size(n - i, 4)));
        l1 = i + 4 < n ? wasm_v128_and(l1, wt_lane_mask(n - i - 4)) : wasm_i32x4_splat(0);
      }
      acc0 = f64_sum2(acc0, l0);
      acc1 = f64_sum2(acc1, l1);
    }
  }
  const v128_t a = wasm_f64x2_add(acc0, acc1);
  return wasm_f64x2_extract_lane(a, 0) + wasm_f64x2_extract_lane(a, 1);
}

static __attribute__((noinline)) double lut_map(size_t kind, size_t n, size_t reduction,
                                                const float* x, const float* y,
                                                const uint16_t* c, float* out) {
  switch (kind) {
#define LUT_CASE(k) case k: return lut_run(k, n, reduction, x, y, c, out);
    LUT_CASE(LOSS_BCE) LUT_CASE(LOSS_BCE_LOGITS) LUT_CASE(LOSS_KL_DIV) LUT_CASE(LOSS_KL_DIV_LOG)
    LUT_CASE(LOSS_XLOGY)
  }
  return 0.0;
}

/* bce's range checks on the 16-bit patterns: v in [0, 1] (nan fails) is v <= one (the pattern
 * of 1.0) or v == -0.0, unsigned */
static int32_t h16_bce_check(size_t n, uint16_t one, const uint16_t* x, const uint16_t* y) {
  const v128_t o = wasm_i16x8_splat((int16_t)one), nz = wasm_i16x8_splat((int16_t)0x8000);
  v128_t badx = wasm_i16x8_splat(0), bady = badx;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const v128_t a = wasm_v128_load(x + i), b = wasm_v128_load(y + i);
    badx = wasm_v128_or(badx, wasm_v128_not(wasm_v128_or(wasm_u16x8_le(a, o), wasm_i16x8_eq(a, nz))));
    bady = wasm_v128_or(bady, wasm_v128_not(wasm_v128_or(wasm_u16x8_le(b, o), wasm_i16x8_eq(b, nz))));
  }
  int bx = wasm_v128_any_true(badx), by = wasm_v128_any_true(bady);
  for (; i < n; i++) {
    bx |= !(x[i] <= one || x[i] == 0x8000);
    by |= !(y[i] <= one || y[i] == 0x8000);
  }
  return bx ? 1 : by ? 2 : 0;
}

/* n floats (s: a block buffer) to float16 as wt_f32_to_h16: nan lanes (xlogy / kl_div of a
 * negative argument: common, not the rare lanes of the conversion's short path) go in as 0,
 * their sign | 0x7E00 is or-ed in after */
static void f16_store(float* s, uint16_t* d, size_t n) {
  static uint16_t ns[WT_H16_BLOCK];
  v128_t any = wasm_i16x8_splat(0);
  for (size_t i = 0; i < n; i += 8) {   /* s, ns padded to whole vectors */
    const v128_t a = wasm_v128_load(s + i), b = wasm_v128_load(s + i + 4);
    const v128_t na = wasm_f32x4_ne(a, a), nb = wasm_f32x4_ne(b, b);
    const v128_t sgn = wasm_v128_or(wasm_i16x8_shuffle(a, b, 1, 3, 5, 7, 9, 11, 13, 15),
                                    wasm_i16x8_splat(0x7E00));
    const v128_t v = wasm_v128_and(sgn, wasm_i16x8_narrow_i32x4(na, nb));
    any = wasm_v128_or(any, v);
    wasm_v128_store(ns + i, v);
    wasm_v128_store(s + i, wasm_v128_andnot(a, na));
    wasm_v128_store(s + i + 4, wasm_v128_andnot(b, nb));
  }
  wt_f32_to_h16(0, s, d, n);
  if (wasm_v128_any_true(any))
    for (size_t i = 0; i < n; i++) d[i] |= ns[i];
}

WT_EXPORT void WT_SYM(h16_pointwise_map)(size_t n, size_t flags, const float* prm,
                                         const uint16_t* x, const uint16_t* y, uint16_t* out,
                                         int32_t* status) {
  const size_t kind = flags & 15, reduction = (flags >> 4) & 3;
  const int bf = (flags >> 6) & 1;
  static float xs[WT_H16_BLOCK], ys[WT_H16_BLOCK], os[WT_H16_BLOCK];
  static uint16_t cs[WT_H16_BLOCK];
  const v128_t p = WT_SPLAT(prm[0]);
  const int use_lut = PREP_KIND(kind) && (n >= LUT_N || lut_key == (int)kind * 2 + bf);
  if (use_lut && lut_key != (int)kind * 2 + bf) lut_build(kind, bf);
  int32_t bad = 0;
  double s = 0.0;
  for (size_t i = 0; i < n; i += WT_H16_BLOCK) {
    const size_t k = wt_min_size(WT_H16_BLOCK, n - i);
    if (kind != LOSS_BCE || !use_lut) wt_h16_to_f32(bf, x + i, xs, k);   /* lut bce: unused */
    wt_h16_to_f32(bf, y + i, ys, k);
    if (kind == LOSS_BCE && bad != 1) {   /* an input error wins over a target error */
      const int32_t b = h16_bce_check(k, bf ? 0x3F80 : 0x3C00, x + i, y + i);
      if (b && (!bad || b == 1)) bad = b;
    }
    if (use_lut) {
      const uint16_t* c = (PREP_ON_X(kind) ? x : y) + i;
      if (k % 8) {          /* the last block: codes padded to a whole vector */
        for (size_t j = 0; j < k; j++) cs[j] = c[j];
        c = cs;
      }
      s += lut_map(kind, k, reduction, xs, ys, c, os);
    } else {
      s += f32_map(kind, k, reduction, p, xs, ys, os);
    }
    if (!reduction) {
      if (bf) wt_f32_to_h16(bf, os, out + i, k);
      else f16_store(os, out + i, k);
    }
  }
  if ((status[0] = bad)) return;
  if (reduction) {
    os[0] = (float)(reduction == 2 ? s / (double)n : s);
    wt_f32_to_h16(bf, os, out, 1);
  }
}

static inline __attribute__((always_inline)) v128_t f64_loss2(size_t kind, v128_t x, v128_t y,
                                                            v128_t p) {
  const v128_t half = wasm_f64x2_splat(0.5);
  const v128_t d = wasm_f64x2_sub(x, y), z = wasm_f64x2_abs(d);
  switch (kind) {
    case LOSS_MSE: return wasm_f64x2_mul(d, d);
    case LOSS_L1: return z;
    case LOSS_SMOOTH_L1:
      return wasm_v128_bitselect(wasm_f64x2_div(wasm_f64x2_mul(wasm_f64x2_mul(half, z), z), p),
                                 wasm_f64x2_sub(z, wasm_f64x2_mul(half, p)),
                                 wasm_f64x2_lt(z, p));
    case LOSS_HUBER:
      return wasm_v128_bitselect(wasm_f64x2_mul(wasm_f64x2_mul(half, z), z),
                                 wasm_f64x2_mul(p, wasm_f64x2_sub(z, wasm_f64x2_mul(half, p))),
                                 wasm_f64x2_lt(z, p));
    case LOSS_NAN_TO_ZERO: return wasm_v128_andnot(x, wasm_f64x2_ne(x, x));
    case LOSS_NOT_NAN: return wasm_v128_and(wasm_f64x2_splat(1.0), wasm_f64x2_eq(x, x));
    case LOSS_TRUNC: return wasm_f64x2_trunc(x);
    default: return wasm_f64x2_sub(x, wasm_f64x2_trunc(x));   /* LOSS_FRAC */
  }
}

static inline __attribute__((always_inline)) void f64_run(size_t kind, size_t n,
                                                           size_t reduction, v128_t p,
                                                           const double* x, const double* y,
                                                           double* out) {
  v128_t acc0 = wasm_f64x2_splat(0.0), acc1 = acc0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t l0 = f64_loss2(kind, wasm_v128_load(x + i), wasm_v128_load(y + i), p);
    const v128_t l1 = f64_loss2(kind, wasm_v128_load(x + i + 2), wasm_v128_load(y + i + 2), p);
    if (reduction == 0) {
      wasm_v128_store(out + i, l0);
      wasm_v128_store(out + i + 2, l1);
    } else {
      acc0 = wasm_f64x2_add(acc0, l0);
      acc1 = wasm_f64x2_add(acc1, l1);
    }
  }
  for (; i < n; i++) {
    const v128_t l = f64_loss2(kind, wasm_f64x2_splat(x[i]), wasm_f64x2_splat(y[i]), p);
    if (reduction == 0)
      out[i] = wasm_f64x2_extract_lane(l, 0);
    else
      acc0 = wasm_f64x2_add(acc0, wasm_f64x2_replace_lane(l, 1, 0.0));
  }
  if (reduction) {
    const v128_t a = wasm_f64x2_add(acc0, acc1);
    const double s = wasm_f64x2_extract_lane(a, 0) + wasm_f64x2_extract_lane(a, 1);
    out[0] = reduction == 2 ? s / (double)n : s;
  }
}

/* float64 kinds with a log / exp: blocks in L1, the transcendental by f64-vunary's kernels
 * (f64_log, f64_log1p, f64_exp: called, 1-2 ulp), the rest per element as torch writes it */
#define F64_FN(op) wt_f64_##op##_wasmsimd   /* f64-vunary has no relaxed twin */
void F64_FN(exp)(size_t n, const double* x, double* y);
void F64_FN(log)(size_t n, const double* x, double* y);
void F64_FN(log1p)(size_t n, const double* x, double* y);

#define WT_F64_BLOCK 512
static double f64_transcendental(size_t kind, size_t n, size_t reduction, const double* x,
                                 const double* y, double* out) {
  static double a[WT_F64_BLOCK], b[WT_F64_BLOCK];
  double s = 0.0;
  for (size_t k = 0; k < n; k += WT_F64_BLOCK, x += WT_F64_BLOCK, y += WT_F64_BLOCK) {
    const size_t m = wt_min_size(WT_F64_BLOCK, n - k);
    switch (kind) {
      case LOSS_BCE:
        for (size_t i = 0; i < m; i++) a[i] = -x[i];
        F64_FN(log1p)(m, a, a);
        F64_FN(log)(m, x, b);
        break;
      case LOSS_BCE_LOGITS:
        for (size_t i = 0; i < m; i++) a[i] = -__builtin_fabs(x[i]);
        F64_FN(exp)(m, a, a);
        F64_FN(log1p)(m, a, a);
        break;
      case LOSS_KL_DIV_LOG: F64_FN(exp)(m, y, a); break;
      default: F64_FN(log)(m, y, a);   /* kl_div, xlogy */
    }
    for (size_t i = 0; i < m; i++) {
      const double xi = x[i], yi = y[i];
      double v;
      switch (kind) {
        case LOSS_BCE: {     /* (y - 1) max(log1p(-x), -100) - y max(log(x), -100) */
          const double l1 = a[i] < -100.0 ? -100.0 : a[i], l0 = b[i] < -100.0 ? -100.0 : b[i];
          v = (yi - 1.0) * l1 - yi * l0;
          break;
        }
        case LOSS_BCE_LOGITS:   /* (1 - y) x - (min(x, 0) - log1p(e^-|x|)), nan kept */
          v = (1.0 - yi) * xi - ((xi > 0.0 ? 0.0 : xi) - a[i]);
          break;
        case LOSS_KL_DIV: v = (yi == 0.0 ? 0.0 : yi * a[i]) - yi * xi; break;
        case LOSS_KL_DIV_LOG: v = a[i] * (yi - xi); break;
        default: v = xi == 0.0 && yi == yi ? 0.0 : xi * a[i];   /* xlogy(x, y) */
      }
      if (reduction) s += v;
      else out[k + i] = v;
    }
  }
  return s;
}

WT_EXPORT void WT_SYM(f64_pointwise_map)(size_t n, size_t flags, const double* prm,
                                          const double* x, const double* y, double* out,
                                          int32_t* status) {
  const size_t kind = flags & 15, reduction = flags >> 4;
  const v128_t p = wasm_f64x2_splat(prm[0]);
  status[0] = 0;
  if (kind == LOSS_BCE) {   /* torch's checks, before anything is written */
    int bx = 0, by = 0;
    for (size_t i = 0; i < n; i++) {
      bx |= !(x[i] >= 0.0 && x[i] <= 1.0);
      by |= !(y[i] >= 0.0 && y[i] <= 1.0);
    }
    if ((status[0] = bx ? 1 : by ? 2 : 0)) return;
  }
  if (kind == LOSS_BCE || kind == LOSS_BCE_LOGITS || kind == LOSS_KL_DIV ||
      kind == LOSS_KL_DIV_LOG || kind == LOSS_XLOGY) {
    const double s = f64_transcendental(kind, n, reduction, x, y, out);
    if (reduction) out[0] = reduction == 2 ? s / (double)n : s;
    return;
  }
  switch (kind) {
#define F64_CASE(k) case k: f64_run(k, n, reduction, p, x, y, out); break;
    F64_CASE(LOSS_MSE) F64_CASE(LOSS_L1) F64_CASE(LOSS_SMOOTH_L1) F64_CASE(LOSS_HUBER)
    F64_CASE(LOSS_NAN_TO_ZERO) F64_CASE(LOSS_NOT_NAN) F64_CASE(LOSS_TRUNC) F64_CASE(LOSS_FRAC)
  }
}
