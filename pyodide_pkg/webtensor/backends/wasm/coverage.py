"""Which op x dtype cells of the op table run on WASM kernels, and why the others do not.

CASES builds one call per op of ops.table.OPS at a given size (elementwise ops on [rows, 1000],
sorts on one row, matmul/conv/attention at fixed realistic shapes); `run_cell` calls it and
reports which primitives fell back to the reference backend (the pure-Python one). REASONS is
the documented list of cells that are allowed to fall back: a cell that falls back without a
reason, or has a reason but no longer falls back, fails tests/unit/kernels/test_kernel_coverage.py.
benchmarks/bench_cliffs.py times the same cells (the cliff table).
"""
from ... import _dtype as D

DTYPES = (D.float32, D.float64, D.float16, D.bfloat16, D.int64, D.int32, D.int16, D.int8,
          D.uint8, D.bool_)
FLOATS = {D.float32, D.float64, D.float16, D.bfloat16}

# ---- documented reasons: (op names, dtypes) -> why the cell runs on the reference backend --
# (none left: every accepted op x dtype cell runs on kernels; a cell that falls back needs one)
REASONS = []     # filled by reason(); read through reason_for()


def reason(ops, dtypes, why):
    REASONS.append((frozenset(ops), frozenset(dtypes), why))


def is_blanket(op, dtype):
    """True if the reason for (op, dtype) is a rule for every op ("*"), not op-specific."""
    for ops, dtypes, _ in REASONS:
        if op in ops and dtype in dtypes:
            return False
    return True


def reason_for(op, dtype):
    for ops, dtypes, why in REASONS:
        if (op in ops or "*" in ops) and dtype in dtypes:
            return why
    return None


# ---- inputs ---------------------------------------------------------------------------------
_inputs = {}


def _base(n):
    """n float32 values in about [-2, 2) with a few exact zeros, made with kernels only."""
    key = ("base", n)
    t = _inputs.get(key)
    if t is None:
        import webtensor as torch
        g = torch.Generator().manual_seed(n)
        t = torch.rand(n, generator=g) * 4 - 2
        t[::97] = 0
        _inputs[key] = t
    return t


def data(dtype, shape, salt=0):
    """A tensor of `shape` and `dtype` with varied values (ints in about [-100, 100))."""
    import webtensor as torch
    key = (dtype, tuple(shape), salt)
    t = _inputs.get(key)
    if t is None:
        n = 1
        for s in shape:
            n *= s
        b = _base(n + salt)[salt:]
        if dtype is D.bool_:
            t = b > 0
        elif dtype is D.uint8:
            t = ((b + 2) * 60).to(D.uint8)
        elif dtype in FLOATS:
            t = b.to(dtype)
        else:
            t = (b * 50).to(dtype)
        t = t.reshape(shape).contiguous()
        _inputs[key] = t
    return t


def index(high, shape, salt=1):
    """int64 indices in [0, high)."""
    key = ("idx", high, tuple(shape), salt)
    t = _inputs.get(key)
    if t is None:
        import webtensor as torch
        n = 1
        for s in shape:
            n *= s
        t = ((_base(n + salt)[salt:] + 2) * (high / 4)).to(D.int64).clamp(0, high - 1)
        t = t.reshape(shape).contiguous()
        _inputs[key] = t
    return t


