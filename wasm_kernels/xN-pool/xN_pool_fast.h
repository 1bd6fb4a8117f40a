/* Vector paths of max_pool2d (no indices) for float32 / float16 / bfloat16, on the raw bits,
 * no conversion; included by xN_pool_wasmsimd.c, whose row kernels (f32_rows, f16_rows,
 * bf16_rows) take every other geometry. Same results as torch's loop: the first maximum in
 * row-major order (-0.0 vs 0.0), a NaN wins (the last one).
 *  - pairs (2-wide, stride-2 windows, no column padding, the common CNN case): 8 outputs of
 *    halves per step, each window row a max of its (even, odd) columns, rows folded in
 *    registers. Order keys: sign-magnitude as two's complement (-0.0 and 0.0 tie), NaN above
 *    every number, so "take v" is key(v) > min(key(m), key(inf)).
 *  - wide (windows of >= 1 vector per row, no dilation: adaptive pooling's equal windows):
 *    three integer reductions per vector of bits: signed max (the largest positive), unsigned
 *    min (the negative nearest zero), unsigned max (negative NaNs). Their lanes give the
 *    window's maximum when it is unique by value; a window whose maximum is 0 (which zero
 *    comes first?) or that holds a NaN (which one is last?) is rescanned in order. */
#pragma once

/* minsize: the loops are written in vectors; it keeps clang from unrolling the scalar tails */
WT_SMALL_BEGIN

/* a splat the engine keeps in a register (V8 re-materialises v128 constants in loops) */
#define WT_PK16(c) ({ v128_t k_ = wasm_i16x8_splat((int16_t)(c)); __asm__("" : "+r"(k_)); k_; })
#define WT_PK32(c) ({ v128_t k_ = wasm_i32x4_splat((int32_t)(c)); __asm__("" : "+r"(k_)); k_; })

static inline __attribute__((always_inline)) v128_t h16_okey(v128_t h, v128_t m7f, v128_t inf) {
  const v128_t mag = wasm_v128_and(h, m7f);
  const v128_t s = wasm_v128_andnot(wasm_i16x8_shr(h, 15), wasm_i16x8_gt(mag, inf));
  return wasm_i16x8_sub(wasm_v128_xor(mag, s), s);
}

/* m, km <- the max of 8 windows' (even, odd) columns of row r */
static inline __attribute__((always_inline)) void h16_pair(const uint16_t* r, v128_t m7f, v128_t inf, v128_t* m, v128_t* km) {
  const v128_t a = wasm_v128_load(r), b = wasm_v128_load(r + 8);
  const v128_t e = wasm_i16x8_shuffle(a, b, 0, 2, 4, 6, 8, 10, 12, 14);
  const v128_t o = wasm_i16x8_shuffle(a, b, 1, 3, 5, 7, 9, 11, 13, 15);
  const v128_t ke = h16_okey(e, m7f, inf), ko = h16_okey(o, m7f, inf);
  *m = wasm_v128_bitselect(o, e, wasm_i16x8_gt(ko, wasm_i16x8_min(ke, inf)));
  *km = wasm_i16x8_max(ke, ko);   /* a NaN's key stays above inf: all that is compared later */
}

