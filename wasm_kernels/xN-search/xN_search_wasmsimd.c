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
 *   Rows sorted without NaN (checked: one pass over the row) search 8 values in lockstep,
 *   a fixed number of branch-free steps; other rows take torch's loop one value at a time.
 *   void wt_<dt>_histc(size_t n, size_t bins, const T* range, const T* x, T* y)
 *     y[bins] += 1 for each x in [range[0], range[1]]: torch's linear bin
 *     (x - lo) * bins / (hi - lo) in T, the top edge in the last bin; NaN and outside skipped
 *     (counted in uint32 for up to 256 bins, so exact where torch's float counts are).
 *   void wt_f16_histc / wt_bf16_histc(size_t n, size_t bins, const float* range,
 *                                     const uint16_t* x, uint16_t* y)
 *     the same in c10's half arithmetic (each operation in float32, rounded to the dtype;
 *     range holds values of the dtype, y is zeroed): each of the 65536 bit patterns counted,
 *     then binned once in value order (the bin is monotone in the value, so every bin's count
 *     is a run: exact, rounded to the dtype once); short inputs bin each element, counting in
 *     y (exact up to 2048 / 256).
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
#define WT_LANES 8

#define DEFINE_SEARCH(dt, T)                                                                \
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
  /* sorted rows without NaN: the test is monotone along the row, so every binary search    \
   * finds torch's answer; this one takes log2(m) steps whatever x, WT_LANES x in lockstep  \
   * (independent chains of loads and selects, no branch on the data) */                   \
  static inline __attribute__((always_inline)) void dt##_bound_lanes(                      \
      const T* s, size_t m, const T* x, int right, size_t* pos) {                           \
    const T* b[WT_LANES];                                                                   \
    for (int j = 0; j < WT_LANES; j++) b[j] = s;                                            \
    for (size_t n = m; n > 1;) {                                                            \
      const size_t half = n >> 1;                                                           \
      for (int j = 0; j < WT_LANES; j++) b[j] = WT_GO(b[j][half], x[j], right) ? b[j] + half \
                                                                             : b[j];        \
      n -= half;                                                                            \
    }                                                                                       \
    for (int j = 0; j < WT_LANES; j++)                                                      \
      pos[j] = m ? (size_t)(b[j] - s) + WT_GO(b[j][0], x[j], right) : 0;                    \
  }                                                                                         \
  static int dt##_monotone(const T* s, size_t m) {                                          \
    int ok = 1;                                                                             \
    for (size_t i = 0; i + 1 < m; i++) ok &= s[i] <= s[i + 1];    /* false for a NaN */     \
    return ok;                                                                              \
  }                                                                                         \
  static void dt##_bounds(const T* s, size_t m, const T* x, size_t k, int right,            \
                          size_t* pos, int64_t* o64, int32_t* o32, uint8_t* hit) {          \
    const int fast = dt##_monotone(s, m);                                                   \
    size_t i = 0;                                                                           \
    if (fast)                                                                               \
      for (; i + WT_LANES <= k; i += WT_LANES) {                                            \
        if (right) dt##_bound_lanes(s, m, x + i, 1, pos);                                   \
        else dt##_bound_lanes(s, m, x + i, 0, pos);                                         \
        for (int j = 0; j < WT_LANES; j++) {                                                \
          if (o64) o64[i + j] = (int64_t)pos[j];                                            \
          else if (o32) o32[i + j] = (int32_t)pos[j];                                       \
          else hit[i + j] = pos[j] < m && s[pos[j]] == x[i + j];                            \
        }                                                                                   \
      }                                                                                     \
    for (; i < k; i++) {                                                                    \
      const size_t p = dt##_bound_torch(s, m, x[i], right);                                 \
      if (o64) o64[i] = (int64_t)p;                                                         \
      else if (o32) o32[i] = (int32_t)p;                                                    \
      else hit[i] = p < m && s[p] == x[i];                                                  \
    }                                                                                       \
  }                                                                                         \
  WT_EXPORT void WT_SYM(dt##_searchsorted)(size_t rows, size_t m, size_t k, size_t flags,    \
                                           size_t seq_rs, const T* seq, const T* v,         \
                                           void* out) {                                     \
    size_t pos[WT_LANES];                                                                   \
    const int right = flags & 1, i32 = (flags >> 1) & 1;                                    \
    for (size_t r = 0; r < rows; r++, seq += seq_rs, v += k)                                \
      dt##_bounds(seq, m, v, k, right, pos, i32 ? 0 : (int64_t*)out + r * k,                \
                  i32 ? (int32_t*)out + r * k : 0, 0);                                      \
  }                                                                                         \
  WT_EXPORT void WT_SYM(dt##_isin)(size_t n, size_t m, size_t invert, const T* x,           \
                                   const T* test, uint8_t* y) {                             \
    size_t pos[WT_LANES];                                                                   \
    while (m && test[m - 1] != test[m - 1]) m--;     /* trailing NaNs: never equal */       \
    dt##_bounds(test, m, x, n, 0, pos, 0, 0, y);                                            \
    if (invert)                                                                             \
      for (size_t i = 0; i < n; i++) y[i] ^= 1;                                             \
  }

DEFINE_SEARCH(f32, float)
DEFINE_SEARCH(f64, double)
DEFINE_SEARCH(i64, int64_t)
DEFINE_SEARCH(i32, int32_t)

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
    v128_t p = wasm_i32x4_trunc_sat_f32x4(
        wasm_f32x4_div(wasm_f32x4_mul(wasm_f32x4_sub(e, vlo), vbins), vspan));
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
  (void)n, (void)bins, (void)lo, (void)hi, (void)x, (void)c;
  return 0;
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
      if (cur != (size_t)-1) y[cur] = (uint16_t)wt_f2h((float)acc, bf);
      cur = b, acc = 0;
    }
    acc += c[p];
  }
  if (cur != (size_t)-1) y[cur] = (uint16_t)wt_f2h((float)acc, bf);
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
