"""No hidden CPU<->GPU hop: a primitive without a WebGPU kernel raises NotImplementedError naming
it and the opt-in; with webtensor.webgpu.set_cpu_fallback(True) it runs on the CPU with one
warning per primitive, and its results (outputs written in place included) land on webgpu."""
import warnings

import pytest

import webtensor as torch
from webtensor.backends.webgpu import fallback


@pytest.fixture
def cpu_fallback():
    torch.webgpu.set_cpu_fallback(True)
    fallback._warned.clear()
    yield
    torch.webgpu.set_cpu_fallback(False)


def test_missing_kernel_raises_and_names_the_opt_in():
    x = torch.tensor([3.0, 1.0, 2.0], dtype=torch.float64).to("webgpu")   # WGSL has no f64
    with pytest.raises(NotImplementedError, match=r"'cumprod'.*float64.*set_cpu_fallback"):
        x.cumprod(0)
    with pytest.raises(NotImplementedError, match=r"'reduce'.*set_cpu_fallback"):
        x.sum()


def test_fallback_runs_on_the_cpu_and_warns_once(cpu_fallback):
    x = torch.tensor([[3.0, 1.0, 2.0], [0.5, -1.0, 4.0]], dtype=torch.float64)
    g = x.to("webgpu")
    with pytest.warns(UserWarning, match="'cumprod' has no WebGPU kernel"):
        c = g.cumprod(1)
    assert c.device == torch.device("webgpu") and c.tolist() == x.cumprod(1).tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # the second call is silent
        assert g.cumprod(0).tolist() == x.cumprod(0).tolist()
    with pytest.warns(UserWarning, match="'reduce'"):
        s = g.sum(1)
    assert s.device == torch.device("webgpu") and s.tolist() == x.sum(1).tolist()
    s = torch.zeros(2, 3, dtype=torch.float64).to("webgpu")   # scatter writes into its argument
    idx = torch.tensor([[2, 0, 0], [1, 2, 1]])
    with pytest.warns(UserWarning, match="'scatter'"):
        s.scatter_add_(1, idx.to("webgpu"), g)
    assert s.tolist() == torch.zeros(2, 3, dtype=torch.float64).scatter_add_(1, idx, x).tolist()
