"""A training step frees its graph by reference counting alone: no tensor, storage or node is
left for the cyclic GC. Cycles there (a backward closure holding its op's output, a leaf
holding its AccumulateGrad strongly) kept every step's activations alive until a GC pass, so
the wasm heap grew over a training run (benchmarks/bench_training.py)."""
import gc

import pytest

import webtensor as wt
import webtensor.nn.functional as F
from webtensor import nn


class Net(nn.Module):
    """conv + max_pool (indices recomputed in backward), layer_norm (backward through its
    decomposition: fresh leaves), causal attention, embedding, linear."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.emb = nn.Embedding(10, 16)
        self.ln = nn.LayerNorm(16)
        self.proj = nn.Linear(16, 10)

    def forward(self, img, ids):
        h = F.max_pool2d(F.relu(self.conv(img)), 2).reshape(img.shape[0], 4, 16)
        h = self.ln(h + self.emb(ids))
        q = h.view(img.shape[0], 4, 2, 8).transpose(1, 2)
        a = F.scaled_dot_product_attention(q, q, q, is_causal=True).transpose(1, 2)
        return self.proj(a.reshape(img.shape[0], 4, 16)).mean(1)


@pytest.fixture
def no_gc():
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_training_step_leaves_no_cycles(no_gc):
    wt.manual_seed(0)
    net = Net()
    opt = wt.optim.Adam(net.parameters(), lr=1e-3)
    img, ids, y = wt.randn(2, 1, 8, 8), wt.randint(0, 10, (2, 4)), wt.tensor([1, 7])
    for _ in range(2):
        opt.zero_grad()
        F.cross_entropy(net(img, ids), y).backward()
        opt.step()
    gc.collect()
    kinds = {"Tensor", "Parameter", "Storage", "Node", "AccumulateGrad"}
    left = sorted({type(o).__name__ for o in gc.garbage} & kinds)
    assert not left, f"reference cycles hold {left}"
