"""webtensor's autograd against torch's golden gradients (tests/golden/grad.json, written by
scripts/make_golden_grad.py): every differentiable op of the op table, on every backend, on
CPython and inside Pyodide (Node, Chromium); plus higher-order gradients and a training step
that need no oracle. Stdlib only."""
import json
import warnings
from pathlib import Path

import pytest

import webtensor
import gradcases
from wtcheck import BACKENDS, using_backend, values_close

GOLDEN = json.loads((Path(__file__).resolve().parent.parent / "golden" / "grad.json")
                    .read_text())


def test_golden_grad_file_matches_catalogue():
    assert sorted(GOLDEN) == sorted(gradcases.CASES), \
        "tests/golden/grad.json is stale: run scripts/make_golden_grad.py"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", sorted(gradcases.CASES))
def test_gradient_matches_torch(name, backend):
    with using_backend(backend), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)      # upsample's deprecation
        got = gradcases.run(webtensor, name)
    for i, (g, e) in enumerate(zip(got, GOLDEN[name])):
        if e is None:
            assert g is None or not any(g), f"{name}: input {i} got a gradient"
            continue
        assert g is not None, f"{name}: input {i} got no gradient"
        assert len(g) == len(e) and all(values_close(a, b, 1e-6, 1e-6) for a, b in zip(g, e)), \
            f"{name}: input {i}: {g} != {e}"


# the ops whose float32 gradients run on the backward kernels (act/softmax/norm backward, the
# fused cross_entropy, conv and pool gradients, GEMMs read transposed)
FLOAT32_CASES = ("relu", "silu", "gelu", "softmax", "log_softmax", "layer_norm", "rms_norm",
                 "cross_entropy", "linear", "matmul", "conv2d", "conv2d_groups", "max_pool2d",
                 "scaled_dot_product_attention")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", FLOAT32_CASES)
def test_float32_gradient_matches_torch(name, backend):
    """The same cases in float32 (the wasm backend's kernels) against torch's float64 golden
    gradients, within float32 rounding."""
    with using_backend(backend):
        got = gradcases.run(webtensor, name, "float32")
    for i, (g, e) in enumerate(zip(got, GOLDEN[name])):
        assert (g is None) == (e is None), f"{name}: input {i}"
        if e is not None:
            assert all(values_close(a, b, 1e-4, 1e-5) for a, b in zip(g, e)), \
                f"{name}: input {i}: {g} != {e}"


@pytest.mark.parametrize("backend", BACKENDS)
def test_second_derivative_and_sgd_step(backend):
    with using_backend(backend):
        x = webtensor.tensor([0.5, -1.0, 2.0], dtype=webtensor.float64, requires_grad=True)
        g, = webtensor.autograd.grad((x ** 3).sum(), x, create_graph=True)
        g2, = webtensor.autograd.grad(g.sum(), x)
        assert g2.tolist() == [3.0, -6.0, 12.0]            # d2/dx2 x^3 = 6x
        lin = webtensor.nn.Linear(3, 1)
        with webtensor.no_grad():
            lin.weight.copy_(webtensor.tensor([[1.0, 2.0, 3.0]]))
            lin.bias.fill_(0.5)
        loss = ((lin(webtensor.ones(2, 3)) - 1.0) ** 2).mean()
        loss.backward()
        assert lin.weight.grad.tolist() == [[11.0, 11.0, 11.0]]   # 2 * (6.5 - 1)
        with webtensor.no_grad():
            for p in lin.parameters():
                p -= 0.1 * p.grad
        assert lin.bias.tolist() == pytest.approx([-0.6])
