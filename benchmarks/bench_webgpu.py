"""WebGPU matmul benchmark through CPython's `wgpu` (wgpu-native): the same WGSL the webgpu
device runs in the browser (pyodide_pkg/webtensor/backends/webgpu/wgsl/matmul.wgsl).

Measures, on whatever adapter wgpu gives (power_preference="high-performance"):
  (a) the adapter's name / backend
  (b) a measured f32 FMA peak (register-only WGSL loop, 32 independent FMA chains per thread)
  (c) our `matmul` at 1024^3, 2048^3, 4096^3 (B row-major and B transposed, nn.Linear's
      x @ W.T) and `matmul_gemv` at 1 x 4096 x 4096 (both B layouts), GFLOP/s, each checked
      against a float64 reference on a sample of outputs; where the adapter has them, the same
      with float16 operands (`_f16` entry points, rows "f16": f32 arithmetic) and the subgroup
      GEMV (`matmul_gemv_sg`, rows "sg"; W^T only), each also as a ratio to its float32 row
  (d) torch's CUDA float32 matmul (TF32 off) at the same shapes, when torch sees a GPU
  (e) captured peer shaders (benchmarks/peers/webgpu_shaders.json), replayed with their
      dispatch sizes, when that file exists
and prints a table and writes JSON (default benchmarks/webgpu.json; --quick: webgpu_quick.json).

Timing: N dispatches recorded into one compute pass of one command encoder, submitted once,
waited for with queue.on_submitted_work_done + a 4-byte read-back; best of R; N is chosen so a
submit lasts ~`--target-ms`.

    python3 benchmarks/bench_webgpu.py                  # a real GPU
    VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json \\
        python3 benchmarks/bench_webgpu.py --quick      # lavapipe (CPU Vulkan): smoke only

Also imported by tests/unit/webgpu/test_matmul_wgsl.py as the harness (open_device, Runner,
matmul_params, run_matmul). Needs the standard library, wgpu and webtensor's matmul module
(the WGSL template, from this checkout); numpy is optional (needed for the f16 rows).
"""
import argparse
import base64
import json
import math
import os
import random
import struct
import sys
import time
from array import array
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WGSL_DIR = REPO / "pyodide_pkg" / "webtensor" / "backends" / "webgpu" / "wgsl"
PEERS_JSON = REPO / "benchmarks" / "peers" / "webgpu_shaders.json"

try:
    import numpy as np
except ImportError:  # pragma: no cover - the harness works without numpy
    np = None



def matmul_source(entry):
    """The WGSL module of matmul entry point `entry` (backends/webgpu/matmul.py fills in the
    template wgsl/matmul.wgsl: f32 / `_f16` operands, the `_sg` subgroup GEMV), for naga."""
    sys.path.insert(0, str(REPO / "pyodide_pkg"))
    try:
        from webtensor.backends.webgpu import matmul as mm
    finally:
        sys.path.pop(0)
    return mm.source(entry)


ACTS = {"none": 0, "relu": 1, "gelu": 2, "gelu_tanh": 3, "silu": 4}
BM = BN = 128          # matmul's block (see matmul.wgsl)
GEMV_OUT = 16          # matmul_gemv's outputs per workgroup


# ---- device and runner ----------------------------------------------------------------------
def open_device(power_preference="high-performance"):
    """(adapter, device, info). Asks for the adapter's maxima of the buffer/storage limits."""
    import wgpu
    adapter = wgpu.gpu.request_adapter_sync(power_preference=power_preference)
    if adapter is None:
        raise RuntimeError("wgpu: no adapter")
    lim = dict(adapter.limits)
    want = {}
    for name in ("max-storage-buffer-binding-size", "max-buffer-size",
                 "max-compute-workgroup-storage-size", "max-compute-invocations-per-workgroup",
                 "max-compute-workgroup-size-x", "max-compute-workgroups-per-dimension"):
        if name in lim:
            want[name] = lim[name]
    feats = [f for f in adapter.features if f in ("shader-f16", "subgroup", "subgroups")]
    device = adapter.request_device_sync(required_limits=want, required_features=feats)
    ai = adapter.info
    info = {
        "adapter": ai.get("device", "") or ai.get("description", ""),
        "vendor": ai.get("vendor", ""),
        "backend": ai.get("backend_type", ""),
        "adapter_type": ai.get("adapter_type", ""),
        "description": ai.get("description", ""),
        "features": sorted(str(f) for f in adapter.features),
        "device_features": sorted(str(f) for f in device.features),
        "limits": {k: want[k] for k in want},
        "wgpu": getattr(wgpu, "__version__", "?"),
    }
    return adapter, device, info


