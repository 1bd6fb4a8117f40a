"""The one interface between the WebGPU backend and whatever runs WebGPU: the browser (the JS
bridge `webgpu_bridge/bridge.mjs`, reached through pyodide.ffi: host_browser.py) or CPython
(the `wgpu` package, wgpu-native: host_wgpu.py). Both run the same WGSL.

Everything above this file (storage, pool, kernels, backend) talks to a Host only:

  host.info                   {"adapter": str, "backend": str, "fallback": bool,
                               "features": set[str], "limits": {name: int}}
                               features: WebGPU's names, only those the kernels may use
                               ("shader-f16", "subgroups", "timestamp-query"); limits: WebGPU's
                               JS names (maxBufferSize, maxStorageBufferBindingSize, ...), the
                               values the device was requested with (the adapter's)
  host.buffer(nbytes)         -> handle (int); a zeroed STORAGE | COPY_SRC | COPY_DST buffer of
                               nbytes rounded up to 4; raises OutOfMemoryError past
                               min(maxBufferSize, maxStorageBufferBindingSize) (every buffer
                               is bound whole) / on an out-of-memory error scope
  host.destroy(handle)        flushes first when a recorded dispatch still uses the buffer
  host.write(handle, offset, data)   queue.writeBuffer, ordered with the recorded dispatches
                               (the recorder flushes first); offset and len(data) multiples of 4
  host.pipeline(name, wgsl)   -> pipeline handle, compiled once per name (the WGSL entry point
                               is `name`: kernels.py names them); layout "auto"; a WGSL error
                               raises RuntimeError naming the kernel
  host.record(pipeline, handles, params, groups, writes_all=False, out=0)
                               one dispatch: bind group 0 = binding 0 a uniform `params`
                               (bytes, <= 256), bindings 1.. the storage buffers `handles`
                               (whole buffers: views pass element offsets in params);
                               groups (x, y, z) workgroups. Recorded, not yet submitted.
                               Storage buffers are `var<storage, read>` except binding 1 (the
                               output, read_write); a buffer never appears twice in one
                               dispatch as output and input (backend.py computes aside).
                               writes_all: the kernel writes every byte of the output's
                               storage without reading it (lets a pending zero fill go);
                               out: the output's position in handles (matmul's is last).
  host.wait()                 flush, then wait until the GPU has done it (synchronize)
  host.flush()                encodes every recorded dispatch into one command encoder and
                               submits it (one JS call in the browser)
  host.read(handle, offset, nbytes) -> bytes   flush, copy into a pooled staging buffer,
                               mapAsync, wait (browser: pyodide.ffi.run_sync, JSPI)
  await host.read_async(handle, offset, nbytes) -> bytes   the same without blocking
  host.lost                   None, or the device-lost reason (then every call raises)
  host.capture_begin() / host.capture_end() -> (graph, handles); host.replay(graph);
  host.release(graph)
                               graph capture (graphs.py): the dispatches recorded between
                               begin and end are kept (and run, as usual) and replayed later
                               with one submit; writes and reads during capture raise.

Recorded dispatches are flushed at a read, at a write, and every FLUSH_EVERY dispatches.

Shared bookkeeping lives in Host below: `pending` (pooled buffers handed out without their zero
fill: the fill is recorded only if something reads the buffer before a dispatch writes all of
it), `version` (per buffer, the sequence number of its last write: index checks are cached by
it) and the capture list.
"""
from ..._errors import OutOfMemoryError  # noqa: F401  (one class for every device)

FLUSH_EVERY = 64
PARAMS_BYTES = 256          # one uniform slot per dispatch (minUniformBufferOffsetAlignment)

class Host:
    """Shared bookkeeping; host_browser.Host and host_wgpu.Host fill in the rest (their
    record() calls _note() first, write()/read() call _touch())."""
    info = None
    lost = None
    zero = None             # zero(handle, nbytes): records a zero fill (set by storage.py)
    capturing = None        # the dispatches recorded since capture_begin(), or None

    def _init_common(self):
        self.pending = {}       # handle -> nbytes of its zero fill, not yet recorded
        self.version = {}
        self.seq = 0

    def can_read_sync(self):
        """Whether read() can wait here (the browser needs JSPI)."""
        return True

    def check(self):
        if self.lost is not None:
            raise RuntimeError(f"webtensor: the WebGPU device was lost ({self.lost}); tensors "
                               "on it can no longer be read")

    def _note(self, pipeline, handles, params, groups, writes_all, out):
        """Before a dispatch is recorded: pending zero fills of the buffers it reads, the
        output's version, the capture list."""
        if self.pending:
            for i, h in enumerate(handles):
                n = self.pending.pop(h, None)
                if n is not None and (i != out or not writes_all):
                    self.zero(h, n)
        self.seq += 1
        self.version[handles[out]] = self.seq
        if self.capturing is not None:
            if handles[out] in self.capture_consts:
                raise RuntimeError(
                    "webtensor: while capturing a graph, a kernel writes a tensor that was made "
                    "from host data during the capture: a replay would not restore that data; "
                    "make the tensor before capturing")
            self.capturing.append((pipeline, tuple(handles), bytes(params), tuple(groups)))

    def _touch(self, handle, what, write=False):
        """Before a host write or read of a buffer: a read gets its pending zero fill (a write
        covers the whole storage: storage.from_bytes is the one writer). While capturing, only
        a buffer made during the capture may be written (a constant, e.g. a scalar operand: it
        keeps its bytes for every replay); any other transfer could not be replayed."""
        capturing = self.capturing is not None
        if capturing and not (write and handle in self.capture_new):
            raise RuntimeError(
                f"webtensor: cannot {what} while capturing a graph: a graph replays GPU work "
                "only; copy inputs into the graph's static tensors before replay() and read "
                "outputs after it")
        n = self.pending.pop(handle, None)
        if n is not None and not write:
            self.zero(handle, n)
        if write:
            self.seq += 1
            self.version[handle] = self.seq
            if capturing:
                self.capture_consts.add(handle)

    # ---- graph capture (the host-specific part: _graph / replay) ---------------------------
    def capture_begin(self):
        self.check()
        if self.capturing is not None:
            raise RuntimeError("webtensor: a graph capture is already under way")
        # a tensor made before the capture is zero now, not at every replay: its pending fill
        # must not become part of the graph (a step that writes part of it would lose the
        # earlier replays' writes)
        for h, n in list(self.pending.items()):
            self.zero(h, n)
        self.pending.clear()
        self.flush()
        self.capturing = []
        self.capture_new = set()        # buffers allocated during the capture
        self.capture_consts = set()     # ... and written from host data

    def capture_end(self):
        """-> (graph, handles): the host's prepared form of the captured dispatches for
        replay(), and the buffers they use."""
        cmds, self.capturing = self.capturing, None
        if cmds is None:
            raise RuntimeError("webtensor: capture_end() without capture_begin()")
        self.flush()
        return self._graph(cmds), {h for _, handles, _, _ in cmds for h in handles}
