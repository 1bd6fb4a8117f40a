"""The digits page (demo_site/digits.html): the CNN in a Web Worker reads a held-out test digit
and a digit drawn with the mouse; its class probabilities (and the bar chart) against the same
model file under real torch on CPython with the same weights."""
import importlib.util
import json

import numpy as np
import pytest


@pytest.fixture(scope="module")
def torch_cnn(repo):
    """digits_cnn.py imported with real torch, with the wheel's weights -> pixels -> probs."""
    import torch
    from safetensors.torch import load_file
    spec = importlib.util.spec_from_file_location(
        "digits_cnn_torch", repo / "pyodide_pkg" / "webtensor" / "models" / "digits_cnn.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    model = mod.DigitsCNN()
    model.load_state_dict(load_file(mod.WEIGHTS))
    model.eval()
    return lambda pixels: mod.predict(model, mod.to_images(torch.tensor([pixels])))[1][0].numpy()


def _state(page):
    page.wait_for_selector("#status[data-state=done], #status[data-state=error]",
                           state="attached", timeout=120_000)
    assert page.get_attribute("#status", "data-state") == "done", page.text_content("#error")
    return json.loads(page.text_content("#result-json"))


def _check(page, r, torch_cnn):
    want = torch_cnn(r["pixels"])
    np.testing.assert_allclose(r["probs"], want, rtol=1e-4, atol=1e-6)
    assert r["prediction"] == int(want.argmax())
    bars = page.eval_on_selector_all("#bars g.bar", "gs => gs.map(g => +g.dataset.value)")
    np.testing.assert_allclose(bars, want, rtol=1e-4, atol=1e-6)


def test_digits_page(demo_page, demo_url, repo, site_tools, torch_cnn, screenshot):
    golden = json.loads((repo / "tests" / "golden" / "models" / "digits.json").read_text())
    page = demo_page
    out = site_tools.run_page(page, demo_url, "digits.html", timeout_s=300)
    assert out["status"] == "done", f"{out['status']}\n{out['error']}"
    r = out["result"]          # the page opens on the first held-out test digit
    assert r["thread"] == "worker"
    assert r["pixels"] == [int(c, 17) for c in golden["pixels"][0]]
    assert r["prediction"] == golden["predictions"][0]
    _check(page, r, torch_cnn)
    page.click("#sample")
    r = _state(page)
    assert r["runs"] == 2 and r["prediction"] == golden["predictions"][1]
    _check(page, r, torch_cnn)
    screenshot(page, "digits-sample")

    # draw a "1": clear, then one vertical stroke down the middle of the pad
    page.click("#clear")
    assert _state(page)["runs"] == 3
    box = page.locator("#pad").bounding_box()
    x = box["x"] + box["width"] * 0.55
    page.mouse.move(x, box["y"] + box["height"] * 0.1)
    page.mouse.down()
    for k in range(1, 17):
        page.mouse.move(x, box["y"] + box["height"] * (0.1 + 0.8 * k / 16))
    page.mouse.up()
    r = _state(page)
    assert r["runs"] == 4 and sum(r["pixels"]) > 0
    _check(page, r, torch_cnn)
    print("drawn digit read as", r["prediction"], f"({max(r['probs']):.2f})")
    assert r["prediction"] == 1
    screenshot(page, "digits-drawn")
