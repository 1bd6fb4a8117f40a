// Reductions, softmax / log_softmax, cumsum, layer_norm / rms_norm on float32 (backends/webgpu/
// reduce.py dispatches them; common.wgsl is prepended). Every kernel sees x as a contiguous
// [outer, n, inner] block (reduce.py copies a strided or permuted x first) and computes one
// output "row" j in [0, outer * inner): elements x[base(j) + k * inner], k in [0, n).
// Params (u32 words): w0 rows (outer * inner), w1 n, w2 inner, w3 x offset, w4 out offset
// (elements), w5 a scalar (f32 bits: var's correction, the norms' eps), w6 flags (norms: 1
// weight, 2 bias), w7 mode, w8 weight offset, w9 bias offset.
// Mode 0: one workgroup (256 threads) per row, thread t takes k = t, t + 256, ... and the
// partials meet in a workgroup-shared tree (sums: Kahan per thread, then the tree: pairwise).
// Mode 1 (short rows): one thread per row, k = 0, 1, ... sequentially; no tree.
// The bounds of both modes come from the uniform params, so every barrier is in uniform control.
// END OF COMMENT
@group(0) @binding(1) var<storage, read_write> Y: array<u32>;
@group(0) @binding(2) var<storage, read> X: array<u32>;
@group(0) @binding(3) var<storage, read> W: array<u32>;
@group(0) @binding(4) var<storage, read> BB: array<u32>;

var<workgroup> SV: array<f32, 256>;
var<workgroup> SI: array<u32, 256>;

fn is_fin(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }
fn xbase(j: u32) -> u32 {
  let inner = p(2u);
  let o = j / inner;
  return o * p(1u) * inner + (j - o * inner);
}
fn ld(b: u32, k: u32) -> f32 { return bitcast<f32>(X[p(3u) + b + k * p(2u)]); }
fn st(b: u32, k: u32, v: f32) { Y[p(4u) + b + k * p(2u)] = bitcast<u32>(v); }

fn tree_sum(t: u32, v: f32) -> f32 {
  SV[t] = v;
  workgroupBarrier();
  for (var h = 128u; h > 0u; h = h >> 1u) {
    if (t < h) { SV[t] = SV[t] + SV[t + h]; }
    workgroupBarrier();
  }
  let r = SV[0];
  workgroupBarrier();
  return r;
}
fn tree_prod(t: u32, v: f32) -> f32 {
  SV[t] = v;
  workgroupBarrier();
  for (var h = 128u; h > 0u; h = h >> 1u) {
    if (t < h) { SV[t] = SV[t] * SV[t + h]; }
    workgroupBarrier();
  }
  let r = SV[0];
  workgroupBarrier();
  return r;
}
// NaN-propagating max (sgn 1.0) / min (sgn -1.0)
fn best(a: f32, b: f32, sgn: f32) -> f32 {
  if (is_nan(a) || is_nan(b)) { return nan(); }
  return select(b, a, a * sgn > b * sgn || a == b);
}
fn tree_best(t: u32, v: f32, sgn: f32) -> f32 {
  SV[t] = v;
  workgroupBarrier();
  for (var h = 128u; h > 0u; h = h >> 1u) {
    if (t < h) { SV[t] = best(SV[t], SV[t + h], sgn); }
    workgroupBarrier();
  }
  let r = SV[0];
  workgroupBarrier();
  return r;
}
// (value, index) pairs: NaN wins, then the larger (sgn 1) / smaller (sgn -1), then the first index
fn arg_takes_b(av: f32, ai: u32, bv: f32, bi: u32, sgn: f32) -> bool {
  let an = is_nan(av); let bn = is_nan(bv);
  if (an || bn) { return bn && (!an || bi < ai); }
  if (av == bv) { return bi < ai; }
  return bv * sgn > av * sgn;
}
fn tree_arg(t: u32, v: f32, i: u32, sgn: f32) -> u32 {
  SV[t] = v; SI[t] = i;
  workgroupBarrier();
  for (var h = 128u; h > 0u; h = h >> 1u) {
    if (t < h && arg_takes_b(SV[t], SI[t], SV[t + h], SI[t + h], sgn)) {
      SV[t] = SV[t + h]; SI[t] = SI[t + h];
    }
    workgroupBarrier();
  }
  let r = SI[0];
  workgroupBarrier();
  return r;
}

