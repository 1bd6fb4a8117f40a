"""F.unfold (im2col: every sliding block as a column, from strided views) and F.fold (its
adjoint: columns summed back into the image with one scatter_add)."""
from .. import _dtype as D


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _blocks(size, k, d, p, s):
    return tuple((size[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(2))


def _check_blocks(size, k, d, p, s, blocks):
    if min(blocks) < 1:
        raise RuntimeError(f"Given input with spatial size {tuple(size)}, kernel_size={k}, "
                           f"dilation={d}, padding={p}, calculated shape of the array of sliding "
                           f"blocks as {blocks}, but its components must be at least one.")


def _reject_int(x, kernel):
    if x.dtype.category == 1:            # torch's im2col / col2im take floats and bool only
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{D.TNAME[x.dtype.name]}'")


def _columns(x, k, d, s):
    """(N, C, H, W) (already padded) -> (N, C * kh * kw, L)."""
    n, c = x.shape[:2]
    w = x.unfold(2, d[0] * (k[0] - 1) + 1, s[0]).unfold(3, d[1] * (k[1] - 1) + 1, s[1])
    w = w[:, :, :, :, ::d[0], ::d[1]]                     # (N, C, oh, ow, kh, kw)
    oh, ow = w.shape[2:4]
    return w.permute(0, 1, 4, 5, 2, 3).reshape(n, c * k[0] * k[1], oh * ow)


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    if input.dim() not in (3, 4):
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size "
                           "and other non-zero dimensions for input, but got: "
                           f"{list(input.shape)}")
    _reject_int(input, "im2col_out_cpu")
    k, d, p, s = (_pair(v) for v in (kernel_size, dilation, padding, stride))
    x = input if input.dim() == 4 else input.unsqueeze(0)
    _check_blocks(x.shape[2:], k, d, p, s, _blocks(x.shape[2:], k, d, p, s))
    if any(p):
        from .pad import pad
        x = pad(x, (p[1], p[1], p[0], p[0]))
    out = _columns(x, k, d, s)
    return out if input.dim() == 4 else out.squeeze(0)


def fold_plan(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """fold's checks (torch's errors); its geometry: (x as (N, C * kh * kw, L), channels,
    output size, kernel, dilation, padding, stride, blocks)."""
    if input.dim() not in (2, 3):
        raise RuntimeError("Expected 2D or 3D (batch mode) tensor for input with possibly 0 "
                           "batch size and non-zero dimensions for input, but got: "
                           f"{list(input.shape)}")
    _reject_int(input, "col2im_out_cpu")
    size, k, d, p, s = (_pair(v) for v in (output_size, kernel_size, dilation, padding, stride))
    x = input if input.dim() == 3 else input.unsqueeze(0)
    n, ckk, cols = x.shape
    if ckk % (k[0] * k[1]):
        raise RuntimeError("Expected size of input's dimension 1 to be divisible by the product "
                           f"of kernel_size, but got input.size(1)={ckk} and kernel_size={k}")
    blocks = _blocks(size, k, d, p, s)
    _check_blocks(size, k, d, p, s, blocks)
    if cols != blocks[0] * blocks[1]:
        raise RuntimeError(f"Given output_size={size}, kernel_size={k}, dilation={d}, padding="
                           f"{p}, stride={s}, expected size of input's dimension 2 to match the "
                           f"calculated number of sliding blocks {blocks[0]} * {blocks[1]} = "
                           f"{blocks[0] * blocks[1]}, but got input.size(2)={cols}.")
    return x, ckk // (k[0] * k[1]), size, k, d, p, s, blocks


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """The composite (every backend, autograd): one scatter_add of the columns into the padded
    image (the wasm backend's shortcut runs col2im directly)."""
    x, c, size, k, d, p, s, _ = fold_plan(input, output_size, kernel_size, dilation, padding,
                                          stride)
    from .._creation import arange, zeros
    from .index import scatter_add
    n, ckk, cols = x.shape
    hp, wp = size[0] + 2 * p[0], size[1] + 2 * p[1]
    where_to = _columns(arange(hp * wp, dtype=D.int64).reshape(1, 1, hp, wp), k, d, s)
    index = where_to.to(x.device).reshape(1, 1, -1).expand(n, c, ckk // c * cols)
    out = scatter_add(zeros((n, c, hp * wp), dtype=x.dtype, device=x.device), 2, index,
                      x.reshape(n, c, -1)).reshape(n, c, hp, wp)
    out = out[:, :, p[0]:p[0] + size[0], p[1]:p[1] + size[1]]
    return out if input.dim() == 3 else out.squeeze(0)
