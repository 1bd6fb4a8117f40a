"""The demo pages under a strict Content-Security-Policy (`script-src 'self'
'wasm-unsafe-eval'`: no inline script, no eval, WebAssembly allowed), as scripts/serve.py and
the demo_url fixture serve them. Each page test runs through the `demo_page` fixture, which
fails on a CSP violation; here: the header is sent, it is enforced (a page breaking it is
caught), and our pages' sources hold no inline script, event-handler attribute or eval."""
import re
import urllib.request
from html.parser import HTMLParser

import pytest

DEMO_FILES = ["index.html", "chat.html", "similarity.html", "digits.html", "train.html", "bench.html",
              "models.html", "boot.js", "runtime.js", "worker.js", "host.js", "charts.js"]


def test_header_on_every_response(demo_url, site_tools):
    for name in DEMO_FILES + ["pyodide/pyodide.mjs", "site.json"]:
        with urllib.request.urlopen(demo_url + name) as r:
            assert r.headers["Content-Security-Policy"] == site_tools.CSP, name
    with urllib.request.urlopen(demo_url + "pyscript.html") as r:    # serve.NO_CSP: PyScript
        assert r.headers["Content-Security-Policy"] is None            # evaluates strings


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline, self.handlers, self._open = [], [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.handlers += [k for k in a if k.startswith("on")]
        self._open = tag == "script" and "src" not in a
        if self._open:
            self.inline.append("")

    def handle_data(self, data):
        if self._open:
            self.inline[-1] += data

    def handle_endtag(self, tag):
        self._open = False


@pytest.mark.parametrize("name", [f for f in DEMO_FILES if f.endswith(".html")])
def test_no_inline_script(repo, name):
    p = _Scripts()
    p.feed((repo / "demo_site" / name).read_text())
    assert p.inline == [] and p.handlers == [], (name, p.inline, p.handlers)


def test_no_eval_in_our_scripts(repo):
    for name in [f for f in DEMO_FILES if f.endswith(".js")]:
        src = (repo / "demo_site" / name).read_text()
        assert not re.search(r"\beval\(|new Function\(|setTimeout\(\s*[\"'`]", src), name


_BAD_PAGE = """<!doctype html><title>csp probe</title><span id="status">loading</span>
<script>document.getElementById("status").textContent = "inline ran";</script>
<script type="module" src="./ok.js"></script>"""
_OK_JS = """const s = document.getElementById("status");
try { eval("1 + 1"); s.dataset.eval = "ran"; } catch (e) { s.dataset.eval = e.name; }
await fetch("http://10.255.255.1/weights.bin").catch(() => {});
s.dataset.state = "done";"""


def test_policy_is_enforced(tmp_path, site_tools, demo_page):
    """The same server and fixture on a page that breaks the policy: its inline script and its
    eval are refused, and demo_page records the violations and a request off 127.0.0.1 (so
    it would fail a demo page that did either)."""
    (tmp_path / "index.html").write_text(_BAD_PAGE)
    (tmp_path / "ok.js").write_text(_OK_JS)
    server, url = site_tools.start_server(tmp_path, headers=site_tools.DEMO_HEADERS)
    try:
        demo_page.goto(url + "index.html")
        demo_page.wait_for_selector("#status[data-state=done]", state="attached")
        assert demo_page.text_content("#status") == "loading"      # the inline script: refused
        assert demo_page.get_attribute("#status", "data-eval") == "EvalError"
        violations = demo_page.evaluate("window.__cspViolations")
        assert any(v.startswith("script-src-elem: inline") for v in violations), violations
        assert any(v.startswith("script-src: eval") for v in violations), violations
        assert demo_page.foreign == ["http://10.255.255.1/weights.bin"]
        demo_page.evaluate("window.__cspViolations.length = 0")   # the probe's are expected
        demo_page.foreign.clear()
    finally:
        server.shutdown()
