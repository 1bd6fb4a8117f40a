/* Fused SGD / RMSprop / Adagrad steps: one call updates a whole float32 parameter in place
 * (torch.optim's single-tensor CPU formulas element by element, rounded as the ops of their
 * decompositions in ops/optim_steps.py round; flags & MAXIMIZE negates g first, l2 is the
 * weight decay added to g: g' = g + l2 * p).
 *
 *   void wt_f32_sgd_step_<isa>(size_t n, float* p, const float* g, float* buf, float lr,
 *                              float momentum, float dampening, float l2, int32_t flags)
 *     flags & HAS_MOMENTUM: buf = (flags & FIRST ? g' : buf * momentum + (1 - dampening) g');
 *     d = (flags & NESTEROV ? g' + momentum * buf : buf); else d = g'.  p = p - lr * d
 *   void wt_f32_rmsprop_step_<isa>(size_t n, float* p, const float* g, float* sq, float* gavg,
 *                                  float* buf, float lr, float alpha, float eps,
 *                                  float momentum, float l2, int32_t flags)
 *     sq = sq * alpha + (1 - alpha) g' g'; flags & CENTERED: gavg = lerp(gavg, g', 1 - alpha),
 *     avg = sqrt(sq - gavg^2) + eps, else sqrt(sq) + eps; flags & HAS_MOMENTUM:
 *     buf = buf * momentum + g' / avg, p = p - lr * buf; else p = p + (-lr g') / avg
 *   void wt_f32_adagrad_step_<isa>(size_t n, float* p, const float* g, float* sum, float clr,
 *                                  float eps, float l2, int32_t flags)
 *     sum = sum + g' g'; p = p + (-clr g') / (sqrt(sum) + eps)
 * Plain loops: clang vectorises them.
 */
#include "wt_common.h"

#define MAXIMIZE 2
#define NESTEROV 4
#define HAS_MOMENTUM 8
#define FIRST 16
#define CENTERED 32

static inline float grad_of(const float* g, const float* p, size_t i, float l2, int32_t flags) {
  const float gi = (flags & MAXIMIZE) ? -g[i] : g[i];
  return l2 != 0.0f ? gi + l2 * p[i] : gi;   /* l2 == 0: no 0 * inf */
}

WT_EXPORT void WT_SYM(f32_sgd_step)(size_t n, float* p, const float* g, float* buf, float lr,
                                    float momentum, float dampening, float l2,
                                    int32_t flags) {
  const float damp = 1.0f - dampening;
  for (size_t i = 0; i < n; i++) {
    float d = grad_of(g, p, i, l2, flags);
    if (flags & HAS_MOMENTUM) {
      const float b = (flags & FIRST) ? d : buf[i] * momentum + damp * d;
      buf[i] = b;
      d = (flags & NESTEROV) ? d + momentum * b : b;
    }
    p[i] = p[i] + -lr * d;
  }
}

WT_EXPORT void WT_SYM(f32_rmsprop_step)(size_t n, float* p, const float* g, float* sq,
                                        float* gavg, float* buf, float lr, float alpha,
                                        float eps, float momentum, float l2, int32_t flags) {
  const float c = 1.0f - alpha;
  for (size_t i = 0; i < n; i++) {
    const float gi = grad_of(g, p, i, l2, flags);
    const float s = sq[i] * alpha + c * gi * gi;
    sq[i] = s;
    float avg;
    if (flags & CENTERED) {
      const float a = c < 0.5f ? gavg[i] + c * (gi - gavg[i]) : gi - (gi - gavg[i]) * (1.0f - c);
      gavg[i] = a;
      avg = __builtin_sqrtf(s - a * a) + eps;
    } else {
      avg = __builtin_sqrtf(s) + eps;
    }
    if (flags & HAS_MOMENTUM) {
      const float b = buf[i] * momentum + gi / avg;
      buf[i] = b;
      p[i] = p[i] + -lr * b;
    } else {
      p[i] = p[i] + (-lr * gi) / avg;
    }
  }
}

WT_EXPORT void WT_SYM(f32_adagrad_step)(size_t n, float* p, const float* g, float* sum,
                                        float clr, float eps, float l2, int32_t flags) {
  for (size_t i = 0; i < n; i++) {
    const float gi = grad_of(g, p, i, l2, flags);
    const float s = sum[i] + gi * gi;
    sum[i] = s;
    p[i] = p[i] + (-clr * gi) / (__builtin_sqrtf(s) + eps);
  }
}
