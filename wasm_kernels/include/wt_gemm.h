/* Pieces shared by the GEMM kernels (f32-gemm/): the register-blocked MR x 8 microkernel over
 * a B with contiguous 8-float rows (an unpacked B or a packed panel), W^T panel packing, and
 * the 4-way horizontal sum of the dot-product form. MR (rows of the tile) is set by the
 * including file. Every function is static inline: each kernel file gets its own copy,
 * specialised by the compiler. */
#pragma once
#include "wt_common.h"

#define WT_NR 8

/* 8 floats of row p (first nr valid, rest 0) */
static inline void wt_load8(const float* p, size_t nr, v128_t* v0, v128_t* v1) {
  if (nr == WT_NR) {
    *v0 = wasm_v128_load(p);
    *v1 = wasm_v128_load(p + 4);
  } else {
    float t[WT_NR] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (size_t j = 0; j < nr; j++) t[j] = p[j];
    *v0 = wasm_v128_load(t);
    *v1 = wasm_v128_load(t + 4);
  }
}

static inline void wt_store8(float* p, size_t nr, v128_t v0, v128_t v1) {
  if (nr == WT_NR) {
    wasm_v128_store(p, v0);
    wasm_v128_store(p + 4, v1);
  } else {
    float t[WT_NR];
    wasm_v128_store(t, v0);
    wasm_v128_store(t + 4, v1);
    for (size_t j = 0; j < nr; j++) p[j] = t[j];
  }
}

/* How a microkernel call starts its accumulators. */
enum { WT_INIT_ZERO = 0, WT_INIT_LOAD_C = 1, WT_INIT_BIAS = 2 };

/* Panel packing for B = W^T, W row-major [n, ldw]: panel[l*8 + c] = W[c][l] for l < kc,
 * c < nr (columns c >= nr are zero, so the microkernel's extra lanes compute zeros that are
 * never stored). 4x4 transposes in registers; W rows are read sequentially. */
static inline void wt_pack_wt8(size_t nr, size_t kc, const float* w, ptrdiff_t ldw,
                               float* panel) {
  const float* r[WT_NR];
  for (size_t c = 0; c < WT_NR; c++) r[c] = w + (ptrdiff_t)(c < nr ? c : 0) * ldw;
  const v128_t z = wasm_f32x4_splat(0.0f);
  size_t l = 0;
  for (; l + 4 <= kc; l += 4, panel += 4 * WT_NR) {
    for (size_t h = 0; h < 2; h++) {   /* columns 4h .. 4h+3 */
      v128_t q[4];
      for (size_t c = 0; c < 4; c++)
        q[c] = (4 * h + c < nr) ? wasm_v128_load(r[4 * h + c] + l) : z;
      const v128_t t0 = wasm_i32x4_shuffle(q[0], q[1], 0, 4, 1, 5);
      const v128_t t1 = wasm_i32x4_shuffle(q[2], q[3], 0, 4, 1, 5);
      const v128_t t2 = wasm_i32x4_shuffle(q[0], q[1], 2, 6, 3, 7);
      const v128_t t3 = wasm_i32x4_shuffle(q[2], q[3], 2, 6, 3, 7);
      wasm_v128_store(panel + 0 * WT_NR + 4 * h, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
      wasm_v128_store(panel + 1 * WT_NR + 4 * h, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
      wasm_v128_store(panel + 2 * WT_NR + 4 * h, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
      wasm_v128_store(panel + 3 * WT_NR + 4 * h, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
    }
  }
  for (; l < kc; l++, panel += WT_NR)
    for (size_t c = 0; c < WT_NR; c++) panel[c] = c < nr ? r[c][l] : 0.0f;
}


/* C[0:mr, 0:nr] = init + A[0:mr, 0:kc] @ B[0:kc, 0:8], for MR (set by the including file,
 * #define WT_MR) rows per tile. A(i, l) = a[i*a_rs + l*a_cs] is read one scalar at a time and
 * splatted, so any A layout costs the same. B rows hold 8 readable floats when b_full (a
 * packed panel or nr == 8), else only nr. init: zeros, C itself (k-blocks after the first),
 * or bias[0:nr] on every row. Rows past mr alias the last valid row: they compute and store
 * the same values again, which keeps the loop branch-free. */
static inline void wt_ukernel(size_t mr, size_t nr, size_t kc, const float* a, ptrdiff_t a_rs,
                              ptrdiff_t a_cs, const float* b, ptrdiff_t ldb, int b_full,
                              float* c, ptrdiff_t ldc, int init, const float* bias) {
  const float* ap[WT_MR];
  float* cp[WT_MR];
  v128_t x0[WT_MR], x1[WT_MR];
  for (size_t r = 0; r < WT_MR; r++) {
    const ptrdiff_t rr = (ptrdiff_t)(r < mr ? r : mr - 1);
    ap[r] = a + rr * a_rs;
    cp[r] = c + rr * ldc;
  }
  if (init == WT_INIT_LOAD_C) {
    for (size_t r = 0; r < WT_MR; r++) wt_load8(cp[r], nr, &x0[r], &x1[r]);
  } else {
    v128_t i0 = wasm_f32x4_splat(0.0f), i1 = i0;
    if (init == WT_INIT_BIAS) wt_load8(bias, nr, &i0, &i1);
    for (size_t r = 0; r < WT_MR; r++) x0[r] = i0, x1[r] = i1;
  }
  if (b_full) {
    for (size_t l = 0; l < kc; l++, b += ldb) {
      const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
      for (size_t r = 0; r < WT_MR; r++) {
        const v128_t v = wasm_v128_load32_splat(ap[r]);
        ap[r] += a_cs;
        x0[r] = WT_MADD(v, b0, x0[r]);
        x1[r] = WT_MADD(v, b1, x1[r]);
      }
    }
  } else {
    for (size_t l = 0; l < kc; l++, b += ldb) {
      v128_t b0, b1;
      wt_load8(b, nr, &b0, &b1);
      for (size_t r = 0; r < WT_MR; r++) {
        const v128_t v = wasm_v128_load32_splat(ap[r]);
        ap[r] += a_cs;
        x0[r] = WT_MADD(v, b0, x0[r]);
        x1[r] = WT_MADD(v, b1, x1[r]);
      }
    }
  }
  for (size_t r = WT_MR; r-- > 0;) wt_store8(cp[r], nr, x0[r], x1[r]);
}
