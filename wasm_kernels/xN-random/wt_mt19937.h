/* torch's CPU generator: mt19937 on a state kept in torch's CPUGeneratorImplState layout (the
 * 5056 bytes torch.get_rng_state() returns; see webtensor/_random.py):
 *   8: left (i32), 16: next (u64), 24: mt[624] stored as u64 words.
 * A kernel loads the state, draws, and stores it back. torch's operator(): --left; when it
 * reaches 0 the state twists (left = 624, next = 0); then it tempers mt[next++]. */
#pragma once
#include <stdint.h>

#define WT_MT_N 624
#define WT_MT_M 397

typedef struct {
  uint32_t mt[WT_MT_N];
  int32_t left;
  uint32_t next;
} wt_mt;

static inline void wt_mt_load(wt_mt* g, const uint8_t* st) {
  const uint32_t* w = (const uint32_t*)(st + 24);   /* little-endian u64: the low word first */
  for (int i = 0; i < WT_MT_N; i++) g->mt[i] = w[2 * i];
  g->left = *(const int32_t*)(st + 8);
  g->next = *(const uint32_t*)(st + 16);
}

static inline void wt_mt_store(const wt_mt* g, uint8_t* st) {
  uint32_t* w = (uint32_t*)(st + 24);
  for (int i = 0; i < WT_MT_N; i++) {
    w[2 * i] = g->mt[i];
    w[2 * i + 1] = 0;
  }
  *(int32_t*)(st + 8) = g->left;
  *(uint32_t*)(st + 16) = g->next;
  *(uint32_t*)(st + 20) = 0;
}

static inline uint32_t wt_mt_mix(uint32_t u, uint32_t v) {
  return (((u & 0x80000000u) | (v & 0x7fffffffu)) >> 1) ^ ((v & 1u) ? 0x9908b0dfu : 0u);
}

__attribute__((noinline)) static void wt_mt_twist(wt_mt* g) {
  uint32_t* p = g->mt;
  int j = 0;
  for (; j < WT_MT_N - WT_MT_M; j++) p[j] = p[j + WT_MT_M] ^ wt_mt_mix(p[j], p[j + 1]);
  for (; j < WT_MT_N - 1; j++) p[j] = p[j + WT_MT_M - WT_MT_N] ^ wt_mt_mix(p[j], p[j + 1]);
  p[WT_MT_N - 1] = p[WT_MT_M - 1] ^ wt_mt_mix(p[WT_MT_N - 1], p[0]);
}

/* The next n 32-bit draws (torch's generator->random()) into out. */
__attribute__((noinline)) static void wt_mt_draw(wt_mt* g, uint32_t* out, size_t n) {
  while (n) {
    if (g->left <= 1) {          /* the next draw twists first; then left counts down from 624 */
      wt_mt_twist(g);
      g->left = WT_MT_N + 1;
      g->next = 0;
    }
    size_t k = (size_t)(g->left - 1);
    if (k > n) k = n;
    const uint32_t* src = g->mt + g->next;
    for (size_t i = 0; i < k; i++) {
      uint32_t y = src[i];
      y ^= y >> 11;
      y ^= (y << 7) & 0x9d2c5680u;
      y ^= (y << 15) & 0xefc60000u;
      y ^= y >> 18;
      out[i] = y;
    }
    g->next += (uint32_t)k;
    g->left -= (int32_t)k;
    out += k;
    n -= k;
  }
}
