/* clamp and lerp of float16 / bfloat16 in one pass (the op layer: two selections, or three
 * rounded ops):
 *   void wt_<dt>_clamp_<isa>(size_t n, const uint16_t* x, const uint16_t* bounds, uint16_t* y)
 *     bounds = {lo, hi} as patterns of x's dtype (-inf / inf for a missing one): min(max(x, lo),
 *     hi) on the ordered keys (wt_half.h), bits in, bits out: x == bound keeps x (-0.0 stays),
 *     lo > hi gives hi, a NaN x passes unchanged (torch's CPU results).
 *   void wt_<dt>_lerp_<isa>(size_t n, const uint16_t* a, const uint16_t* b, float w, uint16_t* y)
 *     torch's float32 opmath form, rounded once: |w| < 0.5 ? a + w (b - a) : b - (1 - w)(b - a)
 *     with the product and sum fused as torch's vector fmadd (in float64: the product of two
 *     floats is exact there; in float32 for a power-of-two coefficient).
 * Tails go through one zero-padded vector: every element gets the same instruction.
 */
#include "wt_common.h"
#include "wt_half.h"

/* y[j] = EXPR(j, ...) over 8 lanes of the inputs x0, x1; the tail from zero-padded copies */
#define TAIL8(n, EXPR, ...)                                                                 \
  size_t j = 0;                                                                             \
  for (; j + 8 <= n; j += 8) wasm_v128_store(y + j, EXPR(j, __VA_ARGS__));                  \
  if (j < n) {                                                                              \
    uint16_t t[3][8] = {{0}};                                                               \
    for (size_t k = 0; j + k < n; k++) t[0][k] = x0[j + k], t[1][k] = x1[j + k];            \
    x0 = t[0] - j, x1 = t[1] - j;                                                           \
    wasm_v128_store(t[2], EXPR(j, __VA_ARGS__));                                            \
    for (size_t k = 0; j + k < n; k++) y[j + k] = t[2][k];                                  \
  }

static inline v128_t clamp8(v128_t h, v128_t lo, v128_t hi, v128_t klo, v128_t khi,
                            int16_t inf) {
  const v128_t k = v_h16_key(h), below = wasm_i16x8_lt(k, klo);
  const v128_t r = wasm_v128_bitselect(lo, h, below);
  const v128_t kr = wasm_v128_bitselect(klo, k, below);
  return wasm_v128_bitselect(h, wasm_v128_bitselect(hi, r, wasm_i16x8_gt(kr, khi)),
                             v_h16_nan(h, inf));
}
#define CLAMP(dt, INF)                                                                      \
  WT_EXPORT void WT_SYM(dt##_clamp)(size_t n, const uint16_t* x, const uint16_t* bounds,    \
                                    uint16_t* y) {                                          \
    const v128_t lo = wasm_i16x8_splat(bounds[0]), hi = wasm_i16x8_splat(bounds[1]);        \
    const v128_t klo = v_h16_key(lo), khi = v_h16_key(hi);                                  \
    const uint16_t* x0 = x; const uint16_t* x1 = x;                                         \
    TAIL8(n, CLAMP_AT, lo, hi, klo, khi, INF)                                               \
  }
#define CLAMP_AT(j, lo, hi, klo, khi, INF) \
  clamp8(wasm_v128_load(x0 + (j)), lo, hi, klo, khi, INF)
CLAMP(f16, 0x7C00)
CLAMP(bf16, 0x7F80)

/* w c + base of one f32x4, fused: in float64 halves (w c exact), rounded to float32 once */
static inline v128_t fma_f32(v128_t w, v128_t c, v128_t base) {
  const v128_t wd = wasm_f64x2_promote_low_f32x4(w);
  const v128_t lo = wasm_f64x2_add(
      wasm_f64x2_mul(wd, wasm_f64x2_promote_low_f32x4(c)), wasm_f64x2_promote_low_f32x4(base));
  const v128_t hi = wasm_f64x2_add(
      wasm_f64x2_mul(wd, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(c, c, 2, 3, 2, 3))),
      wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(base, base, 2, 3, 2, 3)));
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi),
                            0, 1, 4, 5);
}
/* pow2: the coefficient is a power of two in [2^-100, 2^100], its products exact in float32:
 * one multiply and one add are the fused form */
#define LERP(dt)                                                                            \
  static inline v128_t dt##_lerp8(v128_t a, v128_t b, v128_t w, int small, int pow2) {      \
    v128_t a0, a1, b0, b1;                                                                  \
    v_f32x8_from_##dt(a, &a0, &a1);                                                         \
    v_f32x8_from_##dt(b, &b0, &b1);                                                         \
    const v128_t c0 = wasm_f32x4_sub(b0, a0), c1 = wasm_f32x4_sub(b1, a1);                  \
    const v128_t s0 = small ? a0 : b0, s1 = small ? a1 : b1;                                \
    if (pow2)                                                                               \
      return v_##dt##x8_from_f32(wasm_f32x4_add(wasm_f32x4_mul(w, c0), s0),                 \
                                 wasm_f32x4_add(wasm_f32x4_mul(w, c1), s1));                \
    return v_##dt##x8_from_f32(fma_f32(w, c0, s0), fma_f32(w, c1, s1));                     \
  }                                                                                         \
  WT_EXPORT void WT_SYM(dt##_lerp)(size_t n, const uint16_t* a, const uint16_t* b, float w, \
                                   uint16_t* y) {                                           \
    const int small = __builtin_fabsf(w) < 0.5f;                                            \
    const float c = small ? w : w - 1.0f, ac = __builtin_fabsf(c);                          \
    union { float f; uint32_t u; } cu = {c};                                                \
    const int pow2 = (cu.u & 0x7FFFFF) == 0 && ac >= 0x1p-100f && ac <= 0x1p100f;           \
    const v128_t wv = wasm_f32x4_splat(c);                                                  \
    const uint16_t* x0 = a; const uint16_t* x1 = b;                                         \
    if (pow2) {                                                                             \
      TAIL8(n, LERP_AT, dt, wv, small, 1)                                                   \
    } else {                                                                                \
      TAIL8(n, LERP_AT, dt, wv, small, 0)                                                   \
    }                                                                                       \
  }
#define LERP_AT(j, dt, wv, small, pow2) \
  dt##_lerp8(wasm_v128_load(x0 + (j)), wasm_v128_load(x1 + (j)), wv, small, pow2)
LERP(f16)
LERP(bf16)
