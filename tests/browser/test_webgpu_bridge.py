"""The WebGPU bridge (webgpu_bridge/bridge.mjs) and its Python host (host_browser.Host) in
Pyodide on a headless Chromium page: SwiftShader's adapter under --enable-unsafe-webgpu.

Each test runs Python on a fresh page of tests/browser/runner.html (entered through
runPythonAsync, so pyodide.ffi.run_sync works) with the wheel under test installed.
"""
import json
import time
import urllib.parse

import pytest

# Shared prelude: a Host, the `add` kernel, a JS-call counter around the bridge.
PRELUDE = r'''
import asyncio, struct
from array import array
import js
from pyodide.code import run_js
from webtensor.backends.webgpu import host as host_mod, host_browser

ADD = """
struct Params { n: u32, }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(64)
fn add(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i < params.n) { out[i] = a[i] + b[i]; }
}
"""

def f32(values):
    return array("f", values).tobytes()

def floats(data):
    return array("f", data).tolist()

def count_calls(host):
    """Replace host._bridge with a wrapper counting calls per function -> the JS counts."""
    wrap = run_js("""(m) => {
      const calls = {};
      const w = {};
      for (const k of Object.keys(m)) {
        w[k] = typeof m[k] !== "function" ? m[k]
             : (...a) => { calls[k] = (calls[k] || 0) + 1; return m[k](...a); };
      }
      return [w, calls];
    }""")
    w, calls = wrap(host._bridge)
    host._bridge = w
    return lambda: calls.to_py()

host = await host_browser.Host.create()
print("INFO", host.info["adapter"], host.info["fallback"], sorted(host.info["features"]))
'''

ROUNDTRIP = PRELUDE + r'''
n = 1000
a = [float(i) for i in range(n)]
b = [0.5 * i for i in range(n)]
ha, hb, hc, hd, he = (host.buffer(4 * n) for _ in range(5))
host.write(ha, 0, f32(a))
host.write(hb, 0, f32(b))
assert floats(host.read(hc, 0, 4 * n)) == [0.0] * n, "buffers start zeroed"
add = host.pipeline("add", ADD)
assert host.pipeline("add", ADD) == add, "compiled once per name"
calls = count_calls(host)
groups = ((n + 63) // 64, 1, 1)
host.record(add, [ha, hb, hc], struct.pack("<I", n), groups)          # c = a + b
host.record(add, [hc, hb, hd], struct.pack("<I", n), groups)          # d = c + b
host.record(add, [hd, ha, he], struct.pack("<I", n // 2), groups)     # e = d + a (first half)
assert calls() == {}, f"record() must not call JS: {calls()}"
host.flush()
assert calls() == {"run": 1}, f"one bridge.run per flush: {calls()}"
host.flush()                                                           # nothing recorded
assert calls() == {"run": 1}, calls()

e = floats(host.read(he, 0, 4 * n))                                   # synchronous (run_sync)
assert e == [3 * x for x in a[: n // 2]] + [0.0] * (n - n // 2), e[:8]
d = floats(await host.read_async(hd, 0, 4 * n))                       # asynchronous
assert d == [2 * x for x in a], d[:8]
part = floats(host.read(hd, 4 * 10, 4 * 3))                           # offset + length
assert part == [20.0, 22.0, 24.0], part
assert host.read(hd, 4 * 10 + 1, 2) == f32([20.0])[1:3], "unaligned read"
print("ROUNDTRIP-OK")

# FLUSH_EVERY: 130 dispatches -> runs at 64 and 128, the last 2 at flush(); still one per flush
before = calls().get("run", 0)
for i in range(130):
    host.record(add, [ha, hb, hc], struct.pack("<I", n), groups)
assert calls().get("run", 0) - before == 130 // host_mod.FLUSH_EVERY, calls()
host.flush()
assert calls().get("run", 0) - before == 130 // host_mod.FLUSH_EVERY + 1, calls()
assert set(calls()) <= {"run", "read", "writeBuffer", "createBuffer"}, calls()
assert floats(host.read(hc, 0, 8)) == [0.0, 1.5]
host.destroy(he)

# destroy() of a buffer that a recorded dispatch uses: freed by that flush's run, no extra call
before = dict(calls())
tmp = host.buffer(4 * n)
host.record(add, [ha, hb, tmp], struct.pack("<I", n), groups)
host.record(add, [tmp, ha, hc], struct.pack("<I", n), groups)        # c = 2a + b
host.destroy(tmp)
host.flush()
after = calls()
assert after.get("run", 0) == before.get("run", 0) + 1, (before, after)
assert after.get("destroyBuffer", 0) == before.get("destroyBuffer", 0), (before, after)
assert floats(host.read(hc, 0, 12)) == [0.0, 2.5, 5.0]
print("BATCH-OK", calls())
'''

