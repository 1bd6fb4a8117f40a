#!/usr/bin/env python3
"""Serve a static directory on 127.0.0.1 with the MIME types Pyodide needs; optionally open
the demo pages in headless Chromium and print their results.

  python scripts/serve.py [ROOT] [--port N]              serve until Ctrl-C (default build/site)
  python scripts/serve.py [ROOT] --headless [--timeout S] run the demo pages, print, exit

The demo pages are served under a strict Content-Security-Policy (CSP below: scripts only from
this origin, WebAssembly compilation allowed, no eval, no inline script); --no-csp drops it.

--headless opens each demo page ROOT has (the landing page's quickstart, chat, similarity,
digits, the benchmark without WebGPU), the models page on the CPU and the models page on WebGPU
(?device=webgpu; Chromium runs with --enable-unsafe-webgpu: SwiftShader's adapter where there
is no GPU, smoke speed only) and prints, for each models page, the device and the adapter
that ran it.

Also imported by tests/browser (start_server, launch_chromium, run_page).
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_SITE = ROOT / "build" / "site"
CHROMIUM = os.environ.get("WEBTENSOR_CHROMIUM", "/usr/bin/chromium")
# Proven offline/root-safe flags (see /work/shared/ENVIRONMENT.md).
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic"]
WEBGPU_ARGS = ["--enable-unsafe-webgpu"]      # WebGPU in headless Chromium (--headless)
# What the demo pages must work under (and do: tests/browser/test_csp_pages.py).
CSP = "script-src 'self' 'wasm-unsafe-eval'"
DEMO_HEADERS = {"Content-Security-Policy": CSP}
# ... except PyScript's page (demo_site/pyscript.html) and its runtime: PyScript evaluates
# strings as JavaScript, which that policy refuses (webtensor itself needs no eval).
NO_CSP = ("/pyscript.html", "/pyscript/")
MIME = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
    ".whl": "application/octet-stream", ".so": "application/octet-stream",
    ".zip": "application/zip", ".json": "application/json", ".map": "application/json",
    ".py": "text/plain; charset=utf-8", ".txt": "text/plain; charset=utf-8",
}


class Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MIME}
    extra_headers: dict[str, str] = {}
    quiet = True
    requests: list | None = None      # every request's path, in order (tests)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        exempt = self.path.split("?")[0].startswith(NO_CSP)
        for k, v in self.extra_headers.items():
            if not (exempt and k == "Content-Security-Policy"):
                self.send_header(k, v)
        super().end_headers()

    def log_request(self, code="-", size="-"):
        if self.requests is not None:
            self.requests.append(self.path)
        super().log_request(code, size)

    def log_message(self, fmt, *args):
        if not self.quiet or (args and str(args[1]).startswith(("4", "5"))):
            sys.stderr.write(f"[serve] {self.address_string()} {fmt % args}\n")


def start_server(root: Path, port: int = 0, headers: dict[str, str] | None = None,
                 quiet: bool = True, requests: list | None = None):
    """Serve `root` on 127.0.0.1:port (0 = a free port) in a daemon thread -> (server, url).
    Each request's path is appended to `requests` when given."""
    handler = type("SiteHandler", (Handler,),
                   {"extra_headers": dict(headers or {}), "quiet": quiet, "requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", port),
                                 functools.partial(handler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True, name="webtensor-serve").start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def launch_chromium(playwright, extra_args=()):
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} not found "
                           "(apt-get install chromium; never `playwright install`)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args])


def run_page(page, url: str, name: str = "index.html", timeout_s: float = 180) -> dict:
    """Open a demo page; wait for done/error -> {"status", "result", "error", "console"}."""
    console = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    page.goto(url + name)
    # a selector, not wait_for_function: that compiles its predicate with eval, which a page
    # under a strict Content-Security-Policy refuses
    page.wait_for_selector("#status[data-state=done], #status[data-state=error]",
                           state="attached", timeout=timeout_s * 1000)
    status = page.inner_text("#status")
    raw = page.text_content("#result-json") or ""
    return {"status": status, "result": json.loads(raw) if raw else None,
            "error": page.text_content("#error") or "", "console": console}


# what --headless prints of each page's result (keyed by the page's file name)
_SHOW = {"index.html": ("matmul", "softmax", "backend", "isa", "compute_ms",
                        "webtensor_version", "wasm_features", "timings"),
         "models.html": ("digits", "minilm", "smollm2", "timings"),
         "chat.html": ("thread", "turns"), "similarity.html": ("sentences", "similarity"),
         "digits.html": ("prediction", "probs"), "bench.html": ("rows", "skipped")}
