"""scripts/serve.py: 127.0.0.1 only, and the MIME types Pyodide needs (application/wasm is
required for streaming compilation)."""
import urllib.request


def test_mime_types(site_tools, tmp_path):
    files = {"a.mjs": "text/javascript", "a.js": "text/javascript", "a.wasm": "application/wasm",
             "webtensor-0-py3-none-any.whl": "application/octet-stream",
             "a.json": "application/json", "index.html": "text/html"}
    for name in files:
        (tmp_path / name).write_bytes(b"x")
    server, url = site_tools.start_server(tmp_path)
    try:
        assert url.startswith("http://127.0.0.1:")
        for name, mime in files.items():
            with urllib.request.urlopen(url + name) as r:
                assert r.headers.get_content_type() == mime, name
    finally:
        server.shutdown()
