// quant.wgsl: GGUF Q8_0 / Q4_1 weights for the webgpu device (webtensor.quant), dequantised
// in registers. The block bytes are the CPU's, byte for byte (a plain copy moves them):
//   q8_0: 34-byte blocks {f16 d; i8 qs[32]}               w = d * q
//   q4_1: 20-byte blocks {f16 d; f16 m; u8 qs[16]}        w = d * q + m, q = low nibble of
//         qs[j] for element j < 16, high nibble of qs[j - 16] for j >= 16
// A weight W is [N, K]: N rows of K/32 blocks. Q8_0 blocks are only 2-byte aligned: words are
// read with a funnel shift (qword).
//
// Entry points (<kind> = q8_0 | q4_1; one pipeline per name, layout "auto"):
//   <kind>_gemv        out[n] = sum_k x[k] W[n, k]              M == 1 (decode)
//                      workgroup 256 = 8 rows x 32 threads, a thread takes every 32nd block
//                      of its row; dispatch: ceil(N/8) workgroups (x, y split)
//   <kind>_gemm        out[m, n] = sum_k x[m, k] W[n, k]        M > 1 (prefill)
//                      16 x 16 tile per workgroup; per block of 32 k: x tile and the
//                      dequantised W tile in workgroup memory; dispatch (ceil(N/16), ceil(M/16))
//   <kind>_dequantize  out[j, :] = W[use_rows ? R[j] : j, :]   one thread per block;
//                      dispatch ceil(rows * K/32 / 64) workgroups (x, y split)
//
// Bindings: 0 params (uniform), 1 out (f32, read_write), 2 X: the float32 x (as raw u32
// words) or the u32 row indices R (dequantize; bind the blocks when use_rows == 0),
// 3 Q: the blocks (raw u32 words; the storage starts at the first block).
// Params (u32 words): 0 M, 1 N (rows of out for dequantize), 2 K, 3 x_off (elements),
// 4 o_off (elements), 5 use_rows, 6 gx (workgroups along x; 2-D dispatches).