FAULTS = PRELUDE + r'''
# a WGSL error: RuntimeError naming the kernel, device still usable
BROKEN = ADD.replace("fn add", "fn broken_kernel").replace("out[i] = a[i] + b[i];", "out[i] = a[i] + ;")
for _ in range(2):                # a failed compile is not cached: it raises again
    try:
        host.pipeline("broken_kernel", BROKEN)
    except RuntimeError as e:
        assert "WGSL kernel 'broken_kernel' failed to compile" in str(e), str(e)
        assert "line 10" in str(e), str(e)
        print("COMPILE-ERROR-OK", repr(str(e)[:300]))
    else:
        raise AssertionError("a WGSL syntax error did not raise")
try:
    host.pipeline("no_params", "@compute @workgroup_size(1) fn no_params() {}")
except RuntimeError as e:
    assert "no_params" in str(e) and "binding 0" in str(e), str(e)
    print("NO-PARAMS-OK", e)
else:
    raise AssertionError("a kernel without the params binding did not raise")
try:
    host.pipeline("wrong_entry", ADD)        # compiles, but has no entry point `wrong_entry`
except RuntimeError as e:
    assert "wrong_entry" in str(e), str(e)
    print("ENTRY-POINT-OK", repr(str(e)[:200]))
else:
    raise AssertionError("a missing entry point did not raise")

# without JSPI the compile error surfaces at the next read, still naming the kernel
orig = host_browser.can_run_sync
host_browser.can_run_sync = lambda: False
try:
    bad = host.pipeline("late_kernel", ADD.replace("fn add", "fn late_kernel").replace("a[i] +", "a[i] + undefined_name +"))
    h = host.buffer(16)
    host.record(bad, [h, h, h], struct.pack("<I", 4), (1, 1, 1))
    try:
        await host.read_async(h, 0, 16)
    except RuntimeError as e:
        assert "late_kernel" in str(e) and "failed to compile" in str(e), str(e)
        print("LATE-COMPILE-ERROR-OK", repr(str(e)[:300]))
    else:
        raise AssertionError("a deferred WGSL error did not raise")
    # the synchronous read names the async form
    try:
        host.read(h, 0, 16)
    except RuntimeError as e:
        assert "await t.cpu_async()" in str(e) and "JSPI" in str(e), str(e)
        print("NO-JSPI-READ-OK")
    else:
        raise AssertionError("read without JSPI did not raise")
finally:
    host_browser.can_run_sync = orig

# a dispatch that fails validation (2 buffers for a 3-buffer kernel): RuntimeError naming it
add = host.pipeline("add", ADD)
h1, h2 = host.buffer(16), host.buffer(16)
host.record(add, [h1, h2], struct.pack("<I", 4), (1, 1, 1))
try:
    host.read(h1, 0, 16)
except RuntimeError as e:
    assert "kernels: add" in str(e), str(e)
    print("DISPATCH-VALIDATION-OK", repr(str(e)[:160]))
else:
    raise AssertionError("an invalid dispatch did not raise")

# larger than maxBufferSize: OutOfMemoryError, and the device is still usable
limit = host.info["limits"]["maxBufferSize"]
try:
    host.buffer(limit + 4)
except host_mod.OutOfMemoryError as e:
    assert isinstance(e, RuntimeError)
    print("OOM-OK", e)
else:
    raise AssertionError("no OutOfMemoryError")
# the same refused by WebGPU itself (Python's check bypassed): reported at the next read
saved = dict(host.info["limits"])
host.info["limits"].update(maxBufferSize=2 ** 62, maxStorageBufferBindingSize=2 ** 62)
big = host.buffer(limit + 4)
h = host.buffer(8)
try:
    host.read(h, 0, 8)
except host_mod.OutOfMemoryError as e:
    print("OOM-SCOPE-OK", str(e)[:120])
else:
    raise AssertionError("createBuffer past maxBufferSize was not reported")
host.info["limits"].update(saved)
host.destroy(big)
add = host.pipeline("add", ADD)
ha, hb, hc = (host.buffer(16) for _ in range(3))
host.write(ha, 0, f32([1, 2, 3, 4]))
host.write(hb, 0, f32([10, 20, 30, 40]))
host.record(add, [ha, hb, hc], struct.pack("<I", 4), (1, 1, 1))
assert floats(host.read(hc, 0, 16)) == [11.0, 22.0, 33.0, 44.0]
print("USABLE-AFTER-ERRORS-OK")

# device lost: host.lost set (through the bridge's callback), then clear RuntimeErrors
assert host.lost is None
host._bridge.destroyDevice()
for _ in range(100):
    if host.lost is not None:
        break
    await asyncio.sleep(0.02)
assert host.lost is not None, "device.lost did not reach host.lost"
for call in (lambda: host.read(hc, 0, 16), lambda: host.buffer(16),
             lambda: host.record(add, [ha, hb, hc], b"", (1, 1, 1))):
    try:
        call()
    except RuntimeError as e:
        assert "device was lost" in str(e), str(e)
    else:
        raise AssertionError("a call on a lost device did not raise")
try:
    await host.read_async(hc, 0, 16)
except RuntimeError as e:
    assert "device was lost" in str(e), str(e)
print("LOST-OK", host.lost)
'''