static void h16_pairs(uint16_t inf_bits, size_t planes, ptrdiff_t H, ptrdiff_t W, ptrdiff_t OH,
                      ptrdiff_t OW, ptrdiff_t KH, ptrdiff_t SH, ptrdiff_t PH, ptrdiff_t DH,
                      const uint16_t* x, uint16_t* y) {
  const v128_t m7f = WT_PK16(0x7FFF), inf = WT_PK16(inf_bits);
  const ptrdiff_t OW8 = OW & ~(ptrdiff_t)7;
  const int32_t ninf = -(int32_t)inf_bits;
  for (size_t p = 0; p < planes; p++, x += H * W)
    for (ptrdiff_t oy = 0; oy < OH; oy++, y += OW) {
      ptrdiff_t y0 = oy * SH - PH, y1 = y0 + (KH - 1) * DH + 1;
      while (y0 < 0) y0 += DH;
      if (y1 > H) y1 = H;
      const uint16_t* r0 = x + y0 * W;
      for (ptrdiff_t o = 0; o < OW8; o += 8) {
        v128_t m, km;
        h16_pair(r0 + 2 * o, m7f, inf, &m, &km);
        for (ptrdiff_t iy = y0 + DH; iy < y1; iy += DH) {
          v128_t v, kv;
          h16_pair(x + iy * W + 2 * o, m7f, inf, &v, &kv);
          m = wasm_v128_bitselect(v, m, wasm_i16x8_gt(kv, wasm_i16x8_min(km, inf)));
          km = wasm_i16x8_max(km, kv);
        }
        wasm_v128_store(y + o, m);
      }
      for (ptrdiff_t o = OW8; o < OW; o++) {   /* the last < 8 outputs: keys one by one */
        uint16_t m = 0;
        int32_t km = ninf - 1;   /* below -inf: the first value is taken */
        for (ptrdiff_t iy = y0; iy < y1; iy += DH)
          for (ptrdiff_t k = 0; k < 2; k++) {
            const uint16_t v = x[iy * W + 2 * o + k];
            const int32_t mag = v & 0x7FFF, kv = mag > inf_bits ? 0x10000 : v >> 15 ? -mag : mag;
            if (kv > km || kv == 0x10000) m = v, km = kv;
          }
        y[o] = m;
      }
    }
}

/* the wide windows' maximum: U the bits' type, L lanes, KEY/ISNAN the exact rescan's order */
#define DEFINE_WIDE_MAX(name, U, S, L, MAXS, MINU, MAXU, SPLAT, KEY, ISNAN)                     \
  static void name(U INF, size_t planes, ptrdiff_t H, ptrdiff_t W, ptrdiff_t OH, ptrdiff_t OW,        \
                   ptrdiff_t KH, ptrdiff_t KW, ptrdiff_t SH, ptrdiff_t SW, ptrdiff_t PH,        \
                   ptrdiff_t PW, ptrdiff_t DH, const U* x, U* y) {                             \
    const U SIGN = (U)1 << (sizeof(U) * 8 - 1);                                                \
    for (size_t p = 0; p < planes; p++, x += H * W)                                            \
      for (ptrdiff_t oy = 0; oy < OH; oy++)                                                    \
        for (ptrdiff_t ox = 0; ox < OW; ox++, y++) {                                           \
          ptrdiff_t y0 = oy * SH - PH, x0 = ox * SW - PW;                                      \
          ptrdiff_t y1 = y0 + (KH - 1) * DH + 1, x1 = x0 + KW;                                 \
          while (y0 < 0) y0 += DH;                                                             \
          if (x0 < 0) x0 = 0;                                                                  \
          if (y1 > H) y1 = H;                                                                  \
          if (x1 > W) x1 = W;                                                                  \
          v128_t pm = SPLAT(SIGN), nm = SPLAT(-1), um = SPLAT(0);                              \
          U lp[L + 1], ln[L + 1], lu[L + 1];                                                   \
          lp[L] = SIGN, ln[L] = (U)-1, lu[L] = 0;                                              \
          for (ptrdiff_t iy = y0; iy < y1; iy += DH) {                                         \
            const U* r = x + iy * W;                                                           \
            ptrdiff_t ix = x0;                                                                 \
            for (; ix + L <= x1; ix += L) {                                                    \
              const v128_t v = wasm_v128_load(r + ix);                                         \
              pm = MAXS(pm, v), nm = MINU(nm, v), um = MAXU(um, v);                            \
            }                                                                                  \
            for (; ix < x1; ix++) {                                                            \
              const U b = r[ix];                                                               \
              if ((S)b > (S)lp[L]) lp[L] = b;                                                  \
              if (b < ln[L]) ln[L] = b;                                                        \
              if (b > lu[L]) lu[L] = b;                                                        \
            }                                                                                  \
          }                                                                                    \
          wasm_v128_store(lp, pm), wasm_v128_store(ln, nm), wasm_v128_store(lu, um);           \
          for (int i = 0; i < L; i++) {                                                        \
            if ((S)lp[i] > (S)lp[L]) lp[L] = lp[i];                                            \
            if (ln[i] < ln[L]) ln[L] = ln[i];                                                  \
            if (lu[i] > lu[L]) lu[L] = lu[i];                                                  \
          }                                                                                    \
          const S top = (S)lp[L];                                                              \
          if (top > 0 && top <= (S)INF && lu[L] <= (SIGN | INF)) {                             \
            *y = lp[L];                                                                        \
          } else if (top < 0 && lu[L] <= (SIGN | INF)) {                                       \
            *y = ln[L]; /* all negative: the one nearest zero (-0.0 included) */               \
          } else {      /* max 0 or a NaN: torch's order, one by one */                        \
            U m = x[y0 * W + x0];                                                              \
            for (ptrdiff_t iy = y0; iy < y1; iy += DH)                                         \
              for (ptrdiff_t ix = x0; ix < x1; ix++) {                                         \
                const U v = x[iy * W + ix];                                                    \
                if (KEY(v) > KEY(m) || ISNAN(v)) m = v;                                        \
              }                                                                                \
            *y = m;                                                                            \
          }                                                                                    \
        }                                                                                      \
  }