// ---- per-thread partials over k = k0, k0 + step, ... < n -----------------------------------
fn part_sum(b: u32, k0: u32, step: u32) -> f32 {
  let n = p(1u);
  var s = 0.0; var c = 0.0; var q = 0.0;
  for (var k = k0; k < n; k += step) {
    let v = ld(b, k);
    q += v;
    let y = v - c; let t = s + y; c = (t - s) - y; s = t;
  }
  return select(q, s, is_fin(q));           // inf / NaN: the plain sum (Kahan would give NaN)
}
fn part_sqdev(b: u32, k0: u32, step: u32, m: f32) -> f32 {
  let n = p(1u);
  var s = 0.0; var c = 0.0; var q = 0.0;
  for (var k = k0; k < n; k += step) {
    let d = ld(b, k) - m;
    let v = d * d;
    q += v;
    let y = v - c; let t = s + y; c = (t - s) - y; s = t;
  }
  return select(q, s, is_fin(q));
}
fn part_sumexp(b: u32, k0: u32, step: u32, m: f32) -> f32 {
  let n = p(1u);
  var s = 0.0;
  for (var k = k0; k < n; k += step) { s += exp(ld(b, k) - m); }
  return s;
}
fn part_prod(b: u32, k0: u32, step: u32) -> f32 {
  let n = p(1u);
  var s = 1.0;
  for (var k = k0; k < n; k += step) { s *= ld(b, k); }
  return s;
}
fn part_best(b: u32, k0: u32, step: u32, sgn: f32) -> f32 {
  let n = p(1u);
  var s = -sgn * inf();
  for (var k = k0; k < n; k += step) { s = best(s, ld(b, k), sgn); }
  return s;
}

// every kernel starts with reduce.py's PROLOGUE: t, wg (mode 0), n, j (the row), live, k0,
// step, b (= xbase(j))

fn var_of(ss: f32, n: u32, corr: f32) -> f32 {
  let dof = max(0.0, f32(n) - corr);
  if (n == 0u) { return nan(); }
  if (dof == 0.0) { return select(inf(), nan(), ss == 0.0 || is_nan(ss)); }
  return ss / dof;
}

fn rsqrt_f(v: f32) -> f32 {
  if (is_nan(v)) { return v; }
  if (v == 0.0) { return inf(); }
  return select(nan(), 1.0 / sqrt(v), v > 0.0);
}

@compute @workgroup_size(256)
fn reduce_sum_float32(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
{{PRO}}
  var v = part_sum(b, k0, step);
  if (wg) { v = tree_sum(t, v); }
  if (live && (!wg || t == 0u)) { st(j, 0u, v); }
}

@compute @workgroup_size(256)
fn reduce_mean_float32(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
{{PRO}}
  var v = part_sum(b, k0, step);
  if (wg) { v = tree_sum(t, v); }
  if (live && (!wg || t == 0u)) { st(j, 0u, select(v / f32(n), nan(), n == 0u)); }
}

@compute @workgroup_size(256)
fn reduce_prod_float32(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
{{PRO}}
  var v = part_prod(b, k0, step);
  if (wg) { v = tree_prod(t, v); }
  if (live && (!wg || t == 0u)) { st(j, 0u, v); }
}

@compute @workgroup_size(256)
fn reduce_amax_float32(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
{{PRO}}
  var v = part_best(b, k0, step, 1.0);
  if (wg) { v = tree_best(t, v, 1.0); }
  if (live && (!wg || t == 0u)) { st(j, 0u, v); }
}

@compute @workgroup_size(256)
fn reduce_amin_float32(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
{{PRO}}
  var v = part_best(b, k0, step, -1.0);
  if (wg) { v = tree_best(t, v, -1.0); }
  if (live && (!wg || t == 0u)) { st(j, 0u, v); }
}

fn arg_kernel(t: u32, wg: bool, live: bool, j: u32, b: u32, k0: u32, step: u32, sgn: f32) {
  let n = p(1u);
  var bv = 0.0; var bi = 0xffffffffu;
  for (var k = k0; k < n; k += step) {
    let v = ld(b, k);
    if (bi == 0xffffffffu || arg_takes_b(bv, bi, v, k, sgn)) { bv = v; bi = k; }
  }
  if (bi == 0xffffffffu) { bv = -sgn * inf(); }   // an idle thread never wins (index too big)
  if (wg) { bi = tree_arg(t, bv, bi, sgn); }
  if (live && (!wg || t == 0u)) {
    let o = 2u * (p(4u) + j);
    Y[o] = select(bi, 0u, bi == 0xffffffffu);
    Y[o + 1u] = 0u;
  }
}

