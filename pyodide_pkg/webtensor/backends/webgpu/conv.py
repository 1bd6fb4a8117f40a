"""conv2d and 2-D pooling on the webgpu device (wgsl/conv.wgsl), float32 NCHW.

conv2d: direct convolution, one thread per output element (n, oc, oh, ow), looping over its
group's input channels and the kernel taps (taps outside the image skipped); groups and
depthwise by index, optional bias. Pooling: one thread per output element; max pooling writes
values and (a second dispatch of the same kernel) int64 indices h * W + w; adaptive windows
[floor(o*H/OH), ceil((o+1)*H/OH)) are the same kernels in mode 1.
"""
from ... import _dtype as D
from .index import f32w, groups, launch, on_gpu, with_out


def _f32(*ts):
    return all(t is None or t.dtype is D.float32 for t in ts)


def conv2d(out, x, weight, bias, stride, padding, dilation, groups_):
    if not _f32(out, x, weight, bias):
        return NotImplemented
    dev = out._storage.device
    x, weight = on_gpu(x, dev), on_gpu(weight, dev)
    bias = on_gpu(bias, dev) if bias is not None else None
    N, C, H, W = x.shape
    OC, CG, KH, KW = weight.shape
    OH, OW = out.shape[2:]
    n = out.numel()
    if n == 0:
        return None
    words = [n, C, H, W, OC, CG, KH, KW, OH, OW, *stride, *padding, *dilation,
             OC // groups_, int(bias is not None), x._offset, weight._offset,
             bias._offset if bias is not None else 0]

    def run(o):
        launch("conv", "conv2d_f32", [o, x, weight, bias if bias is not None else weight],
               words + [o._offset], groups(n))
    return with_out(out, run)


def _pool_words(out, x, mode, k, s, p, d, extra=(0, 0)):
    N, C, H, W = x.shape
    OH, OW = out.shape[2:]
    return [out.numel(), H, W, OH, OW, mode, *k, *s, *p, *d, *extra, x._offset]


def _max(out, indices, x, words):
    if not _f32(out, x) or (indices is not None and indices.dtype is not D.int64):
        return NotImplemented
    n = out.numel()
    if n == 0:
        return None
    x = on_gpu(x, out._storage.device)
    words = words(x)
    with_out(out, lambda o: launch("conv", "max_pool2d_f32", [o, x], words + [o._offset, 0],
                                   groups(n)))
    if indices is not None:
        with_out(indices, lambda o: launch("conv", "max_pool2d_f32", [o, x],
                                           words + [o._offset, 1], groups(n)))
    return None


def max_pool2d(out, indices, x, kernel_size, stride, padding, dilation):
    return _max(out, indices, x,
                lambda x: _pool_words(out, x, 0, kernel_size, stride, padding, dilation))


def adaptive_max_pool2d(out, indices, x):
    return _max(out, indices, x, lambda x: _pool_words(out, x, 1, (0, 0), (0, 0), (0, 0), (1, 1)))


def _avg(out, x, words):
    if not _f32(out, x):
        return NotImplemented
    n = out.numel()
    if n == 0:
        return None
    x = on_gpu(x, out._storage.device)
    words = words(x)
    return with_out(out, lambda o: launch("conv", "avg_pool2d_f32", [o, x], words + [o._offset],
                                          groups(n)))


def avg_pool2d(out, x, kernel_size, stride, padding, count_include_pad, divisor_override):
    extra = (int(bool(count_include_pad)), f32w(divisor_override) if divisor_override else 0)
    return _avg(out, x, lambda x: _pool_words(out, x, 0, kernel_size, stride, padding, (1, 1),
                                              extra))


def adaptive_avg_pool2d(out, x):
    return _avg(out, x, lambda x: _pool_words(out, x, 1, (0, 0), (0, 0), (0, 0), (1, 1)))


IMPL = {"conv2d": conv2d, "max_pool2d": max_pool2d, "avg_pool2d": avg_pool2d,
        "adaptive_avg_pool2d": adaptive_avg_pool2d, "adaptive_max_pool2d": adaptive_max_pool2d}
