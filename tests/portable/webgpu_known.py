"""What the webgpu device is known not to do yet, for test_portable_device.py: the ops whose
float32 cases may raise NotImplementedError, and the known divergences from the CPU, each with
the adapters it shows on and a minimal repro (test_known_bug_still_fails runs each repro: it
must differ on those adapters and match on the others, so a fix fails that test until its
entry goes). Adapters by a substring of webtensor.webgpu.adapter_info()["adapter"]:
"llvmpipe" (Mesa lavapipe, CPython) and "swiftshader" (headless Chromium)."""
from wtcheck import input_dtypes, spec

# Ops whose float32 cases may raise NotImplementedError (no WebGPU kernel, no CPU fallback):
NO_FLOAT32_KERNEL = {
    "all", "any", "count_nonzero", "logical_not",          # float -> bool reductions / tests
    "sort", "argsort", "msort", "topk", "cumprod",         # no sort / scan-product kernels
    "fmax", "fmin", "round",                               # fmax/fmin; round(decimals=...)
    "scatter", "scatter_add", "scatter_reduce",            # no scatter kernels
    "embedding", "cross_entropy", "nll_loss", "binary_cross_entropy",  # bool bitwise_or etc.
}
# nn cases whose loss runs such a primitive (bitwise_or on bool in the target checks)
NN_NO_KERNEL = {"loss_cross_entropy", "loss_nll_none", "loss_bce"}

# Ops that read the device synchronously inside, so without JSPI they raise a RuntimeError
# naming cpu_async (the first grid case of each op, run on a page without JSPI): the data-
# dependent shapes, and the index bounds check of backends/webgpu/index.py (CHECK_INDICES
# reads a status word back) for gather / index_select / embedding / take_along_dim
NEEDS_SYNC_READ = {"nonzero", "argwhere", "gather", "index_select", "embedding",
                   "take_along_dim"}

NAN, INF = float("nan"), float("inf")
ALL = None   # adapters=ALL: an entry for every adapter


def _case(op, *data, dtype="float32"):
    return {"id": f"repro-{op}", "op": op,
            "inputs": [spec((len(d),), dtype, data=d) for d in data]}


KNOWN_BUGS = {
    "nan-compare": dict(
        what="float comparisons fold NaN away (WGSL lets compilers assume no NaN; kernels.py's "
             "binary predicates 'a != b' etc. and the float -> bool test 'x != 0'): ne / "
             "logical_* / isnan / nonzero of NaN",
        adapters=("llvmpipe", "swiftshader"), repro=_case("ne", [NAN, 1.0], [NAN, 1.0]),
        cases=lambda c: c.get("op") == "isnan" or "special" in c["id"] and c.get("op") in {
            "ne", "not_equal", "logical_and", "logical_or", "logical_xor", "nonzero",
            "argwhere"}),
    "atan2-zero-nan": dict(
        what="WGSL's atan2(0, 0) and atan2 of NaN are indeterminate (kernels.py 'atan2(a, b)'): "
             "2.356 and 0.0 where the CPU gives 0.0 and NaN",
        adapters=("llvmpipe",), repro=_case("atan2", [0.0, NAN], [0.0, 1.0]),
        cases=lambda c: c.get("op") in {"atan2", "arctan2"}),
    "nan-transcendental": dict(
        what="exp / log / log1p / sigmoid of NaN are not NaN (exp(NaN) = inf, log(NaN) = 89.1, "
             "sigmoid(NaN) = 0): the kernels.py expressions do not pass NaN through",
        adapters=("swiftshader",), repro=_case("exp", [NAN, 1.0]),
        cases=lambda c: c.get("op") in {"exp", "log", "log1p", "sigmoid"}
        and "special" in c["id"]),
    "f16-nonfinite": dict(
        what="float16 infinities become NaN: kernels.py stores float16 with pack2x16float, "
             "whose result WGSL leaves indeterminate outside f16's finite range (exp "
             "overflow, 1/0, max pools of inf, isinf of float16)",
        adapters=("swiftshader",), repro=_case("exp", [12.0, 1.0], dtype="float16"),
        cases=lambda c: "float16" in input_dtypes(c) and c.get("op") in {
            "exp", "reciprocal", "isinf", "max_pool2d", "adaptive_max_pool2d"}),
}


def applies(entry, adapter):
    return entry["adapters"] is ALL or any(a in adapter for a in entry["adapters"])