NO_WEBGPU = r'''
import js
from pyodide.code import run_js
from webtensor.backends.webgpu import host_browser
# this page has no --enable-unsafe-webgpu: no adapter (or no navigator.gpu at all)
try:
    await host_browser.Host.create()
except RuntimeError as e:
    assert "WebGPU is not available" in str(e), str(e)
    print("NO-ADAPTER-OK", e)
else:
    raise AssertionError("Host.create() without WebGPU did not raise")
run_js("Object.defineProperty(navigator, 'gpu', {value: undefined, configurable: true})")
try:
    await host_browser.Host.create()
except RuntimeError as e:
    assert "navigator.gpu is missing" in str(e), str(e)
    print("NO-NAVIGATOR-GPU-OK", e)
else:
    raise AssertionError("Host.create() without navigator.gpu did not raise")
'''

SYNC_CREATE = r'''
from webtensor.backends.webgpu import host_browser
assert host_browser.can_run_sync()
h = host_browser.Host.create_sync()
print("CREATE-SYNC-OK", h.info["adapter"])
orig = host_browser.can_run_sync
host_browser.can_run_sync = lambda: False
try:
    host_browser.Host.create_sync()
except RuntimeError as e:
    assert "await webtensor.webgpu.init()" in str(e), str(e)
    print("CREATE-SYNC-HINT-OK")
finally:
    host_browser.can_run_sync = orig
'''


def _run(browser, runner_url, code, timeout=300):
    page = browser.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    t0 = time.monotonic()
    try:
        page.goto(f"{runner_url}?{urllib.parse.urlencode({'code': code})}")
        page.wait_for_function("window.__runner && window.__runner.state !== 'running'",
                               timeout=timeout * 1000, polling=200)
        r = page.evaluate("window.__runner")
    finally:
        page.close()
    out = r["output"]
    print(out[-4000:])
    return r["exitCode"], out, time.monotonic() - t0


@pytest.fixture
def run_webgpu(webgpu_browser, runner_url, webtensor_wheel, prerequisite_missing):
    import zipfile

    names = zipfile.ZipFile(webtensor_wheel).namelist()
    for need in ("webtensor/webgpu_bridge/bridge.mjs",
                 "webtensor/backends/webgpu/host_browser.py"):
        if need not in names:
            prerequisite_missing(f"{webtensor_wheel.name} lacks {need} (rebuild the wheel)")
    return lambda code: _run(webgpu_browser, runner_url, code)


def test_wheel_ships_the_bridge(webtensor_wheel):
    import zipfile

    assert "webtensor/webgpu_bridge/bridge.mjs" in zipfile.ZipFile(webtensor_wheel).namelist()


