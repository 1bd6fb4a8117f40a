/* y = act(x @ W^T + bias), W row-major [n, k] (nn.Linear's weight), read in place:
 *   void wt_f32_linear_4x8_<isa>(size_t batch, size_t m, size_t n, size_t k,
 *                                const float* x, int32_t x_bs, int32_t x_rs, int32_t x_cs,
 *                                const float* w, int32_t w_bs, int32_t ldw,
 *                                const float* bias, int32_t has_bias,
 *                                float* y, int32_t y_bs, int32_t ldy, int32_t act)
 * y[p][i][j] = act(sum_l x[p*x_bs + i*x_rs + l*x_cs] * w[p*w_bs + j*ldw + l] + bias[j])
 * for p < batch, i < m, j < n; bias is read only when has_bias; act: 0 none, 1 relu, 2 gelu
 * (erf), 3 gelu_tanh, 4 silu. A batch stride of 0 broadcasts that operand. y must not
 * overlap x, w or bias; only y's [m, n] rows are written.
 *
 * Two forms, by m (chosen by measurement, benchmarks/bench_gemm_kernels.mjs --cpu: at m = 2
 * dot 18.7 vs packed 11.1 GFLOP/s, m = 3 equal, m = 4 packed 22.5 vs dot 18.6):
 *  - m < DOT_M with unit x_cs: dot products vectorised along k. 1 or 2 rows of x against 4
 *    rows of W at a time, 8 accumulators, one horizontal reduction per 4 outputs. W streams
 *    once per pair of rows: the decode GEMV (m == 1) reads W exactly once.
 *  - otherwise: W^T is packed on the fly, NC columns x KC depth at a time, into a static
 *    panel (256 KiB in the module's own data, no allocation), and the 4x8 microkernel of
 *    wt_gemm.h sweeps every 4-row strip of x over each 8-column panel (panel in L1, x strips
 *    from L2). Packing reads W once per call: no packed copy of any weight is kept (with
 *    the same kernel, x @ W^T measures as fast as x @ B on a pre-transposed B).
 *    Strided x (x^T @ W^T) is packed into 4-row strips per block too.
 * Epilogue: the first k-block starts from the bias (no extra pass); the activation is the
 * module's own unary kernel (same accuracy as webtensor's relu/gelu/silu) applied to each
 * finished block of y while it is still in cache.
 * Error: each y element is a length-k dot product plus bias, <= (k+1) eps sum(|x||w|)+|bias|
 * before the activation.
 */
#ifndef WT_MR  /* -D overrides: benchmarks/bench_gemm_kernels.mjs compares variants */
#define WT_MR 4
#endif
#include "wt_gemm.h"

/* KC x NC B panel (256 KiB) and MC x KC A block (128 KiB): measured against 256/256/128
 * (bench_gemm_kernels.mjs --cpu, relaxed, V8): 36 -> 43 GFLOP/s at 1024^3, +5% at
 * 128x384x1536, equal at 512^3. */
#ifndef KC
#define KC 512
#endif
#ifndef NC
#define NC 128
#endif
#ifndef DOT_M
#define DOT_M 4
#endif

enum { ACT_NONE = 0, ACT_RELU = 1, ACT_GELU = 2, ACT_GELU_TANH = 3, ACT_SILU = 4 };

void wt_f32_relu_wasmsimd(size_t n, const float* x, float* y);
void WT_SYM(f32_gelu)(size_t n, const float* x, float* y);
void WT_SYM(f32_gelu_tanh)(size_t n, const float* x, float* y);
void WT_SYM(f32_silu)(size_t n, const float* x, float* y);

