"""Where weight bytes come from: bytes, a path, an open file, or a URL the user passed.

Nothing is fetched unless the caller passes a URL. Files are read into one bytearray so tensors
can view it without another copy (kernels need writable memory for their addresses).
"""
import hashlib
import os
import stat
import sys

CHUNK = 1 << 20
HEADROOM = 6        # new_buffer leaves 1/HEADROOM of the file free for what the model allocates


def new_buffer(n):
    """bytearray(n) for a file's bytes, with n // HEADROOM bytes left free below it. wasm memory
    grows by at least 20% of its size whenever malloc runs out (Emscripten's geometric step)
    and never shrinks: after a big buffer fills the heap, the model's first small allocations
    would add ~0.3x the file. Reserving room first makes the heap grow once, by the buffer plus
    the headroom, and the tensors, tokenizer and activations built next reuse that room."""
    room = bytearray(n // HEADROOM)
    data = bytearray(n)
    del room
    return data


def is_url(src):
    return isinstance(src, str) and src.startswith(("http://", "https://"))


def text_progress(done, total, _state={}):
    """The default progress callback: a one-line text bar on stderr."""
    if total:
        frac = min(done / total, 1.0)
        bar = "#" * int(frac * 30)
        line = f"\r[{bar:<30}] {done / 1e6:7.1f} / {total / 1e6:.1f} MB"
    else:
        line = f"\r{done / 1e6:7.1f} MB"
    sys.stderr.write(line + ("\n" if total and done >= total else ""))
    sys.stderr.flush()


def _check_sha256(data, sha256, what, got=None):
    """ValueError unless data's sha256 (or the hex digest `got`) is `sha256` (None: no check)."""
    if sha256 is None:
        return
    got = got or hashlib.sha256(data).hexdigest()
    if got.lower() != sha256.lower():
        raise ValueError(f"sha256 mismatch for {what}: expected {sha256.lower()}, got {got}")


def _read_stream(read, total, progress):
    out = bytearray()
    while True:
        chunk = read(CHUNK)
        if not chunk:
            break
        out += chunk
        if progress:
            progress(len(out), total)
    return out


def _file_size(f):
    """The bytes left in f if it is a regular file (None for pipes, sockets, io.BytesIO)."""
    try:
        st = os.fstat(f.fileno())
        return st.st_size - f.tell() if stat.S_ISREG(st.st_mode) else None
    except (AttributeError, OSError, ValueError):
        return None


def _read_file(f, what, progress):
    """A file object's remaining bytes: a regular file straight into one buffer of its size,
    anything else chunk by chunk."""
    size = _file_size(f)
    if size is None or not hasattr(f, "readinto"):
        return _read_stream(f.read, None, progress)
    data = new_buffer(size)
    if f.readinto(data) != size:
        raise OSError(f"short read from {what}")
    if progress:
        progress(size, size)
    return data


def read_bytes(src, progress=None, sha256=None):
    """The bytes of `src` (bytes-like, path, binary file object, or http(s) URL), checked
    against `sha256` (hex) when given. `progress(done, total)` is called while a URL or file is
    read; progress=True means the default text bar. Returns a bytes-like object."""
    if progress is True:
        progress = text_progress
    if isinstance(src, (bytes, bytearray, memoryview)):
        data = src
        what = "the given bytes"
    elif is_url(src):
        data = _fetch_sync(src, progress)
        what = src
    elif isinstance(src, (str, os.PathLike)):
        what = os.fspath(src)
        with open(what, "rb") as f:
            data = _read_file(f, what, progress)
    elif hasattr(src, "read"):
        what = getattr(src, "name", "the file object")
        data = _read_file(src, what, progress)
    else:
        raise TypeError(f"expected bytes, a path, a binary file object or an http(s) URL, got "
                        f"{type(src).__name__}")
    _check_sha256(data, sha256, what)
    return data


def _fetch_sync(url, progress):
    if sys.platform == "emscripten":
        raise RuntimeError(f"cannot fetch {url} synchronously in the browser: use "
                           f"`await webtensor.serialization.fetch_async(url)` and pass the bytes")
    import urllib.request
    with urllib.request.urlopen(url) as r:
        total = int(r.headers.get("Content-Length") or 0) or None
        return _read_stream(r.read, total, progress)


def _page_url(url):
    """url joined to the page's location in a browser; unchanged elsewhere (Node, CPython)."""
    if sys.platform != "emscripten":
        return url
    try:
        from js import location
        base = str(location.href)
    except (ImportError, AttributeError):
        return url
    from urllib.parse import urljoin
    return urljoin(base, url)


async def fetch_async(url, progress=None, sha256=None):
    """Fetch a URL (pyodide.http.pyfetch in Pyodide, urllib elsewhere) into a bytearray. On a
    page (or in a worker) a relative URL resolves against the page's address, as fetch() does."""
    if progress is True:
        progress = text_progress
    if isinstance(url, str) and not is_url(url):
        url = _page_url(url)
    if not is_url(url):
        raise ValueError(f"expected an http(s) URL, got {url!r}")
    if sys.platform != "emscripten":
        data = _fetch_sync(url, progress)
    else:
        from pyodide.http import pyfetch
        resp = await pyfetch(url)
        if not resp.ok:
            raise OSError(f"fetching {url} failed: HTTP {resp.status}")
        data = await _read_body(resp.js_response, progress)
    _check_sha256(data, sha256, url)
    return data


async def _read_body(js_response, progress):
    """A fetch() Response's body in one bytearray, allocated once: wasm memory never shrinks,
    so growing a bytearray chunk by chunk (each realloc may move it) would leave the heap up to
    ~1.4x the file. With an exact Content-Length (no Content-Encoding) chunks go straight into
    place; otherwise they wait in JS memory and are copied in at the end."""
    headers = js_response.headers
    total = int(headers.get("content-length") or 0) or None
    exact = total is not None and not headers.get("content-encoding")
    data = new_buffer(total) if exact else None
    pending, n = [], 0
    reader = js_response.body.getReader()
    while True:
        chunk = await reader.read()
        if chunk.done:
            break
        value = chunk.value
        k = value.length
        if data is not None and not pending and n + k <= len(data):
            value.assign_to(memoryview(data)[n:n + k])
        else:
            pending.append((n, value))
        n += k
        if progress:
            progress(n, total)
    if data is None or pending or n != len(data):   # no or a wrong Content-Length
        filled = data
        data = new_buffer(n)
        if filled is not None:
            head = min(len(filled), pending[0][0] if pending else n)
            data[:head] = memoryview(filled)[:head]
        for pos, value in pending:
            value.assign_to(memoryview(data)[pos:pos + value.length])
    return data
