"""Grad-mode switches (torch.no_grad & co): _STATE["grad"] is the flag autograd's layer and the
dispatcher read (off: nothing is recorded); they work as context managers and as decorators,
like torch's."""
import functools
import inspect

_STATE = {"grad": True, "inference": False}


class _Mode:
    """Base: a context manager that is also a decorator (a fresh instance per call)."""

    def _enter(self):
        raise NotImplementedError

    def _exit(self):
        raise NotImplementedError

    def __enter__(self):
        self._enter()
        return None

    def __exit__(self, *exc):
        self._exit()
        return False

    def clone(self):
        return self.__class__()

    def __call__(self, fn):
        if inspect.isclass(fn):
            raise RuntimeError(f"{type(self).__name__} can only decorate functions, not "
                               "classes")
        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def gen(*args, **kwargs):
                with self.clone():
                    yield from fn(*args, **kwargs)
            return gen

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.clone():
                return fn(*args, **kwargs)
        return wrapper


class _SetGrad(_Mode):
    _value = True

    def _enter(self):
        self._prev = _STATE["grad"]
        _STATE["grad"] = self._value

    def _exit(self):
        _STATE["grad"] = self._prev


class no_grad(_SetGrad):
    """Disables gradient tracking: nothing is recorded inside."""
    _value = False


class enable_grad(_SetGrad):
    _value = True


class set_grad_enabled(_SetGrad):
    """set_grad_enabled(mode): takes effect at once (a function call), and as a context manager
    restores the previous mode on exit."""

    def __init__(self, mode):
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled(): argument 'mode' (position 1) must be bool, "
                            f"not {type(mode).__name__}")
        self._prev = _STATE["grad"]
        self._value = mode
        _STATE["grad"] = mode

    def _enter(self):
        pass

    def __call__(self, fn):
        _STATE["grad"] = self._prev       # used as a decorator: no effect until called (torch)
        return super().__call__(fn)

    def clone(self):
        return set_grad_enabled(self._value)


class inference_mode(_Mode):
    def __new__(cls, mode=True):
        if mode is None or isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)           # @torch.inference_mode without parentheses

    def __init__(self, mode=True):
        self.mode = bool(mode) if isinstance(mode, bool) or mode is None else True

    def __call__(self, fn=None):
        if fn is None:                 # @torch.inference_mode() written with parentheses
            return self
        if isinstance(fn, bool):
            return inference_mode(fn)
        return super().__call__(fn)

    def _enter(self):
        self._prev = (_STATE["grad"], _STATE["inference"])
        _STATE["inference"] = self.mode
        if self.mode:
            _STATE["grad"] = False

    def _exit(self):
        _STATE["grad"], _STATE["inference"] = self._prev

    def clone(self):
        return inference_mode(self.mode)


def is_grad_enabled():
    return _STATE["grad"]


def is_inference_mode_enabled():
    return _STATE["inference"]
