/* Search and counting passes (searchsorted / bucketize, isin, histc, bincount, unique):
 *   void wt_<dt>_searchsorted(size_t rows, size_t m, size_t k, size_t flags, size_t seq_rs,
 *                             const T* seq, const T* v, void* out)
 *     for each of the k values of each of the rows of v, its insertion point in that row's m
 *     sorted entries (seq + r * seq_rs: seq_rs 0 shares one sequence). flags bit 0: right
 *     (upper bound), bit 1: out is int32 (else int64). torch's own loop (cus_lower_bound /
 *     cus_upper_bound: the same midpoints and the same `!(s >= v)` / `!(s > v)` tests), so
 *     the answer matches torch's for any input, NaN and unsorted sequences included.
 *   void wt_<dt>_isin(size_t n, size_t m, size_t invert, const T* x, const T* test, uint8_t* y)
 *     y[i] = (x[i] equals one of test's m values, sorted ascending with NaN last) ^ invert.
 *   Rows sorted without NaN (checked: one pass over the row): by buckets (k >= m <= 8192),
 *   else 4 values in lockstep; other rows: torch's loop. isin of up to 32 values: in lanes.
 *   u8 (uint8, bool) / i8 / i16 / f16 / bf16 _searchsorted (seq as float32) and _isin: a
 *   table over every bit pattern, then one lookup per element.
 *   void wt_<int>_unravel_index(size_t n, size_t ndim, const int64_t* sizes, const T* x,
 *                              int64_t* y)       y[d * n + i]: coordinate d of x[i]
 *   void wt_<dt>_histc(size_t n, size_t bins, const T* range, const T* x, T* y)
 *     y[bins] += 1 for each x in [range[0], range[1]]: torch's linear bin
 *     (x - lo) * bins / (hi - lo) in T, the top edge in the last bin; NaN and outside skipped
 *     (counted in uint32 for up to 256 bins, so exact where torch's float counts are).
 *   void wt_f16_histc / wt_bf16_histc(size_t n, size_t bins, const float* range,
 *                                     const uint16_t* x, uint16_t* y)
 *     the same in c10's half arithmetic (each operation in float32, rounded to the dtype;
 *     range holds values of the dtype, y is zeroed): each of the 65536 bit patterns counted,
 *     then binned once in value order (the bin is monotone in the value, so every bin's count
 *     is a run); short inputs bin each element, counting in y. Either way a count stops at
 *     2048 / 256 as torch's single-thread count in the dtype does.
 *   void wt_<dt>_bincount(size_t n, const T* x, int64_t* y)
 *     y[x[i]] += 1 (the caller zeroed y and checked 0 <= x < len(y), or, for 1-2 byte x,
 *     gave y 2**bits entries: x's unsigned bits index it, negatives in the top half).
 *   void wt_<dt>_unique_runs(size_t n, size_t flags, const T* x, T* values, int64_t* first,
 *                            int64_t* group, int64_t* count)
 *     the runs of equal neighbours of x (n >= 1): values[0 .. k) their first elements,
 *     first[0 .. k) their first positions and first[k] = n (flags bit 0), group[i] the run
 *     of element i (flags bit 1), count[0] = k. Floats (halves too)
 *     compare as values (-0.0 == 0.0; a NaN is a run of its own, as torch's), integers and
 *     bool as bits (x8..x64).
 */
#include "wt_common.h"
#include "wt_half.h"

/* torch's test: go right past s (lower bound: !(s >= x), upper: !(s > x); NaN goes right) */
#define WT_GO(s, x, right) ((right) ? !((s) > (x)) : !((s) >= (x)))
#define WT_LANES 4     /* lockstep searches (8: 1.5x faster for long rows, +2.3 KiB) */

/* Sorted rows without NaN and many values (k >= m): equal-width buckets over the row's
 * distinct values u (c[j]: the row position of u[j]'s first copy, c[n] = m). The bucket of x
 * (floats: (x - u[0]) * scale clamped to [0, B), NaN to the top; ints: (clamp(x) - u[0]) >> sh)
 * is monotone in x and computed the same way for u, so u in lower buckets are < x and u in
 * higher ones > x: x's insertion point in u is T[b] plus how many of the K entries from T[b]
 * (K >= every bucket's occupancy, one or two vectors; u padded with its last value, the count
 * capped at n) torch's test sends right, a vector compare; the answer is c of it. The
 * buckets are computed in a separate vector pass (a scalar float conversion in the search
 * loop chains its iterations in V8: 3x slower). */
#define WT_BK_MAXM 8192
#define WT_BK_MAXB 16384
#define WT_BK_STEP 256
static uint32_t wt_key_table[65536];     /* c, then (as uint16) T */
static uint64_t wt_bk_keys[WT_BK_MAXM + 16];

