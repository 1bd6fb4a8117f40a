"""demo_site/pyscript.html in headless Chromium: @pyscript/core (npm, served by the site) runs a
`<script type="py">` whose config installs the site's webtensor wheel; the digits CNN's answers
it writes into the page are checked against the golden predictions made by torch on CPython
(tests/golden/models/digits.json), and no request may leave 127.0.0.1."""
import json
import re
import time


def test_pyscript_page(recording_context, demo_url, site_tools, repo, webtensor_wheel,
                       save_screenshot):
    html = (repo / "demo_site" / "pyscript.html").read_text()
    wheels = re.findall(r"\./wheels/(webtensor-[^\"']+\.whl)", html)
    assert wheels == [webtensor_wheel.name], \
        f"pyscript.html's config names {wheels}; the built wheel is {webtensor_wheel.name}"

    page = recording_context.context.new_page()
    try:
        t0 = time.monotonic()
        out = site_tools.run_page(page, demo_url, "pyscript.html", timeout_s=240)
        print(f"pyscript.html: {out['status']} in {time.monotonic() - t0:.1f} s")
        save_screenshot(page, "pyscript")
        assert out["status"] == "done", f"{out['error']}\n" + "\n".join(out["console"][-20:])
        shown = {k: page.inner_text(f"#{k}") for k in ("accuracy", "backend")}
        figures = page.eval_on_selector_all("#digits figure", "fs => fs.map(f => [+f.dataset"
                                            ".index, +f.dataset.pred, f.className, f.innerText])")
        code = page.inner_text("#code")
    finally:
        page.close()

    golden = json.loads((repo / "tests" / "golden" / "models" / "digits.json").read_text())
    r = out["result"]
    assert r["predictions"] == golden["predictions"]
    assert abs(r["accuracy"] - golden["test_accuracy"]) < 1e-6
    assert r["backend"] == "wasm" and shown["backend"] == "wasm"
    assert shown["accuracy"] == f"{golden['test_accuracy']:.1%} of {golden['n_test']} digits"
    # the first 24 digits, then each one the CNN gets wrong, captioned with its answer
    pred, labels = golden["predictions"], golden["labels"]
    wrong = [i for i in range(24, len(pred)) if pred[i] != labels[i]]
    assert wrong and [i for i, *_ in figures] == [*range(24), *wrong]
    for i, p, cls, text in figures:
        assert p == pred[i] and text.startswith(str(p)), (i, p, text)
        assert (cls == "wrong") == (p != labels[i]) == (f"(is {labels[i]})" in text), (i, text)
    assert code.startswith("<script type=\"py\" config=") and "await main()" in code
    assert recording_context.requests and not recording_context.leaving(demo_url)
