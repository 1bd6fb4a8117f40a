/* Template of the decode GEMVs (M == 1) for the formats decoded by sub-block (wt_qsub in
 * wt_quant.h: Q4_0, Q5_0, Q5_1, Q4_K, Q6_K). Default: int8 activations, llama.cpp's vec_dot
 * way:
 *   void wt_<WT_QD8_NAME>_<isa>(size_t n, size_t k, const uint8_t* xq, const uint8_t* w,
 *                               float* y)
 * With WT_QGEMV_I16 defined: int16 activations (wt_qd16.h's 72-byte blocks, same signature;
 * the plain i16 dots in both builds, ia / ib applied in float). With WT_QGEMV_FLOAT defined:
 * float activations, void wt_<WT_QD8_NAME>_<isa>(size_t n,
 * size_t k, const float* x, const uint8_t* w, float* y), y[i] = sum_l x[l] W[i][l]; per
 * sub-block the codes are widened to f32 in registers: s ia ((c_a - o) . x_a) +
 * s ib ((c_b - o) . x_b) + m sum(x); error ~(k/4 + 8) eps sum_l |x[l]| (|W[i][l]| + 2|m|).
 * y[i] = sum_l xh[l] W[i][l]: xh = the activations as Q8_0 blocks xq (k/32 blocks of 34
 * bytes, from q8_0_quantize), W [n, k] in rows of k/WT_QBLK blocks of WT_QBYTES bytes, each
 * WT_QBLK/32 sub-blocks decoded by WT_QSUB(block, s). k must be a multiple of WT_QBLK; k == 0
 * writes zeros; y [n] must not overlap the inputs. One Q8_0 activation block per sub-block
 * of 32 (finer than llama.cpp's Q8_K for the K-quants: the same activations for every kind).
 *
 * Per sub-block the integer part ia (c_a - o) . x_a + ib (c_b - o) . x_b is exact in int32
 * (codes < 64, |x| <= 127, |ia|, |ib| <= 128: |sum| < 2^21 per half), computed as
 * c . x - o sum(x) so the codes stay non-negative: the relaxed build feeds them (valid "i7"
 * lanes, deterministic) to i32x4.relaxed_dot_i8x16_i7x16_add, the plain one to i16 dots.
 * Then one float multiply by s d_x, plus m d_x sum(x) where the format has a min.
 * Error against the float path on xh: ~(k/4 + 8) eps sum_l |xh[l]| |W[i][l]|, plus m's
 * rounding; xh is x within Q8_0's rounding (see webtensor/quant.py).
 */
#include "wt_quant.h"
#include "wt_qd16.h"

#ifndef WT_QD8_HELPERS
#define WT_QD8_HELPERS
static volatile uint32_t wt_qd8_sink;     /* keeps the touches of the GEMVs below */
typedef struct {
  v128_t xa, xb;      /* the 32 int8 activations (elements 0-15, 16-31) */
  v128_t x16[4];      /* the same as i16x8 (plain build) */
  v128_t sa, sb;      /* i32x4 lanes adding up to sum(x_a), sum(x_b) */
  float dx;
} wt_qd8_x;

static inline void wt_qd8_load_x(const uint8_t* xb, wt_qd8_x* x) {
  const v128_t one = wasm_i16x8_splat(1);
  x->xa = wasm_v128_load(xb + 2);
  x->xb = wasm_v128_load(xb + 18);
  x->x16[0] = wasm_i16x8_extend_low_i8x16(x->xa);
  x->x16[1] = wasm_i16x8_extend_high_i8x16(x->xa);
  x->x16[2] = wasm_i16x8_extend_low_i8x16(x->xb);
  x->x16[3] = wasm_i16x8_extend_high_i8x16(x->xb);
  x->sa = wasm_i32x4_add(wasm_i32x4_dot_i16x8(x->x16[0], one),
                         wasm_i32x4_dot_i16x8(x->x16[1], one));
  x->sb = wasm_i32x4_add(wasm_i32x4_dot_i16x8(x->x16[2], one),
                         wasm_i32x4_dot_i16x8(x->x16[3], one));
  x->dx = wt_f16_to_f32(wt_load_u16(xb));
}

