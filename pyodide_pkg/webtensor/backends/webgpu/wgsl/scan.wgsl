// cumsum / cumprod along a dim for every dtype but float32's cumsum (reduce.wgsl: Kahan).
// backends/webgpu/reduce.py fills in, per kernel (<primitive>_<dtype>): {{BINDINGS}} (Y the
// output = binding 1, X the input = binding 2, with typed.py's ld_/st_ helpers), {{ENTRY}} and
// {{OP}} (the step, in `acc` and `v`). Like reduce.wgsl's mode 1, x is a contiguous
// [outer, n, inner] block, one thread per row j in [0, outer * inner), k = 0, 1, ...
// sequentially. Params: w0 rows, w1 n, w2 inner, w3 x offset, w4 out offset (elements).
// The accumulator has the compute type of the dtype (f32 for float16/bfloat16: torch's
// acc_type, rounded at each store; i32 / u32 for the small ints: wrapping, and the store keeps
// the low bits, the same result modulo 2^bits; int64 in (lo, hi) words).
// END OF COMMENT
{{BINDINGS}}

@compute @workgroup_size(256)
fn {{ENTRY}}(@builtin(global_invocation_id) gid: vec3<u32>,
             @builtin(num_workgroups) nwg: vec3<u32>) {
  let j = gid.x + gid.y * nwg.x * 256u;
  if (j >= p(0u)) { return; }
  let inner = p(2u);
  let o = j / inner;
  let b = o * p(1u) * inner + (j - o * inner);
  var acc = ld_X(p(3u) + b);
  st_Y(p(4u) + b, acc);
  for (var k = 1u; k < p(1u); k++) {
    let v = ld_X(p(3u) + b + k * inner);
    acc = {{OP}};
    st_Y(p(4u) + b + k * inner, acc);
  }
}
