"""Gradient cases for every op of the op table: name -> (input shapes, fn(m, *tensors),
positive). Stdlib only: tests/unit/autograd/test_op_gradients.py runs them against torch on
CPython, scripts/make_golden_grad.py stores torch's gradients in tests/golden/grad.json and
tests/portable/test_portable_autograd.py replays them on every backend (CPython, Pyodide).

`m` is the module (webtensor or torch); the tensors are float inputs that require grad. Index
arguments are built from Python lists so both libraries see the same values. NON_DIFF lists the
ops whose outputs have no gradient (bool/integer results, indices)."""

CASES = {}


def case(name, shapes, fn, positive=False):
    CASES[name] = (shapes, fn, positive)


def F(m):
    return m.nn.functional


def _long(m, v):
    return m.tensor(v, dtype=m.int64)


case("silu", [(2, 3)], lambda m, x: F(m).silu(x))
for _n in ("neg", "abs", "exp", "sin", "cos", "tanh", "sigmoid", "relu", "erf",
           "floor", "ceil", "round", "sign", "expm1"):
    case(_n, [(2, 3)], lambda m, x, _n=_n: getattr(m, _n)(x))
for _n in ("log", "log1p", "sqrt", "rsqrt", "reciprocal"):
    case(_n, [(2, 3)], lambda m, x, _n=_n: getattr(m, _n)(x), positive=True)
case("gelu", [(2, 3)], lambda m, x: F(m).gelu(x) + F(m).gelu(x, approximate="tanh"))
for _n in ("add", "sub", "mul", "div", "maximum", "minimum", "atan2", "fmax", "fmin"):
    case(_n, [(2, 3), (3,)], lambda m, a, b, _n=_n: getattr(m, _n)(a, b))
case("pow", [(2, 3), (3,)], lambda m, a, b: m.pow(a, b) + a.pow(2.5), positive=True)
case("remainder", [(2, 3), (3,)], lambda m, a, b: m.remainder(a, b), positive=True)
case("rsub", [(2, 3), (1, 3)], lambda m, a, b: m.rsub(a, b, alpha=2))
# torch has no derivative for floor_divide; its twin div(rounding_mode="floor") has zeros
case("floor_divide", [(2, 3), (3,)], lambda m, a, b: a + (
    m.floor_divide(a, b) if m.__name__ == "webtensor" else m.div(a, b, rounding_mode="floor")),
    positive=True)
case("square", [(2, 3)], lambda m, x: m.square(x))
case("lerp", [(2, 3), (2, 3), (3,)], lambda m, a, b, w: m.lerp(a, b, w) + m.lerp(a, b, 0.3))
case("clamp", [(4, 3)], lambda m, x: m.clamp(x, -0.5, 0.7))
case("clamp_min", [(4, 3)], lambda m, x: m.clamp_min(x, 0.1))
case("clamp_max", [(4, 3)], lambda m, x: m.clamp_max(x, 0.1))
case("where", [(2, 3), (2, 3)], lambda m, a, b: m.where(a > 0, a, b))
for _n in ("sum", "mean", "amax", "amin", "logsumexp"):
    case(_n, [(3, 4)], lambda m, x, _n=_n: getattr(m, _n)(x, 1) + getattr(m, _n)(x, (0, 1)))
case("prod", [(3, 4)], lambda m, x: m.prod(x, 1) + m.prod(x), positive=True)
case("max", [(3, 4)], lambda m, x: m.max(x, 1).values.sum() + m.max(x))
case("min", [(3, 4)], lambda m, x: m.min(x, 0).values.sum() + m.min(x))
case("var", [(3, 4)], lambda m, x: m.var(x, 1) + m.var(x, correction=0))
case("std", [(3, 4)], lambda m, x: m.std(x, 0).sum() + m.std(x))
case("var_mean", [(3, 4)], lambda m, x: sum(t.sum() for t in m.var_mean(x, 1)))
case("std_mean", [(3, 4)], lambda m, x: sum(t.sum() for t in m.std_mean(x, 1)))
case("cumsum", [(3, 4)], lambda m, x: m.cumsum(x, 1))
case("cumprod", [(3, 4)], lambda m, x: m.cumprod(x, 0), positive=True)
case("softmax", [(3, 4)], lambda m, x: m.softmax(x, 1))
case("log_softmax", [(3, 4)], lambda m, x: m.log_softmax(x, 0))
case("matmul", [(2, 3, 4), (4, 5)], lambda m, a, b: m.matmul(a, b))
case("mm", [(3, 4), (4, 2)], lambda m, a, b: m.mm(a, b))
case("bmm", [(2, 3, 4), (2, 4, 2)], lambda m, a, b: m.bmm(a, b))
case("dot", [(4,), (4,)], lambda m, a, b: m.dot(a, b))
case("mv", [(3, 4), (4,)], lambda m, a, b: m.mv(a, b))
case("outer", [(3,), (4,)], lambda m, a, b: m.outer(a, b))
case("linear", [(2, 3, 4), (5, 4), (5,)], lambda m, x, w, b: F(m).linear(x, w, b))
for _n in ("cat", "concat", "concatenate"):
    case(_n, [(2, 3), (1, 3)], lambda m, a, b, _n=_n: getattr(m, _n)([a, b * 2], 0))
