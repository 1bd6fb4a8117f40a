"""Training on the webgpu device: an ordinary torch training loop (forward, cross_entropy,
backward, optimizer step) with every tensor on "webgpu" gives the losses and parameters of the
same loop on the CPU, for the digits CNN and an MLP under each optimizer."""
import pytest

import webtensor as torch
import webtensor.nn.functional as F
from webtensor import nn
from webtensor.models.digits_cnn import DigitsCNN

OPTIMIZERS = {
    "Adam": lambda p: torch.optim.Adam(p, 1e-2),
    "AdamW-amsgrad": lambda p: torch.optim.AdamW(p, 1e-2, amsgrad=True),
    "SGD-nesterov": lambda p: torch.optim.SGD(p, 0.1, momentum=0.9, nesterov=True,
                                              weight_decay=1e-3),
    "RMSprop": lambda p: torch.optim.RMSprop(p, 1e-2, momentum=0.5),
    "Adagrad": lambda p: torch.optim.Adagrad(p, 0.1),
}


def _model(kind):
    torch.manual_seed(0)
    if kind == "cnn":
        return DigitsCNN(dropout=0.0), torch.randn(16, 1, 8, 8), torch.randint(0, 10, (16,))
    mlp = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    return mlp, torch.randn(24, 64), torch.randint(0, 10, (24,))


def _train(kind, opt_name, device, steps=4):
    model, x, y = _model(kind)
    model, x, y = model.to(device), x.to(device), y.to(device)
    opt = OPTIMIZERS[opt_name](model.parameters())
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y, label_smoothing=0.1)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, [p.detach().cpu() for p in model.parameters()], opt


@pytest.mark.parametrize("kind, opt_name", [("cnn", "Adam"), ("mlp", "Adam"),
                                            ("mlp", "AdamW-amsgrad"), ("mlp", "SGD-nesterov"),
                                            ("mlp", "RMSprop"), ("mlp", "Adagrad")])
def test_training_steps_match_the_cpu(gpu, kind, opt_name):
    cpu_losses, cpu_params, _ = _train(kind, opt_name, "cpu")
    gpu_losses, gpu_params, opt = _train(kind, opt_name, gpu)
    assert gpu_losses == pytest.approx(cpu_losses, rel=1e-5, abs=1e-6)
    assert cpu_losses[-1] < cpu_losses[0]                    # it trains at all
    for a, b in zip(gpu_params, cpu_params):
        assert a.reshape(-1).tolist() == pytest.approx(b.reshape(-1).tolist(), rel=1e-4,
                                                       abs=1e-5)
    for state in opt.state.values():                         # the state lives on the device
        for k, v in state.items():
            if isinstance(v, torch.Tensor) and k != "step":
                assert v.device.type == "webgpu", k


def test_loaded_optimizer_state_moves_to_the_parameters_device(gpu):
    _, _, opt = _train("mlp", "Adam", "cpu", steps=1)
    model, _, _ = _model("mlp")
    model = model.to(gpu)
    moved = torch.optim.Adam(model.parameters(), 1e-2)
    moved.load_state_dict(opt.state_dict())
    for state in moved.state.values():
        assert state["exp_avg"].device.type == "webgpu"
        assert state["step"].device.type == "cpu"               # torch keeps step on the CPU
