/* Floor / trunc division and remainder (torch's rules) for f32 / f64 / i64 / i32 / i16 / i8 / u8,
 * in the binary 2-D broadcast form plus a status word:
 *   void wt_<dt>_<op>_<isa>(size_t m, size_t n, const T* a, int32_t a_rs, int32_t a_cs,
 *                           const T* b, int32_t b_rs, int32_t b_cs, T* y, int32_t* status)
 * ops: remainder (Python's sign rule: the divisor's sign), div_floor, div_trunc.
 * Integers: a zero divisor sets *status = 1 (the caller raises torch's "ZeroDivisionError");
 * its element gets 0. INT_MIN / -1 wraps (no trap; int16/int8 too: -128 // -1 == -128, as
 * torch's); the 16-/8-bit ones compute in int after C's promotion and store the low bits.
 * Floats follow torch's CPU formulas on an exact fmod (remainder = fmod, + b where the signs
 * differ; div_floor from (a - fmod) / b, torch's rounding fix-ups; div_trunc = trunc(a / b)),
 * in the element's own precision, so the results are torch's bit for bit. Scalar loops: wasm has no SIMD division for integers and
 * these ops are rare in hot paths; the module stays small.
 */
#include "wt_common.h"

WT_SMALL_BEGIN

static inline int sgn_bit(double v) { return __builtin_signbit(v) != 0; }

/* two_prod without fma (Veltkamp split): p + e == x * y exactly, |x|, |y| < 2^995 */
static inline void two_prod(double x, double y, double* p, double* e) {
  const double c = 134217729.0; /* 2^27 + 1 */
  double t = c * x, xh = t - (t - x), xl = x - xh;
  t = c * y;
  const double yh = t - (t - y), yl = y - yh;
  *p = x * y;
  *e = ((xh * yh - *p) + xh * yl + xl * yh) + xl * yl;
}

/* exact fmod for large quotients or huge/tiny operands: binary long division on the
 * mantissas, both normalised to 53 bits first (subnormals included) */
static double fmod_slow(double a, double b) {
  union { double d; uint64_t u; } ua = {a}, ub = {b};
  const uint64_t sx = ua.u >> 63;
  int ex = (int)(ua.u >> 52 & 0x7ff), ey = (int)(ub.u >> 52 & 0x7ff);
  uint64_t mx = ua.u & 0xfffffffffffffULL, my = ub.u & 0xfffffffffffffULL;
  if (ex) mx |= 1ULL << 52; else ex = 1;
  if (ey) my |= 1ULL << 52; else ey = 1;
  while (!(mx >> 52)) mx <<= 1, ex--;
  while (!(my >> 52)) my <<= 1, ey--;
  if (ex < ey || (ex == ey && mx < my)) return a;
  for (; ex > ey; ex--) {
    if (mx >= my) mx -= my;
    mx <<= 1;
  }
  if (mx >= my) mx -= my;
  if (mx == 0) return sx ? -0.0 : 0.0;
  while (!(mx >> 52)) mx <<= 1, ex--;
  if (ex >= 1) ua.u = (mx & 0xfffffffffffffULL) | ((uint64_t)ex << 52);
  else ua.u = mx >> (1 - ex); /* subnormal: exact, the remainder is representable */
  ua.u |= sx << 63;
  return ua.d;
}

/* C's fmod (exact; nan for a = +-inf or b = 0; a for b = +-inf) */
static double fmod_exact(double a, double b) {
  const double aa = __builtin_fabs(a), ab = __builtin_fabs(b);
  if (a != a || b != b || aa == __builtin_inf() || b == 0) return __builtin_nan("");
  if (ab == __builtin_inf() || aa < ab) return a;
  const double q = aa / ab;
  if (q >= 0x1p52 || aa > 0x1p990 || ab < 0x1p-960) return fmod_slow(a, b);
  const double t = __builtin_trunc(q);
  double p, e;
  two_prod(t, ab, &p, &e);
  double r = (aa - p) - e; /* exact: the true remainder of t, which is off by at most 1 */
  if (r < 0) r += ab;
  else if (r >= ab) r -= ab;
  return sgn_bit(a) ? -r : r;
}

