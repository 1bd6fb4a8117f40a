"""The WASM backend's shortcuts ("lanes": backends/wasm elementwise, reduce, matmul, attention):
each case runs on the WASM backend with every shortcut wrapped to record whether it answered,
and on the reference backend; the results must match (values, signed zeros, nan, dtype, shape, in-place identity), and each case
must be taken by the lane of its kind -- or declined by it -- as stated. Declined cases are the
edges a lane must leave to the general path (broadcasting, other dtypes, strided or partially
overlapping views, extra arguments)."""
import math

import pytest

import webtensor
from webtensor import _dispatch
from wtcheck import using_backend


def _x(m, shape=(3, 4), start=-1.25):
    n = 1
    for s in shape:
        n *= s
    return m.tensor([start + 0.5 * i for i in range(n)], dtype=m.float32).reshape(shape)


def _inplace_self(m):
    x = _x(m)
    return x.add_(x)


def _inplace_partial(m):
    x = _x(m, (12,))
    x[1:].add_(x[:-1])        # overlapping views of one storage: the general path copies
    return x


def _iadd(m):
    x = _x(m)
    y = x
    y += 1.5
    assert y is x
    return x


def _inplace_view(m):
    x = _x(m, (4, 3))
    x[1].mul_(_x(m, (3,), 2.0))
    return x


