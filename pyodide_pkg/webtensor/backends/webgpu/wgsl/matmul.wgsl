// matmul.wgsl: (batched) matmul and GEMV for the webgpu device, fused bias + activation.
//
//   C[b, m, n] = act( sum_k A[b, m, k] * B[b, k, n]  + bias[n] )
//
// A template (matmul.py fills it in): {{T}} is the storage type of A, B, bias and C, f32, or
// f16 for the `_f16` entry points (adapter feature shader-f16); the arithmetic is f32 either
// way (f16 values widened on load, C rounded as torch rounds, as torch's CPU half matmul
// accumulates in float). The SUBGROUPS part at the end is added for the `_sg` entry points
// (adapter feature subgroups) only.
// Entry points (the backend's host.pipeline(name, wgsl) compiles one per name), each also
// as <name>_f16 ({{SUFFIX}}):
//   matmul          tiled GEMM, any M, N, K.  dispatch (ceil(N/128), ceil(M/128), nb0*nb1)
//   matmul_gemv     M == 1 (decode), any N, K. dispatch (ceil(N/16), 1, nb0*nb1)
//   matmul_gemv_sg  M == 1 and b_trans == 1, subgroupAdd instead of the workgroup tree;
//                   dispatch as matmul_gemv
// Dispatch limits (maxComputeWorkgroupsPerDimension, 65535 by default): nb0*nb1 <= 65535,
// M <= 65535*128, and N <= 65535*16 for the GEMV (N <= 65535*128 for matmul). No alignment is
// assumed: offsets and strides may be any element counts (global loads are scalar, so views
// need no vec4 alignment; the vec4 work is in registers and workgroup memory). Indices are u32.
//
// Bindings (group 0; host.py's convention: params, inputs, then the output):
//   @binding(0) var<uniform>             p    : Params   (80 bytes, layout below)
//   @binding(1) var<storage, read>       A    : array<T>
//   @binding(2) var<storage, read>       B    : array<T>
//   @binding(3) var<storage, read>       bias : array<T>   (has_bias == 0: bind any buffer, e.g. A)
//   @binding(4) var<storage, read_write> C    : array<T>
// Whole buffers are bound; every offset and stride below is in elements, not bytes.
//
// Params, 20 x u32 = 80 bytes, std140-compatible (all u32, no padding holes):
//   word  0 M          rows of C (and of A)
//   word  1 N          columns of C
//   word  2 K          reduction length
//   word  3 nb1        size of the inner batch dim (1 when there is none). The batch index
//                      z = workgroup_id.z splits as b0 = z / nb1, b1 = z % nb1 (two batch dims,
//                      e.g. [B, H] in attention; flatten more dims on the Python side)
//   word  4 a_off      A's element offset
//   word  5 a_bs0      A's stride for b0 (0: A broadcast along b0)
//   word  6 a_bs1      A's stride for b1 (0: broadcast)
//   word  7 a_rs       A's row stride (stride of m); A's stride along k must be 1
//   word  8 b_off      B's element offset
//   word  9 b_bs0      B's stride for b0 (0: broadcast, e.g. a weight shared by the batch)
//   word 10 b_bs1      B's stride for b1
//   word 11 b_rs       b_trans == 0: B is [K, N] with unit stride along n, b_rs = stride of k
//                      b_trans == 1: B is W [N, K] read in place (x @ W.T, nn.Linear) with unit
//                                    stride along k, b_rs = stride of n (row stride of W)
//   word 12 c_off      C's element offset
//   word 13 c_bs0      C's stride for b0
//   word 14 c_bs1      C's stride for b1
//   word 15 c_rs       C's row stride; C's stride along n is 1
//   word 16 bias_off   bias's element offset (bias is [N], contiguous)
//   word 17 has_bias   0 / 1
//   word 18 act        0 none, 1 relu, 2 gelu (erf), 3 gelu (tanh approximation), 4 silu
//   word 19 b_trans    0: B is [K, N];  1: B is W [N, K] (transposed, read in place)
//
// Design of `matmul` (the register-blocked, shared-memory-tiled SGEMM the fast WebGPU matmuls
// use, here with a 128 x 128 block): a 16 x 16 workgroup (256 threads) computes a 128 x 128
// block of C; each thread keeps an 8 x 8 register block, as two by two 4 x 4 sub-blocks 64
// rows / 64 columns apart (rows ty*4 + {0..3} and 64 + ty*4 + {0..3}, columns tx*4 + {0..3}
// and 64 + tx*4 + {0..3}) so that the vec4 reads of the shared tiles by neighbouring threads
// are contiguous. K is walked in steps of 8: the A tile (128 x 8) is stored k-major
// (As[k][m], transposed while storing) and the B tile (8 x 128) likewise (Bs[k][n]), rows
// padded to 132 floats against bank conflicts; per k a thread reads two vec4 of A and two vec4
// of B from workgroup memory and issues 16 vec4 FMAs (64 FMAs). The next K step's global
// values are prefetched into registers while the current step computes (one shared buffer,
// 2 x 8 x 132 x 4 = 8448 bytes of workgroup memory: inside WebGPU's default 16 KiB). Loads
// are bounds-checked only in edge blocks (or when K % 8 != 0); the epilogue adds the bias and
// applies the activation in registers and writes C with a row-wise vec4 pattern.
//
// Design of `matmul_gemv` (M == 1, memory bound): a workgroup of 256 threads produces 16
// outputs. B transposed (W [N, K], k contiguous): 16 threads per output row, each reading 4
// consecutive k (a 256-byte contiguous segment per row per step) and the matching 4 values of
// the vector; B [K, N] (n contiguous): 4 threads x 4 columns cover the 16 columns (64 bytes
// per k row) and 64 slices split K. Partial sums are reduced in workgroup memory (tree).

