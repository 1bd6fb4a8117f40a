"""index_select / gather on the webgpu device (wgsl/index.wgsl), plus the helpers that the other
non-elementwise families (attention.py, conv.py) share: per-family WGSL files cut into one
source per kernel, params packed as u32 words, contiguous GPU operands.

Index bounds. torch raises at the call (IndexError for index_select/embedding, RuntimeError
for gather). Here:
  * an index tensor on the CPU is checked on the host (no GPU work) and then uploaded;
  * an index tensor on the GPU is checked by the `index_check` kernel (atomicMax of n - pos
    into one status word: the first bad position), and that word is read back at the call when
    CHECK_INDICES is True (the default: one small readback = a sync per call, but the error is
    raised where torch raises it, and nothing wrong is ever computed silently). An index
    buffer that passed and has not been written since (host.version) is not checked again,
    and none is checked while a graph is captured or where the host cannot wait for a read
    (a page without JSPI): the kernels clamp then, as with CHECK_INDICES False. With
    CHECK_INDICES False no check runs and the kernels clamp indices into range (no sync, no
    error: for decode loops that trust their token ids).
The copy kernels always clamp, so a bad index never reads outside a buffer.
"""
import struct

from ... import _dtype as D
from ..reference.index import index_select_error
from . import kernels as K
from .storage import covers

CHECK_INDICES = True
_CHECKED = {}           # (handle, offset, numel, limit) -> the buffer's version when it passed
_SOURCES = {}           # kernel name -> WGSL


def wgsl_family(family):
    """{kernel name: source}: wgsl/<family>.wgsl cut at `//!kernel <name>` lines, each piece
    after common.wgsl and the file's shared prelude (the text before the first marker)."""
    text = K.wgsl(family)
    parts = text.split("\n//!kernel ")
    prelude, out = parts[0], {}
    for part in parts[1:]:
        name, _, body = part.partition("\n")
        out[name.strip()] = K.wgsl("common") + "\n" + prelude + "\n" + body
    return out


def pipe(host, family, name):
    src = _SOURCES.get(name)
    if src is None:
        _SOURCES.update(wgsl_family(family))
        src = _SOURCES.get(name)
        if src is None:
            raise NotImplementedError(f"webtensor: no WebGPU kernel {name!r}")
    return host.pipeline(name, src)


def groups(n):
    wg = max(1, (n + 63) // 64)
    x = min(wg, 65535)
    return (x, (wg + x - 1) // x, 1)


def row_groups(n):
    """n workgroups (one per row) on a 2-D grid."""
    x = min(max(n, 1), 65535)
    return (x, (n + x - 1) // x, 1)


def f32w(v):
    return struct.unpack("<I", struct.pack("<f", float(v)))[0]


def launch(family, name, tensors, words, grid, accumulates=False):
    """One dispatch: tensors (out first) give the bindings 1..; words the params. accumulates:
    the kernel reads its output (it must start zeroed)."""
    host = tensors[0]._storage.host
    words = [int(w) & 0xFFFFFFFF for w in words]
    host.record(pipe(host, family, name), [t._storage.handle for t in tensors],
                struct.pack(f"<{len(words)}I", *words), grid,
                not accumulates and covers(tensors[0]))


def name(dt):
    return dt.name if hasattr(dt, "name") else str(dt).replace("webtensor.", "")


def on_gpu(t, dev):
    """t on dev and contiguous (a copy kernel when it is not)."""
    if t._storage.device is not dev:
        t = t.to(dev)
    return t if t.is_contiguous() else t.contiguous()


def with_out(out, fn):
    """Run fn(target) into out, or into a contiguous temporary copied into out when out is not
    contiguous or shares a buffer with an input (fn gets the target)."""
    from ..._tensor import Tensor
    from .backend import _copy
    if out.is_contiguous():
        return fn(out)
    tmp = Tensor._empty(out.shape, out.dtype, out._storage.device)
    fn(tmp)
    _copy(out, tmp)
    return None


def _first_bad(index, limit):
    """The first position of index (contiguous, on the GPU) outside [0, limit), or None."""
    from ..._tensor import Tensor
    n = index.numel()
    status = Tensor._empty((1,), D.int32, index._storage.device)
    is64 = 1 if index.dtype is D.int64 else 0
    launch("index", "index_check", [status, index], [n, index._offset, is64, limit], groups(n),
           accumulates=True)
    s = struct.unpack("<i", status._storage.host.read(status._storage.handle, 0, 4))[0]
    return None if s == 0 else n - s


def _check(x, index, limit, error):
    """Raise error(bad value) for the first index outside [0, limit); returns the index on x's
    device, contiguous."""
    dev = x._storage.device
    if index._storage.device is not dev:            # host check, then upload
        for v in index.reshape(-1).tolist():
            if not 0 <= v < limit:
                raise error(v)
        return on_gpu(index, dev)
    index = on_gpu(index, dev)
    host = index._storage.host
    if CHECK_INDICES and index.numel() and host.capturing is None and host.can_read_sync():
        key = (index._storage.handle, index._offset, index.numel(), limit)
        version = host.version.get(key[0], 0)
        if _CHECKED.get(key) != version:
            pos = _first_bad(index, limit)
            if pos is not None:
                raise error(index.reshape(-1)[pos].item())
            if len(_CHECKED) > 4096:
                _CHECKED.clear()
            _CHECKED[key] = version
    return index


def _words_per_elem(dt):
    size = dt.itemsize
    return {4: 1, 8: 2}.get(size)


def index_select(out, x, dim, index):
    if out.dtype is not x.dtype or index.dtype not in (D.int64, D.int32):
        return NotImplemented
    wpe = _words_per_elem(x.dtype)
    if wpe is None:
        return NotImplemented
    if x.dim() == 0:
        x = x.reshape(1)
    n = x.shape[dim]
    index = _check(x, index, n, lambda v: index_select_error(x, dim, v))
    if out.numel() == 0:
        return None
    dev = out._storage.device
    x = on_gpu(x, dev)
    nidx = index.numel()
    inner = 1
    for s in x.shape[dim + 1:]:
        inner *= s
    total = out.numel() * wpe
    is64 = 1 if index.dtype is D.int64 else 0

    def run(o):
        launch("index", "index_select_words", [o, x, index],
               [total, inner * wpe, nidx, n, x._offset * wpe, index._offset, is64,
                o._offset * wpe], groups(total))
    return with_out(out, run)


def gather(out, x, dim, index):
    if out.dtype is not x.dtype or index.dtype not in (D.int64, D.int32):
        return NotImplemented
    wpe = _words_per_elem(x.dtype)
    if wpe is None or x.dim() > 6:
        return NotImplemented
    if x.dim() == 0:
        x, index = x.reshape(1), index.reshape(1)
        out = out.reshape(1)
    size = x.shape[dim]
    index = _check(x, index, size, lambda v: RuntimeError(
        f"index {v} is out of bounds for dimension {dim} with size {size}"))
    n = out.numel()
    if n == 0:
        return None
    dev = out._storage.device
    if x._storage.device is not dev:
        x = x.to(dev)
    nd = x.dim()
    shape = list(index.shape) + [1] * (6 - nd)
    strides = list(x._strides) + [0] * (6 - nd)
    is64 = 1 if index.dtype is D.int64 else 0

    def run(o):
        launch("index", "gather_words", [o, x, index],
               [n, nd] + shape + strides + [x._offset, dim, size, index._offset, is64, wpe,
                                            o._offset], groups(n))
    return with_out(out, run)


IMPL = {"index_select": index_select, "gather": gather}
