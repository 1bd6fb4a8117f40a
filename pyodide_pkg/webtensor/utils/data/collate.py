"""default_collate / default_convert: torch's rules for turning a list of samples into a batch
(tensors stacked, ints -> int64, floats -> float64, bools -> bool, strings kept as lists,
mappings/namedtuples/sequences collated field by field). numpy is handled only when the sample
is a numpy value (numpy is never imported here: Pyodide may not have it)."""
import collections.abc
import copy
import re

from ..._tensor import Tensor

_ERR = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
        "found {}")
_np_str_obj = re.compile(r"[SaUO]")


def _is_numpy(x):
    return type(x).__module__ == "numpy"


def collate_tensor_fn(batch, *, collate_fn_map=None):
    from ... import stack
    return stack(list(batch), 0)


def collate_numpy_fn(batch, *, collate_fn_map=None):
    from ... import as_tensor
    elem = batch[0]
    if elem.ndim == 0 and type(elem).__name__ != "ndarray":   # a numpy scalar
        return as_tensor(list(batch))
    if _np_str_obj.search(elem.dtype.str) is not None:
        raise TypeError(_ERR.format(elem.dtype))
    return collate([as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_float_fn(batch, *, collate_fn_map=None):
    from ... import tensor, float64
    return tensor(list(batch), dtype=float64)


def collate_int_fn(batch, *, collate_fn_map=None):
    from ... import tensor
    return tensor(list(batch))


def collate_str_fn(batch, *, collate_fn_map=None):
    return batch


default_collate_fn_map = {Tensor: collate_tensor_fn, float: collate_float_fn,
                          int: collate_int_fn, str: collate_str_fn, bytes: collate_str_fn}


def _lookup(elem, collate_fn_map):
    if collate_fn_map is None:
        return None
    if type(elem) in collate_fn_map:
        return collate_fn_map[type(elem)]
    for t, fn in collate_fn_map.items():
        if isinstance(elem, t):
            return fn
    return None


def collate(batch, *, collate_fn_map=None):
    elem = batch[0]
    fn = _lookup(elem, collate_fn_map)
    if fn is not None:
        return fn(batch, collate_fn_map=collate_fn_map)
    if _is_numpy(elem) and collate_fn_map is default_collate_fn_map:
        return collate_numpy_fn(batch, collate_fn_map=collate_fn_map)
    if isinstance(elem, collections.abc.Mapping):
        fields = {k: collate([d[k] for d in batch], collate_fn_map=collate_fn_map) for k in elem}
        return _rebuild_mapping(elem, fields)
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):   # namedtuple
        return type(elem)(*(collate(s, collate_fn_map=collate_fn_map) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if not all(len(e) == size for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        fields = [collate(s, collate_fn_map=collate_fn_map) for s in zip(*batch)]
        if isinstance(elem, tuple):
            return fields   # torch returns a list for tuples (backwards compatibility)
        return _rebuild_sequence(elem, fields)
    raise TypeError(_ERR.format(type(elem)))


def _rebuild_mapping(elem, fields):
    try:
        if isinstance(elem, collections.abc.MutableMapping):
            clone = copy.copy(elem)
            clone.update(fields)
            return clone
        return type(elem)(fields)
    except TypeError:
        return fields


def _rebuild_sequence(elem, fields):
    try:
        if isinstance(elem, collections.abc.MutableSequence):
            clone = copy.copy(elem)
            for i, f in enumerate(fields):
                clone[i] = f
            return clone
        return type(elem)(fields)
    except TypeError:   # e.g. range: no copy / __setitem__ / __init__(iterable)
        return fields


def default_collate(batch):
    """Stack a list of samples into a batch, as torch.utils.data.default_collate does."""
    return collate(batch, collate_fn_map=default_collate_fn_map)


def default_convert(data):
    """Per-sample conversion when auto-batching is off: numpy arrays become tensors,
    containers are converted element by element, everything else is returned unchanged."""
    from ... import as_tensor
    if isinstance(data, Tensor):
        return data
    if _is_numpy(data) and type(data).__name__ not in ("str_", "bytes_"):
        if type(data).__name__ == "ndarray" and _np_str_obj.search(data.dtype.str):
            return data
        return as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        return _rebuild_mapping(data, {k: default_convert(v) for k, v in data.items()})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _rebuild_sequence(data, [default_convert(d) for d in data])
    return data
