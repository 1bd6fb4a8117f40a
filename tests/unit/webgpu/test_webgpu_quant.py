"""webtensor.quant on device "webgpu": GGUF Q8_0 / Q4_1 blocks quantised on the CPU, moved to
the GPU as raw bytes (QuantizedTensor.to, module.to), and quant_linear / dequantize /
dequantize_rows (wgsl/quant.wgsl) compared with the CPU's results (rtol 1e-4)."""
import math
import random

import pytest

import webtensor as torch
from webtensor import quant

DEV = "webgpu"
KINDS = ("q8_0", "q4_1")


def rand(shape, seed=0, scale=1.0):
    r = random.Random(seed)
    return torch.tensor([r.uniform(-scale, scale) for _ in range(math.prod(shape))]
                        ).reshape(shape)


def close(got, want, rtol=1e-4, atol=1e-5):
    assert got.device == torch.device(DEV)
    assert tuple(got.shape) == tuple(want.shape), (got.shape, want.shape)
    g, w = got.cpu().reshape(-1).tolist(), want.reshape(-1).tolist()
    for i, (a, b) in enumerate(zip(g, w)):
        assert abs(a - b) <= atol + rtol * abs(b), (i, a, b)


@pytest.mark.parametrize("kind", KINDS)
def test_move_and_dequantize(kind):
    w = rand((37, 96), 1)
    q = quant.quantize(w, kind)
    qg = q.to(DEV)
    assert qg.device == torch.device(DEV) and qg.kind == kind and qg.shape == q.shape
    assert qg.tobytes() == q.tobytes()                          # raw bytes, unchanged
    assert qg.to(DEV) is qg
    assert qg.cpu().tobytes() == q.tobytes()
    d = quant.dequantize(qg)
    close(d, quant.dequantize(q), rtol=0, atol=0)               # exact
    assert q.to(DEV).is_floating_point() is False


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("m,n,k", [(1, 37, 96), (1, 1, 32), (1, 300, 1024), (2, 5, 32),
                                   (5, 37, 96), (33, 17, 320), (70, 40, 64)])
def test_quant_linear(kind, m, n, k):
    w = rand((n, k), 2)
    q = quant.quantize(w, kind)
    qg = q.to(DEV)
    x = rand((m, k), 3)
    close(quant.linear(x.to(DEV), qg), quant.linear(x, q))


@pytest.mark.parametrize("kind", KINDS)
def test_quant_linear_shapes_and_bias(kind):
    q = quant.quantize(rand((24, 64), 4), kind)
    qg = q.to(DEV)
    x, bias = rand((2, 3, 64), 5), rand((24,), 6)
    close(quant.linear(x.to(DEV), qg, bias.to(DEV)), quant.linear(x, q, bias))
    close(quant.linear(x[0, 0].to(DEV), qg), quant.linear(x[0, 0], q))         # 1-D input
    close(quant.linear(x.to(DEV)[:, 1], qg), quant.linear(x[:, 1], q))          # a view


@pytest.mark.parametrize("kind", KINDS)
def test_dequantize_rows(kind):
    q = quant.quantize(rand((51, 64), 7), kind)
    qg = q.to(DEV)
    for ids in ([0, 50, 3, 3, 17], [[1, 2], [49, 0]], [7]):
        t = torch.tensor(ids)
        close(quant.embedding(t.to(DEV), qg), quant.embedding(t, q), rtol=0, atol=0)


def test_device_mismatch_and_int8():
    q = quant.quantize(rand((8, 32), 8), "q8_0")
    x = rand((1, 32), 9)
    with pytest.raises(RuntimeError):
        quant.linear(x.to(DEV), q)                  # weight still on the CPU
    with pytest.raises(RuntimeError):
        quant.linear(x, q.to(DEV))
    for acts in ("int8", "int16"):      # no integer-dot kernels on this device
        with pytest.raises(NotImplementedError):
            quant.linear(x.to(DEV), q.to(DEV), activations=acts)


def test_module_to_moves_blocks():
    from webtensor.models.smollm2_gguf import _quant_layers
    QuantLinear, QuantEmbedding = _quant_layers()
    lin = QuantLinear(quant.quantize(rand((20, 64), 10), "q4_1"))
    emb = QuantEmbedding(quant.quantize(rand((30, 64), 11), "q8_0"))
    lin.prefill_activations = "float32"   # the float path on both devices (CPU's default
    model = torch.nn.Sequential(emb, lin)   # rounds rows of several tokens to int16)
    ids = torch.tensor([[1, 29, 4]])
    want = model(ids)
    assert model.half() is model and lin.weight.device == torch.device("cpu")   # left alone
    model.to(DEV)
    assert lin.weight.device == torch.device(DEV) and emb.weight.device == torch.device(DEV)
    close(model(ids.to(DEV)), want)
    model.to("cpu")
    assert lin.weight.device == torch.device("cpu")
    assert (model(ids) - want).abs().max().item() == 0.0


def test_module_to_keeps_tied_weight():
    from webtensor.models.smollm2_gguf import _quant_layers
    QuantLinear, QuantEmbedding = _quant_layers()
    q = quant.quantize(rand((30, 64), 12), "q8_0")
    model = torch.nn.Sequential(QuantEmbedding(q), QuantLinear(q))    # a tied LM head
    model.to(DEV)
    assert model[0].weight is model[1].weight
    assert model[0].weight.device == torch.device(DEV)
