"""scatter on the webgpu device (wgsl/scatter.wgsl): torch's scatter / scatter_add /
scatter_reduce (the op layer builds mean and include_self=False from these), every dtype.

Duplicate indices are combined deterministically, in torch's CPU order (see scatter.wgsl: one
thread per column off dim walks the index in order), so sums and products round exactly as
torch's CPU loop does and plain scatter keeps the last write (float16 / bfloat16 sums and
products accumulate in float32 and round once, as torch's CPU does). float64 has no arithmetic
in WGSL: plain scatter and amax / amin (by bits) run, sum / prod raise NotImplementedError.
A column is one thread's sequential loop: index.shape[dim] steps (a 1-D scatter_add of n
values is n steps of one thread; fine for the sizes models use, slow for huge histograms).
Index bounds are checked as gather's (index.py: RuntimeError at the call).
"""
import struct

from . import backend as B, index as IX, typed as T

MODES = {None: "none", "add": "add", "sum": "add", "multiply": "mul", "prod": "mul",
         "amax": "amax", "amin": "amin"}
_MAX = {"f": "select(select(a, v, !is_nan(a) && a < v), v, is_nan(v))",
        "i": "select(a, v, a < v)", "u": "select(a, v, a < v)", "b": "a | v",
        "l": "select(a, v, lt64(a, v))",
        "d": "select(select(a, v, !f64_nan(a) && klt(f64_key(a), f64_key(v))), v, f64_nan(v))"}
OPS = {
    "none": dict.fromkeys("fiubld", "v"),
    "add": {"f": "a + v", "i": "a + v", "u": "a + v", "b": "a | v", "l": "add64(a, v)"},
    "mul": {"f": "a * v", "i": "a * v", "u": "a * v", "b": "a & v", "l": "mul64(a, v)"},
    # torch: isnan(src) ? src : max(self, src), max(a, b) = a < b ? b : a
    "amax": _MAX,
    "amin": {k: e.replace("a < v", "v < a").replace("lt64(a, v)", "lt64(v, a)")
             .replace("klt(f64_key(a), f64_key(v))", "klt(f64_key(v), f64_key(a))")
             .replace("a | v", "a & v") for k, e in _MAX.items()},
}


def _source(name):
    _, mode, dt = name.split("_", 2)
    return T.template("scatter", ENTRY=name, TYPE=T.info(dt)[1], OP=OPS[mode][T.KIND[dt]],
                      BINDINGS="\n".join([T.binding("Y", 1, dt, write=True),
                                          "@group(0) @binding(2) var<storage, read> I: "
                                          "array<u32>;", T.binding("S", 3, dt)]),
                      HELPERS=T.KLT + T.F64_ORDER if dt == "float64" else "")


def scatter(out, dim, index, src, reduce=None):
    dt = B._name(out.dtype)
    kind = T.KIND.get(dt)
    if kind is None or B._name(src.dtype) != dt or reduce not in MODES:
        return NotImplemented
    mode = MODES[reduce]
    if dt in ("float16", "bfloat16") and mode in ("add", "mul"):
        return _in_float32(out, dim, index, src, reduce)
    if kind not in OPS[mode]:
        return T.unsupported("scatter", dt, f"reduce={reduce!r} needs float64 arithmetic, "
                            "which WGSL does not have")
    if out.dim() == 0:
        out, index, src = out.reshape(1), index.reshape(1), src.reshape(1)
    nd = out.dim()
    if nd > 6:
        return T.unsupported("scatter", dt, f"{nd} dims (at most 6)")
    size = out.shape[dim]
    index = IX._check(out, index, size, lambda v: RuntimeError(
        f"index {v} is out of bounds for dimension {dim} with size {size}"))
    n = index.numel()
    if n == 0:
        return None
    dev = out._storage.device
    src = B._on_gpu(src, dev)
    st = out._storage
    if src._storage is st:
        src = src.clone()
    if index._storage is st:
        index = index.clone()
    cols = n // index.shape[dim]
    pad = [0] * (6 - nd)
    words = [cols, nd, dim, index.shape[dim]] + list(index.shape) + [1] * (6 - nd)
    for t in (out, index, src):
        words += list(t._strides) + pad
    words += [out._offset, index._offset, src._offset, int(B._name(index.dtype) == "int64")]
    name = f"scatter_{mode}_{dt}"
    st.host.record(T.pipe(st.host, name, _source),
                   [st.handle, index._storage.handle, src._storage.handle],
                   struct.pack(f"<{len(words)}I", *words), IX.groups(cols))
    return None


def _in_float32(out, dim, index, src, reduce):
    """torch's CPU accumulates float16 / bfloat16 sums and products in float32 and rounds
    once: the same here, on float32 copies (GPU conversions both ways)."""
    from ... import _dtype as D
    acc = out.to(D.float32)
    scatter(acc, dim, index, src.to(D.float32), reduce)
    B._copy(out, acc)
    return None


IMPL = {"scatter": scatter}