static void act_rows(int act, size_t m, size_t n, float* y, ptrdiff_t ldy) {
  for (size_t i = 0; i < m; i++, y += ldy) {
    switch (act) {
      case ACT_RELU: wt_f32_relu_wasmsimd(n, y, y); break;
      case ACT_GELU: WT_SYM(f32_gelu)(n, y, y); break;
      case ACT_GELU_TANH: WT_SYM(f32_gelu_tanh)(n, y, y); break;
      case ACT_SILU: WT_SYM(f32_silu)(n, y, y); break;
      default: return;
    }
  }
}

static inline v128_t load4(const float* p, size_t r) {
  return r >= 4 ? wasm_v128_load(p) : wt_load_partial(p, r, 0.0f);
}

/* [x.w0, x.w1, x.w2, x.w3] for one row x; k unrolled by 8 (two accumulators per W row) */
static inline v128_t dot1x4(size_t k, const float* x, const float* w0, const float* w1,
                            const float* w2, const float* w3) {
  v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
  v128_t b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  size_t l = 0;
  for (; l + 8 <= k; l += 8) {
    const v128_t u = wasm_v128_load(x + l), v = wasm_v128_load(x + l + 4);
    a0 = WT_MADD(u, wasm_v128_load(w0 + l), a0);
    a1 = WT_MADD(u, wasm_v128_load(w1 + l), a1);
    a2 = WT_MADD(u, wasm_v128_load(w2 + l), a2);
    a3 = WT_MADD(u, wasm_v128_load(w3 + l), a3);
    b0 = WT_MADD(v, wasm_v128_load(w0 + l + 4), b0);
    b1 = WT_MADD(v, wasm_v128_load(w1 + l + 4), b1);
    b2 = WT_MADD(v, wasm_v128_load(w2 + l + 4), b2);
    b3 = WT_MADD(v, wasm_v128_load(w3 + l + 4), b3);
  }
  for (; l < k; l += 4) {
    const size_t r = k - l;
    const v128_t u = load4(x + l, r);
    a0 = WT_MADD(u, load4(w0 + l, r), a0);
    a1 = WT_MADD(u, load4(w1 + l, r), a1);
    a2 = WT_MADD(u, load4(w2 + l, r), a2);
    a3 = WT_MADD(u, load4(w3 + l, r), a3);
  }
  return wt_hsum4(wasm_f32x4_add(a0, b0), wasm_f32x4_add(a1, b1), wasm_f32x4_add(a2, b2),
                  wasm_f32x4_add(a3, b3));
}

/* the same for two rows x0, x1 (8 accumulators, k step 4) */
static inline void dot2x4(size_t k, const float* x0, const float* x1, const float* w0,
                          const float* w1, const float* w2, const float* w3, v128_t* s0,
                          v128_t* s1) {
  v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
  v128_t b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  for (size_t l = 0; l < k; l += 4) {
    const size_t r = k - l;
    const v128_t u = load4(x0 + l, r), v = load4(x1 + l, r);
    v128_t q = load4(w0 + l, r);
    a0 = WT_MADD(u, q, a0), b0 = WT_MADD(v, q, b0);
    q = load4(w1 + l, r);
    a1 = WT_MADD(u, q, a1), b1 = WT_MADD(v, q, b1);
    q = load4(w2 + l, r);
    a2 = WT_MADD(u, q, a2), b2 = WT_MADD(v, q, b2);
    q = load4(w3 + l, r);
    a3 = WT_MADD(u, q, a3), b3 = WT_MADD(v, q, b3);
  }
  *s0 = wt_hsum4(a0, a1, a2, a3);
  *s1 = wt_hsum4(b0, b1, b2, b3);
}

static inline void store4(float* p, size_t r, v128_t v) {
  if (r >= 4)
    wasm_v128_store(p, v);
  else
    wt_store_partial(p, r, v);
}

