"""What the webgpu device is known not to do yet, for test_portable_device.py: the ops whose
float32 cases may raise NotImplementedError, and the known divergences from the CPU, each with
the adapters it shows on and a minimal repro (test_known_bug_still_fails runs each repro: it
must differ on those adapters and match on the others, so a fix fails that test until its
entry goes). Adapters by a substring of webtensor.webgpu.adapter_info()["adapter"]:
"llvmpipe" (Mesa lavapipe, CPython) and "swiftshader" (headless Chromium)."""
from wtcheck import spec

# Ops whose float32 cases may raise NotImplementedError (no WebGPU kernel, no CPU fallback):
NO_FLOAT32_KERNEL = {
    "all", "any", "count_nonzero", "logical_not",          # float -> bool reductions / tests
    "fmax", "fmin", "round",                               # fmax/fmin; round(decimals=...)
    "embedding",                                           # max_norm renormalises in float64
}
# nn cases whose loss runs such a primitive
NN_NO_KERNEL = set()

# Ops that read the device synchronously inside, so without JSPI they raise a RuntimeError
# naming cpu_async (the first grid case of each op, run on a page without JSPI): the data-
# dependent shapes (masked_select reads its mask). The index bounds check of
# backends/webgpu/index.py reads back only where the host can wait; without JSPI the kernels
# clamp instead. unique/unique_consecutive (data-dependent shapes), masked_scatter (counts its
# mask), index_fill/index_put/put (their composites check indices on the host) and the losses
# with class targets (cross_entropy, nll_loss: out-of-range targets raise IndexError;
# binary_cross_entropy: inputs outside [0, 1] raise) read too.
NEEDS_SYNC_READ = {"nonzero", "argwhere", "masked_select", "unique", "unique_consecutive",
                   "masked_scatter", "index_fill", "index_put", "put", "cross_entropy",
                   "nll_loss", "binary_cross_entropy"}

NAN, INF = float("nan"), float("inf")
ALL = None   # adapters=ALL: an entry for every adapter


def _case(op, *data, dtype="float32"):
    return {"id": f"repro-{op}", "op": op,
            "inputs": [spec((len(d),), dtype, data=d) for d in data]}


# name -> dict(what=..., adapters=ALL or (substrings), repro=a grid-style case (_case),
# cases=lambda case: True for the grid / nn cases it explains). None known now: the device-mix
# ops, NaN comparisons, atan2's zero/NaN cases, NaN through exp/log/sigmoid and float16
# infinities (history: git log -S KNOWN_BUGS) now match the CPU on lavapipe and SwiftShader.
KNOWN_BUGS = {}


def applies(entry, adapter):
    return entry["adapters"] is ALL or any(a in adapter for a in entry["adapters"])
