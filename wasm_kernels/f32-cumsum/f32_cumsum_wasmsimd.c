/* cumsum along the middle axis of a contiguous [outer, n, inner] f32 array:
 *   void wt_f32_cumsum_<isa>(size_t outer, size_t n, size_t inner, const float* x, float* y)
 * Accumulates in f64 like torch's CPU kernel (acc_type<float> is double), so the only error
 * is the final rounding of each prefix: <= 0.5 ulp + n * 2^-53 sum|x|. y == x is allowed.
 */
#include "wt_common.h"

static void cumsum_row(const float* x, float* y, size_t n) {
  double acc = 0.0;
  for (size_t k = 0; k < n; k++) {
    acc += (double)x[k];
    y[k] = (float)acc;
  }
}

/* four rows (stride n) side by side: four independent add chains instead of one, the same
 * sums. A scan is bound by its add's latency, not its throughput. */
static void cumsum_rows4(const float* x, float* y, size_t n) {
  double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
  for (size_t k = 0; k < n; k++) {
    a0 += (double)x[k];
    a1 += (double)x[n + k];
    a2 += (double)x[2 * n + k];
    a3 += (double)x[3 * n + k];
    y[k] = (float)a0;
    y[n + k] = (float)a1;
    y[2 * n + k] = (float)a2;
    y[3 * n + k] = (float)a3;
  }
}

/* c <= 4 adjacent columns as two f64x2 accumulators */
static void cumsum_cols(const float* x, float* y, size_t n, size_t inner, size_t c) {
  v128_t lo = wasm_f64x2_splat(0.0), hi = wasm_f64x2_splat(0.0);
  for (size_t k = 0; k < n; k++) {
    const float* xk = x + k * inner;
    const v128_t v = c == 4 ? wasm_v128_load(xk) : wt_load_partial(xk, c, 0.0f);
    lo = wasm_f64x2_add(lo, wasm_f64x2_promote_low_f32x4(v));
    hi = wasm_f64x2_add(hi, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)));
    const v128_t r = wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo),
                                        wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5);
    float* yk = y + k * inner;
    if (c == 4) wasm_v128_store(yk, r);
    else wt_store_partial(yk, c, r);
  }
}

WT_EXPORT void WT_SYM(f32_cumsum)(size_t outer, size_t n, size_t inner, const float* x,
                                  float* y) {
  if (inner == 1) {
    size_t o = 0;
    for (; o + 4 <= outer; o += 4) cumsum_rows4(x + o * n, y + o * n, n);
    for (; o < outer; o++) cumsum_row(x + o * n, y + o * n, n);
    return;
  }
  for (size_t o = 0; o < outer; o++) {
    const float* xo = x + o * n * inner;
    float* yo = y + o * n * inner;

      for (size_t j = 0; j < inner; j += 4) cumsum_cols(xo + j, yo + j, n, inner, wt_min_size(4, inner - j));
  }
}

/* float16 / bfloat16 cumsum / cumprod in the same form (uint16_t x, y): float32 accumulation
 * (torch's CPU acc_type for the half types), each prefix rounded once to the dtype; contiguous
 * rows converted 8 at a time, other layouts 4 columns at a time. y == x is allowed. */
#include "wt_hrow.h"

/* the running sum / product of the 4 lanes of v after acc, in lane order (in registers:
 * scalar stores read back as a vector would stall store forwarding on every group) */
static inline __attribute__((always_inline)) v128_t scan4(v128_t v, float* acc, int prod) {
#define WT_SCAN_STEP(l) (*acc = prod ? *acc * wasm_f32x4_extract_lane(v, l) : *acc + wasm_f32x4_extract_lane(v, l))
  const float r0 = WT_SCAN_STEP(0), r1 = WT_SCAN_STEP(1), r2 = WT_SCAN_STEP(2), r3 = WT_SCAN_STEP(3);
#undef WT_SCAN_STEP
  return wasm_f32x4_make(r0, r1, r2, r3);
}

