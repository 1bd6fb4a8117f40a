"""The built wheel: pure (py3-none-any), no runtime dependencies, both kernel builds inside,
small, and installable with plain pip on CPython where it computes the right answer.

The standard builds of a clean clone of HEAD (commit first: the working tree is not what is
built) give the same: `python -m build` (sdist, then the wheel from the sdist) and
`pip install <clone>` each compile both kernel modules through the build backend; the first in
isolated build environments that fetch setuptools and ziglang from the package index."""
import json
import os
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
KERNELS = ["webtensor/kernels/webtensor_relaxedsimd.wasm",
           "webtensor/kernels/webtensor_simd128.wasm"]


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
    assert sorted(n for n in names if n.startswith("webtensor/kernels/")) == KERNELS
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


def _run_all(cmds, cwd):
    """Run the commands concurrently (the isolated build mostly waits on ziglang's 20k files
    being unpacked); fail with the output of any that failed."""
    procs = [(cmd, subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True)) for cmd in cmds]
    for cmd, p in procs:
        out = p.communicate()[0]
        assert p.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{out[-4000:]}"


@pytest.fixture(scope="module")
def clean_builds(tmp_path_factory):
    """HEAD cloned twice and built the standard ways at once: `python -m build` into dist/ and
    `pip install <clone> --target site/`. Returns (sdist, wheel, site)."""
    tmp = tmp_path_factory.mktemp("clean_build")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, check=True,
                          capture_output=True, text=True).stdout.strip()
    for clone in ("for_build", "for_pip"):
        subprocess.run(["git", "clone", "--quiet", "--shared", "--no-checkout", str(REPO),
                        clone], cwd=tmp, check=True)
        subprocess.run(["git", "checkout", "--quiet", "--detach", head], cwd=tmp / clone,
                       check=True)
    # pip builds without isolation, with this environment's setuptools and ziglang (the dev
    # extra): unpacking ziglang (400 MB) into a second build environment would double the time,
    # and `python -m build` already shows the isolated builds with the declared requirements.
    _run_all([[sys.executable, "-m", "build", "--outdir", "dist", "for_build"],
              [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
               "--no-build-isolation", "--target", "site", "./for_pip"]], cwd=tmp)
    (sdist,), (wheel,) = (tmp / "dist").glob("*.tar.gz"), (tmp / "dist").glob("*.whl")
    return sdist, wheel, tmp / "site"


def test_sdist_carries_the_sources_and_no_built_kernels(clean_builds):
    sdist = clean_builds[0]
    root = sdist.name[:-len(".tar.gz")] + "/"
    names = {n[len(root):] for n in tarfile.open(sdist).getnames()}
    sources = subprocess.run(["git", "ls-files", "wasm_kernels", "scripts/build_kernels.py",
                              "scripts/build_backend.py", "setup.py", "pyproject.toml",
                              "LICENSE"],
                             cwd=REPO, check=True, capture_output=True, text=True).stdout.split()
    assert any(s.endswith(".c") for s in sources)
    assert set(sources) <= names
    assert not [n for n in names if n.endswith(".wasm")]


def test_clean_build_wheel_has_the_kernels_and_publishing_metadata(clean_builds):
    z = zipfile.ZipFile(clean_builds[1])
    assert sorted(n for n in z.namelist() if n.startswith("webtensor/kernels/")) == KERNELS
    meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    headers = [ln.split(": ", 1) for ln in meta.split("\n\n", 1)[0].splitlines()]
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert ["License-Expression", project["license"]] in headers
    assert ["Requires-Python", project["requires-python"]] in headers
    assert [v for k, v in headers if k == "Classifier"] == project["classifiers"]
    urls = [v for k, v in headers if k == "Project-URL"]
    assert urls == [f"{k}, {v}" for k, v in project.get("urls", {}).items()]
    assert not [u for u in urls if "example.invalid" in u]      # no placeholder URLs
    assert ["License-File", "LICENSE"] in headers
    licence = next(n for n in z.namelist() if n.endswith(".dist-info/licenses/LICENSE"))
    assert z.read(licence).decode() == (REPO / "LICENSE").read_text()
    assert not [v for k, v in headers if k == "Classifier" and v.startswith("License ::")]


@pytest.mark.parametrize("isa", ["simd128", "relaxedsimd"])
def test_clean_build_wheel_kernels_load_and_compute(clean_builds, isa, tmp_path):
    """Each module, unpacked from the wheel, is instantiated by the wasm backend's loader
    under wasmtime and runs a matmul + softmax that matches numpy."""
    zipfile.ZipFile(clean_builds[1]).extractall(tmp_path)
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((8, 40)), rng.standard_normal((40, 24))
    code = ("import json, sys, webtensor as torch\n"
            "from webtensor.backends.wasm import loader\n"
            "a, b = json.loads(sys.stdin.read())\n"
            "y = (torch.tensor(a) @ torch.tensor(b)).softmax(-1)\n"
            "ks = loader.load()\n"
            "print(json.dumps([y.tolist(), torch.backends.get_backend(), ks.isa, ks.runtime,"
            " ks.path]))\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONPATH=str(tmp_path), WEBTENSOR_WASM_ISA=isa)
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps([a.tolist(), b.tolist()]),
                         env=env, cwd=tmp_path, check=True, capture_output=True, text=True).stdout
    y, backend, loaded_isa, runtime, path = json.loads(out)
    assert (backend, loaded_isa, runtime) == ("wasm", isa, "wasmtime")
    assert Path(path) == tmp_path / "webtensor" / "kernels" / f"webtensor_{isa}.wasm"
    logits = a.astype(np.float32) @ b.astype(np.float32)
    want = np.exp(logits - logits.max(-1, keepdims=True))
    np.testing.assert_allclose(y, want / want.sum(-1, keepdims=True), rtol=1e-4, atol=1e-6)


def test_pip_install_of_a_clone_gives_the_wheels_files(clean_builds):
    _, wheel, site = clean_builds
    z = zipfile.ZipFile(wheel)
    in_wheel = {n for n in z.namelist() if not n.startswith("webtensor-")}
    installed = {p.relative_to(site).as_posix() for p in site.rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts
                 and not p.relative_to(site).parts[0].endswith(".dist-info")}
    assert installed == in_wheel
    for name in KERNELS:   # the same compiler on the same sources: the same bytes
        assert (site / name).read_bytes() == z.read(name)
