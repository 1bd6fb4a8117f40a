"""Quantised weights in GGUF's (ggml's) block formats, for Linear layers.

    from webtensor import quant
    qw = quant.quantize(w, "q4_1")                 # w [N, K] float, K a multiple of 32
    qw = quant.from_blocks("q4_k", (N, K), buf)    # read-only kinds too (K % 256 == 0)
    qw = quant.from_blocks("q8_0", (N, K), buf)    # raw GGUF tensor bytes, zero copy
    y = quant.linear(x, qw, bias)                  # x @ W^T (+ bias), x [*, K] -> [*, N]
    e = quant.embedding(ids, qw)                   # rows of W (a tied embedding), [*ids, K]
    w32 = quant.dequantize(qw)                     # Tensor [N, K] float32

Formats (a weight [N, K] is N rows of K/32 blocks of 32 consecutive weights):
  q8_0: 34-byte blocks {float16 d; int8 qs[32]}              w = d * q
  q4_1: 20-byte blocks {float16 d; float16 m; uint8 qs[16]}  w = d * q + m, q = low nibble of
        qs[j] for element j < 16 and its high nibble for element j + 16
quantize() reproduces ggml's reference quantisers bit for bit (Q8_0: d = amax/127,
q = roundf(x/d); Q4_1: d = (max-min)/15, m = min, q = min(15, trunc((x-m)/d + 0.5))).
Read from GGUF files (from_blocks; no quantiser here: quantize() raises for them):
  q4_0 (18 B / 32), q5_0 (22 B / 32), q5_1 (24 B / 32), q4_k (144 B / 256), q6_k (210 B / 256),
  ggml's layouts (see backends/reference/quant.py); dequantised exactly as ggml / gguf-py do.
Worst-case error of a weight (d the block's float32 scale, h(v) = max(|v| 2^-11, 2^-25) the
float16 rounding of v): Q8_0 |w - x| <= d/2 + 127 h(d); Q4_1 |w - x| <= d/2 + 15 h(d) + h(min).

The WASM backend runs linear on kernels that read the blocks and dequantise in registers
(decode: 0.56-1.06 bytes per weight instead of 4; every kind has a float- and an
int8-activation GEMV and a GEMM); the reference backend dequantises and
multiplies in pure Python (the oracle). Dispatch primitives: dequantize, quantize,
quant_linear (backends/__init__.py).
"""
import ctypes

from . import _dtype as D
from ._storage import Storage
from . import _device
from ._device import DEVICES
from ._tensor import CPU, Size, Tensor
from ._dispatch import dispatch
from .backends.reference.quant import BLOCK_BYTES, BLOCK_SIZE, QK, QUANTIZERS

KINDS = tuple(BLOCK_BYTES)
__all__ = ["KINDS", "QK", "QuantizedTensor", "block_bytes", "block_size", "dequantize",
           "embedding", "from_blocks", "linear", "quantize"]


def block_bytes(kind):
    """Bytes per block (34 for q8_0's 32 weights, 144 for q4_k's 256...)."""
    _check_kind(kind)
    return BLOCK_BYTES[kind]


def block_size(kind):
    """Weights per block: 32, or 256 for the K-quants (q4_k, q6_k)."""
    _check_kind(kind)
    return BLOCK_SIZE[kind]


def _check_kind(kind):
    if kind not in BLOCK_BYTES:
        raise ValueError(f"unknown quantisation kind {kind!r}; expected one of "
                         f"{', '.join(repr(k) for k in KINDS)}")


def _check_shape(kind, shape):
    try:
        shape = tuple(int(s) for s in shape)
    except TypeError:
        raise TypeError(f"{kind}: shape must be a sequence of two ints (N, K), got "
                        f"{shape!r}") from None
    if len(shape) != 2 or min(shape) < 0:
        raise ValueError(f"{kind}: shape must be two non-negative sizes (N, K), got "
                         f"{list(shape)}")
    if shape[1] % BLOCK_SIZE[kind]:
        raise ValueError(f"{kind}: the last dimension K = {shape[1]} must be a multiple of the "
                         f"block size {BLOCK_SIZE[kind]}")
    return shape


