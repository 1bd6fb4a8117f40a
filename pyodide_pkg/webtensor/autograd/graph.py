"""The backward graph: nodes, leaf accumulators, version counters, and the engine.

A Node is one recorded computation: `next_functions` holds one edge (node, output_nr) per
differentiable input (None where that input needs no gradient) and `_backward(grads)` maps the
gradients of its outputs to its inputs' gradients with webtensor ops, so that running it with
grad mode on (create_graph=True) records a graph of the backward itself.
"""
import re
import sys
import weakref

from .. import _grad_mode

# storage -> version: in-place writes bump it; a node checks the versions of what it saved.
# Only storages some node saved are counted (a program without autograd counts nothing).
VERSIONS = weakref.WeakKeyDictionary()


def version(t):
    return VERSIONS.get(t._storage, 0)


def bump(t):
    """An in-place write into t (copy_/fill_ call this)."""
    st = t._storage
    v = VERSIONS.get(st)
    if v is not None:
        VERSIONS[st] = v + 1


_FREED = ("Trying to backward through the graph a second time (or directly access saved "
          "tensors after they have already been freed). Saved intermediate values of the graph "
          "are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if "
          "you need to backward through the graph a second time or if you need to access saved "
          "tensors after calling backward.")


def _type_name(t):
    return f"[torch.{t.type().split('.')[-1]} {list(t.shape)}]"


class Node:
    """A recorded operation (torch's grad_fn). `name()` is torch's class name for it."""
    __slots__ = ("_name", "next_functions", "_backward", "_saved", "_versions", "_meta",
                 "_pre_hooks", "_hooks", "_freed", "_outputs_saved", "metadata", "__weakref__",
                 "__dict__")

    def __init__(self, name, edges, backward, saved=(), meta=()):
        self._name = name
        self.next_functions = tuple(e if e is not None else (None, 0) for e in edges)
        self._backward = backward
        self._saved = saved
        self._versions = tuple(_saved_version(t) for t in saved)
        self._outputs_saved = ()     # indices of saved tensors that are this node's outputs
        self._meta = meta           # per input: (shape, dtype) its gradient must have
        self._pre_hooks = None
        self._hooks = None
        self._freed = False
        self.metadata = {}

    def name(self):
        return self._name

    def __repr__(self):
        return f"<{self._name} object at {hex(id(self))}>"

    def register_hook(self, fn):
        self._hooks = (self._hooks or []) + [fn]
        return _Handle(self, "_hooks", fn)

    def register_prehook(self, fn):
        self._pre_hooks = (self._pre_hooks or []) + [fn]
        return _Handle(self, "_pre_hooks", fn)

    def saved(self):
        """The saved tensors, checked against their versions at save time."""
        if self._freed:
            raise RuntimeError(_FREED)
        for t, v in zip(self._saved, self._versions):
            if t is not None and version(t) != v:
                # a saved output names this node (torch keeps it), a saved input its producer
                fn = self if any(t is self._saved[i] for i in self._outputs_saved) \
                    else t.grad_fn
                op = re.sub(r"Backward\d*$", "", fn.name()) if fn is not None else ""
                out = f", which is output {t._output_nr} of {op}," if fn is not None else ""
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified "
                    f"by an inplace operation: {_type_name(t)}{out} is at version "
                    f"{version(t)}; expected version {v} instead. Hint: enable anomaly "
                    "detection to find the operation that failed to compute its gradient, "
                    "with torch.autograd.set_detect_anomaly(True, check_nan=False).")
        return self._saved

    def release(self):
        if any(t is not None for t in self._saved):
            self._saved = ()
            self._freed = True

    def apply(self, grads):
        return self._backward(grads, self.saved())


def _saved_version(t):
    if t is None:
        return 0
    st = t._storage
    v = VERSIONS.get(st)
    if v is None:
        VERSIONS[st] = v = 0
    return v