_HIDE = {"predictions", "similarity", "new_ids", "prompt_ids"}
PAGES = ("index.html", "chat.html?max_new_tokens=16&ask=What+is+the+capital+of+France%3F",
         "similarity.html", "digits.html", "bench.html?webgpu=no", "models.html",
         "models.html?device=webgpu")


def ran_on(result: dict) -> str:
    """A models page's device line: the device, the adapter, and why not WebGPU when it was
    asked for and the page fell back to the CPU."""
    device, adapter = result.get("device"), result.get("adapter")
    line = f"device {device}"
    if adapter:
        line += f", adapter {adapter.get('name')!r}"
        extra = [adapter.get("backend") or ""] + (["a software/fallback adapter: timings are "
                                                   "not GPU speed"] if adapter.get("fallback")
                                                  else [])
        line += "".join(f" ({x})" for x in extra if x)
    if result.get("requested_device") == "webgpu" and device != "webgpu":
        line += f" (WebGPU was asked for: {result.get('webgpu_error') or 'not available'})"
    return line


def report(name: str, out: dict, seconds: float) -> list[str]:
    """The lines --headless prints for one page's run_page() result."""
    lines = [f"{name}: {out['status']}  ({seconds:.1f} s in headless Chromium)"]
    result = out["result"]
    if not result:
        return lines
    if "device" in result:
        lines.append(f"  ran on             {ran_on(result)}")
    for key in _SHOW.get(name.split("?", 1)[0], ()):
        v = result.get(key)
        if isinstance(v, dict):
            v = {k: x for k, x in v.items() if k not in _HIDE}
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            v = [{k: x for k, x in d.items() if k not in _HIDE} for d in v]
        lines.append(f"  {key:18} {json.dumps(v)}")
    return lines


def headless(url: str, timeout_s: float, pages=PAGES, root: Path | None = None) -> int:
    """Run `pages` (those of them that `root` has, if given) and print their results."""
    from playwright.sync_api import sync_playwright

    failed = 0
    with sync_playwright() as p:
        browser = launch_chromium(p, WEBGPU_ARGS)
        try:
            for name in pages:
                if root is not None and not (root / name.split("?", 1)[0]).exists():
                    continue
                t0 = time.monotonic()
                out = run_page(browser.new_page(), url, name, timeout_s)
                print("\n".join(report(name, out, time.monotonic() - t0)), flush=True)
                if out["status"] != "done":
                    failed = 1
                    print(out["error"], file=sys.stderr)
                    print("\n".join(out["console"][-30:]), file=sys.stderr)
        finally:
            browser.close()
    return failed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", nargs="?", type=Path, default=BUILD_SITE)
    ap.add_argument("--port", type=int, default=int(os.environ.get("WEBTENSOR_DEMO_PORT", "0")))
    ap.add_argument("--headless", action="store_true")
    ap.add_argument("--timeout", type=float, default=900,
                    help="per page, seconds (SwiftShader runs the WebGPU models page in ~500 s)")
    ap.add_argument("--no-csp", action="store_true",
                    help="serve without the Content-Security-Policy header (CSP)")
    ap.add_argument("--isolate", action="store_true",
                    help="send COOP/COEP (crossOriginIsolated, for threads experiments; "
                         "the demo itself needs no special headers)")
    args = ap.parse_args(argv)
    if not (args.root / "index.html").exists():
        raise SystemExit(f"serve: {args.root}/index.html missing (run scripts/assemble_site.py)")
    headers = {} if args.no_csp else dict(DEMO_HEADERS)
    if args.isolate:
        headers.update({"Cross-Origin-Opener-Policy": "same-origin",
                        "Cross-Origin-Embedder-Policy": "require-corp"})
    server, url = start_server(args.root, args.port, headers, quiet=args.headless)
    try:
        if args.headless:
            print(f"serving {args.root} at {url}")
            return headless(url, args.timeout, root=args.root)
        print(f"webtensor demo: {url}index.html   (serving {args.root}; Ctrl-C to stop)")
        print(f"  PyScript page: {url}pyscript.html")
        if (args.root / "lite" / "index.html").exists():   # scripts/build_jupyterlite.py
            print(f"  JupyterLite notebooks: {url}lite/lab/index.html")
        sys.stdout.flush()
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
