"""Bad input raises what torch raises: the same exception type, and a message that carries the
facts (shapes, dims, sizes, dtypes). One table across the API; op-specific error cases also
live next to their op (tests/unit/ops/)."""
import pytest
import torch.nn.functional as F

import webtensor as wt
from wt_oracle import make_pair, raises_like_torch

X = ((2, 3, 4), "float32")


def _x(m):
    """The same (2, 3, 4) float32 tensor for torch and webtensor (deterministic seed)."""
    w, t = make_pair(*X, seed=123)
    return w if m is wt else t


CASES = {
    # views and metadata
    "view-noncontiguous": (lambda m: _x(m).transpose(0, 1).view(-1),
                           ["view size is not compatible"]),
    "reshape-size": (lambda m: _x(m).reshape(5, -1), ["'[5, -1]' is invalid for input of size 24"]),
    "reshape-two-inferred": (lambda m: _x(m).reshape(-1, -1),
                             ["only one dimension can be inferred"]),
    "permute-length": (lambda m: _x(m).permute(0, 1), ["input.dim() = 3", "len(dims) = 2"]),
    "permute-duplicate": (lambda m: _x(m).permute(0, 1, 1), ["duplicate dims"]),
    "transpose-dim": (lambda m: _x(m).transpose(0, 3), ["[-3, 2]", "but got 3"]),
    "expand-size": (lambda m: _x(m).expand(3, 3, 4), ["expanded size of the tensor (3)",
                                                       "existing size (2)", "dimension 0"]),
    "expand-leading-minus-one": (lambda m: _x(m).expand(-1, 2, 3, 4), ["(-1)", "leading"]),
    "squeeze-dim": (lambda m: _x(m).squeeze(5), ["[-3, 2]", "but got 5"]),
    "unsqueeze-dim": (lambda m: _x(m).unsqueeze(4), ["[-4, 3]", "but got 4"]),
    "unflatten-sizes": (lambda m: _x(m).unflatten(1, (2, 2)), ["[2, 2]", "3"]),
    "narrow-length": (lambda m: _x(m).narrow(1, 2, 2),
                      ["start (2) + length (2) exceeds dimension size (3)"]),
    "narrow-start": (lambda m: _x(m).narrow(1, 4, 0), ["but got 4"]),
    "select-index": (lambda m: _x(m).select(2, 4), ["index 4", "dimension 2"]),
    "t-3d": (lambda m: _x(m).t(), ["<= 2 dimensions", "3D"]),
    "mT-1d": (lambda m: m.zeros(3).mT, ["1-D"]),
    "flatten-order": (lambda m: _x(m).flatten(2, 1), ["start_dim cannot come after end_dim"]),
    "movedim-dim": (lambda m: _x(m).movedim(0, 3), ["but got 3"]),
    "movedim-lengths": (lambda m: _x(m).movedim((0, 1), (1,)), ["movedim"]),
    "unbind-dim": (lambda m: _x(m).unbind(3), ["but got 3"]),
    "size-dim": (lambda m: _x(m).size(3), ["[-3, 2]", "but got 3"]),
    "stride-dim": (lambda m: _x(m).stride(-4), ["but got -4"]),
    # scalars out of tensors
    "item-many": (lambda m: _x(m).item(), ["24 elements"]),
    "bool-many": (lambda m: bool(_x(m)), ["ambiguous"]),
    "float-many": (lambda m: float(_x(m)), []),
    "int-many": (lambda m: int(_x(m)), []),
    "index-float": (lambda m: [1, 2][m.tensor([1.0])], ["integer tensors of a single element"]),
    # in-place writes
    "fill-tensor-value": (lambda m: _x(m).fill_(m.ones(2)), ["1 dimension"]),
    "copy-shape": (lambda m: _x(m).copy_(m.ones(5)), ["(4)", "(5)"]),
    "inplace-broadcast": (lambda m: _x(m)[0].add_(m.ones(2, 3, 4)),
                          ["output with shape [3, 4] doesn't match the broadcast shape [2, 3, 4]"]),
    "inplace-cast": (lambda m: m.ones(3, dtype=m.int32).mul_(1.5),
                     ["result type Float can't be cast to the desired output type Int"]),
    # shapes and dims in ops
    "binary-broadcast": (lambda m: _x(m) + m.ones(5), ["(4)", "(5)", "dimension 2"]),
    "where-broadcast": (lambda m: m.where(m.ones(2, dtype=m.bool), _x(m), 0.0), ["2", "4"]),
    "sum-dim": (lambda m: _x(m).sum(3), ["[-3, 2]", "but got 3"]),
    "softmax-dim": (lambda m: _x(m).softmax(-4), ["but got -4"]),
    "cat-dim": (lambda m: m.cat([_x(m), _x(m)], 3), ["but got 3"]),
    "stack-dim": (lambda m: m.stack([_x(m), _x(m)], 4), ["[-4, 3]", "but got 4"]),
    "gather-dim": (lambda m: _x(m).gather(3, m.zeros(1, 1, 1, dtype=m.int64)), ["but got 3"]),
    "index_select-dim": (lambda m: _x(m).index_select(3, m.zeros(1, dtype=m.int64)), ["but got 3"]),
    "matmul-shapes": (lambda m: m.matmul(m.ones(2, 3), m.ones(2, 3)), ["2x3 and 2x3"]),
    "mean-int": (lambda m: m.ones(3, dtype=m.int64).mean(), ["Long"]),
    "masked_fill-shape": (lambda m: _x(m).masked_fill(m.ones(5, dtype=m.bool), 0.0), ["5", "4"]),
    "arange-step": (lambda m: m.arange(0, 3, 0), ["step must be nonzero"]),
    "creation-negative": (lambda m: m.ones(2, -3), ["negative"]),
    "creation-ragged": (lambda m: m.tensor([[1, 2], [3]]),
                        ["expected sequence of length 2 at dim 1 (got 1)"]),
    # dtypes
    "bitwise-float": (lambda m: _x(m) & _x(m), ["bitwise_and"]),
    "invert-float": (lambda m: ~_x(m), ["bitwise_not"]),
    "neg-bool": (lambda m: -m.ones(2, dtype=m.bool), ["Negation"]),
    "matmul-dtypes": (lambda m: m.ones(2, 2) @ m.ones(2, 2, dtype=m.float64), ["same dtype"]),
    "index-float-tensor": (lambda m: _x(m)[m.tensor([0.0])],
                           ["tensors used as indices must be long"]),
    "one_hot-float": (lambda m: (wt.one_hot if m is wt else F.one_hot)(m.tensor([0.0])),
                      ["LongTensor"]),
    "numpy-bfloat16": (lambda m: m.zeros(2, dtype=m.bfloat16).numpy(), ["BFloat16"]),
    # indices
    "getitem-int": (lambda m: _x(m)[2], ["index 2 is out of bounds for dimension 0 with size 2"]),
    "getitem-negative": (lambda m: _x(m)[:, -4],
                         ["index -4 is out of bounds for dimension 1 with size 3"]),
    "getitem-too-many": (lambda m: _x(m)[0, 0, 0, 0], ["too many indices"]),
    "getitem-tensor": (lambda m: _x(m)[m.tensor([0, 2])],
                       ["index 2 is out of bounds for dimension 0 with size 2"]),
    "setitem-tensor": (lambda m: _x(m).__setitem__((0, m.tensor([3])), 1.0), ["index 3", "size 3"]),
    "getitem-mask-shape": (lambda m: _x(m)[m.ones(3, dtype=m.bool)], ["[3]", "[2, 3, 4]"]),
    "gather-index": (lambda m: _x(m).gather(2, m.full((1, 1, 1), 4, dtype=m.int64)), ["4"]),
    "scatter-index": (lambda m: _x(m).scatter(0, m.full((1, 1, 1), 2, dtype=m.int64), 1.0), ["2"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_error_like_torch(case):
    fn, match = CASES[case]
    raises_like_torch(fn, *match)


def test_device_errors():
    import torch
    for dev in ("cuda", "cuda:0", "mps"):
        with pytest.raises(RuntimeError, match=dev.split(":")[0]):
            wt.zeros(2, device=dev)
    raises_like_torch(lambda m: m.zeros(2).to("nonsense"))
    assert wt.zeros(2, device="cpu").device == "cpu" == torch.zeros(2).device.type


def test_backward_is_not_silently_wrong():
    x = wt.ones(2, requires_grad=True)
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
