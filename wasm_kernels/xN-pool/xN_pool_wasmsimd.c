/* 2-D pooling over NCHW planes for float64 and the integers torch pools (scalar loops; the
 * float32 kernels are f32-pool/, whose argument forms these share):
 *   wt_<f64|i64|i32|i16|i8|u8|f16|bf16>_max_pool2d_indices_<isa>(planes, h, w, oh, ow, kh, kw, sh,
 *                                             sw, ph, pw, dh, dw, x, y, idx)   idx: int64, iy * w + ix
 *   wt_<f64|i64|i32|i16|i8|u8|f16|bf16>_max_pool2d_<isa>(same..., x, y, t)   no indices (also
 *       float32 as wt_f32_max_pool2d_rows: faster than f32-pool's for 2-wide windows), t: scratch of
 *       (ow - 1) * sw + (kw - 1) * dw + 1 elements (a padded row): per output row, each window
 *       row's max over its columns (vectorised for 2-wide, stride-2 windows) folded into y
 *       row by row, which keeps torch's row-major first maximum (-0.0 vs 0.0)
 *   wt_<f64|i64>_avg_pool2d_<isa>(planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw,
 *                                 count_include_pad, divisor_override (0: none), x, y)
 *   wt_f64_adaptive_avg_pool2d_<isa>(planes, h, w, oh, ow, x, y)
 *   wt_f64_adaptive_max_pool2d_<isa>(planes, h, w, oh, ow, x, y, idx)
 * torch's CPU rules: windows clipped to the input; max keeps the first maximum and a NaN wins
 * (integers start from the type's lowest value, so an all-lowest window gives its first
 * position); avg sums row by row, then divides once (integers: sums wrap, the quotient
 * truncates toward zero, as torch's int64 avg_pool2d). Exact for max; avg as torch's loop.
 */
#include "wt_common.h"
#include "../f32-conv/wt_window.h"
#include "../f32-pool/wt_pool.h"

WT_SMALL_BEGIN

#define DEFINE_MAX_POOL(name, T, LOWEST, K, N)                                                 \
  WT_EXPORT void WT_SYM(name)(size_t planes, size_t h, size_t w, size_t oh, size_t ow,     \
                              size_t kh, size_t kw, size_t sh, size_t sw, size_t ph,       \
                              size_t pw, size_t dh, size_t dw, const T* x, T* y,           \
                              int64_t* idx) {                                              \
    const ptrdiff_t H = (ptrdiff_t)h, W = (ptrdiff_t)w;                                    \
    for (size_t p = 0; p < planes; p++, x += H * W)                                        \
      for (ptrdiff_t oy = 0; oy < (ptrdiff_t)oh; oy++)                                     \
        for (ptrdiff_t ox = 0; ox < (ptrdiff_t)ow; ox++, y++, idx++) {                     \
          ptrdiff_t y0 = oy * (ptrdiff_t)sh - (ptrdiff_t)ph;                               \
          ptrdiff_t x0 = ox * (ptrdiff_t)sw - (ptrdiff_t)pw;                               \
          const ptrdiff_t y1 = y0 + (ptrdiff_t)((kh - 1) * dh) + 1;                        \
          const ptrdiff_t x1 = x0 + (ptrdiff_t)((kw - 1) * dw) + 1;                        \
          while (y0 < 0) y0 += (ptrdiff_t)dh;                                              \
          while (x0 < 0) x0 += (ptrdiff_t)dw;                                              \
          T m = LOWEST;                                                                    \
          int64_t best = y0 * W + x0;                                                      \
          for (ptrdiff_t iy = y0; iy < (y1 < H ? y1 : H); iy += (ptrdiff_t)dh)             \
            for (ptrdiff_t ix = x0; ix < (x1 < W ? x1 : W); ix += (ptrdiff_t)dw) {         \
              const T v = x[iy * W + ix];                                                  \
              if (K(v) > K(m) || N(v)) m = v, best = iy * W + ix;                          \
            }                                                                              \
          *y = m;                                                                          \
          *idx = best;                                                                     \
        }                                                                                  \
  }