#define DEFINE_SEARCH(dt, T, F, INT, LANES, VSPLAT, VGE, VEQ, VMASK, VBUCKET, WT_BYTES16)   \
  typedef struct { T lo, hi; F scale; uint32_t sh, top, n, nv; } dt##_bk;                   \
  /* ints: (clamp(x, lo, hi) - lo) >> sh; floats: (x - lo) * scale in [0, top], NaN: top */ \
  static inline uint32_t dt##_bucket(T x, const dt##_bk* q) {                               \
    if (INT)                                                                                \
      return (uint32_t)(((uint64_t)(x < q->lo ? q->lo : x > q->hi ? q->hi : x) -            \
                         (uint64_t)q->lo) >> q->sh);                                        \
    const F f = ((F)x - (F)q->lo) * q->scale, g = f < 0 ? 0 : f, ft = (F)q->top;            \
    return (uint32_t)(int32_t)(g < ft ? g : ft);                                            \
  }                                                                                         \
  /* u, c, T for a sorted row without NaN; 0: declined (too long, or a bucket holding more  \
   * than two vectors of distinct values) */                                                \
  static __attribute__((minsize)) int dt##_bk_setup(const T* s, size_t m, dt##_bk* q) {     \
    if (m < 2 || m > WT_BK_MAXM) return 0;                                                  \
    T* u = (T*)wt_bk_keys;                                                                  \
    uint32_t* c = wt_key_table;                                                             \
    uint16_t* tb = (uint16_t*)(wt_key_table + WT_BK_MAXM + 8);                              \
    uint32_t n = 0, B = 16, most = 0;                                                       \
    for (size_t i = 0; i < m; i++)                                                          \
      if (!i || s[i] != s[i - 1]) c[n] = (uint32_t)i, u[n++] = s[i];                        \
    c[n] = (uint32_t)m;                                                                     \
    q->lo = u[0], q->hi = u[n - 1], q->n = n;                                               \
    const F span = (F)q->hi - (F)q->lo;                                                     \
    if (n < 2 || !(span > 0 && span < (F)__builtin_inf())) return 0;                        \
    for (size_t j = 0; j < 8; j++) u[n + j] = u[n - 1];                                     \
    while (B < 2 * n) B *= 2;                                                               \
    for (;; B *= 2) {              /* more buckets until one vector holds every bucket */   \
      q->scale = (F)B / span, q->top = B - 1;                                               \
      for (q->sh = 0; INT && (((uint64_t)q->hi - (uint64_t)q->lo) >> q->sh) >= B; q->sh++) {} \
      __builtin_memset(tb, 0, (B + 1) * sizeof *tb);                                        \
      most = 0;                                                                             \
      for (size_t j = 0; j < n; j++) {                                                      \
        const uint32_t o = ++tb[dt##_bucket(u[j], q) + 1];                                  \
        most = o > most ? o : most;                                                         \
      }                                                                                     \
      if (most <= LANES || B >= WT_BK_MAXB || B >= 16 * n) break;                           \
    }                                                                                       \
    if (most > 2 * LANES || !(q->scale < (F)__builtin_inf())) return 0;                     \
    for (uint32_t b = 0; b < B; b++) tb[b + 1] += tb[b];                                    \
    q->nv = most > LANES ? 2 : 1;                                                           \
    return 1;                                                                               \
  }                                                                                         \
  /* pos[i]: v[i]'s bucket in, its insertion point in u out; rm all ones for an upper bound   \
   * (u > x: u >= x and not u == x) */                                                      \
  static inline __attribute__((always_inline)) void dt##_bk_loop(                          \
      size_t k, const T* v, const T* u, int nv, v128_t rm, uint32_t* pos) {                 \
    const uint16_t* tb = (const uint16_t*)(wt_key_table + WT_BK_MAXM + 8);                  \
    _Pragma("clang loop unroll(disable)")                                                   \
    for (size_t i = 0; i < k; i++) {                                                        \
      const uint32_t t = tb[pos[i]];                                                        \
      const v128_t xs = VSPLAT(v[i]);                                                       \
      uint32_t ge = 0;                                                                      \
      for (int j = 0; j < nv; j++) {                                                        \
        const v128_t e = wasm_v128_load(u + t + j * LANES);                                 \
        ge |= (uint32_t)VMASK(wasm_v128_xor(VGE(e, xs), wasm_v128_and(VEQ(e, xs), rm)))     \
              << (j * LANES);                                                               \
      }                                                                                     \
      pos[i] = t + (uint32_t)(nv * LANES) - (uint32_t)__builtin_popcount(ge);               \
    }                                                                                       \
  }                                                                                         \
  static __attribute__((noinline)) void dt##_bk_pass(const dt##_bk* q, const T* v, size_t len, int right,           \
                           uint32_t* pos) {                                                 \
    const T lo = q->lo, hi = q->hi;                                                         \
    const F scale = q->scale;                                                               \
    const uint32_t sh = q->sh, B = q->top + 1;                                              \
    size_t j = 0;                                                                           \
    (void)lo, (void)hi, (void)scale, (void)sh, (void)B;                                     \
    VBUCKET;                                              /* pos[0 .. len): the buckets */  \
    for (; j < len; j++) pos[j] = dt##_bucket(v[j], q);                                     \
    const v128_t rm = wasm_i32x4_splat(-right);                                             \
    if (q->nv == 1) dt##_bk_loop(len, v, (const T*)wt_bk_keys, 1, rm, pos);                 \
    else dt##_bk_loop(len, v, (const T*)wt_bk_keys, 2, rm, pos);                            \
  }                                                                                         \
  /* torch's own loop: its midpoints, for rows that are not sorted or hold a NaN */         \
  static inline size_t dt##_bound_torch(const T* s, size_t m, T x, int right) {             \
    size_t lo = 0, hi = m;                                                                  \
    while (lo < hi) {                                                                       \
      const size_t mid = lo + ((hi - lo) >> 1);                                             \
      const int go = WT_GO(s[mid], x, right);                                               \
      lo = go ? mid + 1 : lo;                                                               \
      hi = go ? hi : mid;                                                                   \
    }                                                                                       \
    return lo;                                                                              \
  }                                                                                         \
  /* other sorted rows without NaN: the test is monotone along the row, so every binary     \
   * search finds torch's answer; this one takes log2(m) steps whatever x, WT_LANES x in    \
   * lockstep (independent chains of loads and selects, no branch on the data) */           \
  static inline __attribute__((always_inline)) void dt##_bound_lanes(                      \
      const T* s, size_t m, const T* x, int right, uint32_t* pos) {                         \
    const T* b[WT_LANES];                                                                   \
    for (int j = 0; j < WT_LANES; j++) b[j] = s;                                            \
    for (size_t n = m; n > 1;) {                                                            \
      const size_t half = n >> 1;                                                           \
      for (int j = 0; j < WT_LANES; j++) b[j] = WT_GO(b[j][half], x[j], right) ? b[j] + half \
                                                                             : b[j];        \
      n -= half;                                                                            \
    }                                                                                       \
    for (int j = 0; j < WT_LANES; j++)                                                      \
      pos[j] = (uint32_t)(b[j] - s) + WT_GO(b[j][0], x[j], right);                          \
  }                                                                                         \
  static __attribute__((noinline)) size_t dt##_lockstep(const T* s, size_t m, const T* x,  \
                                                         size_t len, int right,             \
                                                         uint32_t* pos) {                   \
    size_t i = 0;                                                                           \
    for (; i + WT_LANES <= len; i += WT_LANES) {                                            \
      dt##_bound_lanes(s, m, x + i, right, pos + i);                                        \
    }                                                                                       \
    return i;                                                                               \
  }                                                                                         \
  static int dt##_monotone(const T* s, size_t m) {                                          \
    int ok = 1;                                                                             \
    for (size_t i = 0; i + 1 < m; i++) ok &= s[i] <= s[i + 1];    /* false for a NaN */     \
    return ok;                                                                              \
  }                                                                                         \
  /* the insertion points of x[0 .. k) in s[0 .. m) into o64, o32 or (isin) hit */          \
  static __attribute__((minsize)) void dt##_bounds(const T* s, size_t m, const T* x, size_t k, int right,          \
                          int64_t* o64, int32_t* o32, uint8_t* hit) {                       \
    const int fast = m && dt##_monotone(s, m);                                              \
    dt##_bk q;                                                                              \
    const int bk = fast && k >= m && dt##_bk_setup(s, m, &q);                               \
    const T* w = bk ? (const T*)wt_bk_keys : s;        /* pos indexes w[0 .. wn) */         \
    const uint32_t wn = bk ? q.n : (uint32_t)m, *c = wt_key_table;                          \
    uint32_t pos[WT_BK_STEP];                                                               \
    for (size_t i0 = 0; i0 < k; i0 += WT_BK_STEP) {                                         \
      const size_t len = k - i0 < WT_BK_STEP ? k - i0 : WT_BK_STEP;                         \
      const T* xi = x + i0;                                                                 \
      size_t i = 0;                                                                         \
      if (bk) dt##_bk_pass(&q, xi, len, right, pos), i = len;                               \
      else if (fast) i = dt##_lockstep(s, m, xi, len, right, pos);                          \
      for (; i < len; i++) pos[i] = (uint32_t)dt##_bound_torch(s, m, xi[i], right);         \
      for (i = 0; i < len; i++) {                                                           \
        const uint32_t p = pos[i] < wn ? pos[i] : wn, r = bk ? c[p] : p;                    \
        if (o64) o64[i0 + i] = r;                                                           \
        else if (o32) o32[i0 + i] = (int32_t)r;                                             \
        else hit[i0 + i] = p < wn && w[p] == xi[i];                                         \
      }                                                                                     \
    }                                                                                       \
  }                                                                                         \
  WT_EXPORT void WT_SYM(dt##_searchsorted)(size_t rows, size_t m, size_t k, size_t flags,    \
                                           size_t seq_rs, const T* seq, const T* v,         \
                                           void* out) {                                     \
    const int right = flags & 1, i32 = (flags >> 1) & 1;                                    \
    for (size_t r = 0; r < rows; r++, seq += seq_rs, v += k)                                \
      dt##_bounds(seq, m, v, k, right, i32 ? 0 : (int64_t*)out + r * k,                     \
                  i32 ? (int32_t*)out + r * k : 0, 0);                                      \
  }                                                                                         \
  WT_EXPORT void WT_SYM(dt##_isin)(size_t n, size_t m, size_t invert, const T* x,           \
                                   const T* test, uint8_t* y) {                             \
    while (m && test[m - 1] != test[m - 1]) m--;     /* trailing NaNs: never equal */       \
    if (m <= WT_ISIN_FEW) {               /* a few test values: each compared in lanes */   \
      const v128_t flip = wasm_i8x16_splat((int8_t)(invert & 1));                           \
      size_t i = 0;                                                                         \
      for (; i + 16 <= n; i += 16) {                                                        \
        v128_t e[16 / LANES], hit[16 / LANES];                                              \
        for (int j = 0; j < 16 / LANES; j++) {                                              \
          e[j] = wasm_v128_load(x + i + j * LANES);                                         \
          hit[j] = wasm_i32x4_splat(0);                                                     \
        }                                                                                   \
        for (size_t t = 0; t < m; t++) {                                                    \
          const v128_t tv = VSPLAT(test[t]);                                                \
          for (int j = 0; j < 16 / LANES; j++) hit[j] = wasm_v128_or(hit[j], VEQ(e[j], tv)); \
        }                                                                                   \
        wasm_v128_store(y + i, wasm_v128_xor(wasm_v128_and(WT_BYTES16(hit),                 \
                                                           wasm_i8x16_splat(1)), flip));     \
      }                                                                                     \
      for (; i < n; i++) {                                                                  \
        uint8_t h = 0;                                                                      \
        for (size_t t = 0; t < m; t++) h |= x[i] == test[t];                                \
        y[i] = h ^ (uint8_t)(invert & 1);                                                   \
      }                                                                                     \
      return;                                                                               \
    }                                                                                       \
    dt##_bounds(test, m, x, n, 0, 0, 0, y);                                            \
    if (invert)                                                                             \
      for (size_t i = 0; i < n; i++) y[i] ^= 1;                                             \
  }

