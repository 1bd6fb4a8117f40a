"""The models on the webgpu device (CPython, wgpu over lavapipe in CI): the webgpu fixtures of
tests/unit/webgpu (lavapipe set-up, fail-not-skip under CI=true) and the models tier's weights."""
import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "webgpu_fixtures", Path(__file__).resolve().parents[2] / "unit" / "webgpu" / "conftest.py")
_gpu = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_gpu)
backend, gpu, _gpu_ready = _gpu.backend, _gpu.gpu, _gpu._gpu_ready