class AccumulateGrad(Node):
    """The node a leaf's gradient flows into (one per leaf, kept on it)."""
    __slots__ = ()

    def __init__(self, leaf):
        super().__init__("AccumulateGrad", (), None)
        self.variable = leaf


class _Handle:
    def __init__(self, owner, attr, fn):
        self._owner, self._attr, self._fn = weakref.ref(owner), attr, fn

    def remove(self):
        owner = self._owner()
        hooks = getattr(owner, self._attr, None) if owner is not None else None
        if hooks and self._fn in hooks:
            hooks = [h for h in hooks if h is not self._fn]
            setattr(owner, self._attr, hooks or None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def grad_accumulator(t):
    """t's AccumulateGrad node. The leaf holds it weakly, as torch does (the node holds the
    leaf, and the graph holds the node): a strong reference both ways would make every leaf
    made in a step (a fused op's backward makes some) a cycle only the cyclic GC frees."""
    ref = t.__dict__.get("_accumulator")
    acc = ref() if ref is not None else None
    if acc is None:
        acc = AccumulateGrad(t)
        t.__dict__["_accumulator"] = weakref.ref(acc)
    return acc


def edge(t):
    """The edge a gradient for tensor t flows along, or None if t needs none."""
    if not t.requires_grad:
        return None
    d = t.__dict__
    base = d.get("_base")
    if base is not None and d.get("_gen") != base.__dict__.get("_gen", 0) \
            and base.requires_grad:
        from .tape import regenerate_view
        regenerate_view(t)
    fn = d.get("grad_fn")
    if fn is None:
        return (grad_accumulator(t), 0)
    return (fn, d.get("_output_nr", 0))


# ---- the engine ----------------------------------------------------------------------------

def _sum_to(g, shape):
    if tuple(g.shape) == tuple(shape):
        return g
    lead = g.dim() - len(shape)
    dims = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape)
                                      if s == 1 and g.shape[i + lead] != 1)
    if dims:
        g = g.sum(dim=dims, keepdim=True)
    return g.reshape(shape) if lead or tuple(g.shape) != tuple(shape) else g


def _check_grad(node, i, g, meta):
    shape, dtype = meta
    if tuple(g.shape) != tuple(shape):
        try:
            from .._shape import broadcast_shapes
            ok = tuple(broadcast_shapes(tuple(g.shape), tuple(shape))) == tuple(g.shape)
        except Exception:      # noqa: BLE001 - not broadcastable: the error below
            ok = False
        if not ok:
            raise RuntimeError(f"Function {node.name()} returned an invalid gradient at index "
                               f"{i} - got {list(g.shape)} but expected shape compatible with "
                               f"{list(shape)}")
        g = _sum_to(g, shape)
    if g.dtype is not dtype:
        g = g.to(dtype)
    return g


def _add(a, b):
    return b if a is None else a + b


def _order(roots):
    """Nodes reachable from roots and, per node, how many edges lead into it."""
    deps, seen, stack = {}, set(), [n for n in roots if n is not None]
    for n in stack:
        seen.add(n)
    while stack:
        n = stack.pop()
        for nxt, _ in n.next_functions:
            if nxt is None:
                continue
            deps[nxt] = deps.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen, deps


def _needed(seen, targets):
    """The nodes from which a target node can be reached (autograd.grad runs only these)."""
    memo = {}
    for start in seen:
        if start in memo:
            continue
        stack = [(start, iter(start.next_functions))]
        path = {start}
        memo_local = {start: start in targets}
        while stack:
            n, it = stack[-1]
            for nxt, _ in it:
                if nxt is None:
                    continue
                if nxt in memo:
                    memo_local[n] = memo_local[n] or memo[nxt]
                    continue
                if nxt in path:
                    continue
                memo_local[nxt] = nxt in targets
                path.add(nxt)
                stack.append((nxt, iter(nxt.next_functions)))
                break
            else:
                stack.pop()
                memo[n] = memo_local[n]
                if stack:
                    p = stack[-1][0]
                    memo_local[p] = memo_local[p] or memo[n]
    return {n for n, v in memo.items() if v}


