"""torch.autograd: backward, grad, Function, gradcheck, and the grad-mode switches.

Recording lives in tape.py (the dispatcher's autograd layer, at the primitive level: see its
docstring for why), the graph and engine in graph.py, the formulas in ops/derivatives.py.
"""
from .._grad_mode import (enable_grad, inference_mode, is_grad_enabled,  # noqa: F401
                          is_inference_mode_enabled, no_grad, set_grad_enabled)
from .._tensor import Tensor
from . import tape
from .function import Function, FunctionCtx, once_differentiable  # noqa: F401
from .gradcheck import gradcheck, gradgradcheck  # noqa: F401
from .graph import Node, edge, run_backward


def _roots(outputs, grads, name):
    outs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    if grads is None:
        gs = (None,) * len(outs)
    else:
        gs = (grads,) if isinstance(grads, Tensor) or grads is None else tuple(grads)
    if len(gs) != len(outs):
        raise RuntimeError(f"{name}: got {len(gs)} tensors and {len(outs)} gradients")
    edges, values = [], []
    for i, (t, g) in enumerate(zip(outs, gs)):
        if not t.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not "
                               "have a grad_fn")
        if g is None:
            if t.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if t.dtype.category != 2:
                raise RuntimeError("grad can be implicitly created only for real scalar "
                                   f"outputs but got {t.dtype}")
            from .._creation import ones
            g = ones(t.shape, dtype=t.dtype, device=t.device)
        elif not isinstance(g, Tensor):
            from .._creation import tensor
            g = tensor(g, dtype=t.dtype)
        elif tuple(g.shape) != tuple(t.shape):
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of "
                               f"torch.Size({list(g.shape)}) and output[{i}] has a shape of "
                               f"torch.Size({list(t.shape)}).")
        edges.append(edge(t))
        values.append(g)
    return edges, values


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None):
    if grad_tensors is None:
        grad_tensors = grad_variables
    retain = create_graph if retain_graph is None else retain_graph
    edges, values = _roots(tensors, grad_tensors, "backward")
    if inputs is None:
        run_backward(edges, values, retain, create_graph)
        return
    ins = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    gs = run_backward(edges, values, retain, create_graph, [_input_edge(t) for t in ins])
    from .graph import _accumulate
    for t, g in zip(ins, gs):
        if g is not None:
            if t.grad_fn is None:
                _accumulate(t, g, create_graph)
            else:
                t.grad = (g if create_graph else g.detach()) if t.grad is None else t.grad + g


def _input_edge(t):
    if not isinstance(t, Tensor):
        raise TypeError(f"grad(): inputs must be Tensors, not {type(t).__name__}")
    if not t.requires_grad:
        raise RuntimeError("One of the differentiated Tensors does not require grad")
    return edge(t)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    if is_grads_batched:
        raise NotImplementedError("webtensor: autograd.grad(is_grads_batched=True) needs vmap")
    if allow_unused is None:
        allow_unused = materialize_grads
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when "
                         "materialize_grads=True, but got: allow_unused=False.")
    single = isinstance(inputs, Tensor)
    ins = (inputs,) if single else tuple(inputs)
    retain = create_graph if retain_graph is None else retain_graph
    edges, values = _roots(outputs, grad_outputs, "grad")
    gs = run_backward(edges, values, retain, create_graph, [_input_edge(t) for t in ins])
    out = []
    for i, (t, g) in enumerate(zip(ins, gs)):
        if g is None:
            if not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not "
                                   "have been used in the graph. Set allow_unused=True if this "
                                   "is the desired behavior.")
            if materialize_grads:
                from .._creation import zeros
                g = zeros(t.shape, dtype=t.dtype, device=t.device)
        elif not create_graph:
            g = g.detach()
        out.append(g)
    return tuple(out)


def _tensor_backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    backward(self, gradient, retain_graph, create_graph, inputs=inputs)


class Variable:
    """torch.autograd.Variable: a Tensor (deprecated in torch; kept for old scripts)."""
    def __new__(cls, data, requires_grad=False, volatile=False):
        return data.detach().requires_grad_(requires_grad) if requires_grad else data


class _Graph:
    Node = Node

    @staticmethod
    @__import__("contextlib").contextmanager
    def save_on_cpu(pin_memory=False, device_type="cuda"):
        """torch offloads saved activations to host memory here; webtensor keeps them where
        they are (the same gradients, only the memory placement differs)."""
        yield


graph = _Graph


def _attach():
    T = Tensor
    T.backward = _tensor_backward
    T.requires_grad_ = tape.requires_grad_
    T.detach_ = tape.detach_
    T.is_leaf = property(tape.is_leaf)
    T.register_hook = tape.register_hook
    T.retain_grad = tape.retain_grad
    T.retains_grad = property(tape.retains_grad)
    T.output_nr = property(tape.output_nr)
    T._version = property(tape.version)


_attach()
