"""F.grid_sample for 4-D inputs (bilinear / nearest; zeros / border / reflection padding):
coordinates unnormalised as torch does, then the taps gathered from the flattened image and
weighted (so gradients reach both the input and the grid). Where the device has the
grid_sample primitive (the WASM kernel: bilinear / nearest) one call does it; the
decomposition is its reference and its gradient (float16 / bfloat16 computed in float32 and
rounded once, as the kernel does)."""
from .. import _dtype as D
from .._dispatch import dispatch, provides
from .._tensor import Tensor
from .elementwise import binary, fmod, where


def _unnormalize(coord, size, align_corners):
    if align_corners:
        return (coord + 1) * ((size - 1) / 2)
    return ((coord + 1) * size - 1) / 2


def _reflect(x, twice_low, twice_high):
    if twice_low == twice_high:
        return x * 0
    lo, span = twice_low / 2, (twice_high - twice_low) / 2
    x = (x - lo).abs()
    extra = fmod(x, span)
    flips = (x / span).floor()
    even = binary("eq", fmod(flips, 2), 0)
    return where(even, extra + lo, span - extra + lo)


def _source(coord, size, padding_mode, align_corners):
    x = _unnormalize(coord, size, align_corners)
    if padding_mode == "border":
        x = x.clamp(0, size - 1)
    elif padding_mode == "reflection":
        x = _reflect(x, 0, 2 * (size - 1)) if align_corners else _reflect(x, -1, 2 * size - 1)
        x = x.clamp(0, size - 1)
    return x


def _tap(flat, ix, iy, h, w):
    """flat (N, C, H*W) at integer float coordinates (N, Ho, Wo): (N, C, Ho, Wo), 0 outside."""
    n, c = flat.shape[:2]
    inside = binary("logical_and", binary("logical_and", ix >= 0, ix <= w - 1),
                    binary("logical_and", iy >= 0, iy <= h - 1))
    idx = (iy.clamp(0, h - 1) * w + ix.clamp(0, w - 1)).to(D.int64)
    ho, wo = ix.shape[1:]
    v = flat.gather(2, idx.reshape(n, 1, ho * wo).expand(n, c, ho * wo)).reshape(n, c, ho, wo)
    return where(inside.unsqueeze(1), v, 0.0)


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', "
                         f"'nearest' or 'bicubic', but got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                         f"'border', or 'reflection', but got: '{padding_mode}'")
    if input.dim() != 4 or mode == "bicubic":
        raise NotImplementedError("webtensor: grid_sample supports 4-D inputs with bilinear or "
                                  "nearest mode")
    if grid.dim() != 4 or grid.shape[-1] != 2 or grid.shape[0] != input.shape[0]:
        raise RuntimeError("grid_sampler(): expected grid to have size 2 in last dimension and "
                           "the same batch size as input, but got grid with sizes "
                           f"{list(grid.shape)}")
    if input.dtype.category != 2:
        raise NotImplementedError(f"\"grid_sampler_2d_cpu_kernel_impl\" not implemented for "
                                  f"'{D.TNAME[input.dtype.name]}'")
    if grid.dtype is not input.dtype:
        raise RuntimeError(f"expected scalar type {D.TNAME[input.dtype.name]} but found "
                           f"{D.TNAME[grid.dtype.name]}")
    g = grid
    if provides("grid_sample", input.device) and input.device == grid.device:
        n, c = input.shape[:2]
        out = Tensor._empty((n, c) + tuple(grid.shape[1:3]), input.dtype, input.device)
        dispatch("grid_sample", out, input, g, mode, padding_mode, bool(align_corners))
        return out
    return decomposed(input, g, mode, padding_mode, align_corners)


def opmath(input, g, mode, padding_mode, align_corners):
    """The primitive's decomposition: float16 / bfloat16 in float32, rounded once."""
    if input.dtype in (D.float16, D.bfloat16):
        return decomposed(input.float(), g.float(), mode, padding_mode,
                          align_corners).to(input.dtype)
    return decomposed(input, g, mode, padding_mode, align_corners)


def _ref_grid_sample(out, x, grid, mode, padding_mode, align_corners):
    from .. import _grad_mode
    with _grad_mode.no_grad():
        dispatch("copy", out, opmath(x, grid, mode, padding_mode, align_corners))


REFERENCE = {"grid_sample": _ref_grid_sample}


def decomposed(input, g, mode, padding_mode, align_corners):
    """grid_sample as ops (g: the grid in input's dtype)."""
    align = bool(align_corners)
    n, c, h, w = input.shape
    x = _source(g[..., 0], w, padding_mode, align)
    y = _source(g[..., 1], h, padding_mode, align)
    flat = input.reshape(n, c, h * w)
    if mode == "nearest":
        return _tap(flat, x.round(), y.round(), h, w)
    x0, y0 = x.floor(), y.floor()
    wx, wy = (x - x0).unsqueeze(1), (y - y0).unsqueeze(1)
    top = _tap(flat, x0, y0, h, w) * (1 - wx) + _tap(flat, x0 + 1, y0, h, w) * wx
    bottom = _tap(flat, x0, y0 + 1, h, w) * (1 - wx) + _tap(flat, x0 + 1, y0 + 1, h, w) * wx
    return top * (1 - wy) + bottom * wy
