"""Recording: the dispatcher's autograd layer, views, in-place writes, tensor-level API.

Where the tape records: at the primitive level. Every op of the op table reaches the backends
through ~29 primitives (`_dispatch.report()`), so one formula per primitive
(ops/derivatives.py) differentiates every op, its broadcasting (the op layer passes expanded
views, whose backward sums), its type promotion (the copy primitive) and its decompositions
(fused layer_norm/rms_norm/sdpa differentiate their decomposition). Views are recorded where
they are made (Tensor._view and its fast paths): a view keeps its root `_base` and its layout,
so a primitive writing into a view (cat's copies into slices, x[i] = v, v.add_(1)) rebases the
base onto a CopySlices node, as torch does. grad_fn names are torch's for the primitive that
produced a tensor (AddBackward0, MmBackward0, SumBackward0, ViewBackward0, ...).

Why primitives and not ops: ~25 formulas cover ~170 ops, and every op's decomposition (losses,
group_norm, interpolate, pad, ...) is differentiated exactly as it computes, with no second
implementation to drift. The fused primitives keep their speed forward; backward runs a
backward primitive (ops/backward_ops.py: norm_backward, sdpa_backward, act_backward,
softmax_backward, the fused cross_entropy's saved gradient: WASM kernels at first order) whose
formula differentiates the decomposition for create_graph, or an explicit formula (conv2d via
im2col views, pools via their window/argmax indices). What it costs: intermediate nodes for
decomposed ops (more nodes than torch), and names that are the primitive's (CopySlices for
cat, not CatBackward0).

Views and in-place writes (torch's rules, as covered by tests/unit/autograd/test_semantics.py):
in place on a leaf that requires grad, or on a view of one, raises torch's errors; in place on
a non-leaf gives it the op's node (x.add_(y): AddBackward0), keeping the original values where
the node saved them; a write into a view of a computed (or plain) tensor — v.mul_(2), x[i] = v,
copy_/fill_/zero_ into a slice, a view of a view — rebases the base onto CopySlices, and the
other views of that base see the new history when next used; the version counter (per
storage) catches saved tensors changed in place. Not covered: torch's lazy "inference tensors",
and a view made under no_grad of a tensor that requires grad does not require grad here (torch
keeps the flag on such a view).

The layer is installed the first time a tensor gets requires_grad=True; before that a program
pays nothing. Afterwards a dispatch with grad mode off pays one check, and shortcuts one guard.
"""
from .. import _dispatch, _grad_mode
from .._shape import contiguous_strides, prod
from .._tensor import Tensor
from . import graph
from .graph import Node, edge

_STATE = _grad_mode._STATE


def install():
    """Called whenever a tensor gets requires_grad=True: installs the layer unless a layer
    (this one, or a test's) is in place."""
    if _dispatch._autograd[0] is not None:
        return
    from .. import _tensor
    _tensor._on_view, _tensor._bump = on_view, graph.bump
    _tensor._TRACK[0] = True
    _dispatch.set_autograd_layer(layer)


# ---- the dispatcher layer --------------------------------------------------------------------

def layer(name, args, kwargs, run):
    if not _STATE["grad"]:
        return run(*args, **kwargs)
    from ..ops.derivatives import DERIVATIVES
    d = DERIVATIVES[name]
    outs = [args[i] for i in d.outputs]
    for o in outs:
        if o is not None:
            check_inplace(o)
    rec = d.record(args, kwargs) if any(
        isinstance(args[i], Tensor) and args[i].requires_grad for i in d.inputs) else None
    node = None
    if rec is not None:
        op, inputs, saved, backward = rec
        edges = [edge(t) if isinstance(t, Tensor) else None for t in inputs]
        if any(e is not None for e in edges):
            meta = [(t.shape, t.dtype) if e is not None else None
                    for t, e in zip(inputs, edges)]
            node = Node(op, edges, backward, saved, meta)
    r = run(*args, **kwargs)
    if node is not None and node._saved:
        node._outputs_saved = tuple(i for i, t in enumerate(node._saved)
                                    if any(t is o for o in outs))
    for k, o in enumerate(outs):
        if o is not None and o.dtype.category == 2:
            set_history(o, node, k if node is not None else 0, _constant_name(name, args))
            if name in _RESHAPED and node is not None:
                o.__dict__["_reshaped"] = True

    return r


