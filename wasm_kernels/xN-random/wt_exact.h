/* Exact fused multiply-adds without an fma instruction (wasm has none), for the random kernels:
 * torch's AVX2 build fuses these, so one rounding is what matches it. */
#pragma once
#include <stdint.h>

static inline uint64_t bits64(double x) { return __builtin_bit_cast(uint64_t, x); }
static inline double from64(uint64_t b) { return __builtin_bit_cast(double, b); }
static inline uint32_t bits32(float x) { return __builtin_bit_cast(uint32_t, x); }
static inline float from32(uint32_t b) { return __builtin_bit_cast(float, b); }

/* s + err (err the exact error of s) rounded to odd: s, or its odd neighbour toward err. */
static inline double round_to_odd(double s, double err) {
  const uint64_t b = bits64(s);
  const int adjust = (err != 0.0) & !(b & 1);
  const uint64_t step = ((err > 0.0) == (s > 0.0)) ? 1u : (uint64_t)-1;
  return from64(b + (adjust ? step : 0));
}

static inline double two_sum_err(double a, double b, double s) {
  const double bp = s - a;
  return (a - (s - bp)) + (b - bp);
}

/* float32 fma: the product of two floats is exact in a double; the sum rounded to odd
 * rounds correctly to float. */
static inline float fma32(float a, float b, float c) {
  const double p = (double)a * (double)b;
  const double s = p + (double)c;
  return (float)round_to_odd(s, two_sum_err(p, (double)c, s));
}

/* double fma (Boldo-Melquiond: exact product and sum, the small parts rounded to odd). */
__attribute__((noinline)) static double fma64(double a, double b, double c) {
  const double split = 134217729.0;
  const double uh = a * b;
  double t = split * a;
  const double ah = t - (t - a), al = a - ah;
  t = split * b;
  const double bh = t - (t - b), bl = b - bh;
  const double ul = ((ah * bh - uh) + ah * bl + al * bh) + al * bl;
  const double th = c + uh;
  const double tl = two_sum_err(c, uh, th);
  const double v = tl + ul;
  return th + round_to_odd(v, two_sum_err(tl, ul, v));
}

