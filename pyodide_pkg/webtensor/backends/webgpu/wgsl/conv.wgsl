// conv2d and 2-D pooling, float32 NCHW (backends/webgpu/conv.py); one thread per output
// element of the contiguous out.

fn tid(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.x + gid.y * nwg.x * 64u; }

//!kernel conv2d_f32
// params: w0 numel, w1 C, w2 H, w3 W, w4 OC, w5 C/groups, w6 KH, w7 KW, w8 OH, w9 OW,
// w10/11 stride, w12/13 padding, w14/15 dilation, w16 OC/groups, w17 has bias,
// w18 x offset, w19 weight offset, w20 bias offset, w21 out offset. x, weight contiguous.
@group(0) @binding(1) var<storage, read_write> O: array<f32>;
@group(0) @binding(2) var<storage, read> X: array<f32>;
@group(0) @binding(3) var<storage, read> Wt: array<f32>;
@group(0) @binding(4) var<storage, read> Bs: array<f32>;

@compute @workgroup_size(64)
fn conv2d_f32(@builtin(global_invocation_id) gid: vec3<u32>,
              @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = tid(gid, nwg);
  if (t >= p(0u)) { return; }
  let C = p(1u); let H = i32(p(2u)); let W = i32(p(3u)); let OC = p(4u); let CG = p(5u);
  let KH = p(6u); let KW = p(7u); let OH = p(8u); let OW = p(9u);
  let ow = t % OW;
  let oh = (t / OW) % OH;
  let oc = (t / (OW * OH)) % OC;
  let n = t / (OW * OH * OC);
  let g = oc / p(16u);
  let ih0 = i32(oh * p(10u)) - i32(p(12u));
  let iw0 = i32(ow * p(11u)) - i32(p(13u));
  let dh = i32(p(14u)); let dw = i32(p(15u));
  var acc = 0.0;
  if (p(17u) == 1u) { acc = Bs[p(20u) + oc]; }
  for (var c = 0u; c < CG; c++) {
    let xb = p(18u) + (n * C + g * CG + c) * u32(H) * u32(W);
    let wb = p(19u) + (oc * CG + c) * KH * KW;
    for (var kh = 0u; kh < KH; kh++) {
      let ih = ih0 + i32(kh) * dh;
      if (ih < 0 || ih >= H) { continue; }
      let xr = xb + u32(ih) * u32(W);
      for (var kw = 0u; kw < KW; kw++) {
        let iw = iw0 + i32(kw) * dw;
        if (iw < 0 || iw >= W) { continue; }
        acc += X[xr + u32(iw)] * Wt[wb + kh * KW + kw];
      }
    }
  }
  O[p(21u) + t] = acc;
}

//!kernel max_pool2d_f32
// params: w0 numel, w1 H, w2 W, w3 OH, w4 OW, w5 mode (0 k/s/p/d windows, 1 adaptive),
// w6/7 kernel, w8/9 stride, w10/11 padding, w12/13 dilation, w14/15 unused, w16 x offset,
// w17 out offset, w18 what (0 values as f32, 1 int64 indices h * W + w).
// NaN wins (the last NaN), else the first maximum; a window with nothing above -inf points
// at its first tap inside the image.
@group(0) @binding(1) var<storage, read_write> O: array<u32>;
@group(0) @binding(2) var<storage, read> X: array<f32>;