#define FLOAT_OPS(dt, T)                                                                    \
  static inline T dt##_remainder_1(T a, T b, int32_t* st) {                                 \
    (void)st;                                                                               \
    T m = (T)fmod_exact(a, b);                                                              \
    if (m != 0 && (b < 0) != (m < 0)) m += b;                                               \
    return m;                                                                               \
  }                                                                                         \
  static inline T dt##_div_floor_1(T a, T b, int32_t* st) {                                 \
    (void)st;                                                                               \
    if (b == 0) return a / b;                                                               \
    const T mod = (T)fmod_exact(a, b);                                                      \
    T div = (a - mod) / b;                                                                  \
    if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;                                         \
    if (div == 0) return (T)__builtin_copysign(0.0, (double)(a / b));                       \
    T fl = (T)__builtin_floor((double)div);                                                 \
    if (div - fl > (T)0.5) fl += 1;                                                         \
    return fl;                                                                              \
  }                                                                                         \
  static inline T dt##_div_trunc_1(T a, T b, int32_t* st) {                                 \
    (void)st;                                                                               \
    return (T)__builtin_trunc((double)(a / b));                                             \
  }

#define INT_OPS(dt, T, UT)                                                                  \
  static inline T dt##_remainder_1(T a, T b, int32_t* st) {                                 \
    if (b == 0) return *st = 1, 0;                                                          \
    if (b == -1) return 0;                                                                  \
    T r = a % b;                                                                            \
    if (r != 0 && (r < 0) != (b < 0)) r += b;                                               \
    return r;                                                                               \
  }                                                                                         \
  static inline T dt##_div_trunc_1(T a, T b, int32_t* st) {                                 \
    if (b == 0) return *st = 1, 0;                                                          \
    if (b == -1) return (T)(0 - (UT)a);                                                     \
    return a / b;                                                                           \
  }                                                                                         \
  static inline T dt##_div_floor_1(T a, T b, int32_t* st) {                                 \
    if (b == 0) return *st = 1, 0;                                                          \
    if (b == -1) return (T)(0 - (UT)a);                                                     \
    const T q = a / b;                                                                      \
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;                                  \
  }

FLOAT_OPS(f32, float)
FLOAT_OPS(f64, double)
INT_OPS(i64, int64_t, uint64_t)
INT_OPS(i32, int32_t, uint32_t)
INT_OPS(i16, int16_t, uint16_t)
INT_OPS(i8, int8_t, uint8_t)
/* uint8: no signs, so remainder, floor and trunc are C's % and / */
static inline uint8_t u8_remainder_1(uint8_t a, uint8_t b, int32_t* st) {
  return b ? a % b : (*st = 1, 0);
}
static inline uint8_t u8_div_trunc_1(uint8_t a, uint8_t b, int32_t* st) {
  return b ? a / b : (*st = 1, 0);
}
#define u8_div_floor_1 u8_div_trunc_1

#define KERNEL(dt, op, T)                                                                   \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t m, size_t n, const T* a, int32_t a_rs,            \
                                   int32_t a_cs, const T* b, int32_t b_rs, int32_t b_cs,    \
                                   T* y, int32_t* status) {                                 \
    int32_t st = 0;                                                                         \
    for (size_t i = 0; i < m; i++) {                                                        \
      const T* pa = a + (ptrdiff_t)i * a_rs;                                                \
      const T* pb = b + (ptrdiff_t)i * b_rs;                                                \
      for (size_t j = 0; j < n; j++)                                                        \
        *y++ = dt##_##op##_1(pa[(ptrdiff_t)j * a_cs], pb[(ptrdiff_t)j * b_cs], &st);        \
    }                                                                                       \
    *status = st;                                                                           \
  }
#define DTYPE(dt, T) KERNEL(dt, remainder, T) KERNEL(dt, div_floor, T) KERNEL(dt, div_trunc, T)

DTYPE(f32, float)
DTYPE(f64, double)
DTYPE(i64, int64_t)
DTYPE(i32, int32_t)
DTYPE(i16, int16_t)
DTYPE(i8, int8_t)
DTYPE(u8, uint8_t)

WT_SMALL_END
