"""matmul.wgsl (entry points `matmul` and `matmul_gemv`) through CPython's wgpu, against numpy
(float64) and torch.nn.functional for the fused activations.

CPython tier: wgpu + Mesa's lavapipe (CPU Vulkan). The harness is benchmarks/bench_webgpu.py's
(Runner, matmul_setup, matmul_params), imported from the repo path. If wgpu or a Vulkan adapter
is missing the module is skipped, or fails under CI=true.
"""
import importlib.util
import os
import struct
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

REPO = Path(__file__).resolve().parents[3]
LAVAPIPE = "/usr/share/vulkan/icd.d/lvp_icd.x86_64.json"
if (not os.environ.get("VK_ICD_FILENAMES") and not os.environ.get("VK_DRIVER_FILES")
        and os.path.exists(LAVAPIPE)):
    os.environ["VK_ICD_FILENAMES"] = LAVAPIPE      # before wgpu is imported


def missing(reason: str):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"prerequisite missing in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def _load_harness():
    spec = importlib.util.spec_from_file_location("bench_webgpu",
                                                  REPO / "benchmarks" / "bench_webgpu.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_webgpu", mod)
    spec.loader.exec_module(mod)
    return mod


bw = _load_harness()


@pytest.fixture(autouse=True)
def backend():
    """Overrides tests/unit's per-backend fixture: these tests run the WGSL only, once."""
    yield "webgpu-wgsl"


@pytest.fixture(scope="module")
def runner():
    try:
        import wgpu  # noqa: F401
    except Exception as e:  # noqa: BLE001
        missing(f"wgpu is not importable ({e}); pip install wgpu==0.32.0")
    try:
        _, device, info = bw.open_device()
    except Exception as e:  # noqa: BLE001
        missing(f"no WebGPU adapter through wgpu ({e}); apt-get install mesa-vulkan-drivers "
                f"libvulkan1 for lavapipe")
    return bw.Runner(device, info)


def rnd(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape, dtype=np.float32)


def check(got, ref, K):
    ref = np.asarray(ref, dtype=np.float64)
    got = np.asarray(got, dtype=np.float64).reshape(ref.shape)
    tol = 1e-5 * max(1.0, np.sqrt(K)) * (1.0 + np.abs(ref))
    bad = np.abs(got - ref) > tol
    assert not bad.any(), (f"{bad.sum()} of {bad.size} wrong, max err "
                           f"{np.abs(got - ref).max():.3g}")


SHAPES = [(1, 1, 1), (3, 5, 7), (17, 33, 65), (64, 64, 64), (128, 128, 128), (130, 257, 19),
          (256, 128, 32), (2, 300, 9)]


@pytest.mark.parametrize("trans", [False, True], ids=["B", "BT"])
@pytest.mark.parametrize("M,N,K", SHAPES, ids=lambda v: str(v))
def test_matmul(runner, M, N, K, trans):
    a, b = rnd(M, K, seed=1), rnd(K, N, seed=2)
    bin_ = np.ascontiguousarray(b.T) if trans else b
    c = bw.run_matmul(runner, a, bin_, M, N, K, trans=trans, gemv=False)
    check(c, a.astype(np.float64) @ b.astype(np.float64), K)


GEMV = [(1, 300, 130), (1, 130, 300), (1, 37, 131), (1, 1, 1), (1, 5, 3), (1, 64, 1024)]


@pytest.mark.parametrize("trans", [False, True], ids=["B", "BT"])
@pytest.mark.parametrize("M,N,K", GEMV, ids=lambda v: str(v))
def test_gemv(runner, M, N, K, trans):
    a, b = rnd(M, K, seed=3), rnd(K, N, seed=4)
    bin_ = np.ascontiguousarray(b.T) if trans else b
    c = bw.run_matmul(runner, a, bin_, M, N, K, trans=trans, gemv=True)
    check(c, a.astype(np.float64) @ b.astype(np.float64), K)


