"""webtensor/ops/fold.py (F.unfold / F.fold, nn.Unfold / nn.Fold) and ops/grid_sample.py
against torch: sizes, dilation, padding, stride, unbatched inputs, errors, gradients."""
import pytest
import torch

import webtensor as wt
from wt_oracle import make_pair, raises_like_torch, run_both, to_wt

_CONFIGS = [dict(kernel_size=2), dict(kernel_size=(3, 2), dilation=(2, 1), padding=1,
                                      stride=(2, 3)), dict(kernel_size=1, stride=2)]


@pytest.mark.parametrize("kw", _CONFIGS)
def test_unfold_fold_like_torch(kw):
    x, tx = make_pair((2, 3, 7, 6), "float32", 1)
    run_both(lambda m, a: m.nn.functional.unfold(a, **kw), [x], [tx])
    run_both(lambda m, a: m.nn.Unfold(**kw)(a[0]), [x], [tx])
    cols = torch.nn.functional.unfold(tx, **kw)
    run_both(lambda m, c: m.nn.functional.fold(c, (7, 6), **kw), [to_wt(cols)], [cols],
             rtol=1e-5, atol=1e-5)
    run_both(lambda m, c: m.nn.Fold((7, 6), **kw)(c[1]), [to_wt(cols)], [cols], rtol=1e-5,
             atol=1e-5)
    assert repr(wt.nn.Fold((7, 6), **kw)) == repr(torch.nn.Fold((7, 6), **kw))


def test_unfold_fold_errors_and_gradients():
    raises_like_torch(lambda m: m.nn.functional.unfold(m.zeros(1, 2, 3, 4, 5), 2), "3D or 4D")
    raises_like_torch(lambda m: m.nn.functional.fold(m.zeros(1, 2, 3, 4), 3, 2), "2D or 3D")
    raises_like_torch(lambda m: m.nn.functional.unfold(m.zeros(1, 1, 2, 2), 3),
                      "must be at least one")
    raises_like_torch(lambda m: m.nn.functional.fold(m.zeros(1, 5, 4), (3, 3), 2),
                      "divisible by the product of kernel_size")
    raises_like_torch(lambda m: m.nn.functional.fold(m.zeros(1, 4, 5), (3, 3), 2),
                      "calculated number of sliding blocks")

    def grad(m):
        x = m.arange(2 * 2 * 5 * 4, dtype=m.float64).reshape(2, 2, 5, 4).requires_grad_()
        c = m.nn.functional.unfold(x, (2, 3), padding=1, stride=2)
        y = m.nn.functional.fold(c * c, (5, 4), (2, 3), padding=1, stride=2)
        (y * m.arange(y.numel(), dtype=m.float64).reshape(y.shape)).sum().backward()
        return x.grad
    run_both(lambda m, g: g, [grad(wt)], [grad(torch)])


@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("align_corners", [False, True])
def test_grid_sample_like_torch(mode, padding_mode, align_corners):
    x, tx = make_pair((2, 3, 5, 6), "float32", 1)
    tg = torch.rand(2, 4, 7, 2, generator=torch.Generator().manual_seed(2)) * 2.6 - 1.3
    run_both(lambda m, a, g: m.nn.functional.grid_sample(
        a, g, mode=mode, padding_mode=padding_mode, align_corners=align_corners),
        [x, to_wt(tg)], [tx, tg], rtol=1e-5, atol=1e-5)


def test_grid_sample_gradients_and_errors():
    def grad(m):
        x = m.arange(30, dtype=m.float64).reshape(1, 1, 5, 6).sin().requires_grad_()
        g = m.tensor([[[[0.3, -0.7], [1.2, 0.1], [-0.45, 0.9]]]], dtype=m.float64,
                     requires_grad=True)
        y = m.nn.functional.grid_sample(x, g, align_corners=False) + \
            m.nn.functional.grid_sample(x, g, padding_mode="border", align_corners=True)
        (y * m.tensor([1.0, -2.0, 0.5], dtype=m.float64)).sum().backward()
        return x.grad, g.grad
    for w, t in zip(grad(wt), grad(torch)):
        run_both(lambda m, v: v, [w], [t])
    raises_like_torch(lambda m: m.nn.functional.grid_sample(m.zeros(1, 1, 2, 2),
                                                            m.zeros(1, 1, 1, 2), mode="cubic"),
                      "expected mode")
    with pytest.raises(NotImplementedError, match="4-D"):
        wt.nn.functional.grid_sample(wt.zeros(1, 1, 2, 2, 2), wt.zeros(1, 1, 1, 1, 3))


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
def test_grid_sample_every_float_dtype_like_torch(dtype, mode):
    """The kernel's blocks of 256 pixels in lanes of 4 (a partial last group), taps outside
    masked (inf / NaN in the image), halves computed in float32 and rounded once: torch's
    float32 result rounded."""
    x, tx = make_pair((2, 3, 6, 9), dtype, 3, special=True)
    tg = (torch.rand(2, 17, 19, 2, generator=torch.Generator().manual_seed(4)) * 2.6 - 1.3)
    tg = tg.to(tx.dtype)
    tol = {"float16": 2e-3, "bfloat16": 1e-2, "float32": 1e-5}.get(dtype, 1e-9)
    for padding_mode in ("zeros", "border"):
        def fn(m, a, g):
            if m is torch and a.dtype in (torch.float16, torch.bfloat16):
                return m.nn.functional.grid_sample(
                    a.float(), g.float(), mode=mode, padding_mode=padding_mode,
                    align_corners=False).to(a.dtype)
            return m.nn.functional.grid_sample(a, g, mode=mode, padding_mode=padding_mode,
                                               align_corners=False)
        run_both(fn, [x, to_wt(tg)], [tx, tg], rtol=tol, atol=tol)
