"""Quantised-weight primitives of the webgpu device (webtensor.quant) on wgsl/quant.wgsl:
quant_linear (M == 1: <kind>_gemv, M > 1: <kind>_gemm; both dequantise the GGUF blocks in
registers), dequantize and dequantize_rows (<kind>_dequantize, the rows as a u32 buffer),
quantize (<kind>_quantize, wgsl/quantize.wgsl: ggml's quantisers bit for bit).

A QuantizedTensor on this device holds its blocks in a GPUStorage (QuantizedTensor.to moves
the raw bytes; nn modules move theirs with module.to("webgpu")). activations="int8" / "int16"
return NotImplemented (no integer-dot kernel here).
"""
import struct

from . import backend as BK, kernels as K
from .storage import covers

KINDS = ("q8_0", "q4_1")
QK = 32



def _pipe(host, name):
    return host.pipeline(name, K.wgsl('quant'))     # compiled once per name (the host caches)


def _groups(n):
    x = min(max(n, 1), 65535)
    return (x, (n + x - 1) // x, 1)


def _params(M=0, N=0, K=0, x_off=0, o_off=0, use_rows=0, gx=0):
    return struct.pack("<8I", M, N, K, x_off, o_off, use_rows, gx, 0)


def _check(out, q, x=None):
    if q.kind not in KINDS or BK._name(out.dtype) != "float32" or not out.is_contiguous() or \
            (x is not None and (BK._name(x.dtype) != "float32" or not x.is_contiguous())):
        return False
    dev = out._storage.device
    if q._storage.device is not dev:
        raise RuntimeError(f"Expected all tensors to be on the same device, but found at least "
                           f"two devices, {dev} and {q._storage.device}! (the quantised weight "
                           f"is on {q._storage.device}: move it with .to({str(dev)!r}))")
    return True


def quant_linear(out, x, q, activations="float32"):
    if activations != "float32" or not _check(out, q, x):
        return NotImplemented
    x = BK._on_gpu(x, out._storage.device)
    m, k = x.shape
    n = q.shape[0]
    if out.numel() == 0:
        return None
    if k == 0:
        return BK._fill(out, 0.0)
    if x._storage is out._storage:
        x = x.clone()
    host = out._storage.host
    handles = [out._storage.handle, x._storage.handle, q._storage.handle]
    if m == 1:
        g = _groups((n + 7) // 8)
        host.record(_pipe(host, f"{q.kind}_gemv"), handles,
                    _params(1, n, k, x._offset, out._offset, 0, g[0]), g, covers(out))
    else:
        host.record(_pipe(host, f"{q.kind}_gemm"), handles,
                    _params(m, n, k, x._offset, out._offset),
                    ((n + 15) // 16, (m + 15) // 16, 1), covers(out))
    return None


def _dequantize(out, q, rows_handle, nrows, use_rows):
    k = q.shape[1]
    nblocks = nrows * (k // QK)
    if nblocks == 0:
        return None
    host = out._storage.host
    g = _groups((nblocks + 63) // 64)
    host.record(_pipe(host, f"{q.kind}_dequantize"),
                [out._storage.handle, rows_handle, q._storage.handle],
                _params(0, nrows, k, 0, out._offset, use_rows, g[0]), g)
    return None


def dequantize(out, q):
    if not _check(out, q):
        return NotImplemented
    return _dequantize(out, q, q._storage.handle, q.shape[0], 0)


def dequantize_rows(out, q, rows):
    if not _check(out, q):
        return NotImplemented
    from ... import _dtype as D
    from .index import _check as checked
    n = rows.numel()
    if not n:
        return None
    rows = checked(q, rows, q.shape[0], lambda v: IndexError("index out of range in self"))
    idx = rows.to(D.int32)          # the kernel reads u32 rows
    return _dequantize(out, q, idx._storage.handle, n, 1)


def quantize(q, w):
    """q's blocks (GPU storage) = ggml's quantisation of float32 w (wgsl/quantize.wgsl)."""
    if q.kind not in KINDS or BK._name(w.dtype) != "float32" or not w.is_contiguous():
        return NotImplemented
    st = q._storage
    w = BK._on_gpu(w, st.device)
    nblocks = w.numel() // QK
    if nblocks == 0:
        return None
    threads = (nblocks + 1) // 2 if q.kind == "q8_0" else nblocks
    g = _groups((threads + 63) // 64)
    st.host.record(st.host.pipeline(f"{q.kind}_quantize", K.wgsl("quantize")),
                   [st.handle, w._storage.handle],
                   struct.pack("<4I", nblocks, w._offset, g[0], 0), g)
    return None


IMPL = {"quant_linear": quant_linear, "dequantize": dequantize,
        "dequantize_rows": dequantize_rows, "quantize": quantize}
