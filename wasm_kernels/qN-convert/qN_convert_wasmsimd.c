/* Conversions between float32 and the GGUF block formats (see include/wt_quant.h):
 *   void wt_q8_0_dequantize_wasmsimd(size_t nblocks, const uint8_t* blocks, float* y)
 *   void wt_q4_1_dequantize_wasmsimd(size_t nblocks, const uint8_t* blocks, float* y)
 *       y[32b + j] = the block's weights; Q8_0 exact, Q4_1 d*q + m with one rounding.
 *   void wt_q8_0_quantize_wasmsimd(size_t nblocks, const float* x, uint8_t* blocks)
 *   void wt_q4_1_quantize_wasmsimd(size_t nblocks, const float* x, uint8_t* blocks)
 *       ggml's reference quantisers, bit for bit on finite input (float32 arithmetic, fp16
 *       round-to-nearest-even):
 *       Q8_0: amax = max |x|, d = amax / 127, id = d ? 1/d : 0, q = roundf(x * id)
 *             (half away from zero)
 *       Q4_1: d = (max - min) / 15, id = d ? 1/d : 0, m = min,
 *             q = min(15, trunc((x - min) * id + 0.5))
 *       Non-finite input has no meaning in these formats (webtensor.quant rejects it); here
 *       it gives NaN/inf scales and q = 0 where x * id is NaN, never undefined behaviour.
 * Outputs must not overlap inputs. Dequantisation is the load path (GGUF -> f32), vectorised;
 * quantisation is scalar (once per weight, off the hot path).
 */
#include "wt_quant.h"
#include "wt_qd16.h"

WT_EXPORT void WT_SYM(q8_0_dequantize)(size_t nblocks, const uint8_t* blocks, float* y) {
  for (size_t b = 0; b < nblocks; b++)
    wt_q8_0_dequant_block(blocks + b * WT_Q8_0_BYTES, y + b * WT_QK);
}

WT_EXPORT void WT_SYM(q4_1_dequantize)(size_t nblocks, const uint8_t* blocks, float* y) {
  for (size_t b = 0; b < nblocks; b++)
    wt_q4_1_dequant_block(blocks + b * WT_Q4_1_BYTES, y + b * WT_QK);
}

static inline void wt_store_u16(uint8_t* p, uint32_t h) {
  p[0] = (uint8_t)(h & 0xffu);
  p[1] = (uint8_t)(h >> 8);
}

/* C's roundf: nearest, halves away from zero (x - trunc(x) is exact) */
static inline float wt_roundf(float x) {
  const float t = __builtin_truncf(x);
  return __builtin_fabsf(x - t) >= 0.5f ? t + __builtin_copysignf(1.0f, x) : t;
}

/* cold (model conversion, once): optimised for size */
WT_EXPORT __attribute__((minsize)) void WT_SYM(q8_0_quantize)(size_t nblocks, const float* x, uint8_t* blocks) {
  for (size_t b = 0; b < nblocks; b++, x += WT_QK, blocks += WT_Q8_0_BYTES) {
    float amax = 0.0f;
    for (int j = 0; j < WT_QK; j++) {
      const float a = __builtin_fabsf(x[j]);
      amax = amax > a ? amax : a;             /* ggml's MAX(amax, |x|) */
    }
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    wt_store_u16(blocks, wt_f32_to_f16(d));
    for (int j = 0; j < WT_QK; j++) {
      const float r = wt_roundf(x[j] * id);
      /* |r| <= 127 for finite input; the guards keep NaN/inf defined */
      const int q = r >= 127.0f ? 127 : r <= -128.0f ? -128 : r == r ? (int)r : 0;
      blocks[2 + j] = (uint8_t)(int8_t)q;
    }
  }
}

WT_EXPORT __attribute__((minsize)) void WT_SYM(q4_1_quantize)(size_t nblocks, const float* x, uint8_t* blocks) {
  for (size_t b = 0; b < nblocks; b++, x += WT_QK, blocks += WT_Q4_1_BYTES) {
    float lo = 3.40282347e38f, hi = -3.40282347e38f;
    for (int j = 0; j < WT_QK; j++) {
      if (x[j] < lo) lo = x[j];
      if (x[j] > hi) hi = x[j];
    }
    const float d = (hi - lo) / 15.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    wt_store_u16(blocks, wt_f32_to_f16(d));
    wt_store_u16(blocks + 2, wt_f32_to_f16(lo));
    for (int j = 0; j < WT_QK / 2; j++) {
      uint32_t q[2];
      for (int h = 0; h < 2; h++) {
        const float t = (x[j + 16 * h] - lo) * id + 0.5f;
        q[h] = t >= 15.0f ? 15u : t >= 1.0f ? (uint32_t)t : 0u;   /* min(15, trunc(t)) */
      }
      blocks[4 + j] = (uint8_t)(q[0] | (q[1] << 4));
    }
  }
}

/* void wt_<kind>_dequantize_wasmsimd(size_t nblocks, const uint8_t* blocks, float* y) for
 * q4_0 q5_0 q5_1 (blocks of 32) and q4_k q6_k (256): gguf-py's dequantize bit for bit.
 * wt_<kind>_dequantize_run (hidden: not exported, no GOT entry) is the same loop for the
 * qN-gemm panels. */
#define WT_DEQUANTIZE(kind, bytes, blk)                                                       \
  WT_HIDDEN void wt_##kind##_dequantize_run(size_t nblocks, const uint8_t* blocks, float* y) { \
    for (size_t b = 0; b < nblocks; b++) wt_##kind##_dequant_block(blocks + b * (bytes),      \
                                                                    y + b * (blk));           \
  }                                                                                           \
  WT_EXPORT void WT_SYM(kind##_dequantize)(size_t nblocks, const uint8_t* blocks, float* y) { \
    wt_##kind##_dequantize_run(nblocks, blocks, y);                                           \
  }
