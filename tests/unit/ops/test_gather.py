"""The WASM gather / conversion paths at the op level, against torch on both backends:
dtype conversions for every dtype pair and layout (NaN, inf, out-of-range floats into ints),
fill, embedding (F.embedding forward, torch's errors), index_select, where / masked_fill with
broadcasts, int64 arithmetic and comparisons, and transposing copies."""
import pytest
import torch
import torch.nn.functional as F

import webtensor as wt
from wt_oracle import (ALL_DTYPES, DTYPES, LAYOUTS, assert_same, make_pair, raises_like_torch,
                       run_both, to_wt, wdt)


# ---- dtype conversion ---------------------------------------------------------------------
@pytest.mark.parametrize("src", ALL_DTYPES)
def test_conversion_every_pair(src):
    for k, layout in enumerate(LAYOUTS):
        for special, wide in ((False, False), (True, False), (False, True)):
            x, tx = make_pair((5, 7), src, k, layout, special=special, wide=wide)
            for dst in ALL_DTYPES:
                run_both(lambda m, a: a.to(getattr(m, dst)), [x], [tx])


def test_conversion_out_of_range_floats_into_ints():
    vals = [float("nan"), float("inf"), -float("inf"), 3e9, -3e9, 1e20, 2.0 ** 31, 2.0 ** 63,
            -2.0 ** 63, 300.7, -300.7, 255.9, -0.9, 2.5, -2.5, 65519.0, 65520.0, 1e-8] * 3
    for src in ("float32", "float64", "float16", "bfloat16"):
        tx = torch.tensor(vals).to(getattr(torch, src))
        x = to_wt(tx)
        for dst in ("int64", "int32", "int16", "int8", "uint8", "bool", "float16", "bfloat16"):
            run_both(lambda m, a: a.to(getattr(m, dst)), [x], [tx])


def test_conversion_large_and_promotions():
    x, tx = make_pair((67, 129), "float32", 3, "transposed", special=True)
    for dst in ("float16", "bfloat16", "int64", "int32", "uint8", "int8", "bool", "float64"):
        y, ty = run_both(lambda m, a: a.to(getattr(m, dst)), [x], [tx])
        run_both(lambda m, a: a.float(), [y], [ty])
    i, ti = make_pair((3, 40), "int32", 4)
    h, th = make_pair((40,), "float16", 5)
    run_both(lambda m, a, b: a + b, [i, h], [ti, th])             # int32 -> float16 promotion
    run_both(lambda m, a, b: (a > 0).float() * b, [h, h], [th, th])


# ---- fill ---------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_fill(dtype):
    for n in (0, 1, 7, 16, 33, 1000):
        v = True if dtype == "bool" else 3 if dtype not in ("float32", "float64", "float16",
                                                             "bfloat16") else -2.5
        run_both(lambda m: m.full((n,), v, dtype=getattr(m, dtype)), [], [])
        run_both(lambda m: m.ones(n, 3, dtype=getattr(m, dtype)), [], [])
        x, tx = make_pair((n, 3), dtype, 1)
        run_both(lambda m, a: a.fill_(v), [x], [tx])
    x, tx = make_pair((4, 5), dtype, 2, "transposed")       # strided output
    run_both(lambda m, a: a.zero_(), [x], [tx])
    if dtype in ("int8", "uint8", "int32"):                  # a tensor value wraps
        y, ty = make_pair((9,), dtype, 3)
        run_both(lambda m, a: a.fill_(m.tensor(300.0 if dtype != "int32" else 5e9)), [y], [ty])


# ---- embedding ----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_embedding_matches_torch(dtype):
    for k, (ishape, v, d) in enumerate((((), 5, 3), ((0,), 4, 2), ((7,), 1, 1),
                                        ((2, 3), 11, 17), ((4, 1, 5), 50, 64),
                                        ((129,), 97, 5))):
        w, tw = make_pair((v, d), dtype, k, LAYOUTS[k % len(LAYOUTS)])
        for idt in (torch.int64, torch.int32):
            ti = torch.randint(0, v, ishape, generator=torch.Generator().manual_seed(k)).to(idt)
            got = wt.embedding(to_wt(ti), w)
            assert_same(got, F.embedding(ti, tw))


def test_embedding_large_table_rows():
    tw = torch.randn(1000, 576)
    ti = torch.randint(0, 1000, (3, 130))
    assert_same(wt.embedding(to_wt(ti), to_wt(tw)), F.embedding(ti, tw))
    assert_same(wt.embedding(to_wt(ti[:, ::2]), to_wt(tw)), F.embedding(ti[:, ::2], tw))


