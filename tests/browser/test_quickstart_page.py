"""The landing page's live quickstart (demo_site/index.html) in headless Chromium, checked
against numpy."""
import ast

import numpy as np


def quickstart_inputs(repo):
    """The literal inputs of demo_site/quickstart.py (`a = torch.tensor([...])`, `b = ...`)."""
    found = {}
    for node in ast.parse((repo / "demo_site" / "quickstart.py").read_text()).body:
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "attr", None) == "tensor"):
            found[node.targets[0].id] = ast.literal_eval(node.value.args[0])
    return np.array(found["a"], np.float32), np.array(found["b"], np.float32)


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_quickstart_page(demo_page, demo_url, repo, site_tools, screenshot):
    page = demo_page
    out = site_tools.run_page(page, demo_url, "index.html", timeout_s=300)
    shown = {k: page.inner_text(f"#{k}") for k in ("matmul", "softmax", "backend", "isa")}
    screenshot(page, "index")
    print(out["status"], out["result"])
    assert out["status"] == "done", f"{out['status']}\n{out['error']}"

    a, b = quickstart_inputs(repo)
    r = out["result"]
    want_mm = a @ b
    np.testing.assert_allclose(np.array(r["matmul"]), want_mm, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.array(r["softmax"]), softmax(want_mm.astype(np.float64)),
                               rtol=1e-5, atol=1e-6)
    assert all(v not in ("", "–") for v in shown.values()), shown

    wasm_expected = ((repo / "pyodide_pkg/webtensor/backends/wasm").is_dir()
                     and (repo / "scripts/build_kernels.py").exists())
    if wasm_expected:
        assert r["backend"] == "wasm", r
    else:
        assert r["backend"] in ("wasm", "reference"), r
    assert r["wasm_features"]["simd128"] is True
    assert r["compute_ms"] >= 0 and r["timings"]["load_ms"] > 0
    for stage in ("pyodide", "install"):           # the progress bars ended full
        bar = page.locator(f".bar[data-stage={stage}]")
        assert bar.get_attribute("data-done") == bar.get_attribute("data-total") != "0", stage