/* i32x4 lanes adding up to c . x for 16 codes c (< 64) and 16 activations */
static inline v128_t wt_qd8_dot16(v128_t c, v128_t x8, const v128_t x16[2]) {
#ifdef WT_RELAXED
  (void)x16;
  return wasm_i32x4_relaxed_dot_i8x16_i7x16_add(x8, c, wasm_i32x4_splat(0));
#else
  (void)x8;
  return wt_dot_u8_i16(c, x16);
#endif
}

/* acc + this sub-block's share of the dot product */
static inline v128_t wt_qd8_sub(wt_qsub q, const wt_qd8_x* x, int has_m, v128_t acc) {
  const v128_t o = wasm_i32x4_splat(q.o);
  v128_t da = wasm_i32x4_sub(wt_qd8_dot16(q.ca, x->xa, x->x16), wasm_i32x4_mul(o, x->sa));
  v128_t db = wasm_i32x4_sub(wt_qd8_dot16(q.cb, x->xb, x->x16 + 2), wasm_i32x4_mul(o, x->sb));
  const v128_t s = wasm_i32x4_add(wasm_i32x4_mul(da, wasm_i32x4_splat(q.ia)),
                                  wasm_i32x4_mul(db, wasm_i32x4_splat(q.ib)));
  acc = WT_MADD(wasm_f32x4_splat(q.s * x->dx), wasm_f32x4_convert_i32x4(s), acc);
  if (has_m)
    acc = WT_MADD(wasm_f32x4_splat(q.m * x->dx),
                  wasm_f32x4_convert_i32x4(wasm_i32x4_add(x->sa, x->sb)), acc);
  return acc;
}
#endif

#if defined(WT_QGEMV_FLOAT) && !defined(WT_QGEMV_FLOAT_HELPERS)
#define WT_QGEMV_FLOAT_HELPERS
typedef struct {
  const float* x;     /* the sub-block's 32 activations */
  v128_t xs;          /* lanes adding up to their sum */
} wt_qf_x;

static inline void wt_qf_load_x(const float* x, wt_qf_x* xp) {
  xp->x = x;
  xp->xs = wt_sum32(x);
}

/* (codes - o) . x[0:16] as a vector of partial sums */
static inline v128_t wt_qf_dot16(v128_t c, int32_t o, const float* x) {
  const v128_t v = wasm_i8x16_sub(c, wasm_i8x16_splat((int8_t)o));
  const v128_t lo = wasm_i16x8_extend_low_i8x16(v), hi = wasm_i16x8_extend_high_i8x16(v);
  v128_t s0 = wasm_f32x4_mul(wasm_f32x4_convert_i32x4(wasm_i32x4_extend_low_i16x8(lo)),
                             wasm_v128_load(x));
  v128_t s1 = wasm_f32x4_mul(wasm_f32x4_convert_i32x4(wasm_i32x4_extend_high_i16x8(lo)),
                             wasm_v128_load(x + 4));
  s0 = WT_MADD(wasm_f32x4_convert_i32x4(wasm_i32x4_extend_low_i16x8(hi)),
               wasm_v128_load(x + 8), s0);
  s1 = WT_MADD(wasm_f32x4_convert_i32x4(wasm_i32x4_extend_high_i16x8(hi)),
               wasm_v128_load(x + 12), s1);
  return wasm_f32x4_add(s0, s1);
}

static inline v128_t wt_qf_sub(wt_qsub q, const wt_qf_x* x, int has_m, v128_t acc) {
  acc = WT_MADD(wasm_f32x4_splat(q.s * (float)q.ia), wt_qf_dot16(q.ca, q.o, x->x), acc);
  acc = WT_MADD(wasm_f32x4_splat(q.s * (float)q.ib), wt_qf_dot16(q.cb, q.o, x->x + 16), acc);
  if (has_m) acc = WT_MADD(wasm_f32x4_splat(q.m), x->xs, acc);
  return acc;
}

typedef v128_t (*wt_qf_block_fn)(const uint8_t* p, const wt_qf_x* x, v128_t acc);

/* The float-activation driver, shared by the five kinds (module size): rows four at a time
 * (the last 1-3 repeat row n-1, never stored), one call per block and row. */
