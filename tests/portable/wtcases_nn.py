"""Cases of wtcases.cases(): pad / interpolate, losses, aliases, nn ops (conv, pool,
activations), norms and attention. Stdlib only (runs inside Pyodide)."""
from wtcheck import DTYPES, FLOATS, LAYOUTS, spec
from wtcases_base import UNARY, T, _layout


def _pad_interpolate(c, grid):
    """nn.functional.pad and interpolate (ops/pad.py, ops/resize.py)."""
    x = spec((1, 2, 3, 4), "float32", 1)
    c.add("pad", [x], args=[T(0), [1, 2]], tag="const-last")
    c.add("pad", [spec((2, 3, 4), "int64", 2, "transposed")], args=[T(0), [2, -1, -1, 1]],
          kwargs={"value": 1.5}, tag="const-crop-int")
    c.add("pad", [spec((2, 3), "bool", 3)], args=[T(0), [1, 0, 0, 1]], kwargs={"value": 1},
          tag="const-bool")
    for mode in ("reflect", "replicate", "circular"):
        c.add("pad", [x], args=[T(0), [2, 1, 1, 2]], kwargs={"mode": mode}, tag=mode)
        c.add("pad", [spec((2, 5), "float32", 4, "stepped")], args=[T(0), [3, -1]],
              kwargs={"mode": mode}, tag=f"{mode}-unbatched-1d")
    c.add("pad", [spec((1, 1, 2, 2, 3), "float64", 5)], args=[T(0), [1, 1, 1, 0, 1, 1]],
          kwargs={"mode": "replicate"}, tag="replicate-3d")
    c.add("pad", [x], args=[T(0), [4, 0]], kwargs={"mode": "reflect"}, tag="reflect-too-big")
    c.add("pad", [x], args=[T(0), [1]], tag="odd-length")
    c.add("pad", [spec((1, 2, 3), "bool")], args=[T(0), [1, 1]], kwargs={"mode": "replicate"},
          tag="replicate-bool")
    y = spec((1, 2, 3, 4), "float32", 6)
    c.add("interpolate", [y], kwargs={"scale_factor": 2}, tag="nearest-x2")
    c.add("interpolate", [y], kwargs={"size": [5, 3], "mode": "nearest-exact"}, tag="exact")
    c.add("interpolate", [y], kwargs={"size": [5, 7], "mode": "bilinear"}, tag="bilinear")
    c.add("interpolate", [y], kwargs={"scale_factor": [1.5, 0.75], "mode": "bilinear",
                                      "align_corners": True}, tag="bilinear-corners")
    c.add("interpolate", [spec((2, 3, 5), "float32", 7, "transposed")],
          kwargs={"scale_factor": 1.7, "mode": "linear"}, tag="linear-scale")
    c.add("interpolate", [spec((1, 1, 2, 3, 2), "float64", 8)],
          kwargs={"size": 3, "mode": "trilinear"}, tag="trilinear")
    c.add("interpolate", [spec((1, 2, 5, 7), "float32", 9)], kwargs={"size": [2, 3],
                                                                     "mode": "area"},
          tag="area")
    c.add("interpolate", [spec((1, 2, 3, 4), "uint8", 10)], kwargs={"scale_factor": 1.5},
          tag="uint8")
    c.add("interpolate", [y], kwargs={"size": [5, 6], "mode": "bicubic"}, tag="bicubic")
    c.add("interpolate", [spec((1, 1, 4, 3), "float64", 11)],
          kwargs={"scale_factor": 0.7, "mode": "bicubic", "align_corners": True},
          tag="bicubic-corners")
    c.add("interpolate", [spec((1, 2, 9, 11), "float32", 12)],
          kwargs={"size": [4, 3], "mode": "bilinear", "antialias": True}, tag="antialias")
    c.add("interpolate", [spec((1, 1, 5, 8), "float32", 13)],
          kwargs={"scale_factor": 0.5, "mode": "bicubic", "antialias": True},
          tag="antialias-bicubic")
    c.add("interpolate", [y], kwargs={"size": 3, "mode": "linear"}, tag="linear-4d")
    c.add("upsample", [y], args=[T(0), None, 1.5, "bilinear"], tag="deprecated-alias")
    c.add("interpolate", [y], kwargs={"size": 0}, tag="size-0")
    if not grid:
        return
    for j, dt in enumerate(DTYPES):
        lay = _layout(j)
        for mode in ("constant", "reflect", "replicate", "circular"):
            c.add("pad", [spec((2, 3, 5, 19), dt, j, lay)], args=[T(0), [3, 2, 1, -1]],
                  kwargs={"mode": mode}, tag=f"{mode}-{dt}-{lay}")
        if dt in FLOATS or dt == "uint8":
            for k, kw in enumerate(({"scale_factor": 2}, {"size": [7, 33]},
                                    {"size": [3, 11], "mode": "nearest-exact"})):
                c.add("interpolate", [spec((2, 3, 5, 19), dt, j, lay)], kwargs=kw,
                      tag=f"nearest{k}-{dt}-{lay}")
        if dt in FLOATS:
            tol = (2e-2, 1e-1) if dt in ("float16", "bfloat16") else None
            for k, kw in enumerate(({"size": [9, 41]}, {"scale_factor": 0.6},
                                    {"size": [4, 30], "align_corners": True})):
                c.add("interpolate", [spec((2, 3, 5, 19), dt, j, lay)],
                      kwargs=dict(kw, mode="bilinear"), tag=f"bilinear{k}-{dt}-{lay}", tol=tol)
            c.add("interpolate", [spec((2, 3, 6, 19), dt, j, lay)],
                  kwargs={"size": [4, 7], "mode": "area"}, tag=f"area-{dt}-{lay}", tol=tol)
            c.add("interpolate", [spec((2, 3, 5, 19), dt, j, lay)],
                  kwargs={"size": [8, 27], "mode": "bicubic"}, tag=f"bicubic-{dt}-{lay}",
                  tol=tol)
            if dt in ("float32", "float64"):   # torch has no half-precision antialias
                c.add("interpolate", [spec((2, 3, 9, 37), dt, j, lay)],
                      kwargs={"size": [4, 10], "mode": "bilinear", "antialias": True},
                      tag=f"antialias-{dt}-{lay}")