def _nbytes(kind, shape):
    return shape[0] * (shape[1] // BLOCK_SIZE[kind]) * BLOCK_BYTES[kind]


# ---- zero-copy storage over someone else's bytes -----------------------------------------------
class _Py_buffer(ctypes.Structure):
    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.c_void_p), ("len", ctypes.c_ssize_t),
                ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int),
                ("ndim", ctypes.c_int), ("format", ctypes.c_char_p),
                ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p),
                ("suboffsets", ctypes.c_void_p), ("internal", ctypes.c_void_p)]


def _readonly_address(mv):
    """Address of a read-only contiguous buffer's first byte (bytes, a slice of a file's bytes),
    through the C API, or None where that is unavailable."""
    try:
        api = ctypes.pythonapi
        get, release = api.PyObject_GetBuffer, api.PyBuffer_Release
    except (AttributeError, OSError):
        return None
    get.argtypes = [ctypes.py_object, ctypes.POINTER(_Py_buffer), ctypes.c_int]
    get.restype = ctypes.c_int
    release.argtypes = [ctypes.POINTER(_Py_buffer)]
    release.restype = None
    pb = _Py_buffer()
    if get(mv, ctypes.byref(pb), 0) != 0:
        return None
    try:
        return pb.buf
    finally:
        release(ctypes.byref(pb))


class _ViewStorage(Storage):
    """A Storage over an existing buffer (bytes, bytearray, memoryview, mmap...), no copy.

    Holds a memoryview of it, which keeps the owner alive and (for a bytearray) unresizable,
    so the address stays valid. Kernels only read it."""
    __slots__ = ()

    def __init__(self, mv, addr):
        Storage.__init__(self, mv.nbytes, buf=mv)
        self._addr = addr

    def address(self):
        return self._addr


def _wrap_buffer(buffer):
    try:
        mv = memoryview(buffer)
    except TypeError:
        raise TypeError(f"from_blocks(): buffer must be a bytes-like object (bytes, bytearray, "
                        f"memoryview), not {type(buffer).__name__}") from None
    if not mv.c_contiguous:
        raise ValueError("from_blocks(): buffer must be contiguous")
    mv = mv.cast("B") if mv.format != "B" or mv.ndim != 1 else mv
    if mv.nbytes == 0:
        return Storage(0)
    if not mv.readonly:
        return _ViewStorage(mv, ctypes.addressof(ctypes.c_char.from_buffer(mv)))
    addr = _readonly_address(mv)
    if addr is None:       # no C API here: one copy
        return Storage(mv.nbytes, buf=bytearray(mv))
    return _ViewStorage(mv, addr)


# ---- the tensor ---------------------------------------------------------------------------
class QuantizedTensor:
    """A [N, K] float32 matrix stored as GGUF blocks (kind: one of KINDS). Immutable."""
    __slots__ = ("kind", "shape", "_storage")
    dtype = D.float32

    @property
    def device(self):
        """The device holding the blocks (a QuantizedTensor moves with .to(device))."""
        return self._storage.device

    def __init__(self, kind, shape, storage):
        _check_kind(kind)
        shape = _check_shape(kind, shape)
        if storage.nbytes != _nbytes(kind, shape):
            raise ValueError(f"{kind} {list(shape)}: storage holds {storage.nbytes} bytes, "
                             f"expected {_nbytes(kind, shape)}")
        self.kind = kind
        self.shape = Size(shape)
        self._storage = storage

    @property
    def nbytes(self):
        """Bytes of block data (N * K/block_size(kind) * block_bytes(kind))."""
        return self._storage.nbytes

    def numel(self):
        return self.shape[0] * self.shape[1]

    def dim(self):
        return 2

    def size(self, dim=None):
        return self.shape if dim is None else self.shape[dim]

    def tobytes(self):
        """The raw blocks, exactly as stored in a GGUF file."""
        st = self._storage
        if st.device is CPU:
            return bytes(st.view())
        return bytes(DEVICES[st.device.type].read_bytes(st, 0, st.nbytes))

    def to(self, device=None, dtype=None, non_blocking=False, copy=False):
        """The same blocks on `device` (a raw byte copy; self if already there). dtype must be
        None or float32: the blocks are never converted (nn.Module.half() & co leave a
        QuantizedTensor alone, see is_floating_point)."""
        if isinstance(device, D.dtype):
            device, dtype = None, device
        if dtype is not None and dtype is not D.float32:
            raise TypeError(f"QuantizedTensor.to(): cannot convert {self.kind} blocks to "
                            f"{dtype}; dequantize() first")
        if device is None:
            return self
        dev = _device.device(device)
        if dev == self.device and not copy:
            return self
        src = self._storage
        data = bytes(src.view()) if src.device is CPU else \
            DEVICES[src.device.type].read_bytes(src, 0, src.nbytes)
        return QuantizedTensor(self.kind, self.shape, DEVICES[dev.type].from_bytes(data))

    def cpu(self):
        return self.to("cpu")

    def is_floating_point(self):
        """False, as for torch's quantized tensors: nn.Module.to(dtype) / .half() skip it
        (module.to(device) still moves it)."""
        return False

    def dequantize(self):
        return dequantize(self)

    def __repr__(self):
        return (f"QuantizedTensor(kind='{self.kind}', shape={list(self.shape)}, "
                f"nbytes={self.nbytes})")


