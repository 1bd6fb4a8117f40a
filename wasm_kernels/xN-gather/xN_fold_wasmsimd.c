/* F.fold (col2im): the columns of sliding blocks summed back into the image:
 *   void wt_<dt>_fold_<isa>(size_t planes, size_t H, size_t W, const int32_t* geo,
 *                           const T* col, T* y, int32_t* status)
 *   dt: f32 f64 f16 bf16 b8 (bool); geo = {kh, kw, dh, dw, ph, pw, sh, sw, oh, ow}
 * col is contiguous [planes, kh, kw, oh, ow], y is contiguous [planes, H, W]:
 *   y[p, oy * sh - ph + ki * dh, ox * sw - pw + kj * dw] += col[p, ki, kj, oy, ox]
 * over the positions inside the image, starting from zero, each pixel's terms in (ki, kj)
 * order: torch's col2im loop. One output row at a time, summed in place (float16/bfloat16:
 * in a float row, rounded once at the end like webtensor's scatter_add; bool: or). Rows or
 * block rows wider than WT_FOLD_ROW: status[0] = -2 and nothing written (the caller's
 * composite runs instead); otherwise -1.
 */
#include "wt_common.h"
#include "wt_index.h"

#define WT_FOLD_ROW 4096

#define WT_ADD(a, b) ((a) + (b))
#define WT_OR(a, b) ((a) | (b))
/* a row of n column values as the accumulation type (halves: converted into tmp) */
#define WT_SAME_IN(src, tmp, n, bf) (src)
#define WT_HALF_IN(src, tmp, n, bf) (wt_halves_to_f32(src, tmp, n, bf), tmp)
/* the row to sum into (the output row itself when T is the accumulation type) and its store */
#define WT_SAME_ROW(buf, dst) (dst)
#define WT_HALF_ROW(buf, dst) (buf)
#define WT_SAME_OUT(buf, dst, n, bf)
#define WT_HALF_OUT(buf, dst, n, bf) wt_f32_to_halves(buf, dst, n, bf)

static void zero_bytes(uint8_t* p, size_t nb) {
  size_t i = 0;
  for (; i + 16 <= nb; i += 16) wasm_v128_store(p + i, wasm_i32x4_splat(0));
  for (; i < nb; i++) p[i] = 0;
}

/* 2-wide, stride-2 blocks (kw == sw == 2, no dilation or padding along the row): the two
 * column rows of a block row interleave into the output row, q[2o + j] op= c_j[o], so
 * they are zipped a vector at a time instead of two stride-2 scalar loops */
#define DEFINE_ZIP(name, A, L, SHUF_LO, SHUF_HI, VOP, OP)                                       \
  static __attribute__((noinline, minsize)) void name(A* q, const A* a, const A* b, size_t n) { \
    size_t o = 0;                                                                            \
    for (; o + L <= n; o += L) {                                                             \
      const v128_t x = wasm_v128_load(a + o), z = wasm_v128_load(b + o);                     \
      wasm_v128_store(q + 2 * o, VOP(wasm_v128_load(q + 2 * o), SHUF_LO(x, z)));             \
      wasm_v128_store(q + 2 * o + L, VOP(wasm_v128_load(q + 2 * o + L), SHUF_HI(x, z)));     \
    }                                                                                        \
    for (; o < n; o++) q[2 * o] = OP(q[2 * o], a[o]), q[2 * o + 1] = OP(q[2 * o + 1], b[o]);  \
  }
#define ZIP32_LO(x, z) wasm_i32x4_shuffle(x, z, 0, 4, 1, 5)
#define ZIP32_HI(x, z) wasm_i32x4_shuffle(x, z, 2, 6, 3, 7)
#define ZIP64_LO(x, z) wasm_i64x2_shuffle(x, z, 0, 2)
#define ZIP64_HI(x, z) wasm_i64x2_shuffle(x, z, 1, 3)
#define ZIP8_LO(x, z) \
  wasm_i8x16_shuffle(x, z, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23)
#define ZIP8_HI(x, z) \
  wasm_i8x16_shuffle(x, z, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31)
DEFINE_ZIP(zip_f32, float, 4, ZIP32_LO, ZIP32_HI, wasm_f32x4_add, WT_ADD)
DEFINE_ZIP(zip_f64, double, 2, ZIP64_LO, ZIP64_HI, wasm_f64x2_add, WT_ADD)
DEFINE_ZIP(zip_b8, uint8_t, 16, ZIP8_LO, ZIP8_HI, wasm_v128_or, WT_OR)

