/* dtype conversions: the `copy` primitive when the dtype changes, contiguous to contiguous:
 *   void wt_<src>_<dst>_copy_<isa>(size_t n, const S* x, D* y)
 * Bit-exact with torch's CPU casts (x86):
 *   f32 -> f16 / bf16: round to nearest even; overflow -> inf; f16 NaN -> sign|0x7E00,
 *     bf16 NaN -> 0x7FC0 (c10's scalar conversions).
 *   f32 -> i32 / i64: truncation toward zero; NaN and out-of-range -> INT_MIN (cvttss2si).
 *   f32 -> i8 / u8 / i16: the low byte(s) of the i32 conversion (same bits for i8 and u8).
 *   x -> bool: x != 0 (NaN -> true).
 *   integer narrowing: the low bits (two's complement wrap-around).
 * Vector loops of 16 elements (or 4/8), scalar tails computing the same function.
 */
#include "wt_common.h"
#include "wt_half.h"

/* ---- scalar bit helpers ---------------------------------------------------------------- */
static inline uint32_t f2u(float f) { union { float f; uint32_t u; } c = {.f = f}; return c.u; }
static inline float u2f(uint32_t u) { union { uint32_t u; float f; } c = {.u = u}; return c.f; }

/* f32 -> f16 by float arithmetic: scaling by 2^112 * 2^-110 rounds the mantissa once in the
 * f32 adder (RNE), then the exponent is rebiased. */
static inline uint16_t f16_from_f32(float f) {
  const uint32_t w = f2u(f), shl1 = w + w, sign = w & 0x80000000u;
  float base = (__builtin_fabsf(f) * 0x1.0p+112f) * 0x1.0p-110f;
  uint32_t bias = shl1 & 0xFF000000u;
  if (bias < 0x71000000u) bias = 0x71000000u;
  base = u2f((bias >> 1) + 0x07800000u) + base;
  const uint32_t bits = f2u(base);
  const uint32_t nonsign = ((bits >> 13) & 0x7C00u) + (bits & 0x0FFFu);
  return (uint16_t)((sign >> 16) | (shl1 > 0xFF000000u ? 0x7E00u : nonsign));
}

static inline float f32_from_f16(uint16_t h) {
  const uint32_t w = (uint32_t)h << 16, sign = w & 0x80000000u, two_w = w + w;
  const float normalized = u2f((two_w >> 4) + (0xE0u << 23)) * 0x1.0p-112f;
  const float denormalized = u2f((two_w >> 17) | (126u << 23)) - 0.5f;
  return u2f(sign | (two_w < (1u << 27) ? f2u(denormalized) : f2u(normalized)));
}

static inline uint16_t bf16_from_f32(float f) {
  const uint32_t b = f2u(f);
  if ((b & 0x7FFFFFFFu) > 0x7F800000u) return 0x7FC0;
  return (uint16_t)((b + 0x7FFFu + ((b >> 16) & 1u)) >> 16);
}

static inline int32_t i32_from_f32(float f) {
  return (f >= -0x1.0p31f && f < 0x1.0p31f) ? (int32_t)f : INT32_MIN;
}
static inline int64_t i64_from_f32(float f) {
  return (f >= -0x1.0p63f && f < 0x1.0p63f) ? (int64_t)f : INT64_MIN;
}

/* ---- vector helpers -------------------------------------------------------------------- */
static inline v128_t v_i32_from_f32(v128_t v) {
  const v128_t in = wasm_v128_and(wasm_f32x4_ge(v, wasm_f32x4_splat(-0x1.0p31f)),
                                  wasm_f32x4_lt(v, wasm_f32x4_splat(0x1.0p31f)));
  return wasm_v128_bitselect(wasm_i32x4_trunc_sat_f32x4(v), wasm_i32x4_splat(INT32_MIN), in);
}

