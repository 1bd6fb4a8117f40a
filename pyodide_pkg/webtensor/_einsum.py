"""torch.einsum as a decomposition into ops: each operand's private labels are summed out,
then operands are contracted pairwise (left to right) with one batched matmul each
(permute -> reshape to [batch, M, K] @ [batch, K, N]). Ellipsis broadcasts like torch.
Repeated labels inside one operand take the diagonal (a strided view)."""
from ._shape import prod


def _parse(equation, ndims):
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ndims):
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           "equation" if len(ndims) > len(terms) else
                           "einsum(): fewer operands were provided than specified in the "
                           "equation")
    n_ell = 0
    for t, nd in zip(terms, ndims):
        if "..." in t:
            n_ell = max(n_ell, nd - (len(t) - 3))
    ell = "".join(chr(0x3b1 + i) for i in range(n_ell))      # greek letters: never user labels
    labels = []
    for t, nd in zip(terms, ndims):
        if "..." in t:
            k = nd - (len(t) - 3)
            t = t.replace("...", ell[n_ell - k:] if k else "")
        for ch in t:
            if not (ch.isalpha() or ch in ell):
                raise RuntimeError(f"einsum(): invalid subscript given at index "
                                   f"{equation.index(ch)} in the equation string, subscripts "
                                   "must be in [a-zA-Z]")
        if len(t) != nd:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation "
                               f"({len(t)}) does not match the number of dimensions ({nd}) "
                               "for operand and no ellipsis was given")
        labels.append(t)
    if arrow:
        out = rhs.replace("...", ell)
    else:
        counts = {}
        for t in labels:
            for ch in t:
                counts[ch] = counts.get(ch, 0) + 1
        out = ell + "".join(sorted(ch for ch, c in counts.items() if c == 1 and ch not in ell))
    for ch in out:
        if not any(ch in t for t in labels):
            raise RuntimeError(f"einsum(): output subscript {ch} does not appear in the "
                               "equation for any input operand")
    return labels, out


def _diagonal(x, lab):
    """Repeated labels in one operand ('ii->i') -> a strided view of the diagonal."""
    shape, strides, out = [], [], ""
    for ch, n, st in zip(lab, x.shape, x.stride()):
        if ch in out:
            i = out.index(ch)
            if shape[i] != n:
                raise RuntimeError(f"einsum(): subscript {ch} is repeated for operand but the "
                                   f"sizes don't match, {shape[i]} != {n}")
            strides[i] += st
        else:
            out += ch
            shape.append(n)
            strides.append(st)
    return x._view(tuple(shape), tuple(strides)), out


def _sum_out(x, lab, keep):
    dims = [i for i, ch in enumerate(lab) if ch not in keep]
    if dims:
        x = x.sum(dim=dims)
        lab = "".join(ch for ch in lab if ch in keep)
    return x, lab


def _contract(a, la, b, lb, keep):
    sizes = {}
    for x, lab in ((a, la), (b, lb)):
        for ch, n in zip(lab, x.shape):
            if ch not in sizes or sizes[ch] == 1:
                sizes[ch] = n
            elif n != 1 and n != sizes[ch]:
                raise RuntimeError(f"einsum(): operands do not broadcast with remapped shapes "
                                   f"(original->remapped): subscript {ch} has sizes "
                                   f"{sizes[ch]} and {n}")
    batch = [ch for ch in la if ch in lb and ch in keep]
    contr = [ch for ch in la if ch in lb and ch not in keep]
    a_only = [ch for ch in la if ch not in lb]
    b_only = [ch for ch in lb if ch not in la]
    a = a.permute([la.index(ch) for ch in batch + a_only + contr])
    b = b.permute([lb.index(ch) for ch in batch + contr + b_only])
    a = a.expand([sizes[ch] for ch in batch] + list(a.shape[len(batch):len(batch) +
                                                             len(a_only)]) +
                 [sizes[ch] for ch in contr])
    b = b.expand([sizes[ch] for ch in batch + contr] + list(b.shape[len(batch) + len(contr):]))
    bs = [sizes[ch] for ch in batch]
    m = prod(a.shape[len(batch):len(batch) + len(a_only)])
    n = prod(b.shape[len(batch) + len(contr):])
    k = prod(sizes[ch] for ch in contr)
    r = a.reshape(prod(bs), m, k) @ b.reshape(prod(bs), k, n)
    out_shape = bs + list(a.shape[len(batch):len(batch) + len(a_only)]) + \
        list(b.shape[len(batch) + len(contr):])
    return r.reshape(out_shape), "".join(batch + a_only + b_only)


def einsum(equation, *operands):
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    labels, out = _parse(equation, [t.dim() for t in operands])
    items = [_diagonal(t, lab) if len(set(lab)) != len(lab) else (t, lab)
             for t, lab in zip(operands, labels)]
    x, lx = items[0]
    later = "".join(lab for _, lab in items[1:])
    x, lx = _sum_out(x, lx, out + later)
    for i in range(1, len(items)):
        y, ly = items[i]
        later = "".join(lab for _, lab in items[i + 1:])
        y, ly = _sum_out(y, ly, out + later + lx)
        x, lx = _contract(x, lx, y, ly, out + later)
    x, lx = _sum_out(x, lx, out)
    x = x.permute([lx.index(ch) for ch in out]) if lx != out else x
    return x
