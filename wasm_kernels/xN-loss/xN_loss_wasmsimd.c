/* Pointwise losses with their reduction in the same pass (ops/loss.py: mse_loss, l1_loss,
 * smooth_l1_loss, huber_loss, kl_div, binary_cross_entropy(_with_logits); xlogy; nansum and
 * nanmean's count: x with nan as 0, 1 where x is not nan; trunc and frac of x):
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
       LOSS_KL_DIV_LOG, LOSS_XLOGY, LOSS_NAN_TO_ZERO, LOSS_NOT_NAN, LOSS_TRUNC, LOSS_FRAC };

static inline __attribute__((always_inline)) v128_t f32_loss4(size_t kind, v128_t x, v128_t y,
                                                            v128_t p) {
  const v128_t one = WT_SPLAT(1.0f), half = WT_SPLAT(0.5f), zero = WT_SPLAT(0.0f);
  const v128_t d = wasm_f32x4_sub(x, y), z = wasm_f32x4_abs(d);
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
    case LOSS_BCE: {       /* (y - 1) max(log1p(-x), -100) - y max(log(x), -100) */
      const v128_t lo = WT_SPLAT(-100.0f);
      const v128_t l1 = wasm_f32x4_max(wt_log1p(wasm_f32x4_neg(x)), lo);
      const v128_t l0 = wasm_f32x4_max(wt_log(x), lo);
      return wasm_f32x4_sub(wasm_f32x4_mul(wasm_f32x4_sub(y, one), l1), wasm_f32x4_mul(y, l0));
    }
    case LOSS_BCE_LOGITS: { /* (1 - y) x - log_sigmoid(x) = (1 - y) x - min(x, 0) + log1p(e^-|x|) */
      const v128_t ls = wasm_f32x4_sub(wasm_f32x4_pmin(x, zero),
                                       wt_log1p(wt_exp(wasm_f32x4_neg(wasm_f32x4_abs(x)))));
      return wasm_f32x4_sub(wasm_f32x4_mul(wasm_f32x4_sub(one, y), x), ls);
    }
    case LOSS_KL_DIV: {    /* xlogy(y, y) - y x */
      const v128_t t = wasm_v128_andnot(wasm_f32x4_mul(y, wt_log(y)), wasm_f32x4_eq(y, zero));
      return wasm_f32x4_sub(t, wasm_f32x4_mul(y, x));
    }
    case LOSS_KL_DIV_LOG: return wasm_f32x4_mul(wt_exp(y), wasm_f32x4_sub(y, x));
    case LOSS_NAN_TO_ZERO: return wasm_v128_andnot(x, wasm_f32x4_ne(x, x));
    case LOSS_NOT_NAN: return wasm_v128_and(one, wasm_f32x4_eq(x, x));
    case LOSS_TRUNC: return wasm_f32x4_trunc(x);
    case LOSS_FRAC: return wasm_f32x4_sub(x, wasm_f32x4_trunc(x));
    default: {             /* xlogy(x, y): nan if y is, else 0 if x == 0, else x log(y) */
      const v128_t v = wasm_f32x4_mul(x, wt_log(y));
      const v128_t zx = wasm_v128_andnot(wasm_f32x4_eq(x, zero), wasm_f32x4_ne(y, y));
      return wasm_v128_andnot(v, zx);
    }
  }
}

static inline v128_t f64_sum2(v128_t acc, v128_t v) {
  acc = wasm_f64x2_add(acc, wasm_f64x2_promote_low_f32x4(v));
  return wasm_f64x2_add(acc, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 0, 1)));
}

/* the loss of x[0..n), y[0..n) into out (reduction 0), or its sum in double */
static inline __attribute__((always_inline)) double f32_run(size_t kind, size_t n,
                                                           size_t reduction, v128_t p,
                                                           const float* x, const float* y,
                                                           float* out) {
  v128_t acc0 = wasm_f64x2_splat(0.0), acc1 = acc0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const v128_t l0 = f32_loss4(kind, wasm_v128_load(x + i), wasm_v128_load(y + i), p);
    const v128_t l1 = f32_loss4(kind, wasm_v128_load(x + i + 4), wasm_v128_load(y + i + 4), p);
    if (reduction == 0) {
      wasm_v128_store(out + i, l0);
      wasm_v128_store(out + i + 4, l1);
    } else {
      acc0 = f64_sum2(acc0, l0);
      acc1 = f64_sum2(acc1, l1);
    }
  }
  for (; i < n; i += 4) {
    const size_t r = wt_min_size(n - i, 4);
    v128_t l = f32_loss4(kind, wt_load_partial(x + i, r, 0.5f), wt_load_partial(y + i, r, 0.5f), p);
    if (reduction == 0)
      wt_store_partial(out + i, r, l);
    else
      acc0 = f64_sum2(acc0, wasm_v128_and(l, wt_lane_mask(r)));
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
    F32_CASE(LOSS_FRAC)
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
 * tensor, discarded). */
#define WT_H16_BLOCK 1024
WT_EXPORT void WT_SYM(h16_pointwise_map)(size_t n, size_t flags, const float* prm,
                                         const uint16_t* x, const uint16_t* y, uint16_t* out,
                                         int32_t* status) {
  const size_t kind = flags & 15, reduction = (flags >> 4) & 3;
  const int bf = (flags >> 6) & 1;
  static float xs[WT_H16_BLOCK], ys[WT_H16_BLOCK], os[WT_H16_BLOCK];
  const v128_t p = WT_SPLAT(prm[0]);
  int32_t bad = 0;
  double s = 0.0;
  for (size_t i = 0; i < n; i += WT_H16_BLOCK) {
    const size_t k = wt_min_size(WT_H16_BLOCK, n - i);
    wt_h16_to_f32(bf, x + i, xs, k);
    wt_h16_to_f32(bf, y + i, ys, k);
    if (kind == LOSS_BCE && bad != 1) {   /* an input error wins over a target error */
      const int32_t b = bce_check(k, xs, ys);
      if (b && (!bad || b == 1)) bad = b;
    }
    s += f32_map(kind, k, reduction, p, xs, ys, os);
    if (!reduction) wt_f32_to_h16(bf, os, out + i, k);
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
void WT_SYM(f64_exp)(size_t n, const double* x, double* y);
void WT_SYM(f64_log)(size_t n, const double* x, double* y);
void WT_SYM(f64_log1p)(size_t n, const double* x, double* y);

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
        WT_SYM(f64_log1p)(m, a, a);
        WT_SYM(f64_log)(m, x, b);
        break;
      case LOSS_BCE_LOGITS:
        for (size_t i = 0; i < m; i++) a[i] = -__builtin_fabs(x[i]);
        WT_SYM(f64_exp)(m, a, a);
        WT_SYM(f64_log1p)(m, a, a);
        break;
      case LOSS_KL_DIV_LOG: WT_SYM(f64_exp)(m, y, a); break;
      default: WT_SYM(f64_log)(m, y, a);   /* kl_div, xlogy */
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
