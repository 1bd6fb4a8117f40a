"""tests/portable/test_portable_device.py (and its special values,
test_portable_device_special.py) on device "webgpu" in Pyodide on a Chromium page with
WebGPU (SwiftShader under --enable-unsafe-webgpu): the op grid and the nn cases against the
WASM backend, read back through JSPI (tolist) and `await tolist_async()`. One page, one pytest
run; the runner names the device (WEBTENSOR_TEST_DEVICES), the Node tier names none."""
import re


def test_portable_device_grid_on_webgpu(run_in_webgpu_browser, summary_counts,
                                        record_inner_suite):
    code, output, secs = run_in_webgpu_browser(
        args=["tests/portable/test_portable_device.py",
              "tests/portable/test_portable_device_special.py", "-q", "-ra"],
        env={"WEBTENSOR_TEST_DEVICES": "webgpu"})
    counts = summary_counts(output)
    found = re.search(r"device grid webgpu: (\d+) cases matched, (\d+) NotImplementedError, "
                      r"(\d+) known bugs; (\d+) nn cases matched \(adapter '([^']*)'\)", output)
    record_inner_suite("Chromium WebGPU: tests/portable/test_portable_device*.py",
                       counts, secs)
    assert code == 0, f"pytest in Chromium exited {code}: {counts}\n{output[-4000:]}"
    assert found, output[-3000:]
    matched, _, _, nn = map(int, found.groups()[:4])
    print(found.group(0), f"({secs:.1f} s)")
    assert "swiftshader" in found.group(5), found.group(0)
    assert matched >= 2500 and nn >= 25, found.group(0)


# A page without JSPI (pyodide.ffi.can_run_sync() forced False, as in a browser that lacks it):
# the device comes from `await webtensor.webgpu.init()`, a synchronous read raises naming the
# async form, and the first grid case of every op compares through `await tolist_async()`
# alone, by wtdevice's rules; the ops that read the device synchronously inside are exactly
# webgpu_known.NEEDS_SYNC_READ, and they say so by naming cpu_async.
NO_JSPI = r"""
import sys
sys.path.insert(0, "/repo/tests/portable")
from webtensor.backends.webgpu import host_browser
host_browser.can_run_sync = lambda: False
import webtensor
from webtensor import backends
await webtensor.webgpu.init()
g = webtensor.arange(6.0, device="webgpu") * 2
try:
    g.tolist()
except RuntimeError as e:
    assert "cpu_async" in str(e), e
else:
    raise AssertionError("a synchronous read without JSPI did not raise")
assert await g.tolist_async() == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
backends.set_backend("wasm")
from wtcases import cases
from wtcheck import run_encoded, run_encoded_async
from wtdevice import OUTCOMES, outcome
counts, needs_sync, bad, seen = dict.fromkeys(OUTCOMES, 0), [], [], set()
for case in cases("grid"):
    if case["op"] in seen:
        continue
    seen.add(case["op"])
    want = run_encoded(webtensor, case)
    got = await run_encoded_async(webtensor, case, "webgpu")
    res = outcome(case, got, want, "webgpu")
    if res in OUTCOMES:
        counts[res] += 1
    elif got.get("error") == "RuntimeError" and "cpu_async" in got.get("message", ""):
        needs_sync.append(case["op"])
    else:
        bad.append(res)
assert not bad, "\n".join(bad[:12])
from webgpu_known import NEEDS_SYNC_READ
assert set(needs_sync) == NEEDS_SYNC_READ, sorted(set(needs_sync) ^ NEEDS_SYNC_READ)
print("NO-JSPI", len(seen), "ops", counts, "need a synchronous read:", sorted(needs_sync))
"""


def test_async_readback_without_jspi(run_in_webgpu_browser):
    code, output, secs = run_in_webgpu_browser(code=NO_JSPI)
    assert code == 0, output[-4000:]
    found = re.search(r"NO-JSPI (\d+) ops \{'matched': (\d+)", output)
    assert found, output[-3000:]
    print(found.group(0), f"({secs:.1f} s)")
    assert int(found.group(2)) >= 100, output[-2000:]