class Runner:
    """Buffers, pipelines (layout 'auto', cached by (source, entry)), one bind group per
    dispatch, timing of N repeated dispatches in one command encoder."""

    def __init__(self, device=None, info=None):
        if device is None:
            _, device, info = open_device()
        import wgpu
        self.wgpu = wgpu
        self.device = device
        self.info = info
        self._modules = {}
        self._pipelines = {}
        self._work_done = True

    # buffers
    def storage(self, data=None, nbytes=None):
        U = self.wgpu.BufferUsage
        usage = U.STORAGE | U.COPY_SRC | U.COPY_DST
        if data is not None:
            data = _as_bytes(data)
            if len(data) % 4 or not data:
                data = bytes(data) + b"\0" * (4 - len(data) % 4 if data else 4)
            return self.device.create_buffer_with_data(data=data, usage=usage)
        return self.device.create_buffer(size=max(4, (nbytes + 3) // 4 * 4), usage=usage)

    def uniform(self, data):
        U = self.wgpu.BufferUsage
        data = _as_bytes(data)
        data = data + b"\0" * (-len(data) % 16)
        return self.device.create_buffer_with_data(data=data, usage=U.UNIFORM | U.COPY_DST)

    def read(self, buf, offset=0, size=None):
        return bytes(self.device.queue.read_buffer(buf, offset, size))

    def read_f32(self, buf, count=None):
        raw = self.read(buf, 0, None if count is None else count * 4)
        if np is not None:
            return np.frombuffer(raw, dtype=np.float32).copy()
        a = array("f")
        a.frombytes(raw)
        return a

    # pipelines
    def pipeline(self, wgsl, entry):
        key = (wgsl, entry)
        if key not in self._pipelines:
            mod = self._modules.get(wgsl)
            if mod is None:
                mod = self._modules[wgsl] = self.device.create_shader_module(code=wgsl)
            self._pipelines[key] = self.device.create_compute_pipeline(
                layout="auto", compute={"module": mod, "entry_point": entry})
        return self._pipelines[key]

    def bind(self, pipeline, buffers, group=0):
        """buffers: {binding: GPUBuffer} (or a list, bindings 0..)."""
        if not isinstance(buffers, dict):
            buffers = dict(enumerate(buffers))
        entries = [{"binding": b, "resource": {"buffer": buf, "offset": 0, "size": buf.size}}
                   for b, buf in sorted(buffers.items())]
        return self.device.create_bind_group(layout=pipeline.get_bind_group_layout(group),
                                             entries=entries)

    def submit(self, pipeline, bind_group, groups, n=1, sync_buf=None):
        enc = self.device.create_command_encoder()
        cp = enc.begin_compute_pass()
        cp.set_pipeline(pipeline)
        cp.set_bind_group(0, bind_group)
        for _ in range(n):
            cp.dispatch_workgroups(*groups)
        cp.end()
        cb = enc.finish()
        t0 = time.perf_counter()
        self.device.queue.submit([cb])
        self.sync(sync_buf)
        return time.perf_counter() - t0

    def sync(self, buf=None):
        q = self.device.queue
        if self._work_done:
            try:
                q.on_submitted_work_done_sync()
            except TypeError:  # wgpu 0.32.0's binding of it is broken (callback signature)
                self._work_done = False
        if buf is not None or not self._work_done:
            # a read-back waits for everything submitted before it
            if buf is None:
                buf = self._sync_buf = getattr(self, "_sync_buf", None) or self.storage(nbytes=4)
            q.read_buffer(buf, 0, 4)

    def time(self, pipeline, bind_group, groups, sync_buf, target_ms=60.0, repeats=5,
             max_n=500):
        """Best seconds per dispatch."""
        self.submit(pipeline, bind_group, groups, 1, sync_buf)           # warm-up / compile
        t1 = self.submit(pipeline, bind_group, groups, 1, sync_buf)
        n = int(max(1, min(max_n, target_ms / 1e3 / max(t1, 1e-6))))
        best = math.inf
        for _ in range(repeats):
            best = min(best, self.submit(pipeline, bind_group, groups, n, sync_buf) / n)
        return best, n


def _as_bytes(data):
    if isinstance(data, (bytes, bytearray)):
        return bytes(data)
    if isinstance(data, memoryview):
        return data.tobytes()
    if isinstance(data, array):
        return data.tobytes()
    if np is not None and isinstance(data, np.ndarray):
        return np.ascontiguousarray(data).tobytes()
    raise TypeError(f"cannot upload {type(data).__name__}")


# ---- matmul params and a one-call matmul ------------------------------------------------------
PARAM_FIELDS = ("M", "N", "K", "nb1",
                "a_off", "a_bs0", "a_bs1", "a_rs",
                "b_off", "b_bs0", "b_bs1", "b_rs",
                "c_off", "c_bs0", "c_bs1", "c_rs",
                "bias_off", "has_bias", "act", "b_trans")


def matmul_params(**kw):
    """The 80-byte Params of matmul.wgsl; fields default to 0 (nb1 to 1)."""
    kw.setdefault("nb1", 1)
    unknown = set(kw) - set(PARAM_FIELDS)
    if unknown:
        raise TypeError(f"unknown matmul params {sorted(unknown)}")
    return struct.pack("<20I", *(int(kw.get(f, 0)) for f in PARAM_FIELDS))


def matmul_groups(M, N, batch=1, gemv=False):
    if gemv:
        return (-(-N // GEMV_OUT), 1, batch)
    return (-(-N // BN), -(-M // BM), batch)


def matmul_setup(r, a, b, M, N, K, *, batch=(1,), a_bs=(None, None), b_bs=(None, None),
                 trans=False, bias=None, act="none", gemv=None, wgsl=None, sg=False, f16=False):
    """Upload and bind one (batched) matmul. a: [*batch_a, M, K] flat, b: [*batch_b, K, N] or
    (trans) [*batch_b, N, K] flat; batch: up to two dims (nb0, nb1) of C; a_bs / b_bs: batch
    strides, None = contiguous, 0 = broadcast; sg: the subgroup GEMV; f16: float16 operands
    and C (a, b, bias uploaded as float16: numpy). Returns (pipeline, bind group, groups, C)."""
    batch = tuple(batch) + (1,) * (2 - len(batch))
    nb0, nb1 = batch
    def strides(bs, mat):
        s1 = mat if bs[1] is None else bs[1]
        s0 = mat * nb1 if bs[0] is None else bs[0]
        return s0, s1
    a_bs0, a_bs1 = strides(a_bs, M * K)
    b_bs0, b_bs1 = strides(b_bs, K * N)
    gemv = (M == 1) if gemv is None else gemv
    params = matmul_params(M=M, N=N, K=K, nb1=nb1, a_bs0=a_bs0, a_bs1=a_bs1, a_rs=K,
                           b_bs0=b_bs0, b_bs1=b_bs1, b_rs=K if trans else N,
                           c_bs0=M * N * nb1, c_bs1=M * N, c_rs=N,
                           has_bias=bias is not None, act=ACTS[act], b_trans=int(trans))
    entry = ("matmul_gemv_sg" if sg else "matmul_gemv" if gemv else "matmul") + \
        ("_f16" if f16 else "")
    pipe = r.pipeline(wgsl if wgsl is not None else matmul_source(entry), entry)
    up = (lambda v: np.asarray(v, dtype=np.float16)) if f16 else (lambda v: v)
    A = r.storage(up(a))
    B = r.storage(up(b))
    Bias = r.storage(up(bias)) if bias is not None else A
    C = r.storage(nbytes=nb0 * nb1 * M * N * (2 if f16 else 4))
    bg = r.bind(pipe, {0: r.uniform(params), 1: A, 2: B, 3: Bias, 4: C})
    return pipe, bg, matmul_groups(M, N, nb0 * nb1, gemv), C


def run_matmul(r, a, b, M, N, K, **kw):
    """C (flat float32: numpy array if numpy is present, else array('f'))."""
    pipe, bg, groups, C = matmul_setup(r, a, b, M, N, K, **kw)
    r.submit(pipe, bg, groups)
    return r.read_f32(C)


# ---- benchmark pieces -----------------------------------------------------------------------
FMA_WGSL = """
struct P { iters: u32, y: f32, z: f32, pad: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn fma_peak(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
    let id = g.y * nw.x * 256u + g.x;
    let y = vec4<f32>(p.y);
    let z = vec4<f32>(p.z);
    let s = f32(id) * 1e-9;
    var x0 = vec4<f32>(s, s + 0.1, s + 0.2, s + 0.3);
    var x1 = x0 + 0.01; var x2 = x0 + 0.02; var x3 = x0 + 0.03;
    var x4 = x0 + 0.04; var x5 = x0 + 0.05; var x6 = x0 + 0.06; var x7 = x0 + 0.07;
    for (var i = 0u; i < p.iters; i = i + 1u) {
BODY    }
    out[id] = dot(x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7, vec4<f32>(1.0));
}
"""
FMA_UNROLL = 4          # body = FMA_UNROLL x 8 vec4 fma -> 256 flops per thread per iteration
FMA_WGSL = FMA_WGSL.replace("BODY", "".join(
    "        " + " ".join(f"x{j} = fma(x{j}, y, z);" for j in range(8)) + "\n"
    for _ in range(FMA_UNROLL)))


def bench_fma_peak(r, quick=False, target_ms=60.0, repeats=5):
    gx, gy, iters = (64, 1, 64) if quick else (1024, 16, 256)
    threads = gx * gy * 256
    pipe = r.pipeline(FMA_WGSL, "fma_peak")
    out = r.storage(nbytes=threads * 4)
    bg = r.bind(pipe, {0: r.uniform(struct.pack("<IffI", iters, 0.999, 0.001, 0)), 1: out})
    sec, n = r.time(pipe, bg, (gx, gy, 1), out, target_ms, repeats)
    flops = threads * iters * FMA_UNROLL * 8 * 4 * 2
    return {"gflops": flops / sec / 1e9, "ms": sec * 1e3, "threads": threads, "iters": iters,
            "dispatches_per_submit": n}


def _rand(count, seed):
    if np is not None:
        return np.random.default_rng(seed).standard_normal(count, dtype=np.float32)
    rnd = random.Random(seed)
    pat = array("f", (rnd.uniform(-1.0, 1.0) for _ in range(min(count, 4099))))
    reps = -(-count // len(pat))
    out = pat * reps
    del out[count:]
    return out


def check_sample(c, a, b, M, N, K, trans, samples=48, seed=0):
    """max |c - ref| / (sum_k |a_k b_k| + tiny) over a sample of outputs, ref in float64."""
    rnd = random.Random(seed)
    worst = 0.0
    for _ in range(samples):
        m, n = rnd.randrange(M), rnd.randrange(N)
        if np is not None:
            ar = np.asarray(a[m * K:(m + 1) * K], dtype=np.float64)
            br = (np.asarray(b[n * K:(n + 1) * K], dtype=np.float64) if trans
                  else np.asarray(b[n::N][:K], dtype=np.float64))
            prod = ar * br
            ref, scale = float(prod.sum()), float(np.abs(prod).sum())
        else:
            ref = scale = 0.0
            for k in range(K):
                v = float(a[m * K + k]) * float(b[n * K + k] if trans else b[k * N + n])
                ref += v
                scale += abs(v)
        worst = max(worst, abs(float(c[m * N + n]) - ref) / (scale + 1e-30))
    return worst


def bench_matmul(r, M, N, K, trans, target_ms, repeats, gemv=None, sg=False, f16=False):
    a = _rand(M * K, 1)
    b = _rand(K * N, 2)
    pipe, bg, groups, C = matmul_setup(r, a, b, M, N, K, trans=trans, gemv=gemv, sg=sg, f16=f16)
    sec, n = r.time(pipe, bg, groups, C, target_ms, repeats)
    if f16:     # the reference takes the float16-rounded operands; C carries one f16 rounding
        a, b = (np.asarray(v, dtype=np.float16).astype(np.float32) for v in (a, b))
        c = np.frombuffer(r.read(C), dtype=np.float16)[:M * N].astype(np.float32)
    else:
        c = r.read_f32(C)
    err = check_sample(c, a, b, M, N, K, trans)
    for buf in (C,):
        buf.destroy()
    return {"ms": sec * 1e3, "gflops": 2.0 * M * N * K / sec / 1e9, "rel_err": err,
            "ok": err < (1e-3 if f16 else 1e-4), "dispatches_per_submit": n}


def bench_torch(shapes, repeats=5):
    try:
        import torch
    except Exception:  # noqa: BLE001
        return None
    if not torch.cuda.is_available():
        return None
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    out = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__, "results": {}}
    for key, (M, N, K, trans) in shapes.items():
        a = torch.randn(M, K, device="cuda")
        b = torch.randn(N, K, device="cuda") if trans else torch.randn(K, N, device="cuda")
        f = (lambda: a @ b.T) if trans else (lambda: a @ b)
        for _ in range(3):
            f()
        torch.cuda.synchronize()
        one = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        one[0].record(); f(); one[1].record(); torch.cuda.synchronize()
        n = int(max(1, min(500, 60.0 / max(one[0].elapsed_time(one[1]), 1e-3))))
        best = math.inf
        for _ in range(repeats):
            s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            s.record()
            for _ in range(n):
                f()
            e.record()
            torch.cuda.synchronize()
            best = min(best, s.elapsed_time(e) / n)
        out["results"][key] = {"ms": best, "gflops": 2.0 * M * N * K / (best / 1e3) / 1e9}
        del a, b
    torch.cuda.empty_cache()
    return out


def bench_peers(r, path, target_ms, repeats):
    """Replays captured peer ops (benchmarks/peers/capture_webgpu_shaders.py's JSON):
    [{peer, version, name, shape: [M, N, K], b_transposed, steps: [{wgsl, entry_point,
    dispatch: [x, y, z], bindings: [{group, binding, type: uniform|storage, buffer (id),
    buffer_size, offset, size, data_b64 (uniforms)}]}]}]. Storage buffers start zeroed (the
    timing of a float32 matmul does not depend on the values); uniforms get the captured bytes.
    All steps of an op are recorded N times into one compute pass; ms is per op."""
    U = r.wgpu.BufferUsage
    ops = json.loads(Path(path).read_text())
    out = []
    for i, op in enumerate(ops):
        row = {"peer": op.get("peer", "?"), "version": op.get("version"),
               "name": op.get("name", f"op{i}"), "shape": op.get("shape"),
               "dispatch": [st["dispatch"] for st in op.get("steps", [])]}
        bufs = {}
        try:
            steps = []
            for st in op["steps"]:
                if not st.get("wgsl"):
                    raise ValueError("a step's shader was not captured")
                pipe = r.pipeline(st["wgsl"], st.get("entry_point", "main"))
                groups = {}
                for bd in st["bindings"]:
                    bid = bd["buffer"]
                    if bid not in bufs:
                        size = max(bd.get("buffer_size") or 0, bd["offset"] + bd["size"])
                        bufs[bid] = r.device.create_buffer(
                            size=(size + 3) // 4 * 4,
                            usage=U.STORAGE | U.UNIFORM | U.COPY_SRC | U.COPY_DST)
                    if bd.get("data_b64"):
                        data = base64.b64decode(bd["data_b64"])
                        data += b"\0" * (-len(data) % 4)
                        r.device.queue.write_buffer(bufs[bid], bd["offset"], data)
                    groups.setdefault(bd.get("group", 0), []).append(
                        {"binding": bd["binding"], "resource": {
                            "buffer": bufs[bid], "offset": bd["offset"], "size": bd["size"]}})
                bgs = {g: r.device.create_bind_group(layout=pipe.get_bind_group_layout(g),
                                                     entries=sorted(e, key=lambda x: x["binding"]))
                       for g, e in groups.items()}
                steps.append((pipe, bgs, tuple(st["dispatch"])))
            sync_buf = next(iter(bufs.values()))

            def once(n):
                enc = r.device.create_command_encoder()
                cp = enc.begin_compute_pass()
                for _ in range(n):
                    for pipe, bgs, groups in steps:
                        cp.set_pipeline(pipe)
                        for g, bg in bgs.items():
                            cp.set_bind_group(g, bg)
                        cp.dispatch_workgroups(*groups)
                cp.end()
                cb = enc.finish()
                t0 = time.perf_counter()
                r.device.queue.submit([cb])
                r.sync(sync_buf)
                return time.perf_counter() - t0

            once(1)
            t1 = once(1)
            n = int(max(1, min(500, target_ms / 1e3 / max(t1, 1e-6))))
            sec = min(once(n) / n for _ in range(repeats))
            row["ms"] = sec * 1e3
            row["dispatches_per_submit"] = n
            if op.get("shape"):
                M, N, K = op["shape"][:3]
                row["gflops"] = 2.0 * M * N * K / sec / 1e9
        except Exception as e:  # noqa: BLE001 - one bad shader must not stop the table
            row["error"] = f"{type(e).__name__}: {e}"
        finally:
            for b in bufs.values():
                b.destroy()
        out.append(row)
    return out


def _peer_key(p):
    """The key of our row for a peer op of the same shape, e.g. '1024x1024x1024 B^T'."""
    if not p.get("shape"):
        return None
    M, N, K = p["shape"][:3]
    bt = " B^T" if "B^T" in p.get("name", "") else ""
    return f"1x{N}x{K} gemv{bt}" if M == 1 else f"{M}x{N}x{K}{bt}"


# ---- main -----------------------------------------------------------------------------------
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", help="square sizes (default 1024 2048 4096)")
    ap.add_argument("--gemv", type=int, help="GEMV size: 1 x G x G (default 4096)")
    ap.add_argument("--quick", action="store_true", help="small sizes (lavapipe, SwiftShader)")
    ap.add_argument("--out", help="JSON path (default benchmarks/webgpu.json; with --quick "
                    "benchmarks/webgpu_quick.json, so a CPU smoke run never overwrites GPU numbers)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--target-ms", type=float, default=60.0)
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("--peers", help="captured peer shaders to replay (default "
                    "benchmarks/peers/webgpu_shaders.json; none under --quick: they are the "
                    "full-size shapes)")
    args = ap.parse_args(argv)
    if args.out is None:
        args.out = str(REPO / "benchmarks" / ("webgpu_quick.json" if args.quick else "webgpu.json"))
    sizes = args.sizes or ([64, 128, 256] if args.quick else [1024, 2048, 4096])
    g = args.gemv or (512 if args.quick else 4096)
    target = 20.0 if args.quick and args.target_ms == 60.0 else args.target_ms
    reps = 2 if args.quick and args.repeats == 5 else args.repeats

    _, device, info = open_device()
    r = Runner(device, info)
    print(f"adapter: {info['adapter']} ({info['backend']}, {info['adapter_type']}), "
          f"wgpu {info['wgpu']}", flush=True)
    res = {"adapter": info, "quick": args.quick, "time": time.strftime("%Y-%m-%d %H:%M:%S"),
           "python": sys.version.split()[0], "numpy": getattr(np, "__version__", None)}

    peak = bench_fma_peak(r, args.quick, target, reps)
    res["fma_peak"] = peak
    print(f"f32 FMA peak (register loop): {peak['gflops']:.1f} GFLOP/s", flush=True)

    f16 = "shader-f16" in info["device_features"] and np is not None
    sg = bool({"subgroup", "subgroups"} & set(info["device_features"]))
    shapes = {}         # key -> (M, N, K, B transposed, subgroup GEMV, float16)
    for s in sizes:
        for t in (False, True):
            base = f"{s}x{s}x{s}" + (" B^T" if t else "")
            shapes[base] = (s, s, s, t, False, False)
            if f16:
                shapes[base + " f16"] = (s, s, s, t, False, True)
    for t in (False, True):
        base = f"1x{g}x{g} gemv" + (" B^T" if t else "")
        shapes[base] = (1, g, g, t, False, False)
        for v_sg, v_f16 in ((True, False), (False, True), (True, True)):
            if (v_sg and (not sg or not t)) or (v_f16 and not f16):
                continue
            shapes[base + (" sg" if v_sg else "") + (" f16" if v_f16 else "")] = \
                (1, g, g, t, v_sg, v_f16)
    ours = {}
    for key, (M, N, K, trans, v_sg, v_f16) in shapes.items():
        ours[key] = bench_matmul(r, M, N, K, trans, target, reps, sg=v_sg, f16=v_f16)
        o = ours[key]
        print(f"  ours {key:>26}: {o['gflops']:10.1f} GFLOP/s  {o['ms']:9.3f} ms  "
              f"rel err {o['rel_err']:.1e} {'ok' if o['ok'] else 'WRONG'}", flush=True)
    res["matmul"] = {k: dict(v, shape=list(shapes[k][:3]), b_transposed=shapes[k][3],
                             subgroups=shapes[k][4], float16=shapes[k][5])
                     for k, v in ours.items()}

    f32_shapes = {k: v[:4] for k, v in shapes.items() if not (v[4] or v[5])}
    tor = None if args.no_torch else bench_torch(f32_shapes, reps)
    res["torch_cuda_fp32"] = tor
    peers = None
    peers_path = args.peers or (None if args.quick else str(PEERS_JSON))
    if peers_path and Path(peers_path).is_file():
        peers = bench_peers(r, peers_path, target, reps)
    res["peers"] = peers

    # table
    pk = peak["gflops"]
    print()
    print(f"{'shape':>28} | {'ours GFLOP/s':>12} | {'% FMA peak':>10} | {'/ f32 row':>9} | "
          f"{'torch fp32':>10} | {'ours/torch':>10}")
    print("-" * 96)
    for key, o in ours.items():
        t = tor["results"].get(key) if tor else None
        ts = f"{t['gflops']:10.1f}" if t else f"{'-':>10}"
        rs = f"{o['gflops'] / t['gflops']:10.2f}" if t else f"{'-':>10}"
        base = ours.get(key.replace(" sg", "").replace(" f16", ""))
        if base is not o:
            o["over_f32"] = res["matmul"][key]["over_f32"] = o["gflops"] / base["gflops"]
        vs = f"{o['over_f32']:8.2f}x" if "over_f32" in o else f"{'-':>9}"
        print(f"{key:>28} | {o['gflops']:12.1f} | {100 * o['gflops'] / pk:9.1f}% | {vs} | {ts} | "
              f"{rs}" + ("" if o["ok"] else "  WRONG"))
    if peers:
        print("\ncaptured peer shaders (replayed through wgpu on this adapter):")
        for p in peers:
            if "error" in p:
                print(f"  {p['peer']:>12} {p['name']:>30}: {p['error']}")
                continue
            gf = f"{p['gflops']:10.1f} GFLOP/s" if "gflops" in p else ""
            o = ours.get(_peer_key(p))
            if o and "gflops" in p:
                p["ours_over_peer"] = o["gflops"] / p["gflops"]
                gf += f"   ours/peer {p['ours_over_peer']:.2f}x"
            print(f"  {p['peer']:>12} {p['name']:>30}: {p['ms']:9.3f} ms {gf}")
    print(f"\nFMA peak {pk:.1f} GFLOP/s on {info['adapter']} ({info['backend']})")
    if args.out:
        Path(args.out).write_text(json.dumps(res, indent=1) + "\n")
        print(f"wrote {args.out}")
    bad = [k for k, o in ours.items() if not o["ok"]]
    if bad:
        print(f"WRONG results: {bad}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
