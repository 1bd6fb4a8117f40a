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
    x = torch.tensor([3.0, 1.0, 2.0]).to("webgpu")
    with pytest.raises(NotImplementedError, match=r"'cumprod'.*set_cpu_fallback"):
        x.cumprod(0)
    with pytest.raises(NotImplementedError, match=r"'sort'"):
        torch.sort(x)


def test_fallback_runs_on_the_cpu_and_warns_once(cpu_fallback):
    x = torch.tensor([[3.0, 1.0, 2.0], [0.5, -1.0, 4.0]])
    g = x.to("webgpu")
    with pytest.warns(UserWarning, match="'cumprod' has no WebGPU kernel"):
        c = g.cumprod(1)
    assert c.device == torch.device("webgpu") and c.tolist() == x.cumprod(1).tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # the second call is silent
        assert g.cumprod(0).tolist() == x.cumprod(0).tolist()
    with pytest.warns(UserWarning, match="'sort'"):
        v, i = torch.sort(g, dim=1, descending=True)
    want = torch.sort(x, dim=1, descending=True)
    assert v.device == i.device == torch.device("webgpu")
    assert v.tolist() == want.values.tolist() and i.tolist() == want.indices.tolist()
    s = torch.zeros(2, 3).to("webgpu")           # scatter writes into its argument
    with pytest.warns(UserWarning, match="'scatter'"):
        s.scatter_(1, torch.tensor([[2, 0, 1], [1, 2, 0]]).to("webgpu"), g)
    assert s.tolist() == torch.zeros(2, 3).scatter_(1, torch.tensor([[2, 0, 1], [1, 2, 0]]),
                                                     x).tolist()
