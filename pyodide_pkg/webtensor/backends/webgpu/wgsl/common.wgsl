// Prepended to every webtensor kernel (backends/webgpu/kernels.py assembles the sources).
// Binding 0: the dispatch's params, 64 u32 words:
//   w[0] numel, w[1] ndim (<= 6), w[2..8) shape,
//   tensor k (0 = out, 1..3 = inputs): w[8 + 7k] element offset, w[9 + 7k ..] element strides,
//   w[36..] the kernel's extra words (scalars as f32 bits).
// Storage buffers are array<u32>: int64 is two words (lo, hi); 1- and 2-byte dtypes are packed
// 4 / 2 per word (stores into them use atomics, so neighbouring threads never clobber a word),
// except float16 in the `f16` kernels (adapter feature shader-f16): array<f16>, plain stores.
struct Params { w: array<vec4<u32>, 16> }
@group(0) @binding(0) var<uniform> P: Params;
var<private> INF_BITS: u32 = 0x7f800000u;
var<private> NAN_BITS: u32 = 0x7fc00000u;

fn p(i: u32) -> u32 { return P.w[i >> 2u][i & 3u]; }
fn pf(i: u32) -> f32 { return bitcast<f32>(p(i)); }
fn inf() -> f32 { return bitcast<f32>(INF_BITS); }
fn nan() -> f32 { return bitcast<f32>(NAN_BITS); }
// WGSL lets compilers assume no NaN/inf in float comparisons (x != x may fold to false): test bits
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }

// element offset of tensor k for the linear index i of the (coalesced) iteration shape
fn offs(i: u32, k: u32) -> u32 {
  var rem = i;
  var o = p(8u + 7u * k);
  let nd = p(1u);
  for (var j = 0u; j < nd; j++) {
    let d = nd - 1u - j;
    let s = p(2u + d);
    o += (rem % s) * p(9u + 7u * k + d);
    rem = rem / s;
  }
  return o;
}

fn erf_f(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.5) {
    let z = x * x;
    return x * 1.1283791671 * (1.0 + z * (-0.33333333333 + z * (0.1 + z * (-0.0238095238
           + z * (0.0046296296 - z * 0.0007575758)))));
  }
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
          + t * 1.061405429)))) * exp(-a * a);
  return select(y, -y, x < 0.0);
}

fn pow_f(a: f32, b: f32) -> f32 {
  if (b == 0.0 || a == 1.0) { return 1.0; }
  if (is_nan(a) || is_nan(b)) { return nan(); }
  let m = abs(a);
  var r: f32;
  if (m == 0.0) { r = select(0.0, inf(), b < 0.0); }
  else { r = exp2(b * log2(m)); }
  if (a < 0.0 || (a == 0.0 && (bitcast<u32>(a) >> 31u) == 1u)) {
    if (floor(b) != b) { return select(nan(), r, m == 0.0 || bitcast<u32>(m) == INF_BITS); }
    let odd = abs(b) < 16777216.0 && (i32(abs(b)) & 1) == 1;
    if (odd) { return -r; }
  }
  return r;
}

// int64 (two u32 words, two's complement) <-> f32
fn i64_to_f32(v: vec2<u32>) -> f32 {
  if ((v.y >> 31u) == 1u) {
    let lo = ~v.x + 1u;
    let hi = ~v.y + select(0u, 1u, lo == 0u);
    return -(f32(hi) * 4294967296.0 + f32(lo));
  }
  return f32(v.y) * 4294967296.0 + f32(v.x);
}

fn f32_to_i64(x: f32) -> vec2<u32> {
  let m = trunc(abs(x));
  let hi = u32(m / 4294967296.0);
  let lo = u32(m - f32(hi) * 4294967296.0);
  if (x < 0.0) {
    let nlo = ~lo + 1u;
    return vec2<u32>(nlo, ~hi + select(0u, 1u, nlo == 0u));
  }
  return vec2<u32>(lo, hi);
}