def _losses(c, grid):
    """cross_entropy, nll_loss and the other losses (ops/loss.py)."""
    x, t = spec((3, 4), "float32", 1), spec((3,), "int64", 2, domain="idx4")
    w = spec((4,), "float32", 3, domain="pos")
    c.add("cross_entropy", [x, t], tag="mean")
    c.add("cross_entropy", [x, t, w], args=[T(0), T(1)],
          kwargs={"weight": T(2), "reduction": "none", "label_smoothing": 0.2}, tag="weighted")
    c.add("cross_entropy", [x, spec((3,), "int64", data=[1, -100, 3])],
          kwargs={"label_smoothing": 0.1}, tag="ignored")
    c.add("cross_entropy", [spec((2, 4, 3), "float64", 4, "transposed"),
                            spec((2, 3), "int64", 5, domain="idx4")],
          kwargs={"reduction": "sum", "ignore_index": 1}, tag="spatial")
    c.add("cross_entropy", [x, spec((3, 4), "float32", 6, domain="pos")],
          kwargs={"label_smoothing": 0.3}, tag="probs")
    c.add("cross_entropy", [spec((5,), "float32", 7), spec((), "int64", data=[2])],
          tag="unbatched")
    c.add("cross_entropy", [x, spec((3,), "int64", data=[0, 4, 1])], tag="out-of-bounds")
    c.add("cross_entropy", [x, spec((3,), "int32", 2, domain="idx4")], tag="int32-target")
    c.add("nll_loss", [x, t], tag="mean")
    c.add("nll_loss", [spec((2, 4, 2, 3), "float32", 8), spec((2, 2, 3), "int64", 9,
                                                                domain="idx4"), w],
          args=[T(0), T(1), T(2)], kwargs={"reduction": "none"}, tag="2d-weighted")
    c.add("nll_loss", [x, spec((3,), "int64", data=[-100, -100, -100])], tag="all-ignored")
    c.add("nll_loss", [x, spec((2,), "int64", data=[0, 1])], tag="batch-mismatch")
    a, b = spec((2, 3), "float32", 10), spec((2, 3), "float32", 11, "transposed")
    for op in ("mse_loss", "l1_loss", "smooth_l1_loss"):
        for red in ("mean", "sum", "none"):
            c.add(op, [a, b], kwargs={"reduction": red}, tag=red)
        c.add(op, [a, spec((3,), "float64", 12)], tag="broadcast")
    c.add("smooth_l1_loss", [a, b], kwargs={"beta": 0.3}, tag="beta")
    c.add("huber_loss", [a, b], kwargs={"delta": 0.7, "reduction": "sum"}, tag="delta")
    c.add("huber_loss", [a, b, spec((2, 3), "float32", 13, domain="pos")], args=[T(0), T(1)],
          kwargs={"weight": T(2), "reduction": "none"}, tag="weighted")
    c.add("kl_div", [spec((2, 3), "float32", 14, domain="unit"),
                     spec((2, 3), "float32", 15, domain="pos")],
          kwargs={"reduction": "batchmean"}, tag="batchmean")
    c.add("kl_div", [a, b], kwargs={"reduction": "none", "log_target": True}, tag="log-target")
    c.add("mse_loss", [a, b, spec((2, 3), "float32", 13, domain="pos")],
          args=[T(0), T(1)], kwargs={"weight": T(2)}, tag="weighted")
    c.add("l1_loss", [spec((2, 3), "int64", 1), spec((2, 3), "int64", 2)],
          kwargs={"reduction": "sum"}, tag="int")
    p = spec((2, 3), "float32", data=[0.25, 0.5, 0.75, 0.0, 1.0, 0.125])
    q = spec((2, 3), "float32", data=[1.0, 0.5, 0.0, 0.25, 0.0, 1.0])
    c.add("binary_cross_entropy", [p, q], tag="mean")
    c.add("binary_cross_entropy", [p, q, spec((3,), "float32", 3, domain="pos")],
          args=[T(0), T(1), T(2)], kwargs={"reduction": "none"}, tag="weighted")
    c.add("binary_cross_entropy", [q, spec((2, 3), "float32", 3)], tag="out-of-range")
    c.add("binary_cross_entropy_with_logits", [spec((2, 3), "float32", 14, domain="wide"), q],
          tag="mean")
    c.add("binary_cross_entropy_with_logits",
          [spec((2, 3), "float32", 15), q, spec((2, 3), "float32", 16, domain="pos"),
           spec((3,), "float32", 17, domain="pos")], args=[T(0), T(1)],
          kwargs={"weight": T(2), "pos_weight": T(3), "reduction": "sum"}, tag="pos-weight")
    c.add("binary_cross_entropy_with_logits", [a, spec((3,), "float32")], tag="size-mismatch")
    if not grid:
        return
    for j, dt in enumerate(("float32", "float64")):
        for k, lay in enumerate(LAYOUTS):
            xs = spec((6, 37), dt, j + k, lay)
            ts = spec((6,), "int64", k, domain="idx5")
            c.add("cross_entropy", [xs, ts], kwargs={"label_smoothing": 0.1},
                  tag=f"{dt}-{lay}")
            c.add("nll_loss", [xs, ts], kwargs={"reduction": "sum"}, tag=f"{dt}-{lay}")
            for op in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"):
                c.add(op, [xs, spec((6, 37), dt, k + 5)], tag=f"{dt}-{lay}")
            c.add("kl_div", [xs, spec((6, 37), dt, k + 5, domain="pos")],
                  kwargs={"reduction": "sum"}, tag=f"{dt}-{lay}")
            c.add("binary_cross_entropy_with_logits",
                  [xs, spec((6, 37), dt, k + 2, domain="unit")], tag=f"{dt}-{lay}")


