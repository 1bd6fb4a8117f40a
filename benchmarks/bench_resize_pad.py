"""Speed check (not a test) for pad / interpolate / cross_entropy: best of 5, ms per call.
Inside Pyodide in Node, against the built wheel:

    node tests/pyodide/run_pytest.mjs -c "$(cat benchmarks/bench_resize_pad.py)"

or on CPython: PYTHONPATH=pyodide_pkg python3 benchmarks/bench_resize_pad.py
"""
import time
import webtensor as torch
import webtensor.nn.functional as F
from webtensor import backends


def best(fn, reps=5):
    fn()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return min(ts) * 1e3


torch.manual_seed(0)
img = torch.randn(1, 3, 224, 224)
fm = torch.randn(1, 64, 56, 56)
logits, tgt = torch.randn(64, 1000), torch.randint(0, 1000, (64,))
rows = [
    ("interpolate bilinear 224->448", lambda: F.interpolate(img, scale_factor=2, mode="bilinear")),
    ("interpolate bilinear 224->112", lambda: F.interpolate(img, size=(112, 112), mode="bilinear")),
    ("interpolate bilinear 224->299 ac",
     lambda: F.interpolate(img, size=299, mode="bilinear", align_corners=True)),
    ("interpolate nearest 224->448", lambda: F.interpolate(img, scale_factor=2)),
    ("interpolate bicubic 224->448", lambda: F.interpolate(img, scale_factor=2, mode="bicubic")),
    ("interpolate bilinear aa 224->112",
     lambda: F.interpolate(img, size=112, mode="bilinear", antialias=True)),
    ("pad constant 1 (64x56x56)", lambda: F.pad(fm, (1, 1, 1, 1))),
    ("pad reflect 1 (64x56x56)", lambda: F.pad(fm, (1, 1, 1, 1), mode="reflect")),
    ("pad replicate 1 (64x56x56)", lambda: F.pad(fm, (1, 1, 1, 1), mode="replicate")),
    ("pad circular 1 (64x56x56)", lambda: F.pad(fm, (1, 1, 1, 1), mode="circular")),
    ("cross_entropy 64x1000", lambda: F.cross_entropy(logits, tgt)),
]
print("backend", backends.get_backend(), backends.get_isa())
for name, fn in rows:
    print(f"{name:36s} {best(fn):9.2f} ms")
