"""The opt-in CPU fallback of the webgpu device (torch's PYTORCH_ENABLE_MPS_FALLBACK): the last
backend of the webgpu chain. Off by default, a primitive without a WebGPU kernel raises
NotImplementedError naming it; with `webtensor.webgpu.set_cpu_fallback(True)` it runs on the
CPU instead (its tensor arguments copied there, every one of them copied back afterwards, since
primitives write into their arguments), with a UserWarning once per primitive."""
import warnings

from ... import _dispatch

ENABLED = [False]
_warned = set()


def _tensor(a):
    return isinstance(a, _dispatch.Tensor)


def on_cpu(name):
    def run(*args, **kwargs):
        if not ENABLED[0]:
            raise NotImplementedError(
                f"webtensor: the 'webgpu' device has no kernel for primitive {name!r}"
                f"{f' (op {args[0]!r})' if args and isinstance(args[0], str) else ''}; "
                "webtensor.webgpu.set_cpu_fallback(True) runs such primitives on the CPU")
        if name not in _warned:
            _warned.add(name)
            warnings.warn(f"webtensor: primitive {name!r} has no WebGPU kernel: it runs on "
                          "the CPU (webtensor.webgpu.set_cpu_fallback), copying its tensors "
                          "there and back", UserWarning, stacklevel=3)
        moved = [a.cpu() if _tensor(a) else a for a in args]
        kw = {k: v.cpu() if _tensor(v) else v for k, v in kwargs.items()}
        r = _dispatch.dispatch(name, *moved, **kw)
        for a, c in zip(args, moved):
            if _tensor(a) and a.numel():
                a.copy_(c)
        return r
    return run


def impl(names):
    return {name: on_cpu(name) for name in names}
