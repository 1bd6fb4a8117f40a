"""Checkpoints written by `torch.save` -- the zip format (torch >= 1.6) and the legacy pickle
stream -- read through a restricted unpickler that follows torch's `weights_only` allow-list:
containers, dtypes, sizes and the tensor rebuild functions. Any other global in the file
(os.system, builtins.eval, a user class, ...) is refused before anything is called, so a file
never runs code. Tensors view the file's bytes where the zip member is stored uncompressed.
"""
import collections
import io
import pickle
import pickletools
import struct
import zipfile
import zlib

from .. import _dtype as D
from ._errors import LoadError, UnpicklingError, UnsupportedFormatError
from .._storage import Storage
from .._tensor import Size, Tensor, device
from . import _raw
from ._source import read_bytes

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
LEGACY_PROTOCOL = 1001
MAX_NESTING = 256          # containers in a checkpoint (state dicts nest a few levels)

# torch's legacy typed-storage class names -> dtype
STORAGE_TYPES = {"FloatStorage": D.float32, "DoubleStorage": D.float64,
                 "HalfStorage": D.float16, "BFloat16Storage": D.bfloat16,
                 "LongStorage": D.int64, "IntStorage": D.int32, "ShortStorage": D.int16,
                 "CharStorage": D.int8, "ByteStorage": D.uint8, "BoolStorage": D.bool_}


class _StorageType:
    def __init__(self, dtype):
        self.dtype = dtype


class _TypePlaceholder:
    """torch.Tensor / nn.Parameter named by a file: only ever passed to the rebuild functions."""
    def __init__(self, name):
        self.name = name


class _StorageWithDtype(Storage):
    __slots__ = ("_wt_dtype",)


def _new_storage(nbytes, buf, dtype):
    st = _StorageWithDtype(nbytes, buf=buf)
    st._wt_dtype = dtype
    return st


def _check_view(storage, offset, size, stride):
    if not all(type(v) is int for v in (offset, *size, *stride)) or len(size) != len(stride):
        raise UnpicklingError("malformed tensor: size/stride/offset must be ints of the "
                                     "same rank")
    if not all(0 <= v < 2 ** 63 for v in (offset, *size, *stride)):
        raise UnpicklingError("malformed tensor: size, stride and offset must be int64 values "
                              ">= 0")
    if 0 not in size:
        last = offset + sum((n - 1) * s for n, s in zip(size, stride))
        numel = storage.nbytes // storage._wt_dtype.itemsize
        if last >= numel:
            raise UnpicklingError(f"malformed tensor: view of size {list(size)} stride "
                                         f"{list(stride)} offset {offset} runs past its storage "
                                         f"of {numel} elements")


def _rebuild_tensor(storage, storage_offset, size, stride):
    if not isinstance(storage, _StorageWithDtype):
        raise UnpicklingError("malformed tensor: its storage is not a storage record")
    size, stride = tuple(size), tuple(stride)
    _check_view(storage, storage_offset, size, stride)
    return Tensor._make(storage, size, stride, storage_offset, storage._wt_dtype)


def _set_requires_grad(t, requires_grad):
    if requires_grad and t.dtype.category != 2:
        raise UnpicklingError(f"malformed tensor: only floating point tensors can require "
                              f"gradients, this one is {t.dtype.name}")
    t.requires_grad = bool(requires_grad)
    return t


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False,
                       backward_hooks=None, metadata=None):
    return _set_requires_grad(_rebuild_tensor(storage, storage_offset, size, stride),
                              requires_grad)


def _rebuild_parameter(data, requires_grad, backward_hooks, state=None):
    if not isinstance(data, Tensor):
        raise UnpicklingError("malformed parameter: its data is not a tensor")
    return _set_requires_grad(data, requires_grad)


def _rebuild_from_type_v2(func, new_type, args, state):
    if func not in (_rebuild_tensor_v2, _rebuild_parameter, _rebuild_tensor):
        raise UnpicklingError("malformed tensor subclass record")
    return func(*args)


def _encode(text, encoding="latin1", errors="strict"):   # how protocol-2 pickles spell bytes
    if not isinstance(text, str) or encoding not in ("latin1", "latin-1", "utf-8", "utf8"):
        raise UnpicklingError(f"malformed bytes record: _codecs.encode of a "
                              f"{type(text).__name__} with encoding {encoding!r:.40}")
    return text.encode(encoding)


def _bytearray(data=b"", *encoding):
    """bytearray of bytes or an encoded string; never bytearray(n), n zero bytes from nothing."""
    if type(data) is str:
        data = _encode(data, *encoding)
    if not isinstance(data, (bytes, bytearray)):
        raise UnpicklingError(f"malformed bytearray record: from a {type(data).__name__}")
    return bytearray(data)


