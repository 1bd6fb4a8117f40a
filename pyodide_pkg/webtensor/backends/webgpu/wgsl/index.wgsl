// index_select / gather (backends/webgpu/index.py). Each `//!kernel <name>` piece is one kernel
// source (after common.wgsl and this prelude). Index tensors are contiguous int64 (two u32
// words; the value is checked as hi == 0 && lo < limit) or int32; copies move u32 words (an
// 8-byte element is two words), one thread per output word / element.

// reads the piece's `I` (the index binding)
fn idx_at(off: u32, i: u32, is64: u32) -> vec2<u32> {
  if (is64 == 1u) { return vec2<u32>(I[2u * (off + i)], I[2u * (off + i) + 1u]); }
  let v = I[off + i];
  return vec2<u32>(v, select(0u, 0xffffffffu, (v >> 31u) == 1u));
}

fn clamp_idx(v: vec2<u32>, limit: u32) -> u32 {
  if (v.y != 0u) { return select(limit - 1u, 0u, (v.y >> 31u) == 1u); }   // negative -> 0
  return min(v.x, limit - 1u);
}

fn tid(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.x + gid.y * nwg.x * 64u; }

//!kernel index_check
// params: w0 n, w1 index offset, w2 is64, w3 limit. S[0] = max(n - pos) over bad positions.
@group(0) @binding(1) var<storage, read_write> S: array<atomic<u32>>;
@group(0) @binding(2) var<storage, read> I: array<u32>;

@compute @workgroup_size(64)
fn index_check(@builtin(global_invocation_id) gid: vec3<u32>,
               @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = tid(gid, nwg);
  let n = p(0u);
  if (i >= n) { return; }
  let v = idx_at(p(1u), i, p(2u));
  if (v.y != 0u || v.x >= p(3u)) { atomicMax(&S[0], n - i); }
}

//!kernel index_select_words
// params: w0 total words, w1 inner words, w2 nidx, w3 n (x.shape[dim]), w4 x word offset,
// w5 index offset, w6 is64, w7 out word offset. out [outer, nidx, inner] contiguous.
@group(0) @binding(1) var<storage, read_write> O: array<u32>;
@group(0) @binding(2) var<storage, read> X: array<u32>;
@group(0) @binding(3) var<storage, read> I: array<u32>;

@compute @workgroup_size(64)
fn index_select_words(@builtin(global_invocation_id) gid: vec3<u32>,
                @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = tid(gid, nwg);
  if (t >= p(0u)) { return; }
  let inner = p(1u);
  let nidx = p(2u);
  let c = t % inner;
  let r = t / inner;
  let j = r % nidx;
  let o = r / nidx;
  let k = clamp_idx(idx_at(p(5u), j, p(6u)), p(3u));
  O[p(7u) + t] = X[p(4u) + (o * p(3u) + k) * inner + c];
}

//!kernel gather_words
// params: w0 numel, w1 ndim, w2..8 index/out shape, w8..14 x strides (elements), w14 x offset,
// w15 dim, w16 x.shape[dim], w17 index offset, w18 is64, w19 words per element, w20 out offset.
@group(0) @binding(1) var<storage, read_write> O: array<u32>;
@group(0) @binding(2) var<storage, read> X: array<u32>;
@group(0) @binding(3) var<storage, read> I: array<u32>;

@compute @workgroup_size(64)
fn gather_words(@builtin(global_invocation_id) gid: vec3<u32>,
          @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = tid(gid, nwg);
  if (i >= p(0u)) { return; }
  let nd = p(1u);
  let dim = p(15u);
  let k = clamp_idx(idx_at(p(17u), i, p(18u)), p(16u));
  var rem = i;
  var xo = p(14u);
  for (var j = 0u; j < nd; j++) {
    let d = nd - 1u - j;
    let s = p(2u + d);
    let c = select(rem % s, k, d == dim);
    xo += c * p(8u + d);
    rem = rem / s;
  }
  let wpe = p(19u);
  for (var w = 0u; w < wpe; w++) { O[(p(20u) + i) * wpe + w] = X[xo * wpe + w]; }
}
