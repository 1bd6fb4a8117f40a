"""The dispatcher: from a primitive and its tensors' device to that device's backend chain.

    op (ops/table.py) --shortcut?--> op body --dispatch(primitive, ...)--> [autograd layer]
        --> the device's chain, e.g. cpu: wasm, then reference (the one explicit fallback)

* A backend is a dict {primitive name: function}; a function may return NotImplemented to
  decline a case, and the next backend of the chain runs it. `register_backend` adds one to a
  device; `set_backend` picks the device's first backend (tests: "reference").
* A backend may also bring shortcuts: {op name: fn} where fn takes the op's own arguments (before
  broadcasting and type promotion) and returns the result, or None to decline. `shortcut(name,
  fn)` wraps op `name` once so that the active shortcut runs first; a declined shortcut is not
  asked again in the same call (the op body never asks). A shortcut declines every case whose
  answer could differ from the op body's. It never sees another device's tensors: once a
  second device has tensors, each shortcut is wrapped in a guard for its own device.
* Autograd is the one optional layer above the backends (`set_autograd_layer`): while none is
  installed, or grad mode is off, a dispatch costs one check for it; shortcuts are skipped
  for inputs that require grad while grad mode is on (under no_grad they run as before).
"""
from ._device import CPU, DEVICES, IN_USE, ON_IN_USE, as_device, common_device
from ._grad_mode import _STATE as _GRAD_MODE

Tensor = None  # the Tensor class, set by _tensor.py (which imports this module) once defined

_BACKENDS = {}      # device type -> {backend name: impl}, in registration order
_FALLBACK = {}      # device type -> name of its last-resort backend (cpu: "reference")
_SHORTCUTS = {}     # device type -> {backend name: {op name: fn}}
_ACTIVE = {}        # device type -> name of the backend chosen first
CHAINS = {"cpu": []}  # device type -> [impl, ...] tried in order (lists updated in place)
_CPU_CHAIN = CHAINS["cpu"]
SLOTS = {}          # op name -> [shortcut fn or None] (set in place: the op wrappers hold it)
_autograd = [None]
ON_IN_USE.append(lambda: _rebuild())


def register_backend(device, name, impl, shortcuts=None, fallback=False):
    """Add backend `name` to device type `device`. The first one registered is active until
    `set_backend` picks another; a fallback backend ends the device's chain."""
    _BACKENDS.setdefault(device, {})[name] = impl
    _SHORTCUTS.setdefault(device, {})[name] = shortcuts or {}
    if fallback:
        _FALLBACK[device] = name
    _ACTIVE.setdefault(device, name)
    _rebuild()


def set_backend(name, device="cpu"):
    if name not in _BACKENDS.get(device, {}):
        raise ValueError(f"unknown backend {name!r} for device {device!r}; available: "
                         f"{sorted(_BACKENDS.get(device, {}))}")
    _ACTIVE[device] = name
    _rebuild()


def get_backend(device="cpu"):
    return _ACTIVE.get(device)


def _rebuild():
    """CHAINS and SLOTS from the active choices (lists updated in place: wrappers hold them)."""
    found = {}
    for dev, backends in _BACKENDS.items():
        active, fallback = _ACTIVE[dev], _FALLBACK.get(dev)
        names = [active] + ([fallback] if fallback and fallback != active else [])
        CHAINS.setdefault(dev, [])[:] = [backends[n] for n in names]
        if dev != CPU.type and not IN_USE[0]:
            continue        # no tensor of this device yet: its shortcuts wait (ON_IN_USE)
        for op, fn in _SHORTCUTS[dev][active].items():
            if op not in SLOTS:
                raise ValueError(f"backend {active!r} brings a shortcut for {op!r}, which takes "
                                 "none (ops.table.SHORTCUT_OPS lists the ops that do)")
            if IN_USE[0]:
                fn = _device_guard(fn, DEVICES[dev].device)
            found.setdefault(op, []).append(_grad_guard(fn) if _autograd[0] else fn)
    for op, slot in SLOTS.items():
        fns = found.get(op)
        slot[0] = None if not fns else fns[0] if len(fns) == 1 else _first(fns)


def _first(fns):
    """One shortcut from several (devices): the first that does not decline."""
    def first(*args, **kwargs):
        for f in fns:
            r = f(*args, **kwargs)
            if r is not None:
                return r
        return None
    return first


def _device_guard(fn, dev):
    def guarded(*args, **kwargs):
        for a in args:
            if isinstance(a, Tensor) and a._storage.device is not dev:
                return None
        for a in kwargs.values():
            if isinstance(a, Tensor) and a._storage.device is not dev:
                return None
        return fn(*args, **kwargs)
    return guarded


def _grad_guard(fn):
    def guarded(*args, **kwargs):
        if _GRAD_MODE["grad"] and (_requires_grad(args) or _requires_grad(kwargs.values())):
            return None
        return fn(*args, **kwargs)
    return guarded


def set_autograd_layer(layer):
    """layer(name, args, kwargs, run) handles a dispatch one of whose tensor inputs requires
    grad; run(*args, **kwargs) is the device's backend chain. None removes the layer."""
    _autograd[0] = layer
    _rebuild()


