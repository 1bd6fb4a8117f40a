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

/* ---- Q4_0, Q5_0, Q5_1 (blocks of 32) and the K-quants Q4_K, Q6_K (super-blocks of 256) ----
 *   Q4_0: 18 B {f16 d; u8 qs[16]}                    w = d (c - 8),  c a nibble as in Q4_1
 *   Q5_0: 22 B {f16 d; u8 qh[4]; u8 qs[16]}          w = d (c - 16), c = nibble | bit j of
 *                                                    qh (a u32) << 4 for element j
 *   Q5_1: 24 B {f16 d, m; u8 qh[4]; u8 qs[16]}       w = d c + m,    c as Q5_0
 *   Q4_K: 144 B {f16 d, dmin; u8 scales[12]; u8 qs[128]}: eight sub-blocks of 32 with 6-bit
 *         scale sc_s and min m_s (ggml's get_scale_min_k4); sub-block s reads the low (s even)
 *         or high nibbles of qs[32 (s/2) ..+32]: w = (d sc_s) c - dmin m_s
 *   Q6_K: 210 B {u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d}: 16 groups of 16 with scale
 *         sc_g; w = (d sc_g) (c - 32), c = 4 bits of ql | 2 bits of qh << 4 (ggml's layout)
 * Each is decoded per 32 weights ("sub-block") into codes c (u8 < 64, two i8x16: elements
 * 0-15 and 16-31), an integer offset o, float scales for the two halves and an optional
 * float m: w = s (c - o) + m. Every product here is exact in float32 (at most 24 significant
 * bits), so dequantisation is d*(c-o) exactly plus one rounding where m is added -- ggml's
 * (and gguf-py's) values bit for bit. */
#define WT_Q4_0_BYTES 18
#define WT_Q5_0_BYTES 22
#define WT_Q5_1_BYTES 24
#define WT_Q4_K_BYTES 144
#define WT_Q6_K_BYTES 210
#define WT_QK_K 256
/* linked across kernel files of one module, never exported */
#define WT_HIDDEN __attribute__((visibility("hidden")))

typedef struct {
  v128_t ca, cb;      /* codes of elements 0-15 and 16-31 */
  int32_t o;          /* offset subtracted from every code */
  int32_t ia, ib;     /* integer scales of the halves (Q4_K sc_s, Q6_K sc_g; else 1) */
  float s;            /* float scale: w = s * ia * (c - o) + m (s * ia exact) */
  float m;
} wt_qsub;

static inline uint32_t wt_load_u32(const uint8_t* p) {
  return wt_load_u16(p) | (wt_load_u16(p + 2) << 16);
}

/* 16 bits of h as 16 bytes: 0x10 where the bit is set (Q5's fifth bit) */
static inline v128_t wt_q5_hbits(uint32_t h) {
  const v128_t v = wasm_i8x16_swizzle(wasm_i16x8_splat((int16_t)h),
                                      wasm_i8x16_make(0, 0, 0, 0, 0, 0, 0, 0,
                                                      1, 1, 1, 1, 1, 1, 1, 1));
  const v128_t bit = wasm_i8x16_make(1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4, 8, 16, 32, 64, -128);
  return wasm_v128_and(wasm_i8x16_eq(wasm_v128_and(v, bit), bit), wasm_i8x16_splat(0x10));
}

static inline void wt_nibbles(const uint8_t* qs, v128_t* lo, v128_t* hi) {
  const v128_t v = wasm_v128_load(qs);
  *lo = wasm_v128_and(v, wasm_i8x16_splat(0x0f));
  *hi = wasm_u8x16_shr(v, 4);
}

static inline wt_qsub wt_q4_0_sub(const uint8_t* blk, int s) {
  (void)s;
  wt_qsub q = {.o = 8, .ia = 1, .ib = 1, .s = wt_f16_to_f32(wt_load_u16(blk)), .m = 0.0f};
  wt_nibbles(blk + 2, &q.ca, &q.cb);
  return q;
}

static inline wt_qsub wt_q5_sub(const uint8_t* qh, const uint8_t* qs, float d, float m,
                                int32_t o) {
  wt_qsub q = {.o = o, .ia = 1, .ib = 1, .s = d, .m = m};
  const uint32_t h = wt_load_u32(qh);
  wt_nibbles(qs, &q.ca, &q.cb);
  q.ca = wasm_v128_or(q.ca, wt_q5_hbits(h & 0xffffu));
  q.cb = wasm_v128_or(q.cb, wt_q5_hbits(h >> 16));
  return q;
}

static inline wt_qsub wt_q5_0_sub(const uint8_t* blk, int s) {
  (void)s;
  return wt_q5_sub(blk + 2, blk + 6, wt_f16_to_f32(wt_load_u16(blk)), 0.0f, 16);
}

static inline wt_qsub wt_q5_1_sub(const uint8_t* blk, int s) {
  (void)s;
  return wt_q5_sub(blk + 4, blk + 8, wt_f16_to_f32(wt_load_u16(blk)),
                   wt_f16_to_f32(wt_load_u16(blk + 2)), 0);
}

