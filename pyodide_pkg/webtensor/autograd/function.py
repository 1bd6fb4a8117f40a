"""torch.autograd.Function: user functions with their own backward."""
from .. import _grad_mode
from .._tensor import Tensor
from .graph import Node, edge


class FunctionCtx:
    def __init__(self):
        self.to_save = ()
        self.needs_input_grad = ()
        self.non_differentiable = set()
        self.materialize_grads = True
        self._node = None

    def save_for_backward(self, *tensors):
        self.to_save = tensors

    @property
    def saved_tensors(self):
        if self._node is None:
            return self.to_save
        return self._node.saved()

    def mark_non_differentiable(self, *args):
        self.non_differentiable.update(id(t) for t in args)

    def mark_dirty(self, *args):
        self.dirty = args

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)


class _FunctionMeta(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._backward_cls = type(name + "Backward", (), {})


class Function(metaclass=_FunctionMeta):
    """Subclass with static forward(ctx, *args) and backward(ctx, *grads); call .apply()."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def backward(ctx, *grads):
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward mode "
                                  "AD.")

    vjp = backward

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = FunctionCtx()
        tensors = [a if isinstance(a, Tensor) else None for a in args]
        record = _grad_mode.is_grad_enabled() and any(t is not None and t.requires_grad
                                                      for t in tensors)
        ctx.needs_input_grad = tuple(t is not None and t.requires_grad for t in tensors)
        with _grad_mode.no_grad():
            if cls.setup_context is not Function.setup_context:
                out = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, out)
            else:
                out = cls.forward(ctx, *args, **kwargs)
        if not record:
            return out
        outs = out if isinstance(out, tuple) else (out,)
        edges = [edge(t) if t is not None and t.requires_grad else None for t in tensors]
        meta = [(t.shape, t.dtype) if e is not None else None for t, e in zip(tensors, edges)]
        shapes = [(o.shape, o.dtype, o.device) if isinstance(o, Tensor) else None
                  for o in outs]

        def backward(grads, saved):
            from .._creation import zeros
            gs = []
            for i, s in enumerate(shapes):
                g = grads.get(i)
                if g is None and s is not None and ctx.materialize_grads:
                    g = zeros(s[0], dtype=s[1], device=s[2])
                gs.append(g)
            r = cls.backward(ctx, *gs)
            r = r if isinstance(r, tuple) else (r,)
            if len(r) < len(tensors):
                raise RuntimeError(f"function {cls.__name__}Backward returned an incorrect "
                                   f"number of gradients (expected {len(args)}, got {len(r)})")
            return tuple(g if e is not None else None for g, e in zip(r, edges))
        saved = tuple(t for t in ctx.to_save if isinstance(t, Tensor))
        node = Node(cls.__name__ + "Backward", edges, backward, saved, meta)
        ctx._node = node
        results = []
        for i, o in enumerate(outs):
            if isinstance(o, Tensor) and o.dtype.category == 2 and \
                    id(o) not in ctx.non_differentiable:
                if any(o is t for t in tensors):
                    o = o.detach()       # an input returned as is: a new tensor
                d = o.__dict__
                d["grad_fn"], d["_output_nr"], d["_requires_grad"] = node, i, True
            results.append(o)
        return tuple(results) if isinstance(out, tuple) else results[0]


def once_differentiable(fn):
    return fn