def test_roundtrip_one_run_per_flush(run_webgpu):
    code, out, _ = run_webgpu(ROUNDTRIP)
    assert code == 0, out[-3000:]
    assert "INFO" in out and "ROUNDTRIP-OK" in out and "BATCH-OK" in out, out[-3000:]


def test_faults(run_webgpu):
    code, out, _ = run_webgpu(FAULTS)
    assert code == 0, out[-3000:]
    for marker in ("COMPILE-ERROR-OK", "NO-PARAMS-OK", "ENTRY-POINT-OK", "LATE-COMPILE-ERROR-OK", "NO-JSPI-READ-OK", "DISPATCH-VALIDATION-OK", "OOM-OK",
                   "OOM-SCOPE-OK", "USABLE-AFTER-ERRORS-OK", "LOST-OK"):
        assert marker in out, (marker, out[-3000:])


def test_create_sync_through_run_sync(run_webgpu):
    code, out, _ = run_webgpu(SYNC_CREATE)
    assert code == 0, out[-3000:]
    assert "CREATE-SYNC-OK" in out and "CREATE-SYNC-HINT-OK" in out, out[-3000:]


def test_no_webgpu_clear_error(browser, runner_url, run_webgpu):
    # `browser` is launched without --enable-unsafe-webgpu
    code, out, _ = _run(browser, runner_url, NO_WEBGPU)
    assert code == 0, out[-3000:]
    assert "NO-ADAPTER-OK" in out and "NO-NAVIGATOR-GPU-OK" in out, out[-3000:]


# The "webgpu" device end to end on the page: tensors moved there, elementwise ops on it (the
# same WGSL that tests/unit/webgpu runs on lavapipe), read back synchronously (JSPI) and with
# await, against the same ops on the CPU.
DEVICE = r'''
import math
import webtensor as torch
await torch.webgpu.init()
assert torch.webgpu.is_available()
g = torch.Generator().manual_seed(0)
x, y = torch.randn(3, 70, generator=g), torch.randn(70, generator=g)
gx, gy = x.to("webgpu"), y.to("webgpu")
assert gx.device == torch.device("webgpu") and "device='webgpu'" in repr(gx[:1, :2])
cases = {"mul_add": lambda a, b: a * 2.0 + b, "exp": lambda a, b: (a - b).exp(),
         "gelu": lambda a, b: torch.nn.functional.gelu(a), "where": lambda a, b: torch.where(a > b, a, b),
         "sigmoid_t": lambda a, b: a.t().sigmoid(), "div_": lambda a, b: a.clone().div_(b)}
for name, f in cases.items():
    want, got = f(x, y), f(gx, gy)
    assert got.device == torch.device("webgpu"), name
    w, s, a = want.tolist(), got.tolist(), await got.tolist_async()      # sync via JSPI, async
    flat = lambda v: [u for r in v for u in (r if isinstance(r, list) else [r])]
    for u, v, z in zip(flat(w), flat(s), flat(a)):
        assert v == z and (abs(u - v) <= 1e-5 * (1 + abs(u)) or u == v), (name, u, v)
    print("OP-OK", name)
assert (await gx.cpu_async()).tolist() == x.tolist()
assert gx.sum is not None
try:
    gx.to(torch.int64).sum()
except NotImplementedError as e:      # no int64 reduction kernel on webgpu: a clear error
    assert "reduce" in str(e) and "webgpu" in str(e), e
    print("NOT-IMPLEMENTED-OK")
# a captured graph: the bridge keeps its dispatches (createGraph), a replay is one call
from webtensor import graphs
w = torch.randn(70, 70, generator=g).to("webgpu")
gr = graphs.Graph()
with graphs.graph(gr, device="webgpu"):
    out = ((gy @ w).relu() * 2 + gy).softmax(-1)
for seed in (1, 2):
    y2 = torch.randn(70, generator=torch.Generator().manual_seed(seed))
    gy.copy_(y2)
    gr.replay()
    want = ((y2 @ w.cpu()).relu() * 2 + y2).softmax(-1)
    assert all(abs(u - v) <= 1e-5 for u, v in zip(want.tolist(), out.tolist())), seed
print("GRAPH-OK", gr.num_kernels)
gr.reset()
print("DEVICE-OK", torch.webgpu.adapter_info()["adapter"])
'''


