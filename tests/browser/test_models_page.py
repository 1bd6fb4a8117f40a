"""The models demo page (demo_site/models.html) in headless Chromium: the digits CNN, MiniLM
and SmolLM2 run on the page's main thread, checked against golden outputs made on CPython
(tests/golden/models; the same files the models tier checks in Pyodide/Node) -- on the CPU
(the default) and on WebGPU (?device=webgpu, SwiftShader's adapter under
--enable-unsafe-webgpu), with the same checks."""
import json
import math
import time

# Python run on the loaded page (its globals: embed, llm, generate, torch, device, ...) with
# JSON in/out; entered through runPythonAsync so WebGPU tensors read back synchronously (JSPI).
_RUN = """async ([code, arg]) => {
  const py = window.pyodide;
  py.globals.set("_arg", JSON.stringify(arg));
  return JSON.parse(await py.runPythonAsync(code));
}"""


def _golden(repo, name):
    return json.loads((repo / "tests" / "golden" / "models" / name).read_text())


def _cos(a, b):
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) *
                                                         sum(y * y for y in b))


def _open(browser_or_page, site_tools, demo_url, query=""):
    page = getattr(browser_or_page, "new_page", lambda: browser_or_page)()
    t0 = time.monotonic()
    out = site_tools.run_page(page, demo_url, "models.html" + query, timeout_s=900)
    print(f"models.html{query}: {out['status']} in {time.monotonic() - t0:.1f} s")
    r = out["result"] or {}
    if r.get("smollm2"):
        print(f"  digits {r['digits']['ms']:.0f} ms; MiniLM encode {r['minilm']['encode_ms']:.0f} "
              f"ms; SmolLM2 prefill {r['smollm2']['prefill_ms']:.0f} ms, "
              f"{r['smollm2']['decode_tokens_per_s']:.2f} tokens/s")
    assert out["status"] == "done", f"{out['status']}\n{out['error']}\n" + \
        "\n".join(out["console"][-20:])
    return page, out["result"]


def _check_models(page, r, repo, extra_prompts=None, new_tokens=None):
    """The page's three models against the goldens: the same digits predictions, MiniLM
    embeddings at cosine >= 0.9999, SmolLM2's greedy ids (the page's own question, then the
    golden's other prompts on the loaded model: `extra_prompts` of them and the first
    `new_tokens` ids of each if given, else all)."""
    digits = _golden(repo, "digits.json")
    assert r["digits"]["predictions"] == digits["predictions"]
    assert abs(r["digits"]["accuracy"] - digits["test_accuracy"]) < 1e-6

    minilm = _golden(repo, "minilm.json")
    emb = page.evaluate(_RUN, ["import json; json.dumps(embed(json.loads(_arg)).tolist())",
                               minilm["sentences"]])
    cos = [_cos(a, b) for a, b in zip(emb, minilm["embeddings"])]
    assert len(cos) == len(minilm["sentences"]) and min(cos) >= 0.9999, cos

    smol = _golden(repo, "smollm2.json")
    p = smol["prompts"][0]
    assert p["text"] == "What is the capital of France?"  # the page's own question
    assert r["smollm2"]["prompt_tokens"] == len(p["ids"])
    assert r["smollm2"]["new_ids"][:len(p["greedy"])] == p["greedy"]
    n = smol["new_tokens"] if new_tokens is None else new_tokens
    for p in smol["prompts"][1:][:extra_prompts]:
        t0 = time.monotonic()
        got = page.evaluate(_RUN, [
            "import json; a = json.loads(_arg); json.dumps(generate.generate(llm, "
            "torch.tensor([a[0]], device=device), a[1], eos_token_id=a[2]))",
            [p["ids"], n, smol["config"]["eos_token_id"]]])
        print(f"  SmolLM2 {p['text']!r}: {time.monotonic() - t0:.1f} s")
        assert got == p["greedy"][:n], p["text"]


def test_models_page(demo_page, demo_url, repo, site_tools, screenshot):
    page, r = _open(demo_page, site_tools, demo_url)
    assert r["device"] == "cpu" and r["adapter"] is None
    _check_models(page, r, repo)
    screenshot(page, "models")


def test_models_page_on_webgpu(webgpu_browser, demo_url, repo, site_tools):
    page, r = _open(webgpu_browser, site_tools, demo_url, "?device=webgpu")
    try:
        assert r["requested_device"] == "webgpu"
        assert r["device"] == "webgpu", r.get("webgpu_error")
        assert r["adapter"]["name"], r["adapter"]
        assert page.text_content("#adapter").startswith(r["adapter"]["name"])
        assert page.text_content("#device-used") == "webgpu"
        assert page.eval_on_selector("#device", "e => e.value") == "webgpu"
        print("adapter:", r["adapter"])
        # SwiftShader runs SmolLM2 at ~0.1 token/s (a 16-token prompt of the golden took 200 s):
        # the page's own question only (its 8 golden ids; generate() captures the decode step
        # and replays it: the graph path on the page); the other prompts run on the CPU page.
        _check_models(page, r, repo, extra_prompts=0)
    finally:
        page.close()


def test_models_page_without_webgpu(browser, demo_url, site_tools):
    """?device=webgpu in a browser without WebGPU: a clear note, and the models run on the CPU
    (only the page's load is checked here; test_models_page checks the CPU numbers)."""
    page, r = _open(browser, site_tools, demo_url, "?device=webgpu")
    try:
        assert r["device"] == "cpu" and r["adapter"] is None
        note = page.text_content("#device-note")
        assert "WebGPU is not available in this browser: running on the CPU" in note, note
        assert page.is_visible("#device-note")
    finally:
        page.close()