/* isin: up to this many test values are compared with every element, 16 elements a step */
#define WT_ISIN_FEW 32
/* 16 lanes' masks (all ones / zero) to 16 bytes */
#define WT_BYTES_4(h) wasm_i8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4((h)[0], (h)[1]),       \
                                               wasm_i16x8_narrow_i32x4((h)[2], (h)[3]))
#define WT_HALF64(a, b) wasm_i32x4_shuffle(a, b, 0, 2, 4, 6)
#define WT_BYTES_8(h) wasm_i8x16_narrow_i16x8(                                              \
    wasm_i16x8_narrow_i32x4(WT_HALF64((h)[0], (h)[1]), WT_HALF64((h)[2], (h)[3])),          \
    wasm_i16x8_narrow_i32x4(WT_HALF64((h)[4], (h)[5]), WT_HALF64((h)[6], (h)[7])))

/* the buckets of v[0 .. len) into pos, 4 a step, leaving j at the tail (the arithmetic of
 * dt##_bucket: pmax / pmin are its compare-and-selects, NaN to top) */
#define WT_BK_F32                                                                           \
  for (; j + 4 <= len; j += 4) {                                                            \
    const v128_t f = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(v + j),                   \
                                                   wasm_f32x4_splat(lo)),                   \
                                    wasm_f32x4_splat(scale));                               \
    wasm_v128_store(pos + j, wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_pmin(                    \
        wasm_f32x4_splat((float)(B - 1)), wasm_f32x4_pmax(f, wasm_f32x4_splat(0)))));       \
  }