struct Params { M: u32, N: u32, K: u32, x_off: u32, o_off: u32, use_rows: u32, gx: u32, pad: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> O: array<f32>;
@group(0) @binding(2) var<storage, read> X: array<u32>;
@group(0) @binding(3) var<storage, read> Q: array<u32>;

fn qbyte(o: u32) -> u32 { return (Q[o >> 2u] >> ((o & 3u) * 8u)) & 0xffu; }
fn qhalf(o: u32) -> f32 { return unpack2x16float(Q[o >> 2u] >> ((o & 2u) * 8u)).x; }   // o even
fn qword(o: u32) -> u32 {                                                            // o even
    let s = (o & 3u) * 8u;
    let lo = Q[o >> 2u];
    if (s == 0u) { return lo; }
    return (lo >> s) | (Q[(o >> 2u) + 1u] << (32u - s));
}
fn i8x4(w: u32) -> vec4<f32> {
    return vec4<f32>(f32(bitcast<i32>(w << 24u) >> 24u), f32(bitcast<i32>(w << 16u) >> 24u),
                     f32(bitcast<i32>(w << 8u) >> 24u), f32(bitcast<i32>(w) >> 24u));
}
fn u4lo(w: u32) -> vec4<f32> {
    return vec4<f32>(f32(w & 15u), f32((w >> 8u) & 15u), f32((w >> 16u) & 15u), f32((w >> 24u) & 15u));
}
fn u4hi(w: u32) -> vec4<f32> {
    return vec4<f32>(f32((w >> 4u) & 15u), f32((w >> 12u) & 15u), f32((w >> 20u) & 15u), f32(w >> 28u));
}
fn xv4(o: u32) -> vec4<f32> {
    return vec4<f32>(bitcast<f32>(X[o]), bitcast<f32>(X[o + 1u]), bitcast<f32>(X[o + 2u]),
                     bitcast<f32>(X[o + 3u]));
}

// dot(block b of the weights, x[xo .. xo + 32])
fn dot_q8_0(b: u32, xo: u32) -> f32 {
    let bb = b * 34u;
    var s = 0.0;
    for (var i = 0u; i < 8u; i++) {
        s += dot(i8x4(qword(bb + 2u + 4u * i)), xv4(xo + 4u * i));
    }
    return qhalf(bb) * s;
}
fn dot_q4_1(b: u32, xo: u32) -> f32 {
    let w0 = b * 5u;
    let dm = unpack2x16float(Q[w0]);
    var sq = 0.0;
    var sx = 0.0;
    for (var i = 0u; i < 4u; i++) {
        let w = Q[w0 + 1u + i];
        let xl = xv4(xo + 4u * i);
        let xh = xv4(xo + 16u + 4u * i);
        sq += dot(u4lo(w), xl) + dot(u4hi(w), xh);
        sx += dot(xl + xh, vec4<f32>(1.0));
    }
    return dm.x * sq + dm.y * sx;
}
// element e (0..31) of block b
fn deq_q8_0(b: u32, e: u32) -> f32 {
    let bb = b * 34u;
    return qhalf(bb) * f32(bitcast<i32>(qbyte(bb + 2u + e) << 24u) >> 24u);
}
fn deq_q4_1(b: u32, e: u32) -> f32 {
    let dm = unpack2x16float(Q[b * 5u]);
    let byte = qbyte(b * 20u + 4u + (e & 15u));
    return dm.x * f32(select(byte & 15u, byte >> 4u, e >= 16u)) + dm.y;
}

// ---- GEMV ----------------------------------------------------------------------------------
var<workgroup> red: array<f32, 256>;

fn gemv_finish(lid: u32, n: u32, s: f32) {
    red[lid] = s;
    workgroupBarrier();
    for (var w = 16u; w > 0u; w >>= 1u) {
        if ((lid & 31u) < w) { red[lid] += red[lid + w]; }
        workgroupBarrier();
    }
    if ((lid & 31u) == 0u && n < p.N) { O[p.o_off + n] = red[lid]; }
}

@compute @workgroup_size(256, 1, 1)
fn q8_0_gemv(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    let n = (wg.y * p.gx + wg.x) * 8u + (lid >> 5u);
    let nb = p.K / 32u;
    var s = 0.0;
    if (n < p.N) {
        for (var j = lid & 31u; j < nb; j += 32u) { s += dot_q8_0(n * nb + j, p.x_off + j * 32u); }
    }
    gemv_finish(lid, n, s);
}

@compute @workgroup_size(256, 1, 1)
fn q4_1_gemv(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    let n = (wg.y * p.gx + wg.x) * 8u + (lid >> 5u);
    let nb = p.K / 32u;
    var s = 0.0;
    if (n < p.N) {
        for (var j = lid & 31u; j < nb; j += 32u) { s += dot_q4_1(n * nb + j, p.x_off + j * 32u); }
    }
    gemv_finish(lid, n, s);
}

// ---- GEMM ----------------------------------------------------------------------------------
var<workgroup> xs: array<array<f32, 33>, 16>;
var<workgroup> ws: array<array<f32, 33>, 16>;

fn gemm_load_x(m0: u32, kb: u32, lid: u32) {
    let r = lid >> 4u;
    let e = (lid & 15u) * 2u;
    let m = m0 + r;
    var v = vec2<f32>(0.0);
    if (m < p.M) {
        let o = p.x_off + m * p.K + kb * 32u + e;
        v = vec2<f32>(bitcast<f32>(X[o]), bitcast<f32>(X[o + 1u]));
    }
    xs[r][e] = v.x;
    xs[r][e + 1u] = v.y;
}

fn gemm_tile(lid: u32, tx: u32, ty: u32, acc: f32) -> f32 {
    workgroupBarrier();
    var s = acc;
    for (var e = 0u; e < 32u; e++) { s = fma(xs[ty][e], ws[tx][e], s); }
    workgroupBarrier();
    return s;
}

fn gemm_store(m: u32, n: u32, s: f32) {
    if (m < p.M && n < p.N) { O[p.o_off + m * p.N + n] = s; }
}

@compute @workgroup_size(16, 16, 1)
fn q8_0_gemm(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) l3: vec3<u32>) {
    let lid = l3.y * 16u + l3.x;
    let m0 = wg.y * 16u;
    let n0 = wg.x * 16u;
    let nb = p.K / 32u;
    let r = lid >> 4u;
    let e = (lid & 15u) * 2u;
    var s = 0.0;
    for (var kb = 0u; kb < nb; kb++) {
        gemm_load_x(m0, kb, lid);
        let n = n0 + r;
        var w = vec2<f32>(0.0);
        if (n < p.N) { w = vec2<f32>(deq_q8_0(n * nb + kb, e), deq_q8_0(n * nb + kb, e + 1u)); }
        ws[r][e] = w.x;
        ws[r][e + 1u] = w.y;
        s = gemm_tile(lid, l3.x, l3.y, s);
    }
    gemm_store(m0 + l3.y, n0 + l3.x, s);
}

