"""Fixtures for the Pyodide-in-Node tier: they locate what scripts/test builds, never build it.

Missing prerequisites skip locally and fail under CI=true (a CI run must not go green by
skipping its Pyodide tier).
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUNNER = REPO / "tests" / "pyodide" / "run_pytest.mjs"
TEST_DIST = REPO / ".cache" / "pyodide-dist"
RUN_TIMEOUT = float(os.environ.get("WEBTENSOR_PYODIDE_TIMEOUT", "1200"))
# Plain Node 20 has WASM SIMD128 but not relaxed SIMD, so by default this tier covers the
# simd128-only path (Chromium covers relaxed). For experiments, e.g.
# WEBTENSOR_NODE_FLAGS=--experimental-wasm-relaxed-simd.
NODE_FLAGS = shlex.split(os.environ.get("WEBTENSOR_NODE_FLAGS", ""))


def missing(reason: str):
    """Skip locally; fail in CI, where every prerequisite must have been built."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"prerequisite missing in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def newest_wheel() -> Path | None:
    wheels = sorted((REPO / "dist").glob("webtensor-*-py3-none-any.whl"),
                    key=lambda p: p.stat().st_mtime)
    return wheels[-1] if wheels else None


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def prerequisite_missing():
    """missing(reason) as a fixture: test modules import nothing from conftest, so they work
    under any --import-mode."""
    return missing


@pytest.fixture(scope="session")
def webtensor_wheel() -> Path:
    if os.environ.get("WEBTENSOR_WHEEL"):  # test a specific wheel instead of the newest in dist/
        return Path(os.environ["WEBTENSOR_WHEEL"]).resolve()
    whl = newest_wheel()
    if whl is None:
        missing("no dist/webtensor-*-py3-none-any.whl (run `python -m build --wheel`)")
    return whl


@pytest.fixture(scope="session")
def wheel_kernels(webtensor_wheel) -> list[str]:
    """WASM modules under webtensor/kernels/ in the wheel (by magic bytes, whatever the name)."""
    with zipfile.ZipFile(webtensor_wheel) as z:
        return sorted(n for n in z.namelist() if n.startswith("webtensor/kernels/")
                      and z.read(n)[:4] == b"\0asm")


@pytest.fixture(scope="session")
def test_dist() -> Path:
    if not (TEST_DIST / "pyodide-lock.json").exists():
        missing("no .cache/pyodide-dist (run `python scripts/make_test_dist.py`)")
    return TEST_DIST


@pytest.fixture(scope="session")
def node() -> str:
    exe = shutil.which("node")
    if exe is None:
        missing("node is not on PATH")
    return exe


@dataclass
class RunResult:
    returncode: int
    output: str
    seconds: float


@pytest.fixture(scope="session")
def run_in_pyodide(node, test_dist, webtensor_wheel):
    """run_in_pyodide(*runner_args) -> RunResult; echoes the runner's output as it arrives."""

    def run(*args: str, timeout: float = RUN_TIMEOUT) -> RunResult:
        cmd = [node, *NODE_FLAGS, str(RUNNER), "--dist", str(test_dist), "--wheel", str(webtensor_wheel), *args]
        print("$", " ".join(cmd), flush=True)
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, errors="replace")
        lines = []
        try:
            for line in proc.stdout:
                sys.stdout.write(line)
                lines.append(line)
                if time.monotonic() - t0 > timeout:
                    raise subprocess.TimeoutExpired(cmd, timeout)
            proc.wait(timeout=max(1.0, timeout - (time.monotonic() - t0)))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            tail = "".join(lines)[-4000:]
            pytest.fail(f"Pyodide runner timed out after {timeout:.0f} s:\n{tail}")
        sys.stdout.flush()
        return RunResult(proc.returncode, "".join(lines), time.monotonic() - t0)

    return run