def test_webgpu_device_on_a_page(run_webgpu):
    code, out, _ = run_webgpu(DEVICE)
    assert code == 0, out[-3000:]
    assert "DEVICE-OK" in out and out.count("OP-OK") == 6 and "NOT-IMPLEMENTED-OK" in out \
        and "GRAPH-OK" in out, \
        out[-3000:]


# float16 and subgroups on the page: the adapter's features pick the kernels (array<f16>
# `_f16` kernels with shader-f16, the subgroup GEMV with subgroups; Tint compiles them with
# `enable f16;` / `enable subgroups;`), results against the CPU.
F16_SUBGROUPS = r'''
import math, struct
import webtensor as torch
import webtensor.nn.functional as F
from webtensor.backends.webgpu import _host, matmul as MM
await torch.webgpu.init()
feats = sorted(_host.get().info["features"])
print("FEATURES", feats)
vals = [0.1, -3.3, 65519.99, 65520.0, 2.0 ** -24, 1.5 * 2.0 ** -24, 1e-40, math.inf,
        1.0 + 2.0 ** -11]
h = torch.tensor(vals).to("webgpu").half()
assert h.cpu().tolist() == torch.tensor(vals).half().tolist(), h.cpu().tolist()
g = torch.Generator().manual_seed(0)
x, w = torch.randn(1, 300, generator=g), torch.randn(40, 300, generator=g)
b = torch.randn(40, generator=g)
for half in (False, True):
    xs, ws, bs = (t.half() if half else t for t in (x, w, b))
    want = F.linear(xs.float(), ws.float(), bs.float())
    got = F.linear(xs.to("webgpu"), ws.to("webgpu"), bs.to("webgpu"))
    assert got.dtype is xs.dtype
    for u, v in zip(want.reshape(-1).tolist(), got.float().reshape(-1).tolist()):
        tol = 1e-3 + 2.0 ** -10 * abs(u) if half else 1e-4 * (1 + abs(u))
        assert abs(u - v) <= tol, (half, u, v)
ran = sorted(name for _, name in MM._PIPES)
print("RAN", ran)
want = {"matmul_gemv" + ("_sg" if "subgroups" in feats else "") + s
        for s in ("", "_f16" if "shader-f16" in feats else "")}
assert want <= set(ran), (want, ran)
print("F16-SG-OK")
'''


def test_float16_and_subgroup_kernels(run_webgpu):
    code, out, _ = run_webgpu(F16_SUBGROUPS)
    assert code == 0, out[-3000:]
    assert "F16-SG-OK" in out, out[-3000:]


