"""tests/portable/test_portable_device.py on device "webgpu" in Pyodide on a Chromium page with
WebGPU (SwiftShader under --enable-unsafe-webgpu): the op grid and the nn cases against the
WASM backend, read back through JSPI (tolist) and `await tolist_async()`. One page, one pytest
run; the runner names the device (WEBTENSOR_TEST_DEVICES), the Node tier names none."""
import re


def test_portable_device_grid_on_webgpu(run_in_webgpu_browser, summary_counts,
                                        record_inner_suite):
    code, output, secs = run_in_webgpu_browser(
        args=["tests/portable/test_portable_device.py", "-q", "-ra"],
        env={"WEBTENSOR_TEST_DEVICES": "webgpu"})
    counts = summary_counts(output)
    found = re.search(r"device grid webgpu: (\d+) cases matched, (\d+) NotImplementedError, "
                      r"(\d+) known bugs; (\d+) nn cases matched \(adapter '([^']*)'\)", output)
    record_inner_suite("Chromium WebGPU: tests/portable/test_portable_device.py",
                       counts, secs)
    assert code == 0, f"pytest in Chromium exited {code}: {counts}\n{output[-4000:]}"
    assert found, output[-3000:]
    matched, _, _, nn = map(int, found.groups()[:4])
    print(found.group(0), f"({secs:.1f} s)")
    assert "swiftshader" in found.group(5), found.group(0)
    assert matched >= 2500 and nn >= 25, found.group(0)
