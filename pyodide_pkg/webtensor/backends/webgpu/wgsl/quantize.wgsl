// quantize.wgsl: float32 weights -> GGUF Q8_0 / Q4_1 blocks (backends/webgpu/quant.py), ggml's
// reference quantisers bit for bit (as backends/reference/quant.py): every step rounded to
// float32 as ggml's C code rounds it. WGSL's f32 + - * are correctly rounded but its division
// is not (2.5 ULP) and its f32 -> f16 packing may round either way, so the two divisions
// (d = amax / 127 or (max - min) / 15, and 1 / d) and the f16 bits are computed exactly in
// integer arithmetic (div_rn, f16_rne). keep() hides a product from the compiler so that a
// following add is never fused into an FMA (ggml rounds the product first). A result below
// 2^-126 (float32 subnormals, which WGSL may flush) may differ from ggml's.
//   <kind>_quantize    Q8_0: one thread per 2 blocks (68 bytes = 17 whole words);
//                      Q4_1: one thread per block (20 bytes = 5 words); no thread shares a word
// Bindings: 0 params, 1 Q (the blocks, u32 words, read_write), 2 W (float32 words).
// Params (u32 words): 0 blocks, 1 w offset (elements), 2 gx (workgroups along x), 3 zero.
struct Params { blocks: u32, w_off: u32, gx: u32, zero: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> Q: array<u32>;
@group(0) @binding(2) var<storage, read> W: array<f32>;

fn keep(x: f32) -> f32 { return select(x, 0.0, p.zero == 1u); }

// (mantissa with its leading 1 at bit 23, exponent) of a positive finite float's bits; a
// subnormal normalised
fn unpack_f32(u: u32) -> vec2<u32> {
  var e = i32(u >> 23u);
  var m = u & 0x7fffffu;
  if (e == 0) {
    e = 1;
    while (m < 0x800000u) { m = m << 1u; e -= 1; }
  } else {
    m |= 0x800000u;
  }
  return vec2<u32>(m, bitcast<u32>(e));
}

// a / b correctly rounded (round to nearest even), for a >= 0, b > 0, not both inf (a
// range max - min may overflow to inf; b == 0 never comes: inv_of asks d != 0 first)
fn div_rn(a: f32, b: f32) -> f32 {
  if (a == 0.0 || bitcast<u32>(b) == 0x7f800000u) { return 0.0; }
  if (bitcast<u32>(a) == 0x7f800000u || b == 0.0) { return inf(); }
  let fa = unpack_f32(bitcast<u32>(a)); let fb = unpack_f32(bitcast<u32>(b));
  var ma = fa.x; let mb = fb.x;
  var e = bitcast<i32>(fa.y) - bitcast<i32>(fb.y);
  if (ma < mb) { ma = ma << 1u; e -= 1; }
  var q = 0u; var r = ma;                  // 25 quotient bits: 24 of mantissa, 1 guard
  for (var i = 0u; i < 25u; i++) {
    q = q << 1u;
    if (r >= mb) { r -= mb; q |= 1u; }
    r = r << 1u;
  }
  var m = q >> 1u;
  if ((q & 1u) == 1u && (r != 0u || (m & 1u) == 1u)) { m += 1u; }
  if (m == 0x1000000u) { m = m >> 1u; e += 1; }
  let be = e + 127;
  if (be >= 255) { return inf(); }
  if (be <= 0) { return a / b; }           // subnormal result (see the header)
  return bitcast<f32>((u32(be) << 23u) | (m & 0x7fffffu));
}
var<private> INF_BITS: u32 = 0x7f800000u;  // not a constant: Tint rejects a constant inf
fn inf() -> f32 { return bitcast<f32>(INF_BITS); }
fn inv_of(d: f32) -> f32 {                 // ggml: d ? 1 / d : 0
  if (d == 0.0) { return 0.0; }
  return div_rn(1.0, d);
}

// float32 -> float16 bits, round to nearest even, overflow to inf (finite x)
fn f16_rne(x: f32) -> u32 {
  let b = bitcast<u32>(x);
  let s = (b >> 16u) & 0x8000u;
  let e = (b >> 23u) & 0xffu;
  let mm = (b & 0x7fffffu) | 0x800000u;
  if (e >= 143u) { return s | 0x7c00u; }
  var sh = 13u;
  var v = ((e - 112u) << 10u) | ((b & 0x7fffffu) >> 13u);
  if (e < 113u) {                          // f16 subnormal (or zero)
    if (e < 102u) { return s; }
    sh = 126u - e;
    v = mm >> sh;
  }
  let rem = mm & ((1u << sh) - 1u);
  let hlf = 1u << (sh - 1u);
  if (rem > hlf || (rem == hlf && (v & 1u) == 1u)) { v += 1u; }
  return s | v;
}

fn tid(gid: vec3<u32>) -> u32 { return gid.x + gid.y * p.gx * 64u; }

var<private> BYTES: array<u32, 17>;
fn put(i: u32, v: u32) { BYTES[i >> 2u] |= (v & 0xffu) << ((i & 3u) * 8u); }

// block b of Q8_0 into BYTES from byte `at`
fn q8_0_block(b: u32, at: u32) {
  let w0 = p.w_off + b * 32u;
  var amax = 0.0;
  for (var j = 0u; j < 32u; j++) { let a = abs(W[w0 + j]); amax = select(a, amax, amax > a); }
  let d = div_rn(amax, 127.0);
  let inv = inv_of(d);
  let dh = f16_rne(d);
  put(at, dh); put(at + 1u, dh >> 8u);
  for (var j = 0u; j < 32u; j++) {
    let v = keep(W[w0 + j] * inv);
    var q = 0;
    if ((bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u) { q = 0; }
    else if (v >= 127.0) { q = 127; }
    else if (v <= -128.0) { q = -128; }
    else {
      let t = trunc(v);
      q = i32(t);
      if (abs(v - t) >= 0.5) { q += select(1, -1, v < 0.0); }
    }
    put(at + 2u + j, bitcast<u32>(q));
  }
}

@compute @workgroup_size(64)
fn q8_0_quantize(@builtin(global_invocation_id) gid: vec3<u32>) {
  let t = tid(gid);
  let b = 2u * t;
  if (b >= p.blocks) { return; }
  for (var i = 0u; i < 17u; i++) { BYTES[i] = 0u; }
  q8_0_block(b, 0u);
  let two = b + 1u < p.blocks;
  if (two) { q8_0_block(b + 1u, 34u); }
  let base = 17u * t;
  for (var i = 0u; i < select(9u, 17u, two); i++) { Q[base + i] = BYTES[i]; }
}

@compute @workgroup_size(64)
fn q4_1_quantize(@builtin(global_invocation_id) gid: vec3<u32>) {
  let b = tid(gid);
  if (b >= p.blocks) { return; }
  let w0 = p.w_off + b * 32u;
  var lo = 3.4028234663852886e38; var hi = -3.4028234663852886e38;
  for (var j = 0u; j < 32u; j++) {
    let v = W[w0 + j];
    if (v < lo) { lo = v; }
    if (v > hi) { hi = v; }
  }
  let d = div_rn(keep(hi - lo), 15.0);
  let inv = inv_of(d);
  Q[5u * b] = f16_rne(d) | (f16_rne(lo) << 16u);
  for (var w = 0u; w < 4u; w++) {
    var word = 0u;
    for (var c = 0u; c < 4u; c++) {
      let j = 4u * w + c;
      var q2 = 0u;
      for (var h = 0u; h < 2u; h++) {
        let ts = keep(keep(keep(W[w0 + j + 16u * h] - lo) * inv) + 0.5);
        let nan = (bitcast<u32>(ts) & 0x7fffffffu) > 0x7f800000u;      // inf * 0: q = 0
        let q = select(select(select(0u, u32(ts), ts >= 1.0), 15u, ts >= 15.0), 0u, nan);
        q2 |= q << (4u * h);
      }
      word |= q2 << (8u * c);
    }
    Q[5u * b + 1u + w] = word;
  }
}
