/* layer_norm / rms_norm over rows of a contiguous [rows, n] f32 array:
 *   void wt_f32_layer_norm_<isa>(size_t rows, size_t n, size_t flags, float eps,
 *                                const float* x, const float* w, const float* b, float* y)
 *   void wt_f32_rms_norm_<isa>(size_t rows, size_t n, size_t flags, float eps,
 *                              const float* x, const float* w, float* y)
 * flags: bit 0 = w given, bit 1 = b given (absent pointers are never read). y == x allowed.
 *
 * One pass over the row in memory for the statistics, one for the output: the statistics
 * go chunk by chunk (WT_NORM_CHUNK floats, which stay in L1): each chunk's mean and centred
 * sum of squares are exact two-pass values, merged into the row's running (mean, M2) with
 * Chan's update. So long rows need no second trip to memory for the variance and the result
 * keeps two-pass accuracy (no E[x^2] - E[x]^2 cancellation).
 * Error: |y - y_ref| <= ~(8 + n / WT_NORM_CHUNK) eps |x - mean| rstd |w| + |b| eps.
 */
#include "wt_common.h"
#define WT_HROW_DEFINE /* the one copy of the row converters */
#include "wt_hrow.h"

#define WT_NORM_CHUNK 512

static inline float hsum(v128_t v) {
  v = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  v = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 1, 0, 3, 2));
  return wasm_f32x4_extract_lane(v, 0);
}

/* sum of x[0..n), n <= WT_NORM_CHUNK */
static inline float chunk_sum(const float* x, size_t n) {
  v128_t a0 = WT_SPLAT(0.0f), a1 = a0, a2 = a0, a3 = a0;
  size_t k = 0;
  for (; k + 16 <= n; k += 16) {
    a0 = wasm_f32x4_add(a0, wasm_v128_load(x + k));
    a1 = wasm_f32x4_add(a1, wasm_v128_load(x + k + 4));
    a2 = wasm_f32x4_add(a2, wasm_v128_load(x + k + 8));
    a3 = wasm_f32x4_add(a3, wasm_v128_load(x + k + 12));
  }
  for (; k + 4 <= n; k += 4) a0 = wasm_f32x4_add(a0, wasm_v128_load(x + k));
  if (k < n) a1 = wasm_f32x4_add(a1, wt_load_partial(x + k, n - k, 0.0f));
  return hsum(wasm_f32x4_add(wasm_f32x4_add(a0, a1), wasm_f32x4_add(a2, a3)));
}

/* sum of (x - c)^2 over x[0..n) */
static inline float chunk_ss(const float* x, size_t n, float c) {
  const v128_t cv = WT_SPLAT(c);
  v128_t a0 = WT_SPLAT(0.0f), a1 = a0, a2 = a0, a3 = a0;
  size_t k = 0;
#define SQ(a, off)                                                  \
  do {                                                              \
    const v128_t d = wasm_f32x4_sub(wasm_v128_load(x + k + off), cv); \
    a = WT_MADD(d, d, a);                                           \
  } while (0)
  for (; k + 16 <= n; k += 16) {
    SQ(a0, 0);
    SQ(a1, 4);
    SQ(a2, 8);
    SQ(a3, 12);
  }
  for (; k + 4 <= n; k += 4) SQ(a0, 0);
#undef SQ
  if (k < n) {
    const v128_t d = wasm_f32x4_sub(wt_load_partial(x + k, n - k, c), cv);   /* pad: d = 0 */
    a1 = WT_MADD(d, d, a1);
  }
  return hsum(wasm_f32x4_add(wasm_f32x4_add(a0, a1), wasm_f32x4_add(a2, a3)));
}