case("stack", [(2, 3), (2, 3)], lambda m, a, b: m.stack([a, b], 1))
case("hstack", [(2, 3), (2, 1)], lambda m, a, b: m.hstack([a, b]))
case("vstack", [(2, 3), (3,)], lambda m, a, b: m.vstack([a, b]))
case("split", [(5, 3)], lambda m, x: m.split(x, 2)[1] * 3 + m.split(x, 2)[0][:1])
case("chunk", [(4, 3)], lambda m, x: m.chunk(x, 2, 1)[0] * m.chunk(x, 2, 1)[1])
case("tensor_split", [(5, 3)], lambda m, x: m.tensor_split(x, 3)[2] * 2)
case("flip", [(2, 3)], lambda m, x: m.flip(x, (0, 1)) * m.arange(6.).view(2, 3))
case("fliplr", [(2, 3)], lambda m, x: m.fliplr(x) * m.arange(6.).view(2, 3))
case("flipud", [(2, 3)], lambda m, x: m.flipud(x) * m.arange(6.).view(2, 3))
case("roll", [(2, 3)], lambda m, x: m.roll(x, 1, 1) * m.arange(6.).view(2, 3))
case("repeat", [(2, 3)], lambda m, x: x.repeat(2, 1, 2) * m.arange(24.).view(2, 2, 6))
case("tile", [(2, 3)], lambda m, x: m.tile(x, (2,)) * m.arange(12.).view(2, 6))
case("repeat_interleave", [(2, 3)], lambda m, x: m.repeat_interleave(x, 2, 0) * 3)
case("tril", [(3, 3)], lambda m, x: m.tril(x))
case("triu", [(3, 3)], lambda m, x: m.triu(x, 1))
case("broadcast_to", [(3,)], lambda m, x: m.broadcast_to(x, (2, 3)) * m.arange(6.).view(2, 3))
case("gather", [(3, 4)], lambda m, x: m.gather(x, 1, _long(m, [[0, 0], [3, 1], [2, 2]])))
case("take_along_dim", [(3, 4)],
     lambda m, x: m.take_along_dim(x, _long(m, [[0, 3], [1, 1], [2, 0]]), 1))
case("scatter", [(3, 4), (3, 2)], lambda m, x, s: m.scatter(x, 1, _long(m, [[0, 1]] * 3), s))
case("scatter_add", [(3, 4), (3, 2)],
     lambda m, x, s: m.scatter_add(x, 1, _long(m, [[0, 0]] * 3), s))
case("scatter_reduce", [(3, 4), (3, 2)],
     lambda m, x, s: m.scatter_reduce(x, 1, _long(m, [[0, 0]] * 3), s, "sum") +
     m.scatter_reduce(x, 1, _long(m, [[1, 0]] * 3), s, "mean", include_self=False))
case("index_select", [(3, 4)], lambda m, x: m.index_select(x, 1, _long(m, [3, 0, 3])))
case("index_copy", [(3, 4), (3, 2)],
     lambda m, x, s: m.index_copy(x, 1, _long(m, [2, 0]), s) +
     (x * 1).index_copy_(1, _long(m, [3, 1]), s * 2))
case("masked_fill", [(2, 3)], lambda m, x: m.masked_fill(x, x > 0, 0.5))
case("masked_select", [(2, 3)], lambda m, x: m.masked_select(x, x > 0) * 2)
case("sort", [(3, 4)], lambda m, x: m.sort(x, 1).values * m.arange(4.))
case("msort", [(3, 4)], lambda m, x: m.msort(x) * m.arange(4.))
case("topk", [(3, 4)], lambda m, x: m.topk(x, 2).values * m.arange(2.))
case("conv1d", [(2, 4, 7), (6, 2, 3), (6,)],
     lambda m, x, w, b: F(m).conv1d(x, w, b, stride=2, padding=1, groups=2))
case("conv2d", [(2, 3, 6, 5), (4, 3, 3, 2), (4,)],
     lambda m, x, w, b: F(m).conv2d(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2)) +
     F(m).conv2d(x, w, b, padding=(1, 0), dilation=(1, 2)).sum())   # stride 1: a conv's own
