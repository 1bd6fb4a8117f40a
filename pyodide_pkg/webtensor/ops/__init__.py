"""The op layer: functions from the op table, bound onto Tensor as methods and operators."""
from .. import _dtype as D
from .._tensor import Tensor
from ..backends import FAST
from . import elementwise as E
from .table import ALIASES, OPS

FUNCTIONS = {name: op.fn for name, op in OPS.items()}
FUNCTIONS.update({alias: OPS[target].fn for alias, target in ALIASES.items()})


_NO_PRECHECK = {"eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor"}


_LANE_NAME = {"truediv": "div"}  # operator name -> op name, for the fast lanes


def _inplace(fn, name):
    op = OPS.get(name)
    precheck = (op is None or op.category == "binary") and name not in _NO_PRECHECK
    lanes, lane_name = FAST["inplace"], _LANE_NAME.get(name, name)

    def method(self, *args, **kwargs):
        if len(args) == 1 and not kwargs:
            lane = lanes.get(lane_name)
            if lane is not None and lane(self, args[0]) is not None:
                return self
        if precheck and args and isinstance(args[0], (Tensor, bool, int, float)):
            # torch checks the cast before running the kernel (int.bitwise_and_(float) is a
            # cast error, not the kernel's dtype error)
            E.can_cast_inplace(D.result_type_of([self, args[0]]), self.dtype)
        r = fn(self, *args, **kwargs)
        E.can_cast_inplace(r.dtype, self.dtype)
        if r.shape != self.shape:
            raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the "
                               f"broadcast shape {list(r.shape)}")
        return self.copy_(r)
    method.__name__ = name + "_"
    return method


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


def _binary_operator(fn, name, reflected=False):
    """Tensor.__add__ & co: the fast lane first, then the op."""
    lanes = FAST["binary"]
    if reflected:
        def method(self, other):
            lane = lanes.get(name)
            if lane is not None:
                out = lane(other, self)
                if out is not None:
                    return out
            return fn(other, self)
    else:
        def method(self, other):
            lane = lanes.get(name)
            if lane is not None:
                out = lane(self, other)
                if out is not None:
                    return out
            return fn(self, other)
    return method


def _unary_method(fn, name):
    lanes = FAST["unary"]

    def method(self):
        lane = lanes.get(name)
        if lane is not None:
            out = lane(self)
            if out is not None:
                return out
        return fn(self)
    method.__name__ = method.__qualname__ = name
    return method


def _reduce_method(fn, name):
    lanes = FAST["reduce_all"]

    def method(self, *args, **kwargs):
        if not args and not kwargs:
            lane = lanes.get(name)
            if lane is not None:
                out = lane(self)
                if out is not None:
                    return out
        return fn(self, *args, **kwargs)
    method.__name__ = method.__qualname__ = name
    return method


_REDUCE_LANES = ("sum", "mean", "prod", "amax", "amin")


def _bind():
    for name, op in OPS.items():
        if op.method:
            if op.category == "unary" and op.primitive == "unary" and \
                    op.fn.__code__.co_argcount == 1:
                setattr(Tensor, name, _unary_method(op.fn, name))
            elif name in _REDUCE_LANES:
                setattr(Tensor, name, _reduce_method(op.fn, name))
            else:
                setattr(Tensor, name, op.fn)
        if op.inplace:
            setattr(Tensor, name + "_", _inplace(op.fn, name))
    for alias, target in ALIASES.items():
        if OPS[target].method:
            setattr(Tensor, alias, OPS[target].fn)

    def matmul_op(self, other):
        return OPS["matmul"].fn(self, other)

    ops = {"add": E.add, "sub": E.sub, "mul": OPS["mul"].fn, "truediv": E.div,
           "floordiv": E.floor_divide, "mod": OPS["remainder"].fn, "pow": OPS["pow"].fn,
           "and": OPS["bitwise_and"].fn, "or": OPS["bitwise_or"].fn,
           "xor": OPS["bitwise_xor"].fn}
    for name, fn in ops.items():
        lane_name = _LANE_NAME.get(name, name)
        setattr(Tensor, f"__{name}__", _binary_operator(fn, lane_name))
        setattr(Tensor, f"__r{name}__", _binary_operator(fn, lane_name, reflected=True))
        setattr(Tensor, f"__i{name}__", _inplace(fn, name))
    for name in ("eq", "ne", "lt", "le", "gt", "ge"):
        setattr(Tensor, f"__{name}__", _binary_operator(OPS[name].fn, name))
    Tensor.__matmul__ = matmul_op
    Tensor.__rmatmul__ = lambda self, other: OPS["matmul"].fn(other, self)
    Tensor.__neg__ = Tensor.neg
    Tensor.__pos__ = _pos
    Tensor.where = lambda self, condition, other: E.where(condition, self, other)
    Tensor.__abs__ = OPS["abs"].fn
    Tensor.__invert__ = _invert
    Tensor.__hash__ = object.__hash__
    Tensor.masked_fill_ = _inplace(OPS["masked_fill"].fn, "masked_fill")
    Tensor.index_select = OPS["index_select"].fn
    Tensor.clip = OPS["clamp"].fn
    Tensor.clip_ = Tensor.clamp_


_bind()