# primitives whose output the op reshapes before returning it (keepdim reductions, rows):
# that view carries the primitive's grad_fn name, as torch's single node does
_RESHAPED = {"reduce", "layer_norm", "rms_norm", "sdpa"}


def _constant_name(name, args):
    """grad_fn of a computed tensor overwritten by a value that needs no gradient."""
    if name == "fill":
        return "ZeroBackward0" if args[1] == 0 else "FillBackward0"
    return "CopyBackwards"


def check_inplace(o):
    d = o.__dict__
    base = d.get("_base")
    if base is not None and base.requires_grad and base.grad_fn is None:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                           "in-place operation.")
    if base is None and d.get("_requires_grad") and d.get("grad_fn") is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")


def set_history(o, node, nr, const_name="CopyBackwards"):
    """o now holds output nr of node (None: a value that needs no gradient was written)."""
    d = o.__dict__
    base = d.get("_base")
    if base is not None:
        if node is None and not base.requires_grad:
            return
        old = edge(base)
        bg, vg = geom(base), geom(o)
        cs = Node("CopySlices", (old, None if node is None else (node, nr)),
                  _copy_slices(bg, vg), (), ((base.shape, base.dtype), (o.shape, o.dtype)))
        bd = base.__dict__
        bd["grad_fn"], bd["_output_nr"], bd["_requires_grad"] = cs, 0, True
        bd["_gen"] = bd.get("_gen", 0) + 1
        regenerate_view(o)
        return
    if node is None:
        if d.get("grad_fn") is not None:     # a constant written over a computed value
            d["grad_fn"] = Node(const_name, (), None)
            d["_output_nr"] = 0
            d["_gen"] = d.get("_gen", 0) + 1
        return
    if "grad_fn" in d:
        d["_gen"] = d.get("_gen", 0) + 1
    d["grad_fn"], d["_output_nr"], d["_requires_grad"] = node, nr, True


def inplace_result(t, r):
    """t.op_(...): r = op(t, ...) is written into t. Like torch, the node keeps t's original
    values where it saved them, and t (unless a view) takes r's node as its grad_fn."""
    node = r.grad_fn
    if node._saved:
        node._saved = tuple(s.detach().clone() if s is not None and s is not r and
                            s._storage is t._storage else s for s in node._saved)
        node._versions = tuple(graph._saved_version(s) for s in node._saved)
    t.copy_(r)
    d = t.__dict__
    if d.get("_base") is None and r.dtype is t.dtype and d.get("grad_fn") is not None:
        d["grad_fn"], d["_output_nr"] = node, r._output_nr
    return t


# ---- views ----------------------------------------------------------------------------------

def geom(t):
    return tuple(t.shape), tuple(t._strides), t._offset


def on_view(src, t, name=None):
    """t: a new view of src (called by Tensor's view makers while the layer is installed)."""
    sd = src.__dict__
    base = sd.get("_base", src)
    td = t.__dict__
    td["_base"] = base
    if sd.get("_requires_grad") and _STATE["grad"]:
        td["_gen"] = base.__dict__.get("_gen", 0)
        bg, vg = geom(base), geom(t)
        fn = sd.get("grad_fn")
        if fn is not None and sd.get("_reshaped"):   # an op's internal buffer, reshaped
            name = fn.name()
        td["grad_fn"] = Node(name or _view_name(bg, vg), (edge(base),),
                             _view_backward(bg, vg), (), ((base.shape, base.dtype),))
        td["_requires_grad"] = True
    return t


def regenerate_view(t):
    d = t.__dict__
    base = d["_base"]
    d["_gen"] = base.__dict__.get("_gen", 0)
    bg, vg = geom(base), geom(t)
    d["grad_fn"] = Node("AsStridedBackward0", (edge(base),), _view_backward(bg, vg), (),
                        ((base.shape, base.dtype),))
    d["_output_nr"] = 0
    d["_requires_grad"] = True


