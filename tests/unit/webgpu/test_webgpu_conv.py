"""conv1d/conv2d and 2-D pooling on device "webgpu" against the CPU: convolutions rtol 1e-5
(atol 1e-5: float32 sums in another order), pooling exact (max, indices) or rtol 1e-6 (avg)."""
import itertools

import pytest

import webtensor as torch
import webtensor.nn.functional as F

from gpu_check import DEV, g, rand  # noqa: F401
from gpu_check import close as _close


def close(got, want, rtol=1e-5, atol=1e-5):
    _close(got, want, rtol, atol)



GRID = list(itertools.product([1, 2], [0, 1, 2], [1, 2], [1, 2, 4], [True, False]))


@pytest.mark.parametrize("stride,padding,dilation,groups,bias", GRID)
def test_conv2d_grid(stride, padding, dilation, groups, bias):
    x = rand((2, 4, 9, 8), 1)
    w = rand((8, 4 // groups, 3, 2), 2)
    b = rand((8,), 3) if bias else None
    want = F.conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
    close(F.conv2d(g(x), g(w), g(b), stride=stride, padding=padding, dilation=dilation,
                   groups=groups), want)


def test_conv2d_depthwise_asymmetric_and_views():
    x = rand((1, 6, 10, 7), 1)
    w = rand((12, 1, 3, 3), 2)                              # depthwise, multiplier 2
    b = rand((12,), 3)
    close(F.conv2d(g(x), g(w), g(b), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=6),
          F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=6))
    xt = rand((1, 6, 7, 10), 4)                             # a transposed (strided) input
    close(F.conv2d(g(xt).transpose(2, 3), g(w), None, padding="same", groups=6),
          F.conv2d(xt.transpose(2, 3), w, None, padding="same", groups=6))


@pytest.mark.parametrize("stride,padding,dilation,groups", [(1, 0, 1, 1), (2, 1, 1, 1),
                                                            (1, 2, 2, 3), (3, 1, 1, 3)])
def test_conv1d(stride, padding, dilation, groups):
    x, w, b = rand((2, 6, 17), 1), rand((9, 6 // groups, 3), 2), rand((9,), 3)
    close(F.conv1d(g(x), g(w), g(b), stride=stride, padding=padding, dilation=dilation,
                   groups=groups),
          F.conv1d(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups))


@pytest.mark.parametrize("k,s,p,d,ceil", [(2, 2, 0, 1, False), (3, 2, 1, 1, False),
                                         (3, 2, 1, 1, True), (3, 1, 1, 2, False),
                                         ((2, 3), (1, 2), (1, 1), (2, 1), True)])
def test_max_pool2d_with_indices(k, s, p, d, ceil):
    x = rand((2, 3, 9, 8), 5)
    x[0, 0, 0, :3] = float("nan")                           # NaN wins
    x[1, 1] = float("-inf")                                 # all -inf windows
    x[1, 2, 2:6] = 1.0                                      # ties: the first maximum
    kw = dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
    v, i = F.max_pool2d(g(x), return_indices=True, **kw)
    v2, i2 = F.max_pool2d(x, return_indices=True, **kw)
    assert i.dtype is torch.int64 and i.device == torch.device(DEV)
    assert i.cpu().tolist() == i2.tolist()
    got, want = v.cpu().reshape(-1).tolist(), v2.reshape(-1).tolist()
    assert [a if a == a else "nan" for a in got] == [b if b == b else "nan" for b in want]
    close(F.max_pool2d(g(x[1:]), **kw), F.max_pool2d(x[1:], **kw), 0, 0)


@pytest.mark.parametrize("k,s,p,ceil,cip,div", [(2, 2, 0, False, True, None),
                                               (3, 2, 1, False, True, None),
                                               (3, 2, 1, True, False, None),
                                               (3, 2, 1, True, True, None),
                                               ((3, 2), (2, 1), (1, 0), False, True, 5),
                                               (2, 1, 1, True, False, 3)])
def test_avg_pool2d(k, s, p, ceil, cip, div):
    x = rand((2, 3, 9, 8), 6)
    kw = dict(kernel_size=k, stride=s, padding=p, ceil_mode=ceil, count_include_pad=cip,
              divisor_override=div)
    close(F.avg_pool2d(g(x), **kw), F.avg_pool2d(x, **kw), 1e-6, 1e-6)


@pytest.mark.parametrize("osz", [(1, 1), (3, 4), (4, 3), (9, 8), (5, 7)])
def test_adaptive_pools(osz):
    x = rand((2, 3, 9, 8), 7)
    close(F.adaptive_avg_pool2d(g(x), osz), F.adaptive_avg_pool2d(x, osz), 1e-6, 1e-6)
    v, i = F.adaptive_max_pool2d(g(x), osz, return_indices=True)
    v2, i2 = F.adaptive_max_pool2d(x, osz, return_indices=True)
    close(v, v2, 0, 0)
    assert i.cpu().tolist() == i2.tolist()


def test_digits_cnn_forward():
    """An 8x8-digits CNN: conv 1->8 3x3, relu, maxpool 2, conv 8->16 3x3, relu, adaptive avg,
    flatten, linear-by-matmul-free sum; the whole forward stays on the GPU."""
    x = rand((4, 1, 8, 8), 1)
    w1, b1 = rand((8, 1, 3, 3), 2), rand((8,), 3)
    w2, b2 = rand((16, 8, 3, 3), 4), rand((16,), 5)

    def net(x, w1, b1, w2, b2):
        h = F.relu(F.conv2d(x, w1, b1, padding=1))
        h = F.max_pool2d(h, 2)
        h = F.relu(F.conv2d(h, w2, b2, padding=1))
        h = F.max_pool2d(h, 2)
        return F.adaptive_avg_pool2d(h, 1).reshape(4, 16)

    close(net(g(x), g(w1), g(b1), g(w2), g(b2)), net(x, w1, b1, w2, b2), 1e-5, 1e-5)


def test_unsupported_dtype_names_primitive():
    x = torch.ones(1, 1, 4, 4, dtype=torch.float64).to(DEV)
    with pytest.raises(NotImplementedError, match="conv2d"):
        F.conv2d(x, torch.ones(1, 1, 2, 2, dtype=torch.float64).to(DEV))