/* y = (x - mean) * r [* w] [+ b]; four vectors per step (independent loads and stores) */
#define WRITE_LOOP(EXPR)                                                  \
  for (; k + 16 <= n; k += 16) {                                          \
    const v128_t t0 = EXPR(0), t1 = EXPR(4), t2 = EXPR(8), t3 = EXPR(12); \
    wasm_v128_store(y + k, t0);                                           \
    wasm_v128_store(y + k + 4, t1);                                       \
    wasm_v128_store(y + k + 8, t2);                                       \
    wasm_v128_store(y + k + 12, t3);                                      \
  }                                                                       \
  for (; k + 4 <= n; k += 4) wasm_v128_store(y + k, EXPR(0))
#define CENTRED(o) wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(x + k + (o)), mv), rv)
#define W_B(o) WT_MADD(CENTRED(o), wasm_v128_load(w + k + (o)), wasm_v128_load(b + k + (o)))
#define W_ONLY(o) wasm_f32x4_mul(CENTRED(o), wasm_v128_load(w + k + (o)))
#define B_ONLY(o) wasm_f32x4_add(CENTRED(o), wasm_v128_load(b + k + (o)))
static void write_row(const float* x, size_t n, float mean, float r, const float* w,
                      const float* b, float* y) {
  const v128_t mv = WT_SPLAT(mean), rv = WT_SPLAT(r);
  size_t k = 0;
  if (w && b) {
    WRITE_LOOP(W_B);
  } else if (w) {
    WRITE_LOOP(W_ONLY);
  } else if (b) {
    WRITE_LOOP(B_ONLY);
  } else {
    WRITE_LOOP(CENTRED);
  }
  for (; k < n; k++) {
    float t = (x[k] - mean) * r;
    if (w) t = b ? t * w[k] + b[k] : t * w[k];
    else if (b) t = t + b[k];
    y[k] = t;
  }
}

/* y = x * r [* w] (rms_norm: no centring, the same values as centring on 0) */
#define SCALED(o) wasm_f32x4_mul(wasm_v128_load(x + k + (o)), rv)
#define SW(o) wasm_f32x4_mul(SCALED(o), wasm_v128_load(w + k + (o)))
static void write_row_rms(const float* x, size_t n, float r, const float* w, float* y) {
  const v128_t rv = WT_SPLAT(r);
  size_t k = 0;
  if (w) {
    WRITE_LOOP(SW);
  } else {
    WRITE_LOOP(SCALED);
  }
  for (; k < n; k++) y[k] = w ? x[k] * r * w[k] : x[k] * r;
}

/* sum of x^2 over x[0..n) (chunk_ss about 0 without its subtractions) */
static inline float chunk_sq(const float* x, size_t n) {
  v128_t a0 = WT_SPLAT(0.0f), a1 = a0, a2 = a0, a3 = a0;
  size_t k = 0;
  for (; k + 16 <= n; k += 16) {
    const v128_t u0 = wasm_v128_load(x + k), u1 = wasm_v128_load(x + k + 4);
    const v128_t u2 = wasm_v128_load(x + k + 8), u3 = wasm_v128_load(x + k + 12);
    a0 = WT_MADD(u0, u0, a0);
    a1 = WT_MADD(u1, u1, a1);
    a2 = WT_MADD(u2, u2, a2);
    a3 = WT_MADD(u3, u3, a3);
  }
  for (; k + 4 <= n; k += 4) {
    const v128_t u = wasm_v128_load(x + k);
    a0 = WT_MADD(u, u, a0);
  }
  if (k < n) {
    const v128_t u = wt_load_partial(x + k, n - k, 0.0f);
    a1 = WT_MADD(u, u, a1);
  }
  return hsum(wasm_f32x4_add(wasm_f32x4_add(a0, a1), wasm_f32x4_add(a2, a3)));
}

static inline float rsqrt1(float v) { return 1.0f / __builtin_sqrtf(v); }