static __attribute__((noinline)) void wt_qf_gemv_any(size_t n, size_t k, const float* xf,
                                                     const uint8_t* w, float* y, size_t bytes,
                                                     size_t nsub, wt_qf_block_fn block) {
  const size_t nb = k / (nsub * WT_QK), rb = nb * bytes;
  const v128_t zero = wasm_f32x4_splat(0.0f);
  wt_qf_x x[WT_QK_K / WT_QK];
  for (size_t i = 0; i < n; i += 4) {
    const uint8_t* p[4];
    for (size_t r = 0; r < 4; r++) p[r] = w + wt_min_size(i + r, n - 1) * rb;
    v128_t a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    for (size_t b = 0; b < nb; b++) {
      for (size_t s = 0; s < nsub; s++) wt_qf_load_x(xf + (b * nsub + s) * WT_QK, x + s);
      a0 = block(p[0] + b * bytes, x, a0);
      a1 = block(p[1] + b * bytes, x, a1);
      a2 = block(p[2] + b * bytes, x, a2);
      a3 = block(p[3] + b * bytes, x, a3);
    }
    const v128_t v = wt_hsum4(a0, a1, a2, a3);
    if (n - i >= 4)
      wasm_v128_store(y + i, v);
    else
      wt_store_partial(y + i, n - i, v);
  }
}
#endif

#if defined(WT_QGEMV_I16) && !defined(WT_QD16_HELPERS)
#define WT_QD16_HELPERS
/* int16 activations (wt_qd16.h's blocks): the plain i16 dots in both builds. Per half the
 * integer c . x - o sum(x) is exact (|.| < 16 * 64 * 32767 < 2^25); the scales ia, ib are
 * applied in float (ia * that could pass 2^31) */
typedef struct {
  v128_t x16[4];
  v128_t sa, sb;      /* i32x4 lanes adding up to sum(x_a), sum(x_b) */
  float dx;
} wt_qd16_x;

static inline void wt_qd16_load_x(const uint8_t* xb, wt_qd16_x* x) {
  const v128_t one = wasm_i16x8_splat(1);
  for (int i = 0; i < 4; i++) x->x16[i] = wasm_v128_load(xb + WT_QD16_HEAD + 16 * i);
  x->sa = wasm_i32x4_add(wasm_i32x4_dot_i16x8(x->x16[0], one),
                         wasm_i32x4_dot_i16x8(x->x16[1], one));
  x->sb = wasm_i32x4_add(wasm_i32x4_dot_i16x8(x->x16[2], one),
                         wasm_i32x4_dot_i16x8(x->x16[3], one));
  x->dx = wt_qd16_scale(xb);
}

static inline v128_t wt_qd16_sub(wt_qsub q, const wt_qd16_x* x, int has_m, v128_t acc) {
  const v128_t o = wasm_i32x4_splat(q.o);
  const v128_t da = wasm_i32x4_sub(wt_dot_u8_i16(q.ca, x->x16), wasm_i32x4_mul(o, x->sa));
  const v128_t db = wasm_i32x4_sub(wt_dot_u8_i16(q.cb, x->x16 + 2), wasm_i32x4_mul(o, x->sb));
  const float sd = q.s * x->dx;
  acc = WT_MADD(wasm_f32x4_splat(sd * (float)q.ia), wasm_f32x4_convert_i32x4(da), acc);
  acc = WT_MADD(wasm_f32x4_splat(sd * (float)q.ib), wasm_f32x4_convert_i32x4(db), acc);
  if (has_m)
    acc = WT_MADD(wasm_f32x4_splat(q.m * x->dx),
                  wasm_f32x4_convert_i32x4(wasm_i32x4_add(x->sa, x->sb)), acc);
  return acc;
}
#endif

#ifdef WT_QGEMV_FLOAT     /* float activations: x [k] floats */
#define WT_QX_T float
#define WT_QX_BLOCK wt_qf_x
#define WT_QX_LOAD(x, j, xp) wt_qf_load_x((x) + (j) * WT_QK, (xp))
#define WT_QX_SUB wt_qf_sub
#elif defined(WT_QGEMV_I16)  /* int16 activations: xq [k/32] wt_qd16.h blocks */
#define WT_QX_T uint8_t
#define WT_QX_BLOCK wt_qd16_x
#define WT_QX_LOAD(x, j, xp) wt_qd16_load_x((x) + (j) * WT_QD16_BYTES, (xp))
#define WT_QX_SUB wt_qd16_sub
#else                     /* int8 activations: xq [k/32] Q8_0 blocks */
#define WT_QX_T uint8_t
#define WT_QX_BLOCK wt_qd8_x
#define WT_QX_LOAD(x, j, xp) wt_qd8_load_x((x) + (j) * WT_Q8_0_BYTES, (xp))
#define WT_QX_SUB wt_qd8_sub
#endif

