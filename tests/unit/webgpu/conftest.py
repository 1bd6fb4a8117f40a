"""The webgpu device on CPython: the `wgpu` package (wgpu-native) over Vulkan; in CI Mesa's
lavapipe (scripts/_setup.sh ensure_lavapipe). A missing prerequisite skips locally and FAILS
under CI=true. These tests run once (not once per CPU backend): `backend` is overridden."""
import os

LAVAPIPE_ICD = "/usr/share/vulkan/icd.d/lvp_icd.x86_64.json"
if "VK_ICD_FILENAMES" not in os.environ and os.path.exists(LAVAPIPE_ICD):
    os.environ["VK_ICD_FILENAMES"] = LAVAPIPE_ICD      # before wgpu is imported

import pytest  # noqa: E402


def missing(reason):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"prerequisite missing in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def backend():
    """One run per test, on the default CPU chain (the CPU side of every comparison)."""
    yield "default"


@pytest.fixture(scope="session")
def _gpu_ready():
    try:
        import wgpu  # noqa: F401
    except ImportError as e:
        return f"the wgpu package is not installed ({e}; pip install wgpu==0.32.0)"
    import webtensor
    if not webtensor.webgpu.is_available():
        from webtensor.backends.webgpu import _host
        return (f"no WebGPU adapter ({_host._state['error']}; apt-get install "
                "mesa-vulkan-drivers libvulkan1)")
    return None


@pytest.fixture(autouse=True)
def gpu(_gpu_ready):
    if _gpu_ready is not None:
        missing(_gpu_ready)
    return "webgpu"
