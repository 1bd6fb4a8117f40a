"""safetensors, read and written in pure Python (the `safetensors.torch` surface).

Layout: u64 little-endian header size N, N bytes of JSON {name: {"dtype", "shape",
"data_offsets": [begin, end]}, "__metadata__": {str: str}}, then the data. Everything in the
header is validated before a tensor is made: sizes, bounds, overlaps, dtypes. Loaded tensors
view the file's bytes (no copy) unless they are converted.
"""
import hashlib
import json
import os
import struct

from .. import _dtype as D
from ._errors import SafetensorError
from .._tensor import Tensor
from . import _json, _raw
from ._source import _check_sha256, is_url, read_bytes, text_progress

MAX_HEADER = 100_000_000
DTYPES = {"F64": D.float64, "F32": D.float32, "F16": D.float16, "BF16": D.bfloat16,
          "I64": D.int64, "I32": D.int32, "I16": D.int16, "I8": D.int8, "U8": D.uint8,
          "BOOL": D.bool_}
CODES = {d: c for c, d in DTYPES.items()}


def _parse_header(buf, size=None):
    """(data start, header, metadata) from buf, the file's bytes or (size given) its first
    8 + header-size bytes."""
    size = len(buf) if size is None else size
    if size < 8:
        raise SafetensorError(f"file too small to be safetensors ({size} bytes)")
    (n,) = struct.unpack_from("<Q", buf, 0)
    if n > MAX_HEADER:
        raise SafetensorError(f"header size {n} exceeds the limit of {MAX_HEADER} bytes")
    if 8 + n > size:
        raise SafetensorError(f"header size {n} runs past the end of the file ({size} bytes)")
    header = _json.loads(buf[8:8 + n], SafetensorError, "the header")
    if not isinstance(header, dict):
        raise SafetensorError("header must be a JSON object")
    meta = header.pop("__metadata__", None)
    if meta is not None and not (isinstance(meta, dict) and
                                 all(isinstance(k, str) and isinstance(v, str)
                                     for k, v in meta.items())):
        raise SafetensorError("__metadata__ must map strings to strings")
    return 8 + n, header, meta


def _entries(header, data_len):
    """[(name, dtype, shape, begin, end)] sorted by begin, validated."""
    out = []
    for name, info in header.items():
        if not isinstance(info, dict) or set(info) - {"dtype", "shape", "data_offsets"} or \
                len(info) != 3:
            raise SafetensorError(f"tensor {name!r}: expected keys dtype, shape, data_offsets")
        code, shape, offs = info["dtype"], info["shape"], info["data_offsets"]
        if not isinstance(code, str) or code not in DTYPES:
            raise SafetensorError(f"tensor {name!r}: unsupported dtype {code!r} "
                                  f"(supported: {', '.join(DTYPES)})")
        if not isinstance(shape, list) or not all(type(s) is int and 0 <= s < 2 ** 63
                                                  for s in shape):
            raise SafetensorError(f"tensor {name!r}: shape must be a list of non-negative ints")
        if not (isinstance(offs, list) and len(offs) == 2 and
                all(type(o) is int and o >= 0 for o in offs) and offs[0] <= offs[1]):
            raise SafetensorError(f"tensor {name!r}: data_offsets must be [begin, end] with "
                                  f"0 <= begin <= end")
        dt = DTYPES[code]
        numel = 1
        for s in shape:
            numel *= s
        if offs[1] - offs[0] != numel * dt.itemsize:
            raise SafetensorError(f"tensor {name!r}: shape {shape} of {code} needs "
                                  f"{numel * dt.itemsize} bytes, data_offsets give "
                                  f"{offs[1] - offs[0]}")
        if offs[1] > data_len:
            raise SafetensorError(f"tensor {name!r}: data_offsets {offs} run past the end of "
                                  f"the data ({data_len} bytes)")
        out.append((name, dt, tuple(shape), offs[0], offs[1]))
    out.sort(key=lambda e: (e[3], e[4]))
    pos = 0
    for name, _, _, begin, end in out:
        if begin < pos:
            raise SafetensorError(f"tensor {name!r}: data_offsets overlap another tensor")
        if begin > pos:
            raise SafetensorError(f"tensor {name!r}: a gap of {begin - pos} unused bytes before "
                                  f"it (the data must be packed)")
        pos = end
    if pos != data_len:
        raise SafetensorError(f"{data_len - pos} trailing bytes after the last tensor")
    return out