static void dot_form(size_t m, size_t n, size_t k, const float* x, ptrdiff_t x_rs,
                     const float* w, ptrdiff_t ldw, const float* bias, float* y, ptrdiff_t ldy,
                     int act) {
  for (size_t i = 0; i < m; i += 2) {
    const int two = i + 1 < m;
    const float* x0 = x + (ptrdiff_t)i * x_rs;
    const float* x1 = two ? x0 + x_rs : x0;
    float* y0 = y + (ptrdiff_t)i * ldy;
    float* y1 = y0 + ldy;
    for (size_t j = 0; j < n; j += 4) {
      const size_t nr = wt_min_size(4, n - j);
      const float* w0 = w + (ptrdiff_t)j * ldw;
      const float* w1 = nr > 1 ? w0 + ldw : w0;
      const float* w2 = nr > 2 ? w1 + ldw : w1;
      const float* w3 = nr > 3 ? w2 + ldw : w2;
      v128_t s0, s1;
      if (two)
        dot2x4(k, x0, x1, w0, w1, w2, w3, &s0, &s1);
      else
        s0 = s1 = dot1x4(k, x0, w0, w1, w2, w3);
      if (bias) {
        const v128_t bv = load4(bias + j, nr);
        s0 = wasm_f32x4_add(s0, bv), s1 = wasm_f32x4_add(s1, bv);
      }
      store4(y0 + j, nr, s0);
      if (two) store4(y1 + j, nr, s1);
    }
    act_rows(act, two ? 2 : 1, n, y0, ldy);
  }
}

/* Cache blocking (Goto's order): a KC x NC block of B is packed into 8-column panels
 * (256 KiB, L2) and an MC x KC block of A (128 KiB, L2) is swept over it one 4-row strip
 * (L1) at a time per 8-column panel (L1). A is used in place when its rows are contiguous,
 * else (transposed A) packed into 4-row strips first. Both buffers are static: the module's
 * own data, single-threaded like the module. */
#ifndef MC
#define MC 64
#endif
static float bpanel[KC * NC] __attribute__((aligned(16)));
static float apanel[MC * KC] __attribute__((aligned(16)));

/* panel[l*8 + c] = B(l, c) = b[l*b_ks + c*b_ns] for l < kc, c < nr; zeros past nr */
static void pack_b(size_t nr, size_t kc, const float* b, ptrdiff_t b_ks, ptrdiff_t b_ns,
                   float* panel) {
  if (b_ks == 1) {
    wt_pack_wt8(nr, kc, b, b_ns, panel);
  } else if (b_ns == 1 && nr == WT_NR) {
    for (size_t l = 0; l < kc; l++, b += b_ks, panel += WT_NR) {
      wasm_v128_store(panel, wasm_v128_load(b));
      wasm_v128_store(panel + 4, wasm_v128_load(b + 4));
    }
  } else {
    for (size_t l = 0; l < kc; l++, b += b_ks, panel += WT_NR)
      for (size_t c = 0; c < WT_NR; c++) panel[c] = c < nr ? b[(ptrdiff_t)c * b_ns] : 0.0f;
  }
}

/* strip[l*4 + r] = A(r, l) for r < mr (rows past mr repeat the last), l < kc */
static void pack_a(size_t mr, size_t kc, const float* a, ptrdiff_t a_rs, ptrdiff_t a_cs,
                   float* strip) {
  if (a_rs == 1 && mr == WT_MR) {
    for (size_t l = 0; l < kc; l++, a += a_cs, strip += WT_MR)
      wasm_v128_store(strip, wasm_v128_load(a));
  } else {
    for (size_t l = 0; l < kc; l++, a += a_cs, strip += WT_MR)
      for (size_t r = 0; r < WT_MR; r++) strip[r] = a[(ptrdiff_t)(r < mr ? r : mr - 1) * a_rs];
  }
}