def from_blocks(kind, shape, buffer):
    """A QuantizedTensor over raw GGUF block bytes (no copy: it keeps a view of buffer).

    shape is the logical (N, K) -- in GGUF's dims-fastest-first order that is (ne[1], ne[0]).
    """
    _check_kind(kind)
    shape = _check_shape(kind, shape)
    try:
        have = memoryview(buffer).nbytes
    except TypeError:
        raise TypeError(f"from_blocks(): buffer must be a bytes-like object (bytes, bytearray, "
                        f"memoryview), not {type(buffer).__name__}") from None
    want = _nbytes(kind, shape)
    if have != want:
        raise ValueError(f"{kind} {list(shape)} needs {shape[0]} x "
                         f"{shape[1] // BLOCK_SIZE[kind]} blocks x "
                         f"{BLOCK_BYTES[kind]} bytes = {want} bytes, got {have}")
    return QuantizedTensor(kind, shape, _wrap_buffer(buffer))


def quantize(w, kind):
    """Quantise a 2-D float tensor [N, K] (K a multiple of 32) to `kind` ("q8_0" or "q4_1"),
    as ggml does."""
    _check_kind(kind)
    if kind not in QUANTIZERS:
        raise NotImplementedError(f"quantize(): webtensor has no {kind} quantiser (it reads "
                                  f"{kind} blocks from GGUF files); quantisable kinds: "
                                  f"{', '.join(repr(k) for k in QUANTIZERS)}")
    if not isinstance(w, Tensor):
        raise TypeError(f"quantize(): argument 'w' must be Tensor, not {type(w).__name__}")
    if not w.dtype.is_floating_point:
        raise TypeError(f"quantize(): expected a floating point tensor, got {w.dtype}")
    if w.dim() != 2:
        raise ValueError(f"quantize(): expected a 2-D weight [N, K], got {w.dim()}-D "
                         f"{list(w.shape)}")
    shape = _check_shape(kind, w.shape)
    w = w.to(D.float32).contiguous()             # quantised on w's device (ggml's quantiser)
    if w.numel() and not bool(w.isfinite().all()):
        raise ValueError(f"quantize(): the weight has inf or nan values, which {kind} cannot "
                         "represent")
    nbytes = _nbytes(kind, shape)
    st = Storage(nbytes) if w.device == CPU else DEVICES[w.device.type].storage(nbytes)
    q = QuantizedTensor(kind, shape, st)
    if w.numel():
        dispatch("quantize", q, w)
    return q


def dequantize(q):
    """The float32 Tensor [N, K] a QuantizedTensor stands for."""
    if not isinstance(q, QuantizedTensor):
        raise TypeError(f"dequantize(): expected a QuantizedTensor, not {type(q).__name__}")
    out = Tensor._empty(tuple(q.shape), D.float32, q.device)
    if q.nbytes:
        dispatch("dequantize", out, q)
    return out


