"""GGUF (llama.cpp's model file, versions 2 and 3) read in pure Python, validated like
safetensors: every length, count, type id, offset and size is checked against the file before
it is used. Tensors keep their raw bytes (a view of the file); F32/F16/BF16 become float32
tensors, quantised blocks (Q8_0, Q4_1, ...) stay as bytes for webtensor.quant.

GGUF lists a tensor's dims fastest-first; `GGUFTensor.shape` is in torch order (reversed).
"""
import struct

from .. import _dtype as D
from ._errors import GGUFError, UnsupportedFormatError
from . import _raw
from ._source import read_bytes

MAGIC = b"GGUF"
DEFAULT_ALIGNMENT = 32
# value type id -> struct format (scalars); 8 string, 9 array
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
            10: "<Q", 11: "<q", 12: "<d"}
# ggml type id -> (name, elements per block, bytes per block)
GGML_TYPES = {0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18), 3: ("Q4_1", 32, 20),
              6: ("Q5_0", 32, 22), 7: ("Q5_1", 32, 24), 8: ("Q8_0", 32, 34),
              9: ("Q8_1", 32, 36), 10: ("Q2_K", 256, 84), 11: ("Q3_K", 256, 110),
              12: ("Q4_K", 256, 144), 13: ("Q5_K", 256, 176), 14: ("Q6_K", 256, 210),
              15: ("Q8_K", 256, 292), 24: ("I8", 1, 1), 25: ("I16", 1, 2), 26: ("I32", 1, 4),
              27: ("I64", 1, 8), 28: ("F64", 1, 8), 30: ("BF16", 1, 2)}
_PLAIN = {"F32": D.float32, "F16": D.float16, "BF16": D.bfloat16, "F64": D.float64,
          "I8": D.int8, "I16": D.int16, "I32": D.int32, "I64": D.int64}


class _Reader:
    def __init__(self, buf):
        self.buf, self.pos = buf, 0

    def take(self, n, what):
        if n < 0 or self.pos + n > len(self.buf):
            raise GGUFError(f"{what} runs past the end of the file (offset {self.pos}, "
                            f"{n} bytes, file {len(self.buf)} bytes)")
        p = self.pos
        self.pos += n
        return p

    def scalar(self, fmt, what):
        size = struct.calcsize(fmt)
        return struct.unpack_from(fmt, self.buf, self.take(size, what))[0]

    def string(self, what):
        n = self.scalar("<Q", what)
        p = self.take(n, what)
        try:
            return bytes(self.buf[p:p + n]).decode("utf-8")
        except UnicodeDecodeError:
            raise GGUFError(f"{what} is not valid UTF-8") from None

    def value(self, vtype, what, depth=0):
        if vtype in _SCALARS:
            return self.scalar(_SCALARS[vtype], what)
        if vtype == 8:
            return self.string(what)
        if vtype == 9 and depth < 2:
            etype = self.scalar("<I", what)
            count = self.scalar("<Q", what)
            if count > len(self.buf) - self.pos:      # every element takes at least 1 byte
                raise GGUFError(f"{what}: array of {count} elements cannot fit in the file")
            if etype in _SCALARS:                       # fast path: one unpack for the array
                fmt = _SCALARS[etype]
                size = struct.calcsize(fmt)
                p = self.take(count * size, what)
                return list(struct.unpack_from(f"<{count}{fmt[1]}", self.buf, p))
            return [self.value(etype, what, depth + 1) for _ in range(count)]
        raise GGUFError(f"{what}: unknown value type {vtype}")


class GGUFTensor:
    """One tensor's record: ggml type name, torch-order shape and its raw bytes (no copy)."""
    __slots__ = ("name", "type", "shape", "data", "_buf", "_start")

    def __init__(self, name, type_name, shape, buf, start, nbytes):
        self.name, self.type, self.shape = name, type_name, shape
        self._buf, self._start = buf, start
        self.data = memoryview(buf)[start:start + nbytes]

    def __repr__(self):
        return f"GGUFTensor({self.name!r}, {self.type}, shape={list(self.shape)})"

    def to_tensor(self, to_float32=True):
        """A webtensor Tensor: plain types view the file bytes (float16/bfloat16 converted to
        float32 unless to_float32=False); quantised types need webtensor.quant."""
        dt = _PLAIN.get(self.type)
        if dt is None:
            raise UnsupportedFormatError(f"GGUF tensor {self.name!r} is {self.type}-quantised: "
                                      f"read it with webtensor.quant (to_tensor handles plain "
                                      f"types: {', '.join(_PLAIN)})")
        t = _raw.tensor_over(self._buf, self._start, dt, self.shape, nbytes=len(self.data))
        return _raw.to_float32(t) if to_float32 else t