/* low byte of each u32 lane of a, b, c, d -> 16 bytes */
static inline v128_t v_lo8(v128_t a, v128_t b, v128_t c, v128_t d) {
  const v128_t ab = wasm_i8x16_shuffle(a, b, 0, 4, 8, 12, 16, 20, 24, 28, 0, 0, 0, 0, 0, 0, 0, 0);
  const v128_t cd = wasm_i8x16_shuffle(c, d, 0, 4, 8, 12, 16, 20, 24, 28, 0, 0, 0, 0, 0, 0, 0, 0);
  return wasm_i64x2_shuffle(ab, cd, 0, 2);
}
/* lane masks (all ones / zeros) of 4 x i32 -> 16 bytes of 0/1 */
static inline v128_t v_bool8(v128_t a, v128_t b, v128_t c, v128_t d) {
  return wasm_v128_and(v_lo8(a, b, c, d), wasm_i8x16_splat(1));
}

/* ---- f32 <-> 16-bit floats ------------------------------------------------------------- */
#define HALF_COPIES(h, from_scalar, to_scalar)                                              \
  WT_EXPORT void WT_SYM(f32_##h##_copy)(size_t n, const float* x, uint16_t* y) {            \
    size_t i = 0;                                                                           \
    for (; i + 8 <= n; i += 8)                                                              \
      wasm_v128_store(y + i, v_##h##x8_from_f32(wasm_v128_load(x + i),                      \
                                                wasm_v128_load(x + i + 4)));                \
    for (; i < n; i++) y[i] = from_scalar(x[i]);                                            \
  }                                                                                         \
  WT_EXPORT void WT_SYM(h##_f32_copy)(size_t n, const uint16_t* x, float* y) {              \
    size_t i = 0;                                                                           \
    for (; i + 8 <= n; i += 8) {                                                            \
      v128_t lo, hi;                                                                        \
      v_f32x8_from_##h(wasm_v128_load(x + i), &lo, &hi);                                    \
      wasm_v128_store(y + i, lo);                                                           \
      wasm_v128_store(y + i + 4, hi);                                                       \
    }                                                                                       \
    for (; i < n; i++) y[i] = to_scalar(x[i]);                                              \
  }
static inline float f32_from_bf16(uint16_t h) { return u2f((uint32_t)h << 16); }
HALF_COPIES(f16, f16_from_f32, f32_from_f16)
HALF_COPIES(bf16, bf16_from_f32, f32_from_bf16)

/* ---- f32 <-> f64 ------------------------------------------------------------------------- */
WT_EXPORT void WT_SYM(f32_f64_copy)(size_t n, const float* x, double* y) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t v = wasm_v128_load(x + i);
    wasm_v128_store(y + i, wasm_f64x2_promote_low_f32x4(v));
    wasm_v128_store(y + i + 2, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(v, v, 1, 0)));
  }
  for (; i < n; i++) y[i] = (double)x[i];
}

WT_EXPORT void WT_SYM(f64_f32_copy)(size_t n, const double* x, float* y) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t lo = wasm_f32x4_demote_f64x2_zero(wasm_v128_load(x + i));
    const v128_t hi = wasm_f32x4_demote_f64x2_zero(wasm_v128_load(x + i + 2));
    wasm_v128_store(y + i, wasm_i64x2_shuffle(lo, hi, 0, 2));
  }
  for (; i < n; i++) y[i] = (float)x[i];
}

/* ---- f32 -> integers and bool ------------------------------------------------------------ */
WT_EXPORT void WT_SYM(f32_i32_copy)(size_t n, const float* x, int32_t* y) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, v_i32_from_f32(wasm_v128_load(x + i)));
  for (; i < n; i++) y[i] = i32_from_f32(x[i]);
}

WT_EXPORT void WT_SYM(f32_i64_copy)(size_t n, const float* x, int64_t* y) {
  for (size_t i = 0; i < n; i++) y[i] = i64_from_f32(x[i]);
}

