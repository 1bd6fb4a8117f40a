/* GGUF / ggml block formats shared by the quantised-weight kernels (wasm_kernels/q*-*).
 *
 *   Q8_0: 34-byte blocks of 32 weights {float16 d; int8 qs[32]}           w[j] = d * qs[j]
 *   Q4_1: 20-byte blocks of 32 weights {float16 d; float16 m; uint8 qs[16]}
 *         w[j] = d * (qs[j] & 15) + m,  w[j + 16] = d * (qs[j] >> 4) + m   (j < 16)
 * Halves are little-endian IEEE binary16. A weight [N, K] is N rows of K/32 blocks.
 * Blocks start at any byte address (34 is not a multiple of 4): every load here is
 * unaligned-safe (v128.load and byte reads).
 */
#pragma once
#include "wt_common.h"

#define WT_QK 32
#define WT_Q8_0_BYTES 34
#define WT_Q4_1_BYTES 20

typedef union { float f; uint32_t u; } wt_f32_bits;

static inline uint32_t wt_load_u16(const uint8_t* p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }

/* binary16 -> float, exact for every half (subnormals, infinities, NaNs). */
static inline float wt_f16_to_f32(uint32_t h) {
  const uint32_t sign = (h & 0x8000u) << 16, em = h & 0x7fffu;
  wt_f32_bits r;
  if (em >= 0x7c00u) {
    r.u = sign | 0x7f800000u | ((em & 0x3ffu) << 13);
  } else {  /* (em << 13) read as a float is the half's value times 2^-112, exactly */
    r.u = em << 13;
    r.f *= 0x1p112f;
    r.u |= sign;
  }
  return r.f;
}

/* float -> binary16, rounding to nearest even (as F16C and ggml's fallback do); overflow
 * gives infinity, NaN stays NaN. */
static inline uint32_t wt_f32_to_f16(float f) {
  wt_f32_bits b = {f};
  const uint32_t sign = (b.u >> 16) & 0x8000u, a = b.u & 0x7fffffffu;
  if (a > 0x7f800000u) return sign | 0x7e00u | ((a >> 13) & 0x3ffu);
  if (a >= 0x477ff000u) return sign | 0x7c00u;        /* >= 65520: rounds to infinity */
  if (a < 0x38800000u) {                              /* below 2^-14: subnormal half */
    wt_f32_bits v = {.u = a};
    return sign | (uint32_t)__builtin_rintf(v.f * 0x1p24f);   /* exact scaling, RNE */
  }
  const uint32_t base = (a >> 13) - (112u << 10), rest = a & 0x1fffu;
  return sign | (base + (rest > 0x1000u || (rest == 0x1000u && (base & 1u))));
}

/* qs[0:16] and qs[16:32] of a Q8_0 block as 8 float vectors (elements 4i .. 4i+3 in q[i]) */
static inline void wt_q8_0_to_f32(const uint8_t* qs, v128_t q[8]) {
  const v128_t a = wasm_v128_load(qs), b = wasm_v128_load(qs + 16);
  const v128_t a0 = wasm_i16x8_extend_low_i8x16(a), a1 = wasm_i16x8_extend_high_i8x16(a);
  const v128_t b0 = wasm_i16x8_extend_low_i8x16(b), b1 = wasm_i16x8_extend_high_i8x16(b);
  q[0] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_low_i16x8(a0));
  q[1] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_high_i16x8(a0));
  q[2] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_low_i16x8(a1));
  q[3] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_high_i16x8(a1));
  q[4] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_low_i16x8(b0));
  q[5] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_high_i16x8(b0));
  q[6] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_low_i16x8(b1));
  q[7] = wasm_f32x4_convert_i32x4(wasm_i32x4_extend_high_i16x8(b1));
}

/* The 32 nibbles of a Q4_1 block (16 bytes at qs) as 8 float vectors in element order:
 * low nibbles are elements 0..15, high nibbles 16..31. */
static inline void wt_q4_1_to_f32(const uint8_t* qs, v128_t q[8]) {
  const v128_t v = wasm_v128_load(qs);
  const v128_t lo = wasm_v128_and(v, wasm_i8x16_splat(0x0f)), hi = wasm_u8x16_shr(v, 4);
  const v128_t l0 = wasm_u16x8_extend_low_u8x16(lo), l1 = wasm_u16x8_extend_high_u8x16(lo);
  const v128_t h0 = wasm_u16x8_extend_low_u8x16(hi), h1 = wasm_u16x8_extend_high_u8x16(hi);
  q[0] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_low_u16x8(l0));
  q[1] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_high_u16x8(l0));
  q[2] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_low_u16x8(l1));
  q[3] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_high_u16x8(l1));
  q[4] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_low_u16x8(h0));
  q[5] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_high_u16x8(h0));
  q[6] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_low_u16x8(h1));
  q[7] = wasm_f32x4_convert_i32x4(wasm_u32x4_extend_high_u16x8(h1));
}