struct Params {
    M: u32, N: u32, K: u32, nb1: u32,
    a_off: u32, a_bs0: u32, a_bs1: u32, a_rs: u32,
    b_off: u32, b_bs0: u32, b_bs1: u32, b_rs: u32,
    c_off: u32, c_bs0: u32, c_bs1: u32, c_rs: u32,
    bias_off: u32, has_bias: u32, act: u32, b_trans: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> A: array<{{T}}>;
@group(0) @binding(2) var<storage, read> B: array<{{T}}>;
@group(0) @binding(3) var<storage, read> bias: array<{{T}}>;
@group(0) @binding(4) var<storage, read_write> C: array<{{T}}>;

fn la(i: u32) -> f32 { return f32(A[i]); }
fn lb(i: u32) -> f32 { return f32(B[i]); }
fn lbias(i: u32) -> f32 { return f32(bias[i]); }
fn stc(i: u32, v: f32) { C[i] = {{STORE}}; }

const BM: u32 = 128u;
const BN: u32 = 128u;
const BK: u32 = 8u;
const LD4: u32 = 33u;      // padded row of a shared tile, in vec4 (132 floats)

// 2-D so that (once the k loop is unrolled) bounds-check clamps only touch the loop-invariant
// thread index: As[k][m / 4][m % 4], Bs[k][n / 4][n % 4]
var<workgroup> As: array<array<vec4<f32>, LD4>, BK>;
var<workgroup> Bs: array<array<vec4<f32>, LD4>, BK>;

// erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): WGSL has no erf builtin.
fn erf_f32(x: f32) -> f32 {
    let s = sign(x);
    let z = abs(x);
    let t = 1.0 / (1.0 + 0.3275911 * z);
    let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                   + 0.254829592) * t * exp(-z * z);
    return s * y;
}

fn activate(v: f32, act: u32) -> f32 {
    switch act {
        case 1u: { return max(v, 0.0); }
        case 2u: { return 0.5 * v * (1.0 + erf_f32(v * 0.70710678118654752)); }
        case 3u: {
            let u = clamp(0.7978845608028654 * (v + 0.044715 * v * v * v), -15.0, 15.0);
            return 0.5 * v * (1.0 + tanh(u));
        }
        case 4u: { return v / (1.0 + exp(-v)); }
        default: { return v; }
    }
}

fn activate4(v: vec4<f32>, act: u32) -> vec4<f32> {
    if (act == 0u) { return v; }
    if (act == 1u) { return max(v, vec4<f32>(0.0)); }
    return vec4<f32>(activate(v.x, act), activate(v.y, act), activate(v.z, act), activate(v.w, act));
}

// ---- matmul -------------------------------------------------------------------------------

fn ld_a(base: u32, row: u32, k: u32) -> f32 {
    if (row < p.M && k < p.K) { return la(base + row * p.a_rs + k); }
    return 0.0;
}