#define WT_BK_F64                                                                           \
  for (; j + 4 <= len; j += 4) {                                                            \
    v128_t b[2];                                                                            \
    for (int h = 0; h < 2; h++) {                                                           \
      const v128_t f = wasm_f64x2_mul(wasm_f64x2_sub(wasm_v128_load(v + j + 2 * h),         \
                                                     wasm_f64x2_splat(lo)),                 \
                                      wasm_f64x2_splat(scale));                             \
      b[h] = wasm_i32x4_trunc_sat_f64x2_zero(wasm_f64x2_pmin(                               \
          wasm_f64x2_splat((double)(B - 1)), wasm_f64x2_pmax(f, wasm_f64x2_splat(0))));     \
    }                                                                                       \
    wasm_v128_store(pos + j, wasm_i32x4_shuffle(b[0], b[1], 0, 1, 4, 5));                   \
  }
#define WT_BK_I32                                                                           \
  for (; j + 4 <= len; j += 4) {                                                            \
    const v128_t x = wasm_i32x4_min(wasm_i32x4_max(wasm_v128_load(v + j),                  \
                                                   wasm_i32x4_splat(lo)), wasm_i32x4_splat(hi)); \
    wasm_v128_store(pos + j, wasm_u32x4_shr(wasm_i32x4_sub(x, wasm_i32x4_splat(lo)), sh));  \
  }
#define WT_BK_I64                                                                           \
  for (; j + 4 <= len; j += 4) {                                                            \
    v128_t b[2];                                                                            \
    for (int h = 0; h < 2; h++) {                                                           \
      const v128_t vlo = wasm_i64x2_splat(lo), vhi = wasm_i64x2_splat(hi);                  \
      v128_t x = wasm_v128_load(v + j + 2 * h);                                             \
      x = wasm_v128_bitselect(vlo, x, wasm_i64x2_lt(x, vlo));                               \
      x = wasm_v128_bitselect(vhi, x, wasm_i64x2_gt(x, vhi));                               \
      b[h] = wasm_u64x2_shr(wasm_i64x2_sub(x, vlo), sh);                                    \
    }                                                                                       \
    wasm_v128_store(pos + j, wasm_i32x4_shuffle(b[0], b[1], 0, 2, 4, 6));                   \
  }

