/* The 2-D binary driver of the per-vector kernel families (xN-vbinary, xN-divide):
 *   wt_vdrive(m, n, a, a_rs, a_cs, b, b_rs, b_cs, y, sz, f)
 *   wt_vdrive_span(m, n, a, a_rs, a_cs, b, b_rs, b_cs, y, sz, NULL, span)
 * y is contiguous [m, n]; a(i, j) = a[i*a_rs + j*a_cs] (elements of sz bytes), likewise b.
 * f maps one 16-byte vector of a and of b to 16 bytes of y (called through a pointer per
 * vector); span (WT_VSPAN) maps a run of vectors, the op inlined in its loop. Whole vectors of
 * contiguous rows run in place; everything else (strided or broadcast operands, row tails)
 * goes through padded stack chunks, so every element sees the same instructions.
 * float16 / bfloat16 ops: WT_HALF_VOP wraps a float32x4 op (8 halves widened exactly, the
 * op in float32, rounded back once: torch's float32 opmath).
 */
#pragma once
#include "wt_common.h"
#include "wt_half.h"

typedef v128_t (*wt_vop)(v128_t, v128_t);
/* a run of whole vectors: y[0, bytes) = op(a, b) (WT_VSPAN: the op inlined in the loop, so its
 * constants are made once per run, not once per vector: V8 builds each v128 constant anew) */
typedef void (*wt_vspan)(const char*, const char*, char*, size_t);
#define WT_VSPAN(name, VFN)                                                                 \
  static void name(const char* a, const char* b, char* y, size_t bytes) {                   \
    for (size_t t = 0; t < bytes; t += 16)                                                  \
      wasm_v128_store(y + t, VFN(wasm_v128_load(a + t), wasm_v128_load(b + t)));            \
  }
#define WT_VCHUNK 512 /* bytes */

static inline void wt_vgather(char* d, const char* s, ptrdiff_t cs, size_t k, size_t sz) {
  for (size_t i = 0; i < k; i++, d += sz, s += cs * (ptrdiff_t)sz)
    for (size_t b = 0; b < sz; b++) d[b] = s[b];
}

/* f: the op per vector, or span (f NULL): the op per run */
__attribute__((noinline)) static void wt_vdrive_span(size_t m, size_t n, const char* a,
                                                     int32_t a_rs, int32_t a_cs, const char* b,
                                                     int32_t b_rs, int32_t b_cs, char* y,
                                                     size_t sz, wt_vop f, wt_vspan span) {
  _Alignas(16) char ta[WT_VCHUNK], tb[WT_VCHUNK], ty[WT_VCHUNK];
  const int flat = a_cs == 1 && b_cs == 1;
  for (size_t i = 0; i < m; i++) {
    const char* pa = a + (ptrdiff_t)i * a_rs * (ptrdiff_t)sz;
    const char* pb = b + (ptrdiff_t)i * b_rs * (ptrdiff_t)sz;
    for (size_t j = 0; j < n;) {
      size_t k = n - j, bytes;
      const char *qa = pa + (ptrdiff_t)j * a_cs * (ptrdiff_t)sz,
                 *qb = pb + (ptrdiff_t)j * b_cs * (ptrdiff_t)sz;
      char* qy = y;
      if (flat && k * sz >= 16) {
        bytes = k * sz & ~(size_t)15;
      } else {
        k = wt_min_size(WT_VCHUNK / sz, k);
        bytes = (k * sz + 15) & ~(size_t)15;
        /* b padded with 1 bytes: no integer division by zero in the padding */
        for (size_t t = 0; t < WT_VCHUNK; t++) ta[t] = 0, tb[t] = 1;
        wt_vgather(ta, qa, a_cs, k, sz);
        wt_vgather(tb, qb, b_cs, k, sz);
        qa = ta, qb = tb, qy = ty;
      }
      if (span)
        span(qa, qb, qy, bytes);
      else
        for (size_t t = 0; t < bytes; t += 16)
          wasm_v128_store(qy + t, f(wasm_v128_load(qa + t), wasm_v128_load(qb + t)));
      if (qy == ty)
        for (size_t t = 0; t < k * sz; t++) y[t] = ty[t];
      else
        k = bytes / sz;
      y += k * sz;
      j += k;
    }
  }
}

static inline void wt_vdrive(size_t m, size_t n, const char* a, int32_t a_rs, int32_t a_cs,
                             const char* b, int32_t b_rs, int32_t b_cs, char* y, size_t sz,
                             wt_vop f) {
  wt_vdrive_span(m, n, a, a_rs, a_cs, b, b_rs, b_cs, y, sz, f, 0);
}

/* name(a, b): 8 float16 (dt f16) or bfloat16 (bf16) lanes through the float32x4 op F32OP */
#define WT_HALF_VOP(name, dt, F32OP)                                                        \
  static v128_t name(v128_t a, v128_t b) {                                                  \
    v128_t a0, a1, b0, b1;                                                                  \
    v_f32x8_from_##dt(a, &a0, &a1);                                                         \
    v_f32x8_from_##dt(b, &b0, &b1);                                                         \
    return v_##dt##x8_from_f32(F32OP(a0, b0), F32OP(a1, b1));                               \
  }