/* torch's max step: a NaN wins, else the first maximum stays */
#define WT_POOL_MAX(K, N, m, v) (K(v) > K(m) || N(v) ? (v) : (m))
/* K: the order's key, N: is-NaN. float16/bfloat16 (raw bits): sign-magnitude as a two's
 * complement int (-0.0 and 0.0 tie), NaN above everything */
#define WT_ID(x) (x)
#define WT_ISNAN(x) ((x) != (x))
#define WT_HALF_KEY(b, INF)                                                                \
  (((b) & 0x7FFF) > INF ? 0x10000                                                          \
                        : ((int32_t)((b) & 0x7FFF) ^ -(int32_t)((b) >> 15)) + (int32_t)((b) >> 15))
#define WT_F16_KEY(b) WT_HALF_KEY(b, 0x7C00)
#define WT_BF16_KEY(b) WT_HALF_KEY(b, 0x7F80)
#define WT_F16_NAN(b) (((b) & 0x7FFF) > 0x7C00)
#define WT_BF16_NAN(b) (((b) & 0x7FFF) > 0x7F80)

#define WT_POOL_VEC _Pragma("clang loop vectorize(enable) interleave_count(1)")

#define WT_POOL_SCALAR _Pragma("clang loop vectorize(disable) unroll(disable)")

/* DECL: the function's linkage, return type and name; VEC: the row loops' pragma */
#define DEFINE_MAX_POOL_ROWS(DECL, T, LOWEST, K, N, VEC)                                          \
  DECL(size_t planes, size_t h, size_t w, size_t oh, size_t ow,                            \
                              size_t kh, size_t kw, size_t sh, size_t sw, size_t ph,       \
                              size_t pw, size_t dh, size_t dw, const T* x, T* y, T* t) {   \
    const ptrdiff_t H = (ptrdiff_t)h, W = (ptrdiff_t)w, OW = (ptrdiff_t)ow;                \
    const ptrdiff_t S = (ptrdiff_t)sw, KW = (ptrdiff_t)kw, DW = (ptrdiff_t)dw;             \
    const ptrdiff_t L = (OW - 1) * S + (KW - 1) * DW + 1, P = (ptrdiff_t)pw;               \
    const ptrdiff_t n = W < L - P ? W : L - P; /* input columns any window reads */        \
    const int inplace = P == 0 && L <= W;      /* rows read where they lie */              \
    WT_POOL_SCALAR for (ptrdiff_t j = 0; j < P; j++) t[j] = LOWEST;                        \
    WT_POOL_SCALAR for (ptrdiff_t j = P + n; j < L; j++) t[j] = LOWEST;                    \
    for (size_t p = 0; p < planes; p++, x += H * W)                                        \
      for (ptrdiff_t oy = 0; oy < (ptrdiff_t)oh; oy++, y += OW) {                          \
        ptrdiff_t y0 = oy * (ptrdiff_t)sh - (ptrdiff_t)ph;                                 \
        ptrdiff_t y1 = y0 + (ptrdiff_t)((kh - 1) * dh) + 1;                                \
        while (y0 < 0) y0 += (ptrdiff_t)dh;                                                \
        if (y1 > H) y1 = H;                                                                \
        VEC for (ptrdiff_t o = 0; o < OW; o++) y[o] = LOWEST;                      \
        for (ptrdiff_t iy = y0; iy < y1; iy += (ptrdiff_t)dh) {                            \
          const T* r = x + iy * W; /* the row, from column -P on */                        \
          if (!inplace) {                                                                  \
            VEC for (ptrdiff_t j = 0; j < n; j++) t[P + j] = r[j];                 \
            r = t;                                                                         \
          }                                                                                \
          if (KW == 2 && S == 2 && DW == 1) {                                              \
            VEC for (ptrdiff_t o = 0; o < OW; o++) {                               \
              const T a = WT_POOL_MAX(K, N, r[2 * o], r[2 * o + 1]);                             \
              y[o] = WT_POOL_MAX(K, N, y[o], a);                                                 \
            }                                                                              \
          } else {                                                                         \
            WT_POOL_SCALAR for (ptrdiff_t o = 0; o < OW; o++) {                            \
              const T* c = r + o * S;                                                      \
              T m = y[o];                                                                  \
              WT_POOL_SCALAR for (ptrdiff_t k = 0; k < KW; k++) m = WT_POOL_MAX(K, N, m, c[k * DW]); \
              y[o] = m;                                                                    \
            }                                                                              \
          }                                                                                \
        }                                                                                  \
      }                                                                                    \
  }

