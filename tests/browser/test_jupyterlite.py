"""The JupyterLite site (scripts/build_jupyterlite.py) in headless Chromium: each example
notebook of notebooks/ opened in one JupyterLab page (the notebooks share one Pyodide kernel),
all its cells run, webtensor installed by the notebook's own cell (`%pip install webtensor`
through piplite, or `await micropip.install("webtensor")` from the site's Pyodide lock), its
outputs checked against numpy, webtensor on CPython and the golden files, and no request
leaving 127.0.0.1. A screenshot of each run notebook goes to build/screenshots/."""
import json
import time

import numpy as np
import pytest

# JS: open a notebook in the JupyterLab page (on the kernel `kernelId` if given, else a new
# one), make it window.__nb, wait until its kernel is idle -> the kernel's id.
_OPEN = """async ([path, kernelId]) => {
  const app = window.jupyterapp;
  const nb = await app.commands.execute("docmanager:open",
    {path, factory: "Notebook", kernel: kernelId ? {id: kernelId} : {name: "python"}});
  window.__nb = nb;
  await nb.context.ready;
  await nb.sessionContext.ready;
  app.shell.activateById(nb.id);
  app.shell.collapseLeft();      // the notebook at full width (for the screenshots)
  while (nb.sessionContext.session.kernel.status !== "idle") {
    await new Promise((r) => setTimeout(r, 200));
  }
  return nb.sessionContext.session.kernel.id;
}"""
# JS: run all cells of window.__nb -> its cells as nbformat JSON.
_RUN_ALL = """async () => {
  const app = window.jupyterapp, nb = window.__nb;
  await app.commands.execute("notebook:run-all-cells");
  while (nb.sessionContext.session.kernel.status !== "idle") {
    await new Promise((r) => setTimeout(r, 200));
  }
  const m = nb.content.model;
  return [...Array(m.cells.length).keys()].map((i) => m.cells.get(i).toJSON());
}"""
# JS: run code in window.__nb's kernel -> its stdout (plus "ERROR name: value" on an error).
_KERNEL_EVAL = """async (code) => {
  const kernel = window.__nb.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, store_history: false});
  let out = "";
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === "stream") out += msg.content.text;
    if (msg.header.msg_type === "error") out += `ERROR ${msg.content.ename}: ${msg.content.evalue}`;
  };
  await future.done;
  return out;
}"""
# Python: forget the installed webtensor, so the next notebook's own install cell installs it.
_UNINSTALL = """import sys, micropip
micropip.uninstall("webtensor")
for m in [m for m in sys.modules if m == "webtensor" or m.startswith("webtensor.")]:
    del sys.modules[m]
try:
    import webtensor
except ImportError:
    print("uninstalled")"""


@pytest.fixture(scope="module")
def lab(recording_context, jupyterlite_url):
    """One JupyterLab page whose notebooks share one Pyodide kernel (a kernel starts in 15-60 s:
    ipython and its friends install into a fresh Pyodide)."""
    page = recording_context.context.new_page()
    page.on("pageerror", lambda e: print(f"pageerror: {e}"))
    page.goto(f"{jupyterlite_url}lab/index.html")
    page.wait_for_function("window.jupyterapp?.started !== undefined", timeout=120_000)
    page.evaluate("() => window.jupyterapp.started")
    page.kernel_id = None
    yield page
    page.close()


@pytest.fixture
def notebook(lab, recording_context, jupyterlite_url, save_screenshot, webtensor_wheel):
    """run(name) -> (page, code cells): notebooks/<name>.ipynb opened in `lab` and all its cells
    run (webtensor uninstalled first, so its install cell really installs it); no cell may
    fail, webtensor must import from the site's wheel, and no request may have left
    127.0.0.1."""

    def run(name):
        t0 = time.monotonic()
        if lab.kernel_id:
            assert lab.evaluate(_KERNEL_EVAL, _UNINSTALL) == "uninstalled\n"
        lab.kernel_id = lab.evaluate(_OPEN, [f"{name}.ipynb", lab.kernel_id])
        t_kernel = time.monotonic() - t0
        cells = lab.evaluate(_RUN_ALL)
        print(f"{name}.ipynb: kernel ready {t_kernel:.1f} s, cells run "
              f"{time.monotonic() - t0 - t_kernel:.1f} s")
        save_screenshot(lab, f"jupyterlite-{name}")
        errors = [o for c in cells for o in c.get("outputs", []) if o["output_type"] == "error"]
        assert not errors, "\n".join(f"{e['ename']}: {e['evalue']}\n" + "\n".join(
            e["traceback"][-5:]) for e in errors)
        code = [c for c in cells if c["cell_type"] == "code"]
        assert all(c["execution_count"] for c in code), [c["execution_count"] for c in code]
        check_installed(lab, webtensor_wheel)
        assert recording_context.requests
        assert not recording_context.leaving(jupyterlite_url)
        return lab, code

    return run