def test_embedding_padding_idx_and_errors():
    tw = torch.randn(6, 3)
    w = to_wt(tw)
    ti = torch.tensor([[0, 2], [5, 1]])
    i = to_wt(ti)
    for p in (0, 2, -1, -6, 5):
        assert_same(wt.embedding(i, w, padding_idx=p), F.embedding(ti, tw, padding_idx=p))
        assert_same(wt.embedding(i, w, p), F.embedding(ti, tw, p))

    def emb(m, *a, **k):
        return (F.embedding if m is torch else wt.embedding)(*a, **k)

    def t(m, data, dtype=None):
        return m.tensor(data, dtype=getattr(m, dtype) if dtype else None)

    raises_like_torch(lambda m: emb(m, t(m, [0, 6]), t(m, tw.tolist())), "index out of range")
    raises_like_torch(lambda m: emb(m, t(m, [-1]), t(m, tw.tolist())), "index out of range")
    raises_like_torch(lambda m: emb(m, t(m, [-1], "int32"), t(m, tw.tolist())),
                      "index out of range")
    raises_like_torch(lambda m: emb(m, t(m, [0.0]), t(m, tw.tolist())),
                      "Expected tensor for argument #1 'indices'", "FloatTensor")
    raises_like_torch(lambda m: emb(m, t(m, [1], "int16"), t(m, tw.tolist())), "ShortTensor")
    raises_like_torch(lambda m: emb(m, t(m, [True]), t(m, tw.tolist())), "CPUBoolType")
    raises_like_torch(lambda m: emb(m, t(m, [0]), t(m, [1.0, 2.0])), "'weight' must be 2-D")
    raises_like_torch(lambda m: emb(m, t(m, [0]), t(m, tw.tolist()), padding_idx=6),
                      "Padding_idx must be within num_embeddings")
    raises_like_torch(lambda m: emb(m, t(m, [0]), t(m, tw.tolist()), padding_idx=-7),
                      "Padding_idx must be within num_embeddings")
    raises_like_torch(lambda m: emb(m, [0], t(m, tw.tolist())), "argument 'indices'")
    raises_like_torch(lambda m: emb(m, t(m, [0]), [[1.0]]), "argument 'weight'")
    raises_like_torch(lambda m: emb(m, t(m, [0, 7]), t(m, tw.tolist()), max_norm=1.0),
                      "select(): index 7 out of range")
    raises_like_torch(lambda m: emb(m, t(m, [0]), t(m, [[1, 2]]), max_norm=1.0),
                      "norm(): input dtype should be either floating point")
    assert_same(w, tw)       # no error above wrote anything


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3, float("inf"), 0.5])
def test_embedding_max_norm_renormalises_weight_in_place(norm_type):
    g = torch.Generator().manual_seed(7 if norm_type == float("inf") else int(norm_type * 10))
    for dtype in (torch.float32, torch.float16):
        tw = (torch.randn(7, 5, generator=g) * 3).to(dtype)
        w = to_wt(tw)
        ti = torch.tensor([[1, 1, 6], [3, 0, 6]])
        want = F.embedding(ti, tw, max_norm=1.5, norm_type=norm_type)
        got = wt.embedding(to_wt(ti), w, max_norm=1.5, norm_type=norm_type)
        tol = 1e-6 if dtype is torch.float32 else 2e-3
        assert_same(got, want, rtol=tol, atol=tol)
        assert_same(w, tw, rtol=tol, atol=tol)      # the rows of weight changed like torch's


# ---- index_select ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_index_select_dims_layouts(dtype):
    for k, layout in enumerate(LAYOUTS):
        x, tx = make_pair((5, 6, 7), dtype, k, layout)
        for dim in (0, 1, 2, -1):
            n = tx.shape[dim]
            for idt in (torch.int64, torch.int32):
                ti = torch.randint(0, n, (9,), generator=torch.Generator().manual_seed(k)) \
                    .to(idt)
                run_both(lambda m, a, b: m.index_select(a, dim, b), [x, to_wt(ti)], [tx, ti])
            for bad in ([0, n], [1, -2, n + 3]):
                tb = torch.tensor(bad)
                we, te = raises_like_torch(lambda m: m.index_select(
                    x if m is wt else tx, dim, to_wt(tb) if m is wt else tb))
                assert str(we) == str(te)