def _aliases(c):
    aliases = {"negative": "neg", "multiply": "mul", "subtract": "sub", "divide": "div",
               "true_divide": "div", "greater": "gt", "less": "lt", "greater_equal": "ge",
               "less_equal": "le", "not_equal": "ne", "clip": "clamp", "arctan2": "atan2",
               "absolute": "abs", "fmax": "maximum", "fmin": "minimum"}
    for alias, target in aliases.items():
        if target in UNARY:
            c.add(alias, [spec((2, 3), "float32", 1)])
        elif target == "clamp":
            c.add(alias, [spec((2, 3), "float32", 1)], args=[T(0), -1.0, 1.0])
        else:
            c.add(alias, [spec((2, 3), "float32", 1), spec((3,), "float32", 2, domain="nonzero")])
    c.add("fmax", [spec((9,), "float32", domain="special"),
                   spec((9,), "float32", 4, "offset", "special")], tag="special")
    c.add("fmin", [spec((9,), "float32", domain="special"),
                   spec((9,), "float32", 4, "offset", "special")], tag="special")


def _nn(c, grid):
    """conv1d/conv2d and pooling (NCHW). Golden: small shapes; the grid adds layouts, dtypes
    and rows wide enough for the kernels' vector loops."""
    x, w, b = spec((1, 2, 4, 5), "float32", 1), spec((3, 2, 2, 2), "float32", 2), \
        spec((3,), "float32", 3)
    c.add("conv2d", [x, w, b], kwargs={"padding": 1}, tag="pad1-bias")
    c.add("conv2d", [x, w], kwargs={"stride": [2, 1], "dilation": [1, 2]}, tag="stride-dil")
    c.add("conv2d", [x, w], kwargs={"padding": "same"}, tag="same-even")
    c.add("conv2d", [spec((2, 3, 5, 5), "float32", 4), spec((6, 1, 3, 3), "float32", 5)],
          kwargs={"groups": 3, "padding": 1}, tag="depthwise-x2")
    c.add("conv2d", [spec((4, 4, 3), "float32", 4), spec((2, 2, 1, 1), "float32", 5)],
          kwargs={"groups": 2}, tag="unbatched-grouped-1x1")
    c.add("conv2d", [spec((1, 2, 4, 5), "int64", 1), spec((3, 2, 2, 2), "int64", 2)],
          tag="int64")
    c.add("conv2d", [x, spec((3, 3, 2, 2), "float32", 2)], tag="channel-mismatch")
    c.add("conv2d", [x, w], kwargs={"padding": "same", "stride": 2}, tag="same-strided")
    c.add("conv1d", [spec((2, 2, 7), "float32", 1), spec((3, 2, 3), "float32", 2),
                     spec((3,), "float32", 3)], kwargs={"padding": "same"}, tag="same-bias")
    c.add("conv1d", [spec((2, 7), "float32", 1), spec((2, 1, 2), "float32", 2)],
          kwargs={"groups": 2, "stride": 2}, tag="unbatched-depthwise")
    p = spec((1, 2, 5, 6), "float32", 6, domain="special")
    c.add("max_pool2d", [p], args=[T(0), 2], tag="k2")
    c.add("max_pool2d", [p], args=[T(0), 3, 2, 1], kwargs={"ceil_mode": True},
          tag="k3s2p1-ceil")
    c.add("max_pool2d", [spec((2, 5, 6), "float32", 7)], args=[T(0), [2, 3]],
          kwargs={"stride": 1, "dilation": [2, 1], "return_indices": True}, tag="indices")
    c.add("max_pool2d", [spec((1, 2, 5, 6), "int64", 6)], args=[T(0), 2], tag="int64")
    c.add("max_pool2d", [spec((1, 2, 5, 6), "bool", 6)], args=[T(0), 2], tag="bool")
    c.add("max_pool2d", [p], args=[T(0), 3, 1, 2], tag="pad-too-big")
    c.add("avg_pool2d", [spec((1, 2, 5, 6), "float32", 8)], args=[T(0), 3, 2, 1],
          kwargs={"count_include_pad": False, "ceil_mode": True}, tag="no-pad-count")
    c.add("avg_pool2d", [spec((1, 2, 5, 6), "float32", 8)], args=[T(0), 2],
          kwargs={"divisor_override": 3}, tag="divisor")
    c.add("avg_pool2d", [spec((1, 2, 5, 6), "int64", 8)], args=[T(0), 3, 2, 1], tag="int64")
    c.add("avg_pool2d", [spec((1, 2, 5, 6), "int32", 8)], args=[T(0), 2], tag="int32")
    c.add("adaptive_avg_pool2d", [spec((1, 2, 5, 7), "float32", 9)], args=[T(0), [None, 3]],
          tag="none-3")
    c.add("adaptive_avg_pool2d", [spec((2, 5, 7), "float32", 9)], args=[T(0), 1],
          tag="global")
    c.add("adaptive_max_pool2d", [spec((1, 2, 5, 7), "float32", 9, domain="special")],
          args=[T(0), [3, 2], True], tag="indices")
    c.add("max_pool1d", [spec((2, 2, 9), "float32", 10)], args=[T(0), 3, 2, 1],
          kwargs={"ceil_mode": True}, tag="ceil")
    c.add("max_pool1d", [spec((2, 9), "float32", 10)], args=[T(0), 2],
          kwargs={"return_indices": True}, tag="indices")
    c.add("avg_pool1d", [spec((2, 2, 9), "float32", 11)], args=[T(0), 3, 2, 1], tag="pad")
    if not grid:
        return
    for j, dt in enumerate(("float32", "float64", "float16", "bfloat16", "int64", "int32")):
        lay = _layout(j)
        c.add("conv2d", [spec((2, 4, 6, 13), dt, j, lay), spec((6, 2, 3, 3), dt, j + 1),
                         spec((6,), dt, j + 2)], kwargs={"groups": 2, "padding": 1},
              tag=f"{dt}-{lay}", tol=(2e-2, 1e-1) if dt in ("float16", "bfloat16") else None)
        c.add("conv2d", [spec((1, 4, 9, 21), dt, j, lay), spec((4, 1, 3, 3), dt, j + 1)],
              kwargs={"groups": 4, "stride": [1, 2], "padding": 1}, tag=f"dw-{dt}-{lay}",
              tol=(2e-2, 1e-1) if dt in ("float16", "bfloat16") else None)
        c.add("conv1d", [spec((2, 3, 17), dt, j, lay), spec((4, 3, 1), dt, j + 1)],
              tag=f"1x1-{dt}-{lay}", tol=(2e-2, 1e-1) if dt in ("float16", "bfloat16") else None)
        for k, s_, p_ in ((2, None, 0), (3, 2, 1), (3, 1, 1)):
            c.add("max_pool2d", [spec((2, 3, 7, 19), dt, j, lay, "special")],
                  args=[T(0), k, s_, p_], kwargs={"return_indices": k == 3},
                  tag=f"{dt}-{lay}-k{k}")
            if dt != "int32":
                c.add("avg_pool2d", [spec((2, 3, 7, 19), dt, j, lay)],
                      args=[T(0), k, s_, p_], tag=f"{dt}-{lay}-k{k}")
        if dt not in ("int64", "int32"):
            for osz in (1, [3, 4], [7, 19], [None, 5]):
                c.add("adaptive_avg_pool2d", [spec((2, 3, 7, 19), dt, j, lay)],
                      args=[T(0), osz], tag=f"{dt}-{lay}-{osz}")
                c.add("adaptive_max_pool2d", [spec((2, 3, 7, 19), dt, j, lay, "special")],
                      args=[T(0), osz, True], tag=f"{dt}-{lay}-{osz}")


