// sort along a dim (backends/webgpu/sort.py): values and int64 indices, torch's order: NaN
// above +inf, -0 == +0, descending the exact reverse but for ties, which keep their original
// order (stable) both ways. Each element becomes a (key, index) pair: key = the dtype's bits
// mapped to an unsigned (lo, hi) key in value order (sort.py's KEYS; descending: ~key), and
// pairs compare by key, then by index; so every pair is distinct and a bitonic network (which
// is not stable by itself) gives exactly the stable order. A row is padded to P = 2^m >= n
// with pairs (max key, index >= n), which sort after every real pair.
//   sort_<dtype>        P <= 1024: one workgroup sorts G = w29 rows (G * P <= 1024, side by
//                       side) in workgroup memory and writes values (the raw elements gathered
//                       by index) and indices
//   sort_chunks_<dtype> P > 1024: one workgroup per 1024-chunk of a row: keys, then the
//                       bitonic stages k <= 1024 in workgroup memory, into T (3 words a pair)
//   sort_merge          one compare-exchange pass (stage k, distance j >= 1024) over T
//   sort_merge_local    the passes j = 512 .. 1 of stage k, a chunk per workgroup
//   sort_write_<dtype>  values and indices from T (one thread per element)
// Params: w0 rows, w1 n, w2 P, w3 descending, w4 k, w5 j, w6 outer ndim (<= 4), w7..11 outer
// shape; per tensor t (0 x, 1 values, 2 indices) at 11 + 6t: offset, dim stride, 4 outer
// strides (elements); w29 G. Loop bounds come from the params: every barrier is in uniform
// control.
// END OF COMMENT
const WG: u32 = 256u;
const C: u32 = 1024u;
var<workgroup> SK: array<vec2<u32>, 1024>;
var<workgroup> SI: array<u32, 1024>;

fn less(ak: vec2<u32>, ai: u32, bk: vec2<u32>, bi: u32) -> bool {
  return klt(ak, bk) || (all(ak == bk) && ai < bi);
}
fn wg_index(w: vec3<u32>, g: vec3<u32>) -> u32 { return w.x + w.y * g.x; }

// element offset of (row r, position k) in tensor t
fn eoff(r: u32, k: u32, t: u32) -> u32 {
  let b = 11u + 6u * t;
  var rem = r;
  var o = p(b) + k * p(b + 1u);
  let nd = p(6u);
  for (var j = 0u; j < nd; j++) {
    let d = nd - 1u - j;
    let s = p(7u + d);
    o += (rem % s) * p(b + 2u + d);
    rem = rem / s;
  }
  return o;
}

// the passes j = j0, j0 / 2, .., 1 of stage k over the m pairs in SK/SI (gbase: the position
// of SK[0] in its row; rows side by side are P-aligned, so a pass never crosses rows and the
// direction of stage k comes from the position in the row)
fn local_passes(t: u32, m: u32, gbase: u32, k: u32, j0: u32) {
  let pm = p(2u) - 1u;
  for (var j = j0; j > 0u; j = j >> 1u) {
    for (var q = t; q < m / 2u; q += WG) {
      let i = ((q & ~(j - 1u)) << 1u) | (q & (j - 1u));
      let l = i + j;
      if (less(SK[l], SI[l], SK[i], SI[i]) == ((((gbase + i) & pm) & k) == 0u)) {
        let tk = SK[i]; SK[i] = SK[l]; SK[l] = tk;
        let ti = SI[i]; SI[i] = SI[l]; SI[l] = ti;
      }
    }
    workgroupBarrier();
  }
}

// the stages k = 2 .. kmax (sorted runs of kmax)
fn local_sort(t: u32, m: u32, gbase: u32, kmax: u32) {
  for (var k = 2u; k <= kmax; k = k << 1u) { local_passes(t, m, gbase, k, k >> 1u); }
}

//!part keyed
fn key_at(r: u32, k: u32) -> vec2<u32> {
  if (k >= p(1u)) { return vec2<u32>(0xffffffffu, 0xffffffffu); }
  let r0 = ld_X(eoff(r, k, 0u));
  let key = {{KEY}};
  return select(key, ~key, p(3u) == 1u);
}

//!part write

fn write_out(r: u32, e: u32, i: u32) {
  st_V(eoff(r, e, 1u), ld_X(eoff(r, i, 0u)));
  let o = eoff(r, e, 2u);
  IDX[2u * o] = i;
  IDX[2u * o + 1u] = 0u;
}