case("conv2d_groups", [(2, 4, 5, 6), (6, 2, 3, 2), (6,)],
     lambda m, x, w, b: F(m).conv2d(x, w, b, padding=(2, 1), dilation=(1, 2), groups=2) +
     F(m).conv2d(x, w, b, padding="same", groups=2).sum() +      # even kernel: pads right
     F(m).conv2d(x, w, b, stride=(3, 2), padding=(0, 1), groups=2).sum())
case("max_pool1d", [(2, 3, 7)], lambda m, x: F(m).max_pool1d(x, 3, 2, padding=1))
case("max_pool2d", [(2, 2, 5, 6)], lambda m, x: F(m).max_pool2d(x, 2, ceil_mode=True) +
     F(m).max_pool2d(x, 3, 2, 1, return_indices=True)[0].sum())
case("avg_pool1d", [(2, 3, 7)], lambda m, x: F(m).avg_pool1d(x, 3, 2, padding=1))
case("avg_pool2d", [(2, 2, 5, 6)], lambda m, x: F(m).avg_pool2d(
    x, 3, 2, 1, count_include_pad=False, ceil_mode=True) + F(m).avg_pool2d(x, 2).sum())
case("adaptive_avg_pool2d", [(2, 2, 5, 7)], lambda m, x: F(m).adaptive_avg_pool2d(x, (3, 4)))
case("adaptive_max_pool2d", [(2, 2, 5, 7)], lambda m, x: F(m).adaptive_max_pool2d(x, (2, 3)))
case("layer_norm", [(2, 3, 4), (4,), (4,)],
     lambda m, x, w, b: F(m).layer_norm(x, (4,), w, b))
case("rms_norm", [(2, 3, 4), (4,)], lambda m, x, w: F(m).rms_norm(x, (4,), w))
case("group_norm", [(2, 4, 3), (4,), (4,)], lambda m, x, w, b: F(m).group_norm(x, 2, w, b))
case("scaled_dot_product_attention", [(2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4)],
     lambda m, q, k, v: F(m).scaled_dot_product_attention(q, k, v) +
     F(m).scaled_dot_product_attention(q, k[:, :, :3], v[:, :, :3], is_causal=True))
case("embedding", [(5, 3)], lambda m, w: F(m).embedding(_long(m, [[0, 4], [4, 2]]), w))
case("pad", [(2, 3)], lambda m, x: F(m).pad(x, (1, 2, 0, 1)) * 2 +
     F(m).pad(x.view(1, 2, 3), (2, 1), mode="reflect").sum())
case("interpolate", [(1, 2, 3, 4)], lambda m, x: F(m).interpolate(x, scale_factor=2) +
     F(m).interpolate(x, size=(5, 7), mode="bilinear", align_corners=False).sum())
case("upsample", [(1, 2, 3, 4)], lambda m, x: F(m).upsample(x, size=(4, 6), mode="nearest"))
case("cross_entropy", [(4, 5)], lambda m, x: F(m).cross_entropy(
    x, _long(m, [0, 4, 2, 2])) + F(m).cross_entropy(x, x.detach().softmax(1),
                                                   label_smoothing=0.1))
case("nll_loss", [(4, 5)], lambda m, x: F(m).nll_loss(x.log_softmax(1), _long(m, [0, 4, 2, 2])))
case("mse_loss", [(3, 4), (3, 4)], lambda m, a, b: F(m).mse_loss(a, b))
case("l1_loss", [(3, 4), (3, 4)], lambda m, a, b: F(m).l1_loss(a, b))
case("smooth_l1_loss", [(3, 4), (3, 4)], lambda m, a, b: F(m).smooth_l1_loss(a, b, beta=0.5))
case("huber_loss", [(3, 4), (3, 4)], lambda m, a, b: F(m).huber_loss(a, b, delta=0.5))
case("kl_div", [(3, 4), (3, 4)], lambda m, a, b: F(m).kl_div(
    a.log_softmax(1), b.softmax(1), reduction="batchmean"))
case("binary_cross_entropy", [(3, 4), (3, 4)], lambda m, a, b: F(m).binary_cross_entropy(
    a.sigmoid(), b.sigmoid()))
case("binary_cross_entropy_with_logits", [(3, 4), (3, 4)],
     lambda m, a, b: F(m).binary_cross_entropy_with_logits(a, b.sigmoid()))
# the torch-surface composites (tests/portable/wtcases_surface.py)
case("trunc", [(2, 3)], lambda m, x: m.trunc(x * 3) + x)
case("frac", [(2, 3)], lambda m, x: m.frac(x * 3))
case("fmod", [(2, 3), (3,)], lambda m, a, b: m.fmod(a * 3, b) + a.fmod(-0.7))
case("xlogy", [(2, 3), (3,)], lambda m, a, b: m.xlogy(a, b) + m.xlogy(2.0, b), positive=True)
case("addcmul", [(2, 3), (2, 3), (3,)], lambda m, x, a, b: m.addcmul(x, a, b, value=-1.5))
case("addcdiv", [(2, 3), (2, 3), (3,)], lambda m, x, a, b: x.addcdiv(a, b, value=0.5),
     positive=True)