/* also f32 -> u8: torch converts through int32 and keeps the low byte */
WT_EXPORT void WT_SYM(f32_i8_copy)(size_t n, const float* x, uint8_t* y) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    wasm_v128_store(y + i, v_lo8(v_i32_from_f32(wasm_v128_load(x + i)),
                                 v_i32_from_f32(wasm_v128_load(x + i + 4)),
                                 v_i32_from_f32(wasm_v128_load(x + i + 8)),
                                 v_i32_from_f32(wasm_v128_load(x + i + 12))));
  for (; i < n; i++) y[i] = (uint8_t)i32_from_f32(x[i]);
}

WT_EXPORT void WT_SYM(f32_b8_copy)(size_t n, const float* x, uint8_t* y) {
  const v128_t z = wasm_f32x4_splat(0.0f);
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    wasm_v128_store(y + i, v_bool8(wasm_f32x4_ne(wasm_v128_load(x + i), z),
                                   wasm_f32x4_ne(wasm_v128_load(x + i + 4), z),
                                   wasm_f32x4_ne(wasm_v128_load(x + i + 8), z),
                                   wasm_f32x4_ne(wasm_v128_load(x + i + 12), z)));
  for (; i < n; i++) y[i] = x[i] != 0.0f;
}

/* ---- integers -> f32 (round to nearest even) --------------------------------------------- */
WT_EXPORT void WT_SYM(i32_f32_copy)(size_t n, const int32_t* x, float* y) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    wasm_v128_store(y + i, wasm_f32x4_convert_i32x4(wasm_v128_load(x + i)));
  for (; i < n; i++) y[i] = (float)x[i];
}

WT_EXPORT void WT_SYM(i64_f32_copy)(size_t n, const int64_t* x, float* y) {
  for (size_t i = 0; i < n; i++) y[i] = (float)x[i];
}

#define WIDEN8_F32(name, EXT16, EXT32L, EXT32H, T)                                       \
  WT_EXPORT void WT_SYM(name)(size_t n, const T* x, float* y) {                           \
    size_t i = 0;                                                                         \
    for (; i + 8 <= n; i += 8) {                                                          \
      const v128_t h = EXT16(wasm_v128_load64_zero(x + i));                               \
      wasm_v128_store(y + i, wasm_f32x4_convert_i32x4(EXT32L(h)));                        \
      wasm_v128_store(y + i + 4, wasm_f32x4_convert_i32x4(EXT32H(h)));                    \
    }                                                                                     \
    for (; i < n; i++) y[i] = (float)x[i];                                                \
  }
/* u8 and bool (0/1) */
WIDEN8_F32(u8_f32_copy, wasm_u16x8_extend_low_u8x16, wasm_u32x4_extend_low_u16x8,
           wasm_u32x4_extend_high_u16x8, uint8_t)
WIDEN8_F32(i8_f32_copy, wasm_i16x8_extend_low_i8x16, wasm_i32x4_extend_low_i16x8,
           wasm_i32x4_extend_high_i16x8, int8_t)

/* ---- integer <-> integer ------------------------------------------------------------------ */
WT_EXPORT void WT_SYM(i64_i32_copy)(size_t n, const int64_t* x, int32_t* y) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    wasm_v128_store(y + i, wasm_i32x4_shuffle(wasm_v128_load(x + i), wasm_v128_load(x + i + 2),
                                              0, 2, 4, 6));
  for (; i < n; i++) y[i] = (int32_t)(uint32_t)(uint64_t)x[i];
}

WT_EXPORT void WT_SYM(i32_i64_copy)(size_t n, const int32_t* x, int64_t* y) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t v = wasm_v128_load(x + i);
    wasm_v128_store(y + i, wasm_i64x2_extend_low_i32x4(v));
    wasm_v128_store(y + i + 2, wasm_i64x2_extend_high_i32x4(v));
  }
  for (; i < n; i++) y[i] = x[i];
}

/* 8/16-bit -> 32/64-bit, sign- or zero-extending (u8 also serves bool); any integer cast */
#define INT_CAST(name, T, U)                                                                \
  WT_EXPORT void WT_SYM(name)(size_t n, const T* x, U* y) {                               \
    for (size_t i = 0; i < n; i++) y[i] = (U)x[i];                                        \
  }
