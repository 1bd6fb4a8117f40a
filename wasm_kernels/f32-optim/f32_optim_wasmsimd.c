/* Fused optimizer steps: one call updates a whole float32 parameter in place (torch.optim's
 * single-tensor CPU formula, element by element; the decomposition is ops/optim_steps.py).
 *
 *   void wt_f32_adam_step_<isa>(size_t n, float* p, const float* g, float* m, float* v,
 *                               float* vmax, float w1, float beta2, float c2, float step_size,
 *                               float bc2, float eps, float decay, float l2, int32_t flags)
 *
 *   g' = (flags & MAXIMIZE ? -g : g) + l2 * p      (l2: Adam's weight decay; 0 for AdamW)
 *   p  = p * decay                                 (AdamW: 1 - lr * weight_decay; else 1)
 *   m  = lerp(m, g', w1)                           (w1 = 1 - beta1, torch's lerp formula)
 *   v  = v * beta2 + c2 * g' * g'                  (c2 = 1 - beta2)
 *   vmax = max(vmax, v); d = (flags & AMSGRAD ? vmax : v)
 *   p  = p + (-step_size * m) / (sqrt(d) / bc2 + eps)
 * Without AMSGRAD vmax is not touched (callers pass v). Plain loops: clang vectorises them.
 */
#include "wt_common.h"

#define AMSGRAD 1
#define MAXIMIZE 2

WT_EXPORT void WT_SYM(f32_adam_step)(size_t n, float* p, const float* g, float* m, float* v,
                                      float* vmax, float w1, float beta2, float c2,
                                      float step_size, float bc2, float eps, float decay,
                                      float l2, int32_t flags) {
  const float sign = (flags & MAXIMIZE) ? -1.0f : 1.0f;
  const float neg_step = -step_size;
  const int ams = flags & AMSGRAD;
  for (size_t i = 0; i < n; i++) {
    const float gi = l2 != 0.0f ? sign * g[i] + l2 * p[i] : sign * g[i];   /* 0 * inf */
    const float pi = decay != 1.0f ? p[i] * decay : p[i];
    const float mi = w1 < 0.5f ? m[i] + w1 * (gi - m[i]) : gi - (gi - m[i]) * (1.0f - w1);
    const float vi = v[i] * beta2 + c2 * gi * gi;
    float d = vi;
    if (ams) {
      d = vmax[i] > vi ? vmax[i] : vi;
      vmax[i] = d;
    }
    m[i] = mi;
    v[i] = vi;
    p[i] = pi + (neg_step * mi) / (__builtin_sqrtf(d) / bc2 + eps);
  }
}
