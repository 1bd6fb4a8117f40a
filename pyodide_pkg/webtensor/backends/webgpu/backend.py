"""IMPL of the webgpu device: elementwise primitives on WGSL kernels (kernels.py).

No CPU fallback on this device: a case without a kernel raises NotImplementedError naming the
primitive and dtype. A 0-dim CPU tensor argument (torch lets it mix with any device) is
uploaded. An output that shares its buffer with an input is computed into a temporary first
(WebGPU forbids binding one buffer as read-only and writable storage in one dispatch).
"""
import struct

from . import kernels as K
from .storage import covers

NDIM = 6
_PIPES = {}                     # kernel name -> pipeline handle (of the one host)
_FILL_FMT = {"float32": "<f", "float64": "<d", "float16": "<e", "int64": "<q", "int32": "<i",
             "int16": "<h", "int8": "<b", "uint8": "<B", "bool": "<?"}


def _pipe(host, name):
    h = _PIPES.get(name)
    if h is None:
        src = K.source(name)
        if src is None:
            raise NotImplementedError(f"webtensor: no WebGPU kernel {name!r}")
        h = _PIPES[name] = host.pipeline(name, src)
    return h


def _groups(n):
    wg = (n + 63) // 64
    x = min(wg, 65535)
    return (x, (wg + x - 1) // x, 1)


def _coalesce(shape, strides):
    """Drop size-1 dims, merge dims contiguous in every tensor: (shape, [strides per tensor])."""
    dims = []
    for d, size in enumerate(shape):
        if size == 1:
            continue
        sts = [s[d] for s in strides]
        if dims and all(ps == s * size for ps, s in zip(dims[-1][1], sts)):
            dims[-1] = (dims[-1][0] * size, sts)
        else:
            dims.append((size, sts))
    return [d[0] for d in dims], [[d[1][k] for d in dims] for k in range(len(strides))]


def record(host, name, n, shape, tensors, handles, extra=(), writes_all=False):
    """One elementwise dispatch: tensors as (offset, strides) in elements, out first."""
    shape, strides = _coalesce(shape, [t[1] for t in tensors])
    if len(shape) > NDIM:
        raise NotImplementedError(f"webtensor: WebGPU kernel {name!r}: more than {NDIM} "
                                  "non-mergeable dims")
    words = [n, len(shape)] + shape + [0] * (NDIM - len(shape))
    for k in range(4):
        if k < len(tensors):
            words += [tensors[k][0]] + strides[k] + [0] * (NDIM - len(shape))
        else:
            words += [0] * (NDIM + 1)
    words += list(extra)
    words = [w & 0xFFFFFFFF for w in words]     # negative strides (flip): u32 arithmetic wraps
    host.record(_pipe(host, name), handles, struct.pack(f"<{len(words)}I", *words), _groups(n),
                writes_all)


def zero_buffer(host, handle, nbytes):
    n = nbytes // 4
    record(host, "fill_e4", n, [n], [(0, [1])], [handle], (0, 0))


def _on_gpu(t, dev):
    return t if t._storage.device is dev else t.to(dev)


def _run(name, out, ins, extra=()):
    n = out.numel()
    if n == 0:
        return None
    dev = out._storage.device
    ins = [_on_gpu(t, dev) for t in ins]
    st = out._storage
    if any(t._storage is st for t in ins):         # in place: compute aside, then copy in
        from ..._tensor import Tensor
        tmp = Tensor._empty(out.shape, out.dtype, dev)
        _run(name, tmp, ins, extra)
        _copy(out, tmp)
        return None
    tensors = [(t._offset, list(t._strides)) for t in [out] + ins]
    record(st.host, name, n, list(out.shape), tensors,
           [t._storage.handle for t in [out] + ins], extra, covers(out))
    return None


def _unsupported(prim, *dtypes, op=None):
    what = f" op {op!r}" if op else ""
    return NotImplementedError(f"webtensor: primitive {prim!r}{what} has no WebGPU kernel for "
                               f"dtype {', '.join(str(d) for d in dtypes)}")


def _name(dt):
    return dt.name if hasattr(dt, "name") else str(dt).replace("webtensor.", "")


def _kname(dt, out):
    """dtype dt as the names of kernels writing `out` spell it (float16: kernels.half_name)."""
    n = _name(dt)
    return K.half_name(out._storage.host) if n == "float16" else n


def _copy(out, x):
    so, sx = _kname(out.dtype, out), _kname(x.dtype, out)
    if so == sx:
        size = out.dtype.itemsize
        if so == "f16":
            return _run("copy_f16", out, [x])
        if size not in (1, 2, 4, 8):
            raise _unsupported("copy", out.dtype)
        return _run(f"copy_e{size}", out, [x])
    if so in K.CONVERTIBLE and sx in K.CONVERTIBLE:
        return _run(f"copy_{sx}_{so}", out, [x])
    raise _unsupported("copy", x.dtype, out.dtype)


def _fill(out, value):
    name = _name(out.dtype)
    if name == "bfloat16":
        bits = struct.unpack("<I", struct.pack("<f", float(value)))[0]
        raw = struct.pack("<H", (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16 & 0xFFFF)
    elif name in _FILL_FMT:
        v = bool(value) if name == "bool" else float(value) if name.startswith("float") \
            else int(value)
        raw = struct.pack(_FILL_FMT[name], v)
    else:
        raise _unsupported("fill", out.dtype)
    size = len(raw)
    words = struct.unpack("<2I", raw.ljust(8, b"\0"))
    return _run("fill_f16" if _kname(out.dtype, out) == "f16" else f"fill_e{size}", out, [],
                words)


def _unary(op, out, x, approximate="none", decimals=0, **p):
    if _name(out.dtype) != "float32" or _name(x.dtype) != "float32":
        raise _unsupported("unary", x.dtype, op=op)
    if op == "gelu" and approximate == "tanh":
        op = "gelu_tanh"
    if op == "round" and decimals:
        raise _unsupported("unary", x.dtype, op="round(decimals != 0)")
    if op not in K.UNARY_F32:
        raise _unsupported("unary", x.dtype, op=op)
    return _run(f"unary_{op}_float32", out, [x])


def _binary(op, out, a, b, rounding_mode=None, **p):
    dt = _name(a.dtype)
    if op == "div" and rounding_mode:
        op = f"div_{rounding_mode}"
    values, preds = K.BINARY.get(dt, ({}, {}))
    want = "bool" if op in preds else dt if op in values else None
    if want is None or _name(b.dtype) != dt or _name(out.dtype) != want:
        raise _unsupported("binary", a.dtype, op=op)
    return _run(f"binary_{op}_{dt}", out, [a, b])


def _where(out, cond, a, b):
    size = out.dtype.itemsize
    if _name(cond.dtype) != "bool" or size not in (1, 2, 4, 8):
        raise _unsupported("where", cond.dtype, out.dtype)
    name = "where_f16" if _kname(out.dtype, out) == "f16" else f"where_e{size}"
    return _run(name, out, [cond, a, b])


def _clamp(out, x, lo, hi):
    """maximum with lo, then minimum with hi (Python scalars as 0-dim operands, uploaded):
    NaN stays NaN and lo > hi gives hi everywhere, as torch's clamp."""
    if _name(x.dtype) != "float32":
        raise _unsupported("clamp", x.dtype)
    from ..._creation import tensor
    src = x
    for op, v in (("maximum", lo), ("minimum", hi)):
        if v is not None:
            _binary(op, out, src, tensor(float(v)).expand(out.shape))
            src = out
    if src is x:
        _copy(out, x)


IMPL = {"copy": _copy, "fill": _fill, "unary": _unary, "binary": _binary, "where": _where,
        "clamp": _clamp}


# the other kernel families, each in its own module (they use this module's helpers)
from . import attention, conv, index, matmul, quant, reduce, scatter, sort  # noqa: E402
SHORTCUTS = dict(matmul.SHORTCUTS)
for _family in (index, attention, conv, reduce, matmul, quant, scatter, sort):
    IMPL.update(_family.IMPL)
