"""host.Host on CPython: the `wgpu` package (wgpu-native; Vulkan/Metal/D3D12, lavapipe in CI).

Runs exactly the WGSL the browser runs. One uniform buffer of FLUSH_EVERY * 256 bytes holds the
params of the recorded dispatches (slot i at offset 256 * i); a flush writes the used slots with
one queue.writeBuffer, then encodes every dispatch into one command encoder. Bind groups are
cached per (pipeline, handles, slot) and dropped when one of their buffers is destroyed.
"""
import asyncio

from . import host as H

_LIMITS = ("max-buffer-size", "max-storage-buffer-binding-size",
           "max-storage-buffers-per-shader-stage", "max-compute-workgroups-per-dimension",
           "max-compute-invocations-per-workgroup", "max-compute-workgroup-size-x",
           "max-compute-workgroup-storage-size")
_FEATURES = {"shader-f16": "shader-f16", "subgroup": "subgroups", "subgroups": "subgroups",
             "timestamp-query": "timestamp-query"}       # wgpu-native's name -> WebGPU's


def _js_name(limit):
    head, *rest = limit.split("-")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def _raw_encoder():
    """(lib, NULL) of wgpu-native's cffi binding, or None where this wgpu version differs: the
    replay loop then takes the public methods (the graph keeps every object they point to)."""
    try:
        from wgpu.backends.wgpu_native._api import ffi, libf
        libf.wgpuComputePassEncoderDispatchWorkgroups  # noqa: B018 - present?
        return libf, ffi.NULL
    except (ImportError, AttributeError):
        return None


