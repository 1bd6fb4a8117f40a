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
  host.record(pipeline, handles, params, groups)
                               one dispatch: bind group 0 = binding 0 a uniform `params`
                               (bytes, <= 256), bindings 1.. the storage buffers `handles`
                               (whole buffers: views pass element offsets in params);
                               groups (x, y, z) workgroups. Recorded, not yet submitted.
                               Storage buffers are `var<storage, read>` except binding 1 (the
                               output, read_write); a buffer never appears twice in one
                               dispatch as output and input (backend.py computes aside).
  host.flush()                encodes every recorded dispatch into one command encoder and
                               submits it (one JS call in the browser)
  host.read(handle, offset, nbytes) -> bytes   flush, copy into a pooled staging buffer,
                               mapAsync, wait (browser: pyodide.ffi.run_sync, JSPI)
  await host.read_async(handle, offset, nbytes) -> bytes   the same without blocking
  host.lost                   None, or the device-lost reason (then every call raises)

Recorded dispatches are flushed at a read, at a write, and every FLUSH_EVERY dispatches.
"""

FLUSH_EVERY = 64
PARAMS_BYTES = 256          # one uniform slot per dispatch (minUniformBufferOffsetAlignment)


class OutOfMemoryError(RuntimeError):
    """torch.OutOfMemoryError's counterpart for the WebGPU device."""


class Host:
    """Shared bookkeeping; host_browser.Host and host_wgpu.Host fill in the rest."""
    info = None
    lost = None

    def check(self):
        if self.lost is not None:
            raise RuntimeError(f"webtensor: the WebGPU device was lost ({self.lost}); tensors "
                               "on it can no longer be read")