@compute @workgroup_size(256)
fn reduce_argmax_float32(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
{{PRO}}
  arg_kernel(t, wg, live, j, b, k0, step, 1.0);
}

@compute @workgroup_size(256)
fn reduce_argmin_float32(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
{{PRO}}
  arg_kernel(t, wg, live, j, b, k0, step, -1.0);
}

@compute @workgroup_size(256)
fn reduce_var_float32(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
{{PRO}}
  var s = part_sum(b, k0, step);
  if (wg) { s = tree_sum(t, s); }
  let m = s / f32(max(n, 1u));
  var ss = part_sqdev(b, k0, step, m);
  if (wg) { ss = tree_sum(t, ss); }
  if (!is_fin(m)) { ss = nan(); }
  if (live && (!wg || t == 0u)) { st(j, 0u, var_of(ss, n, pf(5u))); }
}

@compute @workgroup_size(256)
fn reduce_logsumexp_float32(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
{{PRO}}
  var m = part_best(b, k0, step, 1.0);
  if (wg) { m = tree_best(t, m, 1.0); }
  let mf = is_fin(m);
  var s = part_sumexp(b, k0, step, select(0.0, m, mf));
  if (wg) { s = tree_sum(t, s); }
  if (live && (!wg || t == 0u)) { st(j, 0u, select(m, m + log(s), mf)); }
}

fn softmax_kernel(t: u32, wg: bool, live: bool, j: u32, b: u32, k0: u32, step: u32, lg: bool) {
  let n = p(1u);
  var m = part_best(b, k0, step, 1.0);
  if (wg) { m = tree_best(t, m, 1.0); }
  let mf = is_fin(m);
  var s = part_sumexp(b, k0, step, select(0.0, m, mf));
  if (wg) { s = tree_sum(t, s); }
  if (!live) { return; }
  let ls = log(s);
  let r = 1.0 / s;
  for (var k = k0; k < n; k += step) {
    let d = ld(b, k) - m;
    var y = select(exp(d) * r, d - ls, lg);
    if (!mf) { y = nan(); }
    st(b, k, y);
  }
}

@compute @workgroup_size(256)
fn softmax_float32(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
{{PRO}}
  softmax_kernel(t, wg, live, j, b, k0, step, false);
}

@compute @workgroup_size(256)
fn log_softmax_float32(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
{{PRO}}
  softmax_kernel(t, wg, live, j, b, k0, step, true);
}

// mode 1 only: one thread scans one row (Kahan-compensated running sum)
@compute @workgroup_size(256)
fn cumsum_float32(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
{{PRO}}
  var s = 0.0; var c = 0.0; var q = 0.0;
  for (var k = k0; k < n; k += step) {
    let v = ld(b, k);
    q += v;
    let y = v - c; let tt = s + y; c = (tt - s) - y; s = tt;
    st(b, k, select(q, s, is_fin(q)));
  }
}

fn ldw(k: u32) -> f32 { return bitcast<f32>(W[p(8u) + k]); }
fn ldb(k: u32) -> f32 { return bitcast<f32>(BB[p(9u) + k]); }

@compute @workgroup_size(256)
fn layer_norm_float32(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
{{PRO}}
  var s = part_sum(b, k0, step);
  if (wg) { s = tree_sum(t, s); }
  let m = s / f32(n);
  var ss = part_sqdev(b, k0, step, m);
  if (wg) { ss = tree_sum(t, ss); }
  var v = ss / f32(n);
  if (!is_fin(m)) { v = nan(); }
  if (!live) { return; }
  let r = rsqrt_f(v + pf(5u));
  let fl = p(6u);
  for (var k = k0; k < n; k += step) {
    var y = (ld(b, k) - m) * r;
    if ((fl & 1u) != 0u) { y = y * ldw(k); }
    if ((fl & 2u) != 0u) { y = y + ldb(k); }
    st(b, k, y);
  }
}

@compute @workgroup_size(256)
fn rms_norm_float32(@builtin(local_invocation_id) l: vec3<u32>,
    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
{{PRO}}
  var ss = part_sqdev(b, k0, step, 0.0);
  if (wg) { ss = tree_sum(t, ss); }
  if (!live) { return; }
  let r = rsqrt_f(ss / f32(n) + pf(5u));
  let fl = p(6u);
  for (var k = k0; k < n; k += step) {
    var y = ld(b, k) * r;
    if ((fl & 1u) != 0u) { y = y * ldw(k); }
    st(b, k, y);
  }
}
