"""torch.autograd's names. webtensor has no autograd yet: gradient computation raises
NotImplementedError naming it; the grad-mode switches work (they only keep the flag)."""
from ._grad_mode import (enable_grad, inference_mode, is_grad_enabled,  # noqa: F401
                         is_inference_mode_enabled, no_grad, set_grad_enabled)


def _missing(what):
    return NotImplementedError(f"webtensor: autograd ({what}) is not implemented yet")


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, **kwargs):
    raise _missing("torch.autograd.grad")


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, **kwargs):
    raise _missing("torch.autograd.backward")


class Function:
    """Subclassing works; applying raises (no graph to record into)."""

    @classmethod
    def apply(cls, *args, **kwargs):
        raise _missing("torch.autograd.Function")


class Variable:
    def __new__(cls, *args, **kwargs):
        raise _missing("torch.autograd.Variable")