def _norm_attention(c, grid):
    """layer_norm, rms_norm, group_norm, scaled_dot_product_attention."""
    half = {"float16": (2e-3, 4e-3), "bfloat16": (2e-2, 4e-2)}
    for k, dt in enumerate(FLOATS if grid else ("float32",)):
        lay = _layout(k)
        c.add("layer_norm", [spec((2, 3, 5), dt, 1, lay), spec((5,), dt, 2), spec((5,), dt, 3)],
              args=[T(0), [5], T(1), T(2)], tag=dt, tol=half.get(dt))
        c.add("layer_norm", [spec((3, 2, 4), dt, 4, lay)], args=[T(0), [2, 4]], tag=dt + "-2d",
              tol=half.get(dt))
        c.add("rms_norm", [spec((2, 3, 6), dt, 5, lay), spec((6,), dt, 6)],
              args=[T(0), [6], T(1)], tag=dt, tol=half.get(dt))
        c.add("group_norm", [spec((2, 4, 3), dt, 7, lay), spec((4,), dt, 8), spec((4,), dt, 9)],
              args=[T(0), 2, T(1), T(2)], tag=dt, tol=half.get(dt))
        c.add("scaled_dot_product_attention",
              [spec((2, 3, 5), dt, 1, lay), spec((2, 4, 5), dt, 2), spec((2, 4, 3), dt, 3)],
              tag=dt, tol=half.get(dt))
    sd = "scaled_dot_product_attention"
    c.add("layer_norm", [spec((3, 7), "float32", 2, domain="special")], args=[T(0), [7]],
          kwargs={"eps": 1e-3}, tag="special")
    c.add("layer_norm", [spec((0, 4), "float32")], args=[T(0), [4]], tag="empty")
    c.add("layer_norm", [spec((2, 3), "float32")], args=[T(0), [4]], tag="bad-shape")
    c.add("layer_norm", [spec((2, 3), "int64")], args=[T(0), [3]], tag="int")
    c.add("rms_norm", [spec((4, 9), "float32", 3, "stepped")], args=[T(0), [9]],
          kwargs={"eps": 0.25}, tag="eps")
    c.add("rms_norm", [spec((2, 3), "float32"), spec((2,), "float32")], args=[T(0), [3], T(1)],
          tag="bad-weight")
    c.add("group_norm", [spec((2, 6, 2, 2), "float32", 4, "transposed")], args=[T(0), 3],
          tag="4d")
    c.add("group_norm", [spec((2, 6), "float32", 4)], args=[T(0), 4], tag="indivisible")
    c.add(sd, [spec((2, 2, 3, 4), "float32", 1), spec((2, 1, 6, 4), "float32", 2),
               spec((2, 1, 6, 3), "float32", 3), spec((3, 6), "bool", 4)],
          args=[T(0), T(1), T(2), T(3)], tag="bool-mask")
    c.add(sd, [spec((2, 3, 4), "float32", 1), spec((2, 6, 4), "float32", 2),
               spec((2, 6, 3), "float32", 3), spec((1, 3, 6), "float32", 4)],
          args=[T(0), T(1), T(2)], kwargs={"attn_mask": T(3), "scale": 0.5}, tag="float-mask")
    c.add(sd, [spec((1, 4, 5, 3), "float32", 1), spec((1, 2, 7, 3), "float32", 2),
               spec((1, 2, 7, 2), "float32", 3, "stepped")],
          kwargs={"is_causal": True, "enable_gqa": True}, tag="causal-gqa")
    c.add(sd, [spec((3, 2), "float32", 1), spec((3, 2), "float32", 2),
               spec((3, 2), "float32", 3), spec((3, 3), "float32",
                                                data=["-inf"] * 3 + [0.0] * 6)],
          args=[T(0), T(1), T(2), T(3)], tag="fully-masked")
    c.add(sd, [spec((3, 4), "float32"), spec((5, 4), "float32"), spec((5, 2), "float32")],
          kwargs={"is_causal": True, "attn_mask": T(0)}, tag="mask-and-causal")
    c.add(sd, [spec((3, 4), "float32"), spec((5, 3), "float32"), spec((5, 2), "float32")],
          tag="bad-E")
    if grid:
        for k, (L, S, E) in enumerate(((1, 1, 1), (5, 70, 7), (9, 3, 16), (0, 3, 2), (2, 0, 3))):
            c.add(sd, [spec((2, L, E), "float32", k), spec((2, S, E), "float32", k + 1, "offset"),
                       spec((2, S, 5), "float32", k + 2, "transposed")], tag=f"{L}x{S}x{E}")
            c.add(sd, [spec((2, L, E), "float32", k), spec((2, S, E), "float32", k + 1),
                       spec((2, S, 5), "float32", k + 2)], kwargs={"is_causal": True},
                  tag=f"causal-{L}x{S}x{E}")
        for k, (L, S, E) in enumerate(((5, 70, 7), (3, 1, 4))):     # float64's own kernel
            c.add(sd, [spec((2, 2, L, E), "float64", k, "transposed"),
                       spec((2, 1, S, E), "float64", k + 1, "offset"),
                       spec((2, 1, S, 3), "float64", k + 2)],
                  kwargs={"is_causal": True, "enable_gqa": True}, tag=f"f64-{L}x{S}x{E}")
        c.add(sd, [spec((2, 3, 4), "float64", 1), spec((2, 6, 4), "float64", 2),
                   spec((2, 6, 3), "float64", 3), spec((3, 6), "bool", 4)],
              args=[T(0), T(1), T(2), T(3)], tag="f64-bool-mask")
        for n in (1, 4, 13, 600):
            c.add("layer_norm", [spec((3, n), "float32", n, "offset"), spec((n,), "float32", 1)],
                  args=[T(0), [n], None, T(1)], tag=f"n{n}")
            c.add("rms_norm", [spec((3, n), "float32", n, "expanded")], args=[T(0), [n]],
                  tag=f"n{n}")
