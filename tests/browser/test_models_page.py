"""The models demo page (demo_site/models.html) in headless Chromium: the digits CNN, MiniLM
and SmolLM2 run on the page's main thread, checked against golden outputs made on CPython
(tests/golden/models; the same files the models tier checks in Pyodide/Node)."""
import json
import math

# Python run on the loaded page (its globals: encoder, llm, generate, ...) with JSON in/out
_RUN = """([code, arg]) => {
  const py = window.pyodide;
  py.globals.set("_arg", JSON.stringify(arg));
  return JSON.parse(py.runPython(code));
}"""


def _golden(repo, name):
    return json.loads((repo / "tests" / "golden" / "models" / name).read_text())


def _cos(a, b):
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) *
                                                         sum(y * y for y in b))


def test_models_page(browser, demo_url, repo, site_tools):
    page = browser.new_page()
    try:
        out = site_tools.run_page(page, demo_url, "models.html", timeout_s=900)
        assert out["status"] == "done", f"{out['status']}\n{out['error']}\n" + \
            "\n".join(out["console"][-20:])
        r = out["result"]

        digits = _golden(repo, "digits.json")
        assert r["digits"]["predictions"] == digits["predictions"]
        assert abs(r["digits"]["accuracy"] - digits["test_accuracy"]) < 1e-6

        minilm = _golden(repo, "minilm.json")
        emb = page.evaluate(_RUN, ["import json; json.dumps(encoder.encode("
                                   "json.loads(_arg)).tolist())", minilm["sentences"]])
        cos = [_cos(a, b) for a, b in zip(emb, minilm["embeddings"])]
        assert len(cos) == len(minilm["sentences"]) and min(cos) >= 0.9999, cos

        smol = _golden(repo, "smollm2.json")
        p = smol["prompts"][0]
        assert p["text"] == "What is the capital of France?"  # the page's own question
        assert r["smollm2"]["prompt_tokens"] == len(p["ids"])
        assert r["smollm2"]["new_ids"][:len(p["greedy"])] == p["greedy"]
        for p in smol["prompts"][1:]:
            got = page.evaluate(_RUN, [
                "import json; a = json.loads(_arg); json.dumps(generate.generate(llm, a[0], a[1], "
                "eos_token_id=a[2]))", [p["ids"], smol["new_tokens"],
                                        smol["config"]["eos_token_id"]]])
            assert got == p["greedy"], p["text"]
    finally:
        page.close()
