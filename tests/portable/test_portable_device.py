"""The op grid (wtcases.cases("grid")) and the nn catalogue (nncases) on each device of
wtcheck.devices_under_test() ("webgpu": wgpu + lavapipe on CPython, SwiftShader in headless
Chromium) against the same case on the CPU's WASM backend.

Inputs are built on the CPU, moved to the device and given their layout there (views of
device memory). Results are read back synchronously (`tolist()`; in a browser page through
JSPI's run_sync) for the even cases of each op and with `await t.tolist_async()` for the odd
ones, so every op exercises both readbacks.

Outcomes: the same values (tolerances below), or the same exception type as the CPU, or
NotImplementedError naming the device where the device has no kernel for the case (allowed
only outside float32: a float32 case must run, unless its op is in NO_FLOAT32_KERNEL), or a
divergence that webgpu_known.KNOWN_BUGS explains for this adapter (each entry's repro must
differ exactly on the adapters it names, so a fix fails here until the entry is updated).
The terminal summary gives the counts ("device grid webgpu: N cases matched, ...").
"""
import asyncio
import concurrent.futures
import sys

import pytest

import nncases
import webtensor
from wtcases import cases
from webgpu_known import KNOWN_BUGS, NN_NO_KERNEL, NO_FLOAT32_KERNEL, applies
from wtcheck import (DEVICE_COUNTS, TOL, assert_encoded_match, devices_under_test, encode_error,
                     encode_result, encode_result_async, input_dtypes, run_encoded,
                     run_encoded_async, using_backend)

DEVICES = devices_under_test()
if not DEVICES:     # conftest leaves this file out then; named explicitly, it is an error
    raise RuntimeError("test_portable_device.py: this tier names no device to test "
                       "(set WEBTENSOR_TEST_DEVICES, e.g. to webgpu)")
CPU_BACKEND = "wasm"
GRID = cases("grid")
BY_OP = {}
for _c in GRID:
    BY_OP.setdefault(_c["op"], []).append(_c)

# ---- tolerances (float32 results; rtol, atol) ---------------------------------------------
# WGSL's accuracy rules (https://www.w3.org/TR/WGSL/#floating-point-accuracy): + - * and
# conversions are correctly rounded, so data movement, comparisons and exact arithmetic must
# match bit for bit (every op not named below). x / y is 2.5 ULP, sqrt / inverseSqrt 2-2.5 ULP:
# the CPU-vs-reference tolerance (wtcheck.TOL). exp / log / tanh / pow / atan2 are 3 ULP or more
# (exp: 3 + 2|x| ULP; erf, gelu, sigmoid, silu are built from them): 2e-5 relative. sin / cos
# are bounded in absolute terms, 2^-11 on [-pi, pi]. Reductions and dot products sum in another
# order (tree reduction per workgroup): 1e-5 relative and absolute. float16 / bfloat16 results
# are computed in float32 and rounded once, on the GPU as on the CPU: wtcheck.TOL for them.
ROUNDED = {"div", "divide", "true_divide", "sqrt", "rsqrt", "reciprocal", "lerp",
           "remainder", "floor_divide"}
TRANSCENDENTAL = {"exp", "expm1", "log", "log1p", "tanh", "sigmoid", "silu", "gelu", "erf",
                  "pow", "atan2", "arctan2", "square"}     # square: pow(x, 2) on the GPU
ANGLE = {"sin", "cos"}
REDUCING = {"sum", "mean", "prod", "var", "std", "var_mean", "std_mean", "logsumexp", "softmax",
            "log_softmax", "layer_norm", "rms_norm", "group_norm", "cumsum", "cumprod",
            "matmul", "mm", "bmm", "mv", "dot", "outer", "linear", "conv1d", "conv2d",
            "scaled_dot_product_attention", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool2d",
            "interpolate", "upsample", "cross_entropy", "nll_loss", "mse_loss", "l1_loss",
            "smooth_l1_loss", "huber_loss", "kl_div", "binary_cross_entropy",
            "binary_cross_entropy_with_logits"}
NN_TOL = (1e-4, 1e-5)        # whole modules: the nn tier's tolerance against torch


def _tol(op, dtype, case_tol):
    if dtype in ("float16", "bfloat16"):
        base = (0.0, 0.0) if op not in ROUNDED | TRANSCENDENTAL | ANGLE | REDUCING \
            else TOL[dtype]
    elif op in ROUNDED:
        base = TOL["float32"]
    elif op in TRANSCENDENTAL:
        base = (2e-5, 1e-6)
    elif op in ANGLE:
        base = (0.0, 2.0 ** -11)
    elif op in REDUCING:
        base = (1e-5, 1e-5)
    else:
        base = (0.0, 0.0)
    if case_tol:
        base = (max(base[0], case_tol[0]), max(base[1], case_tol[1]))
    return base


def _match(got, want, op, case_tol, what):
    """assert_encoded_match with the tolerance of op for each result's dtype."""
    if "seq" in want and "seq" in got and len(got["seq"]) == len(want["seq"]):
        for i, (a, e) in enumerate(zip(got["seq"], want["seq"])):
            _match(a, e, op, case_tol, f"{what}[{i}]")
        return
    if "dtype" in want:
        rtol, atol = _tol(op, want["dtype"], case_tol)
    else:
        rtol, atol = _tol(op, "float32", case_tol)
    assert_encoded_match(got, want, rtol, atol, what)