def _device(*args):
    try:
        return device(*args)
    except (RuntimeError, ValueError, TypeError) as e:
        raise UnpicklingError(f"malformed device record: {e}") from None


def _get_layout(name):
    if name != "torch.strided":
        raise UnsupportedFormatError(f"webtensor.load: tensor layout {name} (only torch.strided)")
    return name


def _allowed():
    rc = {("collections", "OrderedDict"): collections.OrderedDict,
          ("collections", "Counter"): collections.Counter,
          ("builtins", "set"): set, ("builtins", "frozenset"): frozenset,
          ("builtins", "bytearray"): _bytearray, ("_codecs", "encode"): _encode,
          ("torch", "Size"): Size, ("torch", "device"): _device,
          ("torch._utils", "_rebuild_tensor"): _rebuild_tensor,
          ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
          ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
          ("torch._utils", "_rebuild_parameter_with_state"): _rebuild_parameter,
          ("torch._tensor", "_rebuild_from_type_v2"): _rebuild_from_type_v2,
          ("torch.serialization", "_get_layout"): _get_layout,
          ("torch", "Tensor"): _TypePlaceholder("torch.Tensor"),
          ("torch.nn.parameter", "Parameter"): _TypePlaceholder("torch.nn.Parameter")}
    for name, dt in STORAGE_TYPES.items():
        rc[("torch", name)] = _StorageType(dt)
    for dt in D.ALL:
        rc[("torch", dt.name)] = dt
    return rc


ALLOWED = _allowed()


class _Node:
    """A container the pickle would build: its nesting depth and the containers holding it."""
    __slots__ = ("depth", "parents")

    def __init__(self, children=()):
        self.depth, self.parents = 1, []
        for c in children:
            _add(self, c)


def _add(parent, child):
    """parent now holds child: deepen parent (and whatever holds it) to 1 + child's depth."""
    if not isinstance(child, _Node):
        return
    child.parents.append(parent)
    work = [(parent, child.depth + 1)]
    while work:
        n, d = work.pop()
        if d > n.depth:
            if d > MAX_NESTING:
                raise UnpicklingError(f"corrupt or hostile checkpoint: containers nest deeper "
                                      f"than {MAX_NESTING} levels")
            n.depth = d
            work.extend((p, d + 1) for p in n.parents)


_MARK = object()
_MEMO_PUT = frozenset(("PUT", "BINPUT", "LONG_BINPUT"))
_MEMO_GET = frozenset(("GET", "BINGET", "LONG_BINGET"))
_NEW_EMPTY = frozenset(("EMPTY_LIST", "EMPTY_DICT", "EMPTY_SET", "EMPTY_TUPLE"))
_FROM_MARK = frozenset(("LIST", "TUPLE", "DICT", "FROZENSET", "OBJ", "INST"))
_INTO_TOP_FROM_MARK = frozenset(("APPENDS", "SETITEMS", "ADDITEMS"))
_INTO_TOP = {"APPEND": 1, "SETITEM": 2, "BUILD": 1}
_NEW_FROM = {"TUPLE1": 1, "TUPLE2": 2, "TUPLE3": 3, "REDUCE": 2, "NEWOBJ": 2, "NEWOBJ_EX": 3}