/* avg_pool2d's pairs path (wt_pool.h): 2 outputs per vector from 4 elements of each row */
static void f64_avg_pairs(int bf, const void* rv, size_t w, ptrdiff_t rows, ptrdiff_t d,
                          size_t ow, void* yv) {
  const double* r = rv;
  double* y = yv;
  (void)bf;
  const v128_t dv = wasm_f64x2_splat((double)d);
  for (size_t o = 0; o < ow; o += 2) {
    v128_t s = wasm_f64x2_splat(0.0);
    for (ptrdiff_t i = 0; i < rows; i++) {
      const double* q = r + i * w + 2 * o;
      const v128_t a = wasm_v128_load(q), b = wasm_v128_load(q + 2);
      s = wasm_f64x2_add(s, wasm_i64x2_shuffle(a, b, 0, 2));
      s = wasm_f64x2_add(s, wasm_i64x2_shuffle(a, b, 1, 3));
    }
    wasm_v128_store(y + o, wasm_f64x2_div(s, dv));
  }
}

/* int64: sums wrap; a power-of-two divisor truncates toward zero by a shift of the sum biased
 * by divisor - 1 when negative (no 64-bit division: ~40 cycles each); others divide */
static void i64_avg_pairs(int bf, const void* rv, size_t w, ptrdiff_t rows, ptrdiff_t d,
                          size_t ow, void* yv) {
  const int64_t* r = rv;
  int64_t* y = yv;
  (void)bf;
  const int k = d > 0 && !(d & (d - 1)) ? __builtin_ctzll((unsigned long long)d) : -1;
  for (size_t o = 0; o < ow; o += 2) {
    v128_t s = wasm_i64x2_splat(0);
    for (ptrdiff_t i = 0; i < rows; i++) {
      const int64_t* q = r + i * w + 2 * o;
      const v128_t a = wasm_v128_load(q), b = wasm_v128_load(q + 2);
      s = wasm_i64x2_add(s, wasm_i64x2_shuffle(a, b, 0, 2));
      s = wasm_i64x2_add(s, wasm_i64x2_shuffle(a, b, 1, 3));
    }
    if (k > 0) {
      const v128_t bias = wasm_u64x2_shr(wasm_i64x2_shr(s, 63), 64 - k);
      wasm_v128_store(y + o, wasm_i64x2_shr(wasm_i64x2_add(s, bias), k));
    } else if (k == 0) {
      wasm_v128_store(y + o, s);
    } else {
      y[o] = wasm_i64x2_extract_lane(s, 0) / d;
      y[o + 1] = wasm_i64x2_extract_lane(s, 1) / d;
    }
  }
}

