"""matmul and linear on wgsl/matmul.wgsl (entry points `matmul`, `matmul_gemv`,
`matmul_gemv_sg`; `_f16` variants): float32, or float16 read and written as array<f16> where the
adapter has shader-f16 (f32 arithmetic, as torch's CPU half matmul; the op layer's float16 path
converts to float32 around the float32 kernels, so SHORTCUTS below route float16 matmul /
linear here first). Adapters with subgroups run M == 1 with W [N, K] on `matmul_gemv_sg`.

Layout rules (the WASM plan_matmul's, adapted to the WGSL's params):
  * C needs a unit stride along n and its batch dims must coalesce with A's and B's (any
    strides otherwise); a C that does not fit, or that shares its buffer with an input, is
    computed into a fresh contiguous tensor and copied in.
  * A needs a unit stride along k (k > 1); else it is copied contiguous (the copy primitive).
  * B [K, N] with a unit stride along k and n, k > 1 is the transpose of a row-major W [N, K]
    (`x @ W.T`): it is read in place (b_trans = 1, b_rs = W's row stride). Otherwise B needs a
    unit stride along n (b_trans = 0, b_rs = stride of k), else it is copied contiguous.
  * linear: W [N, K] is read in place when its k-stride is 1 (b_trans = 1) or, W being the
    transpose of a row-major [K, N], its n-stride is 1 (b_trans = 0); else copied. x's leading
    dims must merge into one row stride (else copied); bias must be contiguous (else copied).
  * Batch dims (already expanded by the op layer) are coalesced over A, B and C together
    (size-1 dims dropped, contiguous dims merged; stride 0 = broadcast); the innermost two go
    to the kernel's (nb0, nb1) = workgroup_id.z, any outer ones are looped over in Python (one
    dispatch each, offsets advanced); nb0 is split into chunks of nb0 * nb1 <= 65535
    workgroups (maxComputeWorkgroupsPerDimension).
  * M == 1 runs `matmul_gemv`.  K == 0: matmul fills 0; linear's kernel then writes
    act(bias) (the k loop runs no step).
"""
import itertools
import struct

from ... import _dtype as D
from ..._shape import broadcast_shapes
from . import backend as BK, kernels as K
from .storage import GPUStorage, covers

ACT = {None: 0, "relu": 1, "gelu": 2, "gelu_tanh": 3, "silu": 4}
MAX_GROUPS = 65535
BM = BN = 128
GEMV_OUT = 16
SUBGROUPS = "\n// ---- SUBGROUPS"
_PIPES = {}


def source(name, tint=False):
    """The WGSL module of entry point `name`: matmul.wgsl's template filled in for it, for
    Tint (browsers) or naga (wgpu-native; also benchmarks/bench_webgpu.py)."""
    f16, sg = name.endswith("_f16"), "_sg" in name
    main, sub = K.wgsl("matmul").split(SUBGROUPS, 1)
    src = (main + (SUBGROUPS + sub if sg else "")).replace("{{T}}", "f16" if f16 else "f32")
    src = src.replace("{{STORE}}", "f16_of(v)" if f16 else "v").replace("{{SUFFIX}}",
                                                                          "_f16" if f16 else "")
    return K.directives(f16, sg, tint) + (K.f16_helpers() if f16 else "") + src


def _pipe(host, name):
    key = (id(host), name)
    h = _PIPES.get(key)
    if h is None:
        h = _PIPES[key] = host.pipeline(name, source(name, K.tint(host)))
    return h


def _suffix(host, *ts):
    """"" (all float32), "_f16" (all float16, the adapter has shader-f16), else None."""
    names = {BK._name(t.dtype) for t in ts if t is not None}
    if names == {"float32"}:
        return ""
    if names == {"float16"} and "shader-f16" in host.info["features"]:
        return "_f16"
    return None


def _contig(t):
    """A contiguous copy of t on its device (the copy primitive)."""
    from ..._tensor import Tensor
    c = Tensor._empty(t.shape, t.dtype, t._storage.device)
    if c.numel():
        BK._copy(c, t)
    return c


def _params(**kw):
    fields = ("M", "N", "K", "nb1", "a_off", "a_bs0", "a_bs1", "a_rs", "b_off", "b_bs0",
              "b_bs1", "b_rs", "c_off", "c_bs0", "c_bs1", "c_rs", "bias_off", "has_bias", "act",
              "b_trans")
    kw.setdefault("nb1", 1)
    return struct.pack("<20I", *(int(kw.get(f, 0)) for f in fields))


