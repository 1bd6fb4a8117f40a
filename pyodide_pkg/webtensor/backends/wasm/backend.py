"""The WASM backend: webtensor's primitives on the SIMD kernels, for float32 (plus dtype
conversion, fill, where, index_select for every dtype and int64 binary ops: convert.py,
gather.py, intbinary.py).

Registers itself as "wasm" on import when the kernels load; load_error() says why not.
Each primitive either computes the whole result with kernels or returns NotImplemented
before writing anything (the reference backend then runs it): other dtypes, non-contiguous
outputs, div rounding modes, round(decimals), partially overlapping in/out views, ...
Inputs in any strided/expanded layout are handled, copying them contiguous when the kernel
needs it -- never a wrong answer for a layout.
"""
from ... import _dtype as D
from ... import _dispatch
from ..._tensor import Tensor
from . import kernel_table as KT
from . import loader
from . import linear as _linear
from .views import Copier, coalesce, fits_i32, overlaps, region

try:
    K = loader.load()
    _error = ""
except loader.LoadError as e:
    K = None
    _error = str(e)


def load_error():
    """Why the kernels did not load ("" when they did)."""
    return _error


def kernels():
    """The loaded Kernels (None if they did not load)."""
    return K


F32 = D.float32
_copier = Copier(K) if K is not None else None
_REDUCE = frozenset(KT.REDUCE_OPS + KT.ARGREDUCE_OPS + ("var",))


def _f32(*ts):
    return all(t.dtype is F32 for t in ts)


def _fresh(x):
    """A new contiguous tensor with x's values (expanded dims materialised)."""
    c = type(x)._empty(x.shape, x.dtype)
    return c if _copier.gather(c, x) else None


def _operand(t, ro, need_contiguous):
    """(t', region) for an input read while `ro` is written: t itself when it is contiguous
    (if needed) and either disjoint from the output or exactly the output (in place); else a
    fresh contiguous copy, so a partially overlapping input is read before being overwritten.
    None if impossible."""
    r = region(t)
    if r is None:
        return None
    contiguous = t.is_contiguous()
    if (need_contiguous and not contiguous) or \
            (overlaps(r, ro) and not (contiguous and r.offset == ro.offset)):
        t = _fresh(t)
        if t is None:
            return None
        r = region(t)
    return t, r


# ---- copy -------------------------------------------------------------------------------
def copy(out, x):
    if out.numel() == 0:
        return None
    if not out.is_contiguous():        # a write into a view (converted first if need be)
        if out.dtype is not x.dtype:
            tmp = Tensor._empty(x.shape, out.dtype)
            if not _converter.convert(tmp, x):
                return NotImplemented
            x = tmp
        return None if _copier.scatter(out, x) else NotImplemented
    if out.dtype is not x.dtype:       # dtype conversion (convert.py)
        return None if _converter.convert(out, x) else NotImplemented
    return None if _copier.gather(out, x) else NotImplemented


def fill(out, value):
    return None if _converter.fill(out, value) else NotImplemented


# ---- unary ------------------------------------------------------------------------------
_UNARY_FN = {op: K.fn("f32_" + op) for op in KT.UNARY_OPS} if K else {}


def unary(op, out, x, approximate="none", decimals=0, **extra):
    if op == "gelu" and approximate == "tanh":
        op = "gelu_tanh"
    fn = _UNARY_FN.get(op)
    if fn is None or extra or decimals or x.dtype is not F32 or out.dtype is not F32 or \
            not out.is_contiguous():
        return NotImplemented
    ro = region(out, True)
    if not ro.nbytes:
        return None
    if x._storage is not out._storage and x._strides == out._strides:  # x row-major too
        xr = region(x)
    else:
        xr = _operand(x, ro, True)
        xr = xr and xr[1]
    if xr is None:
        return NotImplemented
    fn(ro.nbytes >> 2, xr, ro)
    return None


# ---- binary -----------------------------------------------------------------------------
_BINARY_FN = {op: K.fn("f32_" + op) for op in KT.ARITH_OPS + KT.COMPARE_OPS} if K else {}
_BINARY_OUT = dict([(op, F32) for op in KT.ARITH_OPS] + [(op, D.bool_) for op in KT.COMPARE_OPS])


def _two_d(shape, *stride_lists):
    """Collapse to the kernels' [M, N] form: (M, N, [(rs, cs), ...]) or None."""
    if len(shape) <= 2:   # already [M, N]: no coalescing; size-1 dims are never stepped
        pad = (1, 1)[len(shape):]
        m, n = pad + tuple(shape)
        forms = []
        for sl in stride_lists:
            rs, cs = (0, 0)[len(sl):] + tuple(sl)
            forms.append((rs if m != 1 else 0, cs if n != 1 else 0))
        return m, n, forms
    cshape, cstrides = coalesce(shape, *stride_lists)
    if len(cshape) > 2:
        return None
    cshape = [1] * (2 - len(cshape)) + cshape
    cstrides = [[0] * (2 - len(s)) + s for s in cstrides]
    return cshape[0], cshape[1], [tuple(s) for s in cstrides]