//!kernel sort
@compute @workgroup_size(256)
fn {{ENTRY}}(@builtin(local_invocation_id) l: vec3<u32>, @builtin(workgroup_id) w: vec3<u32>,
             @builtin(num_workgroups) g: vec3<u32>) {
  let rows = p(0u);
  let P = p(2u);
  let r0 = wg_index(w, g) * p(29u);
  if (r0 >= rows) { return; }
  let t = l.x;
  let m = p(29u) * P;
  for (var e = t; e < m; e += WG) {
    let r = r0 + e / P;
    SK[e] = vec2<u32>(0xffffffffu, 0xffffffffu);
    if (r < rows) { SK[e] = key_at(r, e % P); }
    SI[e] = e % P;
  }
  workgroupBarrier();
  local_sort(t, m, 0u, P);
  for (var e = t; e < m; e += WG) {
    let r = r0 + e / P;
    if (r < rows && e % P < p(1u)) { write_out(r, e % P, SI[e]); }
  }
}

//!kernel sort_chunks
@compute @workgroup_size(256)
fn {{ENTRY}}(@builtin(local_invocation_id) l: vec3<u32>, @builtin(workgroup_id) w: vec3<u32>,
             @builtin(num_workgroups) g: vec3<u32>) {
  let c = wg_index(w, g);
  let per = p(2u) / C;
  if (c >= p(0u) * per) { return; }
  let t = l.x;
  let r = c / per;
  let cb = (c % per) * C;
  for (var e = t; e < C; e += WG) { SK[e] = key_at(r, cb + e); SI[e] = cb + e; }
  workgroupBarrier();
  local_sort(t, C, cb, C);
  let base = c * C;
  for (var e = t; e < C; e += WG) {
    let o = 3u * (base + e);
    T[o] = SK[e].x; T[o + 1u] = SK[e].y; T[o + 2u] = SI[e];
  }
}

//!kernel sort_write
@compute @workgroup_size(64)
fn {{ENTRY}}(@builtin(global_invocation_id) gid: vec3<u32>,
             @builtin(num_workgroups) g: vec3<u32>) {
  let q = gid.x + gid.y * g.x * 64u;
  let n = p(1u);
  if (q >= p(0u) * n) { return; }
  let r = q / n;
  let e = q % n;
  write_out(r, e, TR[3u * (r * p(2u) + e) + 2u]);
}

//!kernel sort_merge
fn tkey(o: u32) -> vec2<u32> { return vec2<u32>(T[3u * o], T[3u * o + 1u]); }
@compute @workgroup_size(64)
fn sort_merge(@builtin(global_invocation_id) gid: vec3<u32>,
              @builtin(num_workgroups) g: vec3<u32>) {
  let q = gid.x + gid.y * g.x * 64u;
  let hp = p(2u) / 2u;
  if (q >= p(0u) * hp) { return; }
  let k = p(4u);
  let j = p(5u);
  let qq = q % hp;
  let i = ((qq & ~(j - 1u)) << 1u) | (qq & (j - 1u));
  let a = (q / hp) * p(2u) + i;
  let b = a + j;
  if (less(tkey(b), T[3u * b + 2u], tkey(a), T[3u * a + 2u]) == ((i & k) == 0u)) {
    for (var s = 0u; s < 3u; s++) {
      let v = T[3u * a + s]; T[3u * a + s] = T[3u * b + s]; T[3u * b + s] = v;
    }
  }
}

//!kernel sort_merge_local
@compute @workgroup_size(256)
fn sort_merge_local(@builtin(local_invocation_id) l: vec3<u32>,
                    @builtin(workgroup_id) w: vec3<u32>, @builtin(num_workgroups) g: vec3<u32>) {
  let c = wg_index(w, g);
  let per = p(2u) / C;
  if (c >= p(0u) * per) { return; }
  let t = l.x;
  let base = c * C;
  for (var e = t; e < C; e += WG) {
    let o = 3u * (base + e);
    SK[e] = vec2<u32>(T[o], T[o + 1u]); SI[e] = T[o + 2u];
  }
  workgroupBarrier();
  local_passes(t, C, (c % per) * C, p(4u), C / 2u);
  for (var e = t; e < C; e += WG) {
    let o = 3u * (base + e);
    T[o] = SK[e].x; T[o + 1u] = SK[e].y; T[o + 2u] = SI[e];
  }
}
