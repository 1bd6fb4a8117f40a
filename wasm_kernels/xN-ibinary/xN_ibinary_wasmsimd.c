/* int64 binary kernels in the 2-D broadcast form of the f32 ones (wt_binary.h):
 *   void wt_i64_<op>_<isa>(size_t m, size_t n, const T* a, int32_t a_rs, int32_t a_cs,
 *                          const T* b, int32_t b_rs, int32_t b_cs, OUT* y)
 * (The macros take other lane widths too: int32 would add ~12 KB to the module.)
 * add/sub/mul wrap around (two's complement, like torch); maximum/minimum; comparisons write
 * bool bytes 0/1.
 */
#include "wt_common.h"


/* vector ops */
#define V64_add(a, b) wasm_i64x2_add(a, b)
#define V64_sub(a, b) wasm_i64x2_sub(a, b)
#define V64_mul(a, b) wasm_i64x2_mul(a, b)
#define V64_maximum(a, b) wasm_v128_bitselect(a, b, wasm_i64x2_ge(a, b))
#define V64_minimum(a, b) wasm_v128_bitselect(a, b, wasm_i64x2_le(a, b))
#define V64_eq(a, b) wasm_i64x2_eq(a, b)
#define V64_ne(a, b) wasm_i64x2_ne(a, b)
#define V64_lt(a, b) wasm_i64x2_lt(a, b)
#define V64_le(a, b) wasm_i64x2_le(a, b)
#define V64_gt(a, b) wasm_i64x2_gt(a, b)
#define V64_ge(a, b) wasm_i64x2_ge(a, b)

/* scalar ops (unsigned arithmetic: wrap-around without C's signed-overflow UB) */
#define S_add(T, U, a, b) (T)((U)(a) + (U)(b))
#define S_sub(T, U, a, b) (T)((U)(a) - (U)(b))
#define S_mul(T, U, a, b) (T)((U)(a) * (U)(b))
#define S_maximum(T, U, a, b) ((a) >= (b) ? (a) : (b))
#define S_minimum(T, U, a, b) ((a) <= (b) ? (a) : (b))
#define S_eq(T, U, a, b) ((a) == (b))
#define S_ne(T, U, a, b) ((a) != (b))
#define S_lt(T, U, a, b) ((a) < (b))
#define S_le(T, U, a, b) ((a) <= (b))
#define S_gt(T, U, a, b) ((a) > (b))
#define S_ge(T, U, a, b) ((a) >= (b))

/* stores of a vector result: arithmetic, or lane masks -> bool bytes */
static inline void put_v(void* y, v128_t v) { wasm_v128_store(y, v); }
static inline void put_m64(uint8_t* y, v128_t m) {
  y[0] = (uint8_t)(wasm_i64x2_extract_lane(m, 0) & 1);
  y[1] = (uint8_t)(wasm_i64x2_extract_lane(m, 1) & 1);
}

/* Operands that are not contiguous along the row (broadcast or strided) are first copied
 * into a stack chunk, so each kernel has a single vector loop (code size: 22 kernels). */
#define WT_CHUNK 64
#define DEFINE_FETCH(bits, T)                                                               \
  static __attribute__((noinline)) void fetch##bits(T* d, const T* s, ptrdiff_t cs,         \
                                                    size_t k) {                             \
    _Pragma("clang loop unroll(disable) vectorize(disable)")                               \
    for (size_t i = 0; i < k; i++) d[i] = s[(ptrdiff_t)i * cs];                             \
  }
DEFINE_FETCH(64, int64_t)

#define KERNEL(bits, op, T, U, OUT, PUT)                                                    \
  static __attribute__((noinline)) void vec_i##bits##_##op(const T* a, const T* b, OUT* y,  \
                                                          size_t n) {                       \
    const size_t per = 16 / sizeof(T);                                                      \
    size_t j = 0;                                                                           \
    _Pragma("clang loop unroll(disable)")                                                  \
    for (; j + per <= n; j += per)                                                          \
      PUT(y + j, V##bits##_##op(wasm_v128_load(a + j), wasm_v128_load(b + j)));             \
    _Pragma("clang loop unroll(disable) vectorize(disable)")                               \
    for (; j < n; j++) y[j] = (OUT)S_##op(T, U, a[j], b[j]);                                \
  }                                                                                         \
  WT_EXPORT void WT_SYM(i##bits##_##op)(size_t m, size_t n, const T* a, int32_t a_rs,       \
                                        int32_t a_cs, const T* b, int32_t b_rs,             \
                                        int32_t b_cs, OUT* y) {                             \
    T ta[WT_CHUNK], tb[WT_CHUNK];                                                           \
    for (size_t i = 0; i < m; i++, y += n) {                                                \
      const T* pa = a + (ptrdiff_t)i * a_rs;                                                \
      const T* pb = b + (ptrdiff_t)i * b_rs;                                                \
      if (a_cs == 1 && b_cs == 1) {                                                         \
        vec_i##bits##_##op(pa, pb, y, n);                                                   \
        continue;                                                                           \
      }                                                                                     \
      for (size_t j0 = 0; j0 < n; j0 += WT_CHUNK) {                                         \
        const size_t k = wt_min_size(WT_CHUNK, n - j0);                                     \
        const T* qa = pa + j0;                                                              \
        const T* qb = pb + j0;                                                              \
        if (a_cs != 1) {                                                                    \
          if (a_cs != 0 || j0 == 0) fetch##bits(ta, pa + (ptrdiff_t)j0 * a_cs, a_cs, k);    \
          qa = ta;                                                                          \
        }                                                                                   \
        if (b_cs != 1) {                                                                    \
          if (b_cs != 0 || j0 == 0) fetch##bits(tb, pb + (ptrdiff_t)j0 * b_cs, b_cs, k);    \
          qb = tb;                                                                          \
        }                                                                                   \
        vec_i##bits##_##op(qa, qb, y + j0, k);                                              \
      }                                                                                     \
    }                                                                                       \
  }
#define ARITH(bits, T, U)                                                                   \
  KERNEL(bits, add, T, U, T, put_v)                                                         \
  KERNEL(bits, sub, T, U, T, put_v)                                                         \
  KERNEL(bits, mul, T, U, T, put_v)                                                         \
  KERNEL(bits, maximum, T, U, T, put_v)                                                     \
  KERNEL(bits, minimum, T, U, T, put_v)
#define COMPARE(bits, T, U)                                                                 \
  KERNEL(bits, eq, T, U, uint8_t, put_m##bits)                                              \
  KERNEL(bits, ne, T, U, uint8_t, put_m##bits)                                              \
  KERNEL(bits, lt, T, U, uint8_t, put_m##bits)                                              \
  KERNEL(bits, le, T, U, uint8_t, put_m##bits)                                              \
  KERNEL(bits, gt, T, U, uint8_t, put_m##bits)                                              \
  KERNEL(bits, ge, T, U, uint8_t, put_m##bits)

ARITH(64, int64_t, uint64_t)
COMPARE(64, int64_t, uint64_t)