def _dispatch(host, m, n, k, batch, a, a_bs, a_rs, b, b_bs, b_rs, b_trans, c, c_bs, c_rs,
              bias=None, act=0, suffix=""):
    """Record the dispatches of C = act(A @ B + bias) over `batch` (shape) with per-tensor
    batch strides (lists, one per batch dim); a, b, c, bias are tensors (their offsets are
    the base offsets)."""
    shape, (sa, sb, sc) = BK._coalesce(list(batch), [list(a_bs), list(b_bs), list(c_bs)])
    dims = list(zip(shape, sa, sb, sc))
    kern = dims[-2:]
    loops = dims[:-2]
    if len(kern) == 2 and kern[1][0] > MAX_GROUPS:
        loops.append(kern.pop(0))
    kern = kern + [(1, 0, 0, 0)] * (2 - len(kern))          # (nb0, nb1); nb0 is chunked
    (nb0, a0, b0, c0), (nb1, a1, b1, c1) = kern
    if nb1 > MAX_GROUPS:
        raise NotImplementedError("webtensor: WebGPU matmul: a batch dim over 65535")
    chunk = max(1, MAX_GROUPS // nb1)
    gemv = m == 1
    sg = gemv and b_trans == 1 and "subgroups" in host.info["features"]
    pipe = _pipe(host, ("matmul_gemv_sg" if sg else "matmul_gemv" if gemv else "matmul") + suffix)
    handles = [a._storage.handle, b._storage.handle,
               (bias if bias is not None else a)._storage.handle, c._storage.handle]
    whole = covers(c) and not loops and nb0 <= chunk   # one dispatch writes all of c
    for idx in itertools.product(*[range(d[0]) for d in loops]):
        ao = a._offset + sum(i * d[1] for i, d in zip(idx, loops))
        bo = b._offset + sum(i * d[2] for i, d in zip(idx, loops))
        co = c._offset + sum(i * d[3] for i, d in zip(idx, loops))
        for start in range(0, nb0, chunk):
            nz = min(chunk, nb0 - start) * nb1
            groups = ((n + GEMV_OUT - 1) // GEMV_OUT, 1, nz) if gemv else \
                ((n + BN - 1) // BN, (m + BM - 1) // BM, nz)
            params = _params(M=m, N=n, K=k, nb1=nb1, a_off=ao + start * a0, a_bs0=a0,
                             a_bs1=a1, a_rs=a_rs, b_off=bo + start * b0, b_bs0=b0, b_bs1=b1,
                             b_rs=b_rs, c_off=co + start * c0, c_bs0=c0, c_bs1=c1, c_rs=c_rs,
                             bias_off=bias._offset if bias is not None else 0,
                             has_bias=bias is not None, act=act, b_trans=b_trans)
            host.record(pipe, handles, params, groups, whole, out=3)


def _shares(out, *ts):
    st = out._storage
    return any(t is not None and t._storage is st for t in ts)


def matmul(out, a, b):
    suffix = _suffix(out._storage.host, out, a, b)
    if suffix is None:
        raise BK._unsupported("matmul", a.dtype, b.dtype)
    if out.numel() == 0:
        return None
    dev = out._storage.device
    a, b = BK._on_gpu(a, dev), BK._on_gpu(b, dev)
    m, k = a.shape[-2:]
    n = b.shape[-1]
    if k == 0:
        return BK._fill(out, 0.0)
    if (n > 1 and out._strides[-1] != 1) or _shares(out, a, b):
        tmp = _contig_empty(out)
        matmul(tmp, a, b)
        return BK._copy(out, tmp)
    if k > 1 and a._strides[-1] != 1:
        a = _contig(a)
    b_ks, b_ns = b._strides[-2:]
    if n > 1 and k > 1 and b_ks == 1:
        b_trans, b_rs = 1, b_ns                 # W.T of a row-major W [N, K]: read W in place
    else:
        if n > 1 and b_ns != 1:
            b = _contig(b)
            b_ks = b._strides[-2]
        b_trans, b_rs = 0, b_ks
    nd = out.dim() - 2
    _dispatch(out._storage.host, m, n, k, out.shape[:-2], a, a._strides[:nd], a._strides[-2],
              b, b._strides[:nd], b_rs, b_trans, out, out._strides[:nd], out._strides[-2],
              suffix=suffix)
    return None


def _contig_empty(t):
    from ..._tensor import Tensor
    return Tensor._empty(t.shape, t.dtype, t._storage.device)


def _rows_stride(t):
    """The single row stride of t's leading dims (all but the last), or None."""
    shape, (st,) = BK._coalesce(list(t.shape[:-1]), [list(t._strides[:-1])])
    if not shape:
        return 0
    return st[0] if len(shape) == 1 else None


def linear(out, x, w, bias, activation):
    suffix = _suffix(out._storage.host, out, x, w, bias)
    if suffix is None:
        raise BK._unsupported("linear", x.dtype, w.dtype)
    if activation not in ACT:
        raise BK._unsupported("linear", x.dtype, op=f"activation {activation!r}")
    if out.numel() == 0:
        return None
    dev = out._storage.device
    x, w = BK._on_gpu(x, dev), BK._on_gpu(w, dev)
    bias = BK._on_gpu(bias, dev) if bias is not None else None
    n, k = w.shape
    m = out.numel() // n
    c_rs = _rows_stride(out)
    if (n > 1 and out._strides[-1] != 1) or c_rs is None or _shares(out, x, w, bias):
        tmp = _contig_empty(out)
        linear(tmp, x, w, bias, activation)
        return BK._copy(out, tmp)
    x_rs = _rows_stride(x)
    if x_rs is None or (k > 1 and x._strides[-1] != 1):
        x = _contig(x)
        x_rs = _rows_stride(x)
    w_ns, w_ks = w._strides
    if k <= 1 or w_ks == 1:
        b_trans, b_rs = 1, w_ns
    elif n <= 1 or w_ns == 1:
        b_trans, b_rs = 0, w_ks                 # W is the transpose of a row-major [K, N]
    else:
        w = _contig(w)
        b_trans, b_rs = 1, k
    if bias is not None and n > 1 and bias._strides[-1] != 1:
        bias = _contig(bias)
    if k == 0:                                   # no k step: act(bias) or act(0)
        b_trans, b_rs = 1, 1
    _dispatch(out._storage.host, m, n, k, (), x, (), x_rs, w, (), b_rs, b_trans, out, (), c_rs,
              bias, ACT[activation], suffix)
    return None


def _half_gpu(*ts):
    """The GPU storage of tensors ts (None aside), all float16 on one webgpu device whose
    adapter has shader-f16; else None (the shortcut declines)."""
    st = ts[0]._storage
    for t in ts:
        if t is not None and (t.dtype is not D.float16 or t._storage.device is not st.device):
            return None
    if type(st) is not GPUStorage or "shader-f16" not in st.host.info["features"]:
        return None
    return st


def _matmul_half(a, b):
    """Op matmul's shortcut: float16 matrices (dim >= 2) on the f16 kernels directly."""
    from ..._tensor import Tensor
    if not (isinstance(a, Tensor) and isinstance(b, Tensor)) or a.dim() < 2 or b.dim() < 2 \
            or a.shape[-1] != b.shape[-2] or _half_gpu(a, b) is None:
        return None
    try:
        batch = broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except RuntimeError:
        return None                               # the op body raises torch's error
    (m, k), n = a.shape[-2:], b.shape[-1]
    out = Tensor._empty(batch + (m, n), D.float16, a._storage.device)
    matmul(out, a.expand(batch + (m, k)), b.expand(batch + (k, n)))
    return out


def _linear_half(input, weight, bias=None):
    """Op linear's shortcut: float16 input, weight [N, K], bias [N] on the f16 kernels."""
    from ..._tensor import Tensor
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor)) or weight.dim() != 2 \
            or input.dim() < 1 or input.shape[-1] != weight.shape[1]:
        return None
    n = weight.shape[0]
    if bias is not None and (not isinstance(bias, Tensor) or bias.shape != (n,)):
        return None
    if _half_gpu(input, weight, bias) is None:
        return None
    out = Tensor._empty(input.shape[:-1] + (n,), D.float16, input._storage.device)
    linear(out, input, weight, bias, None)
    return out


IMPL = {"matmul": matmul, "linear": linear}
SHORTCUTS = {"matmul": _matmul_half, "linear": _linear_half}
