/* Row-wise distances of two [rows, n] operands (ops/norm.py: cosine_similarity and
 * pairwise_distance over their last dim), float32 / float64 / float16 / bfloat16:
 *   void wt_<dt>_rowwise_dist_<isa>(size_t rows, size_t n, size_t flags, const T* prm,
 *                                   const T* a, const T* b, R* out)
 *   out [rows]; flags & 1 == 0: cosine similarity, torch's formula: na = max(|a|, eps),
 *   nb = max(|b|, eps), sum (a / na) (b / nb) (prm[0] = eps; two passes over each row);
 *   flags & 1: the p-norm of a - b + eps (prm[0] = eps, prm[1] = p: 1, 2, inf, -inf or 0).
 *   h16 (float16, flags & 2: bfloat16): prm and out float32, the float32 arithmetic on
 *   halves converted in registers (p = 1, 2, 0 and cosine; the caller converts for inf).
 * Sums in T (float32 for the halves) over four partial sums, element k of each group of four
 * into sum k, as the former scalar loops: the vector lanes are those sums (bit for bit).
 */
#include "wt_common.h"
#include "wt_half.h"

enum { DT_F32, DT_F64, DT_F16 };   /* DT_F16: float16 or bfloat16 (flags & 2) */
typedef struct { v128_t v[2]; } grp;   /* one group of loaded elements as vectors */

#define IS64 (dt == DT_F64)
#define STEP (dt == DT_F16 ? 8 : 4)   /* elements per group */
#define NV (dt == DT_F32 ? 1 : 2)      /* vectors per group */
#define VADD(a, b) (IS64 ? wasm_f64x2_add(a, b) : wasm_f32x4_add(a, b))
#define VSUB(a, b) (IS64 ? wasm_f64x2_sub(a, b) : wasm_f32x4_sub(a, b))
#define VMUL(a, b) (IS64 ? wasm_f64x2_mul(a, b) : wasm_f32x4_mul(a, b))
#define VDIV(a, b) (IS64 ? wasm_f64x2_div(a, b) : wasm_f32x4_div(a, b))
#define VABS(a) (IS64 ? wasm_f64x2_abs(a) : wasm_f32x4_abs(a))
#define VSPLAT(s) (IS64 ? wasm_f64x2_splat(s) : wasm_f32x4_splat((float)(s)))
#define VNZ(a) (IS64 ? wasm_v128_and(wasm_f64x2_ne(a, wasm_f64x2_splat(0.0)), wasm_f64x2_splat(1.0)) \
                     : wasm_v128_and(wasm_f32x4_ne(a, WT_SPLAT(0.0f)), WT_SPLAT(1.0f)))

static inline __attribute__((always_inline)) grp load_grp(int dt, int bf, const void* p,
                                                         size_t i) {
  grp g;
  if (dt == DT_F32) {
    g.v[0] = wasm_v128_load((const float*)p + i);
  } else if (dt == DT_F64) {
    g.v[0] = wasm_v128_load((const double*)p + i);
    g.v[1] = wasm_v128_load((const double*)p + i + 2);
  } else {
    const v128_t h = wasm_v128_load((const uint16_t*)p + i);
    if (bf) v_f32x8_from_bf16(h, &g.v[0], &g.v[1]);
    else v_f32x8_from_f16(h, &g.v[0], &g.v[1]);
  }
  return g;
}

/* the four partial sums of the vector accumulators (f64: lanes 0-1 in acc[0], 2-3 in acc[1]) */
#define SPILL(T, s, acc)                                                                       \
  if (IS64) {                                                                                  \
    wasm_v128_store(s, acc[0]);                                                                \
    wasm_v128_store((double*)(s) + 2, acc[1]);                                                 \
  } else {                                                                                     \
    wasm_v128_store(s, acc[0]);                                                                \
  }

/* acc[k] += TERM(v) over the row's whole groups, i left at the tail */
#define VSUM(acc, TERM)                                                                        \
  for (; i + STEP <= n; i += STEP) {                                                           \
    const grp gx = load_grp(dt, bf, x, i), gy = load_grp(dt, bf, y, i);                        \
    for (int j = 0; j < NV; j++) {                                                             \
      const v128_t vx = gx.v[j], vy = gy.v[j];                                                 \
      (void)vx; (void)vy;                                                                      \
      acc[IS64 ? j : 0] = VADD(acc[IS64 ? j : 0], TERM);                                       \
    }                                                                                          \
  }