/* sum_i q[i] * x[4i .. 4i+3] as a vector (two chains, then added) */
static inline v128_t wt_dot32(const v128_t q[8], const float* x) {
  v128_t s0 = wasm_f32x4_mul(q[0], wasm_v128_load(x));
  v128_t s1 = wasm_f32x4_mul(q[1], wasm_v128_load(x + 4));
  s0 = WT_MADD(q[2], wasm_v128_load(x + 8), s0);
  s1 = WT_MADD(q[3], wasm_v128_load(x + 12), s1);
  s0 = WT_MADD(q[4], wasm_v128_load(x + 16), s0);
  s1 = WT_MADD(q[5], wasm_v128_load(x + 20), s1);
  s0 = WT_MADD(q[6], wasm_v128_load(x + 24), s0);
  s1 = WT_MADD(q[7], wasm_v128_load(x + 28), s1);
  return wasm_f32x4_add(s0, s1);
}

/* sum of x[0:32] as a vector of 4 partial sums */
static inline v128_t wt_sum32(const float* x) {
  const v128_t s0 = wasm_f32x4_add(wasm_v128_load(x), wasm_v128_load(x + 4));
  const v128_t s1 = wasm_f32x4_add(wasm_v128_load(x + 8), wasm_v128_load(x + 12));
  const v128_t s2 = wasm_f32x4_add(wasm_v128_load(x + 16), wasm_v128_load(x + 20));
  const v128_t s3 = wasm_f32x4_add(wasm_v128_load(x + 24), wasm_v128_load(x + 28));
  return wasm_f32x4_add(wasm_f32x4_add(s0, s1), wasm_f32x4_add(s2, s3));
}


static inline float wt_hsum(v128_t a) {
  return (wasm_f32x4_extract_lane(a, 0) + wasm_f32x4_extract_lane(a, 2)) +
         (wasm_f32x4_extract_lane(a, 1) + wasm_f32x4_extract_lane(a, 3));
}

/* One block's weights as floats at out[0:32]: Q8_0 d*q (exact); Q4_1 d*q + m (d*q exact, one
 * rounding for the add; never fused, so both builds and the Python reference agree bit for
 * bit). */
static inline void wt_q8_0_dequant_block(const uint8_t* blk, float* out) {
  v128_t q[8];
  wt_q8_0_to_f32(blk + 2, q);
  const v128_t d = wasm_f32x4_splat(wt_f16_to_f32(wt_load_u16(blk)));
  for (int i = 0; i < 8; i++) wasm_v128_store(out + 4 * i, wasm_f32x4_mul(q[i], d));
}

static inline void wt_q4_1_dequant_block(const uint8_t* blk, float* out) {
  v128_t q[8];
  wt_q4_1_to_f32(blk + 4, q);
  const v128_t d = wasm_f32x4_splat(wt_f16_to_f32(wt_load_u16(blk)));
  const v128_t m = wasm_f32x4_splat(wt_f16_to_f32(wt_load_u16(blk + 2)));
  for (int i = 0; i < 8; i++)
    wasm_v128_store(out + 4 * i, wasm_f32x4_add(wasm_f32x4_mul(q[i], d), m));
}

/* acc + d * (q . x[0:32])  for one Q8_0 block */
static inline v128_t wt_q8_0_block_dot(const uint8_t* blk, const float* x, v128_t acc) {
  v128_t q[8];
  wt_q8_0_to_f32(blk + 2, q);
  return WT_MADD(wasm_f32x4_splat(wt_f16_to_f32(wt_load_u16(blk))), wt_dot32(q, x), acc);
}

/* acc + d * (q . x[0:32]) + m * sum(x[0:32])  for one Q4_1 block; xs = wt_sum32(x) is shared
 * by every row of a tile */
static inline v128_t wt_q4_1_block_dot(const uint8_t* blk, const float* x, v128_t xs,
                                       v128_t acc) {
  v128_t q[8];
  wt_q4_1_to_f32(blk + 4, q);
  acc = WT_MADD(wasm_f32x4_splat(wt_f16_to_f32(wt_load_u16(blk))), wt_dot32(q, x), acc);
  return WT_MADD(wasm_f32x4_splat(wt_f16_to_f32(wt_load_u16(blk + 2))), xs, acc);
}
