#!/usr/bin/env python3
"""Build the JupyterLite site with the example notebooks (notebooks/), offline.

  OUT/                       `jupyter lite build` output (lab/, notebooks/, repl/, ...)
    static/pyodide/          the self-hosted Pyodide (.cache/pyodide-runtime: npm dist + micropip)
    pypi/                    piplite's index: the webtensor wheel and the kernel's own wheels
                             (the wheel is in static/pyodide's lock too, for micropip.install)
    models/                  the weights the notebooks fetch (as the demo site's models/) and
                             models/digits_train.json (the digits CNN's training split)

Nothing comes from a CDN: jupyterlite-core and jupyterlite-pyodide-kernel (PyPI, the dev extra)
build it without downloads; the Pyodide kernel installs ipython, comm, jedi (pinned under
[jupyterlite] in scripts/pyodide-wheels.txt, fetched once into .cache/pyodide-wheels) and
`%pip install webtensor` from piplite's index, with the PyPI fallback off.

Open OUT/notebooks/index.html?path=quickstart.ipynb (or OUT/lab/index.html).
Usage: python scripts/build_jupyterlite.py [--out DIR] [--wheel PATH] [--dist runtime|PATH]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LITE_SRC = ROOT / ".cache" / "jupyterlite-src"   # the lite dir (config + static/pyodide)
OUT = ROOT / "build" / "jupyterlite"
DIGITS_TRAIN = ROOT / ".cache" / "jupyterlite-data" / "digits_train.json"
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"


def _script(name: str):
    spec = importlib.util.spec_from_file_location(f"_wt_{name}", ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


make_test_dist = _script("make_test_dist")
assemble_site = _script("assemble_site")


def digits_train() -> Path:
    """The digits CNN's training split, as scripts/train_digits_cnn.py makes it (sklearn's 8x8
    digits, 25% stratified test split, seed 0), in digits_test.json's format (hex pixels).
    Made once (importing sklearn takes seconds), then read from .cache."""
    if not DIGITS_TRAIN.exists():
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split

        d = load_digits()
        x_tr, _, y_tr, _ = train_test_split(d.data.astype("int64"), d.target, test_size=0.25,
                                            random_state=0, stratify=d.target)
        DIGITS_TRAIN.parent.mkdir(parents=True, exist_ok=True)
        DIGITS_TRAIN.write_text(json.dumps({
            "pixels": ["".join("0123456789abcdefg"[v] for v in row) for row in x_tr],
            "labels": [int(y) for y in y_tr]}))
    return DIGITS_TRAIN


def _link_tree(src: Path, dest: Path):
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".stamp"), copy_function=os.link)


def offer_in_lock(pyodide: Path, wheel: Path):
    """Add `wheel` to the Pyodide dist's lock (a copy), so that a plain
    `micropip.install("webtensor")` finds it there: micropip does not read piplite's index,
    only `%pip install` (piplite) does."""
    lock_file = pyodide / "pyodide-lock.json"
    lock = json.loads(lock_file.read_text())
    env = make_test_dist.pyodide_marker_env(lock["info"])
    entry = make_test_dist.lock_entry(wheel, env, set(lock["packages"]))
    lock["packages"][entry["name"]] = entry
    lock_file.unlink()                  # a hard link to the dist's own lock: replace, not edit
    lock_file.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
    shutil.copy2(wheel, pyodide / wheel.name)


def lite_dir(dist: Path, wheel: Path, kernel_wheels: list[Path]) -> Path:
    """The lite dir: configs, and Pyodide at the well-known static/pyodide (the pyodide addon
    copies it into the output and points the kernel's pyodideUrl at it)."""
    shutil.rmtree(LITE_SRC, ignore_errors=True)
    LITE_SRC.mkdir(parents=True)
    _link_tree(dist, LITE_SRC / "static" / "pyodide")
    offer_in_lock(LITE_SRC / "static" / "pyodide", wheel)
    wheels = [wheel, *kernel_wheels]
    (LITE_SRC / "jupyter_lite_config.json").write_text(json.dumps({
        "PipliteAddon": {"piplite_urls": [str(w) for w in wheels]}}, indent=1))
    (LITE_SRC / "jupyter-lite.json").write_text(json.dumps({
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            # window.jupyterapp: lets tests (and curious users) drive the app's commands
            "exposeAppInBrowser": True,
            "litePluginSettings": {KERNEL_PLUGIN: {"disablePyPIFallback": True}}}}, indent=1))
    return LITE_SRC


def build(out: Path = OUT, wheel: Path | None = None, dist: Path | str = "runtime") -> Path:
    for mod in ("jupyterlite_core", "jupyterlite_pyodide_kernel", "jupyter_server"):
        if importlib.util.find_spec(mod) is None:
            raise SystemExit(f"build_jupyterlite: {mod} missing; pip install -e '.[dev]' "
                             "(jupyterlite-core[contents], jupyterlite-pyodide-kernel)")
    dist = Path(assemble_site.DISTS.get(dist, dist) if isinstance(dist, str) else dist)
    if not (dist / "pyodide.mjs").exists():
        raise SystemExit(f"build_jupyterlite: {dist} is not a dist from scripts/make_test_dist.py")
    wheel = Path(wheel) if wheel else assemble_site.newest_wheel()
    kernel_wheels = make_test_dist.fetch_wheels(make_test_dist.read_pins()["jupyterlite"])
    src = lite_dir(dist, wheel.resolve(), list(kernel_wheels.values()))
    out = Path(out).resolve()
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(src),
           "--contents", str(NOTEBOOKS), "--output-dir", str(out),
           "--no-sourcemaps"]          # half the output's 90 MB; nobody debugs JupyterLite here
    log = subprocess.run(cmd, cwd=src, capture_output=True, text=True)
    if log.returncode != 0:
        raise SystemExit(f"build_jupyterlite: jupyter lite build failed:\n{log.stdout[-4000:]}"
                         f"\n{log.stderr[-4000:]}")
    assemble_site.write_files(out, {**assemble_site.model_files(),
                                    "models/digits_train.json": digits_train()})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--wheel", type=Path)
    ap.add_argument("--dist", default="runtime", help="runtime, test, or a dist directory")
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    out = build(args.out, args.wheel, args.dist)
    print(f"build_jupyterlite: {out} in {time.monotonic() - t0:.1f} s "
          f"(open notebooks/index.html?path=quickstart.ipynb)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