def dispatch(name, *args, **kwargs):
    """Run primitive `name` on the backend chain of its tensor arguments' device."""
    if IN_USE[0]:        # another device has tensors
        return _dispatch_scanned(name, args, kwargs)
    if _autograd[0] is not None and _GRAD_MODE["grad"] and _requires_grad(args):
        return _autograd[0](name, args, kwargs, lambda *a, **k: _run(name, _CPU_CHAIN, a, k))
    for impl in _CPU_CHAIN:      # _run's loop, inlined: every op of a CPU-only program is here
        fn = impl.get(name)
        if fn is not None:
            r = fn(*args, **kwargs)
            if r is not NotImplemented:
                return r
    return _run(name, (), args, kwargs)


# Primitives whose last argument, an index, may stay on the CPU whatever the device: indices
# built on the host (ops.index._index_select) are checked there by the device's backend and
# uploaded, with no device readback. The public ops keep torch's same-device rule.
HOST_INDEX = {"index_select"}


def _dispatch_scanned(name, args, kwargs):
    chain = CHAINS[_device_of(args[:-1] if name in HOST_INDEX else args).type]
    if _autograd[0] is not None and _GRAD_MODE["grad"] and _requires_grad(args):
        return _autograd[0](name, args, kwargs, lambda *a, **k: _run(name, chain, a, k))
    return _run(name, chain, args, kwargs)


def _device_of(args):
    dev = None
    for a in args:
        if isinstance(a, Tensor):
            d = a._storage.device
            if d is not dev:
                dev = d if dev is None else common_device(
                    [t for t in args if isinstance(t, Tensor)])
    return dev or CPU


def _run(name, chain, args, kwargs):
    for impl in chain:
        fn = impl.get(name)
        if fn is not None:
            r = fn(*args, **kwargs)
            if r is not NotImplemented:
                return r
    op = f" (op {args[0]!r})" if args and isinstance(args[0], str) else ""
    raise NotImplementedError(f"webtensor: no backend of device "
                              f"'{_device_of(args)}' implements primitive {name!r}{op}")


def _requires_grad(args):
    return any(isinstance(a, Tensor) and a.requires_grad for a in args)


def provides(name, device=CPU):
    """True if the device's first backend has primitive `name`; a fused op (layer_norm, sdpa)
    runs its decomposition into other primitives when this is False."""
    return name in CHAINS[as_device(device).type][0]


def report():
    """{device type: {backend name: [primitives]}}."""
    return {dev: {n: sorted(impl) for n, impl in bs.items()} for dev, bs in _BACKENDS.items()}


def shortcut(name, fn, form="call"):
    """Op `name`'s function fn, with the active backends' shortcut for `name` tried first.
    `form` is how the op is called and so which calls the shortcut sees (its signature):
      "call"      fn's own signature; the shortcut takes the same arguments
      "unary"     fn(x)
      "binary"    fn(a, b, ...): the shortcut sees (a, b) when nothing else is passed
      "operator"  fn(a, b) exactly (Tensor.__add__ & co); "reflected": called as (b, a)
      "bare"      fn(x, ...): the shortcut sees (x) when nothing else is passed (x.sum())
      "inplace"   fn(x, y, ...): the shortcut sees (x, y) when nothing else is passed
    """
    slot = SLOTS.setdefault(name, [None])
    src = _FORMS.get(form) or _call_form(fn)
    env = {"slot": slot, "fn": fn}
    exec(src, env)      # a wrapper with the op's own parameters: no *args packing per call
    op = env["op"]
    if form == "call":
        op.__defaults__, op.__kwdefaults__ = fn.__defaults__, fn.__kwdefaults__
    op.__name__ = op.__qualname__ = getattr(fn, "__name__", name)
    op.__doc__ = fn.__doc__
    op.__wrapped__ = fn
    return op


_TRY = """
    s = slot[0]
    if s is not None:
        r = s({args})
        if r is not None:
            return r
"""
_FORMS = {
    "unary": "def op(x):" + _TRY.format(args="x") + "    return fn(x)\n",
    "operator": "def op(a, b):" + _TRY.format(args="a, b") + "    return fn(a, b)\n",
    "reflected": "def op(b, a):" + _TRY.format(args="a, b") + "    return fn(a, b)\n",
    "binary": "def op(a, *args, **kwargs):\n    if len(args) == 1 and not kwargs:" +
              _TRY.format(args="a, args[0]").replace("\n    ", "\n        ") +
              "    return fn(a, *args, **kwargs)\n",
    "bare": "def op(x, *args, **kwargs):\n    if not args and not kwargs:" +
            _TRY.format(args="x").replace("\n    ", "\n        ") +
            "    return fn(x, *args, **kwargs)\n",
}
_FORMS["inplace"] = _FORMS["binary"]


def _call_form(fn):
    """Source of a wrapper with fn's parameters (defaults are set on it afterwards)."""
    code = fn.__code__
    names = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
    if code.co_flags & 12 or code.co_posonlyargcount:    # *args/**kwargs: pass them on
        return ("def op(*args, **kwargs):" + _TRY.format(args="*args, **kwargs") +
                "    return fn(*args, **kwargs)\n")
    pos, kw = names[:code.co_argcount], names[code.co_argcount:]
    params = ", ".join(pos + (("*",) + kw if kw else ()))
    args = ", ".join(pos + tuple(f"{k}={k}" for k in kw))
    return f"def op({params}):" + _TRY.format(args=args) + f"    return fn({args})\n"


__all__ = ["CHAINS", "dispatch", "register_backend", "set_backend", "get_backend",
           "provides", "report", "shortcut", "set_autograd_layer"]