WT_DEQUANTIZE(q4_0, WT_Q4_0_BYTES, WT_QK)
WT_DEQUANTIZE(q5_0, WT_Q5_0_BYTES, WT_QK)
WT_DEQUANTIZE(q5_1, WT_Q5_1_BYTES, WT_QK)
WT_DEQUANTIZE(q4_k, WT_Q4_K_BYTES, WT_QK_K)
WT_DEQUANTIZE(q6_k, WT_Q6_K_BYTES, WT_QK_K)

/* The int16 activation blocks of the qd16 GEMVs (include/wt_qd16.h), once per linear call:
 *   void wt_qd16_quantize_wasmsimd(size_t nblocks, const float* x, uint8_t* blocks)
 * amax = max |x| over the block, d = amax / 32767, id = d ? 1/d : 0, q = nearest-even(x id)
 * (|x id| <= 32767 (1 + 2^-22), so never past int16). A block holding inf or NaN gets a
 * non-finite d and q = 0: its products are NaN.
 * Why so (the same bytes, ~3x faster): max |x| is taken on the bit patterns (|x| as u32
 * orders like the float, NaN above inf: one pmaxud instead of V8's NaN-careful f32x4.max),
 * and nearest-even(t) for |t| < 2^22
 * is t + 1.5 2^23 (the add rounds to an integer, ties to even) less the constant's bits
 * (instead of nearest + trunc_sat, ~8 instructions each in V8; kept for blocks where x or id
 * is not finite). */
WT_EXPORT void WT_SYM(qd16_quantize)(size_t nblocks, const float* x, uint8_t* blocks) {
  const v128_t mag = wasm_i32x4_splat(0x7fffffff);
  const v128_t big = wasm_f32x4_splat(12582912.0f), bigi = wasm_i32x4_splat(0x4b400000);
  const v128_t one = wasm_i16x8_splat(1);
  for (size_t b = 0; b < nblocks; b++, x += WT_QK, blocks += WT_QD16_BYTES) {
    v128_t v[8], m = wasm_i32x4_splat(0);
    for (int i = 0; i < 8; i++) {
      v[i] = wasm_v128_load(x + 4 * i);
      m = wasm_u32x4_max(m, wasm_v128_and(v[i], mag));
    }
    m = wasm_u32x4_max(m, wasm_i32x4_shuffle(m, m, 2, 3, 0, 1));
    m = wasm_u32x4_max(m, wasm_i32x4_shuffle(m, m, 1, 0, 3, 2));
    const uint32_t mb = (uint32_t)wasm_i32x4_extract_lane(m, 0);
    float amax;
    __builtin_memcpy(&amax, &mb, 4);
    const float d = amax / 32767.0f, idf = d != 0.0f ? 1.0f / d : 0.0f;
    const v128_t id = wasm_f32x4_splat(idf);
    /* finite x and id (not a block of |x| < ~1e-34, where 1/d overflows): |x id| < 2^22 */
    const int fast = mb < 0x7f800000u && idf <= 3.40282347e38f;
    v128_t sum = wasm_i32x4_splat(0);
    for (int i = 0; i < 4; i++) {
      const v128_t t0 = wasm_f32x4_mul(v[2 * i], id), t1 = wasm_f32x4_mul(v[2 * i + 1], id);
      const v128_t q = fast ? wasm_i16x8_narrow_i32x4(
                                  wasm_i32x4_sub(wasm_f32x4_add(t0, big), bigi),
                                  wasm_i32x4_sub(wasm_f32x4_add(t1, big), bigi))
                            : wasm_i16x8_narrow_i32x4(
                                  wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(t0)),
                                  wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(t1)));
      wasm_v128_store(blocks + WT_QD16_HEAD + 16 * i, q);
      sum = wasm_i32x4_add(sum, wasm_i32x4_dot_i16x8(q, one));
    }
    sum = wasm_i32x4_add(sum, wasm_i32x4_shuffle(sum, sum, 2, 3, 0, 1));
    sum = wasm_i32x4_add(sum, wasm_i32x4_shuffle(sum, sum, 1, 0, 3, 2));
    const int32_t s = wasm_i32x4_extract_lane(sum, 0);
    __builtin_memcpy(blocks, &d, 4);
    __builtin_memcpy(blocks + 4, &s, 4);
  }
}

/* xh = d * q of those blocks (one float rounding): linear(..., activations="int16") with M > 1
 *   void wt_qd16_dequantize_wasmsimd(size_t nblocks, const uint8_t* blocks, float* y) */
WT_EXPORT void WT_SYM(qd16_dequantize)(size_t nblocks, const uint8_t* blocks, float* y) {
  for (size_t b = 0; b < nblocks; b++, y += WT_QK, blocks += WT_QD16_BYTES) {
    const v128_t d = wasm_f32x4_splat(wt_qd16_scale(blocks));
    for (int i = 0; i < 4; i++) {
      const v128_t q = wasm_v128_load(blocks + WT_QD16_HEAD + 16 * i);
      wasm_v128_store(y + 8 * i, wasm_f32x4_mul(
          d, wasm_f32x4_convert_i32x4(wasm_i32x4_extend_low_i16x8(q))));
      wasm_v128_store(y + 8 * i + 4, wasm_f32x4_mul(
          d, wasm_f32x4_convert_i32x4(wasm_i32x4_extend_high_i16x8(q))));
    }
  }
}
