"""The op layer: functions from the op table, bound onto Tensor as methods and operators.

The op functions of table.SHORTCUT_OPS are wrapped by webtensor._dispatch.shortcut, so a
backend's shortcut for one runs first wherever it is called from; the operators and in-place
methods bound here wrap the same op bodies in their own call forms."""
from .. import _dtype as D
from .._dispatch import shortcut
from .._tensor import Tensor
from . import elementwise as E, index as I
from .table import ALIASES, OPS

FUNCTIONS = {name: op.fn for name, op in OPS.items()}
FUNCTIONS.update({alias: OPS[target].fn for alias, target in ALIASES.items()})


_NO_PRECHECK = {"eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor"}


def _inplace_body(fn, name):
    """x.op_(y): the op's result, cast-checked and copied into x (shortcut "op_" runs first)."""
    op = OPS.get(name)
    precheck = (op is None or op.category == "binary") and name not in _NO_PRECHECK

    def method(self, *args, **kwargs):
        if precheck and args and isinstance(args[0], (Tensor, bool, int, float)):
            # torch checks the cast before running the kernel (int.bitwise_and_(float) is a
            # cast error, not the kernel's dtype error)
            E.can_cast_inplace(D.result_type_of([self, args[0]]), self.dtype)
        r = fn(self, *args, **kwargs)
        E.can_cast_inplace(r.dtype, self.dtype)
        if r.shape != self.shape:
            raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the "
                               f"broadcast shape {list(r.shape)}")
        if r.grad_fn is not None:           # recorded: x.add_(y) gets AddBackward0 (torch)
            from ..autograd.tape import inplace_result
            return inplace_result(self, r)
        return self.copy_(r)
    method.__name__ = name + "_"
    return method


def _inplace(fn, name, form="inplace"):
    return shortcut(name + "_", _inplace_body(fn, name), form)


def _pos(self):
    if self.dtype is D.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return self


def _invert(self):
    if self.dtype is D.bool_:
        return OPS["logical_not"].fn(self)
    if self.dtype.category == 2:  # torch's Python-level check: a TypeError, not the kernel's
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        f"tensors (\"bitwise_not_cpu\" not implemented for "
                        f"'{D.TNAME[self.dtype.name]}')")
    return OPS["bitwise_not"].fn(self)


def _body(fn):
    return getattr(fn, "__wrapped__", fn)


def _bind():
    for name, op in OPS.items():
        if op.method:
            setattr(Tensor, name, op.fn)
        if op.inplace:
            setattr(Tensor, name + "_", _inplace(op.fn, name))
    for alias, target in ALIASES.items():
        if OPS[target].method:
            setattr(Tensor, alias, OPS[target].fn)

    # operator -> op name; __op__, __rop__ and __iop__ call the op body through its shortcuts
    ops = {"add": "add", "sub": "sub", "mul": "mul", "truediv": "div",
           "floordiv": "floor_divide", "mod": "remainder", "pow": "pow", "and": "bitwise_and",
           "or": "bitwise_or", "xor": "bitwise_xor"}
    for dunder, name in ops.items():
        body = _body(OPS[name].fn)
        setattr(Tensor, f"__{dunder}__", shortcut(name, body, "operator"))
        setattr(Tensor, f"__r{dunder}__", shortcut(name, body, "reflected"))
        setattr(Tensor, f"__i{dunder}__", _inplace(OPS[name].fn, name, "operator"))
    Tensor.__rtruediv__ = _rtruediv(Tensor.__rtruediv__)
    for name in ("eq", "ne", "lt", "le", "gt", "ge"):
        setattr(Tensor, f"__{name}__", shortcut(name, _body(OPS[name].fn), "operator"))
    matmul = _body(OPS["matmul"].fn)
    Tensor.__matmul__ = shortcut("matmul", matmul, "operator")
    Tensor.__rmatmul__ = shortcut("matmul", matmul, "reflected")
    Tensor.__neg__ = Tensor.neg
    Tensor.__pos__ = _pos
    Tensor.where = lambda self, condition, other: E.where(condition, self, other)
    Tensor.__abs__ = OPS["abs"].fn
    Tensor.__invert__ = _invert
    Tensor.__hash__ = object.__hash__
    Tensor.masked_fill_ = _inplace(OPS["masked_fill"].fn, "masked_fill")
    Tensor.index_select = OPS["index_select"].fn
    Tensor.index_copy_ = I.index_copy_
    Tensor.clip = OPS["clamp"].fn
    Tensor.clip_ = Tensor.clamp_


def _rtruediv(reflected):
    """number / x is torch's x.reciprocal() * number (two roundings, the number at float32
    for float16/bfloat16 x)."""
    def rtruediv(self, other):
        if type(other) in (int, float):
            return OPS["mul"].fn(OPS["reciprocal"].fn(self), other)
        return reflected(self, other)
    return rtruediv


_bind()