class Host(H.Host):
    def __init__(self):
        import wgpu
        self._wgpu = wgpu
        adapter = wgpu.gpu.request_adapter_sync(power_preference="high-performance")
        if adapter is None:
            raise RuntimeError("webtensor: no WebGPU adapter (wgpu found no Vulkan/Metal/D3D12 "
                               "device; on Linux install mesa-vulkan-drivers for lavapipe)")
        lim = adapter.limits
        want = {k: lim[k] for k in _LIMITS if k in lim}
        feats = [f for f in adapter.features if f in _FEATURES]     # shader-f16, subgroups
        self.device = adapter.request_device_sync(required_limits=want, required_features=feats)
        ai = adapter.info
        self.info = {
            "adapter": f"{ai.get('vendor', '')} {ai.get('device', '')}".strip(),
            "backend": f"wgpu-native {ai.get('backend_type', '')}".strip(),
            "fallback": ai.get("adapter_type", "") == "CPU",
            "features": {_FEATURES[f] for f in adapter.features if f in _FEATURES},
            "limits": {_js_name(k): int(v) for k, v in want.items()},
        }
        self.max_buffer = min(int(lim["max-buffer-size"]),
                              int(lim["max-storage-buffer-binding-size"]))
        self._buffers = {}          # handle -> GPUBuffer
        self._next = 1
        self._pipelines = []        # handle -> (GPUComputePipeline, name)
        self._by_name = {}          # kernel name -> pipeline handle
        self._recorded = []         # [(pipeline, handles, params, groups)]
        self._batch = set()         # the buffers _recorded uses
        self._sync_buffer = None
        self._bind_groups = {}      # (pipeline, handles, slot) -> GPUBindGroup
        self._bg_of = {}            # handle -> keys of _bind_groups using it
        self._staging = []          # free MAP_READ | COPY_DST buffers
        self._uniform = self.device.create_buffer(
            size=H.FLUSH_EVERY * H.PARAMS_BYTES,
            usage=wgpu.BufferUsage.UNIFORM | wgpu.BufferUsage.COPY_DST)
        self.submits = 0            # counters (tests, benchmarks)
        self.dispatches = 0
        self._init_common()

    # ---- buffers -------------------------------------------------------------------------
    def buffer(self, nbytes):
        self.check()
        size = max(4, (nbytes + 3) & ~3)
        if size > self.max_buffer:
            raise H.OutOfMemoryError(
                f"webtensor: WebGPU buffer of {nbytes} bytes exceeds the adapter's limit "
                f"({self.max_buffer} bytes: min of maxBufferSize, maxStorageBufferBindingSize)")
        u = self._wgpu.BufferUsage
        try:
            buf = self.device.create_buffer(size=size,
                                            usage=u.STORAGE | u.COPY_SRC | u.COPY_DST)
        except self._wgpu.GPUOutOfMemoryError as e:
            raise H.OutOfMemoryError(f"webtensor: WebGPU out of memory allocating {nbytes} "
                                     f"bytes: {e}") from None
        except Exception as e:  # noqa: BLE001 - validation errors name the size
            self._lost_if(e)
            raise H.OutOfMemoryError(f"webtensor: WebGPU could not allocate {nbytes} bytes: "
                                     f"{e}") from None
        h = self._next
        self._next += 1
        self._buffers[h] = buf
        return h

    def destroy(self, handle):
        buf = self._buffers.pop(handle, None)
        if buf is None:
            return
        self.pending.pop(handle, None)
        self.version.pop(handle, None)
        if handle in self._batch:
            self.flush()
        for key in self._bg_of.pop(handle, ()):
            self._bind_groups.pop(key, None)
        buf.destroy()

    def write(self, handle, offset, data):
        self.check()
        self._touch(handle, "copy host data to the GPU", write=True)
        if handle in self._batch:       # recorded dispatches must see the old bytes
            self.flush()
        try:
            self.device.queue.write_buffer(self._buffers[handle], offset, data)
        except Exception as e:  # noqa: BLE001
            self._lost_if(e)
            raise

    # ---- kernels -------------------------------------------------------------------------
    def pipeline(self, name, wgsl):
        self.check()
        h = self._by_name.get(name)
        if h is not None:
            return h
        try:
            module = self.device.create_shader_module(label=name, code=wgsl)
            pipe = self.device.create_compute_pipeline(
                label=name, layout="auto", compute={"module": module, "entry_point": name})
        except Exception as e:  # noqa: BLE001 - naga's message, under the kernel's name
            raise RuntimeError(f"webtensor: WebGPU kernel {name!r} failed to compile: "
                               f"{e}") from None
        h = len(self._pipelines)
        self._pipelines.append((pipe, name))
        self._by_name[name] = h
        return h

    def record(self, pipeline, handles, params, groups, writes_all=False, out=0):
        self.check()
        if len(params) > H.PARAMS_BYTES:
            raise ValueError("params longer than 256 bytes")
        self._note(pipeline, handles, params, groups, writes_all, out)
        self._batch.update(handles)
        self._recorded.append((pipeline, tuple(handles), params, groups))
        if len(self._recorded) >= H.FLUSH_EVERY:
            self.flush()

    def _new_bind_group(self, pipeline, handles, uniform, slot):
        pipe = self._pipelines[pipeline][0]
        entries = [{"binding": 0, "resource": {"buffer": uniform,
                                               "offset": slot * H.PARAMS_BYTES,
                                               "size": H.PARAMS_BYTES}}]
        entries += [{"binding": i + 1, "resource": {"buffer": self._buffers[h]}}
                    for i, h in enumerate(handles)]
        return self.device.create_bind_group(layout=pipe.get_bind_group_layout(0),
                                             entries=entries)

    def _bind_group(self, pipeline, handles, slot):
        key = (pipeline, handles, slot)
        bg = self._bind_groups.get(key)
        if bg is None:
            bg = self._new_bind_group(pipeline, handles, self._uniform, slot)
            if len(self._bind_groups) > 4096:
                self._bind_groups.clear()
                self._bg_of.clear()
            self._bind_groups[key] = bg
            for h in set(handles):
                self._bg_of.setdefault(h, []).append(key)
        return bg

    def flush(self):
        rec = self._recorded
        if not rec:
            return
        self._recorded = []
        self._batch = set()
        self.check()
        blob = b"".join(p.ljust(H.PARAMS_BYTES, b"\0") for _, _, p, _ in rec)
        dev = self.device
        name = None
        try:
            dev.queue.write_buffer(self._uniform, 0, blob)
            enc = dev.create_command_encoder()
            cp = enc.begin_compute_pass()
            for slot, (pipeline, handles, _, groups) in enumerate(rec):
                name = self._pipelines[pipeline][1]
                cp.set_pipeline(self._pipelines[pipeline][0])
                cp.set_bind_group(0, self._bind_group(pipeline, handles, slot))
                cp.dispatch_workgroups(*groups)
            name = None
            cp.end()
            dev.queue.submit([enc.finish()])
        except Exception as e:  # noqa: BLE001
            self._lost_if(e)
            where = f"kernel {name!r}" if name else "a batch of kernels"
            raise RuntimeError(f"webtensor: WebGPU error in {where}: {e}") from None
        self.submits += 1
        self.dispatches += len(rec)

    def _lost_if(self, e):
        """wgpu-py does not report device loss (GPUDevice.lost): its errors name it."""
        lines = [ln.strip() for ln in str(e).splitlines() if "lost" in ln.lower()]
        if lines:
            self.lost = self.lost or lines[0]
            self.check()

    def destroy_device(self):
        """Lose the device on purpose (fault tests)."""
        self.device.destroy()
        self.lost = "the device was destroyed"

    def wait(self):
        """Submit what is recorded and wait until the GPU has done it: a 4-byte read, which
        the queue orders after everything submitted (wgpu 0.32's on_submitted_work_done
        fails against its own wgpu-native)."""
        self.check()
        if self._sync_buffer is None:
            self._sync_buffer = self.buffer(4)
        self.read(self._sync_buffer, 0, 4)

    # ---- graphs --------------------------------------------------------------------------
    def _graph(self, cmds):
        """The captured dispatches with their own uniform buffer (every params block written
        once) and bind groups: replay() only encodes and submits."""
        uniform = self.device.create_buffer(
            size=max(1, len(cmds)) * H.PARAMS_BYTES,
            usage=self._wgpu.BufferUsage.UNIFORM | self._wgpu.BufferUsage.COPY_DST)
        if cmds:
            self.device.queue.write_buffer(
                uniform, 0, b"".join(p.ljust(H.PARAMS_BYTES, b"\0") for _, _, p, _ in cmds))
        run = [(self._pipelines[pipeline][0],
                self._new_bind_group(pipeline, handles, uniform, slot), groups)
               for slot, (pipeline, handles, _, groups) in enumerate(cmds)]
        raw = [(p._internal, bg._internal, tuple(g) + (1,) * (3 - len(g))) for p, bg, g in run]
        return {"uniform": uniform, "run": run, "raw": raw}

    def replay(self, graph):
        self.check()
        self.flush()
        enc = self.device.create_command_encoder()
        cp = enc.begin_compute_pass()
        raw = _raw_encoder()
        if raw is not None:         # wgpu-native's C entry points: ~1 us a dispatch, not ~5
            lib, null, c = *raw, cp._internal
            pipe_fn, group_fn = lib.wgpuComputePassEncoderSetPipeline, \
                lib.wgpuComputePassEncoderSetBindGroup
            dispatch_fn = lib.wgpuComputePassEncoderDispatchWorkgroups
            for pipe, bg, (x, y, z) in graph["raw"]:
                pipe_fn(c, pipe)
                group_fn(c, 0, bg, 0, null)
                dispatch_fn(c, x, y, z)
        else:
            for pipe, bg, groups in graph["run"]:
                cp.set_pipeline(pipe)
                cp.set_bind_group(0, bg)
                cp.dispatch_workgroups(*groups)
        cp.end()
        self.device.queue.submit([enc.finish()])
        self.submits += 1
        self.dispatches += len(graph["run"])

    def release(self, graph):
        graph["run"] = []
        graph["uniform"].destroy()

    # ---- readback ------------------------------------------------------------------------
    def _stage(self, handle, offset, nbytes):
        self.check()
        self._touch(handle, "read a GPU tensor")
        self.flush()
        size = max(4, (nbytes + 3) & ~3)
        start = offset & ~3
        span = ((offset + nbytes + 3) & ~3) - start
        staging = None
        for i, (cap, buf) in enumerate(self._staging):
            if cap >= span:
                staging = self._staging.pop(i)
                break
        if staging is None:
            cap = max(256, 1 << (span - 1).bit_length())
            u = self._wgpu.BufferUsage
            staging = (cap, self.device.create_buffer(size=cap, usage=u.MAP_READ | u.COPY_DST))
        try:
            enc = self.device.create_command_encoder()
            enc.copy_buffer_to_buffer(self._buffers[handle], start, staging[1], 0, span)
            self.device.queue.submit([enc.finish()])
        except Exception as e:  # noqa: BLE001
            self._staging.append(staging)
            self._lost_if(e)
            raise
        self.submits += 1
        return staging, offset - start, span, size

    def _unstage(self, staging, skip, span, nbytes):
        buf = staging[1]
        data = bytes(buf.read_mapped(0, span))[skip:skip + nbytes]
        buf.unmap()
        self._staging.append(staging)
        if len(self._staging) > 8:
            self._staging.pop(0)[1].destroy()
        return data

    def read(self, handle, offset, nbytes):
        if nbytes == 0:
            return b""
        staging, skip, span, _ = self._stage(handle, offset, nbytes)
        try:
            staging[1].map_sync(self._wgpu.MapMode.READ, 0, span)
        except Exception as e:  # noqa: BLE001
            self._lost_if(e)
            raise RuntimeError(f"webtensor: WebGPU read failed: {e}") from None
        return self._unstage(staging, skip, span, nbytes)

    async def read_async(self, handle, offset, nbytes):
        if nbytes == 0:
            return b""
        staging, skip, span, _ = self._stage(handle, offset, nbytes)
        promise = staging[1].map_async(self._wgpu.MapMode.READ, 0, span)
        try:
            await promise
        except Exception:  # noqa: BLE001 - no async integration here: wait without blocking
            while staging[1].map_state != "mapped":
                await asyncio.sleep(0)
                self.device._poll()
        return self._unstage(staging, skip, span, nbytes)