class GGUFFile:
    """A parsed GGUF file: version, metadata {key: value}, tensors {name: GGUFTensor}."""

    def __init__(self, version, metadata, tensors, alignment):
        self.version, self.metadata, self.tensors = version, metadata, tensors
        self.alignment = alignment

    def __repr__(self):
        return (f"GGUFFile(version={self.version}, {len(self.metadata)} metadata keys, "
                f"{len(self.tensors)} tensors)")


def parse(data):
    """A GGUFFile from GGUF bytes (tensors view them)."""
    buf = _raw.writable(data)
    r = _Reader(buf)
    if bytes(buf[:4]) != MAGIC:
        raise GGUFError("not a GGUF file (bad magic)")
    r.take(4, "magic")
    version = r.scalar("<I", "version")
    if version not in (2, 3):
        raise GGUFError(f"unsupported GGUF version {version} (2 and 3 are supported)")
    n_tensors = r.scalar("<Q", "tensor count")
    n_kv = r.scalar("<Q", "metadata count")
    if n_tensors > len(buf) // 24 or n_kv > len(buf) // 13:
        raise GGUFError(f"{n_tensors} tensors / {n_kv} metadata entries cannot fit in the file")
    metadata = {}
    for i in range(n_kv):
        key = r.string(f"metadata key {i}")
        if key in metadata:
            raise GGUFError(f"duplicate metadata key {key!r}")
        metadata[key] = r.value(r.scalar("<I", key), key)
    alignment = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    if type(alignment) is not int or alignment <= 0 or alignment & (alignment - 1):
        raise GGUFError(f"general.alignment must be a power of two, got {alignment!r}")
    infos = []
    for i in range(n_tensors):
        name = r.string(f"tensor name {i}")
        n_dims = r.scalar("<I", name)
        if n_dims > 8:
            raise GGUFError(f"tensor {name!r}: {n_dims} dims (at most 8)")
        dims = [r.scalar("<Q", name) for _ in range(n_dims)]
        ttype = r.scalar("<I", name)
        offset = r.scalar("<Q", name)
        if ttype not in GGML_TYPES:
            raise GGUFError(f"tensor {name!r}: unknown ggml type {ttype}")
        tname, block, bsize = GGML_TYPES[ttype]
        numel = 1
        for d in dims:
            numel *= d
        if dims and dims[0] % block:
            raise GGUFError(f"tensor {name!r}: {tname} needs the first dim to be a multiple "
                            f"of {block}, got {dims[0]}")
        if offset % alignment:
            raise GGUFError(f"tensor {name!r}: offset {offset} is not {alignment}-aligned")
        infos.append((name, tname, tuple(reversed(dims)), offset, numel // block * bsize))
    start = -(-r.pos // alignment) * alignment
    data_len = len(buf) - start
    tensors, spans = {}, []
    for name, tname, shape, offset, nbytes in infos:
        if name in tensors:
            raise GGUFError(f"duplicate tensor name {name!r}")
        if offset + nbytes > data_len:
            raise GGUFError(f"tensor {name!r}: {nbytes} bytes at offset {offset} run past the "
                            f"end of the data ({data_len} bytes)")
        tensors[name] = GGUFTensor(name, tname, shape, buf, start + offset, nbytes)
        spans.append((offset, offset + nbytes, name))
    spans.sort()
    for (_, end, a), (begin, _, b) in zip(spans, spans[1:]):
        if begin < end:
            raise GGUFError(f"tensors {a!r} and {b!r} overlap")
    return GGUFFile(version, metadata, tensors, alignment)


def load(src, progress=None, sha256=None):
    """Parse a GGUF file from bytes, a path, a file object or a URL."""
    return parse(read_bytes(src, progress=progress, sha256=sha256))