def _dense(g):
    shape, strides, _ = g
    return tuple(strides) == tuple(contiguous_strides(shape)) or prod(shape) <= 1


def _view_name(bg, vg):
    (bs, bst, bo), (vs, vst, vo) = bg, vg
    n_b, n_v = prod(bs), prod(vs)
    if 0 in vst and n_v > n_b:
        return "ExpandBackward0"
    if n_b == n_v and bo == vo:
        if _dense(vg) and _dense(bg):
            if len(vs) == len(bs) + 1:
                return "UnsqueezeBackward0"
            if len(vs) + 1 == len(bs):
                return "SqueezeBackward0"
            return "ViewBackward0"
        if len(vs) == len(bs) and sorted(vst) == sorted(bst):
            diff = sum(a != b for a, b in zip(vst, bst))
            return "TransposeBackward0" if diff == 2 else "PermuteBackward0"
    if len(vs) + 1 == len(bs):
        return "SelectBackward0"
    if len(vs) == len(bs):
        return "SliceBackward0"
    return "AsStridedBackward0"


def flat_index(bg, vg):
    """int64 tensor of the view's shape: each element's row-major index in the base."""
    from .._creation import arange, zeros
    from .. import _dtype as D
    (bs, bst, bo), (vs, vst, vo) = bg, vg
    with _grad_mode.no_grad():
        rel = zeros(vs, dtype=D.int64) + (vo - bo) if vs else zeros((), dtype=D.int64) + (vo - bo)
        for j, (n, s) in enumerate(zip(vs, vst)):
            if n > 1 and s:
                shape = [1] * len(vs)
                shape[j] = n
                rel = rel + (arange(n, dtype=D.int64) * s).view(shape)
        if _dense(bg):              # a row-major base: the offset is the index
            return rel
        cs = contiguous_strides(bs)
        flat = zeros(vs, dtype=D.int64)
        for k in sorted((k for k in range(len(bs)) if bs[k] > 1 and bst[k]),
                        key=lambda k: -bst[k]):
            i = rel.div(bst[k], rounding_mode="floor")
            rel = rel - i * bst[k]
            flat = flat + i * cs[k]
    return flat


def _overlapping(vg):
    shape, strides, _ = vg
    dims = sorted((abs(s), n) for n, s in zip(shape, strides) if n > 1)
    extent = 1
    for s, n in dims:
        if s < extent:
            return True
        extent = s * (n - 1) + 1 if extent == 1 else max(extent, s * (n - 1) + extent)
    return False


def view_scatter(g, bg, vg):
    """The base-shaped gradient of a view: g's elements added at the view's positions."""
    from .._creation import zeros
    bs, vs = bg[0], vg[0]
    vst = list(vg[1])
    # expanded dims (stride 0): sum them first
    exp = tuple(i for i, (n, s) in enumerate(zip(vs, vst)) if s == 0 and n > 1)
    if exp:
        g = g.sum(dim=exp, keepdim=True)
        vs = tuple(g.shape)
        vg = (vs, tuple(vst), vg[2])
    if prod(bs) == prod(vs) and bg[2] == vg[2]:
        if _dense(vg) and _dense(bg):
            return g.reshape(bs)
        if _dense(bg):
            keep = [i for i, n in enumerate(vs) if n > 1]
            bkeep = [i for i, n in enumerate(bs) if n > 1]
            if sorted(vg[1][i] for i in keep) == sorted(bg[1][i] for i in bkeep):
                order = sorted(keep, key=lambda i: -vg[1][i])
                return g.permute(order + [i for i in range(len(vs)) if i not in keep]) \
                    .reshape(bs)
    if _dense(bg) and not _overlapping(vg):
        out = zeros(bs, dtype=g.dtype, device=g.device)
        out._view(vs, vg[1], vg[2] - bg[2]).copy_(g)
        return out
    idx = flat_index(bg, vg).reshape(-1)
    flat = zeros(prod(bs), dtype=g.dtype, device=g.device)
    return flat.scatter_add(0, idx, g.reshape(-1)).view(bs)


