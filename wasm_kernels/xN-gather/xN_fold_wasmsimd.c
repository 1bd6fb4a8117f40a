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

#define DEFINE_FOLD(dt, T, A, OP, IN, ROW, OUT, BF)                                         \
  WT_EXPORT void WT_SYM(dt##_fold)(size_t planes, size_t H, size_t W, const int32_t* geo,     \
                                   const T* col, T* y, int32_t* status) {                     \
    const size_t kh = geo[0], kw = geo[1], dh = geo[2], dw = geo[3], ph = geo[4],             \
                 pw = geo[5], sh = geo[6], sw = geo[7], oh = geo[8], ow = geo[9];             \
    status[0] = W > WT_FOLD_ROW || ow > WT_FOLD_ROW ? -2 : -1;                                \
    if (status[0] == -2) return;                                                              \
    static A buf[WT_FOLD_ROW], tmp[WT_FOLD_ROW];                                              \
    (void)tmp, (void)buf;                                                                     \
    for (size_t p = 0; p < planes; p++, col += kh * kw * oh * ow, y += H * W) {               \
      for (size_t r = 0; r < H; r++) {                                                        \
        A* row = ROW(buf, y + r * W);                                                         \
        zero_bytes((uint8_t*)row, W * sizeof(A));                                             \
        for (size_t ki = 0; ki < kh; ki++) {                                                  \
          const size_t t = r + ph - ki * dh; /* oy * sh, wrapped if negative */               \
          if (r + ph < ki * dh || t % sh || t / sh >= oh) continue;                           \
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

WT_SMALL_BEGIN
DEFINE_FOLD(f32, float, float, WT_ADD, WT_SAME_IN, WT_SAME_ROW, WT_SAME_OUT, 0)
DEFINE_FOLD(f64, double, double, WT_ADD, WT_SAME_IN, WT_SAME_ROW, WT_SAME_OUT, 0)
WT_SMALL_END
/* full optimisation: under minsize the halves' and bool's row loops ran at 15-40x the
 * memory time (issue 15's cliff table) */
DEFINE_FOLD(b8, uint8_t, uint8_t, WT_OR, WT_SAME_IN, WT_SAME_ROW, WT_SAME_OUT, 0)
DEFINE_FOLD(f16, uint16_t, float, WT_ADD, WT_HALF_IN, WT_HALF_ROW, WT_HALF_OUT, 0)
DEFINE_FOLD(bf16, uint16_t, float, WT_ADD, WT_HALF_IN, WT_HALF_ROW, WT_HALF_OUT, 1)
