/* f32 comparisons in the 2-D broadcast form of wt_binary.h, writing uint8 0/1 (torch bool).
 * IEEE semantics: every comparison with NaN is false except ne. */
#include "wt_binary.h"

static inline v128_t v_eq(v128_t a, v128_t b) { return wasm_f32x4_eq(a, b); }
static inline v128_t v_ne(v128_t a, v128_t b) { return wasm_f32x4_ne(a, b); }
static inline v128_t v_lt(v128_t a, v128_t b) { return wasm_f32x4_lt(a, b); }
static inline v128_t v_le(v128_t a, v128_t b) { return wasm_f32x4_le(a, b); }
static inline v128_t v_gt(v128_t a, v128_t b) { return wasm_f32x4_gt(a, b); }
static inline v128_t v_ge(v128_t a, v128_t b) { return wasm_f32x4_ge(a, b); }

WT_BINARY_KERNEL(eq, v_eq, uint8_t, wt_put4_u8, wt_put1_u8)
WT_BINARY_KERNEL(ne, v_ne, uint8_t, wt_put4_u8, wt_put1_u8)
WT_BINARY_KERNEL(lt, v_lt, uint8_t, wt_put4_u8, wt_put1_u8)
WT_BINARY_KERNEL(le, v_le, uint8_t, wt_put4_u8, wt_put1_u8)
WT_BINARY_KERNEL(gt, v_gt, uint8_t, wt_put4_u8, wt_put1_u8)
WT_BINARY_KERNEL(ge, v_ge, uint8_t, wt_put4_u8, wt_put1_u8)
