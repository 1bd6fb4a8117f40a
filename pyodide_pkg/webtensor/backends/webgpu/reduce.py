"""Reduce family of the webgpu device: reduce (float32: sum, mean, prod, amax, amin, argmax,
argmin, var, logsumexp; all / any on bool), softmax / log_softmax along a dim and
layer_norm / rms_norm on [R, N] rows (float32), cumsum / cumprod along a dim (every dtype but
float64). Kernels:
wgsl/reduce.wgsl (one module, one entry point per primitive/op), wgsl/reduce_bool.wgsl
(all / any), wgsl/scan.wgsl (the scans but float32's cumsum, one source per
<primitive>_<dtype>).

Plan (like the WASM backend): x's reduced dims become the middle axis of a contiguous
[outer, n, inner] block, read in place when x is contiguous and the reduced dims (size-1 dims
aside) are adjacent, else from a permuted contiguous copy made on the GPU (backend._copy).
out (keepdim form, contiguous) is [outer, inner]. One workgroup of 256 threads per output row
(mode 0) when n >= SMALL_N, else one thread per row (mode 1). The scans are mode 1 but for few
long rows (scan.wgsl's _wg kernels; float32's cumsum always: Kahan, sequential).
Anything else (other dtypes, a strided out) returns NotImplemented: the dispatcher's
NotImplementedError names the primitive (no CPU fallback on this device).
"""
import struct

from ..._shape import prod
from . import backend as B, typed as T
from .storage import covers

SMALL_N = 64
WG = 256
REDUCE_OPS = ("sum", "mean", "prod", "amax", "amin", "argmax", "argmin", "var", "logsumexp")
_ARG = ("argmax", "argmin")
# scan step per value kind (typed.KIND); float32's cumsum is reduce.wgsl's (Kahan)
SCAN_WG_N, SCAN_WG_ROWS = 1024, 1024   # scan.wgsl's workgroup-per-row kernel: n and rows
SCAN_OPS = {"cumsum": {"f": "acc + v", "i": "acc + v", "u": "acc + v", "b": "acc | v",
                       "l": "add64(acc, v)"},
            "cumprod": {"f": "acc * v", "i": "acc * v", "u": "acc * v", "b": "acc & v",
                        "l": "mul64(acc, v)"}}
_PIPES = {}

PROLOGUE = """\
  let t = l.x; let wgi = w.x + w.y * g.x; let wg = p(7u) == 0u; let n = p(1u);
  if (wg && wgi >= p(0u)) { return; }
  let j = select(wgi * 256u + t, wgi, wg);
  let live = j < p(0u);
  let k0 = select(select(n, 0u, live), t, wg);
  let step = select(1u, 256u, wg);
  let b = xbase(select(0u, j, live));"""


def _source(family="reduce"):
    from . import kernels as K
    body = K.wgsl(family).split("\n// END OF COMMENT\n", 1)[1].replace("{{PRO}}", PROLOGUE)
    return K.wgsl("common") + "\n" + body


def _scan_source(name):
    base = name[:-len("_wg")] if name.endswith("_wg") else name
    prim, _, dt = base.partition("_")
    return T.template("scan", ENTRY=base, OP=SCAN_OPS[prim][T.KIND[dt]], TYPE=T.info(dt)[1],
                      BINDINGS=T.binding("Y", 1, dt, write=True) + "\n" + T.binding("X", 2, dt))


def _pipe(host, name):
    if name.startswith(("cumsum_", "cumprod_")) and name != "cumsum_float32":
        return T.pipe(host, name, _scan_source)
    key = (id(host), name)
    h = _PIPES.get(key)
    if h is None:
        h = _PIPES[key] = host.pipeline(name, _source("reduce_bool" if name.endswith("_bool")
                                                      else "reduce"))
    return h


def _f32(v):
    return struct.unpack("<I", struct.pack("<f", float(v)))[0]


def _is_f32(t):
    return B._name(t.dtype) == "float32"