/* C[m, n] = act(A @ B + bias), B(l, j) = b[l*b_ks + j*b_ns]; shared with f32_gemm_4x8 */
void wt_gemm_blocked(size_t m, size_t n, size_t k, const float* a, ptrdiff_t a_rs,
                     ptrdiff_t a_cs, const float* b, ptrdiff_t b_ks, ptrdiff_t b_ns,
                     const float* bias, float* c, ptrdiff_t ldc, int act) {
  if (k == 0) {
    for (size_t i = 0; i < m; i++)
      for (size_t j = 0; j < n; j++) c[(ptrdiff_t)i * ldc + j] = bias ? bias[j] : 0.0f;
    act_rows(act, m, n, c, ldc);
    return;
  }
  const int pack_rows = a_cs != 1;
  for (size_t j0 = 0; j0 < n; j0 += NC) {
    const size_t nc = wt_min_size(NC, n - j0);
    for (size_t l0 = 0; l0 < k; l0 += KC) {
      const size_t kc = wt_min_size(KC, k - l0);
      const int init = l0 > 0 ? WT_INIT_LOAD_C : bias ? WT_INIT_BIAS : WT_INIT_ZERO;
      for (size_t jj = 0; jj < nc; jj += WT_NR)
        pack_b(wt_min_size(WT_NR, nc - jj), kc, b + (ptrdiff_t)l0 * b_ks + (ptrdiff_t)(j0 + jj) * b_ns,
               b_ks, b_ns, bpanel + jj * kc);
      for (size_t i0 = 0; i0 < m; i0 += MC) {
        const size_t mc = wt_min_size(MC, m - i0);
        const float* ab = a + (ptrdiff_t)i0 * a_rs + (ptrdiff_t)l0 * a_cs;
        if (pack_rows)
          for (size_t ii = 0; ii < mc; ii += WT_MR)
            pack_a(wt_min_size(WT_MR, mc - ii), kc, ab + (ptrdiff_t)ii * a_rs, a_rs, a_cs,
                   apanel + ii * kc);
        for (size_t jj = 0; jj < nc; jj += WT_NR) {
          const size_t nr = wt_min_size(WT_NR, nc - jj);
          float* cb = c + (ptrdiff_t)i0 * ldc + j0 + jj;
          const float* bb = bias ? bias + j0 + jj : bias;
          for (size_t ii = 0; ii < mc; ii += WT_MR) {
            const size_t mr = wt_min_size(WT_MR, mc - ii);
            if (pack_rows)
              wt_ukernel(mr, nr, kc, apanel + ii * kc, 1, WT_MR, bpanel + jj * kc, WT_NR, 1,
                         cb + (ptrdiff_t)ii * ldc, ldc, init, bb);
            else
              wt_ukernel(mr, nr, kc, ab + (ptrdiff_t)ii * a_rs, a_rs, 1, bpanel + jj * kc,
                         WT_NR, 1, cb + (ptrdiff_t)ii * ldc, ldc, init, bb);
          }
        }
        if (l0 + kc == k) act_rows(act, mc, nc, c + (ptrdiff_t)i0 * ldc + j0, ldc);
      }
    }
  }
}

WT_EXPORT void WT_SYM(f32_linear_4x8)(size_t batch, size_t m, size_t n, size_t k,
                                      const float* x, int32_t x_bs, int32_t x_rs,
                                      int32_t x_cs, const float* w, int32_t w_bs,
                                      int32_t ldw, const float* bias, int32_t has_bias,
                                      float* y, int32_t y_bs, int32_t ldy, int32_t act) {
  const float* b = has_bias ? bias : 0;
  for (size_t p = 0; p < batch; p++) {
    const float* xp = x + (ptrdiff_t)p * x_bs;
    const float* wp = w + (ptrdiff_t)p * w_bs;
    float* yp = y + (ptrdiff_t)p * y_bs;
    if (m < DOT_M && (x_cs == 1 || k <= 1))
      dot_form(m, n, k, xp, x_rs, wp, ldw, b, yp, ldy, act);
    else
      wt_gemm_blocked(m, n, k, xp, x_rs, x_cs, wp, 1, ldw, b, yp, ldy, act);
  }
}