def run_backward(roots, grads, retain_graph, create_graph, inputs=None, accumulate=True):
    """Propagate grads from root edges. inputs: edges whose gradient is returned (autograd.grad)
    instead of accumulated into leaves; returns the list of those gradients (None if unused)."""
    root_nodes = [e[0] for e in roots]
    seen, deps = _order(root_nodes)
    capture = {}
    if inputs is not None:
        for k, (n, nr) in enumerate(inputs):
            capture.setdefault(n, []).append((k, nr))
        needed = _needed(seen, set(capture))
    else:
        needed = None
    results = [None] * (len(inputs) if inputs is not None else 0)
    buffers = {}
    for (n, nr), g in zip(roots, grads):
        buf = buffers.setdefault(n, {})
        buf[nr] = _add(buf.get(nr), g)
    ready = [n for n in dict.fromkeys(root_nodes) if deps.get(n, 0) == 0]
    prev = _grad_mode._STATE["grad"]
    _grad_mode._STATE["grad"] = bool(create_graph)
    try:
        while ready:
            node = ready.pop()
            buf = buffers.pop(node, {})
            grads_in = _run_pre_hooks(node, buf)
            if node in capture:
                for k, nr in capture[node]:
                    results[k] = grads_in.get(nr)
            if isinstance(node, AccumulateGrad):
                if accumulate and inputs is None and grads_in.get(0) is not None:
                    # no hook saw (and could have kept) the gradient
                    own = not node._pre_hooks and not node.__dict__.get("retain")
                    outs = g = None                # this loop's references to the gradient
                    _accumulate(node.variable, grads_in.pop(0), create_graph, own)
                continue
            run = (needed is None or node in needed) and grads_in
            if run:
                outs = node.apply(grads_in)
                if not retain_graph:
                    node.release()
                if node._hooks:
                    for h in node._hooks:
                        h(tuple(outs), tuple(grads_in.get(i) for i in range(
                            max(grads_in) + 1)))
            for i, (nxt, nr) in enumerate(node.next_functions):
                if nxt is None:
                    continue
                if run:
                    g = outs[i]
                    if g is not None:
                        if node._meta:
                            g = _check_grad(node, i, g, node._meta[i])
                        b = buffers.setdefault(nxt, {})
                        b[nr] = _add(b.get(nr), g)
                deps[nxt] -= 1
                if deps[nxt] == 0:
                    ready.append(nxt)
    finally:
        _grad_mode._STATE["grad"] = prev
    return results


def _run_pre_hooks(node, buf):
    hooks = node._pre_hooks
    if hooks:
        for h in hooks:
            buf = h(buf)
    retain = node.__dict__.get("retain")        # retain_grad sees the hooked gradient (last)
    if retain:
        for h in retain:
            buf = h(buf)
    return buf


def _stealable(g, leaf):
    """True if nothing but the caller holds gradient g or its storage (torch's refcount rule
    for taking the gradient as .grad without a copy): references here are the caller's
    argument, this parameter and getrefcount's own."""
    return sys.getrefcount(g) <= 4 and sys.getrefcount(g._storage) <= 2 and \
        not g.requires_grad and g.dtype is leaf.dtype and g.is_contiguous() and \
        g._offset == 0 and g.shape == leaf.shape and g.__dict__.get("_base") is None


def _accumulate(leaf, g, create_graph, own=False):
    """own: the caller passes the only reference to g (run_backward's buffer popped)."""
    old = leaf.grad
    if old is None:      # a private copy unless nobody else can see g (several leaves may)
        leaf.grad = g if create_graph or (own and _stealable(g, leaf)) else g.detach().clone()
    elif create_graph or old.requires_grad:
        leaf.grad = old + g
    else:
        with _grad_mode.no_grad():
            old.add_(g)
    for h in leaf.__dict__.get("_post_acc_hooks") or ():
        h(leaf)