/* dt##_fold_body(..., BF): BF tells bfloat16 from float16 (one body for both halves) */
#define DEFINE_FOLD(dt, T, A, OP, IN, ROW, OUT, ZIP)                                        \
  static __attribute__((noinline)) void dt##_fold_body(size_t planes, size_t H, size_t W,    \
      const int32_t* geo, const T* col, T* y, int32_t* status, __attribute__((unused)) int BF) { \
    const size_t kh = geo[0], kw = geo[1], dh = geo[2], dw = geo[3], ph = geo[4],             \
                 pw = geo[5], sh = geo[6], sw = geo[7], oh = geo[8], ow = geo[9];             \
    status[0] = W > WT_FOLD_ROW || ow > WT_FOLD_ROW ? -2 : -1;                                \
    if (status[0] == -2) return;                                                              \
    static A buf[WT_FOLD_ROW], tmp[WT_FOLD_ROW], tmp2[WT_FOLD_ROW];                           \
    (void)tmp, (void)tmp2, (void)buf;                                                         \
    const int zip = kw == 2 && sw == 2 && dw == 1 && pw == 0 && 2 * ow <= W;                  \
    for (size_t p = 0; p < planes; p++, col += kh * kw * oh * ow, y += H * W) {               \
      for (size_t r = 0; r < H; r++) {                                                        \
        A* row = ROW(buf, y + r * W);                                                         \
        zero_bytes((uint8_t*)row, W * sizeof(A));                                             \
        for (size_t ki = 0; ki < kh; ki++) {                                                  \
          const size_t t = r + ph - ki * dh; /* oy * sh, wrapped if negative */               \
          if (r + ph < ki * dh || t % sh || t / sh >= oh) continue;                           \
          if (zip) {                                                                          \
            const T* c = col + (ki * 2 * oh + t / sh) * ow;                                   \
            ZIP(row, IN(c, tmp, ow, BF), IN(c + oh * ow, tmp2, ow, BF), ow);                  \
            continue;                                                                         \
          }                                                                                   \
          for (size_t kj = 0; kj < kw; kj++) {                                                \
            const A* c = IN(col + ((ki * kw + kj) * oh + t / sh) * ow, tmp, ow, BF);          \
            /* x = ox * sw + kj * dw - pw inside [0, W) */                                    \
            const size_t off = kj * dw;                                                       \
            const size_t lo = off < pw ? (pw - off + sw - 1) / sw : 0;                        \
            if (W + pw <= off) continue;                                                      \
            const size_t hi = wt_min_size(ow, (W - 1 + pw - off) / sw + 1);                   \
            A* q = row + off - pw + lo * sw; /* x of ox = lo */                                \
            for (const A* v = c + lo; v < c + hi; v++, q += sw) *q = OP(*q, *v);              \
          }                                                                                   \
        }                                                                                     \
        OUT(row, y + r * W, W, BF);                                                           \
      }                                                                                       \
    }                                                                                         \
  }

#define FOLD_EXPORT(dt, body, T, bf)                                                          \
  WT_EXPORT void WT_SYM(dt##_fold)(size_t planes, size_t H, size_t W, const int32_t* geo,     \
                                   const T* col, T* y, int32_t* status) {                     \
    body(planes, H, W, geo, col, y, status, bf);                                              \
  }

WT_SMALL_BEGIN
DEFINE_FOLD(f32, float, float, WT_ADD, WT_SAME_IN, WT_SAME_ROW, WT_SAME_OUT, zip_f32)
DEFINE_FOLD(f64, double, double, WT_ADD, WT_SAME_IN, WT_SAME_ROW, WT_SAME_OUT, zip_f64)
FOLD_EXPORT(f32, f32_fold_body, float, 0)
FOLD_EXPORT(f64, f64_fold_body, double, 0)
WT_SMALL_END
/* full optimisation: under minsize the halves' and bool's row loops ran at 15-40x the
 * memory time (issue 15's cliff table) */
DEFINE_FOLD(b8, uint8_t, uint8_t, WT_OR, WT_SAME_IN, WT_SAME_ROW, WT_SAME_OUT, zip_b8)
DEFINE_FOLD(h16, uint16_t, float, WT_ADD, WT_HALF_IN, WT_HALF_ROW, WT_HALF_OUT, zip_f32)
WT_SMALL_BEGIN
FOLD_EXPORT(b8, b8_fold_body, uint8_t, 0)
FOLD_EXPORT(f16, h16_fold_body, uint16_t, 0)
FOLD_EXPORT(bf16, h16_fold_body, uint16_t, 1)
WT_SMALL_END
