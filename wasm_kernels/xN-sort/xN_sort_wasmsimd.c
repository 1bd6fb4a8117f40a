/* Stable sort and unique of contiguous data, LSD radix on order-preserving unsigned keys
 * (8 bits a pass, every digit's histogram in one pass; a digit that is the same for every key
 * is skipped, so small-range integers take few passes). Keys: NaN above everything (floats:
 * all ones), -0.0 and +0.0 equal; float16/bfloat16 are read as their bits (uint16), bool as
 * uint8.
 *   void wt_<dt>_sort_<isa>(size_t rows, size_t n, size_t descending, const T* x, T* values,
 *                           int64_t* indices, uint8_t* scratch)
 *     sort / argsort / msort / topk: like torch (and the reference backend) equal keys keep
 *     their order, descending included (the keys are complemented, not the comparison);
 *     values[i] = x[indices[i]] (bit-exact). scratch: n * (2 * sizeof(K) + 8) + 8 bytes.
 *   void wt_<dt>_unique_<isa>(size_t n, size_t flags, const T* x, T* values, int64_t* inverse,
 *                             int64_t* counts, int64_t* nout, size_t cap, uint8_t* scratch)
 *     torch.unique(x.flatten(), sorted=True) of n >= 1 elements: the distinct values in order
 *     (each first occurrence's bits: -0.0 or +0.0; every NaN is its own value, in x's order),
 *     inverse[i] (flags bit 0) and counts (flags bit 1); nout[0] = how many. Keys whose range
 *     (NaN aside) is at most 2n + 256 are counted in a table (one pass, plus the inverse pass;
 *     a static one up to 2**16 keys, else in scratch), others radix sorted (with positions
 *     only for the inverse). values / counts hold n entries; scratch holds cap bytes: when
 *     that is short of n * (2 * sizeof(K) + 8) + 8 and the keys need it, nothing is written
 *     but nout[0] = -1 (call again with that much). n < 2**31.
 */
#include "wt_common.h"

/* branch-free (random signs): x + 0 turns -0.0 into +0.0, negatives complemented */
static inline uint32_t key_f32(float v) {
  uint32_t u;
  v += 0.0f;
  __builtin_memcpy(&u, &v, 4);
  const uint32_t k = u ^ ((uint32_t)((int32_t)u >> 31) | 0x80000000u);
  return v != v ? 0xFFFFFFFFu : k;
}
static inline uint64_t key_f64(double v) {
  uint64_t u;
  v += 0.0;
  __builtin_memcpy(&u, &v, 8);
  const uint64_t k = u ^ ((uint64_t)((int64_t)u >> 63) | ((uint64_t)1 << 63));
  return v != v ? ~(uint64_t)0 : k;
}
/* halves: NaN when the magnitude is above inf's bits */
static inline uint16_t key_half(uint16_t u, uint16_t inf) {
  const uint16_t mag = u & 0x7FFF;
  const uint16_t k = u ^ ((uint16_t)((int16_t)u >> 15) | 0x8000);
  return mag > inf ? 0xFFFF : mag == 0 ? 0x8000 : k;
}
static inline uint16_t key_f16(uint16_t u) { return key_half(u, 0x7C00); }
static inline uint16_t key_bf16(uint16_t u) { return key_half(u, 0x7F80); }
static inline uint32_t key_i32(int32_t v) { return (uint32_t)v ^ 0x80000000u; }
static inline uint64_t key_i64(int64_t v) { return (uint64_t)v ^ ((uint64_t)1 << 63); }
static inline uint16_t key_i16(int16_t v) { return (uint16_t)v ^ 0x8000u; }
static inline uint8_t key_i8(int8_t v) { return (uint8_t)v ^ 0x80u; }
static inline uint8_t key_u8(uint8_t v) { return v; }