// B element (k, n) in either layout
fn ld_b(base: u32, k: u32, n: u32) -> f32 {
    if (k < p.K && n < p.N) {
        if (p.b_trans == 1u) { return lb(base + n * p.b_rs + k); }
        return lb(base + k * p.b_rs + n);
    }
    return 0.0;
}

// the element offsets of A, B, C for batch z = workgroup_id.z (b0 = z / nb1, b1 = z % nb1)
fn bases(z: u32) -> vec3<u32> {
    let b0 = z / p.nb1;
    let b1 = z % p.nb1;
    return vec3<u32>(p.a_off + b0 * p.a_bs0 + b1 * p.a_bs1, p.b_off + b0 * p.b_bs0 + b1 * p.b_bs1,
                     p.c_off + b0 * p.c_bs0 + b1 * p.c_bs1);
}

fn la4(i: u32) -> vec4<f32> { return vec4<f32>(la(i), la(i + 1u), la(i + 2u), la(i + 3u)); }
fn lb4(i: u32) -> vec4<f32> { return vec4<f32>(lb(i), lb(i + 1u), lb(i + 2u), lb(i + 3u)); }

// A row r, k .. k + 3 (fast: in bounds, unchecked)
fn fetch_a(fast: bool, base: u32, r: u32, k: u32) -> vec4<f32> {
    if (fast) { return la4(base + r * p.a_rs + k); }
    return vec4<f32>(ld_a(base, r, k), ld_a(base, r, k + 1u), ld_a(base, r, k + 2u), ld_a(base, r, k + 3u));
}

// B at (k, n) and the next 3 along k (b_trans: W's row n) or along n
fn fetch_b(fast: bool, base: u32, k: u32, n: u32) -> vec4<f32> {
    if (p.b_trans == 1u) {
        if (fast) { return lb4(base + n * p.b_rs + k); }
        return vec4<f32>(ld_b(base, k, n), ld_b(base, k + 1u, n), ld_b(base, k + 2u, n), ld_b(base, k + 3u, n));
    }
    if (fast) { return lb4(base + k * p.b_rs + n); }
    return vec4<f32>(ld_b(base, k, n), ld_b(base, k, n + 1u), ld_b(base, k, n + 2u), ld_b(base, k, n + 3u));
}

fn store4(base: u32, row: u32, col: u32, v: vec4<f32>, full: bool) {
    if (full) {
        let o = base + row * p.c_rs + col;
        stc(o, v.x); stc(o + 1u, v.y); stc(o + 2u, v.z); stc(o + 3u, v.w);
        return;
    }
    if (row >= p.M) { return; }
    let o = base + row * p.c_rs + col;
    if (col < p.N) { stc(o, v.x); }
    if (col + 1u < p.N) { stc(o + 1u, v.y); }
    if (col + 2u < p.N) { stc(o + 2u, v.z); }
    if (col + 3u < p.N) { stc(o + 3u, v.w); }
}