# (id, the kind of lane that shortcuts the whole op, function of the module, taken by it?)
CASES = [
    ("add", "binary", lambda m: _x(m) + _x(m, start=0.75), True),
    ("add_0d", "binary", lambda m: _x(m, ()) + _x(m, (), 2.5), True),
    ("mul_scalar", "binary", lambda m: _x(m) * 2.0, True),
    ("rsub_int", "binary", lambda m: 2 - _x(m), True),
    ("rdiv", "binary", lambda m: 3.0 / _x(m), True),
    ("div_zero", "binary", lambda m: _x(m) / 0, True),
    ("mul_neg_zero", "binary", lambda m: _x(m) * -0.0, True),
    ("mul_zero", "binary", lambda m: _x(m) * 0.0, True),
    ("add_huge_float", "binary", lambda m: _x(m) + 1e39, True),
    ("add_nan", "binary", lambda m: _x(m) + float("nan"), True),
    ("add_big_int", "binary", lambda m: _x(m) + 2 ** 70, True),
    ("lt", "binary", lambda m: _x(m) < _x(m, start=-1.0), True),
    ("eq_scalar", "binary", lambda m: _x(m) == 0.25, True),
    ("maximum", "binary", lambda m: m.maximum(_x(m), _x(m, start=0.0)), True),
    ("exp", "unary", lambda m: _x(m).exp(), True),
    ("neg", "unary", lambda m: -_x(m), True),
    ("relu_fn", "unary", lambda m: m.relu(_x(m)), True),
    ("sum", "reduce_all", lambda m: _x(m).sum(), True),
    ("mean", "reduce_all", lambda m: _x(m).mean(), True),
    ("amax", "reduce_all", lambda m: _x(m).amax(), True),
    ("sum_offset", "reduce_all", lambda m: _x(m)[1].sum(), True),
    ("add_", "inplace", lambda m: _x(m).add_(_x(m, start=3.0)), True),
    ("add_self", "inplace", _inplace_self, True),
    ("iadd", "inplace", _iadd, True),
    ("mul_row_view", "inplace", _inplace_view, True),
    ("add_row", "binary", lambda m: _x(m, (3, 4)) + _x(m, (4,), 0.5), True),
    ("mul_block", "binary", lambda m: _x(m, (2, 3, 4)) * _x(m, (1, 3, 4), 0.5), True),
    ("sub_row_left", "binary", lambda m: _x(m, (1, 4), 0.5) - _x(m, (2, 3, 4)), True),
    ("lt_row", "binary", lambda m: _x(m, (3, 4)) < _x(m, (4,), -0.5), True),
    ("matmul", "ops", lambda m: _x(m, (3, 4)) @ _x(m, (4, 5)), True),
    ("matmul_gemv", "ops", lambda m: _x(m, (1, 4)) @ _x(m, (4, 5)), True),
    ("matmul_wt", "ops", lambda m: _x(m, (3, 4)) @ _x(m, (5, 4)).T, True),
    ("matmul_batch_a", "ops", lambda m: m.matmul(_x(m, (2, 3, 4)), _x(m, (4, 5))), True),
    ("matmul_packed", "ops", lambda m: _x(m, (70, 9), -3.0) @ _x(m, (9, 33), -2.0), True),
    ("linear", "ops", lambda m: m.linear(_x(m, (3, 4)), _x(m, (5, 4)), _x(m, (5,))), True),
    ("linear_no_bias", "ops", lambda m: m.linear(_x(m, (2, 3, 4)), _x(m, (5, 4))), True),
    ("linear_1d", "ops", lambda m: m.linear(_x(m, (4,)), _x(m, (5, 4)), _x(m, (5,))), True),
    ("sdpa", "ops", lambda m: m.scaled_dot_product_attention(
        _x(m, (2, 3, 5, 4)) / 4, _x(m, (2, 3, 7, 4)) / 5, _x(m, (2, 3, 7, 6))), True),
    ("sdpa_causal_gqa", "ops", lambda m: m.scaled_dot_product_attention(
        _x(m, (1, 4, 6, 4)) / 4, _x(m, (1, 2, 6, 4)) / 5, _x(m, (1, 2, 6, 3), 2.0), is_causal=True,
        enable_gqa=True, scale=0.3), True),
    ("sdpa_heads_view", "ops", lambda m: m.scaled_dot_product_attention(
        *(_x(m, (1, 5, 3, 8)).transpose(1, 2)[..., i * 4:i * 4 + 4] / 6 for i in (0, 1, 0))),
     True),
    # declined: the general path answers
    ("sdpa_mask", "ops", lambda m: m.scaled_dot_product_attention(
        _x(m, (1, 2, 3, 4)) / 4, _x(m, (1, 2, 3, 4)) / 4, _x(m, (1, 2, 3, 4)),
        attn_mask=m.ones(3, 3, dtype=m.bool).tril()), False),
    ("sdpa_3d", "ops", lambda m: m.scaled_dot_product_attention(
        _x(m, (2, 3, 4)) / 4, _x(m, (2, 3, 4)) / 4, _x(m, (2, 3, 4))), False),
    ("sdpa_bcast_heads", "ops", lambda m: m.scaled_dot_product_attention(
        _x(m, (1, 2, 3, 4)) / 4, _x(m, (1, 1, 3, 4)) / 4, _x(m, (1, 1, 3, 4))), False),
    ("matmul_1d", "ops", lambda m: _x(m, (4,)) @ _x(m, (4, 5)), False),
    ("matmul_strided_a", "ops", lambda m: _x(m, (4, 3)).t() @ _x(m, (4, 5)), False),
    ("matmul_k0", "ops", lambda m: m.ones(3, 0) @ m.ones(0, 2), False),
    ("matmul_f64", "ops", lambda m: _x(m).double() @ _x(m, (4, 2)).double(), False),
    ("linear_bias_1", "ops", lambda m: m.linear(_x(m, (3, 4)), _x(m, (5, 4)), _x(m, (1,))),
     False),
    ("broadcast_col", "binary", lambda m: _x(m) + _x(m, (3, 1)), False),
    ("broadcast_outer", "binary", lambda m: _x(m, (3, 1)) * _x(m, (1, 4)), False),
    ("broadcast_more_dims", "binary", lambda m: _x(m) + _x(m, (1, 3, 4)), False),
    ("broadcast_empty", "binary", lambda m: m.ones(3, 0) + m.ones(0), False),
    ("transposed", "binary", lambda m: _x(m).t() + _x(m, (4, 3)), False),
    ("int_tensor", "binary", lambda m: _x(m) + m.ones(3, 4, dtype=m.int64), False),
    ("float64", "binary", lambda m: _x(m).double() * 2.0, False),
    ("bool_scalar", "binary", lambda m: _x(m) + True, False),
    ("alpha", "inplace", lambda m: _x(m).add_(_x(m), alpha=2), False),
    ("partial_overlap", "inplace", _inplace_partial, False),
    ("strided_exp", "unary", lambda m: _x(m)[:, ::2].exp(), False),
    ("sum_dim", "reduce_all", lambda m: _x(m).sum(1), False),
    ("empty_add", "binary", lambda m: m.ones(0, 3) + m.ones(0, 3), False),
]


