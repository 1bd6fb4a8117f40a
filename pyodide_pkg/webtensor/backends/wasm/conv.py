"""conv2d and 2-D pooling on the WASM kernels (float32, NCHW; conv2d also float64, int64 and
int32 through im2col and the xN-gemm kernels; pooling also float64 and the integer dtypes torch
pools, on the xN-pool kernels; int16/int8/uint8 conv2d through int32: widen.py).

conv2d: groups == channels with one input channel per group (depthwise) runs the direct
f32_dwconv2d kernel; everything else is a GEMM per image: out[n] (per group) =
weight[OC/g, C/g*KH*KW] @ col, where col is f32_im2col's patch matrix (rows padded, see col_ld) -- or the image itself
for a 1x1, stride-1, unpadded conv (no copy; all images in one batched GEMM when groups == 1).
Bias is added afterwards by the f32_add kernel (one pass over the output).
bind(ctx) returns (primitives, no shortcuts).
  plan_conv(x shape, weight shape, stride, padding, groups) -> DEPTHWISE, BATCHED (1x1 conv,
      one GEMM over all images), DIRECT (1x1, a GEMM per image) or IM2COL
  plan_pool(out, x, indices) -> (x', (N*C, H, W, OH, OW)) for the pool kernels, or None
"""
from ... import _dtype as D
from ..._tensor import Tensor
from . import kernel_table as KT
from .loader import Region
from .views import fits_i32, region
from .widen import SMALL_INT, widened

F32 = D.float32
# conv2d's dtypes: (GEMM, im2col (a copy: any element of its width), bias add) kernel names
_CONV = {F32: (KT.GEMM, KT.IM2COL, KT.BINARY["add"])}
_CONV.update({dt: (KT.X_GEMM[s], KT.X64_IM2COL if dt.itemsize == 8 else KT.IM2COL,
                   KT.X_BINARY[(s, "add")])
              for dt, s in ((D.float64, "f64"), (D.int64, "i64"), (D.int32, "i32"))})
_HALVES = (D.float16, D.bfloat16)
_X_POOL = {F32: "f32", D.float64: "f64", D.int64: "i64", D.int32: "i32", D.int16: "i16",
           D.int8: "i8", D.uint8: "u8", D.float16: "f16", D.bfloat16: "bf16"}   # xN-pool's dtypes


def _sub(t, start, n, writable=False):
    """Region of n elements of contiguous t from element `start` on."""
    isz = t.dtype.itemsize
    return Region(t._storage, (t._offset + start) * isz, n * isz, writable)