DEFINE_SEARCH(f32, float, float, 0, 4, wasm_f32x4_splat, wasm_f32x4_ge, wasm_f32x4_eq,
              wasm_i32x4_bitmask, WT_BK_F32, WT_BYTES_4)
DEFINE_SEARCH(f64, double, double, 0, 2, wasm_f64x2_splat, wasm_f64x2_ge, wasm_f64x2_eq,
              wasm_i64x2_bitmask, WT_BK_F64, WT_BYTES_8)
DEFINE_SEARCH(i64, int64_t, double, 1, 2, wasm_i64x2_splat, wasm_i64x2_ge, wasm_i64x2_eq,
              wasm_i64x2_bitmask, WT_BK_I64, WT_BYTES_8)
DEFINE_SEARCH(i32, int32_t, float, 1, 4, wasm_i32x4_splat, wasm_i32x4_ge, wasm_i32x4_eq,
              wasm_i32x4_bitmask, WT_BK_I32, WT_BYTES_4)

/* 1-2 byte keys (u8: uint8 and bool, i8, i16, f16, bf16): a table over every bit pattern,
 * then one lookup per element */
static inline float wt_h2f(uint32_t h, int bf) {
  if (bf) {
    const uint32_t u = h << 16;
    float f;
    __builtin_memcpy(&f, &u, 4);
    return f;
  }
  v128_t lo, hi;
  v_f32x8_from_f16(wasm_i16x8_splat((int16_t)h), &lo, &hi);
  return wasm_f32x4_extract_lane(lo, 0);
}
/* kind: 0 u8, 1 i8, 2 i16, 3 f16, 4 bf16 */
static inline float wt_key_value(uint32_t p, int kind) {
  return kind == 0 ? (float)p : kind == 1 ? (float)(int8_t)p : kind == 2 ? (float)(int16_t)p
                                                                         : wt_h2f(p, kind == 4);
}
/* the k-th pattern in ascending value order (halves: -NaN ... -0.0 +0.0 ... +NaN) */
static inline uint32_t wt_key_order(uint32_t k, int kind) {
  return kind == 0 ? k : kind == 1 ? k ^ 0x80 : kind == 2 ? k ^ 0x8000
         : (k & 0x8000) ? (k & 0x7FFF) : (~k & 0xFFFF);
}

/* table[p] = torch's insertion point of pattern p's value in s (m float32 values of the
 * dtype): one merge walk in value order for a sorted row without NaN (NaN goes right past
 * every entry), torch's loop per pattern otherwise */
static void key_bounds(const float* s, size_t m, int right, int kind, uint32_t* table) {
  const uint32_t count = kind < 2 ? 256 : 65536;
  if (!f32_monotone(s, m)) {
    for (uint32_t p = 0; p < count; p++)
      table[p] = (uint32_t)f32_bound_torch(s, m, wt_key_value(p, kind), right);
    return;
  }
  size_t j = 0;
  for (uint32_t k = 0; k < count; k++) {
    const uint32_t p = wt_key_order(k, kind);
    const float v = wt_key_value(p, kind);
    if (v != v) {
      table[p] = (uint32_t)m;
      continue;
    }
    while (j < m && WT_GO(s[j], v, right)) j++;
    table[p] = (uint32_t)j;
  }
}

#define DEFINE_KEY_SEARCH(dt, T, KIND, NAN_MAG)                                            \
  WT_EXPORT void WT_SYM(dt##_searchsorted)(size_t rows, size_t m, size_t k, size_t flags,    \
                                           size_t seq_rs, const float* seq, const T* v,     \
                                           void* out) {                                     \
    uint32_t* tab = wt_key_table;                                                           \
    for (size_t r = 0; r < rows; r++, seq += seq_rs, v += k) {                              \
      key_bounds(seq, m, flags & 1, KIND, tab);                                             \
      if (flags & 2)                                                                        \
        for (size_t i = 0; i < k; i++) ((int32_t*)out)[r * k + i] = (int32_t)tab[v[i]];     \
      else                                                                                  \
        for (size_t i = 0; i < k; i++) ((int64_t*)out)[r * k + i] = tab[v[i]];              \
    }                                                                                       \
  }                                                                                         \
  /* test holds m values of the dtype; halves equal by value (-0.0 == 0.0, NaN never) */    \
  WT_EXPORT void WT_SYM(dt##_isin)(size_t n, size_t m, size_t invert, const T* x,           \
                                   const T* test, uint8_t* y) {                             \
    uint8_t* tab = (uint8_t*)wt_key_table;                                                  \
    const uint8_t no = (uint8_t)(invert & 1);                                               \
    __builtin_memset(tab, no, sizeof(T) == 1 ? 256 : 65536);                                \
    for (size_t t = 0; t < m; t++) {                                                        \
      const uint32_t p = test[t];                                                           \
      if (NAN_MAG && (p & 0x7FFF) > NAN_MAG) continue;                                      \
      tab[p] = no ^ 1;                                                                      \
      if (NAN_MAG && !(p & 0x7FFF)) tab[p ^ 0x8000] = no ^ 1;                               \
    }                                                                                       \
    for (size_t i = 0; i < n; i++) y[i] = tab[x[i]];                                        \
  }