def _dispatch(name, out, tensors, rows, n, inner, scalar=0.0, flags=0, mode=None, woffs=(0, 0)):
    """tensors: [out, x, ...] (GPU tensors); x read as contiguous [rows / inner, n, inner]."""
    if mode is None:
        mode = 0 if n >= SMALL_N else 1
    host = out._storage.host
    words = [rows, n, inner, tensors[1]._offset, out._offset, _f32(scalar), flags, mode,
             woffs[0], woffs[1]]
    cnt = rows if mode == 0 else (rows + WG - 1) // WG
    gx = min(cnt, 65535)
    groups = (gx, (cnt + gx - 1) // gx, 1)
    host.record(_pipe(host, name), [t._storage.handle for t in tensors],
                struct.pack(f"<{len(words)}I", *words), groups, covers(out))


def _contig(x, order=None):
    """x (permuted by order) as a fresh contiguous GPU tensor, copied on the GPU."""
    from ..._tensor import Tensor
    if order is not None:
        x = x.permute(*order)
    c = Tensor._empty(x.shape, x.dtype, x._storage.device)
    B._copy(c, x)
    return c


def plan_reduce(shape, dims, contiguous):
    """(outer, n, inner, order): order None reads x in place, else a permuted copy."""
    nz = [d for d in range(len(shape)) if shape[d] != 1]
    red = [i for i, d in enumerate(nz) if d in dims]
    n = prod(shape[nz[i]] for i in red)
    rest = prod(shape[d] for d in nz if d not in dims)
    if not red:
        return rest, 1, 1, (None if contiguous else tuple(range(len(shape))))
    if contiguous and red == list(range(red[0], red[-1] + 1)):
        inner = prod(shape[d] for d in nz[red[-1] + 1:])
        return (rest // inner if inner else 0), n, inner, None
    order = tuple([d for d in range(len(shape)) if d not in dims] + list(dims))
    return rest, n, 1, order


def _prep(out, x):
    dev = out._storage.device
    x = B._on_gpu(x, dev)
    if x._storage is out._storage:
        x = _contig(x)
    return x


def _middle(out, x, dims):
    """(x', outer, n, inner): x read as [outer, n, inner] with the reduced dims in the middle,
    copied (permuted) on the GPU when plan_reduce asks for it."""
    x = _prep(out, x)
    outer, n, inner, order = plan_reduce(tuple(x.shape), tuple(dims), x.is_contiguous())
    return (x if order is None else _contig(x, order)), outer, n, inner


def _reduce_bool(op, out, x, dims):
    if B._name(x.dtype) != "bool" or B._name(out.dtype) != "bool" or not out.is_contiguous():
        return NotImplemented
    rows = out.numel()
    if rows == 0:
        return None
    x, outer, n, inner = _middle(out, x, dims)
    _dispatch(f"reduce_{op}_bool", out, [out, x], rows, n, inner, flags=int(op == "all"))
    return None


def reduce(op, out, x, dims, correction=1, **extra):
    if op in ("all", "any") and not extra:
        return _reduce_bool(op, out, x, dims)
    if op not in REDUCE_OPS or extra or not _is_f32(x) or not out.is_contiguous():
        return NotImplemented
    if B._name(out.dtype) != ("int64" if op in _ARG else "float32"):
        return NotImplemented
    rows = out.numel()
    if rows == 0:
        return None
    x, outer, n, inner = _middle(out, x, dims)
    if outer * inner != rows:
        return NotImplemented
    _dispatch(f"reduce_{op}_float32", out, [out, x], rows, n, inner,
              scalar=correction if op == "var" else 0.0)
    return None


def _along(name, out, x, dim, mode=None):
    if B._name(x.dtype) != B._name(out.dtype) or not out.is_contiguous():
        return NotImplemented
    total = out.numel()
    if total == 0:
        return None
    x = _prep(out, x)
    if not x.is_contiguous():
        x = _contig(x)
    shape = tuple(x.shape)
    if not shape:
        n, inner = 1, 1
    else:
        n, inner = shape[dim], prod(shape[dim + 1:])
    _dispatch(name, out, [out, x], total // n, n, inner, mode=mode)
    return None


def softmax(out, x, dim):
    return _along("softmax_float32", out, x, dim) if _is_f32(x) else NotImplemented


def log_softmax(out, x, dim):
    return _along("log_softmax_float32", out, x, dim) if _is_f32(x) else NotImplemented


def _scan(prim, out, x, dim):
    """cumsum / cumprod of any dtype but float64 (out and x of one dtype, as the op layer
    passes them); a strided out gets a contiguous temporary."""
    from .index import with_out
    dt = B._name(x.dtype)
    if dt != B._name(out.dtype) or dt not in T.KIND:
        return NotImplemented
    if T.KIND[dt] == "d":
        return T.unsupported(prim, dt, "WGSL has no 64-bit float arithmetic (compute in "
                            "float32: x.float()." + prim + "(dim))")
    n = x.shape[dim] if x.dim() else 1
    if prim == "cumprod" or dt != "float32":
        if n >= SCAN_WG_N and x.numel() // n < SCAN_WG_ROWS:     # few long rows
            return with_out(out, lambda o: _along(f"{prim}_{dt}_wg", o, x, dim, mode=0))
    return with_out(out, lambda o: _along(f"{prim}_{dt}", o, x, dim, mode=1))


def cumsum(out, x, dim):
    return _scan("cumsum", out, x, dim)


def cumprod(out, x, dim):
    return _scan("cumprod", out, x, dim)


def _norm(name, out, x, params, eps):
    if not _is_f32(x) or not _is_f32(out) or not out.is_contiguous() or x.dim() != 2:
        return NotImplemented
    rows, n = x.shape
    if rows == 0 or n == 0:
        return None
    x = _prep(out, x)
    if not x.is_contiguous():
        x = _contig(x)
    dev = out._storage.device
    tensors, flags, woffs = [out, x], 0, [0, 0]
    for bit, prm in enumerate(params):
        if prm is None:
            tensors.append(x)                      # bound, never read
            continue
        if not _is_f32(prm):
            return NotImplemented
        prm = B._on_gpu(prm, dev)
        if not prm.is_contiguous() or prm._storage is out._storage:
            prm = _contig(prm)
        tensors.append(prm)
        woffs[bit] = prm._offset
        flags |= 1 << bit
    _dispatch(name, out, tensors, rows, n, 1, scalar=eps, flags=flags, woffs=woffs)
    return None


def layer_norm(out, x, weight, bias, eps):
    return _norm("layer_norm_float32", out, x, (weight, bias), eps)


def rms_norm(out, x, weight, eps):
    return _norm("rms_norm_float32", out, x, (weight,), eps)


IMPL = {"reduce": reduce, "softmax": softmax, "log_softmax": log_softmax, "cumsum": cumsum,
        "cumprod": cumprod,
        "layer_norm": layer_norm, "rms_norm": rms_norm}
