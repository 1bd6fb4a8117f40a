"""Tensor views as kernel arguments: regions, dim coalescing, contiguous copies.

Every helper here takes webtensor Tensors (shape, _strides, _offset in elements, _storage)
and never reads tensor data in Python.
"""
import array

from ..._storage import Storage
from ..._tensor import dense_numel
from .kernel_table import COPY, COPY_MAX_DIM, COPY_STRIDED
from .loader import Region

INT32_MAX = 2 ** 31 - 1
_new_tuple = tuple.__new__  # builds a Region without namedtuple's Python-level __new__


def span(shape, strides):
    """Elements from the first to one past the last element of a view (non-negative strides)."""
    last = 0
    for n, st in zip(shape, strides):
        if n == 0:
            return 0
        last += (n - 1) * st
    return last + 1


def region(t, writable=False):
    """The Region a kernel may touch for view t (None if t has a negative stride).
    Plain loops: this runs several times per op, and Pyodide's interpreter is slow."""
    isz = t.dtype.itemsize
    n = dense_numel(t)
    if n:                               # row-major: the common case
        return _new_tuple(Region, (t._storage, t._offset * isz, n * isz, writable))
    if not any(t._strides) and 0 not in t.shape:    # one element, e.g. a broadcast scalar
        return _new_tuple(Region, (t._storage, t._offset * isz, isz, writable))
    last = 0
    for n, st in zip(t.shape, t._strides):
        if n == 0:
            return Region(t._storage, 0, 0, writable)
        if st < 0:
            return None
        last += (n - 1) * st
    return _new_tuple(Region, (t._storage, t._offset * isz, (last + 1) * isz, writable))


def region_signed(t):
    """The Region of view t from its lowest- to its highest-addressed element, any stride signs
    (flip's negative strides): only for the copy kernels, which start from the lowest element.
    """
    r = region(t)
    if r is not None:
        return r
    isz = t.dtype.itemsize
    low = high = t._offset
    for n, st in zip(t.shape, t._strides):
        if n == 0:
            return Region(t._storage, 0, 0, False)
        if st < 0:
            low += (n - 1) * st
        else:
            high += (n - 1) * st
    return _new_tuple(Region, (t._storage, low * isz, (high - low + 1) * isz, False))


def fits_i32(*values):
    for v in values:
        if not -INT32_MAX <= v <= INT32_MAX:
            return False
    return True


def coalesce(shape, *stride_lists):
    """Drop size-1 dims and merge neighbours that are contiguous in *every* stride list.

    Returns (shape, [strides, ...]) describing the same element order."""
    dims = [d for d, n in enumerate(shape) if n != 1]
    out_shape, out_strides = [], [[] for _ in stride_lists]
    for d in dims:
        if out_shape and all(st[-1] == sl[d] * shape[d]
                             for st, sl in zip(out_strides, stride_lists)):
            out_shape[-1] *= shape[d]
            for st, sl in zip(out_strides, stride_lists):
                st[-1] = sl[d]
            continue
        out_shape.append(shape[d])
        for st, sl in zip(out_strides, stride_lists):
            st.append(sl[d])
    return out_shape, out_strides


def int32_storage(values):
    b = bytearray(array.array("i", values).tobytes() or b"\0\0\0\0")
    return Storage(len(b), buf=b)


def overlaps(r1, r2):
    return r1.storage is r2.storage and r1.nbytes and r2.nbytes and \
        r1.offset < r2.offset + r2.nbytes and r2.offset < r1.offset + r1.nbytes


class Copier:
    """Strided gather into contiguous outputs with the x{8,16,32,64}_copy kernels."""

    def __init__(self, ks):
        self.fns = {b: ks.fn(name) for b, name in COPY.items()}
        self.strided = {b: ks.fn(name) for b, name in COPY_STRIDED.items()}
        self._dims = {}  # (shape, strides, ...) -> their int32 Regions: read-only, so reused

    def _dim_regions(self, *lists):
        key = tuple(map(tuple, lists))
        r = self._dims.get(key)
        if r is None:
            if len(self._dims) >= 256:
                self._dims.clear()
            r = self._dims[key] = tuple(Region(int32_storage(v), 0, 4 * len(v), False)
                                        for v in lists)
        return r

    def scatter(self, out, x):
        """out (a view with any non-negative strides) = x (same shape and element size): writes
        into views (cat, slice assignment). False if the kernels cannot do it."""
        isz = x.dtype.itemsize
        fn = self.strided.get(isz)
        dst = region(out, True)
        if fn is None or dst is None or out.dtype.itemsize != isz:
            return False
        src = region_signed(x)
        if overlaps(src, dst):
            tmp = type(x)._empty(x.shape, x.dtype)      # read all of x before writing out
            if not self.gather(tmp, x):
                return False
            x, src = tmp, region(tmp)
        shape, (xs, ys) = coalesce(out.shape, x._strides, out._strides)
        if len(shape) > COPY_MAX_DIM or not fits_i32(*shape, *xs, *ys):
            return False
        if not shape:
            shape, xs, ys = [1], [1], [1]
        fn(len(shape), *self._dim_regions(shape, xs, ys), src, dst)
        return True

    def gather(self, out, x):
        """out (contiguous, same shape/dtype size) = x. False if the kernels cannot do it."""
        fn = self.fns.get(x.dtype.itemsize)
        src = region_signed(x)
        if fn is None or out.dtype.itemsize != x.dtype.itemsize:
            return False
        n = out.numel()
        if n == 0:
            return True
        dst = region(out, True)
        if overlaps(src, dst):
            return False
        shape, (strides,) = coalesce(x.shape, x._strides)
        if len(shape) > COPY_MAX_DIM or not fits_i32(*shape, *strides):
            return False
        if not shape:            # a single element
            shape, strides = [1], [1]
        fn(len(shape), *self._dim_regions(shape, strides), src, dst)
        return True

    def contiguous(self, t):
        """t itself if contiguous, else a contiguous copy (None if impossible here)."""
        if t.is_contiguous():
            return t
        out = type(t)._empty(t.shape, t.dtype)
        return out if self.gather(out, t) else None