def _flat_step(strides, out_strides):
    """An input's step along the flattened row-major output: 1 if laid out like it, 0 for one
    element broadcast (all strides 0), else None."""
    return 1 if strides == out_strides else 0 if not any(strides) else None


def binary(op, out, a, b, rounding_mode=None, **extra):
    if a.dtype is not F32:             # int64 kernels (intbinary.py)
        return _intbinary.binary(op, out, a, b, rounding_mode, **extra)
    fn = _BINARY_FN.get(op)
    if fn is None or extra or rounding_mode is not None or a.dtype is not F32 or \
            b.dtype is not F32 or out.dtype is not _BINARY_OUT[op] or not out.is_contiguous():
        return NotImplemented
    ro = region(out, True)
    if not ro.nbytes:
        return None
    if a._storage is not out._storage and b._storage is not out._storage:
        ra, rb = region(a), region(b)     # fresh output: nothing overlaps, read in place
        if ra is None or rb is None:
            return NotImplemented
    else:
        ar, br = _operand(a, ro, False), _operand(b, ro, False)
        if ar is None or br is None:
            return NotImplemented
        (a, ra), (b, rb) = ar, br
    os_ = out._strides
    acs, bcs = _flat_step(a._strides, os_), _flat_step(b._strides, os_)
    if acs is not None and bcs is not None:     # one flat row: same layout, or a scalar
        fn(1, ro.nbytes // out.dtype.itemsize, ra, 0, acs, rb, 0, bcs, ro)
        return None
    form = _two_d(out.shape, os_, a._strides, b._strides)
    if form is None:     # broadcast pattern beyond 2-D: materialise the inputs
        if not (a.is_contiguous() and 0 not in a._strides):
            a = _fresh(a)
        if not (b.is_contiguous() and 0 not in b._strides):
            b = _fresh(b)
        if a is None or b is None:
            return NotImplemented
        ra, rb = region(a), region(b)
        form = _two_d(out.shape, os_, a._strides, b._strides)
    m, n, (_, (ars, acs), (brs, bcs)) = form
    if not fits_i32(m, n, ars, acs, brs, bcs):
        return NotImplemented
    fn(m, n, ra, ars, acs, rb, brs, bcs, ro)
    return None


# ---- reductions over dims -----------------------------------------------------------------
def _middle(x, dims):
    """(x', outer, n, inner) with x' contiguous and the reduced dims one middle axis of
    [outer, n, inner]; a permuted copy when the reduced dims are not adjacent. Or None."""
    nz = [d for d in range(x.dim()) if x.shape[d] != 1]       # size-1 dims do not matter
    red = [i for i, d in enumerate(nz) if d in dims]
    n = _prod(x.shape[nz[i]] for i in red)
    rest = _prod(x.shape[d] for d in nz if d not in dims)     # outer * inner
    if not red:
        xc = _copier.contiguous(x)
        return None if xc is None else (xc, rest, 1, 1)
    if x.is_contiguous() and red == list(range(red[0], red[-1] + 1)):
        inner = _prod(x.shape[d] for d in nz[red[-1] + 1:])
        return x, (rest // inner if inner else 0), n, inner
    order = [d for d in range(x.dim()) if d not in dims] + list(dims)
    xc = _copier.contiguous(x.permute(*order))
    return None if xc is None else (xc, rest, n, 1)


def _prod(xs):
    p = 1
    for v in xs:
        p *= v
    return p


def reduce(op, out, x, dims, correction=1, **extra):
    if extra or op not in _REDUCE or not _f32(x) or not out.is_contiguous():
        return NotImplemented
    if out.dtype is not (D.int64 if op in KT.ARGREDUCE_OPS else F32):
        return NotImplemented
    if out.numel() == 0:
        return None
    plan = _middle(x, dims)
    if plan is None:
        return NotImplemented
    xc, outer, n, inner = plan
    if outer * inner != out.numel() or not fits_i32(outer, n, inner):
        return NotImplemented
    args = (outer, n, inner) + ((float(correction),) if op == "var" else ())
    K.fn("f32_" + op)(*args, region(xc), region(out, True))
    return None


# ---- along one dim: softmax, log_softmax, cumsum ----------------------------------------------
def _along(op, out, x, dim):
    if not _f32(out, x) or not out.is_contiguous():
        return NotImplemented
    numel = out.numel()
    if numel == 0:
        return None
    xr = _operand(x, region(out, True), True)
    if xr is None:
        return NotImplemented
    x = xr[0]
    if x.dim() == 0:
        outer, n, inner = 1, 1, 1
    else:
        n = x.shape[dim]
        inner = _prod(x.shape[dim + 1:])
        outer = numel // (n * inner)
    K.fn("f32_" + op)(outer, n, inner, region(x), region(out, True))
    return None


def softmax(out, x, dim):
    return _along("softmax", out, x, dim)


def log_softmax(out, x, dim):
    return _along("log_softmax", out, x, dim)


def cumsum(out, x, dim):
    return _along("cumsum", out, x, dim)


# ---- matmul -----------------------------------------------------------------------------
GEMM = K and K.fn(f"f32_gemm_{KT.GEMM_MR}x{KT.GEMM_NR}")
GEMV = K and K.fn(f"f32_gemv_1x{KT.GEMV_NR}")      # M == 1: one row times a matrix


def _batch_stride(t):
    """The single element stride of t's (flattened) batch dims, or None."""
    bshape, (bstr,) = coalesce(t.shape[:-2], t._strides[:-2])
    if not bshape:
        return 0
    if len(bshape) == 1:
        return bstr[0]
    if all(s == 0 for s in bstr):
        return 0
    return None


def matmul(out, a, b):
    if not _f32(out, a, b) or not out.is_contiguous():
        return NotImplemented
    if out.numel() == 0:
        return None
    m, k = a.shape[-2:]
    n = b.shape[-1]
    batch = out.numel() // (m * n)
    b_bs = _batch_stride(b)
    # B = W^T with W [n, k] row-major (`x @ W.T`): the linear kernel reads W in place; its
    # dot-product form for m < 4 wants unit-stride rows of A (a few rows: cheap to copy)
    bt = n > 1 and k > 1 and b._strides[-2] == 1 and b_bs is not None
    a_bs = _batch_stride(a)
    if a_bs is None or (bt and m < 4 and a._strides[-1] != 1):
        a = _copier.contiguous(a)
        a_bs = m * k
    if not bt and ((n > 1 and b._strides[-1] != 1) or b_bs is None):
        b = _copier.contiguous(b)     # B needs unit column stride (contiguous rows)
        b_bs = _batch_stride(b)
    if a is None or b is None or b_bs is None:
        return NotImplemented
    a_rs, a_cs = a._strides[-2:]
    ldb = b._strides[-1] if bt else b._strides[-2] if k > 1 else n
    if batch == 1:
        a_bs = b_bs = 0
    ra, rb = region(a), region(b)
    if ra is None or rb is None or not fits_i32(batch, m, n, k, a_bs, a_rs, a_cs, b_bs, ldb):
        return NotImplemented
    if bt:
        _matmul_bt(out, batch, m, n, k, ra, a_bs, a_rs, a_cs, rb, b_bs, ldb)
    elif m == 1:
        GEMV(batch, n, k, ra, a_bs, a_cs, rb, b_bs, ldb, region(out, True), n)
    else:
        GEMM(batch, m, n, k, ra, a_bs, a_rs, a_cs, rb, b_bs, ldb, region(out, True), m * n, n)
    return None


linear, _matmul_bt = _linear.bind(K, _copier) or (None, None)

IMPL = {"copy": copy, "unary": unary, "binary": binary, "reduce": reduce,
        "softmax": softmax, "log_softmax": log_softmax, "cumsum": cumsum, "matmul": matmul}
IMPL["linear"] = linear

# dtype conversion, fill, gather paths (convert.py, gather.py)
from . import convert as _convert_mod, gather as _gather_mod, intbinary as _intbinary  # noqa: E402,E501
_converter = _convert_mod.make(K) if K is not None else None
_gatherer = _gather_mod.Gather(K) if K is not None else None
IMPL.update({"fill": fill, "where": _gatherer and _gatherer.where,
             "index_select": _gatherer and _gatherer.index_select})

# the other kernel families, each in its own module
from . import quant as _quant  # noqa: E402
IMPL.update(_quant.IMPL)
if K is not None:
    from . import attention as _attention, conv as _conv, norm as _norm  # noqa: E402
    from .fast import shortcuts as _shortcuts  # noqa: E402
    IMPL.update(_conv.impl(K, _copier))
    IMPL.update({"layer_norm": _norm.layer_norm, "rms_norm": _norm.rms_norm,
                 "sdpa": _attention.sdpa})
    _dispatch.register_backend("cpu", "wasm", IMPL, _shortcuts(K))