DEFINE_KEY_SEARCH(u8, uint8_t, 0, 0)
DEFINE_KEY_SEARCH(i8, uint8_t, 1, 0)
DEFINE_KEY_SEARCH(i16, uint16_t, 2, 0)
DEFINE_KEY_SEARCH(f16, uint16_t, 3, 0x7C00)
DEFINE_KEY_SEARCH(bf16, uint16_t, 4, 0x7F80)

/* unravel_index: y[d * n + i] = coordinate d of x[i] in a tensor of sizes[0 .. ndim) (each
 * >= 1, product `total` < 2**31), x taken modulo total (torch's floor_divide then remainder);
 * the quotients of v < 2**31 exact by a multiply and a shift (Granlund-Montgomery: magic
 * ceil(2**(31 + l) / size), l = ceil(log2(size))) */
#define DEFINE_UNRAVEL(dt, T)                                                               \
  WT_EXPORT void WT_SYM(dt##_unravel_index)(size_t n, size_t ndim, const int64_t* sizes,    \
                                            const T* x, int64_t* y) {                      \
    int64_t total = 1;                                                                      \
    uint64_t magic[16];                                                                     \
    uint32_t shift[16];                                                                     \
    for (size_t d = 0; d < ndim; d++) {                                                     \
      uint32_t l = 0;                                                                       \
      while (((uint64_t)1 << l) < (uint64_t)sizes[d]) l++;                                  \
      shift[d] = 31 + l;                                                                    \
      magic[d] = (((uint64_t)1 << shift[d]) + (uint64_t)sizes[d] - 1) / (uint64_t)sizes[d]; \
      total *= sizes[d];                                                                    \
    }                                                                                       \
    for (size_t i = 0; i < n; i++) {                                                        \
      int64_t v = (int64_t)x[i];                                                            \
      v += v < 0 ? total : 0;                        /* most negatives: one add */         \
      if ((uint64_t)v >= (uint64_t)total) v = v % total + (v % total < 0 ? total : 0);      \
      uint64_t u = (uint64_t)v;                                                             \
      for (size_t d = ndim - 1; d > 0; d--) {                                               \
        const uint64_t q = (u * magic[d]) >> shift[d];                                      \
        y[d * n + i] = (int64_t)(u - q * (uint64_t)sizes[d]);                               \
        u = q;                                                                              \
      }                                                                                     \
      y[i] = (int64_t)u;                                                                    \
    }                                                                                       \
  }

DEFINE_UNRAVEL(i64, int64_t)
DEFINE_UNRAVEL(i32, int32_t)
DEFINE_UNRAVEL(i16, int16_t)
DEFINE_UNRAVEL(i8, int8_t)
DEFINE_UNRAVEL(u8, uint8_t)

WT_SMALL_BEGIN

#define WT_HISTC_SPLIT 256     /* up to this many bins: 4 interleaved counters per bin */

/* float32: 4 bins a vector (the same IEEE operations as the scalar form, so the same bins;
 * in range the bin fits int32); returns how many elements it counted */