def view_gather(g, bg, vg):
    """The view's part of a base-shaped g."""
    if _dense(bg):
        g = g.contiguous()
        return g._view(vg[0], vg[1], g._offset + vg[2] - bg[2])
    idx = flat_index(bg, vg)
    return g.reshape(-1).index_select(0, idx.reshape(-1)).view(vg[0])


def _view_backward(bg, vg):
    def backward(grads, saved):
        return (view_scatter(grads[0], bg, vg),)
    return backward


def _copy_slices(bg, vg):
    def backward(grads, saved):
        from .._creation import ones
        g = grads[0]
        with _grad_mode.no_grad():      # keep: 0 where the view was written, else 1
            if _dense(bg):
                keep = ones(bg[0], dtype=g.dtype, device=g.device)
                view_gather(keep, bg, vg).fill_(0)
            else:
                keep = view_scatter(ones(vg[0], dtype=g.dtype), bg, vg).eq(0).to(g.dtype)
        return g * keep, view_gather(g, bg, vg)
    return backward


# ---- the tensor-level API (attached to Tensor by autograd/__init__.py) -------------------

def set_requires_grad(t, value):
    value = bool(value)
    d = t.__dict__
    if d.get("grad_fn") is not None:
        if not value:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If "
                               "you want to use a computed variable in a subgraph that doesn't "
                               "require differentiation use var_no_grad = var.detach().")
        return
    if value and t.dtype.category != 2:
        raise RuntimeError("only Tensors of floating point dtype can require gradients")
    if value:
        install()
        d["_requires_grad"] = True
        d.pop("_base", None)         # a leaf is the root of its own views
    elif d.get("_requires_grad"):
        d["_requires_grad"] = False


def requires_grad_(self, requires_grad=True):
    set_requires_grad(self, requires_grad)
    return self


def is_leaf(self):
    return self.__dict__.get("grad_fn") is None


def detach_(self):
    d = self.__dict__
    if d.get("_base") is not None and d.get("_requires_grad"):
        raise RuntimeError(
            "Can't detach views in-place. Use detach() instead. If you are using "
            "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as "
            "True, gradients are views of DDP buckets, and hence detach_() cannot be called on "
            "these gradients. To fix this error, please refer to the Optimizer.zero_grad() "
            "function in torch/optim/optimizer.py as the solution.")
    d.pop("grad_fn", None)
    d.pop("_output_nr", None)
    d.pop("_requires_grad", None)
    return self


def _tensor_hook(nr, fn):
    def hook(buf):
        g = buf.get(nr)
        if g is None:
            return buf
        r = fn(g)
        if r is None:
            return buf
        buf = dict(buf)
        buf[nr] = r
        return buf
    return hook


def register_hook(self, hook):
    if not self.requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    e = edge(self)
    node, nr = e
    if self.__dict__.get("grad_fn") is None:     # a leaf: its hooks live as long as it does
        self.__dict__["_hooked_accumulator"] = node
    h = _tensor_hook(nr, hook)
    node._pre_hooks = (node._pre_hooks or []) + [h]
    return graph._Handle(node, "_pre_hooks", h)


def retain_grad(self):
    if not self.requires_grad:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    d = self.__dict__
    if d.get("grad_fn") is None or d.get("_retains_grad"):
        return
    import weakref
    ref = weakref.ref(self)

    def keep(g):
        t = ref()
        if t is not None:
            if not _STATE["grad"]:
                g = g.detach()
            t.grad = g.clone() if t.grad is None else t.grad + g
    node, nr = edge(self)
    node.__dict__.setdefault("retain", []).append(_tensor_hook(nr, keep))
    d["_retains_grad"] = True


def retains_grad(self):
    return bool(self.__dict__.get("_retains_grad"))


def output_nr(self):
    return self._output_nr


def version(self):
    return graph.version(self)
