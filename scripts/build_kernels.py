"""Build the WASM SIMD kernels into two Emscripten-style side modules (PIC, dylink.0):

    pyodide_pkg/webtensor/kernels/webtensor_simd128.wasm
    pyodide_pkg/webtensor/kernels/webtensor_relaxedsimd.wasm

Needs only `pip install ziglang==0.17.0` (clang 22 + wasm-ld). Every wasm_kernels/*/X_wasmsimd.c
goes into both modules; where X_wasmrelaxedsimd.c exists, the relaxed module uses it instead.
After linking, each module is checked against backends/wasm/kernel_table.py: exactly the
table's symbols exported, and no imports beyond what Pyodide's loader and ours provide.

Every standard build of the package runs this too (setup.py's build_py hook, with ziglang as a
build requirement), so `pip install .` and `python -m build` ship both modules.

usage: python scripts/build_kernels.py [--if-stale] [--jobs N]
"""
import argparse
import concurrent.futures
import importlib.util
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "wasm_kernels")
PKG_WASM = os.path.join(ROOT, "pyodide_pkg", "webtensor", "backends", "wasm")
OUT = os.path.join(ROOT, "pyodide_pkg", "webtensor", "kernels")
ZIG_VERSION = "0.17.0"


def _load(name):
    # by path: importing the webtensor package itself is not needed to build
    spec = importlib.util.spec_from_file_location(name, os.path.join(PKG_WASM, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


table = _load("kernel_table")
modinfo = _load("wasm_module_info")


def require_zig():
    """Raise a clear error when the ziglang package (our clang + wasm-ld) is missing."""
    if importlib.util.find_spec("ziglang") is None:
        raise RuntimeError(f"ziglang is missing: pip install ziglang=={ZIG_VERSION}")


def _zig_include():
    import ziglang
    return os.path.join(os.path.dirname(ziglang.__file__), "lib", "include")


def sources(isa):
    """[(path, relaxed flags?)] for one ISA build, sorted for a deterministic link order."""
    out = []
    for d in sorted(os.listdir(SRC)):
        full = os.path.join(SRC, d)
        if d in ("include", "tools") or not os.path.isdir(full):
            continue
        for f in sorted(os.listdir(full)):
            if not f.endswith("_wasmsimd.c"):
                continue
            relaxed = os.path.join(full, f.replace("_wasmsimd.c", "_wasmrelaxedsimd.c"))
            if isa == "relaxedsimd" and os.path.exists(relaxed):
                out.append((relaxed, True))
            else:
                out.append((os.path.join(full, f), False))
    return out


def _inputs():
    files = [os.path.abspath(__file__), os.path.join(PKG_WASM, "kernel_table.py")]
    for dirpath, _, names in os.walk(SRC):
        files += [os.path.join(dirpath, n) for n in names if n.endswith((".c", ".h"))]
    return files


def module_path(isa):
    return os.path.join(OUT, table.MODULE_FILE[isa])


def is_stale():
    outs = [module_path(isa) for isa in table.ISAS]
    if not all(os.path.exists(p) for p in outs):
        return True
    newest_in = max(os.path.getmtime(p) for p in _inputs())
    return newest_in > min(os.path.getmtime(p) for p in outs)


def _run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"command failed: {' '.join(cmd)}\n{r.stdout}{r.stderr}")
    return r


def _compile(src, relaxed, obj):
    cmd = [sys.executable, "-m", "ziglang", "clang", "--target=wasm32-unknown-emscripten",
           "-mcpu=generic", "-O3", "-msimd128"] + (["-mrelaxed-simd"] if relaxed else []) + [
           "-fPIC", "-nostdlib", "-ffreestanding", "-fvisibility=hidden", "-ffp-contract=off",
           "-std=c11", "-Wall", "-Wextra", "-Werror", "-Wno-unused-function",
           "-I", os.path.join(SRC, "include"), "-isystem", _zig_include(),
           "-c", src, "-o", obj]
    _run(cmd)
    return obj


def check_module(isa, path):
    """Raise if the module's exports/imports disagree with the kernel table."""
    with open(path, "rb") as f:
        info = modinfo.parse(f.read())
    want = set(table.symbols(isa).values())
    have = {n for n, k in info.exports.items() if k == "func" and n.startswith("wt_")}
    problems = []
    if want - have:
        problems.append(f"missing kernels: {sorted(want - have)}")
    if have - want:
        problems.append(f"exported but not in kernel_table.py: {sorted(have - want)}")
    bad = modinfo.unexpected_imports(info)
    if bad:
        problems.append(f"unexpected imports (e.g. libc calls): {bad}")
    if problems:
        raise RuntimeError(f"{os.path.basename(path)}: " + "; ".join(problems))
    return info


def build(jobs=None, out_dir=OUT, quiet=False):
    """Compile and link both modules into out_dir; returns {isa: path}. Objects go to a
    private temporary directory and modules are renamed into place, so concurrent builds
    (several test runs at once) cannot see each other's half-written files."""
    require_zig()
    os.makedirs(out_dir, exist_ok=True)
    built = {}
    with tempfile.TemporaryDirectory(prefix="wt-kernels-") as obj_dir, \
            concurrent.futures.ThreadPoolExecutor(max_workers=jobs or os.cpu_count()) as ex:
        plans = {}
        for isa in table.ISAS:
            objdir = os.path.join(obj_dir, isa)
            os.makedirs(objdir, exist_ok=True)
            plans[isa] = [ex.submit(_compile, src, relaxed,
                                    os.path.join(objdir, os.path.basename(src)[:-2] + ".o"))
                          for src, relaxed in sources(isa)]
        for isa, futs in plans.items():
            objs = [f.result() for f in futs]
            out = os.path.join(out_dir, table.MODULE_FILE[isa])
            tmp = f"{out}.{os.getpid()}.tmp"
            _run([sys.executable, "-m", "ziglang", "wasm-ld", "-shared", "--experimental-pic",
                  "--no-entry", "--strip-all", "-o", tmp] + objs)
            check_module(isa, tmp)
            os.replace(tmp, out)
            built[isa] = out
            if not quiet:
                print(f"built {os.path.relpath(out, ROOT)} ({os.path.getsize(out)} bytes)")
    return built


def ensure_built(quiet=False):
    """Build if a module is missing or older than any kernel source (used by the tests and by
    setup.py's build hook); returns whether it built."""
    if not is_stale():
        return False
    build(quiet=quiet)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--if-stale", action="store_true", help="only build when sources changed")
    ap.add_argument("--jobs", type=int, default=None)
    args = ap.parse_args()
    if args.if_stale and not is_stale():
        print("kernels are up to date")
        return
    try:
        build(args.jobs)
    except RuntimeError as e:
        sys.exit(str(e))


if __name__ == "__main__":
    main()
