/* Index checks shared by the gather/scatter kernels (status protocol of backends/wasm/gather.py's
 * bad_index(): the first bad flat position, or -1). */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* The flat position of the first idx[k] outside [0, n), or -1. */
static inline int32_t wt_first_bad_index(const int64_t* idx, size_t total, size_t n) {
  for (size_t k = 0; k < total; k++) {
    if (idx[k] < 0 || (uint64_t)idx[k] >= (uint64_t)n) return (int32_t)k;
  }
  return -1;
}