@compute @workgroup_size(16, 16, 1)
fn matmul{{SUFFIX}}(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
    let tx = lid3.x;
    let ty = lid3.y;
    let lid = ty * 16u + tx;
    let m0 = wg.y * BM;
    let n0 = wg.x * BN;
    let bs = bases(wg.z);
    let abase = bs.x;
    let bbase = bs.y;
    let cbase = bs.z;
    let trans = p.b_trans == 1u;
    let kfull = (p.K % BK) == 0u;
    let full = (m0 + BM <= p.M) && (n0 + BN <= p.N);
    let fast = full && kfull;

    // global -> register mapping of this thread (4 values of A, 4 of B per K step)
    let la_m = lid >> 1u;                 // A: row within the block, 4 consecutive k
    let la_k = (lid & 1u) * 4u;
    let lb_k = lid >> 5u;                 // B [K, N]: k row, 4 consecutive n
    let lb_n = (lid & 31u) * 4u;
    // B transposed uses the A pattern: n = la_m, k = la_k .. la_k + 3

    var ra = vec4<f32>(0.0);
    var rb = vec4<f32>(0.0);

    var c00 = vec4<f32>(0.0); var c01 = vec4<f32>(0.0);
    var c10 = vec4<f32>(0.0); var c11 = vec4<f32>(0.0);
    var c20 = vec4<f32>(0.0); var c21 = vec4<f32>(0.0);
    var c30 = vec4<f32>(0.0); var c31 = vec4<f32>(0.0);
    var c40 = vec4<f32>(0.0); var c41 = vec4<f32>(0.0);
    var c50 = vec4<f32>(0.0); var c51 = vec4<f32>(0.0);
    var c60 = vec4<f32>(0.0); var c61 = vec4<f32>(0.0);
    var c70 = vec4<f32>(0.0); var c71 = vec4<f32>(0.0);

    let ntiles = (p.K + BK - 1u) / BK;

    // the thread's global loads: A row m0 + la_m, k = la_k..+3; B (k fb_k, n fb_n): 4 along k
    // (transposed: the A pattern) or along n
    let fb_k = select(lb_k, la_k, trans);
    let fb_n = select(n0 + lb_n, n0 + la_m, trans);
    ra = fetch_a(fast, abase, m0 + la_m, la_k);             // prefetch of step 0
    rb = fetch_b(fast, bbase, fb_k, fb_n);

    for (var t = 0u; t < ntiles; t = t + 1u) {
        workgroupBarrier();           // everyone is done reading the previous tiles
        // registers -> shared (A transposed to k-major; B per layout)
        {
            let q = la_m >> 2u;
            let c = la_m & 3u;
            As[la_k + 0u][q][c] = ra.x;
            As[la_k + 1u][q][c] = ra.y;
            As[la_k + 2u][q][c] = ra.z;
            As[la_k + 3u][q][c] = ra.w;
            if (trans) {
                Bs[la_k + 0u][q][c] = rb.x;
                Bs[la_k + 1u][q][c] = rb.y;
                Bs[la_k + 2u][q][c] = rb.z;
                Bs[la_k + 3u][q][c] = rb.w;
            } else {
                Bs[lb_k][lb_n >> 2u] = rb;
            }
        }
        workgroupBarrier();
        // prefetch step t + 1 while computing step t
        if (t + 1u < ntiles) {
            let kb = (t + 1u) * BK;
            ra = fetch_a(fast, abase, m0 + la_m, kb + la_k);
            rb = fetch_b(fast, bbase, kb + fb_k, fb_n);
        }
        for (var k = 0u; k < BK; k = k + 1u) {
            let a0 = As[k][ty];
            let a1 = As[k][16u + ty];
            let v0 = Bs[k][tx];
            let v1 = Bs[k][16u + tx];
            c00 = fma(vec4<f32>(a0.x), v0, c00); c01 = fma(vec4<f32>(a0.x), v1, c01);
            c10 = fma(vec4<f32>(a0.y), v0, c10); c11 = fma(vec4<f32>(a0.y), v1, c11);
            c20 = fma(vec4<f32>(a0.z), v0, c20); c21 = fma(vec4<f32>(a0.z), v1, c21);
            c30 = fma(vec4<f32>(a0.w), v0, c30); c31 = fma(vec4<f32>(a0.w), v1, c31);
            c40 = fma(vec4<f32>(a1.x), v0, c40); c41 = fma(vec4<f32>(a1.x), v1, c41);
            c50 = fma(vec4<f32>(a1.y), v0, c50); c51 = fma(vec4<f32>(a1.y), v1, c51);
            c60 = fma(vec4<f32>(a1.z), v0, c60); c61 = fma(vec4<f32>(a1.z), v1, c61);
            c70 = fma(vec4<f32>(a1.w), v0, c70); c71 = fma(vec4<f32>(a1.w), v1, c71);
        }
    }

    // epilogue: bias + activation in registers, then C
    let col0 = n0 + tx * 4u;
    let col1 = n0 + 64u + tx * 4u;
    var bv0 = vec4<f32>(0.0);
    var bv1 = vec4<f32>(0.0);
    if (p.has_bias == 1u) {
        let o = p.bias_off;
        if (full) {
            bv0 = vec4<f32>(lbias(o + col0), lbias(o + col0 + 1u), lbias(o + col0 + 2u), lbias(o + col0 + 3u));
            bv1 = vec4<f32>(lbias(o + col1), lbias(o + col1 + 1u), lbias(o + col1 + 2u), lbias(o + col1 + 3u));
        } else {
            for (var j = 0u; j < 4u; j = j + 1u) {
                if (col0 + j < p.N) { bv0[j] = lbias(o + col0 + j); }
                if (col1 + j < p.N) { bv1[j] = lbias(o + col1 + j); }
            }
        }
    }
    let act = p.act;
    let r0 = m0 + ty * 4u;
    let r1 = m0 + 64u + ty * 4u;
    store4(cbase, r0,      col0, activate4(c00 + bv0, act), full);
    store4(cbase, r0,      col1, activate4(c01 + bv1, act), full);
    store4(cbase, r0 + 1u, col0, activate4(c10 + bv0, act), full);
    store4(cbase, r0 + 1u, col1, activate4(c11 + bv1, act), full);
    store4(cbase, r0 + 2u, col0, activate4(c20 + bv0, act), full);
    store4(cbase, r0 + 2u, col1, activate4(c21 + bv1, act), full);
    store4(cbase, r0 + 3u, col0, activate4(c30 + bv0, act), full);
    store4(cbase, r0 + 3u, col1, activate4(c31 + bv1, act), full);
    store4(cbase, r1,      col0, activate4(c40 + bv0, act), full);
    store4(cbase, r1,      col1, activate4(c41 + bv1, act), full);
    store4(cbase, r1 + 1u, col0, activate4(c50 + bv0, act), full);
    store4(cbase, r1 + 1u, col1, activate4(c51 + bv1, act), full);
    store4(cbase, r1 + 2u, col0, activate4(c60 + bv0, act), full);
    store4(cbase, r1 + 2u, col1, activate4(c61 + bv1, act), full);
    store4(cbase, r1 + 3u, col0, activate4(c70 + bv0, act), full);
    store4(cbase, r1 + 3u, col1, activate4(c71 + bv1, act), full);
}

