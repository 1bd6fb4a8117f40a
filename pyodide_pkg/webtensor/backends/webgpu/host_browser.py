"""The browser Host: WebGPU through the JS bridge `webtensor/webgpu_bridge/bridge.mjs`, reached
with pyodide.ffi (see host.py for the interface).

The bridge ships in the wheel as package data; it is imported from a Blob URL of its text, so it
works wherever the wheel is installed (no URL to configure). A page under a strict
Content-Security-Policy (no eval, no blob: scripts) imports bridge.mjs itself and sets
`globalThis.webtensorWebgpuBridge` to the module; that one is used then. Acquiring the adapter
and device is asynchronous: `await Host.create()` works everywhere; `Host.create_sync()` works where
`pyodide.ffi.can_run_sync()` (JSPI, Python entered through runPythonAsync) and otherwise tells
the user to call `await webtensor.webgpu.init()` first.

JS calls: `record()` only appends to Python lists (cmds: array('i'), params: bytearray);
`flush()` hands both to the bridge in ONE call, `run(cmds, params, free)`. cmds per dispatch:
pipeline id, number of buffers, buffer ids..., params byte offset, groups x, y, z; params: each
dispatch's block in its own 256-byte slot; free: buffers destroy()ed while recorded dispatches
still used them (destroyed right after the submit).
"""
from __future__ import annotations

from array import array

from . import host as _host
from .host import FLUSH_EVERY, PARAMS_BYTES, OutOfMemoryError

INIT_HINT = ("call `await webtensor.webgpu.init()` first (it creates the device without "
             "blocking)")

_bridge_module = None      # the imported bridge (one per interpreter)


def _ffi():
    import js  # noqa: F401  (fails outside Pyodide)
    from pyodide import ffi
    return ffi


def can_run_sync() -> bool:
    try:
        return bool(_ffi().can_run_sync())
    except (ImportError, AttributeError):
        return False


def bridge_source() -> str:
    """The bridge module's text, from the installed package."""
    from importlib import resources
    return (resources.files("webtensor") / "webgpu_bridge" / "bridge.mjs").read_text("utf-8")


async def load_bridge():
    """Import bridge.mjs (once) from a Blob URL of the packaged text -> the module namespace."""
    global _bridge_module
    if _bridge_module is None:
        import js
        _bridge_module = getattr(js.globalThis, "webtensorWebgpuBridge", None)   # strict CSP
    if _bridge_module is None:
        from pyodide.code import run_js
        importer = run_js(
            "(async (text) => {"
            "  const url = URL.createObjectURL(new Blob([text], {type: 'text/javascript'}));"
            "  try { return await import(url); } finally { URL.revokeObjectURL(url); }"
            "})")
        _bridge_module = await importer(bridge_source())
    return _bridge_module


def _kind(message: str) -> tuple[str, str]:
    kind, sep, rest = message.partition(": ")
    if sep and kind in ("oom", "validation", "lost", "internal", "unavailable"):
        return kind, rest
    return "internal", message


def _message(err) -> str:
    msg = getattr(err, "message", None)
    if msg is None:
        msg = str(err)
        msg = msg.split("Error: ", 1)[1] if msg.startswith(("Error: ", "JsException: Error: ")) \
            else msg
    return str(msg)


