// scatter (torch's scatter / scatter_add / scatter_reduce; backends/webgpu/scatter.py) in place
// into out: out[.., index[.., k, ..], ..] = op(old, src[.., k, ..]) along dim.
// scatter.py fills in, per kernel scatter_<mode>_<dtype>: {{BINDINGS}} (Y = out, read_write,
// binding 1; I = index, binding 2, raw words; S = src, binding 3; typed.py's ld_/st_), {{TYPE}}
// (the compute type) and {{OP}} (the step, in `a` (old) and `v` (src)).
// Deterministic, with torch's CPU order: every element that index position (.., k, ..) can
// write shares index's coordinates off dim, so one thread owns one such "column" (every
// coordinate but dim's) and walks k = 0, 1, ... in order: duplicates combine exactly as
// torch's CPU loop combines them (last write wins for plain scatter; sums and products in k
// order, rounded at each step), and no two threads ever touch one element (no atomics but
// the packed dtypes' stores).
// Params: w0 columns, w1 ndim (<= 6), w2 dim, w3 L = index.shape[dim], w4..10 index shape,
// w10..16 out strides, w16..22 index strides, w22..28 src strides (elements), w28 out offset,
// w29 index offset, w30 src offset, w31 index is int64. Indices were checked before (in range).
// END OF COMMENT
{{BINDINGS}}
{{HELPERS}}

fn step(a: {{TYPE}}, v: {{TYPE}}) -> {{TYPE}} { return {{OP}}; }

fn idx(i: u32) -> u32 {
  if (p(31u) == 1u) { return I[2u * i]; }
  return I[i];
}

@compute @workgroup_size(64)
fn {{ENTRY}}(@builtin(global_invocation_id) gid: vec3<u32>,
             @builtin(num_workgroups) nwg: vec3<u32>) {
  let c = gid.x + gid.y * nwg.x * 64u;
  if (c >= p(0u)) { return; }
  let nd = p(1u);
  let dim = p(2u);
  var rem = c;
  var oo = p(28u); var io = p(29u); var so = p(30u);
  for (var j = 0u; j < nd; j++) {
    let d = nd - 1u - j;
    if (d == dim) { continue; }
    let s = p(4u + d);
    let q = rem % s;
    rem = rem / s;
    oo += q * p(10u + d); io += q * p(16u + d); so += q * p(22u + d);
  }
  for (var k = 0u; k < p(3u); k++) {
    let o = oo + idx(io + k * p(16u + dim)) * p(10u + dim);
    st_Y(o, step(ld_Y(o), ld_S(so + k * p(22u + dim))));
  }
}