// ---- matmul_gemv (M == 1) -----------------------------------------------------------------

const GV_OUT: u32 = 16u;                 // outputs per workgroup
var<workgroup> red: array<f32, 1024>;   // partial sums; output index = position % 16

@compute @workgroup_size(256, 1, 1)
fn matmul_gemv{{SUFFIX}}(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    let n0 = wg.x * GV_OUT;
    let bs = bases(wg.z);
    let abase = bs.x;     // the vector x (row 0 of A)
    let bbase = bs.y;
    let cbase = bs.z;
    let K = p.K;
    let N = p.N;

    if (p.b_trans == 1u) {
        // W [N, K]: 16 lanes per output row, 4 consecutive k per lane, 64 k per step
        let r = lid >> 4u;
        let l = lid & 15u;
        let n = n0 + r;
        var acc = vec4<f32>(0.0);
        if (n < N) {
            let wrow = bbase + n * p.b_rs;
            let k4 = K & ~3u;
            var k = l * 4u;
            for (; k + 192u < k4; k = k + 256u) {     // 4 steps per iteration: more loads in flight
                let x0 = la4(abase + k);
                let w0 = lb4(wrow + k);
                let ka = k + 64u;
                let x1 = la4(abase + ka);
                let w1 = lb4(wrow + ka);
                let kb = k + 128u;
                let x2 = la4(abase + kb);
                let w2 = lb4(wrow + kb);
                let kc = k + 192u;
                let x3 = la4(abase + kc);
                let w3 = lb4(wrow + kc);
                acc = fma(x0, w0, acc);
                acc = fma(x1, w1, acc);
                acc = fma(x2, w2, acc);
                acc = fma(x3, w3, acc);
            }
            for (; k < k4; k = k + 64u) {
                let x0 = la4(abase + k);
                let w0 = lb4(wrow + k);
                acc = fma(x0, w0, acc);
            }
            // ragged tail (K % 4 != 0): lane l takes element k4 + l
            let kt = k4 + l;
            if (l < 4u && kt < K) { acc.x = fma(la(abase + kt), lb(wrow + kt), acc.x); }
        }
        red[l * 16u + r] = (acc.x + acc.y) + (acc.z + acc.w);      // output index = lid % 16
    } else {
        // B [K, N]: 4 threads x 4 columns = 16 columns, 64 slices of K
        let c = (lid & 3u) * 4u;
        let s = lid >> 2u;
        let n = n0 + c;
        var acc = vec4<f32>(0.0);
        if (n + 3u < N) {
            var k = s;
            for (; k + 64u < K; k = k + 128u) {
                let i0 = bbase + k * p.b_rs + n;
                let i1 = i0 + 64u * p.b_rs;
                let w0 = lb4(i0);
                let w1 = lb4(i1);
                acc = fma(vec4<f32>(la(abase + k)), w0, acc);
                acc = fma(vec4<f32>(la(abase + k + 64u)), w1, acc);
            }
            for (; k < K; k = k + 64u) {
                let i0 = bbase + k * p.b_rs + n;
                acc = fma(vec4<f32>(la(abase + k)), lb4(i0), acc);
            }
        } else if (n < N) {
            for (var k = s; k < K; k = k + 64u) {
                let x = la(abase + k);
                let i0 = bbase + k * p.b_rs + n;
                for (var j = 0u; j < 4u; j = j + 1u) {
                    if (n + j < N) { acc[j] = fma(x, lb(i0 + j), acc[j]); }
                }
            }
        }
        let o = s * 16u + c;                                        // output index = lid % 16
        red[o] = acc.x; red[o + 1u] = acc.y; red[o + 2u] = acc.z; red[o + 3u] = acc.w;
    }
    workgroupBarrier();
    let top = select(512u, 128u, p.b_trans == 1u);                  // 1024 or 256 partials
    for (var st = top; st >= 16u; st = st >> 1u) {
        for (var i = lid; i < st; i = i + 256u) { red[i] = red[i] + red[i + st]; }
        workgroupBarrier();
    }
    if (lid < 16u) {
        let n = n0 + lid;
        if (n < N) {
            var v = red[lid];
            if (p.has_bias == 1u) { v = v + lbias(p.bias_off + n); }
            stc(cbase + n, activate(v, p.act));
        }
    }
}