def col_ld(n):
    """Row stride of the im2col matrix: n rounded up to an odd number of 64-byte lines, so
    the GEMM's walk down a column block spreads over all L1 sets (a stride that is a multiple
    of 512 bytes, like 56*56 floats, keeps hitting a few sets and thrashes them)."""
    if n < 64:
        return n
    return ((n + 15) // 16 | 1) * 16


DEPTHWISE, BATCHED, DIRECT, IM2COL = range(4)
COL_BUDGET = 1 << 22   # floats of im2col patch matrices made at once (16 MiB): a chunk of images


def plan_conv(xshape, wshape, stride, padding, groups):
    c_ = xshape[1]
    oc, cg, kh, kw = wshape
    if groups == c_ and cg == 1:          # depthwise (channel multiplier oc / c)
        return DEPTHWISE
    if kh == kw == 1 and tuple(stride) == (1, 1) and tuple(padding) == (0, 0):
        return BATCHED if groups == 1 else DIRECT
    return IM2COL


def bind(ctx):
    K, copier = ctx.K, ctx.copier
    conv_fns = {dt: tuple(K.fn(name) for name in names) for dt, names in _CONV.items()}
    dwconv = K.fn(KT.DWCONV)
    maxpool, maxpool_idx = K.fn(KT.MAX_POOL2D), K.fn(KT.MAX_POOL2D_INDICES)
    avgpool = K.fn(KT.AVG_POOL2D)
    adaptive_avg, adaptive_max = K.fn(KT.ADAPTIVE_AVG_POOL2D), K.fn(KT.ADAPTIVE_MAX_POOL2D)
    x_max, x_max_idx, x_avg, x_adaptive_avg, x_adaptive_max = (
        {dt: K.fn(names[s]) for dt, s in _X_POOL.items() if s in names}
        for names in (KT.X_MAX_POOL2D, KT.X_MAX_POOL2D_INDICES, KT.X_AVG_POOL2D, KT.X_ADAPTIVE_AVG_POOL2D,
                      KT.X_ADAPTIVE_MAX_POOL2D))

    def inputs(out, *ts, dtypes=(F32,)):
        """ts made contiguous (None stays None), or None when the kernels cannot run:
        another dtype, a strided output, or an input sharing the output's storage."""
        if out.dtype not in dtypes or any(t is not None and t.dtype is not out.dtype
                                          for t in ts) or not out.is_contiguous():
            return None
        res = []
        for t in ts:
            if t is not None:
                if t._storage is out._storage:
                    return None
                t = copier.contiguous(t)
                if t is None:
                    return None
            res.append(t)
        return res

    def conv2d(out, x, weight, bias, stride, padding, dilation, groups):
        ts = inputs(out, x, weight, bias, dtypes=conv_fns)
        if ts is None:
            return NotImplemented
        gemm, im2col, add = conv_fns[out.dtype]
        if out.numel() == 0:
            return None
        x, weight, bias = ts
        n_, c_, h_, w_ = x.shape
        oc, cg, kh, kw = weight.shape
        oh, ow = out.shape[2:]
        (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
        ohw, chw = oh * ow, c_ * h_ * w_
        kg, ocg = cg * kh * kw, oc // groups
        if not fits_i32(n_ * chw, n_ * oc * ohw, groups * kg * ohw, oc * kg):
            return NotImplemented
        ro = region(out, True)
        kind = plan_conv(x.shape, weight.shape, stride, padding, groups)
        if kind == DEPTHWISE and out.dtype is not F32:     # no direct kernel: as a GEMM
            kind = IM2COL
        if kind == DEPTHWISE:
            if bias is None:
                bias = Tensor._empty((oc,), F32)        # zeros
            dwconv(n_ * oc, oc, oc // c_, h_, w_, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow,
                   region(x), region(weight), region(bias), ro)
            return None
        rw = region(weight)
        direct = kind != IM2COL
        if kind == BATCHED:                   # one batched GEMM, the weight broadcast
            gemm(n_, oc, ohw, kg, rw, 0, kg, 1, region(x), chw, ohw, ro, oc * ohw, ohw)
        elif direct:                          # 1x1 grouped: a GEMM per image over the groups
            for n in range(n_):
                gemm(groups, ocg, ohw, kg, rw, ocg * kg, kg, 1, _sub(x, n * chw, chw), kg * ohw,
                     ohw, _sub(out, n * oc * ohw, oc * ohw, True), ocg * ohw, ohw)
        else:                                 # im2col of a chunk of images in one call
            ld = col_ld(ohw)
            ck = groups * kg * ld             # one image's patch matrix
            chunk = max(1, min(n_, COL_BUDGET // ck))
            col = Tensor._empty((chunk * ck,), out.dtype)
            rc, rcb = region(col, True), region(col)
            for n0 in range(0, n_, chunk):
                m = min(chunk, n_ - n0)
                im2col(m * c_, h_, w_, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, ld,
                       _sub(x, n0 * chw, m * chw), rc)
                if groups == 1:               # the chunk's images in one batched GEMM
                    gemm(m, oc, ohw, kg, rw, 0, kg, 1, rcb, ck, ld,
                         _sub(out, n0 * oc * ohw, m * oc * ohw, True), oc * ohw, ohw)
                    continue
                for n in range(m):
                    gemm(groups, ocg, ohw, kg, rw, ocg * kg, kg, 1, _sub(col, n * ck, ck),
                         kg * ld, ld, _sub(out, (n0 + n) * oc * ohw, oc * ohw, True), ocg * ohw,
                         ohw)
        if bias is not None:                  # bias along each image's rows: one add
            be = copier.contiguous(bias._view((oc, ohw), (bias._strides[0], 0), bias._offset))
            add(n_, oc * ohw, region(out), oc * ohw, 1, region(be), 0, 1, ro)
        return None

    def plan_pool(out, x, indices=None, dtypes=(F32,)):
        """(x', (N*C, H, W, OH, OW)) for the pool kernels (NCHW planes), or None to decline."""
        if indices is not None and (indices.dtype is not D.int64 or
                                    not indices.is_contiguous()):
            return None
        ts = inputs(out, x, dtypes=dtypes)
        if ts is None or not fits_i32(ts[0].numel(), out.numel()):
            return None
        n_, c_, h_, w_ = ts[0].shape
        return ts[0], (n_ * c_, h_, w_) + tuple(out.shape[2:])

    def max_pool2d(out, indices, x, kernel_size, stride, padding, dilation):
        p = plan_pool(out, x, indices, (F32,) + tuple(x_max_idx))
        if p is None:
            return NotImplemented
        if out.numel() == 0:
            return None
        x, geom = p
        geom += tuple(kernel_size) + tuple(stride) + tuple(padding) + tuple(dilation)
        # the row kernels (scratch t) for all but float32; float32's too for 2-wide windows
        # and wide undilated ones (a vector per window row: adaptive pooling's equal windows)
        if indices is None and (out.dtype is not F32 or kernel_size[1] == 2 or
                                kernel_size[1] >= 8 and dilation[1] == 1):
            ow, kw, sw, dw = geom[4], geom[6], geom[8], geom[12]
            t = Tensor._empty(((ow - 1) * sw + (kw - 1) * dw + 1,), out.dtype)
            x_max[out.dtype](*geom, region(x), region(out, True), region(t, True))
        elif out.dtype is not F32:
            x_max_idx[out.dtype](*geom, region(x), region(out, True), region(indices, True))
        elif indices is None:
            maxpool(*geom, region(x), region(out, True))
        else:
            maxpool_idx(*geom, region(x), region(out, True), region(indices, True))
        return None

    def avg_pool2d(out, x, kernel_size, stride, padding, count_include_pad, divisor_override):
        if out.dtype in _HALVES and max(x.shape[-2] * x.shape[-1],
                                        out.shape[-2] * out.shape[-1]) > KT.POOL_STAGE:
            return wide_avg(out, x, kernel_size, stride, padding, count_include_pad,
                            divisor_override)     # planes beyond the halves' float32 stage
        return avg(out, x, kernel_size, stride, padding, count_include_pad, divisor_override)

    def avg(out, x, kernel_size, stride, padding, count_include_pad, divisor_override):
        p = plan_pool(out, x, dtypes=(F32,) + tuple(x_avg))
        if p is None or not fits_i32(divisor_override or 0):
            return NotImplemented
        if out.numel() == 0:
            return None
        x, geom = p
        (x_avg.get(out.dtype) or avgpool)(*geom, *kernel_size, *stride, *padding,
                                          int(count_include_pad), divisor_override or 0,
                                          region(x), region(out, True))
        return None

    wide_avg = widened(ctx, avg, _HALVES)

    def adaptive_avg_pool2d(out, x):
        p = plan_pool(out, x, dtypes=(F32,) + tuple(x_adaptive_avg))
        if p is None:
            return NotImplemented
        if out.numel() == 0:
            return None
        x, geom = p
        (x_adaptive_avg.get(out.dtype) or adaptive_avg)(*geom, region(x), region(out, True))
        return None

    def adaptive_max_pool2d(out, indices, x):
        p = plan_pool(out, x, indices, (F32,) + tuple(x_adaptive_max))
        if p is None:
            return NotImplemented
        if out.numel() == 0:
            return None
        x, geom = p
        if indices is None:
            indices = Tensor._empty(out.shape, D.int64)
        (x_adaptive_max.get(out.dtype) or adaptive_max)(*geom, region(x), region(out, True),
                                                        region(indices, True))
        return None

    # int16/int8/uint8 conv on the int32 kernels (widen.py)
    return {"conv2d": widened(ctx, conv2d, SMALL_INT),
            "max_pool2d": max_pool2d, "avg_pool2d": avg_pool2d,
            "adaptive_avg_pool2d": adaptive_avg_pool2d,
            "adaptive_max_pool2d": adaptive_max_pool2d}, {}
