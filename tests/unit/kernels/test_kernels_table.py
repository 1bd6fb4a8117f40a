"""The kernel modules agree with kernel_table.py, build reproducibly, stay small, load the
right ISA, and the wasm backend explains itself when it cannot load."""
import hashlib
import importlib.util
import os
import subprocess
import sys

import pytest
import wasmtime

from conftest_kernels import ROOT, _build_once, backend  # noqa: F401
from webtensor.backends.wasm import kernel_table, loader, wasm_module_info


def _build_script():
    spec = importlib.util.spec_from_file_location(
        "build_kernels", os.path.join(ROOT, "scripts", "build_kernels.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def modules():
    _build_once()
    out = {}
    for isa in kernel_table.ISAS:
        with open(loader.module_path(isa), "rb") as f:
            out[isa] = f.read()
    return out


def _engine(relaxed):
    cfg = wasmtime.Config()
    cfg.wasm_simd = True
    cfg.wasm_relaxed_simd = relaxed
    return wasmtime.Engine(cfg)


@pytest.mark.parametrize("isa", kernel_table.ISAS)
def test_module_exports_exactly_the_table(modules, isa):
    info = wasm_module_info.parse(modules[isa])
    exported = {n for n, k in info.exports.items() if k == "func"}
    want = kernel_table.exports(isa)          # the kernels and the graph replay loop
    assert exported == want, (sorted(exported - want), sorted(want - exported))


@pytest.mark.parametrize("isa", kernel_table.ISAS)
def test_module_imports_only_what_loaders_provide(modules, isa):
    info = wasm_module_info.parse(modules[isa])
    assert not wasm_module_info.unexpected_imports(info)
    assert ("env", "memory", "memory") in info.imports


@pytest.mark.parametrize("isa", kernel_table.ISAS)
def test_modules_are_small(modules, isa):
    # Chromium compiles ctypes-loaded libraries synchronously on the main thread: a budget
    # (compile time grows with size), raised from 256 KiB when kernels for every dtype, the
    # random fills and the optimizer steps came in, then from 384 KiB for the int16-activation
    # GEMVs and the search/loss/grid kernels (V8 compiles lazily: `new WebAssembly.Module` of
    # the 485 KiB module takes 2-13 ms in Node 20; each function compiles on its first call),
    # then to 768 KiB for issue 15's one-pass kernels of every dtype (the cliff table: the
    # 640 KiB module's `new WebAssembly.Module` takes ~4 ms in Node 20, lazily compiled)
    assert len(modules[isa]) < 768 * 1024


def test_simd128_module_needs_no_relaxed_simd(modules):
    wasmtime.Module.validate(_engine(False), modules["simd128"])
    with pytest.raises(Exception):
        wasmtime.Module.validate(_engine(False), modules["relaxedsimd"])
    wasmtime.Module.validate(_engine(True), modules["relaxedsimd"])


def test_relaxed_symbols_are_the_relaxed_variants():
    syms = kernel_table.symbols("relaxedsimd")
    for name, k in kernel_table.KERNELS.items():
        assert syms[name].endswith("_wasmrelaxedsimd") == k.relaxed
        assert kernel_table.symbols("simd128")[name] == f"wt_{name}_wasmsimd"
        # kernel names carry the Python op name (matmul runs on the gemm kernel)
        assert k.op in name or (k.op == "matmul" and "gemm" in name)


def test_relaxed_probe_detects_the_feature():
    wasmtime.Module.validate(_engine(True), loader.RELAXED_PROBE)
    with pytest.raises(Exception):
        wasmtime.Module.validate(_engine(False), loader.RELAXED_PROBE)


def test_build_is_reproducible(tmp_path, modules):
    built = _build_script().build(out_dir=str(tmp_path), quiet=True)
    for isa, path in built.items():
        with open(path, "rb") as f:
            fresh = f.read()
        assert hashlib.sha256(fresh).hexdigest() == hashlib.sha256(modules[isa]).hexdigest(), isa


def _run_python(code, **env):
    e = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "pyodide_pkg"), **env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=e,
                          timeout=120)


@pytest.mark.parametrize("isa", kernel_table.ISAS)
def test_env_var_forces_the_isa(isa):
    _build_once()
    r = _run_python("from webtensor.backends.wasm import backend as B; print(B.kernels().isa)",
                    WEBTENSOR_WASM_ISA=isa)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == isa


def test_bad_env_var_is_explained():
    r = _run_python("from webtensor.backends.wasm import backend as B; print(B.load_error())",
                    WEBTENSOR_WASM_ISA="avx512")
    assert "WEBTENSOR_WASM_ISA='avx512'" in r.stdout, r.stdout + r.stderr


def test_without_wasmtime_the_backend_does_not_register_and_says_why():
    code = ("import sys; sys.modules['wasmtime'] = None\n"
            "import webtensor as wt\n"
            "from webtensor import backends\n"
            "from webtensor.backends.wasm import backend as B\n"
            "print('wasm' in backends.op_backend_report()['cpu'], backends.get_backend())\n"
            "print(B.load_error())\n"
            "try:\n    backends.set_backend('wasm')\nexcept RuntimeError as e:\n"
            "    print('RAISED', e)\n")
    r = _run_python(code, WEBTENSOR_WASM_ISA="")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "False reference"
    assert "wasmtime" in lines[1]
    assert lines[2].startswith("RAISED") and "wasmtime" in lines[2]