static __attribute__((noinline)) void layer_norm_row(const float* xr, size_t n, float eps, const float* wp,
                           const float* bp, float* y) {
  float mean = 0.0f, m2 = 0.0f;
  size_t seen = 0;
  for (size_t c0 = 0; c0 < n; c0 += WT_NORM_CHUNK) {
    const size_t nc = wt_min_size(WT_NORM_CHUNK, n - c0);
    const float cm = chunk_sum(xr + c0, nc) / (float)nc;
    const float cs = chunk_ss(xr + c0, nc, cm);
    if (seen == 0) {
      mean = cm;
      m2 = cs;
    } else {   /* Chan et al.: merge (seen, mean, m2) with (nc, cm, cs) */
      const float tot = (float)(seen + nc), d = cm - mean;
      mean += d * ((float)nc / tot);
      m2 += cs + d * d * ((float)seen * (float)nc / tot);
    }
    seen += nc;
  }
  write_row(xr, n, mean, rsqrt1(m2 / (float)n + eps), wp, bp, y);
}

static __attribute__((noinline)) void rms_norm_row(const float* xr, size_t n, float eps, const float* wp, float* y) {
  float ss = 0.0f;
  for (size_t c0 = 0; c0 < n; c0 += WT_NORM_CHUNK)
    ss += chunk_sq(xr + c0, wt_min_size(WT_NORM_CHUNK, n - c0));
  write_row_rms(xr, n, rsqrt1(ss / (float)n + eps), wp, y);
}

WT_EXPORT void WT_SYM(f32_layer_norm)(size_t rows, size_t n, size_t flags, float eps,
                                      const float* x, const float* w, const float* b, float* y) {
  if (n == 0) return;
  const float* wp = (flags & 1) ? w : 0;
  const float* bp = (flags & 2) ? b : 0;
  for (size_t r = 0; r < rows; r++) layer_norm_row(x + r * n, n, eps, wp, bp, y + r * n);
}

WT_EXPORT void WT_SYM(f32_rms_norm)(size_t rows, size_t n, size_t flags, float eps,
                                    const float* x, const float* w, float* y) {
  if (n == 0) return;
  const float* wp = (flags & 1) ? w : 0;
  for (size_t r = 0; r < rows; r++) rms_norm_row(x + r * n, n, eps, wp, y + r * n);
}

/* float16 / bfloat16 (flags & 4: bfloat16; w, b of x's dtype): each row (n <= WT_H16_STAGE,
 * the caller checks) converted into a buffer, the float32 code run there, rounded once on
 * the way out: torch's opmath float32 without conversion passes over memory. */
#define WT_H16_STAGE 16384
static float stage[3][WT_H16_STAGE];

static const float* stage_param(size_t flags, size_t bit, const uint16_t* p, size_t n, float* d) {
  if (!(flags & bit)) return 0;
  wt_hrow_to_f32((flags & 4) != 0, p, d, n);
  return d;
}

WT_EXPORT void WT_SYM(h16_layer_norm)(size_t rows, size_t n, size_t flags, float eps,
                                      const uint16_t* x, const uint16_t* w, const uint16_t* b,
                                      uint16_t* y) {
  if (n == 0 || n > WT_H16_STAGE) return;
  const int bf = (flags & 4) != 0;
  const float* wp = stage_param(flags, 1, w, n, stage[1]);
  const float* bp = stage_param(flags, 2, b, n, stage[2]);
  for (size_t r = 0; r < rows; r++) {
    wt_hrow_to_f32(bf, x + r * n, stage[0], n);
    layer_norm_row(stage[0], n, eps, wp, bp, stage[0]);
    wt_hrow_from_f32(bf, stage[0], y + r * n, n);
  }
}

WT_EXPORT void WT_SYM(h16_rms_norm)(size_t rows, size_t n, size_t flags, float eps,
                                    const uint16_t* x, const uint16_t* w, uint16_t* y) {
  if (n == 0 || n > WT_H16_STAGE) return;
  const int bf = (flags & 4) != 0;
  const float* wp = stage_param(flags, 1, w, n, stage[1]);
  for (size_t r = 0; r < rows; r++) {
    wt_hrow_to_f32(bf, x + r * n, stage[0], n);
    rms_norm_row(stage[0], n, eps, wp, stage[0]);
    wt_hrow_from_f32(bf, stage[0], y + r * n, n);
  }
}