/* a key back to its value (not for a NaN key; zero comes back +0.0) */
#define WT_FKEY_BACK(k, top, T, U)                                                          \
  U u = ((k) & (top)) ? (U)((k) & ~(top)) : (U)~(k);                                        \
  T v;                                                                                       \
  __builtin_memcpy(&v, &u, sizeof v);                                                       \
  return v;
static inline float back_f32(uint32_t k) { WT_FKEY_BACK(k, 0x80000000u, float, uint32_t) }
static inline double back_f64(uint64_t k) { WT_FKEY_BACK(k, (uint64_t)1 << 63, double, uint64_t) }
static inline uint16_t back_f16(uint16_t k) { WT_FKEY_BACK(k, 0x8000u, uint16_t, uint16_t) }
static inline uint16_t back_bf16(uint16_t k) { return back_f16(k); }
static inline int32_t back_i32(uint32_t k) { return (int32_t)(k ^ 0x80000000u); }
static inline int64_t back_i64(uint64_t k) { return (int64_t)(k ^ ((uint64_t)1 << 63)); }
static inline int16_t back_i16(uint16_t k) { return (int16_t)(k ^ 0x8000u); }
static inline int8_t back_i8(uint8_t k) { return (int8_t)(k ^ 0x80u); }
static inline uint8_t back_u8(uint8_t k) { return k; }

/* the min / max of 64-bit unsigned keys: scalar (wasm has no unsigned i64x2 compare) */
#define WT_NOVEC_uint64_t _Pragma("clang loop vectorize(disable)")
#define WT_NOVEC_uint32_t
#define WT_NOVEC_uint16_t
#define WT_NOVEC_uint8_t
#define WT_NOVEC(K) WT_NOVEC_##K

/* LSD radix of n keys ka (positions ia, or none when ia is 0) on the low `bits` bits of
 * k - lo (every key >= lo), with kb / ib as the other buffers; returns the buffer holding the
 * sorted keys, *iout their positions */