def _await(coro):
    """Run a coroutine from this synchronous test: through JSPI in a browser page (pytest runs
    inside runPythonAsync), else asyncio in a thread of its own (the browser tier's Playwright
    may leave an event loop running in this one)."""
    if sys.platform == "emscripten":
        from pyodide.ffi import run_sync
        return run_sync(coro)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _run_all_async(items, device):
    return [await run_encoded_async(webtensor, c, device) for c in items]


def _needs_kernel(case):
    dts = input_dtypes(case)
    return "float32" in dts and dts <= {"float32", "int64", "bool"} \
        and case["op"] not in NO_FLOAT32_KERNEL


def _adapter(device):
    """The adapter's name in lower case ("" for a device without adapters)."""
    return webtensor.webgpu.adapter_info()["adapter"].lower() if device == "webgpu" else ""


def _known(case, device):
    adapter = _adapter(device)
    return any(applies(k, adapter) and k["cases"](case) for k in KNOWN_BUGS.values())


def _check(case, got, want, device):
    """None if the case passes, else the failure text; raises nothing."""
    if got.get("error") == "NotImplementedError" != want.get("error"):
        # no kernel (for the op, or for the check that gives the CPU's error)
        msg = got.get("message", "")
        if device not in msg.lower():
            return f"{case['id']}: NotImplementedError not naming {device!r}: {msg}"
        if _needs_kernel(case):
            return f"{case['id']}: float32 case without a {device} kernel: {msg}"
        return "unsupported"
    try:
        _match(got, want, case["op"], case.get("tol"), f"{case['id']} ({device} vs cpu)")
    except AssertionError as e:
        return str(e)
    return None


def _counts(device):
    return DEVICE_COUNTS.setdefault(device, {"matched": 0, "unsupported": 0, "known": 0,
                                             "nn": 0, "adapter": _adapter(device)})


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("op", sorted(BY_OP))
def test_device_matches_cpu(op, device):
    items = BY_OP[op]
    with using_backend(CPU_BACKEND):
        wants = [run_encoded(webtensor, c) for c in items]
        gots = [None] * len(items)
        for i in range(0, len(items), 2):
            gots[i] = run_encoded(webtensor, items[i], device=device)
        for i, g in zip(range(1, len(items), 2), _await(_run_all_async(items[1::2], device))):
            gots[i] = g
    counts = _counts(device)
    failures = []
    for case, got, want in zip(items, gots, wants):
        res = _check(case, got, want, device)
        if res is None:
            counts["matched"] += 1
        elif res == "unsupported":
            counts["unsupported"] += 1
        elif _known(case, device):
            counts["known"] += 1
        else:
            failures.append(res)
    assert not failures, (f"{len(failures)} of {len(items)} {op} cases differ on {device}:\n"
                          + "\n".join(failures[:12]))
    if op in NO_FLOAT32_KERNEL:
        assert any(got.get("error") == "NotImplementedError" for c, got in zip(items, gots)
                   if "float32" in input_dtypes(c)), \
            f"{op} runs every float32 case on {device}: remove it from NO_FLOAT32_KERNEL"


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", sorted(KNOWN_BUGS))
def test_known_bug_still_fails(name, device):
    """The repro differs on the adapters the entry names and matches on the others."""
    entry = KNOWN_BUGS[name]
    case = entry["repro"]
    with using_backend(CPU_BACKEND):
        want = run_encoded(webtensor, case)
        got = run_encoded(webtensor, case, device=device)
    assert "error" not in want, want
    differs = _check(case, got, want, device) not in (None, "unsupported")
    adapter = _adapter(device)
    assert differs == applies(entry, adapter), \
        (f"KNOWN_BUGS[{name!r}] is fixed on {adapter!r} (got {got}): remove it from the "
         "entry's adapters" if not differs else
         f"KNOWN_BUGS[{name!r}] shows on {adapter!r} too (got {got}, want {want})")


NN = [c for c in nncases.CASES if c["inputs"]]


def _nn_encoded(case, device, read_async=False):
    webtensor.manual_seed(0)
    try:
        out = nncases.forward(webtensor, case, device)[1]
    except Exception as e:  # noqa: BLE001 - compared like the grid's errors
        return encode_error(e)
    return _await(encode_result_async(out)) if read_async else encode_result(out)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", NN, ids=[c["id"] for c in NN])
def test_nn_on_device_matches_cpu(case, device):
    with using_backend(CPU_BACKEND):
        want = _nn_encoded(case, None)
        got = _nn_encoded(case, device, read_async=NN.index(case) % 2 == 1)
    if got.get("error") == "NotImplementedError" != want.get("error"):
        assert device in got["message"].lower(), got
        assert case["id"] in NN_NO_KERNEL, f"{case['id']} has no {device} kernel: {got}"
        _counts(device)["unsupported"] += 1
        return
    try:
        assert_encoded_match(got, want, *NN_TOL, what=f"{case['id']} ({device} vs cpu)")
    except AssertionError:
        if not _known(case, device):
            raise
        _counts(device)["known"] += 1
        return
    _counts(device)["nn"] += 1