/* the tail (fewer than STEP elements) as T, the halves converted */
#define TAIL(T, xs, ys)                                                                        \
  T xs[8], ys[8];                                                                              \
  const size_t nt = n - i;                                                                     \
  if (dt == DT_F16) {                                                                          \
    if (nt) {                                                                                  \
      wt_h16_to_f32(bf, (const uint16_t*)x + i, (float*)xs, nt);                              \
      wt_h16_to_f32(bf, (const uint16_t*)y + i, (float*)ys, nt);                              \
    }                                                                                          \
  } else {                                                                                     \
    for (size_t k = 0; k < nt; k++) {                                                          \
      xs[k] = ((const T*)x)[i + k];                                                            \
      ys[k] = ((const T*)y)[i + k];                                                            \
    }                                                                                          \
  }

#define ROW_BODY(T, SQRT)                                                                      \
  const T eps = prm[0], p = prm[1];                                                            \
  const int bf = (flags & 2) != 0;   /* bfloat16 halves (one instantiation for both) */        \
  const size_t esz = dt == DT_F64 ? 8 : dt == DT_F32 ? 4 : 2;                                  \
  for (size_t r = 0; r < rows; r++) {                                                          \
    const void* x = (const char*)a + r * n * esz;                                              \
    const void* y = (const char*)b + r * n * esz;                                              \
    v128_t acc[2] = {VSPLAT(0.0), VSPLAT(0.0)}, acc2[2] = {VSPLAT(0.0), VSPLAT(0.0)};          \
    T s[4], t[4];                                                                              \
    size_t i = 0;                                                                              \
    if (!(flags & 1)) {                                                                        \
      for (; i + STEP <= n; i += STEP) {                                                       \
        const grp gx = load_grp(dt, bf, x, i), gy = load_grp(dt, bf, y, i);                    \
        for (int j = 0; j < NV; j++) {                                                         \
          acc[IS64 ? j : 0] = VADD(acc[IS64 ? j : 0], VMUL(gx.v[j], gx.v[j]));                 \
          acc2[IS64 ? j : 0] = VADD(acc2[IS64 ? j : 0], VMUL(gy.v[j], gy.v[j]));               \
        }                                                                                      \
      }                                                                                        \
      SPILL(T, s, acc) SPILL(T, t, acc2)                                                       \
      {                                                                                        \
        TAIL(T, xs, ys)                                                                        \
        for (size_t k = 0; k < nt; k++) {                                                      \
          s[0] += xs[k] * xs[k];                                                               \
          t[0] += ys[k] * ys[k];                                                               \
        }                                                                                      \
      }                                                                                        \
      T na = SQRT((s[0] + s[1]) + (s[2] + s[3])), nb = SQRT((t[0] + t[1]) + (t[2] + t[3]));    \
      na = na < eps ? eps : na;                                                                \
      nb = nb < eps ? eps : nb;                                                                \
      const v128_t va = VSPLAT(na), vb = VSPLAT(nb);                                           \
      v128_t dacc[2] = {VSPLAT(0.0), VSPLAT(0.0)};                                             \
      i = 0;                                                                                   \
      VSUM(dacc, VMUL(VDIV(vx, va), VDIV(vy, vb)))                                             \
      T d[4];                                                                                  \
      SPILL(T, d, dacc)                                                                        \
      {                                                                                        \
        TAIL(T, xs, ys)                                                                        \
        for (size_t k = 0; k < nt; k++) d[0] += (xs[k] / na) * (ys[k] / nb);                   \
      }                                                                                        \
      out[r] = (d[0] + d[1]) + (d[2] + d[3]);                                                  \
      continue;                                                                                \
    }                                                                                          \
    if (p > 1e300 || p < -1e300) {   /* max / min of |d|, nan wins (not for the halves) */    \
      T m = p > 0 ? 0 : (T)__builtin_inf();                                                    \
      for (; i < n && dt != DT_F16; i++) {                                                      \
        T d = ((const T*)x)[i] - ((const T*)y)[i] + eps;                                       \
        d = d < 0 ? -d : d;                                                                    \
        if ((p > 0 ? d > m : d < m) || d != d) m = d;                                          \
        if (m != m) break;                                                                     \
      }                                                                                        \
      out[r] = m;                                                                              \
      continue;                                                                                \
    }                                                                                          \
    const v128_t ve = VSPLAT(eps);                                                             \
    if (p == 2) VSUM(acc, VMUL(VABS(VADD(VSUB(vx, vy), ve)), VABS(VADD(VSUB(vx, vy), ve))))    \
    else if (p == 1) VSUM(acc, VABS(VADD(VSUB(vx, vy), ve)))                                   \
    else VSUM(acc, VNZ(VADD(VSUB(vx, vy), ve)))                                                \
    SPILL(T, s, acc)                                                                           \
    {                                                                                          \
      TAIL(T, xs, ys)                                                                          \
      for (size_t k = 0; k < nt; k++) {                                                        \
        T d = xs[k] - ys[k] + eps;                                                             \
        d = d < 0 ? -d : d;                                                                    \
        s[0] += p == 2 ? d * d : p == 1 ? d : (T)(d != 0);                                     \
      }                                                                                        \
    }                                                                                          \
    const T sum = (s[0] + s[1]) + (s[2] + s[3]);                                               \
    out[r] = p == 2 ? SQRT(sum) : sum;                                                         \
  }

