"""Kernel boundaries under hypothesis: random shapes (empty and 1-element included), layouts
(strided, transposed, expanded, offset, views ending at their storage's end) and dtypes through
the WASM kernel families the elementwise/reduce/matmul tests of test_portable_backend_parity.py
do not reach: rowwise (softmax, log_softmax, cumsum), norms, linear, conv2d and pooling (float32,
float64 and the integer dtypes torch accepts), the gathers and scatters (with every reduction),
nonzero, where, cat, attention. The WASM side runs with guard bytes around every
storage, so a kernel that reads or writes outside its regions fails the case; results must
equal the reference backend's. Stdlib + hypothesis: this also runs inside Pyodide."""
from hypothesis import given, settings, strategies as st

import webtensor
from wtcheck import (FUZZ_LAYOUTS, assert_encoded_match, examples, guard_bytes, run_encoded,
                     spec, using_backend)

layouts = st.sampled_from(FUZZ_LAYOUTS)
seeds = st.integers(0, 1000)
dims = st.integers(0, 5)
FLOAT_DTYPES = st.sampled_from(("float32", "float32", "float64", "float16"))
ANY_DTYPES = st.sampled_from(("float32", "float64", "float16", "int64", "int32", "int8",
                              "uint8", "bool"))
F32_F64 = st.sampled_from(("float32", "float32", "float64"))
MM_DTYPES = st.sampled_from(("float32", "float32", "float64", "int64", "int32"))


def check(case, tol=(None, None)):
    with using_backend("reference"):
        want = run_encoded(webtensor, case)
    with using_backend("wasm"), guard_bytes():
        got = run_encoded(webtensor, case)
    assert_encoded_match(got, want, *tol, what=f"{case['id']} (wasm vs reference)")


@settings(max_examples=examples(40), deadline=None)
@given(op=st.sampled_from(("softmax", "log_softmax", "cumsum")),
       shape=st.lists(dims, min_size=1, max_size=4).map(tuple), data=st.data(), layout=layouts,
       dtype=FLOAT_DTYPES, seed=seeds)
def test_rowwise(op, shape, data, layout, dtype, seed):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    check({"id": f"{op}{list(shape)}-{dim}", "op": op,
           "inputs": [spec(shape, dtype, seed, layout)], "args": [{"t": 0}, dim]},
          (2e-3, 2e-3) if dtype == "float16" else (1e-5, 1e-5))


@settings(max_examples=examples(40), deadline=None)
@given(op=st.sampled_from(("layer_norm", "rms_norm")),
       lead=st.lists(dims, max_size=2).map(tuple), n=st.integers(1, 40), layout=layouts,
       affine=st.booleans(), seed=seeds, dtype=F32_F64)
def test_norms(op, lead, n, layout, affine, seed, dtype):
    inputs = [spec(lead + (n,), dtype, seed, layout)]
    args = [{"t": 0}, [n]]
    if affine:
        inputs.append(spec((n,), dtype, seed + 1))
        args.append({"t": 1})
        if op == "layer_norm":
            inputs.append(spec((n,), dtype, seed + 2, "tail"))
            args.append({"t": 2})
    check({"id": f"{op}{list(lead)}x{n}", "op": op, "inputs": inputs, "args": args},
          (1e-4, 1e-4))


@settings(max_examples=examples(30), deadline=None)
@given(lead=st.lists(dims, max_size=2).map(tuple), k=dims, n=dims, bias=st.booleans(),
       layouts=st.tuples(layouts, layouts), seed=seeds, dtype=MM_DTYPES)
def test_linear(lead, k, n, bias, layouts, seed, dtype):
    inputs = [spec(lead + (k,), dtype, seed, layouts[0]),
              spec((n, k), dtype, seed + 1, layouts[1])]
    if bias:
        inputs.append(spec((n,), dtype, seed + 2, "tail"))
    check({"id": f"linear{list(lead)}x{k}->{n}", "op": "linear", "inputs": inputs},
          (1e-4, 1e-4))