// ---- SUBGROUPS: matmul_gemv_sg (M == 1, W [N, K] read in place) ---------------------------
// One subgroup computes one output at a time: its lanes stride K by 4 consecutive k each and
// subgroupAdd sums them; no workgroup tree, no barrier. Correct for any subgroup size and any
// mapping of invocations to subgroups (WebGPU promises neither): a lane's rank and its
// subgroup's lane count come from subgroup scans, and the subgroups of a workgroup take its 16
// outputs from a workgroup counter, so a subgroup size of 4 or 128 only changes how many
// subgroups find work.

var<workgroup> next_out: atomic<u32>;

@compute @workgroup_size(256, 1, 1)
fn matmul_gemv_sg{{SUFFIX}}(@builtin(workgroup_id) wg: vec3<u32>,
                           @builtin(local_invocation_index) lid: u32) {
    if (lid == 0u) { atomicStore(&next_out, 0u); }     // (lavapipe does not zero it)
    workgroupBarrier();
    let n0 = wg.x * GV_OUT;
    let bs = bases(wg.z);
    let abase = bs.x;
    let bbase = bs.y;
    let cbase = bs.z;
    let K = p.K;
    let k4 = K & ~3u;
    let rank = subgroupExclusiveAdd(1u);
    let lanes = subgroupAdd(1u);
    let step = lanes * 4u;
    loop {
        var r = 0u;
        if (rank == 0u) { r = atomicAdd(&next_out, 1u); }
        let n = n0 + subgroupMax(r);
        if (n >= n0 + GV_OUT || n >= p.N) { break; }
        let wrow = bbase + n * p.b_rs;
        var acc0 = vec4<f32>(0.0);
        var acc1 = vec4<f32>(0.0);
        var k = rank * 4u;
        for (; k + 3u * step + 3u < k4; k = k + 4u * step) {  // 4 steps: more loads in flight
            let k1 = k + step;
            let k2 = k1 + step;
            let k3 = k2 + step;
            acc0 = fma(la4(abase + k), lb4(wrow + k), acc0);
            acc1 = fma(la4(abase + k1), lb4(wrow + k1), acc1);
            acc0 = fma(la4(abase + k2), lb4(wrow + k2), acc0);
            acc1 = fma(la4(abase + k3), lb4(wrow + k3), acc1);
        }
        for (; k < k4; k = k + step) {
            acc0 = fma(la4(abase + k), lb4(wrow + k), acc0);
        }
        for (var kt = k4 + rank; kt < K; kt = kt + lanes) {      // ragged tail (K % 4)
            acc0.x = fma(la(abase + kt), lb(wrow + kt), acc0.x);
        }
        let acc = acc0 + acc1;
        let v = subgroupAdd((acc.x + acc.y) + (acc.z + acc.w));
        if (rank == 0u) {
            var o = v;
            if (p.has_bias == 1u) { o = o + lbias(p.bias_off + n); }
            stc(cbase + n, activate(o, p.act));
        }
    }
}