static size_t f32_histc_lanes(size_t n, size_t bins, float lo, float hi, const float* x,
                              uint32_t c[4][WT_HISTC_SPLIT]) {
  const v128_t vlo = wasm_f32x4_splat(lo), vhi = wasm_f32x4_splat(hi);
  const v128_t vbins = wasm_f32x4_splat((float)(int64_t)bins), vspan = wasm_f32x4_splat(hi - lo);
  const v128_t top = wasm_i32x4_splat((int32_t)bins);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t e = wasm_v128_load(x + i);
    const v128_t keep = wasm_v128_and(wasm_f32x4_ge(e, vlo), wasm_f32x4_le(e, vhi));
    /* in range the quotient is in [0, bins]: floor + 2**23 leaves it in the low bits (a
     * cheaper conversion than trunc_sat); outside, masked by keep */
    v128_t p = wasm_i32x4_sub(wasm_f32x4_add(wasm_f32x4_floor(wasm_f32x4_div(
        wasm_f32x4_mul(wasm_f32x4_sub(e, vlo), vbins), vspan)), wasm_f32x4_splat(0x1p23f)),
        wasm_i32x4_splat(0x4B000000));
    p = wasm_v128_and(wasm_i32x4_add(p, wasm_i32x4_eq(p, top)), keep);   /* top -> last */
    const v128_t one = wasm_u32x4_shr(keep, 31);
    c[0][wasm_i32x4_extract_lane(p, 0)] += (uint32_t)wasm_i32x4_extract_lane(one, 0);
    c[1][wasm_i32x4_extract_lane(p, 1)] += (uint32_t)wasm_i32x4_extract_lane(one, 1);
    c[2][wasm_i32x4_extract_lane(p, 2)] += (uint32_t)wasm_i32x4_extract_lane(one, 2);
    c[3][wasm_i32x4_extract_lane(p, 3)] += (uint32_t)wasm_i32x4_extract_lane(one, 3);
  }
  return i;
}
static size_t f64_histc_lanes(size_t n, size_t bins, double lo, double hi, const double* x,
                              uint32_t c[4][WT_HISTC_SPLIT]) {
  const v128_t vlo = wasm_f64x2_splat(lo), vhi = wasm_f64x2_splat(hi);
  const v128_t vbins = wasm_f64x2_splat((double)(int64_t)bins), vspan = wasm_f64x2_splat(hi - lo);
  const v128_t top = wasm_i32x4_splat((int32_t)bins);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t keep[2], p[2];
    for (int j = 0; j < 2; j++) {
      const v128_t e = wasm_v128_load(x + i + 2 * j);
      keep[j] = wasm_v128_and(wasm_f64x2_ge(e, vlo), wasm_f64x2_le(e, vhi));
      /* in range the quotient is in [0, bins]: floor + 2**52 leaves it in the low bits
       * (a cheaper conversion than trunc_sat_f64x2_zero); outside, masked by keep */
      p[j] = wasm_f64x2_add(wasm_f64x2_floor(wasm_f64x2_div(
          wasm_f64x2_mul(wasm_f64x2_sub(e, vlo), vbins), vspan)), wasm_f64x2_splat(0x1p52));
    }
    const v128_t k = wasm_i32x4_shuffle(keep[0], keep[1], 0, 2, 4, 6);
    v128_t q = wasm_i32x4_shuffle(p[0], p[1], 0, 2, 4, 6);
    q = wasm_v128_and(wasm_i32x4_add(q, wasm_i32x4_eq(q, top)), k);      /* top -> last */
    const v128_t one = wasm_u32x4_shr(k, 31);
    c[0][wasm_i32x4_extract_lane(q, 0)] += (uint32_t)wasm_i32x4_extract_lane(one, 0);
    c[1][wasm_i32x4_extract_lane(q, 1)] += (uint32_t)wasm_i32x4_extract_lane(one, 1);
    c[2][wasm_i32x4_extract_lane(q, 2)] += (uint32_t)wasm_i32x4_extract_lane(one, 2);
    c[3][wasm_i32x4_extract_lane(q, 3)] += (uint32_t)wasm_i32x4_extract_lane(one, 3);
  }
  return i;
}

#define DEFINE_HISTC(dt, T)                                                                 \
  static inline int64_t dt##_bin(T e, T lo, T hi, size_t bins, int* keep) {                 \
    *keep = (e >= lo) & (e <= hi);               /* NaN and outside: not counted */         \
    const int64_t pos = (int64_t)((e - lo) * (T)(int64_t)bins / (hi - lo));                 \
    return *keep ? pos - (pos == (int64_t)bins) : 0;                                        \
  }                                                                                         \
  WT_EXPORT void WT_SYM(dt##_histc)(size_t n, size_t bins, const T* range, const T* x,      \
                                    T* y) {                                                 \
    const T lo = range[0], hi = range[1];                                                   \
    int keep;                                                                               \
    if (bins > WT_HISTC_SPLIT) {                                                            \
      for (size_t i = 0; i < n; i++) {                                                      \
        const int64_t pos = dt##_bin(x[i], lo, hi, bins, &keep);                            \
        y[pos] += (T)keep;                                                                  \
      }                                                                                     \
      return;                                                                               \
    }                                                                                       \
    /* neighbours often share a bin: 4 counter sets break the add-store-load chain */       \
    uint32_t c[4][WT_HISTC_SPLIT] = {{0}};                                                  \
    size_t i = dt##_histc_lanes(n, bins, lo, hi, x, c);                                     \
    for (; i < n; i++) {                                                                    \
      const int64_t pos = dt##_bin(x[i], lo, hi, bins, &keep);                              \
      c[i & 3][pos] += (uint32_t)keep;                                                      \
    }                                                                                       \
    for (size_t b = 0; b < bins; b++)                                                       \
      y[b] += (T)((uint64_t)c[0][b] + c[1][b] + c[2][b] + c[3][b]);                          \
  }

DEFINE_HISTC(f32, float)
DEFINE_HISTC(f64, double)

static inline uint32_t wt_f2h(float f, int bf) {
  const v128_t v = wasm_f32x4_splat(f);
  return (uint16_t)wasm_i16x8_extract_lane(bf ? v_bf16x8_from_f32(v, v) : v_f16x8_from_f32(v, v),
                                           0);
}
static inline float wt_hround(float f, int bf) { return wt_h2f(wt_f2h(f, bf), bf); }

static uint32_t wt_hcount[65536];

/* torch's bin of e (in [lo, hi]) in half arithmetic, the top edge (and above) in the last */
static size_t half_bin(float e, float lo, float fb, float den, size_t bins, int bf) {
  const float q = wt_hround(wt_hround(wt_hround(e - lo, bf) * fb, bf) / den, bf);
  return !(q >= 0.0f) ? 0 : q >= fb ? bins - 1 : (size_t)q;
}

