/* float64 transcendentals, f64x2 at a time, the xN_unary form (shared by f64_vexp, f64_vsincos,
 * f64_verf):
 *   void wt_f64_<op>_<isa>(size_t n, const double* x, double* y)
 * Max errors vs long-double references (tests/unit/kernels/test_kernels_f64_vmath.py, dense
 * grids and random bit patterns): exp 1 ulp, expm1 2, log 1, log1p 2, tanh 3, sigmoid 3,
 * silu 4 (below x = -708, where sigmoid is subnormal: (|x| + 16) 2^-1074 absolute; torch gives
 * -0 there), rsqrt 1.5 (torch's 1 / sqrt(x): bit-identical), gelu_tanh 4 (torch's own formula
 * 0.5 x (1 + tanh(u)), which cancels for x < 0: there |x| 2^-52 absolute), sin/cos 1, erf 1.5,
 * gelu 2 (+ |x| 2^-52 for x < 0, torch's formula; see each kernel). Table-driven exp,
 * minimax / Taylor / Chebyshev polynomials with Cody-Waite reductions; no libm. Edge values as torch:
 * exp(-inf) = 0, log(0) = -inf, log(<0) = nan, log1p(-1) = -inf, expm1(-inf) = -1,
 * tanh(+-inf) = +-1, sigmoid(+-inf) = 1/0, silu(-inf) = nan (subnormal results are rounded,
 * where torch flushes some to 0).
 */
#ifndef WT_F64_VMATH_H
#define WT_F64_VMATH_H
#include "wt_f64x2.h"

/* Constants as opaque values computed once before the loop (as wt_vmath.h's WT_K): Chromium's
 * V8 re-materialises each v128.const inside a loop where registers run out (3 instructions on
 * the shuffle port). Here only: xN-vbinary keeps wt_f64x2.h's plain D2. */
#undef D2
#define D2(c) ({ v128_t wt_k_ = wasm_f64x2_splat(c); __asm__("" : "+r"(wt_k_)); wt_k_; })

/* Polynomials in Estrin's form, not Horner's: a loop iteration is one long dependency chain
 * (Horner: a mul and an add per coefficient) and engines overlap only a few iterations, so the
 * chain length sets the speed; Estrin's tree is ~3x shorter. */
/* sum a[i] t^i, i < n (n a compile-time constant once inlined; a is overwritten) */
static inline __attribute__((always_inline)) v128_t estrin(v128_t* a, int n, v128_t t) {
  while (n > 1) {
    for (int i = 0; i < n / 2; i++) a[i] = ADD(a[2 * i], MUL(a[2 * i + 1], t));
    if (n & 1) a[n / 2] = a[n - 1];
    n = (n + 1) / 2;
    t = MUL(t, t);
  }
  return a[0];
}

/* The tail (one element) goes through the kernel itself on a two-element buffer: every
 * element gets the same instructions, the body is emitted once (module size) and the main loop
 * touches no stack. */
#define F64_UNARY(op, VFN, X2)                                                              \
  WT_EXPORT void WT_SYM(f64_##op)(size_t n, const double* x, double* y) {                   \
    size_t j = 0;                                                                           \
    /* X2: two independent vectors per step, which the engine overlaps (the short kernels;  \
     * the long ones gain nothing for twice the code) */                                    \
    for (; X2 && j + 4 <= n; j += 4) {                                                      \
      const v128_t a = VFN(wasm_v128_load(x + j)), b = VFN(wasm_v128_load(x + j + 2));       \
      wasm_v128_store(y + j, a);                                                            \
      wasm_v128_store(y + j + 2, b);                                                        \
    }                                                                                       \
    for (; j + 2 <= n; j += 2) wasm_v128_store(y + j, VFN(wasm_v128_load(x + j)));           \
    if (j < n) {                                                                            \
      double t[2] = {x[j], 0.0};                                                            \
      WT_SYM(f64_##op)(2, t, t);                                                            \
      y[j] = t[0];                                                                          \
    }                                                                                       \
  }

/* Two passes over blocks of 64 elements where a division would sit in the one long dependency
 * chain of an iteration: PRE (the long part, or the division) into a stack block, then POST;
 * short chains let the engine overlap iterations. POST reads x before writing y (in place ok). */
/* the first pass over a block of m <= 32 vectors, out of line: sigmoid and silu share one */
#define F64_PRE_BLOCK(name, PRE, X2)                                                        \
  __attribute__((noinline)) static void name(const double* x, v128_t* b, size_t m) {        \
    size_t i = 0;                                                                           \
    for (; X2 && i + 2 <= m; i += 2) {                                                      \
      const v128_t p0 = PRE(wasm_v128_load(x + 2 * i));                                     \
      const v128_t p1 = PRE(wasm_v128_load(x + 2 * i + 2));                                 \
      b[i] = p0;                                                                            \
      b[i + 1] = p1;                                                                        \
    }                                                                                       \
    for (; i < m; i++) b[i] = PRE(wasm_v128_load(x + 2 * i));                               \
  }
#define F64_UNARY2(op, PRE_BLOCK, POST)                                                     \
  WT_EXPORT void WT_SYM(f64_##op)(size_t n, const double* x, double* y) {                   \
    v128_t b[32];                                                                           \
    size_t j = 0;                                                                           \
    while (j + 2 <= n) {                                                                    \
      const size_t m = (n - j) / 2 < 32 ? (n - j) / 2 : 32;                                 \
      PRE_BLOCK(x + j, b, m);                                                               \
      for (size_t i = 0; i < m; i++)                                                        \
        wasm_v128_store(y + j + 2 * i, POST(wasm_v128_load(x + j + 2 * i), b[i]));          \
      j += 2 * m;                                                                           \
    }                                                                                       \
    if (j < n) {                                                                            \
      double t[2] = {x[j], 0.0};                                                            \
      WT_SYM(f64_##op)(2, t, t);                                                            \
      y[j] = t[0];                                                                          \
    }                                                                                       \
  }

/* x = 2^k m, m in [sqrt(1/2), sqrt 2), for finite x > 0 (subnormals pre-scaled by 2^54):
 * f = m - 1, *k as i64 (log, log1p, pow) */
static inline v128_t log_split(v128_t x, v128_t* kp) {
  const v128_t sub = wasm_f64x2_lt(x, D2(0x1p-1022));
  const v128_t xs = wasm_v128_bitselect(MUL(x, D2(0x1p54)), x, sub);
  const v128_t eadj = wasm_v128_and(sub, wasm_i64x2_splat(-54));
  const v128_t ix = wasm_i64x2_add(xs, wasm_i64x2_splat(0x3ff0000000000000LL - 0x3fe6a09e667f3bcdLL));
  const v128_t k = wasm_i64x2_add(
      wasm_i64x2_sub(wasm_u64x2_shr(ix, 52), wasm_i64x2_splat(1023)), eadj);
  const v128_t m = wasm_i64x2_add(wasm_v128_and(ix, wasm_i64x2_splat(0x000fffffffffffffLL)),
                                  wasm_i64x2_splat(0x3fe6a09e667f3bcdLL));
  *kp = k;
  return SUB(m, D2(1.0));
}

#endif
