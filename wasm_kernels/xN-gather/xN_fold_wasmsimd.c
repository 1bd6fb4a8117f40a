/* F.fold (col2im): the columns of sliding blocks summed back into the image:
 *   void wt_<dt>_fold_<isa>(size_t planes, size_t H, size_t W, const int32_t* geo,
 *                           const T* col, T* y, int32_t* status)
 *   dt: f32 f64 f16 bf16 b8 (bool); geo = {kh, kw, dh, dw, ph, pw, sh, sw, oh, ow}
 * col is contiguous [planes, kh, kw, oh, ow], y is contiguous [planes, H, W]:
 *   y[p, oy * sh - ph + ki * dh, ox * sw - pw + kj * dw] += col[p, ki, kj, oy, ox]
 * over the positions inside the image, starting from zero, each pixel's terms in (ki, kj)
 * order: torch's col2im loop. One output row at a time in a row buffer of the accumulation
 * type (float for float16/bfloat16, which round once at the end, like webtensor's scatter_add;
 * bool: or). Rows or block rows wider than WT_FOLD_ROW: status[0] = -2 and nothing written;
 * otherwise -1.
 */
#include "wt_common.h"
#include "wt_index.h"

#define WT_FOLD_ROW 4096

#define WT_ADD(a, b) ((a) + (b))
#define WT_OR(a, b) ((a) | (b))
/* a row of n column values as the accumulation type (halves: converted into tmp) */
#define WT_SAME_IN(src, tmp, n, bf) (src)
#define WT_HALF_IN(src, tmp, n, bf) (wt_halves_to_f32(src, tmp, n, bf), tmp)
#define WT_SAME_OUT(buf, dst, n, bf) for (size_t i = 0; i < (n); i++) (dst)[i] = (buf)[i]
#define WT_HALF_OUT(buf, dst, n, bf) wt_f32_to_halves(buf, dst, n, bf)

#define DEFINE_FOLD(dt, T, A, OP, IN, OUT, BF)                                                 \
  WT_EXPORT void WT_SYM(dt##_fold)(size_t planes, size_t H, size_t W, const int32_t* geo,     \
                                   const T* col, T* y, int32_t* status) {                     \
    const size_t kh = geo[0], kw = geo[1], dh = geo[2], dw = geo[3], ph = geo[4],             \
                 pw = geo[5], sh = geo[6], sw = geo[7], oh = geo[8], ow = geo[9];             \
    status[0] = W > WT_FOLD_ROW || ow > WT_FOLD_ROW ? -2 : -1;                                \
    if (status[0] == -2) return;                                                              \
    static A buf[WT_FOLD_ROW], tmp[WT_FOLD_ROW];                                              \
    (void)tmp;                                                                                \
    for (size_t p = 0; p < planes; p++, col += kh * kw * oh * ow, y += H * W) {               \
      for (size_t r = 0; r < H; r++) {                                                        \
        for (size_t x = 0; x < W; x++) buf[x] = 0;                                            \
        for (size_t ki = 0; ki < kh; ki++) {                                                  \
          const size_t t = r + ph - ki * dh; /* oy * sh, wrapped if negative */               \
          if (r + ph < ki * dh || t % sh || t / sh >= oh) continue;                           \
          for (size_t kj = 0; kj < kw; kj++) {                                                \
            const A* c = IN(col + ((ki * kw + kj) * oh + t / sh) * ow, tmp, ow, BF);          \
            /* x = ox * sw + kj * dw - pw inside [0, W) */                                    \
            const size_t off = kj * dw;                                                       \
            size_t lo = off < pw ? (pw - off + sw - 1) / sw : 0;                              \
            if (W + pw <= off) continue;                                                      \
            const size_t hi = wt_min_size(ow, (W - 1 + pw - off) / sw + 1);                   \
            A* b = buf + off - pw; /* b[ox * sw]: may point before buf, only used >= lo */    \
            if (sw == 1) {                                                                    \
              for (; lo < hi; lo++) b[lo] = OP(b[lo], c[lo]);                                 \
            } else {                                                                          \
              for (; lo < hi; lo++) b[lo * sw] = OP(b[lo * sw], c[lo]);                       \
            }                                                                                 \
          }                                                                                   \
        }                                                                                     \
        OUT(buf, y + r * W, W, BF);                                                           \
      }                                                                                       \
    }                                                                                         \
  }

WT_SMALL_BEGIN
DEFINE_FOLD(f32, float, float, WT_ADD, WT_SAME_IN, WT_SAME_OUT, 0)
DEFINE_FOLD(f64, double, double, WT_ADD, WT_SAME_IN, WT_SAME_OUT, 0)
DEFINE_FOLD(b8, uint8_t, uint8_t, WT_OR, WT_SAME_IN, WT_SAME_OUT, 0)
DEFINE_FOLD(f16, uint16_t, float, WT_ADD, WT_HALF_IN, WT_HALF_OUT, 0)
DEFINE_FOLD(bf16, uint16_t, float, WT_ADD, WT_HALF_IN, WT_HALF_OUT, 1)
WT_SMALL_END
