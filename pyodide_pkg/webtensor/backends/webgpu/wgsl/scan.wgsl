// cumsum / cumprod along a dim for every dtype but float32's cumsum (reduce.wgsl: Kahan).
// backends/webgpu/reduce.py fills in, per kernel (<primitive>_<dtype>): {{BINDINGS}} (Y the
// output = binding 1, X the input = binding 2, with typed.py's ld_/st_ helpers), {{ENTRY}} and
// {{OP}} (the step, in `acc` and `v`). Like reduce.wgsl's mode 1, x is a contiguous
// [outer, n, inner] block, one thread per row j in [0, outer * inner), k = 0, 1, ...
// sequentially. Params: w0 rows, w1 n, w2 inner, w3 x offset, w4 out offset (elements).
// The accumulator has the compute type of the dtype (f32 for float16/bfloat16: torch's
// acc_type, rounded at each store; i32 / u32 for the small ints: wrapping, and the store keeps
// the low bits, the same result modulo 2^bits; int64 in (lo, hi) words).
// {{ENTRY}}_wg, for few long rows: one workgroup (256 threads) per row, thread t owns the t-th
// of 256 equal segments: its segment's total, a scan of the 256 totals in workgroup memory
// (Hillis-Steele; a flag marks empty segments, so no identity element is needed), then its
// segment again from the prefix of the threads before it. Exact for the integers; floats
// associate differently from the sequential kernel (within rounding).
// END OF COMMENT
{{BINDINGS}}

fn step(acc: {{TYPE}}, v: {{TYPE}}) -> {{TYPE}} { return {{OP}}; }
fn xbase(j: u32) -> u32 {
  let inner = p(2u);
  let o = j / inner;
  return o * p(1u) * inner + (j - o * inner);
}

@compute @workgroup_size(256)
fn {{ENTRY}}(@builtin(global_invocation_id) gid: vec3<u32>,
             @builtin(num_workgroups) nwg: vec3<u32>) {
  let j = gid.x + gid.y * nwg.x * 256u;
  if (j >= p(0u)) { return; }
  let inner = p(2u);
  let b = xbase(j);
  var acc = ld_X(p(3u) + b);
  st_Y(p(4u) + b, acc);
  for (var k = 1u; k < p(1u); k++) {
    acc = step(acc, ld_X(p(3u) + b + k * inner));
    st_Y(p(4u) + b + k * inner, acc);
  }
}

var<workgroup> WV: array<{{TYPE}}, 256>;
var<workgroup> WF: array<u32, 256>;

@compute @workgroup_size(256)
fn {{ENTRY}}_wg(@builtin(local_invocation_id) l: vec3<u32>,
                @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
  let j = w.x + w.y * g.x;
  if (j >= p(0u)) { return; }
  let t = l.x;
  let n = p(1u);
  let inner = p(2u);
  let xb = p(3u) + xbase(j);
  let yb = p(4u) + xbase(j);
  let seg = (n + 255u) / 256u;
  let k0 = min(t * seg, n);
  let k1 = min(k0 + seg, n);
  var acc: {{TYPE}};
  for (var k = k0; k < k1; k++) {
    let v = ld_X(xb + k * inner);
    acc = select(v, step(acc, v), k > k0);
  }
  WV[t] = acc;
  WF[t] = select(0u, 1u, k1 > k0);
  workgroupBarrier();
  for (var s = 1u; s < 256u; s = s << 1u) {
    var a = WV[t];
    var f = WF[t];
    if (t >= s && WF[t - s] == 1u) {
      a = select(WV[t - s], step(WV[t - s], a), f == 1u);
      f = 1u;
    }
    workgroupBarrier();
    WV[t] = a;
    WF[t] = f;
    workgroupBarrier();
  }
  var has = t > 0u && WF[t - 1u] == 1u;
  if (has) { acc = WV[t - 1u]; }
  for (var k = k0; k < k1; k++) {
    let v = ld_X(xb + k * inner);
    acc = select(v, step(acc, v), has);
    has = true;
    st_Y(yb + k * inner, acc);
  }
}