#define WT_F32B_NAN(b) (((b) & 0x7FFFFFFFu) > 0x7F800000u)
#define WT_F32B_KEY(b)                                                                         \
  (WT_F32B_NAN(b) ? (int64_t)1 << 40                                                           \
                  : (b) >> 31 ? -(int64_t)((b) & 0x7FFFFFFFu) : (int64_t)((b) & 0x7FFFFFFFu))
#define WT_SPLAT16(c) wasm_i16x8_splat((int16_t)(c))
#define WT_SPLAT32(c) wasm_i32x4_splat((int32_t)(c))
DEFINE_WIDE_MAX(h16_wide, uint16_t, int16_t, 8, wasm_i16x8_max, wasm_u16x8_min, wasm_u16x8_max,
                WT_SPLAT16, WT_H16_KEY, WT_H16_NAN)
DEFINE_WIDE_MAX(f32_wide, uint32_t, int32_t, 4, wasm_i32x4_max, wasm_u32x4_min, wasm_u32x4_max,
                WT_SPLAT32, WT_F32B_KEY, WT_F32B_NAN)

/* the exported max_pool2d (no indices) of float32 / float16 / bfloat16: wide windows, pairs,
 * else the row kernel */
#define DEFINE_MAX_POOL_FAST(name, T, U, WIDE, MINW, INF, PAIRS, ROWS)                           \
  WT_EXPORT void WT_SYM(name)(size_t planes, size_t h, size_t w, size_t oh, size_t ow,         \
                              size_t kh, size_t kw, size_t sh, size_t sw, size_t ph,           \
                              size_t pw, size_t dh, size_t dw, const T* x, T* y, T* t) {       \
    if (dw == 1 && kw >= MINW) {                                                               \
      WIDE(INF, planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, (const U*)x, (U*)y);              \
    } else if (PAIRS && kw == 2 && sw == 2 && dw == 1 && pw == 0 && 2 * ow <= w) {         \
      h16_pairs(INF, planes, h, w, oh, ow, kh, sh, ph, dh, (const uint16_t*)x,           \
                (uint16_t*)y);                                                                 \
    } else {                                                                                   \
      ROWS(INF, planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, x, y, t);                     \
    }                                                                                          \
  }

DEFINE_MAX_POOL_FAST(f32_max_pool2d_rows, float, uint32_t, f32_wide, 8, 0x7F800000u, 0, f32_rows)
DEFINE_MAX_POOL_FAST(f16_max_pool2d, uint16_t, uint16_t, h16_wide, 16, 0x7C00, 1, h16_rows)
DEFINE_MAX_POOL_FAST(bf16_max_pool2d, uint16_t, uint16_t, h16_wide, 16, 0x7F80, 1, h16_rows)

WT_SMALL_END
