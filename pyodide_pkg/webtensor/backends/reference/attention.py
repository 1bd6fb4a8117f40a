"""Reference scaled dot-product attention: Python floats (double precision), row by row."""
import math

from ..._memory import read, write


def _mat(t, b, h):
    """Rows of t[b, h] as lists."""
    sub = t[b, h]
    n = sub.shape[1]
    vals = read(sub)
    return [vals[i:i + n] for i in range(0, len(vals), n)] if n else [[] for _ in
                                                                       range(sub.shape[0])]


def sdpa(out, q, k, v, mask, is_causal, scale):
    B, H, L, _ = q.shape
    S, Ev = k.shape[2], v.shape[3]
    res = []
    for b in range(B):
        for h in range(H):
            qm = _mat(q, b, h)
            km = _mat(k, b, h // (H // k.shape[1]))
            vm = _mat(v, b, h // (H // v.shape[1]))
            mm = _mat(mask, b, h) if mask is not None else None
            for i in range(L):
                s = []
                for j in range(S):
                    if is_causal and j > i:
                        s.append(-math.inf)
                        continue
                    d = math.fsum(a * c for a, c in zip(qm[i], km[j])) * scale
                    s.append(d + mm[i][j] if mm is not None else d)
                res.extend(_softmax_times(s, vm, Ev))
    write(out, res)


def _softmax_times(s, vm, Ev):
    m = max(s, default=-math.inf)
    if any(x != x for x in s) or m == math.inf:
        return [math.nan] * Ev
    if m == -math.inf:          # fully masked (or no keys): zeros, like torch
        return [0.0] * Ev
    p = [math.exp(x - m) for x in s]
    tot = math.fsum(p)
    return [math.fsum(pj * vm[j][c] for j, pj in enumerate(p)) / tot for c in range(Ev)]
