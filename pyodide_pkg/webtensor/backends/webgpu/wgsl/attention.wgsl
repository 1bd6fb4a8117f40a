// Fused scaled dot-product attention (backends/webgpu/attention.py), float32.
// params: w0 rows (B*H*L), w1 B, w2 H, w3 L, w4 S, w5 E, w6 Ev, w7 H/Hk, w8 H/Hv, w9 scale (f32),
// w10 causal, w11 has mask, then (offset, 4 strides) for q w12.., k w17.., v w22.., mask w27..,
// w32 out offset (out contiguous [B, H, L, Ev]).
// One workgroup per query row; keys in blocks of 64, online softmax (running max / sum).

//!kernel sdpa_f32
@group(0) @binding(1) var<storage, read_write> O: array<f32>;
@group(0) @binding(2) var<storage, read> Q: array<f32>;
@group(0) @binding(3) var<storage, read> K: array<f32>;
@group(0) @binding(4) var<storage, read> V: array<f32>;
@group(0) @binding(5) var<storage, read> M: array<f32>;

const NEG: f32 = -3.0e38;
var<workgroup> qs: array<f32, 512>;
var<workgroup> red: array<f32, 64>;
var<workgroup> pb: array<f32, 64>;

fn base(t: u32, b: u32, h: u32, i: u32) -> u32 {
  return p(t) + b * p(t + 1u) + h * p(t + 2u) + i * p(t + 3u);
}

fn reduce_max(tid: u32, x: f32) -> f32 {
  red[tid] = x;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (tid < s) { red[tid] = max(red[tid], red[tid + s]); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

fn reduce_sum(tid: u32, x: f32) -> f32 {
  red[tid] = x;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (tid < s) { red[tid] = red[tid] + red[tid + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(64)
fn sdpa_f32(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
            @builtin(local_invocation_index) tid: u32) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= p(0u)) { return; }
  let H = p(2u); let L = p(3u); let S = p(4u); let E = p(5u); let Ev = p(6u);
  let i = row % L;
  let bh = row / L;
  let h = bh % H;
  let b = bh / H;
  let hk = h / p(7u);
  let hv = h / p(8u);
  let scale = pf(9u);
  let causal = p(10u) == 1u;
  let has_mask = p(11u) == 1u;
  let qb = base(12u, b, h, i);
  let qe = p(16u);
  for (var e = tid; e < E; e += 64u) { qs[e] = Q[qb + e * qe]; }
  workgroupBarrier();
  let kb0 = base(17u, b, hk, 0u);
  let ks = p(20u); let ke = p(21u);
  let vb0 = base(22u, b, hv, 0u);
  let vs = p(25u); let ve = p(26u);
  let mb = base(27u, b, h, i);
  let ms = p(31u);

  var acc: array<f32, 8>;
  for (var c = 0u; c < 8u; c++) { acc[c] = 0.0; }
  var m_run = NEG;
  var l_run = 0.0;
  for (var j0 = 0u; j0 < S; j0 += 64u) {
    let j = j0 + tid;
    var s = NEG;
    var ok = j < S && !(causal && j > i);
    if (ok) {
      var d = 0.0;
      let kr = kb0 + j * ks;
      for (var e = 0u; e < E; e++) { d += qs[e] * K[kr + e * ke]; }
      s = d * scale;
      if (has_mask) {
        let mv = M[mb + j * ms];
        if (bitcast<u32>(mv) == 0xff800000u) { ok = false; } else { s += mv; }
      }
      if (s < NEG) { ok = false; }
    }
    if (!ok) { s = NEG; }
    let bm = reduce_max(tid, s);
    let m_new = max(m_run, bm);
    let alpha = exp(m_run - m_new);
    let pj = select(0.0, exp(s - m_new), ok);
    pb[tid] = pj;
    let bl = reduce_sum(tid, pj);
    l_run = l_run * alpha + bl;
    m_run = m_new;
    let nj = min(64u, S - j0);
    var c = 0u;
    for (var ch = tid; ch < Ev; ch += 64u) {
      var a = acc[c] * alpha;
      let vr = vb0 + j0 * vs + ch * ve;
      for (var t = 0u; t < nj; t++) { a += pb[t] * V[vr + t * vs]; }
      acc[c] = a;
      c += 1u;
    }
    workgroupBarrier();
  }
  let ob = p(32u) + row * Ev;
  var c = 0u;
  for (var ch = tid; ch < Ev; ch += 64u) {
    O[ob + ch] = select(acc[c] / l_run, 0.0, l_run == 0.0);
    c += 1u;
  }
}
