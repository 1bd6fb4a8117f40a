"""torch.device and the open registry of device types.

A device type registers itself once with `register_device`: its storage class (whose class
attribute `device` names it), how to allocate a zeroed storage, and how to move bytes in and
out (`read_bytes` / `from_bytes`). `Tensor.to(device)` moves data between any two devices
through those two functions. Which backends run a device's primitives is the dispatcher's
business (`_dispatch.register_backend`).
"""
from ._storage import Storage, new_storage


class device:
    __slots__ = ("type", "index")

    def __init__(self, type="cpu", index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got "
                            f"({type.__class__.__name__})")
        if ":" in type:
            type, idx = type.split(":", 1)
            index = int(idx)
        type = ALIASES.get(type, type)
        if type not in DEVICES and not _register_lazy(type):
            raise RuntimeError(f"webtensor: device type {type!r} is not available "
                               f"(registered: {', '.join([*DEVICES, *LAZY])})")
        self.type = type
        self.index = index

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and \
            ALIASES.get(other.type, other.type) == ALIASES.get(self.type, self.type)

    def __hash__(self):
        return hash(ALIASES.get(self.type, self.type))

    def __repr__(self):
        idx = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{idx})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"


class DeviceType:
    """One registered device type: `device` (the torch.device), `storage(nbytes)` -> a zeroed
    storage, `read_bytes(storage, offset, nbytes)` -> bytes on the host, `from_bytes(data)` -> a
    storage holding them; optional `read_bytes_async` (a coroutine function, same arguments):
    Tensor.cpu_async awaits it (None: read_bytes is called); optional `graphs`: graph capture
    (graphs.py: an object with begin(), end() -> captured, abort(), replay(captured),
    release(captured), and optionally available() -> bool)."""
    __slots__ = ("name", "device", "storage", "read_bytes", "from_bytes", "read_bytes_async",
                 "graphs")

    def __init__(self, name, storage, read_bytes, from_bytes, read_bytes_async=None,
                 graphs=None):
        self.name, self.storage = name, storage
        self.read_bytes, self.from_bytes = read_bytes, from_bytes
        self.read_bytes_async, self.graphs = read_bytes_async, graphs
        self.device = None


DEVICES = {}
# device type -> the module that registers it, imported when the type is first named (so a
# CPU-only program does not pay for importing the webgpu backend at start-up)
LAZY = {}
ALIASES = {}      # a device type's first name -> the name it shows now (alias_device)
# True once a storage of a device other than the CPU exists (or an autograd layer is
# installed): until then the dispatcher skips its scan of the arguments, so a CPU-only program
# pays one check per dispatch for devices and autograd together.
IN_USE = [False]
ON_IN_USE = []    # callbacks run once, when IN_USE turns True (the dispatcher guards shortcuts)


def _marking(make):
    def f(*args):
        if not IN_USE[0]:
            mark_in_use()
        return make(*args)
    return f


def mark_in_use():
    IN_USE[0] = True
    for callback in ON_IN_USE:
        callback()


def register_device(name, storage_class, storage, read_bytes, from_bytes, read_bytes_async=None,
                    graphs=None):
    """Add device type `name`; sets `storage_class.device`. Returns the torch.device."""
    if DEVICES:           # every device but the CPU (the first) marks IN_USE when it allocates
        storage, from_bytes = _marking(storage), _marking(from_bytes)
    DEVICES[name] = entry = DeviceType(name, storage, read_bytes, from_bytes, read_bytes_async,
                                       graphs)
    LAZY.pop(name, None)  # registered by importing its module some other way
    entry.device = storage_class.device = device(name)
    return entry.device


def alias_device(name, target):
    """Let `name` mean registered device type `target` from now on, and make its tensors show
    `name` with index 0 (t.device == device(type='cuda', index=0)): the torch alias's
    install_as_torch(cuda="webgpu"). Both names keep working."""
    _register_lazy(target)
    entry = DEVICES[target]
    DEVICES[name] = entry
    ALIASES[target] = name
    entry.device.type, entry.device.index = name, 0


def _register_lazy(name):
    """Import the module that registers device type `name` if it is a LAZY one; True if it
    is registered now."""
    if name in LAZY:
        import importlib
        importlib.import_module(LAZY.pop(name))
    return name in DEVICES


def as_device(d):
    """A torch.device for a str / device / None (None -> None)."""
    return d if d is None or d.__class__ is device else device(d)


def host_io(make):
    """(read_bytes, from_bytes) for a storage kept in host memory (a Storage or a subclass;
    `make(nbytes)` allocates one): the CPU's, and a test device's."""
    def read_bytes(storage, offset, nbytes):
        return bytes(storage.view()[offset:offset + nbytes])

    def from_bytes(data):
        s = make(len(data))
        s.view()[:] = data
        return s
    return read_bytes, from_bytes


CPU = register_device("cpu", Storage, new_storage, *host_io(new_storage))


def mismatch(d0, d1):
    return RuntimeError("Expected all tensors to be on the same device, but found at least two "
                        f"devices, {d0} and {d1}!")


def common_device(tensors):
    """The device an op on `tensors` runs on: they must share one, except that a 0-dim CPU
    tensor mixes with any device (as in torch). Raises torch's RuntimeError otherwise."""
    dev = None
    for t in tensors:
        d = t._storage.device
        if d is dev or (d is CPU and not t.shape):
            continue
        if dev is None:
            dev = d
        else:
            raise mismatch(dev, d)
    return CPU if dev is None else dev
