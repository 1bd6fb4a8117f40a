#!/usr/bin/env python3
"""Build the offline Pyodide distributions under .cache/.

The npm tarball (node_modules/pyodide, from `npm ci`) holds the interpreter but none of the
357 wheels its pyodide-lock.json lists (they live on a CDN we cannot reach). This script
  1. downloads the pinned pure wheels of scripts/pyodide-wheels.txt into .cache/pyodide-wheels/
     (once; later runs find them there and touch no network),
  2. copies the npm dist and adds the wheels, and
  3. rewrites pyodide-lock.json: one entry per added wheel (file_name, sha256, version,
     depends from Requires-Dist evaluated for Pyodide's environment, imports), every entry
     whose file is absent pruned. Then `pyodide.loadPackage("pytest")` resolves offline.

Dists:  .cache/pyodide-dist/     runtime + test wheels (Node / Chromium test tiers)
        .cache/pyodide-runtime/  runtime wheels only (micropip, packaging): the demo site
A stamp file makes a second run a no-op (~0.1 s).

Usage: python scripts/make_test_dist.py [--profile test|runtime|all] [--print-dir PROFILE]
"""
from __future__ import annotations

import argparse
import email.parser
import hashlib
import json
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parent.parent
NPM_DIST = ROOT / "node_modules" / "pyodide"
CACHE = ROOT / ".cache"
WHEEL_CACHE = CACHE / "pyodide-wheels"
PINS_FILE = ROOT / "scripts" / "pyodide-wheels.txt"
DISTS = {"test": CACHE / "pyodide-dist", "runtime": CACHE / "pyodide-runtime"}
PROFILE_GROUPS = {"test": ("runtime", "test"), "runtime": ("runtime",)}
# Not needed to run Pyodide: typings and the demo consoles (they would load from the CDN).
DIST_IGNORE = shutil.ignore_patterns("*.d.ts", "console*.html", "README.md")


def read_pins() -> dict[str, list[Requirement]]:
    groups: dict[str, list[Requirement]] = {}
    group = None
    for raw in PINS_FILE.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            group = groups.setdefault(line[1:-1], [])
            continue
        req = Requirement(line)
        pinned = [s for s in req.specifier if s.operator == "=="]
        if group is None or len(pinned) != 1:
            raise SystemExit(f"{PINS_FILE}: every line needs a [group] and an exact ==pin: {raw!r}")
        group.append(req)
    return groups


def _pin_version(req: Requirement) -> str:
    return next(iter(req.specifier)).version


def find_cached(req: Requirement) -> Path | None:
    for whl in WHEEL_CACHE.glob("*.whl"):
        name, version, _, _ = parse_wheel_filename(whl.name)
        if name == canonicalize_name(req.name) and str(version) == _pin_version(req):
            return whl
    return None


def fetch_wheels(reqs: list[Requirement]) -> dict[str, Path]:
    WHEEL_CACHE.mkdir(parents=True, exist_ok=True)
    missing = [r for r in reqs if find_cached(r) is None]
    if missing:
        print(f"make_test_dist: downloading {', '.join(map(str, missing))}", flush=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--disable-pip-version-check",
             "--no-deps", "--only-binary=:all:", "--python-version", "3.14",
             "--platform", "any", "--implementation", "py", "--abi", "none",
             "-d", str(WHEEL_CACHE), *map(str, missing)],
            check=True)
    out = {}
    for r in reqs:
        whl = find_cached(r)
        if whl is None:
            raise SystemExit(f"make_test_dist: pip did not produce a wheel for {r}")
        tags = parse_wheel_filename(whl.name)[3]
        if not all(t.abi == "none" and t.platform == "any" for t in tags):
            raise SystemExit(f"make_test_dist: {whl.name} is not a pure wheel")
        out[canonicalize_name(r.name)] = whl
    return out


