"""The sentence-similarity page (demo_site/similarity.html): MiniLM in a Web Worker, the
similarity matrix of the sentences typed into the page, against the golden embeddings made
with sentence-transformers on CPython (tests/golden/models/minilm.json); and a second visit,
which takes the weights from the Cache API."""
import json

import numpy as np


def test_similarity_page(demo_page, demo_url, demo_requests, repo, site_tools, screenshot):
    golden = json.loads((repo / "tests" / "golden" / "models" / "minilm.json").read_text())
    # the golden sentences a textarea line can hold (one has newlines and edge whitespace)
    keep = [i for i, s in enumerate(golden["sentences"]) if s == s.strip() and "\n" not in s]
    sentences = [golden["sentences"][i] for i in keep]
    emb = np.array([golden["embeddings"][i] for i in keep], np.float64)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    want = emb @ emb.T
    assert len(sentences) >= 4
    page = demo_page
    first = len(demo_requests)
    out = site_tools.run_page(page, demo_url, "similarity.html", timeout_s=300)
    assert out["status"] == "done", f"{out['status']}\n{out['error']}"
    assert out["result"]["runs"] == 1 and len(out["result"]["similarity"]) == 5
    check_weights_fetched(page, demo_url, demo_requests[first:])
    page.fill("#sentences", "\n".join(sentences))
    page.click("#compare")
    page.wait_for_selector("#status[data-state=done], #status[data-state=error]",
                           state="attached", timeout=120_000)
    r = json.loads(page.text_content("#result-json"))
    assert r["runs"] == 2 and r["thread"] == "worker", r
    assert r["sentences"] == sentences
    np.testing.assert_allclose(np.array(r["similarity"]), want, atol=2e-4)
    # the heatmap shows the same numbers, one cell per pair
    cells = page.eval_on_selector_all(
        "#heatmap g.cell", "gs => gs.map(g => [+g.dataset.i, +g.dataset.j, "
                           "g.querySelector('text').textContent])")
    assert len(cells) == len(want) ** 2
    for i, j, text in cells:
        assert abs(float(text) - want[i][j]) <= 0.0051, (i, j, text)
    screenshot(page, "similarity")
    second_visit_downloads_no_weights(page.context, demo_url, demo_requests, site_tools,
                                      out["result"]["similarity"])


WEIGHTS = "models/all-MiniLM-L6-v2/model.safetensors"


def check_weights_fetched(page, demo_url, requests):
    """A first visit: the worker downloaded the weights (the server and the 127.0.0.1-only
    route both saw it), and the progress bar says so."""
    assert "/" + WEIGHTS in requests, requests
    assert demo_url + WEIGHTS in page.requested
    assert page.locator(".bar[data-stage=weights]").get_attribute("data-cached") == "false"


def second_visit_downloads_no_weights(context, demo_url, demo_requests, site_tools, sim):
    """The weights went into the Cache API on the first visit: a second visit (same browser
    profile) asks the server for no file of models/, and says so on its progress bar."""
    again = context.new_page()
    second = len(demo_requests)
    out = site_tools.run_page(again, demo_url, "similarity.html", timeout_s=300)
    assert out["status"] == "done", out["error"]
    assert [p for p in demo_requests[second:] if p.startswith("/models/")] == []
    assert out["result"]["similarity"] == sim
    bar = again.locator(".bar[data-stage=weights]")
    assert bar.get_attribute("data-cached") == "true"
    assert "from this browser's cache" in bar.text_content()
    assert int(bar.get_attribute("data-total")) > 80e6       # all of MiniLM's files

