/* erf and gelu (erf form), both on one rational erf (wt_erf_scaled: no exp, no branch).
 * erf: max error 7 ulp vs float64. gelu = 0.5 x (1 + erf(x / sqrt2)), torch's own formula:
 * max error 4 ulp + |x| 2^-23 absolute (for x < 0 the 1 + erf cancellation is torch's too;
 * both give 0 below x ~ -5.5, where the true value is < 1e-7).
 * torch edge behaviour: erf(+-inf) = +-1; gelu(inf) = inf (torch's scalar path and float64),
 * gelu(-inf) = nan, gelu(-0) = -0. */
#include "wt_unary.h"
#include "wt_vmath.h"

static inline v128_t v_erf(v128_t x) { return wt_erf_scaled(x, 0); }

static inline v128_t v_gelu(v128_t x) {
  const v128_t f = wasm_f32x4_add(wt_erf_scaled(x, 1), WT_K(1.0f));
  /* -inf * 0 = nan as torch; x <= -0 gives -0 where 1 + erf underflows (x Phi(x) keeps x's
   * sign; torch 2.13 builds differ here: some add +0) */
  return wasm_f32x4_mul(wasm_f32x4_mul(x, WT_K(0.5f)), f);
}

WT_UNARY_KERNEL_INT(erf, v_erf)
WT_UNARY_KERNEL(gelu, v_gelu)
