"""scripts/serve.py: 127.0.0.1 only, and the MIME types Pyodide needs (application/wasm is
required for streaming compilation)."""
import urllib.request


def test_mime_types(site_tools, tmp_path):
    files = {"a.mjs": "text/javascript", "a.js": "text/javascript", "a.wasm": "application/wasm",
             "webtensor-0-py3-none-any.whl": "application/octet-stream",
             "a.json": "application/json", "index.html": "text/html"}
    for name in files:
        (tmp_path / name).write_bytes(b"x")
    server, url = site_tools.start_server(tmp_path)
    try:
        assert url.startswith("http://127.0.0.1:")
        for name, mime in files.items():
            with urllib.request.urlopen(url + name) as r:
                assert r.headers.get_content_type() == mime, name
    finally:
        server.shutdown()


# (--no-csp: the fake pages use inline scripts; test_csp_pages.py checks the real ones under it)
# A site of two pages speaking the demo pages' protocol (#status data-state, #result-json): the
# "models" page asks the browser for a WebGPU adapter when ?device=webgpu, as the real one does
# (test_models_page runs the real one; this checks what serve.py --headless prints about it).
_INDEX = """<span id="status" data-state="done">done</span><pre id="result-json">
{"backend": "wasm", "isa": "simd128"}</pre><pre id="error"></pre>"""
_MODELS = """<span id="status" data-state="loading">loading</span>
<pre id="result-json"></pre><pre id="error"></pre>
<script type="module">
const requested = new URLSearchParams(location.search).get("device") === "webgpu" ? "webgpu" : "cpu";
const result = {requested_device: requested, device: "cpu", adapter: null, digits: {accuracy: 1}};
if (requested === "webgpu") {
  const a = navigator.gpu ? await navigator.gpu.requestAdapter() : null;
  if (a) {
    result.device = "webgpu";
    result.adapter = {name: `${a.info.vendor} ${a.info.architecture}`.trim(),
                      backend: "browser WebGPU", fallback: Boolean(a.info.isFallbackAdapter)};
  } else {
    result.webgpu_error = "no adapter";
  }
}
document.getElementById("result-json").textContent = JSON.stringify(result);
const st = document.getElementById("status");
st.dataset.state = "done";
st.textContent = "done";
</script>"""


def test_headless_prints_device_and_adapter(playwright_session, site_tools, tmp_path, repo):
    import subprocess
    import sys
    (tmp_path / "index.html").write_text(_INDEX)
    (tmp_path / "models.html").write_text(_MODELS)
    r = subprocess.run([sys.executable, str(repo / "scripts" / "serve.py"), str(tmp_path),
                        "--headless", "--timeout", "60", "--no-csp"],
                       capture_output=True, text=True, timeout=180)
    print(r.stdout)
    assert r.returncode == 0, r.stdout + r.stderr
    blocks = r.stdout.split("\nmodels.html")
    assert blocks[1].startswith(": done") and "ran on             device cpu\n" in blocks[1]
    gpu = blocks[2]
    assert gpu.startswith("?device=webgpu: done"), r.stdout
    line = next(x for x in gpu.splitlines() if x.startswith("  ran on "))
    assert line.startswith("  ran on             device webgpu, adapter '") and \
        "'' " not in line, line                      # a named adapter (SwiftShader here)
    assert '"accuracy": 1' in gpu
    # a page that fell back to the CPU says why
    fell = site_tools.ran_on({"requested_device": "webgpu", "device": "cpu", "adapter": None,
                              "webgpu_error": "WebGPU is not available here: no adapter"})
    assert fell == ("device cpu (WebGPU was asked for: WebGPU is not available here: "
                    "no adapter)"), fell
