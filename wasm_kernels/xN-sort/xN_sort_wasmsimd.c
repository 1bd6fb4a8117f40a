/* Stable sort of contiguous rows (sort / argsort / msort / topk), LSD radix on order-preserving
 * unsigned keys, 8 bits a pass:
 *   void wt_<dt>_sort_<isa>(size_t rows, size_t n, size_t descending, const T* x, T* values,
 *                           int64_t* indices, uint8_t* scratch)
 * scratch holds 2 * n keys and 2 * n uint32 positions (the caller sizes it: n * (2 * sizeof(K)
 * + 8) bytes). Like torch (and the reference backend): NaN sorts above everything, -0.0 and
 * +0.0 are equal, equal keys keep their order, descending included (the keys are
 * complemented, not the comparison). A pass whose digit is the same for every key is skipped,
 * so small-range integers take few passes. values[i] = x[indices[i]] (bit-exact). n < 2**32.
 */
#include "wt_common.h"

WT_SMALL_BEGIN

static inline uint32_t key_f32(float v) {
  if (v != v) return 0xFFFFFFFFu;
  if (v == 0.0f) v = 0.0f;                                    /* -0.0 == +0.0 */
  uint32_t u;
  __builtin_memcpy(&u, &v, 4);
  return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}
static inline uint64_t key_f64(double v) {
  if (v != v) return ~(uint64_t)0;
  if (v == 0.0) v = 0.0;
  uint64_t u;
  __builtin_memcpy(&u, &v, 8);
  return (u >> 63) ? ~u : (u | ((uint64_t)1 << 63));
}
static inline uint32_t key_i32(int32_t v) { return (uint32_t)v ^ 0x80000000u; }
static inline uint64_t key_i64(int64_t v) { return (uint64_t)v ^ ((uint64_t)1 << 63); }

#define DEFINE_SORT(dt, T, K)                                                               \
  WT_EXPORT void WT_SYM(dt##_sort)(size_t rows, size_t n, size_t descending, const T* x,    \
                                   T* values, int64_t* indices, uint8_t* scratch) {         \
    const K flip = descending ? (K)~(K)0 : (K)0;                                            \
    for (size_t r = 0; r < rows; r++, x += n, values += n, indices += n) {                  \
      K* ka = (K*)scratch;                                                                  \
      K* kb = ka + n;                                                                       \
      uint32_t* ia = (uint32_t*)(kb + n);                                                   \
      uint32_t* ib = ia + n;                                                                \
      for (size_t i = 0; i < n; i++) ka[i] = key_##dt(x[i]) ^ flip, ia[i] = (uint32_t)i;   \
      for (unsigned shift = 0; shift < 8 * sizeof(K); shift += 8) {                         \
        uint32_t count[256] = {0};                                                          \
        for (size_t i = 0; i < n; i++) count[(ka[i] >> shift) & 255]++;                    \
        if (n == 0 || count[(ka[0] >> shift) & 255] == n) continue;                         \
        uint32_t sum = 0;                                                                   \
        for (unsigned d = 0; d < 256; d++) {                                                \
          const uint32_t c = count[d];                                                      \
          count[d] = sum;                                                                   \
          sum += c;                                                                         \
        }                                                                                   \
        for (size_t i = 0; i < n; i++) {                                                    \
          const uint32_t p = count[(ka[i] >> shift) & 255]++;                               \
          kb[p] = ka[i];                                                                    \
          ib[p] = ia[i];                                                                    \
        }                                                                                   \
        K* tk = ka; ka = kb; kb = tk;                                                       \
        uint32_t* ti = ia; ia = ib; ib = ti;                                                \
      }                                                                                     \
      for (size_t i = 0; i < n; i++) values[i] = x[ia[i]], indices[i] = (int64_t)ia[i];     \
    }                                                                                       \
  }

DEFINE_SORT(f32, float, uint32_t)
DEFINE_SORT(f64, double, uint64_t)
DEFINE_SORT(i32, int32_t, uint32_t)
DEFINE_SORT(i64, int64_t, uint64_t)

WT_SMALL_END
