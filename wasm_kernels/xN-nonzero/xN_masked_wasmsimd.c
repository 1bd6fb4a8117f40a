/* masked_select / masked_scatter: one pass over a bool mask, elements of 1/2/4/8 bytes:
 *   void wt_x<bits>_masked_select(size_t n, size_t cap, const T* x, const uint8_t* mask, T* y)
 *     y = the x[i] whose mask[i] is nonzero, in order; at most cap written (the count pass,
 *     b8_nonzero_count, sizes y).
 *   void wt_x<bits>_masked_scatter(size_t n, size_t cap, const uint8_t* mask, const T* src,
 *                                  T* y)
 *     in place: y[i] = the next of src's cap elements where mask[i] is nonzero (the caller
 *     checked the count); y elsewhere unchanged.
 * G = min(8, 16 / sizeof(T)) elements at a time: the G mask bytes' bitmask picks a byte shuffle
 * from a table built on first use (select: the set lanes' positions, packed; scatter: each set
 * lane's rank among them), one swizzle moves the elements, one 16-byte store writes them
 * (scatter: blended into y by the mask). All-zero 16-byte runs of the mask are skipped; the
 * last elements (and the last 16 of y / src) go one at a time.
 */
#include "wt_common.h"

static uint8_t packed[256][8], rank[256][8], ready;

static void build_tables(void) {
  for (size_t b = 0; b < 256; b++) {
    size_t k = 0;
    for (size_t q = 0; q < 8; q++) {
      rank[b][q] = (uint8_t)k;
      if (b >> q & 1) packed[b][k++] = (uint8_t)q;
    }
  }
  ready = 1;
}

/* lane indices p (bytes 0..7) -> the byte shuffle of w-byte lanes (d: dup each index w times) */
static inline v128_t lane_bytes(v128_t p, size_t w, int add) {
  v128_t d;
  if (w == 1) return p;
  if (w == 2) d = wasm_i8x16_shuffle(p, p, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
  else if (w == 4) d = wasm_i8x16_shuffle(p, p, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
  else d = wasm_i8x16_shuffle(p, p, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
  if (!add) return d;
  const int sh = w == 2 ? 1 : w == 4 ? 2 : 3;
  return wasm_i8x16_add(wasm_i8x16_shl(d, sh),
                        wasm_v128_and(wasm_i8x16_make(0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5,
                                                       6, 7),
                                       wasm_i8x16_splat((int8_t)(w - 1))));
}

/* G elements' mask: (0xFF per set byte, its bitmask) */
static inline v128_t group_mask(const uint8_t* mask, size_t g, uint32_t* bits) {
  const v128_t raw = g == 8 ? wasm_v128_load64_zero(mask)
                     : g == 4 ? wasm_v128_load32_zero(mask)
                              : wasm_v128_load16_lane(mask, wasm_i8x16_splat(0), 0);
  const v128_t m = wasm_i8x16_ne(raw, wasm_i8x16_splat(0));
  *bits = (uint32_t)wasm_i8x16_bitmask(m) & ((1u << g) - 1);
  return m;
}

#define DEFINE_MASKED(bits, T)                                                              \
  WT_EXPORT void WT_SYM(x##bits##_masked_select)(size_t n, size_t cap, const T* x,          \
                                                 const uint8_t* mask, T* y) {               \
    const size_t G = sizeof(T) == 8 ? 2 : sizeof(T) == 4 ? 4 : 8, V = 16 / sizeof(T);       \
    if (!ready) build_tables();                                                             \
    size_t i = 0, j = 0;                                                                    \
    while (i + 16 <= n && j + V <= cap) {                                                   \
      if (!wasm_v128_any_true(wasm_v128_load(mask + i))) {                                  \
        i += 16;                                                                            \
        continue;                                                                           \
      }                                                                                     \
      for (size_t e = i + 16; i < e && j + V <= cap; i += G) {                              \
        uint32_t b;                                                                         \
        group_mask(mask + i, G, &b);                                                        \
        const v128_t s = lane_bytes(wasm_v128_load64_zero(packed[b]), sizeof(T), 1);        \
        const v128_t v = sizeof(T) == 1 ? wasm_v128_load64_zero(x + i)                      \
                                        : wasm_v128_load(x + i);                            \
        wasm_v128_store(y + j, wasm_i8x16_swizzle(v, s));                                   \
        j += (size_t)__builtin_popcount(b);                                                 \
      }                                                                                     \
    }                                                                                       \
    for (; i < n && j < cap; i++) {                                                         \
      y[j] = x[i];                                   /* written always, kept when set */    \
      j += mask[i] != 0;                                                                    \
    }                                                                                       \
  }                                                                                         \
  WT_EXPORT void WT_SYM(x##bits##_masked_scatter)(size_t n, size_t cap, const uint8_t* mask,\
                                                  const T* src, T* y) {                     \
    const size_t G = sizeof(T) == 8 ? 2 : sizeof(T) == 4 ? 4 : 8, V = 16 / sizeof(T);       \
    if (!ready) build_tables();                                                             \
    size_t i = 0, j = 0;                                                                    \
    while (i + 16 <= n && j + V <= cap) {                                                   \
      if (!wasm_v128_any_true(wasm_v128_load(mask + i))) {                                  \
        i += 16;                                                                            \
        continue;                                                                           \
      }                                                                                     \
      for (size_t e = i + 16; i < e && j + V <= cap; i += G) {                              \
        uint32_t b;                                                                         \
        const v128_t m = lane_bytes(group_mask(mask + i, G, &b), sizeof(T), 0);             \
        const v128_t s = lane_bytes(wasm_v128_load64_zero(rank[b]), sizeof(T), 1);          \
        const v128_t v = wasm_i8x16_swizzle(wasm_v128_load(src + j), s);                    \
        if (sizeof(T) == 1) {                                                               \
          const v128_t old = wasm_v128_load64_zero(y + i);                                  \
          wasm_v128_store64_lane(y + i, wasm_v128_bitselect(v, old, m), 0);                 \
        } else {                                                                            \
          wasm_v128_store(y + i, wasm_v128_bitselect(v, wasm_v128_load(y + i), m));         \
        }                                                                                   \
        j += (size_t)__builtin_popcount(b);                                                 \
      }                                                                                     \
    }                                                                                       \
    for (; i < n; i++) {                                                                    \
      if (!mask[i]) continue;                                                               \
      if (j == cap) return;                                                                 \
      y[i] = src[j++];                                                                      \
    }                                                                                       \
  }

DEFINE_MASKED(8, uint8_t)
DEFINE_MASKED(16, uint16_t)
DEFINE_MASKED(32, uint32_t)
DEFINE_MASKED(64, uint64_t)