# Faults at the tensor level on the page: an allocation past the adapter's limit, or one that
# WebGPU refuses (its error scope, reported at the next read), is torch.OutOfMemoryError and
# the device (and the tensors made before) stay usable; then the
# device is lost (the bridge's destroyDevice, reported through device.lost): every op, read
# (sync and async) and allocation raises a RuntimeError naming the loss, init() says why no new
# device is made, the CPU keeps working.
TENSOR_FAULTS = r'''
import asyncio
import webtensor as torch
from webtensor import webgpu
from webtensor.backends.webgpu import _host, host_browser
orig = host_browser.can_run_sync
host_browser.can_run_sync = lambda: False      # a page without JSPI, before init()
try:
    assert webgpu.is_available() is False and "init()" in webgpu.unavailable_reason()
finally:
    host_browser.can_run_sync = orig
await webgpu.init()                            # asking first did not spoil it
assert webgpu.is_available() is True
print("AVAILABLE-AFTER-INIT-OK")
x = torch.randn(5, 8)
model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.GELU(), torch.nn.Linear(16, 4))
want = model(x)
gmodel = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.GELU(), torch.nn.Linear(16, 4))
gmodel.load_state_dict(model.state_dict())
gmodel.to("webgpu")
gx = x.to("webgpu")
got = gmodel(gx)
assert torch.allclose(got.cpu(), want, atol=1e-5)

lim = webgpu.adapter_info()["limits"]
try:
    torch.empty(min(lim["maxBufferSize"], lim["maxStorageBufferBindingSize"]) // 4 + 1024,
                device="webgpu")
except torch.OutOfMemoryError as e:
    print("OOM-OK", e)
else:
    raise AssertionError("no OutOfMemoryError")
host = _host.get()
limit = lim["maxBufferSize"]
saved = dict(host.info["limits"])                       # Python's check bypassed: WebGPU
host.info["limits"].update(maxBufferSize=2 ** 62, maxStorageBufferBindingSize=2 ** 62)
big = torch.empty(limit // 4 + 1024, device="webgpu")  # refuses; the error scope reports it
host.info["limits"].update(saved)                       # at a read
try:
    got.tolist()
except torch.OutOfMemoryError as e:
    print("OOM-SCOPE-OK", str(e)[:160])
else:
    raise AssertionError("WebGPU's refusal was not reported")
del big
assert torch.allclose(gmodel(gx).cpu(), want, atol=1e-5) and torch.allclose(got.cpu(), want, atol=1e-5)
print("USABLE-AFTER-OOM-OK")

host._bridge.destroyDevice()
for _ in range(100):
    if host.lost is not None:
        break
    await asyncio.sleep(0.02)
assert host.lost is not None, "device.lost did not reach host.lost"

def raises(what, f):
    try:
        f()
    except RuntimeError as e:
        assert "WebGPU device was lost" in str(e), (what, e)
        print("RAISES", what, "|", str(e)[:160])
    else:
        raise AssertionError(f"{what}: no error after the device was lost")

raises("op", lambda: gx + 1)
raises("model", lambda: gmodel(gx))
raises("to_cpu", lambda: got.to("cpu"))
raises("item", lambda: got[0, 0].item())
raises("new_tensor", lambda: torch.ones(3, device="webgpu"))
raises("synchronize", webgpu.synchronize)
for what, coro in (("cpu_async", got.cpu_async), ("init", webgpu.init)):
    try:
        await coro()
    except RuntimeError as e:
        assert "WebGPU device was lost" in str(e), (what, e)
        print("RAISES", what, "|", str(e)[:200])
assert webgpu.is_available() is False
assert torch.allclose(model(x), want) and (torch.ones(2) + 1).tolist() == [2.0, 2.0]
print("LOST-TENSORS-OK")
'''


def test_tensor_faults_on_a_page(run_webgpu):
    code, out, _ = run_webgpu(TENSOR_FAULTS)
    assert code == 0, out[-3000:]
    for marker in ("AVAILABLE-AFTER-INIT-OK", "OOM-OK", "OOM-SCOPE-OK", "USABLE-AFTER-OOM-OK",
                   "LOST-TENSORS-OK"):
        assert marker in out, (marker, out[-3000:])
    assert out.count("RAISES") == 8 and "reload the page" in out, out[-3000:]


# install_as_torch(cuda="webgpu") on the page: the same unchanged script as the CPython test
# (tests/unit/webgpu/test_cuda_alias.py) lands on WebGPU, and matches the CPU.
CUDA_ALIAS = r'''
import json, runpy, sys
import webtensor
webtensor.install_as_torch(cuda="webgpu")
open("/tmp/script.py", "w").write(SCRIPT)
runpy.run_path("/tmp/script.py", run_name="__main__")
import torch
torch.cuda.is_available = lambda: False       # the same script on the CPU: the reference
runpy.run_path("/tmp/script.py", run_name="__main__")
'''


def test_cuda_alias_on_a_page(run_webgpu, repo):
    SCRIPT = (repo / "tests" / "unit" / "webgpu" / "cuda_script.py").read_text()
    code, out, _ = run_webgpu(f"SCRIPT = {SCRIPT!r}\n" + CUDA_ALIAS)
    assert code == 0, out[-3000:]
    import json
    on = [json.loads(line[3:]) for line in out.splitlines() if line.startswith("ON ")]
    outs = [json.loads(line[4:]) for line in out.splitlines() if line.startswith("OUT ")]
    assert on == [["cuda", "cuda", "cuda:0", True, "cuda:0"], ["cpu", "cpu", "cpu", False, "cpu"]], on
    assert "GPU 1 0 " in out, out[-2000:]
    for rg, rc in zip(*outs):
        assert all(abs(a - b) <= 1e-5 * (1 + abs(b)) for a, b in zip(rg, rc)), (rg, rc)