static inline wt_qsub wt_q4_k_sub(const uint8_t* blk, int s) {
  const uint8_t* sc = blk + 4;
  int32_t scale, min;
  if (s < 4) {
    scale = sc[s] & 63;
    min = sc[s + 4] & 63;
  } else {
    scale = (sc[s + 4] & 0xf) | ((sc[s - 4] >> 6) << 4);
    min = (sc[s + 4] >> 4) | ((sc[s] >> 6) << 4);
  }
  const float dmin = wt_f16_to_f32(wt_load_u16(blk + 2));
  wt_qsub q = {.o = 0, .ia = scale, .ib = scale, .s = wt_f16_to_f32(wt_load_u16(blk)),
               .m = -(dmin * (float)min)};
  const uint8_t* qs = blk + 16 + 32 * (s >> 1);
  v128_t l0, h0, l1, h1;
  wt_nibbles(qs, &l0, &h0);
  wt_nibbles(qs + 16, &l1, &h1);
  q.ca = s & 1 ? h0 : l0;
  q.cb = s & 1 ? h1 : l1;
  return q;
}

static inline wt_qsub wt_q6_k_sub(const uint8_t* blk, int s) {
  const int h = s >> 2, t = s & 3;
  const uint8_t* ql = blk + 64 * h + 32 * (t & 1);
  const uint8_t* qh = blk + 128 + 32 * h;
  const int8_t* sc = (const int8_t*)(blk + 192) + 8 * h + 2 * t;
  wt_qsub q = {.o = 32, .ia = sc[0], .ib = sc[1], .s = wt_f16_to_f32(wt_load_u16(blk + 208)),
               .m = 0.0f};
  v128_t l0, h0, l1, h1;
  wt_nibbles(ql, &l0, &h0);
  wt_nibbles(ql + 16, &l1, &h1);
  const v128_t three = wasm_i8x16_splat(3);
  const v128_t b0 = wasm_v128_and(wasm_u8x16_shr(wasm_v128_load(qh), 2 * t), three);
  const v128_t b1 = wasm_v128_and(wasm_u8x16_shr(wasm_v128_load(qh + 16), 2 * t), three);
  q.ca = wasm_v128_or(t >> 1 ? h0 : l0, wasm_i8x16_shl(b0, 4));
  q.cb = wasm_v128_or(t >> 1 ? h1 : l1, wasm_i8x16_shl(b1, 4));
  return q;
}

/* 16 codes minus o, times scale (+ m when has_m) -> out[0:16] */
static inline void wt_qsub_store16(v128_t c, int32_t o, float scale, float m, int has_m,
                                   float* out) {
  const v128_t v = wasm_i8x16_sub(c, wasm_i8x16_splat((int8_t)o));
  const v128_t lo = wasm_i16x8_extend_low_i8x16(v), hi = wasm_i16x8_extend_high_i8x16(v);
  const v128_t q[4] = {wasm_i32x4_extend_low_i16x8(lo), wasm_i32x4_extend_high_i16x8(lo),
                       wasm_i32x4_extend_low_i16x8(hi), wasm_i32x4_extend_high_i16x8(hi)};
  const v128_t sv = wasm_f32x4_splat(scale), mv = wasm_f32x4_splat(m);
  for (int i = 0; i < 4; i++) {
    v128_t w = wasm_f32x4_mul(wasm_f32x4_convert_i32x4(q[i]), sv);
    wasm_v128_store(out + 4 * i, has_m ? wasm_f32x4_add(w, mv) : w);
  }
}

/* One sub-block's 32 weights at out (never fused: bit-exact in both builds) */
static inline void wt_qsub_store(wt_qsub q, int has_m, float* out) {
  wt_qsub_store16(q.ca, q.o, q.s * (float)q.ia, q.m, has_m, out);
  wt_qsub_store16(q.cb, q.o, q.s * (float)q.ib, q.m, has_m, out + 16);
}

static inline void wt_q4_0_dequant_block(const uint8_t* blk, float* out) {
  wt_qsub_store(wt_q4_0_sub(blk, 0), 0, out);
}
static inline void wt_q5_0_dequant_block(const uint8_t* blk, float* out) {
  wt_qsub_store(wt_q5_0_sub(blk, 0), 0, out);
}
static inline void wt_q5_1_dequant_block(const uint8_t* blk, float* out) {
  wt_qsub_store(wt_q5_1_sub(blk, 0), 1, out);
}
static inline void wt_q4_k_dequant_block(const uint8_t* blk, float* out) {
  for (int s = 0; s < 8; s++) wt_qsub_store(wt_q4_k_sub(blk, s), 1, out + 32 * s);
}
static inline void wt_q6_k_dequant_block(const uint8_t* blk, float* out) {
  for (int s = 0; s < 8; s++) wt_qsub_store(wt_q6_k_sub(blk, s), 0, out + 32 * s);
}