@pytest.mark.parametrize("gemv", [False, True], ids=["matmul", "gemv"])
@pytest.mark.parametrize("trans", [False, True], ids=["B", "BT"])
def test_batch_broadcast(runner, trans, gemv):
    # C [2, 3, M, N] = A [2, 1, M, K] @ B [1, 3, K, N]: A broadcast along b1, B along b0
    M, N, K = (1 if gemv else 19), 23, 37
    a, b = rnd(2, 1, M, K, seed=5), rnd(1, 3, K, N, seed=6)
    bin_ = np.ascontiguousarray(np.swapaxes(b, -1, -2)) if trans else b
    c = bw.run_matmul(runner, a, bin_, M, N, K, batch=(2, 3), a_bs=(M * K, 0),
                      b_bs=(0, K * N), trans=trans, gemv=gemv)
    check(c, a.astype(np.float64) @ b.astype(np.float64), K)


def test_batch_one_dim_shared_weight(runner):
    # [5, M, K] @ [K, N] (b_bs0 = 0), the nn.Linear-on-a-batch case, transposed weight
    M, N, K = 9, 40, 24
    a, w = rnd(5, M, K, seed=7), rnd(N, K, seed=8)
    c = bw.run_matmul(runner, a, w, M, N, K, batch=(5,), b_bs=(0, 0), trans=True)
    check(c, a.astype(np.float64) @ w.T.astype(np.float64), K)


ACT_REF = {
    "none": lambda t: t,
    "relu": F.relu,
    "gelu": lambda t: F.gelu(t, approximate="none"),
    "gelu_tanh": lambda t: F.gelu(t, approximate="tanh"),
    "silu": F.silu,
}


@pytest.mark.parametrize("gemv", [False, True], ids=["matmul", "gemv"])
@pytest.mark.parametrize("act", list(ACT_REF))
def test_bias_activation(runner, act, gemv):
    M, N, K = (1 if gemv else 33), 70, 48
    x, w, bias = rnd(M, K, seed=9), rnd(N, K, seed=10), rnd(N, seed=11)
    x *= 2.0  # spread the pre-activations over the interesting range
    c = bw.run_matmul(runner, x, w, M, N, K, trans=True, bias=bias, act=act, gemv=gemv)
    pre = torch.from_numpy(x.astype(np.float64)) @ torch.from_numpy(w.astype(np.float64)).T \
        + torch.from_numpy(bias.astype(np.float64))
    ref = ACT_REF[act](pre).numpy()
    check(c, ref, K)


def test_views_offsets_and_row_strides(runner):
    # A, B and C as views: element offsets and padded row strides, a bias at an offset
    M, N, K = 20, 30, 12
    lda, ldb, ldc = K + 5, N + 3, N + 7
    ao, bo, co, biaso = 3, 11, 6, 2
    a_full, b_full = rnd(ao + M * lda, seed=12), rnd(bo + K * ldb, seed=13)
    bias_full = rnd(biaso + N, seed=14)
    a = np.lib.stride_tricks.as_strided(a_full[ao:], (M, K), (lda * 4, 4))
    b = np.lib.stride_tricks.as_strided(b_full[bo:], (K, N), (ldb * 4, 4))
    params = bw.matmul_params(M=M, N=N, K=K, a_off=ao, a_rs=lda, b_off=bo, b_rs=ldb,
                              c_off=co, c_rs=ldc, bias_off=biaso, has_bias=1,
                              act=bw.ACTS["relu"])
    r = runner
    for entry, m in (("matmul", M), ("matmul_gemv", 1)):
        pipe = r.pipeline(bw.matmul_source(entry), entry)
        sentinel = np.full(co + m * ldc, 7.0, dtype=np.float32)
        C = r.storage(sentinel)
        p = bytearray(params)
        struct.pack_into("<I", p, 0, m)
        bg = r.bind(pipe, {0: r.uniform(bytes(p)), 1: r.storage(a_full), 2: r.storage(b_full),
                           3: r.storage(bias_full), 4: C})
        r.submit(pipe, bg, bw.matmul_groups(m, N, 1, entry == "matmul_gemv"))
        got = r.read_f32(C)
        ref = np.maximum(a[:m].astype(np.float64) @ b.astype(np.float64)
                         + bias_full[biaso:], 0.0)
        view = np.lib.stride_tricks.as_strided(got[co:], (m, N), (ldc * 4, 4))
        check(view, ref, K)
        untouched = np.ones(got.shape, bool)
        for i in range(m):
            untouched[co + i * ldc: co + i * ldc + N] = False
        assert (got[untouched] == 7.0).all(), "wrote outside the C view"