@compute @workgroup_size(64)
fn max_pool2d_f32(@builtin(global_invocation_id) gid: vec3<u32>,
                  @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = tid(gid, nwg);
  if (t >= p(0u)) { return; }
  let H = i32(p(1u)); let W = i32(p(2u)); let OH = p(3u); let OW = p(4u);
  let ow = t % OW;
  let oh = (t / OW) % OH;
  let pl = t / (OW * OH);
  var h0: i32; var w0: i32; var nh: i32; var nw: i32; var dh = 1; var dw = 1;
  if (p(5u) == 1u) {
    h0 = i32(oh * u32(H) / OH); nh = i32(((oh + 1u) * u32(H) + OH - 1u) / OH) - h0;
    w0 = i32(ow * u32(W) / OW); nw = i32(((ow + 1u) * u32(W) + OW - 1u) / OW) - w0;
  } else {
    h0 = i32(oh * p(8u)) - i32(p(10u)); w0 = i32(ow * p(9u)) - i32(p(11u));
    nh = i32(p(6u)); nw = i32(p(7u)); dh = i32(p(12u)); dw = i32(p(13u));
  }
  // first taps inside the image
  var fh = h0; if (fh < 0) { fh = h0 + ((-h0 + dh - 1) / dh) * dh; }
  var fw = w0; if (fw < 0) { fw = w0 + ((-w0 + dw - 1) / dw) * dw; }
  var best = -inf();
  var bi = fh * W + fw;
  let xb = p(16u) + pl * u32(H) * u32(W);
  for (var a = 0; a < nh; a++) {
    let ih = h0 + a * dh;
    if (ih < 0 || ih >= H) { continue; }
    for (var b = 0; b < nw; b++) {
      let iw = w0 + b * dw;
      if (iw < 0 || iw >= W) { continue; }
      let v = X[xb + u32(ih * W + iw)];
      if (v > best || is_nan(v)) { best = v; bi = ih * W + iw; }
    }
  }
  let o = p(17u) + t;
  if (p(18u) == 1u) {
    O[2u * o] = bitcast<u32>(bi);
    O[2u * o + 1u] = select(0u, 0xffffffffu, bi < 0);
  } else {
    O[o] = bitcast<u32>(best);
  }
}

//!kernel avg_pool2d_f32
// params as max_pool2d_f32's; w14 count_include_pad, w15 divisor_override (f32 bits, 0: none),
// w17 out offset. Mode 1 (adaptive): the mean of the window.
@group(0) @binding(1) var<storage, read_write> O: array<f32>;
@group(0) @binding(2) var<storage, read> X: array<f32>;

@compute @workgroup_size(64)
fn avg_pool2d_f32(@builtin(global_invocation_id) gid: vec3<u32>,
                  @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = tid(gid, nwg);
  if (t >= p(0u)) { return; }
  let H = i32(p(1u)); let W = i32(p(2u)); let OH = p(3u); let OW = p(4u);
  let ow = t % OW;
  let oh = (t / OW) % OH;
  let pl = t / (OW * OH);
  var h0: i32; var h1: i32; var w0: i32; var w1: i32;
  var pool: f32;
  if (p(5u) == 1u) {
    h0 = i32(oh * u32(H) / OH); h1 = i32(((oh + 1u) * u32(H) + OH - 1u) / OH);
    w0 = i32(ow * u32(W) / OW); w1 = i32(((ow + 1u) * u32(W) + OW - 1u) / OW);
    pool = f32((h1 - h0) * (w1 - w0));
  } else {
    h0 = i32(oh * p(8u)) - i32(p(10u)); w0 = i32(ow * p(9u)) - i32(p(11u));
    h1 = min(h0 + i32(p(6u)), H + i32(p(10u)));
    w1 = min(w0 + i32(p(7u)), W + i32(p(11u)));
    pool = f32((h1 - h0) * (w1 - w0));
  }
  let a0 = max(h0, 0); let a1 = min(h1, H); let b0 = max(w0, 0); let b1 = min(w1, W);
  let o = p(17u) + t;
  if (a0 >= a1 || b0 >= b1) { O[o] = 0.0; return; }
  var s = 0.0;
  let xb = p(16u) + pl * u32(H) * u32(W);
  for (var ih = a0; ih < a1; ih++) {
    for (var iw = b0; iw < b1; iw++) { s += X[xb + u32(ih * W + iw)]; }
  }
  var div = f32((a1 - a0) * (b1 - b0));
  if (p(5u) == 0u && p(14u) == 1u) { div = pool; }
  if (p(5u) == 0u && p(15u) != 0u) { div = pf(15u); }
  O[o] = s / div;
}
