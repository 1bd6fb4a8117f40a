"""sort on the webgpu device (wgsl/sort.wgsl): values and int64 indices along a dim, every
dtype, torch's order (NaN last ascending / first descending, ties in their original order:
the result is the stable sort whatever `stable` says, as on the CPU).

Rows of up to 1024 (padded to a power of two P) sort in workgroup memory, 1024 / P rows per
workgroup: one dispatch.
Longer rows: 1024-chunks sorted in workgroup memory, then the bitonic merge stages k = 2048 ..
P, each its global passes (j >= 1024) and one workgroup-memory pass for j = 512 .. 1, over a
scratch buffer of (key, index) pairs; then one dispatch writes values and indices:
1 + sum over stages (log2(k) - 9) + 1 dispatches (P = 2^20: 67).
"""
import struct

from ..._shape import prod
from ... import _dtype as D
from . import backend as B, index as IX, typed as T

CHUNK = 1024
MAX_OUTER = 4
# dtype -> WGSL key of the raw element r0 (u32, or vec2<u32> for 8 bytes) as vec2<u32>(lo, hi)
_F = "vec2<u32>(fkey({}, {}), 0u)"
KEYS = {
    "float32": _F.format("r0", "0x7f800000u"),
    "float16": _F.format("r0 << 16u", "0x7c000000u"),
    "bfloat16": _F.format("r0 << 16u", "0x7f800000u"),
    "int32": "vec2<u32>(r0 ^ 0x80000000u, 0u)",
    "int16": "vec2<u32>((r0 << 16u) ^ 0x80000000u, 0u)",
    "int8": "vec2<u32>((r0 << 24u) ^ 0x80000000u, 0u)",
    "uint8": "vec2<u32>(r0, 0u)", "bool": "vec2<u32>(r0, 0u)",
    "int64": "vec2<u32>(r0.x, r0.y ^ 0x80000000u)",
    "float64": "select(f64_key(r0), vec2<u32>(0xffffffffu, 0xffffffffu), f64_nan(r0))",
}
# a float's bits b (sign in bit 31) -> an unsigned key in value order; inf_bits: +inf's bits
_FKEY = """
fn fkey(b: u32, inf_bits: u32) -> u32 {
  let m = b & 0x7fffffffu;
  if (m > inf_bits) { return 0xffffffffu; }
  if (m == 0u) { return 0x80000000u; }
  return select(b | 0x80000000u, ~b, (b >> 31u) == 1u);
}
"""
_SECTIONS = {}


def _sections():
    if not _SECTIONS:
        text = T.template("sort")
        head, _, rest = text.partition("\n//!part keyed\n")
        keyed, _, rest = rest.partition("\n//!part write\n")
        write, *kernels = rest.split("\n//!kernel ")
        _SECTIONS.update(head=head + T.KLT, keyed=keyed, write=write)
        for k in kernels:
            name, _, body = k.partition("\n")
            _SECTIONS[name.strip()] = body
    return _SECTIONS


def _raw(dt):
    return f"e{T.info(dt)[0]}"


def _source(name):
    s = _sections()
    if name in ("sort_merge", "sort_merge_local"):
        return s["head"] + "\n@group(0) @binding(1) var<storage, read_write> T: array<u32>;\n" \
            + s[name]
    for kind in ("sort_chunks", "sort_write", "sort"):
        if name.startswith(kind + "_"):
            dt = name[len(kind) + 1:]
            break
    raw = _raw(dt)
    idx = "var<storage, read_write> IDX: array<u32>;"
    binds = {"sort": [T.binding("V", 1, raw, True), f"@group(0) @binding(2) {idx}",
                      T.binding("X", 3, raw)],
             "sort_chunks": ["@group(0) @binding(1) var<storage, read_write> T: array<u32>;",
                             T.binding("X", 2, raw)],
             "sort_write": [T.binding("V", 1, raw, True), f"@group(0) @binding(2) {idx}",
                            "@group(0) @binding(3) var<storage, read> TR: array<u32>;",
                            T.binding("X", 4, raw)]}[kind]
    return "\n".join([s["head"], _FKEY, T.F64_ORDER if dt == "float64" else ""] + binds +
                     [s["keyed"].replace("{{KEY}}", KEYS[dt]),
                      "" if kind == "sort_chunks" else s["write"],
                      s[kind].replace("{{ENTRY}}", name)])


def _record(host, name, handles, words, grid):
    host.record(T.pipe(host, name, _source), handles, struct.pack(f"<{len(words)}I", *words),
                grid)


def sort(values, indices, x, dim, descending=False, stable=False):
    dt = B._name(x.dtype)
    if dt not in KEYS or B._name(values.dtype) != dt or indices.dtype is not D.int64:
        return NotImplemented
    if x.dim() == 0:
        values, indices, x, dim = values.reshape(1), indices.reshape(1), x.reshape(1), 0
    total, n = x.numel(), x.shape[dim]
    if total == 0:
        return None
    dev = values._storage.device
    x = B._on_gpu(x, dev)
    if x._storage is values._storage or x._storage is indices._storage:
        x = x.clone()
    ts = (x, values, indices)
    keep = [d for d in range(x.dim()) if d != dim]
    shape, strides = B._coalesce([x.shape[d] for d in keep],
                                 [[t._strides[d] for d in keep] for t in ts])
    if len(shape) > MAX_OUTER:     # too many strided dims for the params: contiguous rows
        from ..._tensor import Tensor
        xc = x.movedim(dim, -1).contiguous()
        vc, ic = Tensor._empty(xc.shape, x.dtype, dev), Tensor._empty(xc.shape, D.int64, dev)
        sort(vc, ic, xc, xc.dim() - 1, descending)
        B._copy(values.movedim(dim, -1), vc)
        B._copy(indices.movedim(dim, -1), ic)
        return None
    rows, p2 = total // n, 1 << max(n - 1, 0).bit_length()
    pad = [0] * (MAX_OUTER - len(shape))
    words = [rows, n, p2, int(bool(descending)), 0, 0, len(shape)] + shape + [1] * len(pad)
    for t, st in zip(ts, strides):
        words += [t._offset, t._strides[dim]] + st + pad
    group = min(CHUNK // p2, rows) if p2 <= CHUNK else 1     # rows per workgroup
    words.append(group)
    host = values._storage.host
    out = [values._storage.handle, indices._storage.handle]
    if p2 <= CHUNK:
        _record(host, f"sort_{dt}", out + [x._storage.handle], words,
                IX.row_groups(-(-rows // group)))
        return None
    from ..._tensor import Tensor
    pairs = Tensor._empty((rows * p2 * 3,), D.int32, dev)     # (key lo, key hi, index)
    tmp = [pairs._storage.handle]
    chunks = IX.row_groups(rows * p2 // CHUNK)
    _record(host, f"sort_chunks_{dt}", tmp + [x._storage.handle], words, chunks)
    k = 2 * CHUNK
    while k <= p2:
        j = k // 2
        while j >= CHUNK:
            words[4:6] = [k, j]
            _record(host, "sort_merge", tmp, words, IX.groups(rows * p2 // 2))
            j //= 2
        words[4:6] = [k, 0]
        _record(host, "sort_merge_local", tmp, words, chunks)
        k *= 2
    _record(host, f"sort_write_{dt}", out + tmp + [x._storage.handle], words,
            IX.groups(rows * n))
    return None


IMPL = {"sort": sort}
