// all / any over bool x (1 byte per element, 4 per u32 word) into bool out (byte stores with
// atomics: neighbouring outputs share a word). Same [outer, n, inner] plan, params, modes and
// prologue as reduce.wgsl (backends/webgpu/reduce.py); w6: 1 = all, 0 = any.
// END OF COMMENT
@group(0) @binding(1) var<storage, read_write> Y: array<atomic<u32>>;
@group(0) @binding(2) var<storage, read> X: array<u32>;

var<workgroup> SU: array<u32, 256>;

fn xbase(j: u32) -> u32 {
  let inner = p(2u);
  let o = j / inner;
  return o * p(1u) * inner + (j - o * inner);
}
fn ldb(b: u32, k: u32) -> u32 {
  let o = p(3u) + b + k * p(2u);
  return (X[o >> 2u] >> ((o & 3u) * 8u)) & 0xffu;
}

fn boolred(l: vec3<u32>, w: vec3<u32>, g: vec3<u32>) {
{{PRO}}
  let all_ = p(6u) == 1u;
  var r = select(0u, 1u, all_);
  for (var k = k0; k < n; k += step) {
    let v = select(0u, 1u, ldb(b, k) != 0u);
    r = select(r | v, r & v, all_);
  }
  if (wg) {
    SU[t] = r;
    workgroupBarrier();
    for (var h = 128u; h > 0u; h = h >> 1u) {
      if (t < h) { SU[t] = select(SU[t] | SU[t + h], SU[t] & SU[t + h], all_); }
      workgroupBarrier();
    }
    r = SU[0];
  }
  if (live && (!wg || t == 0u)) {
    let o = p(4u) + j;
    let sh = (o & 3u) * 8u;
    atomicAnd(&Y[o >> 2u], ~(0xffu << sh));
    atomicOr(&Y[o >> 2u], r << sh);
  }
}

@compute @workgroup_size(256)
fn reduce_all_bool(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
  boolred(l, w, g);
}

@compute @workgroup_size(256)
fn reduce_any_bool(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
  boolred(l, w, g);
}