def load_with_metadata(data, to_float32=True):
    """(tensors, metadata) from safetensors bytes."""
    buf = _raw.writable(data)
    start, header, meta = _parse_header(buf)
    tensors = {}
    for name, dt, shape, begin, end in _entries(header, len(buf) - start):
        t = _raw.tensor_over(buf, start + begin, dt, shape, nbytes=end - begin)
        tensors[name] = _raw.to_float32(t) if to_float32 else t
    return tensors, (meta or {})


def load(data, to_float32=True):
    """{name: Tensor} from safetensors bytes (float16/bfloat16 become float32 unless
    to_float32=False)."""
    return load_with_metadata(data, to_float32)[0]


def load_file(filename, device="cpu", to_float32=True, progress=None, sha256=None):
    """{name: Tensor} from a path or URL (optionally checked against a sha256 hex digest)."""
    if str(device) != "cpu":
        raise NotImplementedError(f"safetensors load_file: device {device!r} (only cpu)")
    if to_float32 and isinstance(filename, (str, os.PathLike)) and not is_url(filename):
        with open(filename, "rb") as f:
            out = _load_converting(f, os.fspath(filename), progress, sha256)
        if out is not None:
            return out
    return load(read_bytes(filename, progress=progress, sha256=sha256), to_float32)


def _load_converting(f, what, progress, sha256):
    """A file with float16/bfloat16 tensors read tensor by tensor, each converted as it comes
    (the whole file in memory next to its float32 copy would be 3x the file, in a wasm heap
    that never shrinks); None if nothing needs converting (then the tensors view one buffer).
    The header is validated as load() does; the data is packed, so one pass reads it all."""
    if progress is True:
        progress = text_progress
    size = os.fstat(f.fileno()).st_size
    head = f.read(8)
    n = struct.unpack_from("<Q", head)[0] if len(head) == 8 else 0
    head += f.read(min(n, MAX_HEADER, max(size - 8, 0)))
    start, header, _ = _parse_header(head, size)
    entries = _entries(header, size - start)
    if not any(dt in (D.float16, D.bfloat16) for _, dt, _, _, _ in entries):
        return None
    digest = hashlib.sha256(head) if sha256 is not None else None
    tensors = {}
    for name, dt, shape, begin, end in entries:
        buf = bytearray(end - begin)
        if f.readinto(buf) != len(buf):
            raise OSError(f"short read from {what}")
        if digest:
            digest.update(buf)
        tensors[name] = _raw.to_float32(_raw.tensor_over(buf, 0, dt, shape, nbytes=len(buf)))
        if progress:
            progress(start + end, size)
    _check_sha256(None, sha256, what, digest and digest.hexdigest())
    return tensors


def save(tensors, metadata=None):
    """safetensors bytes for {name: Tensor} (contiguous copies are written; data 8-aligned)."""
    if not isinstance(tensors, dict):
        raise TypeError(f"expected a dict of tensors, got {type(tensors).__name__}")
    if metadata is not None and not all(isinstance(k, str) and isinstance(v, str)
                                        for k, v in metadata.items()):
        raise ValueError("metadata must map strings to strings")
    header, blobs, pos = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name]
        if not isinstance(name, str):
            raise TypeError(f"tensor names must be strings, got {name!r}")
        if not isinstance(t, Tensor):
            raise TypeError(f"{name!r} is a {type(t).__name__}, not a Tensor")
        c, isz = t.contiguous(), t.dtype.itemsize
        blob = bytes(c._storage.view()[c._offset * isz:(c._offset + c.numel()) * isz])
        header[name] = {"dtype": CODES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [pos, pos + len(blob)]}
        blobs.append(blob)
        pos += len(blob)
    if metadata:
        header["__metadata__"] = dict(metadata)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-(8 + len(text)) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def save_file(tensors, filename, metadata=None):
    with open(filename, "wb") as f:
        f.write(save(tensors, metadata))
