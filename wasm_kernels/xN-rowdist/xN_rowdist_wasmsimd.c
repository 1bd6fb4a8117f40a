/* Row-wise distances of two [rows, n] operands (ops/norm.py: cosine_similarity and
 * pairwise_distance over their last dim), float32 / float64:
 *   void wt_<dt>_rowwise_dist_<isa>(size_t rows, size_t n, size_t flags, const T* prm,
 *                                   const T* a, const T* b, T* out)
 *   out [rows]; flags 0: cosine similarity, torch's formula: na = max(|a|, eps),
 *   nb = max(|b|, eps), sum (a / na) (b / nb) (prm[0] = eps; two passes over each row);
 *   flags 1: the p-norm of a - b + eps (prm[0] = eps, prm[1] = p: 1, 2, inf, -inf or 0).
 * Scalar with four partial sums (sums in T, as torch's CPU reductions).
 */
#include "wt_common.h"

/* s[k] += TERM(d) over d = |x - y + eps|, four partial sums */
#define PNORM_SUM(T, TERM)                                                                        \
  {                                                                                            \
    for (; i + 4 <= n; i += 4)                                                                 \
      for (int k = 0; k < 4; k++) {                                                            \
        T d = x[i + k] - y[i + k] + eps;                                                       \
        d = d < 0 ? -d : d;                                                                    \
        s[k] += TERM;                                                                          \
      }                                                                                        \
    for (; i < n; i++) {                                                                       \
      T d = x[i] - y[i] + eps;                                                                 \
      d = d < 0 ? -d : d;                                                                      \
      s[0] += TERM;                                                                            \
    }                                                                                          \
  }

#define ROWDIST(dt, T, SQRT)                                                                   \
  WT_EXPORT void WT_SYM(dt##_rowwise_dist)(size_t rows, size_t n, size_t flags, const T* prm, \
                                           const T* a, const T* b, T* out) {                  \
    const T eps = prm[0], p = prm[1];                                                          \
    for (size_t r = 0; r < rows; r++) {                                                        \
      const T* x = a + r * n;                                                                  \
      const T* y = b + r * n;                                                                  \
      T s[4] = {0, 0, 0, 0}, t[4] = {0, 0, 0, 0};                                              \
      size_t i = 0;                                                                            \
      if (flags == 0) {                                                                        \
        for (; i + 4 <= n; i += 4)                                                             \
          for (int k = 0; k < 4; k++) {                                                        \
            s[k] += x[i + k] * x[i + k];                                                       \
            t[k] += y[i + k] * y[i + k];                                                       \
          }                                                                                    \
        for (; i < n; i++) {                                                                   \
          s[0] += x[i] * x[i];                                                                 \
          t[0] += y[i] * y[i];                                                                 \
        }                                                                                      \
        T na = SQRT((s[0] + s[1]) + (s[2] + s[3])), nb = SQRT((t[0] + t[1]) + (t[2] + t[3]));  \
        na = na < eps ? eps : na;                                                              \
        nb = nb < eps ? eps : nb;                                                              \
        T d[4] = {0, 0, 0, 0};                                                                 \
        for (i = 0; i + 4 <= n; i += 4)                                                        \
          for (int k = 0; k < 4; k++) d[k] += (x[i + k] / na) * (y[i + k] / nb);               \
        for (; i < n; i++) d[0] += (x[i] / na) * (y[i] / nb);                                  \
        out[r] = (d[0] + d[1]) + (d[2] + d[3]);                                                \
        continue;                                                                              \
      }                                                                                        \
      if (p > 1e300 || p < -1e300) {   /* max / min of |d|, nan wins */                    \
        T m = p > 0 ? 0 : (T)__builtin_inf();                                                  \
        for (; i < n; i++) {                                                                   \
          T d = x[i] - y[i] + eps;                                                             \
          d = d < 0 ? -d : d;                                                                  \
          if ((p > 0 ? d > m : d < m) || d != d) m = d;                                        \
          if (m != m) break;                                                                   \
        }                                                                                      \
        out[r] = m;                                                                            \
        continue;                                                                              \
      }                                                                                        \
      if (p == 2) PNORM_SUM(T, d * d)                                                             \
      else if (p == 1) PNORM_SUM(T, d)                                                          \
      else PNORM_SUM(T, (T)(d != 0))                                                              \
      const T sum = (s[0] + s[1]) + (s[2] + s[3]);                                             \
      out[r] = p == 2 ? SQRT(sum) : sum;                                                       \
    }                                                                                          \
  }

ROWDIST(f32, float, __builtin_sqrtf)
ROWDIST(f64, double, __builtin_sqrt)