/* S: the sum's type (unsigned for integers: wraps); Q: the quotient's; PAIRS: the vector rows */
#define DEFINE_AVG_POOL(name, T, S, Q, PAIRS)                                              \
  WT_EXPORT void WT_SYM(name)(size_t planes, size_t h, size_t w, size_t oh, size_t ow,     \
                              size_t kh, size_t kw, size_t sh, size_t sw, size_t ph,       \
                              size_t pw, size_t count_include_pad,                         \
                              int32_t divisor_override, const T* x, T* y) {                \
    if (wt_avg_pairs_ok(kw, sw, pw, w, ow, 2)) {                                           \
      wt_avg_pairs(PAIRS, 0, sizeof(T), planes, h, w, oh, ow, kh, sh, ph,                \
                   count_include_pad, divisor_override, (const char*)x, (char*)y);         \
      return;                                                                              \
    }                                                                                      \
    const ptrdiff_t H = (ptrdiff_t)h, W = (ptrdiff_t)w;                                    \
    for (size_t p = 0; p < planes; p++, x += H * W)                                        \
      for (ptrdiff_t oy = 0; oy < (ptrdiff_t)oh; oy++)                                     \
        for (ptrdiff_t ox = 0; ox < (ptrdiff_t)ow; ox++, y++) {                            \
          const ptrdiff_t y0 = oy * (ptrdiff_t)sh - (ptrdiff_t)ph;                         \
          const ptrdiff_t x0 = ox * (ptrdiff_t)sw - (ptrdiff_t)pw;                         \
          ptrdiff_t y1 = y0 + (ptrdiff_t)kh, x1 = x0 + (ptrdiff_t)kw;                      \
          if (y1 > H + (ptrdiff_t)ph) y1 = H + (ptrdiff_t)ph;                              \
          if (x1 > W + (ptrdiff_t)pw) x1 = W + (ptrdiff_t)pw;                              \
          const ptrdiff_t pool = (y1 - y0) * (x1 - x0);                                    \
          const ptrdiff_t vy0 = y0 < 0 ? 0 : y0, vy1 = y1 > H ? H : y1;                    \
          const ptrdiff_t vx0 = x0 < 0 ? 0 : x0, vx1 = x1 > W ? W : x1;                    \
          if (vy0 >= vy1 || vx0 >= vx1) {                                                  \
            *y = 0;                                                                        \
            continue;                                                                      \
          }                                                                                \
          S s = 0;                                                                         \
          for (ptrdiff_t iy = vy0; iy < vy1; iy++)                                         \
            for (ptrdiff_t ix = vx0; ix < vx1; ix++) s += (S)x[iy * W + ix];               \
          const ptrdiff_t d = divisor_override ? divisor_override                          \
                              : count_include_pad ? pool : (vy1 - vy0) * (vx1 - vx0);      \
          *y = (T)((Q)s / (Q)d);                                                           \
        }                                                                                  \
  }

DEFINE_MAX_POOL(f64_max_pool2d_indices, double, -__builtin_inf(), WT_ID, WT_ISNAN)
DEFINE_MAX_POOL(i64_max_pool2d_indices, int64_t, INT64_MIN, WT_ID, WT_ISNAN)
DEFINE_MAX_POOL(i32_max_pool2d_indices, int32_t, INT32_MIN, WT_ID, WT_ISNAN)
DEFINE_MAX_POOL(i16_max_pool2d_indices, int16_t, INT16_MIN, WT_ID, WT_ISNAN)
DEFINE_MAX_POOL(i8_max_pool2d_indices, int8_t, INT8_MIN, WT_ID, WT_ISNAN)
DEFINE_MAX_POOL(u8_max_pool2d_indices, uint8_t, 0, WT_ID, WT_ISNAN)
DEFINE_MAX_POOL(f16_max_pool2d_indices, uint16_t, 0xFC00, WT_F16_KEY, WT_F16_NAN)
DEFINE_MAX_POOL(bf16_max_pool2d_indices, uint16_t, 0xFF80, WT_BF16_KEY, WT_BF16_NAN)
DEFINE_AVG_POOL(f64_avg_pool2d, double, double, double, f64_avg_pairs)
DEFINE_AVG_POOL(i64_avg_pool2d, int64_t, uint64_t, int64_t, i64_avg_pairs)

/* adaptive windows: [floor(i*n/o), ceil((i+1)*n/o)) */
static inline ptrdiff_t a_start(ptrdiff_t i, ptrdiff_t n, ptrdiff_t o) { return i * n / o; }
static inline ptrdiff_t a_end(ptrdiff_t i, ptrdiff_t n, ptrdiff_t o) {
  return ((i + 1) * n + o - 1) / o;
}

