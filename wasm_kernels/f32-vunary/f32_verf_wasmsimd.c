/* erf and gelu (erf form). Max errors vs float64 over all finite f32: erf 3 ulp, gelu 6 ulp
 * (subnormal results included). For x < 0 gelu is 0.5 x erfc(|x|/sqrt2) with exp(-x^2/2)
 * formed exactly from x, so there is no cancellation and no amplified rounding of x/sqrt2
 * (torch's float formula loses everything below x ~ -5).
 * torch edge behaviour: erf(+-inf) = +-1; gelu(inf) = inf, gelu(-inf) = nan (torch 2.13). */
#include "wt_unary.h"
#include "wt_vmath.h"

static inline v128_t v_erf(v128_t x) {
  v128_t e, ec;
  const v128_t a = wasm_f32x4_abs(x);
  wt_erf_erfc_abs(a, a, 1.0f, &e, &ec);
  return wt_copysign(e, x);
}

static inline v128_t v_gelu(v128_t x) {
  v128_t e, ec;
  const v128_t ax = wasm_f32x4_abs(x);
  wt_erf_erfc_abs(wasm_f32x4_mul(ax, WT_SPLAT(0.70710678118654752f)), ax, 0.5f, &e, &ec);
  /* x >= 0: 0.5 x (1 + erf); x < 0: 0.5 x erfc(|z|) */
  const v128_t f = wasm_v128_bitselect(ec, wasm_f32x4_add(e, WT_SPLAT(1.0f)),
                                       wasm_f32x4_lt(x, WT_SPLAT(0.0f)));
  /* + 0: gelu(-0) = +0, as torch 2.13 */
  const v128_t y = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(x, WT_SPLAT(0.5f)), f),
                                  WT_SPLAT(0.0f));
  const v128_t isninf = wasm_f32x4_eq(x, WT_SPLAT(-__builtin_inff()));
  return wasm_v128_bitselect(WT_SPLAT(__builtin_nanf("")), y, isninf);
}

WT_UNARY_KERNEL(erf, v_erf)
WT_UNARY_KERNEL(gelu, v_gelu)