def _prescan(f):
    """Walk the next pickle's opcodes without running them, tracking the stack and memo
    abstractly: a damaged or hostile memo index (LONG_BINPUT 2**31) would make the C unpickler
    allocate gigabytes, and containers nested 100 000 deep (a few bytes per level, built
    without recursion) crash Pyodide when they are freed, so both are refused before the
    unpickler runs. Anything a call (REDUCE, NEWOBJ) returns counts as holding its arguments."""
    start = f.tell()
    limit = len(f.getbuffer()) - start
    stack, memo = [], {}

    def pop_mark():
        for i in range(len(stack) - 1, -1, -1):
            if stack[i] is _MARK:
                items = stack[i + 1:]
                del stack[i:]
                return items
        raise UnpicklingError("corrupt checkpoint: no MARK on the pickle stack")

    try:
        for op, arg, _ in pickletools.genops(f):
            name = op.name
            if name in _MEMO_PUT or name in _MEMO_GET:
                if type(arg) is not int or not 0 <= arg <= limit:
                    raise UnpicklingError(f"corrupt checkpoint: memo index {arg} out of range")
            if name == "MARK":
                stack.append(_MARK)
            elif name in _NEW_EMPTY:
                stack.append(_Node())
            elif name in _FROM_MARK:
                stack.append(_Node(pop_mark()))
            elif name in _NEW_FROM:
                n = _NEW_FROM[name]
                items = stack[-n:]
                del stack[-n:]
                stack.append(_Node(items))
            elif name in _INTO_TOP_FROM_MARK:
                for item in pop_mark():
                    _add(stack[-1], item)
            elif name in _INTO_TOP:
                n = _INTO_TOP[name]
                items = stack[-n:]
                del stack[-n:]
                for item in items:
                    _add(stack[-1], item)
            elif name in _MEMO_PUT:
                memo[arg] = stack[-1]
            elif name == "MEMOIZE":
                memo[len(memo)] = stack[-1]
            elif name in _MEMO_GET:
                stack.append(memo.get(arg))
            elif name == "POP_MARK":
                pop_mark()
            elif name == "DUP":
                stack.append(stack[-1])
            elif name != "STOP":            # scalars, globals, persistent ids: leaves
                for x in op.stack_before:
                    if x is pickletools.markobject:
                        pop_mark()
                    elif stack:
                        stack.pop()
                stack.extend(None for x in op.stack_after if x is not pickletools.markobject)
    except UnpicklingError:
        raise
    except (ValueError, IndexError) as e:
        raise UnpicklingError(f"corrupt or truncated checkpoint: {e}") from None
    f.seek(start)


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, storage_for):
        super().__init__(file, encoding="utf-8")
        self._file = file
        self._storage_for = storage_for

    def load(self):
        _prescan(self._file)
        return super().load()

    def find_class(self, module, name):
        if module == "__builtin__":       # protocol-2 pickles spell builtins the Python 2 way
            module = "builtins"
        obj = ALLOWED.get((module, name))
        if obj is None:
            raise UnpicklingError(
                f"Weights only load failed: unsupported global {module}.{name} in the file. "
                f"webtensor.load only rebuilds tensors and plain containers; it never runs code "
                f"from a file (there is no weights_only=False).")
        return obj

    def persistent_load(self, pid):
        if self._storage_for is None:
            raise UnpicklingError("unexpected storage record in a checkpoint header")
        if not (isinstance(pid, tuple) and len(pid) >= 5 and pid[0] == "storage"):
            raise UnpicklingError(f"unsupported persistent id {pid!r:.80}")
        stype, key, location, numel = pid[1:5]
        if not isinstance(stype, _StorageType):
            raise UnpicklingError(f"unsupported storage type in the file: {stype!r:.80}")
        if type(numel) is not int or numel < 0 or not isinstance(key, str):
            raise UnpicklingError("malformed storage record")
        return self._storage_for(key, stype.dtype, numel, pid[5] if len(pid) > 5 else None)


# ---- the zip format -----------------------------------------------------------------------
def _member_span(buf, zf, info):
    """(start, size) of an uncompressed member's bytes inside buf, or None if compressed."""
    if info.compress_type != zipfile.ZIP_STORED:
        return None
    h = info.header_offset
    if buf[h:h + 4] != b"PK\x03\x04":
        raise UnpicklingError(f"corrupt zip: bad local header for {info.filename}")
    n, e = struct.unpack_from("<HH", buf, h + 26)
    start = h + 30 + n + e
    if start + info.file_size > len(buf):
        raise UnpicklingError(f"corrupt zip: {info.filename} runs past the end")
    return start, info.file_size


def _load_zip(buf):
    zf = zipfile.ZipFile(_raw.reader(buf))
    pkls = [n for n in zf.namelist() if n.endswith("data.pkl") and n.count("/") == 1]
    if len(pkls) != 1:
        raise UnpicklingError("not a torch.save zip archive (expected one <name>/data.pkl)")
    prefix = pkls[0][:-len("data.pkl")]
    if prefix + "byteorder" in zf.namelist() and zf.read(prefix + "byteorder") != b"little":
        raise UnsupportedFormatError("webtensor.load: big-endian checkpoints")
    cache = {}

    def storage_for(key, dtype, numel, _view):
        if key in cache:
            return cache[key]
        name = f"{prefix}data/{key}"
        try:
            info = zf.getinfo(name)
        except KeyError:
            raise UnpicklingError(f"storage {key!r} is missing from the archive") from None
        nbytes = numel * dtype.itemsize
        if info.file_size < nbytes:
            raise UnpicklingError(f"storage {key!r}: {info.file_size} bytes in the archive, "
                                         f"{nbytes} needed for {numel} {dtype.name} elements")
        span = _member_span(buf, zf, info)
        if span is not None:
            view = memoryview(buf)[span[0]:span[0] + nbytes]
        else:
            view = memoryview(bytearray(zf.read(name)))[:nbytes]
        st = cache[key] = _new_storage(nbytes, view, dtype)
        return st

    return _Unpickler(io.BytesIO(zf.read(pkls[0])), storage_for).load()