def wheel_metadata(whl: Path):
    """(metadata message, import names) read from the wheel itself."""
    with zipfile.ZipFile(whl) as z:
        names = z.namelist()
        info = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
        meta = email.parser.Parser().parsestr(z.read(f"{info}/METADATA").decode())
        if f"{info}/top_level.txt" in names:
            imports = z.read(f"{info}/top_level.txt").decode().split()
        else:
            imports = set()
            for n in names:
                top, _, rest = n.partition("/")
                if top.endswith((".dist-info", ".data")):
                    continue
                if rest and rest.endswith(".py"):
                    imports.add(top)
                elif not rest and top.endswith(".py"):
                    imports.add(top[:-3])
    return meta, sorted(i for i in imports if i)


def pyodide_marker_env(lock_info: dict) -> dict[str, str]:
    full = lock_info["python"]
    return {
        "python_version": ".".join(full.split(".")[:2]), "python_full_version": full,
        "implementation_version": full, "implementation_name": "cpython",
        "platform_python_implementation": "CPython", "sys_platform": "emscripten",
        "platform_system": "Emscripten", "platform_machine": "wasm32", "os_name": "posix",
        "platform_release": "", "platform_version": "", "extra": "",
    }


def lock_entry(whl: Path, env: dict[str, str], available: set[str]) -> dict:
    meta, imports = wheel_metadata(whl)
    depends = []
    for spec in meta.get_all("Requires-Dist") or []:
        req = Requirement(spec)
        if req.marker is not None and not Marker(str(req.marker)).evaluate(env):
            continue
        dep = canonicalize_name(req.name)
        if dep not in available:
            raise SystemExit(f"make_test_dist: {whl.name} needs {spec!r} inside Pyodide; "
                             f"pin it in {PINS_FILE.relative_to(ROOT)}")
        depends.append(dep)
    return {
        "name": meta["Name"], "version": meta["Version"], "file_name": whl.name,
        "install_dir": "site", "package_type": "package",
        "sha256": hashlib.sha256(whl.read_bytes()).hexdigest(),
        "imports": imports, "depends": sorted(set(depends)), "unvendored_tests": False,
        "tool": {},
    }


def build_dist(profile: str, pins: dict[str, list[Requirement]]) -> Path:
    out = DISTS[profile]
    if not (NPM_DIST / "pyodide.mjs").exists():
        raise SystemExit("make_test_dist: node_modules/pyodide missing; run `npm ci` first")
    reqs = [r for g in PROFILE_GROUPS[profile] for r in pins.get(g, [])]
    wheels = fetch_wheels(reqs)
    npm_version = json.loads((NPM_DIST / "package.json").read_text())["version"]
    stamp = hashlib.sha256(json.dumps({
        "npm": npm_version, "script": Path(__file__).read_text(),
        "wheels": sorted(p.name for p in wheels.values()),
    }).encode()).hexdigest()
    stamp_file = out / ".stamp"
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        print(f"make_test_dist: {out.relative_to(ROOT)} up to date")
        return out

    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(NPM_DIST, tmp, ignore=DIST_IGNORE)
    lock = json.loads((tmp / "pyodide-lock.json").read_text())
    env = pyodide_marker_env(lock["info"])
    packages = {}
    for name, whl in wheels.items():
        shutil.copy2(whl, tmp / whl.name)
        packages[name] = lock_entry(whl, env, set(wheels))
    # Keep any other entry whose file really is in the dist (none in the npm tarball today).
    for name, entry in lock["packages"].items():
        if name not in packages and (tmp / entry["file_name"]).exists():
            packages[name] = entry
    lock["packages"] = dict(sorted(packages.items()))
    (tmp / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
    (tmp / ".stamp").write_text(stamp)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    print(f"make_test_dist: built {out.relative_to(ROOT)} (Pyodide {npm_version}; "
          f"{', '.join(p.name for p in wheels.values())})")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--profile", choices=["test", "runtime", "all"], default="all")
    ap.add_argument("--print-dir", choices=sorted(DISTS), help="print a dist's path and exit")
    args = ap.parse_args(argv)
    if args.print_dir:
        print(DISTS[args.print_dir])
        return 0
    t0 = time.monotonic()
    pins = read_pins()
    for profile in (["runtime", "test"] if args.profile == "all" else [args.profile]):
        build_dist(profile, pins)
    print(f"make_test_dist: done in {time.monotonic() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