#define DEFINE_RADIX(K)                                                                     \
  static __attribute__((noinline)) K* lsd_##K(size_t n, K* ka, K* kb, uint32_t* ia,          \
                                              uint32_t* ib, K lo, unsigned bits,            \
                                              uint32_t** iout) {                            \
    const unsigned digits = (bits + 7) / 8;                                                 \
    uint32_t count[sizeof(K)][256];                                                         \
    __builtin_memset(count, 0, sizeof count);                                               \
    for (size_t i = 0; i < n; i++) {                                                        \
      const K k = ka[i] - lo;                                                               \
      for (unsigned d = 0; d < sizeof(K); d++)                                              \
        if (d < digits) count[d][(k >> (8 * d)) & 255]++;                                   \
    }                                                                                       \
    for (unsigned d = 0; d < digits; d++) {                                                 \
      uint32_t* c = count[d];                                                               \
      const unsigned shift = 8 * d;                                                         \
      if (n == 0 || c[((K)(ka[0] - lo) >> shift) & 255] == n) continue;                     \
      uint32_t sum = 0;                                                                     \
      for (unsigned b = 0; b < 256; b++) {                                                  \
        const uint32_t t = c[b];                                                            \
        c[b] = sum;                                                                         \
        sum += t;                                                                           \
      }                                                                                     \
      if (ia)                                                                               \
        for (size_t i = 0; i < n; i++) {                                                    \
          const uint32_t p = c[((K)(ka[i] - lo) >> shift) & 255]++;                         \
          kb[p] = ka[i];                                                                    \
          ib[p] = ia[i];                                                                    \
        }                                                                                   \
      else                                                                                  \
        for (size_t i = 0; i < n; i++) kb[c[((K)(ka[i] - lo) >> shift) & 255]++] = ka[i];   \
      K* tk = ka; ka = kb; kb = tk;                                                         \
      uint32_t* ti = ia; ia = ib; ib = ti;                                                  \
    }                                                                                       \
    *iout = ia;                                                                             \
    return ka;                                                                              \
  }                                                                                         \
  /* past WT_MSD_MIN keys spanning more than 16 bits of k - lo: a pass on the top 8 bits   \
   * first, then each bucket the same way (in cache once small) */                          \
  static __attribute__((noinline)) K* msd_##K(size_t n, K* ka, K* kb, uint32_t* ia,          \
                                              uint32_t* ib, K lo, unsigned bits,            \
                                              uint32_t** iout) {                            \
    if (n < WT_MSD_MIN || bits <= 16) return lsd_##K(n, ka, kb, ia, ib, lo, bits, iout);    \
    const unsigned shift = bits - 8;                                                        \
    uint32_t c[257] = {0};                                                                  \
    for (size_t i = 0; i < n; i++) c[((K)(ka[i] - lo) >> shift) & 255]++;                   \
    uint32_t sum = 0;                                                                       \
    for (unsigned b = 0; b < 256; b++) {                                                    \
      const uint32_t t = c[b];                                                              \
      c[b] = sum;                                                                           \
      sum += t;                                                                             \
    }                                                                                       \
    for (size_t i = 0; i < n; i++) {          /* then c[b] is bucket b's end */             \
      const uint32_t p = c[((K)(ka[i] - lo) >> shift) & 255]++;                             \
      kb[p] = ka[i];                                                                        \
      if (ia) ib[p] = ia[i];                                                                \
    }                                                                                       \
    for (size_t b = 0, s = 0; b < 256; s = c[b++]) {                                        \
      const size_t m = c[b] - s;                                                            \
      uint32_t* io;                                                                         \
      if (m < 2) continue;                                                                  \
      K* r = msd_##K(m, kb + s, ka + s, ia ? ib + s : 0, ia ? ia + s : 0, lo, shift, &io);  \
      if (r != kb + s) {                                                                    \
        __builtin_memcpy(kb + s, r, m * sizeof(K));                                         \
        if (ia) __builtin_memcpy(ib + s, io, m * 4);                                        \
      }                                                                                     \
    }                                                                                       \
    *iout = ib;                                                                             \
    return kb;                                                                              \
  }                                                                                         \
  static __attribute__((noinline)) K* radix_##K(size_t n, K* ka, K* kb, uint32_t* ia,        \
                                                uint32_t* ib, uint32_t** iout) {            \
    K lo = (K)~(K)0, hi = 0;                                                                \
    WT_NOVEC(K)                                                                             \
    for (size_t i = 0; i < n; i++) {                                                        \
      lo = ka[i] < lo ? ka[i] : lo;                                                         \
      hi = ka[i] > hi ? ka[i] : hi;                                                         \
    }                                                                                       \
    unsigned bits = 0;                                                                      \
    for (K span = n ? hi - lo : 0; span; span >>= 1) bits++;                               \
    return msd_##K(n, ka, kb, ia, ib, lo, bits, iout);                                      \
  }

#define WT_MSD_MIN 65536
DEFINE_RADIX(uint8_t)
DEFINE_RADIX(uint16_t)
DEFINE_RADIX(uint32_t)
DEFINE_RADIX(uint64_t)

static inline uint32_t* wt_after(void* p) {          /* the next 8-byte aligned address */
  return (uint32_t*)(((uintptr_t)p + 7) & ~(uintptr_t)7);
}

#define DEFINE_SORT(dt, T, K)                                                               \
  WT_EXPORT void WT_SYM(dt##_sort)(size_t rows, size_t n, size_t descending, const T* x,    \
                                   T* values, int64_t* indices, uint8_t* scratch) {         \
    const K flip = descending ? (K)~(K)0 : (K)0;                                            \
    K* ka = (K*)scratch;                                                                    \
    uint32_t* ia = wt_after(ka + 2 * n);                                                    \
    for (size_t r = 0; r < rows; r++, x += n, values += n, indices += n) {                  \
      for (size_t i = 0; i < n; i++) ka[i] = key_##dt(x[i]) ^ flip, ia[i] = (uint32_t)i;   \
      uint32_t* is;                                                                         \
      radix_##K(n, ka, ka + n, ia, ia + n, &is);                                \
      for (size_t i = 0; i < n; i++) values[i] = x[is[i]], indices[i] = (int64_t)is[i];     \
    }                                                                                       \
  }