case("nansum", [(3, 4)], lambda m, x: m.nansum(x, 1) + m.nansum(x))
case("nanmean", [(3, 4)], lambda m, x: m.nanmean(x, 0).sum() + m.nanmean(x))
case("index_add", [(3, 4), (3, 2)], lambda m, x, s: m.index_add(x, 1, _long(m, [3, 3]), s,
                                                                alpha=2))
case("index_fill", [(3, 4)], lambda m, x: m.index_fill(x, 0, _long(m, [2, -3]), 0.5))
case("index_put", [(3, 4), (2,)], lambda m, x, v: m.index_put(
    x, (_long(m, [2, 0]), _long(m, [1, 1])), v) + x.index_put(
    (_long(m, [1, 1]),), v[:1] * 3, accumulate=True))
case("masked_scatter", [(3, 4), (12,)], lambda m, x, s: m.masked_scatter(x, x > 0, s))
case("diff", [(3, 5)], lambda m, x: m.diff(x, n=2, prepend=x[:, :1] * 2))
case("meshgrid", [(3,), (2,)], lambda m, a, b: m.meshgrid(a, b, indexing="xy")[0] *
     m.meshgrid(a, b, indexing="ij")[1].t())
case("pixel_shuffle", [(1, 8, 2, 3)], lambda m, x: m.pixel_shuffle(x, 2) * m.arange(48.).view(
    1, 2, 4, 6))
case("pixel_unshuffle", [(1, 2, 4, 6)], lambda m, x: m.pixel_unshuffle(x, 2) * m.arange(
    48.).view(1, 8, 2, 3))
case("cosine_similarity", [(4, 3), (1, 3)], lambda m, a, b: m.cosine_similarity(a, b))
case("pairwise_distance", [(4, 3), (4, 3)], lambda m, a, b: m.pairwise_distance(a, b))
case("put", [(2, 3), (3,)], lambda m, x, s: x.put(_long(m, [1, -1, 1]), s, accumulate=True) +
     m.put(x, _long(m, [0, 4]), s[:2] * 2))
case("cdist", [(2, 4, 3), (2, 5, 3)], lambda m, a, b: m.cdist(a, b) + m.cdist(a, b, p=1))
case("unfold", [(2, 3, 5, 4)], lambda m, x: F(m).unfold(x, (2, 3), padding=1, stride=(2, 1)))
case("fold", [(2, 12, 6)], lambda m, x: F(m).fold(x, (3, 4), 2))
case("grid_sample", [(1, 2, 4, 5), (1, 3, 2, 2)], lambda m, x, g: F(m).grid_sample(
    x, g * 0.6, align_corners=False) + F(m).grid_sample(x, g, padding_mode="reflection",
                                                          align_corners=True))

NON_DIFF = {"eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor",
            "bitwise_and", "bitwise_or", "bitwise_xor", "argmax", "argmin", "all", "any",
            "count_nonzero", "argsort", "one_hot", "nonzero", "argwhere", "logical_not",
            "bitwise_not", "isnan", "isinf", "isfinite", "isposinf", "isneginf", "unique",
            "unique_consecutive", "isin", "histc", "unravel_index", "searchsorted",
            "bucketize", "bincount"}


def values(n, seed, positive=False):
    """n distinct, nonzero values from a formula (the same on every platform)."""
    out = []
    for i in range(n):
        v = ((i * 61 + seed * 17) % 101 - 50) / 40 + i * 1e-4 + 0.013
        out.append(abs(v) + 0.3 if positive else v)
    return out


def run(m, name, dtype="float64"):
    """[gradient of each input as a flat list] of sum(output * fixed weights) for case name."""
    shapes, fn, positive = CASES[name]
    ins = []
    for k, shape in enumerate(shapes):
        n = 1
        for s in shape:
            n *= s
        t = m.tensor(values(n, k, positive), dtype=getattr(m, dtype)).reshape(shape)
        ins.append(t.requires_grad_())
    out = fn(m, *ins)
    outs = out if isinstance(out, (tuple, list)) else (out,)
    total = 0
    for i, o in enumerate(outs):
        if o.is_floating_point():
            w = m.tensor(values(o.numel(), 100 + i), dtype=o.dtype).reshape(tuple(o.shape))
            total = total + (o * w).sum()
    total.backward()
    return [None if t.grad is None else t.grad.reshape(-1).tolist() for t in ins]