# ---- where / masked_fill --------------------------------------------------------------------
SHAPES = (((3, 5), (3, 5), (3, 5)), ((3, 5), (), (3, 5)), ((3, 1), (5,), ()),
          ((2, 3, 4), (3, 1), (2, 1, 4)), ((4, 1, 6), (1, 5, 1), (5, 6)), ((0, 3), (3,), ()),
          ((1,), (2, 70), (70,)), ((130,), (130,), (1,)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_where_broadcasts(dtype):
    for k, (sc, sa, sb) in enumerate(SHAPES):
        c, tc = make_pair(sc, "bool", k, LAYOUTS[k % len(LAYOUTS)] if sc else "contig")
        a, ta = make_pair(sa, dtype, k + 1, "transposed" if len(sa) > 1 else "contig")
        b, tb = make_pair(sb, dtype, k + 2, "stepped" if sb else "contig", special=True)
        run_both(lambda m, x, y, z: m.where(x, y, z), [c, a, b], [tc, ta, tb])


@pytest.mark.parametrize("dtype", DTYPES)
def test_masked_fill(dtype):
    v = True if dtype == "bool" else -7 if dtype not in ("float32", "float64", "float16",
                                                          "bfloat16") else float("-inf")
    for k, (sx, sm) in enumerate((((4, 9), (4, 9)), ((4, 9), (9,)), ((2, 3, 9), (3, 1)),
                                  ((9,), (4, 9)), ((0, 2), (2,)), ((), ()))):
        x, tx = make_pair(sx, dtype, k, LAYOUTS[k % len(LAYOUTS)] if sx else "contig")
        mk, tm = make_pair(sm, "bool", k + 3)
        run_both(lambda m, a, b: a.masked_fill(b, v), [x, mk], [tx, tm])
        if tuple(sx) == tuple(torch.broadcast_shapes(sx, sm)):
            xc, txc = make_pair(sx, dtype, k)
            run_both(lambda m, a, b: a.masked_fill_(b, v), [xc, mk], [txc, tm])


# ---- int64 arithmetic ---------------------------------------------------------------------
@pytest.mark.parametrize("op", ["add", "sub", "mul", "maximum", "minimum", "eq", "ne", "lt",
                                "le", "gt", "ge"])
def test_int64_binary(op):
    for k, (sa, sb) in enumerate((((5, 7), (5, 7)), ((5, 7), (7,)), ((5, 1), (1, 7)),
                                  ((2, 3, 4), (3, 1)), ((70,), ()), ((0, 3), (3,)))):
        a, ta = make_pair(sa, "int64", k, LAYOUTS[k % len(LAYOUTS)], wide=True)
        b, tb = make_pair(sb, "int64", k + 1, wide=k % 2 == 0)
        run_both(lambda m, x, y: getattr(m, op)(x, y), [a, b], [ta, tb])
        if op not in ("maximum", "minimum"):     # torch takes no scalar there
            run_both(lambda m, x: getattr(m, op)(x, 3), [a], [ta])
    x, tx = make_pair((4, 4), "int64", 9, wide=True)
    run_both(lambda m, p: p.add_(p), [x], [tx])                  # in place on itself


# ---- transposing copies -------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_transpose_contiguous(dtype):
    for shape, perm in (((37, 65), (1, 0)), ((3, 33, 5), (0, 2, 1)), ((2, 5, 6, 7), (0, 2, 3, 1)),
                        ((1, 40), (1, 0)), ((64, 64), (1, 0))):
        x, tx = make_pair(shape, dtype, len(shape))
        run_both(lambda m, a: a.permute(*perm).contiguous(), [x], [tx])


# ---- narrow rows and masked rows (the resampling cells of issue 15) -------------------------
@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_narrow_row_gathers_like_torch(dtype):
    """index_select along the last dim (16-byte blocks swizzled from a plan, the others and the
    tail element by element), nearest upsampling, gather along the last dim in blocks of 1024
    indices, and a later block's bad index raising torch's error."""
    x, tx = make_pair((3, 4, 37), dtype, 1, special=True)
    for idx in ([j * 37 // 80 for j in range(80)], [36 - j // 3 for j in range(50)],
                [(7 * j) % 37 for j in range(45)], [j * 2 for j in range(18)]):
        i, ti = to_wt(torch.tensor(idx)), torch.tensor(idx)
        run_both(lambda m, a, b: m.index_select(a, -1, b), [x, i], [tx, ti])
        run_both(lambda m, a, b: m.index_select(a, 1, b.clamp(max=3)), [x, i], [tx, ti])
    if dtype != "bool":
        run_both(lambda m, a: m.nn.functional.interpolate(a, scale_factor=2), [x], [tx])
        y, ty = make_pair((2, 3, 5, 9), dtype, 2)
        run_both(lambda m, a: m.nn.functional.interpolate(a, size=(7, 20)), [y], [ty])
    g, tg = make_pair((3, 2500), dtype, 3)
    ti = torch.randint(0, 2500, (3, 2100), generator=torch.Generator().manual_seed(0))
    run_both(lambda m, a, b: m.gather(a, 1, b), [g, to_wt(ti)], [tg, ti])
    ti[2, 1500] = 2500
    raises_like_torch(lambda m: (g if m is wt else tg).gather(1, to_wt(ti) if m is wt else ti),
                      "out of bounds")


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_pixel_shuffle_and_tri_rows_like_torch(dtype):
    """pixel_shuffle's zipped rows (vectors and a tail) and tril / triu's copied and zeroed
    row parts, batched, at every diagonal that cuts a row or none."""
    x, tx = make_pair((2, 8, 3, 37), dtype, 4, special=True)
    run_both(lambda m, a: m.nn.functional.pixel_shuffle(a, 2), [x], [tx])
    run_both(lambda m, a: m.nn.functional.pixel_shuffle(a.transpose(-1, -2), 2), [x], [tx])
    y, ty = make_pair((2, 5, 37), dtype, 5, special=True)
    for op in ("tril", "triu"):
        for d in (-40, -6, -2, 0, 3, 20, 36, 40):
            run_both(lambda m, a: getattr(m, op)(a, d), [y], [ty])
        run_both(lambda m, a: getattr(m, op)(a.transpose(-1, -2), 1), [y], [ty])
