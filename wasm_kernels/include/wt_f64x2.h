/* float64 vector math shared by f64-vunary (exp family) and xN-vbinary (pow): f64x2 shorthands,
 * the ln2 reduction, 2^n and exp(r) - 1 on |r| <= ln2/2. */
#pragma once
#include "wt_common.h"

#define D2(c) wasm_f64x2_splat(c)
#define ADD wasm_f64x2_add
#define SUB wasm_f64x2_sub
#define MUL wasm_f64x2_mul
/* Horner step: p * x + c */
#define H(p, x, c) ADD(MUL(p, x), D2(c))
#define SEL wasm_v128_bitselect

#define LOG2E 0x1.71547652b82fep+0
/* ln2 split (fdlibm's): n * LN2_HI exact for |n| < 2^21 */
#define LN2_HI 0x1.62e42feep-1
#define LN2_LO 0x1.a39ef35793c76p-33
#define MAGIC 0x1.8p52 /* t + 1.5 * 2^52 rounds t to an integer held in the low bits */

static inline v128_t pow2i(v128_t n) { /* 2^n for i64 n in [-1022, 1023] */
  return wasm_i64x2_shl(wasm_i64x2_add(n, wasm_i64x2_splat(1023)), 52);
}

/* x = n ln2 + r for x clamped to [lo, hi]; *ni = n as i64 */
static inline v128_t reduce_ln2(v128_t x, double lo, double hi, v128_t* ni) {
  const v128_t xc = wasm_f64x2_pmin(wasm_f64x2_pmax(x, D2(lo)), D2(hi)); /* nan stays */
  const v128_t t = ADD(MUL(xc, D2(LOG2E)), D2(MAGIC));
  const v128_t n = SUB(t, D2(MAGIC));
  *ni = wasm_i64x2_sub(t, D2(MAGIC));
  return SUB(SUB(xc, MUL(n, D2(LN2_HI))), MUL(n, D2(LN2_LO)));
}

/* exp(r) - 1 for |r| <= ln2/2 + 2^-40: Taylor to r^13 (truncation 3e-18), or to r^8 when the
 * result only needs float32 precision (f32 a compile-time constant) */
static inline v128_t expm1_poly(v128_t r, int f32) {
  v128_t q;
  if (f32) {
    q = D2(1.0 / 40320.0);
  } else {
    q = D2(1.0 / 6227020800.0);
    q = H(q, r, 1.0 / 479001600.0);
    q = H(q, r, 1.0 / 39916800.0);
    q = H(q, r, 1.0 / 3628800.0);
    q = H(q, r, 1.0 / 362880.0);
    q = H(q, r, 1.0 / 40320.0);
  }
  q = H(q, r, 1.0 / 5040.0);
  q = H(q, r, 1.0 / 720.0);
  q = H(q, r, 1.0 / 120.0);
  q = H(q, r, 1.0 / 24.0);
  q = H(q, r, 1.0 / 6.0);
  const v128_t r2 = MUL(r, r);
  /* r + r^2/2 + r^3 q */
  return ADD(r, ADD(MUL(r2, D2(0.5)), MUL(MUL(r2, r), q)));
}
