"""Fixtures for the Chromium tier: Debian chromium driven by Python Playwright, pages served on
127.0.0.1 from sites assembled by scripts/assemble_site.py (never `playwright install`).

Missing prerequisites skip locally and fail under CI=true.
"""
from __future__ import annotations

import importlib.util
import io
import json
import os
import sys
import time
import urllib.parse
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Same default as tests/pyodide/run_pytest.mjs: what the portable suite may read.
PORTABLE_FILES = ["tests/portable", "tests/golden", "tests/__init__.py", "tests/conftest.py",
                  "pyproject.toml"]
SKIP_DIRS = {"__pycache__", ".pytest_cache", ".hypothesis"}
RUN_TIMEOUT = float(os.environ.get("WEBTENSOR_BROWSER_TIMEOUT", "1200"))


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(f"webtensor_scripts_{name}",
                                                  REPO / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


serve = _load_script("serve")
assemble_site = _load_script("assemble_site")


def missing(reason: str):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"prerequisite missing in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def prerequisite_missing():
    return missing


@pytest.fixture(scope="session")
def site_tools():
    """scripts/serve.py as a module (start_server, launch_chromium, run_page)."""
    return serve


@pytest.fixture(scope="session")
def webtensor_wheel() -> Path:
    if os.environ.get("WEBTENSOR_WHEEL"):  # test a specific wheel instead of the newest in dist/
        return Path(os.environ["WEBTENSOR_WHEEL"]).resolve()
    wheels = sorted((REPO / "dist").glob("webtensor-*-py3-none-any.whl"),
                    key=lambda p: p.stat().st_mtime)
    if not wheels:
        missing("no dist/webtensor-*-py3-none-any.whl (run `python -m build --wheel`)")
    return wheels[-1]


@pytest.fixture(scope="session")
def playwright_session():
    """One Playwright per session (browsers with other flags launch from it)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("python playwright is not installed")
    if not Path(serve.CHROMIUM).exists():
        missing(f"{serve.CHROMIUM} not found (apt-get install chromium)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_session):
    b = serve.launch_chromium(playwright_session)
    yield b
    b.close()


# Chromium with WebGPU on: headless, no GPU here -> the SwiftShader adapter (smoke speed only)
WEBGPU_FLAGS = ["--enable-unsafe-webgpu"]


@pytest.fixture(scope="session")
def webgpu_browser(playwright_session):
    """A second Chromium launched with --enable-unsafe-webgpu (`browser` has no WebGPU)."""
    b = serve.launch_chromium(playwright_session, WEBGPU_FLAGS)
    yield b
    b.close()


def _site(tmp_path_factory, name, dist, wheel, extra=None, **serve_options):
    if not (assemble_site.DISTS[dist] / "pyodide-lock.json").exists():
        missing(f"no {assemble_site.DISTS[dist].relative_to(REPO)} "
                "(run `python scripts/make_test_dist.py`)")
    root = assemble_site.assemble(tmp_path_factory.mktemp(name) / "site", dist, wheel, extra)
    server, url = serve.start_server(root, **serve_options)
    return server, url


@pytest.fixture(scope="session")
def demo_requests() -> list:
    """The paths the demo_url server has been asked for, in order."""
    return []


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory, webtensor_wheel, demo_requests):
    """The demo site exactly as scripts/demo serves it (runtime dist, models/ included, the
    strict Content-Security-Policy), on a free port."""
    server, url = _site(tmp_path_factory, "quickstart", "runtime", webtensor_wheel,
                        headers=serve.DEMO_HEADERS, requests=demo_requests)
    yield url
    server.shutdown()


def _tests_zip(paths=PORTABLE_FILES) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for rel in paths:
            src = REPO / rel
            files = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file()
                                                       and not SKIP_DIRS & set(p.parts))
            for f in files:
                z.write(f, f.relative_to(REPO).as_posix())
    return buf.getvalue()


@pytest.fixture(scope="session")
def runner_url(tmp_path_factory, webtensor_wheel):
    """Site with the test dist, tests/browser/runner.html and tests.zip (the portable files)."""
    extra = {"runner.html": REPO / "tests" / "browser" / "runner.html", "tests.zip": _tests_zip()}
    server, url = _site(tmp_path_factory, "runner", "test", webtensor_wheel, extra)
    yield url + "runner.html"
    server.shutdown()


def _echo_chunk(msg):
    if msg.text.startswith("[py] "):
        sys.stdout.write(json.loads(msg.text[5:]))
        sys.stdout.flush()


def _page_runner(browser, runner_url):
    """run(args=[...]) or run(code="...", env={...}) -> (exit_code, output, seconds).

    Runs on a fresh page's main thread of `browser`; output is echoed as it arrives."""

    def run(args=None, code=None, env=None, timeout: float = RUN_TIMEOUT):
        query = {"code": code} if code is not None else {"args": json.dumps(args or [])}
        if env:
            query["env"] = json.dumps(env)
        page = browser.new_page()
        page.on("console", _echo_chunk)
        page.on("pageerror", lambda e: print(f"pageerror: {e}", flush=True))
        t0 = time.monotonic()
        try:
            page.goto(f"{runner_url}?{urllib.parse.urlencode(query)}")
            page.wait_for_function("window.__runner && window.__runner.state !== 'running'",
                                   timeout=timeout * 1000, polling=500)
            r = page.evaluate("window.__runner")
        finally:
            page.close()
        return r["exitCode"], r["output"], time.monotonic() - t0

    return run


@pytest.fixture
def run_in_browser(browser, runner_url):
    """The page runner (_page_runner) in Chromium without WebGPU."""
    return _page_runner(browser, runner_url)


@pytest.fixture(scope="session")
def run_in_browser_with(browser, tmp_path_factory, webtensor_wheel):
    """run_in_browser_with(name, files) -> the page runner (_page_runner) in Chromium without
    WebGPU, on a site like runner_url's whose tests.zip holds `files` (repo-relative files and
    folders) instead of the portable files."""
    servers = []

    def make(name, files):
        extra = {"runner.html": REPO / "tests" / "browser" / "runner.html",
                 "tests.zip": _tests_zip(files)}
        server, url = _site(tmp_path_factory, name, "test", webtensor_wheel, extra)
        servers.append(server)
        return _page_runner(browser, url + "runner.html")
    yield make
    for server in servers:
        server.shutdown()


@pytest.fixture
def run_in_webgpu_browser(webgpu_browser, runner_url):
    """The page runner (_page_runner) in Chromium with WebGPU (SwiftShader)."""
    return _page_runner(webgpu_browser, runner_url)


# --- JupyterLite and PyScript (tests/browser/test_jupyterlite.py, test_pyscript_page.py) ---

@pytest.fixture(scope="session")
def jupyterlite_url(tmp_path_factory, webtensor_wheel):
    """The JupyterLite site of notebooks/ as scripts/build_jupyterlite.py builds it."""
    if importlib.util.find_spec("jupyterlite_pyodide_kernel") is None:
        missing("jupyterlite-pyodide-kernel is not installed (pip install -e '.[dev]')")
    t0 = time.monotonic()
    root = _load_script("build_jupyterlite").build(tmp_path_factory.mktemp("jupyterlite") / "site",
                                                   webtensor_wheel)
    print(f"build_jupyterlite: {time.monotonic() - t0:.1f} s")
    server, url = serve.start_server(root)
    yield url
    server.shutdown()


class RecordingContext:
    """A browser context that records every URL its pages, workers and service workers
    request: `leaving(base)` lists those not under `base` (blob: and data: URLs stay local)."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(**options)
        self.requests = []
        self.context.on("request", lambda r: self.requests.append(r.url))

    def leaving(self, base):
        return [u for u in self.requests if not u.startswith((base, "blob:", "data:"))]


@pytest.fixture(scope="module")
def recording_context(browser):
    rc = RecordingContext(browser, viewport={"width": 1200, "height": 1500})
    yield rc
    rc.context.close()


@pytest.fixture(scope="session")
def save_screenshot(screenshot):
    return screenshot


SCREENSHOTS = REPO / "build" / "screenshots"     # gitignored: for people to look at


@pytest.fixture(scope="session")
def screenshot():
    """screenshot(page, name): the whole page as build/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    return take


# Recorded on every demo page before its own scripts run (an init script: not subject to the
# page's CSP): Content-Security-Policy violations the page reports.
_CSP_WATCH = """window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(
  `${e.violatedDirective}: ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));"""


@pytest.fixture
def demo_page(browser):
    """A page in a fresh context of `browser` that may only reach 127.0.0.1: any other request
    (the page's or its workers') is aborted and fails the test, as does a CSP violation."""
    context = browser.new_context()
    requested, foreign = [], []

    def route(r):
        requested.append(r.request.url)
        host = urllib.parse.urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()
    context.route("**/*", route)
    context.add_init_script(_CSP_WATCH)
    page = context.new_page()
    page.requested, page.foreign = requested, foreign
    yield page
    violations = [] if page.is_closed() else page.evaluate("window.__cspViolations")
    context.close()
    assert not foreign, f"requests that left 127.0.0.1: {foreign}"
    assert not violations, f"Content-Security-Policy violations: {violations}"