// float16 bits (the low 16 of a u32) <-> f32 as torch's c10::Half converts: round to nearest
// even, overflow to inf, subnormals kept, NaN -> 0x7e00 (sign kept). Integer ops only: WGSL
// leaves out-of-range and subnormal f16 conversions to the implementation.
fn f16_to_f32(h: u32) -> f32 {
  let s = (h & 0x8000u) << 16u;
  let e = (h >> 10u) & 0x1fu;
  let m = h & 0x3ffu;
  if (e == 0x1fu) { return bitcast<f32>(s | 0x7f800000u | (m << 13u)); }
  if (e == 0u) { return bitcast<f32>(s | bitcast<u32>(f32(m) * 5.9604644775390625e-8)); }
  return bitcast<f32>(s | ((e + 112u) << 23u) | (m << 13u));
}

fn f16_bits(x: f32) -> u32 {
  let b = bitcast<u32>(x);
  let s = (b >> 16u) & 0x8000u;
  let a = b & 0x7fffffffu;
  if (a > 0x7f800000u) { return s | 0x7e00u; }
  if (a >= 0x477ff000u) { return s | 0x7c00u; }              // >= 65520 rounds to inf
  if (a >= 0x38800000u) {                                    // normal: rebias, round, shift
    return s | ((a - 0x38000000u + 0xfffu + ((a >> 13u) & 1u)) >> 13u);
  }
  if (a <= 0x33000000u) { return s; }                        // <= 2^-25 rounds to 0
  let sh = 126u - (a >> 23u);                                // subnormal: mantissa >> 14..24
  let mant = (a & 0x7fffffu) | 0x800000u;
  let q = mant >> sh;
  let rem = mant & ((1u << sh) - 1u);
  let half = 1u << (sh - 1u);
  return s | (q + select(0u, 1u, rem > half || (rem == half && (q & 1u) == 1u)));
}

// atan2 with torch's results where WGSL's is undefined or unreliable: NaN in, NaN out; y = ±0
// gives ±0 / ±pi by x's sign bit; infinities
fn atan2_f(y: f32, x: f32) -> f32 {
  if (is_nan(y) || is_nan(x)) { return nan(); }
  let ay = bitcast<u32>(y) & 0x7fffffffu;
  let ax = bitcast<u32>(x) & 0x7fffffffu;
  let xneg = (bitcast<u32>(x) >> 31u) == 1u;
  let pi = 3.14159265358979;
  var r: f32;
  if (ay == 0u || (ax == INF_BITS && ay != INF_BITS)) { r = select(0.0, pi, xneg); }
  else if (ay == INF_BITS) {
    r = select(0.5 * pi, select(0.25 * pi, 0.75 * pi, xneg), ax == INF_BITS);
  }
  else { r = atan2(bitcast<f32>(ay), x); }                      // in (0, pi)
  return select(r, -r, (bitcast<u32>(y) >> 31u) == 1u);
}

fn bf16_bits(x: f32) -> u32 {
  if (is_nan(x)) { return 0x7fc0u; }
  let b = bitcast<u32>(x);
  return (b + 0x7fffu + ((b >> 16u) & 1u)) >> 16u;
}

// int64 arithmetic on (lo, hi) words, wrapping like C's int64_t
fn add64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let lo = a.x + b.x;
  return vec2<u32>(lo, a.y + b.y + select(0u, 1u, lo < a.x));
}

fn sub64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  return vec2<u32>(a.x - b.x, a.y - b.y - select(0u, 1u, a.x < b.x));
}

fn mul32x32(x: u32, y: u32) -> vec2<u32> {
  let x0 = x & 0xffffu; let x1 = x >> 16u; let y0 = y & 0xffffu; let y1 = y >> 16u;
  let p00 = x0 * y0; let p01 = x0 * y1; let p10 = x1 * y0; let p11 = x1 * y1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return vec2<u32>((p00 & 0xffffu) | (mid << 16u), p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u));
}

fn mul64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let p = mul32x32(a.x, b.x);
  return vec2<u32>(p.x, p.y + a.x * b.y + a.y * b.x);
}

fn lt64(a: vec2<u32>, b: vec2<u32>) -> bool {
  return bitcast<i32>(a.y) < bitcast<i32>(b.y) || (a.y == b.y && a.x < b.x);
}