static void half_histc(size_t n, size_t bins, const float* range, const uint16_t* x, uint16_t* y,
                       int bf) {
  const float lo = range[0], hi = range[1], den = wt_hround(hi - lo, bf);
  const float fb = wt_hround((float)bins, bf);
  if (n <= (bf ? 256u : 2048u)) {          /* counts exact in the dtype */
    for (size_t i = 0; i < n; i++) {
      const float e = wt_h2f(x[i], bf);
      if (!(e >= lo && e <= hi)) continue;
      uint16_t* c = y + half_bin(e, lo, fb, den, bins, bf);
      *c = (uint16_t)wt_f2h(wt_h2f(*c, bf) + 1.0f, bf);
    }
    return;
  }
  /* torch adds 1 in the dtype: a count stops at 2**(significand bits) (x + 1 rounds to x) */
  const uint64_t cap = bf ? 256 : 2048;
  uint32_t* c = wt_hcount;
  __builtin_memset(c, 0, sizeof wt_hcount);
  for (size_t i = 0; i < n; i++) c[x[i]]++;
  size_t cur = (size_t)-1;
  uint64_t acc = 0;
  for (uint32_t k = 0; k < 65536; k++) {  /* bit patterns in value order (NaN: outside) */
    const uint32_t p = (k & 0x8000) ? (k & 0x7FFF) : (~k & 0xFFFF);
    if (!c[p]) continue;
    const float e = wt_h2f(p, bf);
    if (!(e >= lo && e <= hi)) continue;
    const size_t b = half_bin(e, lo, fb, den, bins, bf);
    if (b != cur) {
      if (cur != (size_t)-1) y[cur] = (uint16_t)wt_f2h((float)(acc < cap ? acc : cap), bf);
      cur = b, acc = 0;
    }
    acc += c[p];
  }
  if (cur != (size_t)-1) y[cur] = (uint16_t)wt_f2h((float)(acc < cap ? acc : cap), bf);
}
WT_EXPORT void WT_SYM(f16_histc)(size_t n, size_t bins, const float* range, const uint16_t* x,
                                 uint16_t* y) {
  half_histc(n, bins, range, x, y, 0);
}
WT_EXPORT void WT_SYM(bf16_histc)(size_t n, size_t bins, const float* range, const uint16_t* x,
                                  uint16_t* y) {
  half_histc(n, bins, range, x, y, 1);
}

#define DEFINE_BINCOUNT(dt, T, U)                                                           \
  WT_EXPORT void WT_SYM(dt##_bincount)(size_t n, const T* x, int64_t* y) {                  \
    for (size_t i = 0; i < n; i++) y[(size_t)(U)x[i]]++;                                    \
  }

DEFINE_BINCOUNT(i64, int64_t, int64_t)
DEFINE_BINCOUNT(i32, int32_t, int32_t)
DEFINE_BINCOUNT(i16, int16_t, uint16_t)
DEFINE_BINCOUNT(i8, int8_t, uint8_t)
DEFINE_BINCOUNT(u8, uint8_t, uint8_t)

#define WT_NE(a, b) ((a) != (b))
/* halves by value: -0.0 == +0.0, a NaN (magnitude above inf's bits) equals nothing */
#define WT_NE_F16(a, b) (!((a) == (b) && ((a) & 0x7FFF) <= 0x7C00) && (((a) | (b)) & 0x7FFF))
#define WT_NE_BF16(a, b) (!((a) == (b) && ((a) & 0x7FFF) <= 0x7F80) && (((a) | (b)) & 0x7FFF))
#define DEFINE_RUNS(dt, T, NE)                                                              \
  WT_EXPORT void WT_SYM(dt##_unique_runs)(size_t n, size_t flags, const T* x, T* values,    \
                                          int64_t* first, int64_t* group, int64_t* count) { \
    const int want_first = flags & 1, want_group = (flags >> 1) & 1;                        \
    int64_t k = 0;                                                                          \
    for (size_t i = 0; i < n; i++) {      /* slot k always written, kept at a new run */    \
      const int64_t start = i == 0 || NE(x[i], x[i - 1]);  /* (k <= i: inside the outputs) */\
      values[k] = x[i];                                                                     \
      if (want_first) first[k] = (int64_t)i;                                                \
      k += start;                                                                           \
      if (want_group) group[i] = k - 1;                                                     \
    }                                                                                       \
    if (want_first) first[k] = (int64_t)n;                                                  \
    count[0] = k;                                                                           \
  }

DEFINE_RUNS(f32, float, WT_NE)
DEFINE_RUNS(f64, double, WT_NE)
DEFINE_RUNS(f16, uint16_t, WT_NE_F16)
DEFINE_RUNS(bf16, uint16_t, WT_NE_BF16)
DEFINE_RUNS(x64, uint64_t, WT_NE)
DEFINE_RUNS(x32, uint32_t, WT_NE)
DEFINE_RUNS(x16, uint16_t, WT_NE)
DEFINE_RUNS(x8, uint8_t, WT_NE)

WT_SMALL_END