def kernel_json(page, expr):
    out = page.evaluate(_KERNEL_EVAL, f"import json; print(json.dumps({expr}))")
    assert not out.startswith("ERROR"), out
    return json.loads(out)


def text_of(cell):
    """A cell's stream text and text/plain results, concatenated."""
    parts = []
    for o in cell["outputs"]:
        if o["output_type"] == "stream":
            parts.append(o["text"])
        elif "data" in o:
            parts.append(o["data"].get("text/plain", ""))
    return "".join(parts)


def check_installed(page, wheel):
    """webtensor imports in the kernel, from the site's wheel, with its WASM kernels."""
    version, backend = kernel_json(page, "[__import__('importlib.metadata').metadata.version("
                                   "'webtensor'), __import__('webtensor').backends.get_backend()]")
    assert version == wheel.name.split("-")[1]
    assert backend == "wasm"


def test_quickstart_notebook(notebook, recording_context):
    page, cells = notebook("quickstart")
    # the recorder sees what the kernel's worker fetches (so "nothing left 127.0.0.1" means it)
    out = page.evaluate(_KERNEL_EVAL, "import js\ntry:\n    await js.fetch('http://example.invalid/probe')\nexcept Exception:\n    pass")
    probe = "http://example.invalid/probe"
    assert probe in recording_context.requests, out
    recording_context.requests[:] = [u for u in recording_context.requests if u != probe]

    assert "%pip install webtensor" in "".join(cells[0]["source"])
    a = np.array([[1, 2, 3], [4, 5, 6]], np.float32)
    b = np.array([[0.1, -0.2, 0.0], [0.3, 0.0, -0.1], [-0.2, 0.4, 0.1]], np.float32)
    c, p, grad = kernel_json(page, "[c.tolist(), p.tolist(), x.grad.tolist()]")
    np.testing.assert_allclose(c, a @ b, rtol=1e-6, atol=1e-6)
    e = np.exp((a @ b).astype(np.float64))
    np.testing.assert_allclose(p, e / e.sum(-1, keepdims=True), rtol=1e-5)
    assert grad == [3.0, 12.0, 27.0]
    shown = text_of(cells[1])
    assert "backend: wasm" in shown and shown.count("tensor(") == 1, shown
    assert text_of(cells[2]).startswith("tensor([ 3., 12., 27.])"), text_of(cells[2])


def test_similarity_notebook(notebook, repo):
    page, cells = notebook("similarity")
    assert "await micropip.install(\"webtensor\")" in "".join(cells[0]["source"])
    sentences, sim, scores, ranking = kernel_json(
        page, "[sentences, sim.tolist(), scores.tolist(), ranking]")
    # the oracle: the same encoder on CPython (checked against sentence-transformers in
    # tests/models/vs_torch)
    from webtensor.models.sentence import SentenceEncoder

    model_dir = repo / ".cache" / "models" / "all-MiniLM-L6-v2"
    files = {n: (model_dir / n).read_bytes() for n in (
        "config.json", "model.safetensors", "tokenizer.json", "1_Pooling/config.json",
        "sentence_bert_config.json")}
    enc = SentenceEncoder.from_pretrained(files)
    emb = np.array(enc.encode(sentences).tolist())
    q = np.array(enc.encode(["Who is making music?"]).tolist())[0]
    np.testing.assert_allclose(sim, emb @ emb.T, atol=1e-4)
    np.testing.assert_allclose(scores, emb @ q, atol=1e-4)
    assert ranking == list(np.argsort(-(emb @ q)))
    # and it means something: the music sentences rank first, the pairs match each other
    assert set(ranking[:2]) == {0, 1}
    assert sim[0][1] > max(sim[0][2], sim[0][3]) and sim[2][3] > max(sim[2][0], sim[2][1])
    table = text_of(cells[2]).splitlines()
    assert [r[:38].rstrip() for r in table] == sentences


def test_chat_notebook(notebook, repo):
    page, cells = notebook("chat")
    golden = json.loads((repo / "tests/golden/models/smollm2.json").read_text())["prompts"][0]
    assert golden["text"] == "What is the capital of France?"   # the notebook's question
    reply = kernel_json(page, "reply")
    assert reply == golden["greedy"][:len(reply)] and len(reply) == 8, (reply, golden["greedy"])
    assert text_of(cells[2]) == golden["greedy_text"] + "\n"


def test_train_digits_notebook(notebook):
    page, cells = notebook("train_digits")
    acc = kernel_json(page, "accuracy()")
    before = text_of(cells[2])
    log = text_of(cells[3]).splitlines()
    print(before.strip(), *log, sep="\n  ")
    assert float(before.split(": ")[1].split("%")[0]) < 40, before   # an untrained CNN
    assert len(log) == 2 and log[-1].startswith("epoch 2:")
    assert acc >= 0.8, f"held-out accuracy {acc:.3f} after 2 epochs"
    assert f"{acc:.1%}" in log[-1]
