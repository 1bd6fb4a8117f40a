#!/usr/bin/env python3
"""Run one of the training examples inside Pyodide on a headless Chromium page's main thread
(`webtensor.install_as_torch()`, then the script's main), printing its output as it comes.

    python examples/run_in_chromium.py train_char_gpt [-- --steps 300]

Uses what the Chromium test tier uses (tests/browser/runner.html, the Pyodide test dist,
dist/webtensor-*.whl: `scripts/test` builds them); the repo files an example reads travel in
the page's tests.zip at their repo-relative paths.
"""
import argparse
import importlib.util
import io
import json
import sys
import urllib.parse
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READS = {   # what each example reads besides itself
    "train_digits": ["tests/golden/training", "tests/golden/models/digits.json",
                     "pyodide_pkg/webtensor/models/digits_cnn.py"],
    "train_char_gpt": ["tests/golden/training/char_corpus.txt"],
    "finetune_minilm_head": [f".cache/models/all-MiniLM-L6-v2/{f}" for f in (
        "config.json", "model.safetensors", "tokenizer.json", "1_Pooling/config.json",
        "sentence_bert_config.json")],
}
CODE = """
import importlib.util, webtensor
webtensor.install_as_torch()
spec = importlib.util.spec_from_file_location("example", "examples/{name}.py")
example = importlib.util.module_from_spec(spec)
spec.loader.exec_module(example)
example.main({argv!r})
"""


def _script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _zip(paths):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for rel in paths:
            src = ROOT / rel
            for f in [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file()):
                z.write(f, f.relative_to(ROOT).as_posix())
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("example", choices=sorted(READS))
    ap.add_argument("args", nargs=argparse.REMAINDER, help="the example's own arguments")
    a = ap.parse_args()
    argv = [x for x in a.args if x != "--"]
    from playwright.sync_api import sync_playwright
    serve, assemble = _script("serve"), _script("assemble_site")
    wheels = sorted((ROOT / "dist").glob("webtensor-*-py3-none-any.whl"),
                    key=lambda p: p.stat().st_mtime)
    if not wheels:
        sys.exit("no dist/webtensor-*.whl: run scripts/test (or python -m build --wheel)")
    extra = {"runner.html": ROOT / "tests" / "browser" / "runner.html",
             "tests.zip": _zip([f"examples/{a.example}.py", *READS[a.example]])}
    site = assemble.assemble(ROOT / "build" / "examples-site", "test", wheels[-1], extra)
    server, url = serve.start_server(site)
    code = CODE.format(name=a.example, argv=argv)

    def echo(msg):
        if msg.text.startswith("[py] "):
            sys.stdout.write(json.loads(msg.text[5:]))
            sys.stdout.flush()
    try:
        with sync_playwright() as p:
            browser = serve.launch_chromium(p)
            print(f"Chromium {browser.version}", flush=True)
            page = browser.new_page()
            page.on("console", echo)
            page.goto(f"{url}runner.html?" + urllib.parse.urlencode({"code": code}))
            page.wait_for_function("window.__runner && window.__runner.state !== 'running'",
                                   timeout=3_600_000, polling=1000)
            code_ = page.evaluate("window.__runner.exitCode")
            browser.close()
    finally:
        server.shutdown()
    sys.exit(code_)


if __name__ == "__main__":
    main()