# ---- the legacy (pre-1.6) pickle stream ----------------------------------------------------------
def _load_legacy(buf):
    f = _raw.reader(buf)
    if _Unpickler(f, None).load() != LEGACY_MAGIC:
        raise UnpicklingError("invalid magic number; not a torch checkpoint")
    if _Unpickler(f, None).load() != LEGACY_PROTOCOL:
        raise UnpicklingError("unsupported legacy checkpoint protocol version")
    info = _Unpickler(f, None).load()
    if isinstance(info, dict) and not info.get("little_endian", True):
        raise UnsupportedFormatError("webtensor.load: big-endian checkpoints")
    storages = {}

    def storage_for(key, dtype, numel, view):
        if view is not None:
            raise UnsupportedFormatError("webtensor.load: legacy storage views")
        if key not in storages:
            if numel * dtype.itemsize > len(buf):
                raise UnpicklingError(f"storage {key!r} claims {numel} elements, more "
                                             f"than the file holds")
            storages[key] = _new_storage(numel * dtype.itemsize,
                                         bytearray(numel * dtype.itemsize), dtype)
        return storages[key]

    result = _Unpickler(f, storage_for).load()
    keys = _Unpickler(f, None).load()
    if not isinstance(keys, list) or set(keys) != set(storages):
        raise UnpicklingError("the storage key list does not match the tensors")
    pos = f.tell()
    for key in keys:
        st = storages[key]
        if pos + 8 > len(buf):
            raise UnpicklingError(f"storage {key!r}: data missing (file truncated)")
        (numel,) = struct.unpack_from("<q", buf, pos)
        if numel * st._wt_dtype.itemsize != st.nbytes or pos + 8 + st.nbytes > len(buf):
            raise UnpicklingError(f"storage {key!r}: size mismatch or truncated data")
        st.buf[:] = buf[pos + 8:pos + 8 + st.nbytes]
        pos += 8 + st.nbytes
    return result


def _check_map_location(map_location):
    locs = map_location.values() if isinstance(map_location, dict) else [map_location]
    for loc in locs:
        if loc is not None and str(loc) != "cpu":
            raise NotImplementedError(f"webtensor.load: map_location={map_location!r} "
                                      f"(tensors load on the cpu)")


def _convert(obj, memo):
    """to_float32 through the containers; memo (by id) keeps shared and cyclic ones linear."""
    done = memo.get(id(obj))
    if done is not None:
        return done
    if isinstance(obj, Tensor):
        done = _raw.to_float32(obj)
    elif isinstance(obj, dict):
        memo[id(obj)] = done = obj
        for k, v in obj.items():
            obj[k] = _convert(v, memo)
    elif isinstance(obj, list):
        memo[id(obj)] = done = obj
        obj[:] = [_convert(v, memo) for v in obj]
    elif type(obj) is tuple:
        done = tuple(_convert(v, memo) for v in obj)
    else:
        return obj
    memo[id(obj)] = done
    return done


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         to_float32=False, progress=None, sha256=None, **pickle_load_args):
    """torch.load for checkpoints (zip or legacy), always weights_only. `f`: bytes, a path, a
    file object or a URL. to_float32=True turns float16/bfloat16 tensors into float32."""
    if weights_only is False:
        raise ValueError("webtensor.load never executes code from a file: weights_only=False "
                         "is not supported (the file is read with torch's weights_only rules)")
    if pickle_module is not None:
        raise ValueError("webtensor.load: pickle_module is not supported")
    _check_map_location(map_location)
    buf = _raw.writable(read_bytes(f, progress=progress, sha256=sha256))
    if bytes(buf[:4]) == b"PK\x03\x04":
        reader = _load_zip
    elif bytes(buf[:1]) == b"\x80":
        reader = _load_legacy
    else:
        raise UnpicklingError("not a torch checkpoint (neither a torch.save zip archive "
                                     "nor a legacy pickle stream)")
    try:
        obj = reader(buf)
    except LoadError:
        raise
    except NotImplementedError as e:      # zipfile: a compression method or zip version
        raise UnsupportedFormatError(f"webtensor.load: {e}") from None
    except (pickle.UnpicklingError, zipfile.BadZipFile, EOFError, zlib.error, struct.error,
            TypeError, LookupError, ValueError, AttributeError, OverflowError, MemoryError) as e:
        # damaged pickles call the allowed functions with nonsense; name it, don't leak it
        raise UnpicklingError(f"corrupt or truncated checkpoint: "
                              f"{type(e).__name__}: {e}") from None
    return _convert(obj, {}) if to_float32 else obj