ACTIVATIONS = ("float32", "int8", "int16")


def linear(input, weight, bias=None, *, activations="float32"):
    """torch.nn.functional.linear with a quantised weight: input @ weight^T (+ bias).

    input [*, K] float32 (any batch shape, 1-D too), weight a QuantizedTensor [N, K],
    bias [N] (or anything broadcastable to the output) or None. Returns [*, N].

    activations="int8" (llama.cpp's way): each row of input is first rounded to Q8_0 blocks,
    xh = dequantize(quantize(input, "q8_0")), and the result is xh @ W^T -- the decode
    (M == 1) kernels then take integer dot products, faster, at the cost of that rounding:
    |xh - x| <= d_x/2 + 127 h(d_x) per element, d_x = max|x| / 127 over its block of 32.
    (A block of x holding inf or nan gives nan outputs.) The default "float32" uses input as
    is.

    activations="int16": the same with x rounded per block of 32 to int16 and one float32
    scale (d = max|x| / 32767, xh = d * nearest-even(x / d), |xh - x| <= d/2 (1 + 2^-5):
    256x finer than int8); the decode kernels take exact integer dots of the weight codes
    with those int16 (i32x4.dot_i16x8_s), about twice the float path's speed. The decode
    default of the GGUF models (greedy text identical to "float32" on their test prompts)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"linear(): argument 'input' must be Tensor, not "
                        f"{type(input).__name__}")
    if not isinstance(weight, QuantizedTensor):
        raise TypeError(f"linear(): argument 'weight' must be a QuantizedTensor, not "
                        f"{type(weight).__name__}")
    if input.dim() == 0:
        raise RuntimeError("both arguments to linear need to be at least 1D, but they are 0D "
                           "and 2D")
    n, k = weight.shape
    if input.dtype is not D.float32:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_ctype(input.dtype)} != float")
    if activations not in ACTIVATIONS:
        raise ValueError(f"linear(): activations must be 'float32', 'int8' or 'int16', got "
                         f"{activations!r}")
    lead = tuple(input.shape[:-1])
    m = 1
    for s in lead:
        m *= s
    if input.shape[-1] != k:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                           f"({m}x{input.shape[-1]} and {k}x{n})")
    if input.device != weight.device:
        raise _device.mismatch(input.device, weight.device)
    out = Tensor._empty((m, n), D.float32, weight.device)
    if m and n:
        x = input.contiguous().reshape(m, k)
        dispatch("quant_linear", out, x, weight, activations)
    out = out.reshape(lead + (n,))
    if bias is not None:
        out = out + bias
        if tuple(out.shape) != lead + (n,):
            raise RuntimeError(f"linear(): bias of shape {list(bias.shape)} does not match "
                               f"the output {list(lead + (n,))}")
    return out


def embedding(input, weight):
    """torch.nn.functional.embedding with a quantised table: the rows weight[input] as float32,
    shape input.shape + (K,); only those rows are dequantised (a tied Q8_0 token embedding
    serves lookups and, through linear(), the output head)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"embedding(): argument 'input' must be Tensor, not "
                        f"{type(input).__name__}")
    if not isinstance(weight, QuantizedTensor):
        raise TypeError(f"embedding(): argument 'weight' must be a QuantizedTensor, not "
                        f"{type(weight).__name__}")
    if input.dtype not in (D.int64, D.int32):
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got {input.dtype} instead "
                           f"(while checking arguments for embedding)")
    n, k = weight.shape
    rows = input.reshape(-1).to(D.int64).contiguous()      # the backends check the bounds
    out = Tensor._empty(tuple(input.shape) + (k,), D.float32, weight.device)
    if rows.numel() and k:
        dispatch("dequantize_rows", out, weight, rows.to(weight.device))
    return out


def _ctype(dt):
    return {"float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
            "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
            "uint8": "unsigned char", "bool": "bool"}.get(dt.name, dt.name)