#define WT_TABLE 65536
static uint32_t wt_table[WT_TABLE];     /* unique's counts of dense keys */

/* ISF: a float (the all-ones key is NaN: each one its own value) */
#define DEFINE_UNIQUE(dt, T, K, ISF)                                                        \
  WT_EXPORT void WT_SYM(dt##_unique)(size_t n, size_t flags, const T* x, T* values,         \
                                     int64_t* inverse, int64_t* counts, int64_t* nout,      \
                                     size_t cap, uint8_t* scratch) {                        \
    const int inv = flags & 1, cnt = (flags >> 1) & 1;                                      \
    const K nan = (K)~(K)0, zero = key_##dt((T)0);                                          \
    K lo = nan, hi = 0;                                                                     \
    size_t nans = 0;                                                                        \
    WT_NOVEC(K)                                                                             \
    for (size_t i = 0; i < n; i++) {                                                        \
      const K k = key_##dt(x[i]);                                                           \
      if (ISF && k == nan) { nans++; continue; }                                            \
      lo = k < lo ? k : lo;                                                                 \
      hi = k > hi ? k : hi;                                                                 \
    }                                                                                       \
    size_t g = 0, zg = (size_t)-1;        /* groups so far, the zero key's group */         \
    const uint64_t span = nans < n ? (uint64_t)(hi - lo) : 0;                               \
    const int table = span <= 2 * (uint64_t)n + 256 &&                                      \
                      (span < WT_TABLE || cap >= 4 * span + 4);                             \
    if (nans < n && !table && cap < n * (2 * sizeof(K) + 8) + 8) {                          \
      nout[0] = -1;                                                                         \
      return;                                                                               \
    }                                                                                       \
    if (nans < n && table) {                                                                \
      const size_t range = (size_t)span + 1;                                                \
      uint32_t* tab = span < WT_TABLE ? wt_table : (uint32_t*)scratch;                      \
      if (!inv && !cnt) {                 /* presence only: stores, no loads */             \
        uint8_t* seen = (uint8_t*)tab;                                                      \
        __builtin_memset(seen, 0, range);                                                   \
        WT_NOVEC(K)                                                                         \
        for (size_t i = 0; i < n; i++) {                                                    \
          const K k = key_##dt(x[i]);                                                       \
          if (!ISF || k != nan) seen[k - lo] = 1;                                           \
        }                                                                                   \
        for (size_t r = 0; r < range; r++)                                                  \
          if (seen[r]) {                                                                    \
            if ((K)(lo + r) == zero) zg = g;                                                \
            values[g++] = back_##dt((K)(lo + r));                                           \
          }                                                                                 \
      } else {                                                                              \
        __builtin_memset(tab, 0, range * 4);                                                \
        for (size_t i = 0; i < n; i++) {                                                    \
          const K k = key_##dt(x[i]);                                                       \
          if (!ISF || k != nan) tab[k - lo]++;                                              \
        }                                                                                   \
        for (size_t r = 0; r < range; r++)                                                  \
          if (tab[r]) {                                                                     \
            if ((K)(lo + r) == zero) zg = g;                                                \
            if (cnt) counts[g] = tab[r];                                                    \
            values[g] = back_##dt((K)(lo + r));                                             \
            tab[r] = (uint32_t)g++;                                                         \
          }                                                                                 \
        if (inv)                                                                            \
          for (size_t i = 0, j = g; i < n; i++) {                                           \
            const K k = key_##dt(x[i]);                                                     \
            inverse[i] = ISF && k == nan ? (int64_t)j++ : (int64_t)tab[k - lo];             \
          }                                                                                 \
      }                                                                                     \
    } else if (nans < n) {                                                                  \
      K* ka = (K*)scratch;                                                                  \
      uint32_t* ia = wt_after(ka + 2 * n);                                                  \
      size_t m = 0;                       /* the keys but NaNs (they come last anyway) */   \
      for (size_t i = 0; i < n; i++) {                                                      \
        const K k = key_##dt(x[i]);                                                         \
        if (ISF && k == nan) continue;                                                      \
        ka[m] = k;                                                                          \
        if (inv) ia[m] = (uint32_t)i;                                                       \
        m++;                                                                                \
      }                                                                                     \
      uint32_t* is;                                                                         \
      const K* ks = radix_##K(m, ka, ka + n, inv ? ia : 0, inv ? ia + n : 0, &is);          \
      size_t start = 0;                                                                     \
      for (size_t i = 0; i < m; i++) {                                                      \
        if (i && ks[i] != ks[i - 1]) {                                                      \
          if (cnt) counts[g] = (int64_t)(i - start);                                        \
          g++, start = i;                                                                   \
        }                                                                                   \
        if (i == start) {                                                                   \
          if (ks[i] == zero) zg = g;                                                        \
          values[g] = back_##dt(ks[i]);                                                     \
        }                                                                                   \
        if (inv) inverse[is[i]] = (int64_t)g;                                               \
      }                                                                                     \
      if (cnt) counts[g] = (int64_t)(m - start);                                            \
      g++;                                                                                  \
      if (inv && nans)                                                                      \
        for (size_t i = 0, j = g; i < n; i++)                                               \
          if (key_##dt(x[i]) == nan) inverse[i] = (int64_t)j++;                             \
    } else if (inv) {                                                                       \
      for (size_t i = 0; i < n; i++) inverse[i] = (int64_t)i;                               \
    }                                                                                       \
    if (ISF && zg != (size_t)-1)          /* the first zero's bits: -0.0 or +0.0 */         \
      for (size_t i = 0; i < n; i++)                                                        \
        if (key_##dt(x[i]) == zero) { values[zg] = x[i]; break; }                           \
    if (ISF && nans)                      /* every NaN, in x's order, bit-exact */          \
      for (size_t i = 0; i < n; i++)                                                        \
        if (key_##dt(x[i]) == nan) {                                                        \
          if (cnt) counts[g] = 1;                                                           \
          values[g++] = x[i];                                                               \
        }                                                                                   \
    nout[0] = (int64_t)g;                                                                   \
  }

DEFINE_SORT(f32, float, uint32_t)
DEFINE_SORT(f64, double, uint64_t)
DEFINE_SORT(f16, uint16_t, uint16_t)
DEFINE_SORT(bf16, uint16_t, uint16_t)
DEFINE_SORT(i32, int32_t, uint32_t)
DEFINE_SORT(i64, int64_t, uint64_t)
DEFINE_SORT(i16, int16_t, uint16_t)
DEFINE_SORT(i8, int8_t, uint8_t)
DEFINE_SORT(u8, uint8_t, uint8_t)

DEFINE_UNIQUE(f32, float, uint32_t, 1)
DEFINE_UNIQUE(f64, double, uint64_t, 1)
DEFINE_UNIQUE(f16, uint16_t, uint16_t, 1)
DEFINE_UNIQUE(bf16, uint16_t, uint16_t, 1)
DEFINE_UNIQUE(i32, int32_t, uint32_t, 0)
DEFINE_UNIQUE(i64, int64_t, uint64_t, 0)
DEFINE_UNIQUE(i16, int16_t, uint16_t, 0)
DEFINE_UNIQUE(i8, int8_t, uint8_t, 0)
DEFINE_UNIQUE(u8, uint8_t, uint8_t, 0)