/* R (1 or 4) contiguous rows of n (stride n) side by side from column k0, 8 elements of each
 * at a time, acc[q] the running value of row q (a scan is bound by its latency) */
static inline __attribute__((always_inline)) void h_scan_rows(const uint16_t* x, uint16_t* y,
                                                              size_t n, int bf, int prod,
                                                              int R, size_t k0, float* acc) {
  for (size_t k = k0; k < n; k += 8) {
    const size_t m = wt_min_size(8, n - k);
    for (int q = 0; q < R; q++) {
      const uint16_t* xq = x + q * n + k;
      uint16_t p[8] = {0};
      for (size_t j = 0; m < 8 && j < m; j++) p[j] = xq[j];   /* the tail: a copy */
      const v128_t h = m == 8 ? wasm_v128_load(xq) : wasm_v128_load(p);
      v128_t lo, hi;
      if (bf) v_f32x8_from_bf16(h, &lo, &hi);
      else v_f32x8_from_f16(h, &lo, &hi);
      lo = scan4(lo, &acc[q], prod);   /* a tail's padding reaches acc only at the row's end */
      hi = scan4(hi, &acc[q], prod);
      const v128_t r = bf ? v_bf16x8_from_f32(lo, hi) : v_f16x8_from_f32(lo, hi);
      uint16_t* yq = y + q * n + k;
      if (m == 8) {
        wasm_v128_store(yq, r);
      } else {
        wasm_v128_store(p, r);
        for (size_t j = 0; j < m; j++) yq[j] = p[j];
      }
    }
  }
}

/* one row from column k0 (rows of fewer than four, tails of h_scan4's rows) */
static __attribute__((noinline)) void h_scan_row(const uint16_t* x, uint16_t* y, size_t n,
                                                 int bf, int prod, size_t k0, float* acc) {
  h_scan_rows(x, y, n, bf, prod, 1, k0, acc);
}

static inline void transpose4(v128_t* v) {
  const v128_t t0 = wasm_i32x4_shuffle(v[0], v[1], 0, 4, 1, 5);
  const v128_t t1 = wasm_i32x4_shuffle(v[0], v[1], 2, 6, 3, 7);
  const v128_t t2 = wasm_i32x4_shuffle(v[2], v[3], 0, 4, 1, 5);
  const v128_t t3 = wasm_i32x4_shuffle(v[2], v[3], 2, 6, 3, 7);
  v[0] = wasm_i64x2_shuffle(t0, t2, 0, 2);
  v[1] = wasm_i64x2_shuffle(t0, t2, 1, 3);
  v[2] = wasm_i64x2_shuffle(t1, t3, 0, 2);
  v[3] = wasm_i64x2_shuffle(t1, t3, 1, 3);
}

/* 8 halves of each of four rows (stride n) <-> v[0..3] (lanes 0-3 of rows 0..3), v[4..7]
 * (lanes 4-7): out of line, one copy per dtype for both scans */
static __attribute__((noinline)) void h_load4(int bf, const uint16_t* x, size_t n, v128_t* v) {
  if (bf) {
    for (int q = 0; q < 4; q++) wt_bin8(wasm_v128_load(x + q * n), &v[q], &v[q + 4]);
  } else {
    const wt_hin k = wt_hin_k();
    for (int q = 0; q < 4; q++) wt_hin8(wasm_v128_load(x + q * n), &v[q], &v[q + 4], &k);
  }
}
static __attribute__((noinline)) void h_store4(int bf, const v128_t* v, uint16_t* y, size_t n) {
  if (bf) {
    const wt_bout k = wt_bout_k();
    for (int q = 0; q < 4; q++) wasm_v128_store(y + q * n, wt_bout8(v[q], v[q + 4], &k));
  } else {
    const wt_hout k = wt_hout_k();
    for (int q = 0; q < 4; q++) wasm_v128_store(y + q * n, wt_hout8(v[q], v[q + 4], &k));
  }
}