@settings(max_examples=examples(30), deadline=None)
@given(n=st.integers(1, 2), cin=st.integers(1, 4), h=st.integers(1, 7), w=st.integers(1, 7),
       k=st.integers(1, 3), stride=st.integers(1, 2), padding=st.integers(0, 1),
       dilation=st.integers(1, 2), depthwise=st.booleans(), bias=st.booleans(),
       layout=layouts, seed=seeds, dtype=MM_DTYPES)
def test_conv2d(n, cin, h, w, k, stride, padding, dilation, depthwise, bias, layout, seed,
                dtype):
    groups, cout = (cin, 2 * cin) if depthwise else (1, 3)
    if (k - 1) * dilation + 1 > h + 2 * padding or (k - 1) * dilation + 1 > w + 2 * padding:
        k = 1
    inputs = [spec((n, cin, h, w), dtype, seed, layout),
              spec((cout, cin // groups, k, k), dtype, seed + 1)]
    args = [{"t": 0}, {"t": 1}]
    if bias:
        inputs.append(spec((cout,), dtype, seed + 2))
        args.append({"t": 2})
    check({"id": f"conv2d{n}x{cin}x{h}x{w}-k{k}s{stride}p{padding}d{dilation}g{groups}",
           "op": "conv2d", "inputs": inputs, "args": args,
           "kwargs": {"stride": stride, "padding": padding, "dilation": dilation,
                      "groups": groups}}, (1e-4, 1e-4))


@settings(max_examples=examples(30), deadline=None)
@given(op=st.sampled_from(("max_pool2d", "avg_pool2d", "adaptive_avg_pool2d",
                           "adaptive_max_pool2d")),
       c=st.integers(1, 3), h=st.integers(1, 7), w=st.integers(1, 7), k=st.integers(1, 3),
       stride=st.integers(1, 3), ceil=st.booleans(), layout=layouts, seed=seeds,
       dtype=MM_DTYPES)
def test_pooling(op, c, h, w, k, stride, ceil, layout, seed, dtype):
    if dtype.startswith("int") and (op.startswith("adaptive") or
                                    (op == "avg_pool2d" and dtype == "int32")):
        dtype = "float64"           # torch has no integer adaptive pooling, no int32 average
    x = spec((1, c, h, w), dtype, seed, layout)
    if op.startswith("adaptive"):
        args, kwargs = [{"t": 0}, [min(k, h), min(k + 1, w)]], {}
    else:
        k = min(k, h, w)
        args, kwargs = [{"t": 0}, k, stride, k // 2], {"ceil_mode": ceil}
    check({"id": f"{op}{c}x{h}x{w}-k{k}s{stride}", "op": op, "inputs": [x], "args": args,
           "kwargs": kwargs}, (1e-5, 1e-5))


@settings(max_examples=examples(40), deadline=None)
@given(shape=st.lists(dims, min_size=1, max_size=3).map(tuple), data=st.data(),
       dtype=ANY_DTYPES, layout=layouts, seed=seeds, nidx=st.integers(0, 6))
def test_index_select_gather_scatter(shape, data, dtype, layout, seed, nidx):
    dim = data.draw(st.integers(0, len(shape) - 1))
    size = shape[dim]
    idx = data.draw(st.lists(st.integers(0, max(size - 1, 0)), min_size=nidx, max_size=nidx))
    if size == 0:
        idx = []
    x = spec(shape, dtype, seed, layout)
    check({"id": f"index_select{list(shape)}-{dim}", "op": "index_select",
           "inputs": [x, spec((len(idx),), "int64", data=idx)],
           "args": [{"t": 0}, dim, {"t": 1}]})
    # gather / scatter / index_copy with an index of x's shape but len(idx) along dim
    ishape = tuple(len(idx) if d == dim else s for d, s in enumerate(shape))
    flat = data.draw(st.lists(st.integers(0, max(size - 1, 0)),
                              min_size=_prod(ishape), max_size=_prod(ishape)))
    if size == 0:
        ishape, flat = tuple(0 if d == dim else s for d, s in enumerate(shape)), []
    index = spec(ishape, "int64", data=flat)
    src = spec(ishape, dtype, seed + 1)
    check({"id": f"gather{list(shape)}-{dim}", "op": "gather", "inputs": [x, index],
           "args": [{"t": 0}, dim, {"t": 1}]})
    check({"id": f"scatter{list(shape)}-{dim}", "op": "scatter", "inputs": [x, index, src],
           "args": [{"t": 0}, dim, {"t": 1}, {"t": 2}]})
    red = data.draw(st.sampled_from(("sum", "prod", "amax", "amin", "mean")))
    if dtype != "bool":
        check({"id": f"scatter_reduce{list(shape)}-{dim}-{red}", "op": "scatter_reduce",
               "inputs": [x, index, src], "args": [{"t": 0}, dim, {"t": 1}, {"t": 2}, red],
               "kwargs": {"include_self": data.draw(st.booleans())}},
               (1e-2, 1e-2) if dtype == "float16" else (None, None))
    check({"id": f"nonzero{list(shape)}", "op": "nonzero", "inputs": [x]})
    if len(set(idx)) == len(idx):      # index_copy with repeated indices is unspecified
        check({"id": f"index_copy{list(shape)}-{dim}", "op": "index_copy",
               "inputs": [x, spec((len(idx),), "int64", data=idx),
                          spec(ishape if size else shape, dtype, seed + 2)],
               "args": [{"t": 0}, dim, {"t": 1}, {"t": 2}]})


@settings(max_examples=examples(30), deadline=None)
@given(shape=st.lists(dims, min_size=1, max_size=3).map(tuple), dtype=ANY_DTYPES,
       layouts=st.tuples(layouts, layouts, layouts), seed=seeds, n=st.integers(1, 3))
def test_where_and_cat(shape, dtype, layouts, seed, n):
    check({"id": f"where{list(shape)}", "op": "where",
           "inputs": [spec(shape, "bool", seed, layouts[0]),
                      spec(shape, dtype, seed + 1, layouts[1]),
                      spec(shape[1:], dtype, seed + 2, layouts[2])]})
    parts = [spec(shape, dtype, seed + i, layouts[i]) for i in range(n)]
    check({"id": f"cat{list(shape)}x{n}", "op": "cat", "inputs": parts,
           "args": [[{"t": i} for i in range(n)], len(shape) - 1]})


@settings(max_examples=examples(30), deadline=None)
@given(b=st.integers(1, 2), h=st.integers(1, 3), lq=st.integers(1, 6), lk=st.integers(1, 7),
       e=st.integers(1, 9), ev=st.integers(1, 9), causal=st.booleans(), mask=st.booleans(),
       layouts=st.tuples(layouts, layouts, layouts), seed=seeds, dtype=F32_F64)
def test_attention(b, h, lq, lk, e, ev, causal, mask, layouts, seed, dtype):
    inputs = [spec((b, h, lq, e), dtype, seed, layouts[0]),
              spec((b, h, lk, e), dtype, seed + 1, layouts[1]),
              spec((b, h, lk, ev), dtype, seed + 2, layouts[2])]
    kwargs = {"is_causal": causal and not mask}
    if mask:
        inputs.append(spec((lq, lk), "bool", seed + 3))
        kwargs["attn_mask"] = {"t": 3}
    check({"id": f"sdpa{b}x{h}x{lq}x{lk}x{e}x{ev}", "op": "scaled_dot_product_attention",
           "inputs": inputs, "args": [{"t": 0}, {"t": 1}, {"t": 2}], "kwargs": kwargs},
          (1e-4, 1e-4))


def _prod(shape):
    p = 1
    for v in shape:
        p *= v
    return p