#define WT_QD8_NSUB (WT_QBLK / WT_QK)

/* acc + block p (WT_QD8_NSUB sub-blocks) against the activation blocks x; a K-quant's
 * 8 sub-blocks and the float path's wider code stay a call (module size; the call is
 * amortised over 256 weights, or the float path's 32 float loads and conversions) */
#if WT_QBLK > WT_QK || defined(WT_QGEMV_FLOAT)
__attribute__((noinline))
#endif
static inline v128_t WT_CAT3(wt_qd8_block_, WT_QD8_NAME, _)(const uint8_t* p,
                                                            const WT_QX_BLOCK* x, v128_t acc) {
#pragma clang loop unroll(disable)
  for (int s = 0; s < WT_QD8_NSUB; s++) acc = WT_QX_SUB(WT_QSUB(p, s), x + s, WT_QHAS_M, acc);
  return acc;
}

#ifdef WT_QGEMV_FLOAT
WT_EXPORT void WT_SYM(WT_QD8_NAME)(size_t n, size_t k, const float* x, const uint8_t* w,
                                   float* y) {
  wt_qf_gemv_any(n, k, x, w, y, WT_QBYTES, WT_QD8_NSUB, WT_CAT3(wt_qd8_block_, WT_QD8_NAME, _));
}
#else
WT_EXPORT void WT_SYM(WT_QD8_NAME)(size_t n, size_t k, const WT_QX_T* xq, const uint8_t* w,
                                   float* y) {
  const size_t nb = k / WT_QBLK, rb = nb * WT_QBYTES;
  const v128_t zero = wasm_f32x4_splat(0.0f);
  WT_QX_BLOCK x[WT_QD8_NSUB];
  uint32_t sink = 0;
  /* four rows at a time; the last 1-3 rows repeat row n-1 (read again, never stored) */
  for (size_t i = 0; i < n; i += 4) {
    const uint8_t* p[4];
    for (size_t r = 0; r < 4; r++) p[r] = w + wt_min_size(i + r, n - 1) * rb;
    /* the next four rows (4 rb bytes, contiguous) are touched a cache line apart, 4 blocks'
     * bytes a step, so they come from memory while these are computed (as qd16_gemv does;
     * wasm has no prefetch); on the last group pf stays on this group's first byte */
    const int ahead = i + 8 <= n;
    const uint8_t* pf = ahead ? w + (i + 4) * rb : p[0];
    const size_t pstep = ahead ? 4 * WT_QBYTES : 0, plen = ahead ? 4 * WT_QBYTES : 1;
    v128_t a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    for (size_t b = 0; b < nb; b++, pf += pstep) {
      for (size_t o = 0; o < plen; o += 64) sink += pf[o];
      for (int s = 0; s < WT_QD8_NSUB; s++) WT_QX_LOAD(xq, b * WT_QD8_NSUB + s, x + s);
      a0 = WT_CAT3(wt_qd8_block_, WT_QD8_NAME, _)(p[0] + b * WT_QBYTES, x, a0);
      a1 = WT_CAT3(wt_qd8_block_, WT_QD8_NAME, _)(p[1] + b * WT_QBYTES, x, a1);
      a2 = WT_CAT3(wt_qd8_block_, WT_QD8_NAME, _)(p[2] + b * WT_QBYTES, x, a2);
      a3 = WT_CAT3(wt_qd8_block_, WT_QD8_NAME, _)(p[3] + b * WT_QBYTES, x, a3);
    }
    const v128_t v = wt_hsum4(a0, a1, a2, a3);
    if (n - i >= 4)
      wasm_v128_store(y + i, v);
    else
      wt_store_partial(y + i, n - i, v);
  }
  wt_qd8_sink = sink;
}
#endif

#undef WT_QD8_NAME
#undef WT_QD8_NSUB
#undef WT_QBYTES
#undef WT_QBLK
#undef WT_QSUB
#undef WT_QHAS_M
#undef WT_QX_T
#undef WT_QX_BLOCK
#undef WT_QX_LOAD
#undef WT_QX_SUB
#undef WT_QGEMV_FLOAT
#undef WT_QGEMV_I16