static inline __attribute__((always_inline)) void rowdist_f32(int dt, size_t rows, size_t n,
                                                              size_t flags, const float* prm,
                                                              const void* a, const void* b,
                                                              float* out) {
  ROW_BODY(float, __builtin_sqrtf)
}

WT_EXPORT void WT_SYM(f32_rowwise_dist)(size_t rows, size_t n, size_t flags, const float* prm,
                                        const float* a, const float* b, float* out) {
  rowdist_f32(DT_F32, rows, n, flags, prm, a, b, out);
}

WT_EXPORT void WT_SYM(h16_rowwise_dist)(size_t rows, size_t n, size_t flags, const float* prm,
                                        const uint16_t* a, const uint16_t* b, float* out) {
  rowdist_f32(DT_F16, rows, n, flags, prm, a, b, out);   /* flags & 2: bfloat16 */
}

WT_EXPORT void WT_SYM(f64_rowwise_dist)(size_t rows, size_t n, size_t flags, const double* prm,
                                        const double* a, const double* b, double* out) {
  const int dt = DT_F64;
  ROW_BODY(double, __builtin_sqrt)
}

/* outer(a, b) of float16 / bfloat16 (flags & 1) vectors (ops/linalg.py's wasm shortcut):
 *   void wt_h16_outer_<isa>(size_t m, size_t n, size_t flags, const uint16_t* a,
 *                           const uint16_t* b, uint16_t* out)      out [m, n] contiguous
 * The product of two halves is exact in float32, so one rounding gives torch's value; b is
 * widened once per 1024 columns (not once per row, as the broadcast mul did). */
WT_EXPORT void WT_SYM(h16_outer)(size_t m, size_t n, size_t flags, const uint16_t* a,
                                 const uint16_t* b, uint16_t* out) {
  const int bf = flags & 1;
  float bw[1024], av[1];
  for (size_t j0 = 0; j0 < n; j0 += 1024) {
    const size_t nb = wt_min_size(1024, n - j0), nv = nb & ~(size_t)7;
    wt_h16_to_f32(bf, b + j0, bw, nb);
    for (size_t i = 0; i < m; i++) {
      wt_h16_to_f32(bf, a + i, av, 1);
      const v128_t s = wasm_f32x4_splat(av[0]);
      uint16_t* o = out + i * n + j0;
      for (size_t j = 0; j < nv; j += 8) {
        const v128_t lo = wasm_f32x4_mul(s, wasm_v128_load(bw + j));
        const v128_t hi = wasm_f32x4_mul(s, wasm_v128_load(bw + j + 4));
        wasm_v128_store(o + j, bf ? v_bf16x8_from_f32(lo, hi) : v_f16x8_from_f32(lo, hi));
      }
      if (nv < nb) {   /* the last < 8 columns (bw's lanes past nb unused) */
        float t[8];
        wasm_v128_store(t, wasm_f32x4_mul(s, wasm_v128_load(bw + nv)));
        wasm_v128_store(t + 4, wasm_f32x4_mul(s, wasm_v128_load(bw + nv + 4)));
        wt_f32_to_h16(bf, t, o + nv, nb - nv);
      }
    }
  }
}
