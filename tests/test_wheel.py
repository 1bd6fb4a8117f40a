"""The built wheel: pure (py3-none-any), no runtime dependencies, both kernel builds inside,
small, and installable with plain pip on CPython where it computes the right answer."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel():
    env = os.environ.get("WEBTENSOR_WHEEL")
    wheels = [Path(env)] if env else sorted((REPO / "dist").glob("webtensor-*-py3-none-any.whl"),
                                            key=lambda p: p.stat().st_mtime)
    assert wheels, "no dist/webtensor-*-py3-none-any.whl (scripts/test builds it)"
    return wheels[-1]


def test_wheel_is_pure_small_and_dependency_free(wheel):
    z = zipfile.ZipFile(wheel)
    names = z.namelist()
    wheel_meta = next(n for n in names if n.endswith(".dist-info/WHEEL"))
    assert "Tag: py3-none-any" in z.read(wheel_meta).decode()
    metadata = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    runtime_deps = [ln for ln in metadata.splitlines()
                    if ln.startswith("Requires-Dist:") and "extra ==" not in ln]
    assert runtime_deps == []
    kernels = sorted(n for n in names if n.startswith("webtensor/kernels/"))
    assert kernels == ["webtensor/kernels/webtensor_relaxedsimd.wasm",
                       "webtensor/kernels/webtensor_simd128.wasm"]
    assert not any(n.endswith(".so") for n in names), "a .so would be precompiled by micropip"
    assert wheel.stat().st_size < 1024 * 1024


def test_wheel_installs_with_pip_and_runs(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-index", "--target", str(target), str(wheel)], check=True)
    code = ("import json, webtensor as torch\n"
            "a = torch.tensor([[1., 2.], [3., 4.]])\n"
            "print(json.dumps([(a @ a).softmax(-1).tolist(), torch.backends.get_backend()]))\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(target)
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, check=True,
                         capture_output=True, text=True).stdout
    import webtensor as torch
    a = torch.tensor([[1., 2.], [3., 4.]])
    expected = (a @ a).softmax(-1).tolist()
    got, backend = json.loads(out)
    assert all(abs(x - y) < 1e-6 for r, s in zip(got, expected) for x, y in zip(r, s))
    assert backend in ("wasm", "reference")
    assert str(target) in subprocess.run(
        [sys.executable, "-c", "import webtensor; print(webtensor.__file__)"], env=env,
        cwd=tmp_path, capture_output=True, text=True).stdout
