"""Comparing a case run on a device with the same case on the CPU (tests/portable/
test_portable_device.py, and the Chromium tier's page without JSPI): tolerances per op, the
outcome rules, the known bugs per adapter (webgpu_known.py). Stdlib only."""
import asyncio
import concurrent.futures
import sys

import webtensor
from webgpu_known import KNOWN_BUGS, NO_FLOAT32_KERNEL, applies
from wtcheck import DEVICE_COUNTS, TOL, assert_encoded_match, input_dtypes

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
           "remainder", "floor_divide", "fmod", "addcdiv"}
TRANSCENDENTAL = {"exp", "expm1", "log", "log1p", "tanh", "sigmoid", "silu", "gelu", "erf",
                  "pow", "atan2", "arctan2", "square", "xlogy"}   # square: pow(x, 2) on the GPU
ANGLE = {"sin", "cos"}
REDUCING = {"sum", "mean", "prod", "var", "std", "var_mean", "std_mean", "logsumexp", "softmax",
            "log_softmax", "layer_norm", "rms_norm", "group_norm", "cumsum", "cumprod",
            "matmul", "mm", "bmm", "mv", "dot", "outer", "linear", "conv1d", "conv2d",
            "scaled_dot_product_attention", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool2d",
            "interpolate", "upsample", "cross_entropy", "nll_loss", "mse_loss", "l1_loss",
            "smooth_l1_loss", "huber_loss", "kl_div", "binary_cross_entropy",
            "binary_cross_entropy_with_logits", "nansum", "nanmean", "cosine_similarity",
            "pairwise_distance"}
NN_TOL = (1e-4, 1e-5)        # whole modules: the nn tier's tolerance against torch


def tolerance(op, dtype, case_tol):
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


def match(got, want, op, case_tol, what):
    """assert_encoded_match with the tolerance of op for each result's dtype."""
    if "seq" in want and "seq" in got and len(got["seq"]) == len(want["seq"]):
        for i, (a, e) in enumerate(zip(got["seq"], want["seq"])):
            match(a, e, op, case_tol, f"{what}[{i}]")
        return
    if "dtype" in want:
        rtol, atol = tolerance(op, want["dtype"], case_tol)
    else:
        rtol, atol = tolerance(op, "float32", case_tol)
    assert_encoded_match(got, want, rtol, atol, what)


def await_coro(coro):
    """Run a coroutine from this synchronous test: through JSPI in a browser page (pytest runs
    inside runPythonAsync), else asyncio in a thread of its own (the browser tier's Playwright
    may leave an event loop running in this one)."""
    if sys.platform == "emscripten":
        from pyodide.ffi import run_sync
        return run_sync(coro)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def needs_kernel(case):
    dts = input_dtypes(case)
    return "float32" in dts and dts <= {"float32", "int64", "bool"} \
        and case["op"] not in NO_FLOAT32_KERNEL


def adapter_name(device):
    """The adapter's name in lower case ("" for a device without adapters)."""
    return webtensor.webgpu.adapter_info()["adapter"].lower() if device == "webgpu" else ""


def known(case, device):
    adapter = adapter_name(device)
    return any(applies(k, adapter) and k["cases"](case) for k in KNOWN_BUGS.values())


OUTCOMES = ("matched", "unsupported", "known")


def outcome(case, got, want, device):
    """"matched"; "unsupported" (NotImplementedError naming the device, where NO_FLOAT32_KERNEL
    or the dtypes allow it); "known" (a divergence KNOWN_BUGS gives for this adapter); else
    the failure text."""
    if got.get("error") == "NotImplementedError" != want.get("error"):
        # no kernel (for the op, or for the check that gives the CPU's error)
        msg = got.get("message", "")
        if device not in msg.lower():
            return f"{case['id']}: NotImplementedError not naming {device!r}: {msg}"
        if needs_kernel(case):
            return f"{case['id']}: float32 case without a {device} kernel: {msg}"
        return "unsupported"
    try:
        match(got, want, case["op"], case.get("tol"), f"{case['id']} ({device} vs cpu)")
    except AssertionError as e:
        return "known" if known(case, device) else str(e)
    return "matched"


def tally(device):
    """The device's counts of outcomes (printed by the portable conftest)."""
    return DEVICE_COUNTS.setdefault(device, {"matched": 0, "unsupported": 0, "known": 0,
                                             "nn": 0, "adapter": adapter_name(device)})