def _same(a, b):
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        if a != a or b != b:
            return a != a and b != b
        if a == 0 and b == 0:
            return math.copysign(1, a) == math.copysign(1, b)
        return a == b or abs(a - b) <= 2e-6 * max(abs(a), abs(b))
    return a == b


_OPS = ("matmul", "linear", "scaled_dot_product_attention")
_REDUCE_ALL = ("sum", "mean", "prod", "amax", "amin")


def _kind(op):
    """The lane kind of shortcut slot `op` (the CASES' second field)."""
    if op in _OPS:
        return "ops"
    if op in _REDUCE_ALL:
        return "reduce_all"
    if op.endswith("_"):
        return "inplace"
    if op in ("add", "sub", "mul", "div", "maximum", "minimum", "eq", "ne", "lt", "le", "gt",
              "ge"):
        return "binary"
    return "unary"


@pytest.fixture
def lane_hits():
    """Wrap every active shortcut (webtensor._dispatch.SLOTS); yields a list that collects the
    shortcuts that answered."""
    hits = []

    def wrap(kind, op, lane):
        def counted(*args, **kwargs):
            out = lane(*args, **kwargs)
            if out is not None:
                hits.append(f"{kind}:{op}")
            return out
        return counted

    with using_backend("wasm"):
        saved = {op: slot[0] for op, slot in _dispatch.SLOTS.items()}
        for op, slot in _dispatch.SLOTS.items():
            if slot[0] is not None:
                slot[0] = wrap(_kind(op), op, slot[0])
        try:
            yield hits
        finally:
            for op, slot in _dispatch.SLOTS.items():
                slot[0] = saved.get(op)


def test_lanes_follow_the_backend():
    with using_backend("wasm"):
        assert all(_dispatch.SLOTS[op][0] for op in ("add", "mul", "lt", "exp", "sum", "add_",
                                                     "matmul", "linear",
                                                     "scaled_dot_product_attention"))
    with using_backend("reference"):     # no CPU lane; another device's, once it has tensors
        other = {op for dev, shortcuts in _dispatch._SHORTCUTS.items() if dev != "cpu"
                 for op in shortcuts[_dispatch.get_backend(dev)]}
        assert not any(slot[0] for op, slot in _dispatch.SLOTS.items() if op not in other)


@pytest.mark.parametrize("name,kind,fn,taken", CASES, ids=[c[0] for c in CASES])
def test_lane_matches_reference(name, kind, fn, taken, lane_hits):
    got = fn(webtensor)
    answered = any(h.startswith(kind + ":") for h in lane_hits)
    with using_backend("reference"):
        want = fn(webtensor)
    assert answered == taken, f"{name}: lanes answered {lane_hits}, expected taken={taken}"
    assert got.dtype is want.dtype and got.shape == want.shape
    assert _same(got.tolist(), want.tolist()), (got.tolist(), want.tolist())


def test_lane_outputs_are_fresh(lane_hits):
    x = _x(webtensor)
    y = x * 1.0
    z = x * 1.0        # a cached scalar operand must not make outputs share memory
    assert lane_hits == ["binary:mul", "binary:mul"]
    y.add_(1.0)
    assert z.tolist() == x.tolist() and y._storage is not z._storage


def test_lane_under_guards(lane_hits, guarded):
    """With guard bytes the lanes call the checked kernel wrappers (Regions)."""
    x = _x(webtensor)
    assert _same((x + x).tolist(), [[2 * v for v in r] for r in x.tolist()])
    assert _same(x.sum().item(), sum(sum(r) for r in x.tolist()))
    assert lane_hits == ["binary:add", "reduce_all:sum"]
