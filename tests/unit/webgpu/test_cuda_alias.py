"""install_as_torch(cuda="webgpu"): an unchanged PyTorch-style script that picks CUDA when
torch.cuda.is_available() runs on the WebGPU device, with the same results as on the CPU; without
the option "cuda" is refused as before. Each case runs in a subprocess (the alias is for the rest
of the process)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import webtensor

PKG = str(Path(webtensor.__file__).resolve().parents[1])

# A script written for torch, untouched: it only ever says "cuda".
SCRIPT = (Path(__file__).parent / "cuda_script.py").read_text()

# After the script, in the same process: the rest of the torch.cuda surface scripts touch.
DETAILS = '''
import torch
from webtensor import webgpu
a = torch.ones(2, 3).cuda()
assert a.device == torch.device("cuda") == torch.device("cuda:0") == torch.device("webgpu")
assert a.device.type == "cuda" and a.device.index == 0 and a.get_device() == 0
assert repr(a.device) == "device(type='cuda', index=0)", repr(a.device)
assert "device='cuda:0'" in repr(a), repr(a)
b = torch.arange(6.0).to("webgpu")                     # the device's own name: the same device
assert b.device.type == "cuda" and (a + b.view(2, 3)).sum().item() == 21.0
c = torch.zeros(4, device=torch.device("cuda", 0)) + 1
assert c.is_cuda and not c.cpu().is_cuda and c.cpu().get_device() == -1
assert torch.nn.Linear(2, 2).cuda().weight.is_cuda
assert torch.cuda.memory_allocated() == webgpu.memory_stats()["live_bytes"] > 0
assert torch.cuda.is_initialized()
for bad in (lambda: a.cuda(1), lambda: torch.cuda.set_device("cuda:1")):
    try:
        bad()
    except RuntimeError as e:
        assert "invalid device ordinal" in str(e), e
    else:
        raise AssertionError("cuda:1 accepted")
try:
    torch.cuda.get_device_properties(0)
except NotImplementedError as e:
    assert "torch.cuda.get_device_properties" in str(e) and "WebGPU" in str(e), e
else:
    raise AssertionError("an unprovided torch.cuda function did not raise")
print("DETAILS-OK")
'''

# Without the option: nothing changes.
REFUSED = '''
import torch
assert torch.cuda.is_available() is False and torch.cuda.device_count() == 0
try:
    torch.ones(2).to("cuda")
except RuntimeError as e:
    assert "'cuda' is not available" in str(e), e
else:
    raise AssertionError("'cuda' accepted without install_as_torch(cuda=...)")
try:
    torch.ones(2).cuda()
except NotImplementedError as e:
    assert "CUDA is not available" in str(e), e
else:
    raise AssertionError(".cuda() accepted")
print("REFUSED-OK")
'''


# The option on a machine without a WebGPU adapter: the script stays on the CPU, and asking
# for "cuda" anyway is a clear error.
NO_GPU = '''
import torch
assert torch.cuda.is_available() is False and torch.cuda.device_count() == 0
for what, f in (("to", lambda: torch.ones(2).to("cuda")),
                ("name", lambda: torch.cuda.get_device_name(0))):
    try:
        f()
    except RuntimeError as e:
        assert "not available" in str(e), (what, e)
    else:
        raise AssertionError(f"{what}: 'cuda' accepted without an adapter")
print("NO-GPU-OK")
'''
NO_ADAPTER = {"VK_ICD_FILENAMES": "/nonexistent/icd.json", "VK_DRIVER_FILES": "/nonexistent/icd.json",
              "WGPU_BACKEND_TYPE": "Vulkan"}


def _run(tmp_path, install, *codes, env=None):
    files = []
    for i, code in enumerate(codes):
        files.append(tmp_path / f"part{i}.py")
        files[-1].write_text(code)
    boot = (f"import sys, runpy; sys.path.insert(0, {PKG!r}); import webtensor; "
            f"webtensor.install_as_torch({install})\n"
            f"for f in {[str(f) for f in files]!r}: runpy.run_path(f, run_name='__main__')")
    r = subprocess.run([sys.executable, "-c", boot], capture_output=True, text=True,
                       timeout=300, env=dict(os.environ, **(env or {})))
    assert r.returncode == 0, r.stdout + r.stderr
    lines = dict(line.split(" ", 1) for line in r.stdout.splitlines() if " " in line)
    return r.stdout, lines


def test_unchanged_script_lands_on_webgpu(tmp_path):
    out, gpu = _run(tmp_path, "cuda='webgpu'", SCRIPT, DETAILS)
    assert json.loads(gpu["ON"]) == ["cuda", "cuda", "cuda:0", True, "cuda:0"], out
    count, current, name = gpu["GPU"].split(" ", 2)
    assert (count, current) == ("1", "0") and name == webtensor.webgpu.adapter_info()["adapter"]
    assert "DETAILS-OK" in out

    out, cpu = _run(tmp_path, "", SCRIPT, REFUSED)
    assert json.loads(cpu["ON"]) == ["cpu", "cpu", "cpu", False, "cpu"], out
    assert "REFUSED-OK" in out
    y_gpu, y_cpu = json.loads(gpu["OUT"]), json.loads(cpu["OUT"])
    assert len(y_gpu) == 3
    for rg, rc in zip(y_gpu, y_cpu):
        assert all(abs(a - b) <= 1e-5 * (1 + abs(b)) for a, b in zip(rg, rc)), (rg, rc)


def test_option_without_an_adapter_stays_on_the_cpu(tmp_path):
    out, lines = _run(tmp_path, "cuda='webgpu'", SCRIPT, NO_GPU, env=NO_ADAPTER)
    assert json.loads(lines["ON"]) == ["cpu", "cpu", "cpu", False, "cpu"], out
    assert "NO-GPU-OK" in out