# ---- cases: op name -> build(dtype, n) -> (fn, args) ----------------------------------------
def _rows(n):
    return (max(1, n // 1000), min(n, 1000))


def _x(dt, n, salt=0):
    return data(dt, _rows(n), salt)


def _unary(name):
    return lambda f, dt, n: (f, (_x(dt, n),))


def _binary(name):
    return lambda f, dt, n: (f, (_x(dt, n), _x(dt, n, 7)))


def _cases():
    from ...ops import table as T
    c = {}
    for name, op in T.OPS.items():
        if op.category == "unary":
            c[name] = _unary(name)
        elif op.category == "binary":
            c[name] = _binary(name)
        elif op.category in ("reduce", "softmax"):
            c[name] = _unary(name)
    c["square"] = _unary("square")
    c["lerp"] = lambda f, dt, n: (f, (_x(dt, n), _x(dt, n, 7), 0.25))
    c["clamp"] = lambda f, dt, n: (f, (_x(dt, n), 0, 1))
    c["clamp_min"] = lambda f, dt, n: (f, (_x(dt, n), 0))
    c["clamp_max"] = lambda f, dt, n: (f, (_x(dt, n), 1))
    c["where"] = lambda f, dt, n: (f, (_x(D.bool_, n, 3), _x(dt, n), _x(dt, n, 7)))
    for s in ("softmax", "log_softmax", "cumsum", "cumprod"):
        c[s] = lambda f, dt, n: (f, (_x(dt, n), -1))

    # fixed realistic shapes at n = 2**20, shrunk with n so that the work stays proportional
    # to n (a reference-backend cell is timed small and scaled)
    def cube(n, side):
        return max(2, round(side * (n / 2 ** 20) ** (1 / 3)))

    def sq(n, side):
        return max(2, round(side * (n / 2 ** 20) ** 0.5))

    def mm(f, dt, n):
        s = cube(n, 256)
        return f, (data(dt, (s, s)), data(dt, (s, s), 5))
    c["matmul"] = c["mm"] = mm
    c["bmm"] = lambda f, dt, n: (f, (data(dt, (8, cube(n, 128), cube(n, 128))),
                                     data(dt, (8, cube(n, 128), cube(n, 128)), 5)))
    c["dot"] = lambda f, dt, n: (f, (data(dt, (n,)), data(dt, (n,), 5)))
    c["mv"] = lambda f, dt, n: (f, (data(dt, (sq(n, 1024), sq(n, 1024))),
                                    data(dt, (sq(n, 1024),), 5)))
    c["outer"] = lambda f, dt, n: (f, (data(dt, (sq(n, 1024),)), data(dt, (sq(n, 1024),), 5)))
    c["linear"] = lambda f, dt, n: (f, (data(dt, (cube(n, 256), cube(n, 512))),
                                        data(dt, (cube(n, 512), cube(n, 512)), 5),
                                        data(dt, (cube(n, 512),), 9)))
    half = lambda dt, n: data(dt, (max(1, n // 2000), 1000))  # noqa: E731
    for s in ("cat", "concat", "concatenate", "stack", "hstack", "vstack"):
        c[s] = lambda f, dt, n: (f, ([half(dt, n), half(dt, n)],))
    c["split"] = lambda f, dt, n: (f, (_x(dt, n), 100))
    c["chunk"] = c["tensor_split"] = lambda f, dt, n: (f, (_x(dt, n), 10))
    c["flip"] = lambda f, dt, n: (f, (_x(dt, n), (0,)))
    c["fliplr"] = c["flipud"] = _unary("flipud")
    c["roll"] = lambda f, dt, n: (f, (_x(dt, n), 7, 1))
    c["repeat"] = c["tile"] = lambda f, dt, n: (f, (half(dt, n), (2, 1)))
    c["repeat_interleave"] = lambda f, dt, n: (f, (half(dt, n), 2, 0))
    c["tril"] = c["triu"] = _unary("tril")
    c["broadcast_to"] = lambda f, dt, n: (f, (data(dt, (1000,)), _rows(n)))
    c["gather"] = lambda f, dt, n: (f, (_x(dt, n), 1, index(_rows(n)[1], _rows(n))))
    c["take_along_dim"] = lambda f, dt, n: (f, (_x(dt, n), index(_rows(n)[1], _rows(n)), 1))
    c["scatter"] = c["scatter_add"] = \
        lambda f, dt, n: (f, (_x(dt, n), 1, index(_rows(n)[1], _rows(n)), _x(dt, n, 7)))
    c["scatter_reduce"] = \
        lambda f, dt, n: (f, (_x(dt, n), 1, index(_rows(n)[1], _rows(n)), _x(dt, n, 7), "sum"))
    c["index_select"] = lambda f, dt, n: (f, (_x(dt, n), 0, index(_rows(n)[0], (_rows(n)[0],))))
    c["index_copy"] = lambda f, dt, n: (f, (_x(dt, n), 0, _perm(_rows(n)[0]), _x(dt, n, 7)))
    c["masked_fill"] = lambda f, dt, n: (f, (_x(dt, n), _x(D.bool_, n, 3), 0))
    c["masked_select"] = lambda f, dt, n: (f, (_x(dt, n), _x(D.bool_, n, 3)))
    c["one_hot"] = lambda f, dt, n: (f, (index(10, (max(1, n // 10),)).to(dt), 10))
    for s in ("sort", "argsort", "msort"):
        c[s] = lambda f, dt, n: (f, (data(dt, (max(1, n // 10),)),))
    c["topk"] = lambda f, dt, n: (f, (data(dt, (max(1, n // 10),)), 10))
    c["nonzero"] = c["argwhere"] = _unary("nonzero")
    img = lambda dt, n: data(dt, (8, 32, sq(n, 64), sq(n, 64)))  # noqa: E731
    seq = lambda dt, n, ch, salt=0: data(dt, (8, ch, max(4, n // 1024)), salt)  # noqa: E731
    c["conv2d"] = lambda f, dt, n: (f, (img(dt, n), data(dt, (32, 32, 3, 3), 5), None, 1, 1))
    c["conv1d"] = lambda f, dt, n: (f, (seq(dt, n, 64), data(dt, (64, 64, 3), 5), None, 1, 1))
    c["max_pool1d"] = c["avg_pool1d"] = lambda f, dt, n: (f, (seq(dt, n, 128), 2))
    c["max_pool2d"] = c["avg_pool2d"] = lambda f, dt, n: (f, (img(dt, n), 2))
    c["adaptive_avg_pool2d"] = c["adaptive_max_pool2d"] = lambda f, dt, n: (f, (img(dt, n), 2))
    c["layer_norm"] = c["rms_norm"] = lambda f, dt, n: (f, (_x(dt, n), (_rows(n)[1],)))
    c["group_norm"] = lambda f, dt, n: (f, (img(dt, n), 8))
    qkv = lambda dt, n, salt: data(dt, (1, 8, sq(n, 256), 64), salt)  # noqa: E731
    c["scaled_dot_product_attention"] = lambda f, dt, n: (f, (qkv(dt, n, 0), qkv(dt, n, 3),
                                                              qkv(dt, n, 5)))
    c["embedding"] = lambda f, dt, n: (f, (index(2000, (max(1, n // 500),)),
                                           data(dt, (2000, 500))))
    c["pad"] = lambda f, dt, n: (f, (_x(dt, n), (1, 1, 1, 1)))
    c["interpolate"] = c["upsample"] = lambda f, dt, n: (f, (img(dt, n), None, 2))
    c["cross_entropy"] = c["nll_loss"] = lambda f, dt, n: (f, (_x(dt, n), index(1000,
                                                                               (_rows(n)[0],))))
    for s in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "kl_div"):
        c[s] = _binary(s)
    for s in ("remainder", "floor_divide"):       # a divisor without zeros
        c[s] = lambda f, dt, n: (f, (_x(dt, n), _x(dt, n, 7).abs() + 1))
    for s in ("binary_cross_entropy", "binary_cross_entropy_with_logits"):
        c[s] = lambda f, dt, n: (f, (_x(dt, n).abs().clamp(0, 1) if dt in FLOATS else _x(dt, n),
                                     _x(dt, n, 7).abs().clamp(0, 1) if dt in FLOATS
                                     else _x(dt, n, 7)))
    # the composites of the torch-surface scan (scripts/torch_surface.py)
    c["fmod"] = c["remainder"]
    c["cosine_similarity"] = c["pairwise_distance"] = _binary("cosine_similarity")
    c["diff"] = c["unique"] = c["unique_consecutive"] = _unary("diff")
    c["bincount"] = lambda f, dt, n: (f, (index(100, (n,)).to(dt),))
    c["bucketize"] = lambda f, dt, n: (f, (_x(dt, n), data(dt, (16,)).sort().values))
    c["searchsorted"] = lambda f, dt, n: (f, (data(dt, (1000,)).sort().values, _x(dt, n)))
    c["isin"] = lambda f, dt, n: (f, (_x(dt, n), data(dt, (16,), 5)))
    c["cdist"] = lambda f, dt, n: (f, (data(dt, (sq(n, 512), 32)), data(dt, (sq(n, 512), 32), 5)))
    c["index_add"] = c["index_copy"]
    c["index_fill"] = lambda f, dt, n: (f, (_x(dt, n), 0, _perm(_rows(n)[0]), 0))
    c["index_put"] = lambda f, dt, n: (f, (_x(dt, n), (_perm(_rows(n)[0]),), _x(dt, n, 7)))
    c["put"] = lambda f, dt, n: (f, (_x(dt, n), index(_rows(n)[0] * _rows(n)[1],   # x's numel
                                                      (max(1, n // 10),)),
                                     data(dt, (max(1, n // 10),), 5)))
    c["masked_scatter"] = lambda f, dt, n: (f, (_x(dt, n), _x(D.bool_, n, 3), _x(dt, n, 7)))
    c["meshgrid"] = lambda f, dt, n: (f, (data(dt, (sq(n, 1024),)), data(dt, (sq(n, 1024),), 5)))
    c["unravel_index"] = lambda f, dt, n: (f, (index(n, (n,)).to(dt), _rows(n)))
    c["pixel_shuffle"] = lambda f, dt, n: (f, (data(dt, (4, 16, sq(n, 128), sq(n, 128))), 2))
    c["pixel_unshuffle"] = lambda f, dt, n: (f, (data(dt, (4, 4, 2 * sq(n, 128),
                                                           2 * sq(n, 128))), 2))
    c["unfold"] = lambda f, dt, n: (f, (img(dt, n), 2, 1, 0, 2))
    c["fold"] = lambda f, dt, n: (f, (data(dt, (8, 4 * 32, sq(n, 64) ** 2)), (2 * sq(n, 64),
                                      2 * sq(n, 64)), 2, 1, 0, 2))
    c["grid_sample"] = lambda f, dt, n: (f, (img(dt, n), (data(dt, (8, sq(n, 64), sq(n, 64), 2))
                                                          / 4), "bilinear", "zeros", False))
    return c


def _perm(k):
    import webtensor as torch
    return torch.arange(k - 1, -1, -1)


_CASES = []


def cases():
    """{op name: build(fn, dtype, n) -> (fn, args)} for every op of the op table."""
    if not _CASES:
        _CASES.append(_cases())
    return _CASES[0]


def call(name, dtype, n):
    """(fn, args) of op `name` for `dtype` at about n elements (sorts: n // 10)."""
    from ...ops import table as T
    return cases()[name](T.OPS[name].fn, dtype, n)


# ---- the backward and optimizer-step primitives (no op of their own) -------------------------
def backward_cases(n=256):
    """{primitive: fn()} running each backward / optimizer-step primitive on float32 through its
    call in ops/backward_ops.py or ops/optim_steps.py; run_cell-style checks need them all on
    kernels (tests/unit/kernels/test_kernel_coverage.py)."""
    from ...ops import backward_ops as B, optim_steps as O
    rows, k = 4, max(2, n // 4)
    x, g = data(D.float32, (rows, k)), data(D.float32, (rows, k), 5)
    w, b = data(D.float32, (k,), 2), data(D.float32, (k,), 3)

    def state(salt):
        return data(D.float32, (rows, k), salt).abs().contiguous()

    return {
        "act_backward": lambda: [B.act_backward(g, x, a) for a in ("relu", "gelu",
                                                                  "gelu_tanh", "silu")],
        "softmax_backward": lambda: [B.softmax_backward(g, x.softmax(d), d, log)
                                     for d in (0, 1) for log in (False, True)],
        "norm_backward": lambda: [B.norm_backward(g, x, w, b, 1e-5, False, (True, True, True)),
                                  B.norm_backward(g, x, w, None, 1e-5, True, (True, True, False))],
        "cross_entropy": lambda: [B.cross_entropy_fused(x, index(k, (rows,)), -100, s, r, True)
                                  for r in ("none", "mean") for s in (0.0, 0.1)],
        "sdpa_backward": lambda: [B.sdpa_backward(
            g.reshape(2, 2, 1, -1).expand(2, 2, 3, k), q4, q4, q4, m, c, 0.5,
            (True, True, True)) for q4 in (x.reshape(2, 2, 1, -1).expand(2, 2, 3, k),)
            for m, c in ((None, True), (w.reshape(1, 1, 1, -1)[..., :3].expand(2, 2, 3, 3),
                                        False))],
        "adam_step": lambda: O.adam_step(x.clone(), g, state(7), state(8), state(9), 0.01, 0.9,
                                         0.999, 1e-8, 0.1, 2, True, False),
        "sgd_step": lambda: O.sgd_step(x.clone(), g, state(7), 0.01, 0.9, 0.0, 0.1, True, False,
                                       False),
        "rmsprop_step": lambda: O.rmsprop_step(x.clone(), g, state(7), state(8), state(9), 0.01,
                                               0.99, 1e-8, 0.1, 0.9, False),
        "adagrad_step": lambda: O.adagrad_step(x.clone(), g, state(7), 0.01, 1e-10, 0.1, True),
    }


# ---- which backend ran ------------------------------------------------------------------------
class FellBack:
    """Context manager recording the reference-backend primitives run inside it."""

    def __enter__(self):
        from .. import reference
        self.impl = reference.IMPL
        self.saved = dict(self.impl)
        self.used = []
        for name, fn in self.saved.items():
            self.impl[name] = self._wrap(name, fn)
        return self

    def _wrap(self, name, fn):
        used = self.used

        def wrapped(*args, **kwargs):
            if args and isinstance(args[0], str):
                used.append(f"{name}:{args[0]}")
            else:
                used.append(name)
            return fn(*args, **kwargs)
        return wrapped

    def __exit__(self, *exc):
        self.impl.update(self.saved)
        return False


def run_cell(name, dtype, n):
    """Run op `name` on `dtype` at about n elements: (result, sorted reference primitives run),
    or raises what the op raises (the op does not accept that dtype)."""
    fn, args = call(name, dtype, n)
    with FellBack() as fb:
        r = fn(*args)
    return r, sorted(set(fb.used))