class Host(_host.Host):
    """WebGPU in the browser. Make one with `await Host.create()` (or `Host.create_sync()`)."""

    def __init__(self, bridge, info):
        from pyodide.ffi import create_proxy
        self._bridge = bridge
        self.info = _convert_info(info)
        self.lost = None
        self._next_buffer = 1
        self._next_pipeline = 1
        self._pipelines: dict[str, int] = {}
        self._sizes: dict[int, int] = {}
        self._cmds = array("i")
        self._params = bytearray()
        self._n = 0
        self._free = array("i")       # buffers to destroy after the next submit
        self._batch = set()           # the buffers the recorded dispatches use
        self._on_lost = create_proxy(self._set_lost)
        bridge.onLost(self._on_lost)
        self._next_graph = 1
        self._init_common()

    # -- creation ---------------------------------------------------------------------------

    @classmethod
    async def create(cls, power_preference: str = "high-performance") -> "Host":
        """Load the bridge, request the adapter and device (awaited) -> Host."""
        try:
            ffi = _ffi()
        except ImportError:
            raise RuntimeError("webtensor: the browser WebGPU host needs Pyodide") from None
        import js
        bridge = await load_bridge()
        opts = ffi.to_js({"powerPreference": power_preference},
                         dict_converter=js.Object.fromEntries)
        try:
            info = await bridge.init(opts)
        except ffi.JsException as e:
            kind, rest = _kind(_message(e))
            raise RuntimeError(f"webtensor: WebGPU is not available here: {rest}") from None
        return cls(bridge, info)

    @classmethod
    def create_sync(cls, power_preference: str = "high-performance") -> "Host":
        """Host.create() from synchronous code, through pyodide.ffi.run_sync (JSPI)."""
        if not can_run_sync():
            raise RuntimeError(
                "webtensor: creating the WebGPU device needs to wait for the browser, and "
                "synchronous waiting needs JSPI (pyodide.ffi.can_run_sync() is False here): "
                + INIT_HINT)
        return _ffi().run_sync(cls.create(power_preference))

    def can_read_sync(self):
        return can_run_sync()

    def _set_lost(self, reason):
        self.lost = str(reason) if reason else "unknown reason"

    # -- errors -----------------------------------------------------------------------------

    def _raise(self, message: str, what: str = ""):
        kind, rest = _kind(message)
        if kind == "oom":
            raise OutOfMemoryError(f"webtensor: WebGPU out of memory: {rest}")
        if kind == "lost":
            self.lost = self.lost or rest
            self.check()
        raise RuntimeError(f"webtensor: WebGPU {what or 'error'}: {rest}")

    def _call(self, what, fn, *args):
        try:
            return fn(*args)
        except _ffi().JsException as e:
            self._raise(_message(e), what)

    # -- buffers ----------------------------------------------------------------------------

    def buffer(self, nbytes: int) -> int:
        self.check()
        size = max(4, (int(nbytes) + 3) // 4 * 4)
        lim = self.info["limits"]
        limit = min(lim.get("maxBufferSize", size), lim.get("maxStorageBufferBindingSize", size))
        if size > limit:            # every buffer is bound whole
            raise OutOfMemoryError(
                f"webtensor: a WebGPU buffer of {size} bytes exceeds this adapter's limit "
                f"({limit} bytes: min of maxBufferSize, maxStorageBufferBindingSize)")
        handle = self._next_buffer
        self._next_buffer += 1
        self._call("createBuffer", self._bridge.createBuffer, handle, size)
        self._sizes[handle] = size
        return handle

    def destroy(self, handle: int):
        if self._sizes.pop(handle, None) is None or self.lost is not None:
            return
        self.pending.pop(handle, None)
        self.version.pop(handle, None)
        if self._n:          # recorded dispatches may use it: destroyed by the next run()
            self._free.append(handle)
        else:
            self._bridge.destroyBuffer(handle)

    def write(self, handle: int, offset: int, data):
        self.check()
        self._touch(handle, "copy host data to the GPU", write=True)
        if handle in self._batch:       # recorded dispatches must see the old bytes
            self.flush()
        from pyodide.ffi import to_js
        self._call("writeBuffer", self._bridge.writeBuffer, handle, int(offset),
                   to_js(memoryview(data).cast("B")))

    # -- kernels ----------------------------------------------------------------------------

    def pipeline(self, name: str, wgsl: str) -> int:
        """Compile `wgsl` (entry point `name`) once -> pipeline handle. With JSPI the compile is
        checked here; without, a WGSL error surfaces at the next flush/read (still naming the
        kernel)."""
        self.check()
        handle = self._pipelines.get(name)
        if handle is not None:
            return handle
        handle = self._next_pipeline
        self._next_pipeline += 1
        ready = self._call(f"kernel '{name}'", self._bridge.createPipeline, handle, name, wgsl)
        if can_run_sync():
            try:
                err = _ffi().run_sync(ready)
            except _ffi().JsException as e:
                err = _message(e)
            if err:
                self._raise(str(err))
        self._pipelines[name] = handle
        return handle

    def record(self, pipeline: int, handles, params, groups, writes_all=False, out=0):
        """Append one dispatch (no JS call); flushes every FLUSH_EVERY dispatches."""
        self.check()
        params = bytes(params)
        if len(params) > PARAMS_BYTES:
            raise ValueError(f"webtensor: WebGPU params block of {len(params)} bytes > "
                             f"{PARAMS_BYTES}")
        self._note(pipeline, handles, params, groups, writes_all, out)
        self._batch.update(handles)
        gx, gy, gz = (tuple(groups) + (1, 1))[:3]
        cmds = self._cmds
        cmds.append(pipeline)
        cmds.append(len(handles))
        cmds.extend(handles)
        cmds.append(len(self._params))
        cmds.append(gx)
        cmds.append(gy)
        cmds.append(gz)
        self._params += params
        self._params += bytes(PARAMS_BYTES - len(params))
        self._n += 1
        if self._n >= FLUSH_EVERY:
            self.flush()

    def flush(self):
        """Submit every recorded dispatch: one JS call (bridge.run)."""
        if not self._n:
            return
        self.check()
        from pyodide.ffi import to_js
        cmds, params, free = self._cmds, self._params, self._free
        self._cmds, self._params, self._n, self._free = array("i"), bytearray(), 0, array("i")
        self._batch = set()
        err = self._call("dispatch", self._bridge.run, to_js(cmds), to_js(params),
                         to_js(free) if free else None)
        if err:
            self._raise(str(err))

    def wait(self):
        """Submit what is recorded and, where JSPI allows, wait until the GPU has done it."""
        self.check()
        self.flush()
        if can_run_sync():
            err = self._call("synchronize", lambda: _ffi().run_sync(self._bridge.done()))
            if err:
                self._raise(str(err))

    # -- graphs -----------------------------------------------------------------------------

    def _graph(self, cmds):
        """The captured dispatches, handed to the bridge once (bridge.createGraph keeps them
        with their own uniform buffer); replay() is then one JS call."""
        from pyodide.ffi import to_js
        words, params = array("i"), bytearray()
        for pipeline, handles, p, groups in cmds:
            words.extend((pipeline, len(handles), *handles, len(params),
                          *(tuple(groups) + (1, 1))[:3]))
            params += p.ljust(PARAMS_BYTES, b"\0")
        gid = self._next_graph
        self._next_graph += 1
        self._call("graph", self._bridge.createGraph, gid, to_js(words), to_js(params))
        return gid

    def replay(self, graph):
        self.check()
        self.flush()
        err = self._call("graph replay", self._bridge.replay, graph)
        if err:
            self._raise(str(err))

    def release(self, graph):
        if self.lost is None:
            self._bridge.dropGraph(graph)

    # -- readback ---------------------------------------------------------------------------

    def read(self, handle: int, offset: int, nbytes: int) -> bytes:
        """Flush, then wait for the bytes (JSPI: pyodide.ffi.run_sync)."""
        self.check()
        self._touch(handle, "read a GPU tensor")
        if not can_run_sync():
            raise RuntimeError(
                "webtensor: reading a WebGPU tensor synchronously needs JSPI "
                "(pyodide.ffi.can_run_sync() is False here): use `await t.cpu_async()`")
        self.flush()
        ffi = _ffi()
        try:
            data = ffi.run_sync(self._bridge.read(handle, int(offset), int(nbytes)))
        except ffi.JsException as e:
            self._raise(_message(e), "read")
        return data.to_bytes()

    async def read_async(self, handle: int, offset: int, nbytes: int) -> bytes:
        self.check()
        self._touch(handle, "read a GPU tensor")
        self.flush()
        ffi = _ffi()
        try:
            data = await self._bridge.read(handle, int(offset), int(nbytes))
        except ffi.JsException as e:
            self._raise(_message(e), "read")
        return data.to_bytes()


def _convert_info(info) -> dict:
    d = info.to_py()
    return {"adapter": str(d.get("adapter", "")), "backend": str(d.get("backend", "browser")),
            "fallback": bool(d.get("fallback", False)),
            "features": set(d.get("features", ())),
            "limits": {str(k): int(v) for k, v in dict(d.get("limits", {})).items()}}