/* four rows, their whole 8-column groups: the 4x8 block transposed so that a vector holds one
 * column of the four rows, then one vector add (or multiply) per column in column order (each
 * row's own sequential order: bit for bit the scalar chains) and back; then each row's tail.
 * One copy per op (a select between sum and product would sit on the chain). */
#define H_SCAN4_FN(name, SCAN_OP, IS_PROD)                                                \
  static __attribute__((noinline)) void name(const uint16_t* x, uint16_t* y, size_t n,    \
                                             int bf) {                                    \
    v128_t acc = WT_SPLAT(IS_PROD ? 1.0f : 0.0f), v[8];                                   \
    size_t k = 0;                                                                         \
    for (; k + 8 <= n; k += 8) {                                                          \
      h_load4(bf, x + k, n, v);                                                           \
      transpose4(v);                                                                      \
      transpose4(v + 4);                                                                  \
      for (int j = 0; j < 8; j++) v[j] = acc = SCAN_OP(acc, v[j]);                        \
      transpose4(v);                                                                      \
      transpose4(v + 4);                                                                  \
      h_store4(bf, v, y + k, n);                                                          \
    }                                                                                     \
    float a[4];                                                                           \
    wasm_v128_store(a, acc);                                                              \
    if (k < n)                                                                            \
      for (int q = 0; q < 4; q++) h_scan_row(x + q * n, y + q * n, n, bf, IS_PROD, k, &a[q]); \
  }
H_SCAN4_FN(h_cumsum4, wasm_f32x4_add, 0)
H_SCAN4_FN(h_cumprod4, wasm_f32x4_mul, 1)

static void h_scan(size_t outer, size_t n, size_t inner, const uint16_t* x, uint16_t* y,
                   int bf, int prod) {
  if (inner == 1) {
    size_t o = 0;
    for (; o + 4 <= outer; o += 4) {
      if (prod) h_cumprod4(x + o * n, y + o * n, n, bf);
      else h_cumsum4(x + o * n, y + o * n, n, bf);
    }
    for (; o < outer; o++) {
      float acc = prod ? 1.0f : 0.0f;
      h_scan_row(x + o * n, y + o * n, n, bf, prod, 0, &acc);
    }
    return;
  }
  for (size_t o = 0; o < outer; o++, x += n * inner, y += n * inner) {
    for (size_t i = 0; i < inner; i += 4) {
      const size_t c = wt_min_size(4, inner - i);
      v128_t acc = WT_SPLAT(prod ? 1.0f : 0.0f);
      for (size_t k = 0; k < n; k++) {
        uint16_t p[8] = {0};
        for (size_t j = 0; j < c; j++) p[j] = x[k * inner + i + j];
        const v128_t w = wasm_u32x4_load16x4(p);
        const v128_t v = bf ? wasm_i32x4_shl(w, 16) : v_f32_from_f16(w);
        acc = prod ? wasm_f32x4_mul(acc, v) : wasm_f32x4_add(acc, v);
        const v128_t h = bf ? v_bf16_round(acc) : v_f16_from_f32(acc);
        wasm_v128_store(p, wasm_u16x8_narrow_i32x4(h, h));
        for (size_t j = 0; j < c; j++) y[k * inner + i + j] = p[j];
      }
    }
  }
}

#define HALF_SCAN(h, bf)                                                                     \
  WT_EXPORT void WT_SYM(h##_cumsum)(size_t outer, size_t n, size_t inner, const uint16_t* x, \
                                    uint16_t* y) {                                          \
    h_scan(outer, n, inner, x, y, bf, 0);                                                   \
  }                                                                                         \
  WT_EXPORT void WT_SYM(h##_cumprod)(size_t outer, size_t n, size_t inner,                  \
                                     const uint16_t* x, uint16_t* y) {                      \
    h_scan(outer, n, inner, x, y, bf, 1);                                                   \
  }
HALF_SCAN(f16, 0)
HALF_SCAN(bf16, 1)