@compute @workgroup_size(16, 16, 1)
fn q4_1_gemm(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) l3: vec3<u32>) {
    let lid = l3.y * 16u + l3.x;
    let m0 = wg.y * 16u;
    let n0 = wg.x * 16u;
    let nb = p.K / 32u;
    let r = lid >> 4u;
    let e = (lid & 15u) * 2u;
    var s = 0.0;
    for (var kb = 0u; kb < nb; kb++) {
        gemm_load_x(m0, kb, lid);
        let n = n0 + r;
        var w = vec2<f32>(0.0);
        if (n < p.N) { w = vec2<f32>(deq_q4_1(n * nb + kb, e), deq_q4_1(n * nb + kb, e + 1u)); }
        ws[r][e] = w.x;
        ws[r][e + 1u] = w.y;
        s = gemm_tile(lid, l3.x, l3.y, s);
    }
    gemm_store(m0 + l3.y, n0 + l3.x, s);
}

// ---- dequantize (whole weight, or listed rows) ----------------------------------------------
fn deq_block(wg: vec3<u32>, lid: u32) -> vec3<u32> {     // (valid, source block, out offset)
    let t = (wg.y * p.gx + wg.x) * 64u + lid;
    let nb = p.K / 32u;
    let j = t / max(nb, 1u);
    let kb = t % max(nb, 1u);
    if (j >= p.N) { return vec3<u32>(0u, 0u, 0u); }
    var row = j;
    if (p.use_rows != 0u) { row = X[j]; }
    return vec3<u32>(1u, row * nb + kb, p.o_off + j * p.K + kb * 32u);
}

@compute @workgroup_size(64, 1, 1)
fn q8_0_dequantize(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    let t = deq_block(wg, lid);
    if (t.x == 0u) { return; }
    let bb = t.y * 34u;
    let d = qhalf(bb);
    for (var i = 0u; i < 8u; i++) {
        let v = d * i8x4(qword(bb + 2u + 4u * i));
        let o = t.z + 4u * i;
        O[o] = v.x; O[o + 1u] = v.y; O[o + 2u] = v.z; O[o + 3u] = v.w;
    }
}

@compute @workgroup_size(64, 1, 1)
fn q4_1_dequantize(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    let t = deq_block(wg, lid);
    if (t.x == 0u) { return; }
    let dm = unpack2x16float(Q[t.y * 5u]);
    for (var i = 0u; i < 4u; i++) {
        let w = Q[t.y * 5u + 1u + i];
        let lo = dm.x * u4lo(w) + dm.y;
        let hi = dm.x * u4hi(w) + dm.y;
        let o = t.z + 4u * i;
        O[o] = lo.x; O[o + 1u] = lo.y; O[o + 2u] = lo.z; O[o + 3u] = lo.w;
        O[o + 16u] = hi.x; O[o + 17u] = hi.y; O[o + 18u] = hi.z; O[o + 19u] = hi.w;
    }
}