/* max: idx non-NULL; avg: idx NULL */
static void adaptive(size_t planes, size_t h, size_t w, size_t oh, size_t ow, const double* x,
                     double* y, int64_t* idx) {
  const ptrdiff_t H = (ptrdiff_t)h, W = (ptrdiff_t)w, OH = (ptrdiff_t)oh, OW = (ptrdiff_t)ow;
  for (size_t p = 0; p < planes; p++, x += H * W)
    for (ptrdiff_t i = 0; i < OH; i++) {
      const ptrdiff_t y0 = a_start(i, H, OH), y1 = a_end(i, H, OH);
      for (ptrdiff_t j = 0; j < OW; j++, y++) {
        const ptrdiff_t x0 = a_start(j, W, OW), x1 = a_end(j, W, OW);
        double m = idx ? -__builtin_inf() : 0.0;
        int64_t best = y0 * W + x0;
        for (ptrdiff_t iy = y0; iy < y1; iy++)
          for (ptrdiff_t ix = x0; ix < x1; ix++) {
            const double v = x[iy * W + ix];
            if (!idx) m += v;
            else if (v > m || v != v) m = v, best = iy * W + ix;
          }
        if (idx) *idx++ = best;
        *y = idx ? m : m / (double)((y1 - y0) * (x1 - x0));
      }
    }
}

WT_EXPORT void WT_SYM(f64_adaptive_avg_pool2d)(size_t planes, size_t h, size_t w, size_t oh,
                                               size_t ow, const double* x, double* y) {
  adaptive(planes, h, w, oh, ow, x, y, NULL);
}

WT_EXPORT void WT_SYM(f64_adaptive_max_pool2d)(size_t planes, size_t h, size_t w, size_t oh,
                                               size_t ow, const double* x, double* y,
                                               int64_t* idx) {
  adaptive(planes, h, w, oh, ow, x, y, idx);
}

WT_SMALL_END

#define WT_ROWS(name) WT_EXPORT void WT_SYM(name)
/* the rows behind xN_pool_fast.h's exported float32/halves kernels: INF the dtype's inf bits */
#define WT_ROWS_INF(name) static __attribute__((noinline)) void name WT_ROWS_ARGS
#define WT_ROWS_ARGS(...) (__attribute__((unused)) uint32_t INF, __VA_ARGS__)
#define WT_H16_KEY(b) WT_HALF_KEY(b, INF)
#define WT_H16_NAN(b) (((b) & 0x7FFF) > INF)
/* not minsize: the row passes vectorise */
DEFINE_MAX_POOL_ROWS(WT_ROWS_INF(f32_rows), float, -__builtin_inff(), WT_ID, WT_ISNAN, WT_POOL_VEC)
DEFINE_MAX_POOL_ROWS(WT_ROWS(f64_max_pool2d), double, -__builtin_inf(), WT_ID, WT_ISNAN, WT_POOL_VEC)
DEFINE_MAX_POOL_ROWS(WT_ROWS(i64_max_pool2d), int64_t, INT64_MIN, WT_ID, WT_ISNAN, WT_POOL_VEC)
DEFINE_MAX_POOL_ROWS(WT_ROWS(i32_max_pool2d), int32_t, INT32_MIN, WT_ID, WT_ISNAN, WT_POOL_VEC)
DEFINE_MAX_POOL_ROWS(WT_ROWS(i16_max_pool2d), int16_t, INT16_MIN, WT_ID, WT_ISNAN, WT_POOL_VEC)
DEFINE_MAX_POOL_ROWS(WT_ROWS(i8_max_pool2d), int8_t, INT8_MIN, WT_ID, WT_ISNAN, WT_POOL_VEC)
DEFINE_MAX_POOL_ROWS(WT_ROWS(u8_max_pool2d), uint8_t, 0, WT_ID, WT_ISNAN, WT_POOL_VEC)
/* halves (both kinds, INF tells): their common windows take xN_pool_fast.h's vector paths; the
 * rest is scalar */
WT_SMALL_BEGIN
DEFINE_MAX_POOL_ROWS(WT_ROWS_INF(h16_rows), uint16_t, 0x8000 | INF, WT_H16_KEY, WT_H16_NAN, WT_POOL_SCALAR)
WT_SMALL_END

#include "xN_pool_fast.h"