INT_CAST(u8_i32_copy, uint8_t, int32_t)
INT_CAST(i8_i32_copy, int8_t, int32_t)
INT_CAST(u8_i64_copy, uint8_t, int64_t)
INT_CAST(i8_i64_copy, int8_t, int64_t)

/* 32/64-bit -> 8-bit: the low byte (for u8 and i8 alike) */
WT_EXPORT void WT_SYM(i32_i8_copy)(size_t n, const int32_t* x, uint8_t* y) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    wasm_v128_store(y + i, v_lo8(wasm_v128_load(x + i), wasm_v128_load(x + i + 4),
                                 wasm_v128_load(x + i + 8), wasm_v128_load(x + i + 12)));
  for (; i < n; i++) y[i] = (uint8_t)x[i];
}

WT_EXPORT void WT_SYM(i64_i8_copy)(size_t n, const int64_t* x, uint8_t* y) {
  for (size_t i = 0; i < n; i++) y[i] = (uint8_t)(uint64_t)x[i];
}

/* int16: f32 both ways in vectors, the integer widths by plain loops (size-optimised) */
WT_SMALL_BEGIN
WT_EXPORT void WT_SYM(i16_f32_copy)(size_t n, const int16_t* x, float* y) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const v128_t h = wasm_v128_load(x + i);
    wasm_v128_store(y + i, wasm_f32x4_convert_i32x4(wasm_i32x4_extend_low_i16x8(h)));
    wasm_v128_store(y + i + 4, wasm_f32x4_convert_i32x4(wasm_i32x4_extend_high_i16x8(h)));
  }
  for (; i < n; i++) y[i] = (float)x[i];
}

WT_EXPORT void WT_SYM(f32_i16_copy)(size_t n, const float* x, uint16_t* y) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    wasm_v128_store(y + i, v_lo16(v_i32_from_f32(wasm_v128_load(x + i)),
                                  v_i32_from_f32(wasm_v128_load(x + i + 4))));
  for (; i < n; i++) y[i] = (uint16_t)i32_from_f32(x[i]);
}

INT_CAST(i16_i32_copy, int16_t, int32_t)
INT_CAST(i16_i64_copy, int16_t, int64_t)
INT_CAST(i32_i16_copy, int32_t, uint16_t)     /* narrowing: the low bits */
INT_CAST(i64_i16_copy, uint64_t, uint16_t)

WT_EXPORT void WT_SYM(i16_b8_copy)(size_t n, const int16_t* x, uint8_t* y) {
  for (size_t i = 0; i < n; i++) y[i] = x[i] != 0;
}
WT_SMALL_END

/* ---- integers -> bool ------------------------------------------------------------------ */
WT_EXPORT void WT_SYM(i32_b8_copy)(size_t n, const int32_t* x, uint8_t* y) {
  const v128_t z = wasm_i32x4_splat(0);
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    wasm_v128_store(y + i, v_bool8(wasm_i32x4_ne(wasm_v128_load(x + i), z),
                                   wasm_i32x4_ne(wasm_v128_load(x + i + 4), z),
                                   wasm_i32x4_ne(wasm_v128_load(x + i + 8), z),
                                   wasm_i32x4_ne(wasm_v128_load(x + i + 12), z)));
  for (; i < n; i++) y[i] = x[i] != 0;
}

WT_EXPORT void WT_SYM(i64_b8_copy)(size_t n, const int64_t* x, uint8_t* y) {
  for (size_t i = 0; i < n; i++) y[i] = x[i] != 0;
}

WT_EXPORT void WT_SYM(i8_b8_copy)(size_t n, const uint8_t* x, uint8_t* y) {
  const v128_t z = wasm_i8x16_splat(0), one = wasm_i8x16_splat(1);
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    wasm_v128_store(y + i, wasm_v128_and(wasm_i8x16_ne(wasm_v128_load(x + i), z), one));
  for (; i < n; i++) y[i] = x[i] != 0;
}
