"""torch.autograd.gradcheck / gradgradcheck: analytical against finite-difference Jacobians
(float64 inputs; webtensor ops only, so it runs on any backend)."""
from .._tensor import Tensor


class GradcheckError(RuntimeError):
    pass


def _flat_outputs(out):
    return [o for o in ((out,) if isinstance(out, Tensor) else out)
            if isinstance(o, Tensor) and o.requires_grad]


def _numerical(fn, inputs, i, eps):
    """d outputs / d inputs[i], one column per element of inputs[i] (central differences)."""
    x = inputs[i]
    cols = []
    flat = x.detach().reshape(-1)
    # fresh leaves that keep requires_grad: fn may differentiate inside (gradgradcheck)
    base = [t.detach().requires_grad_(t.requires_grad) if isinstance(t, Tensor) else t
            for t in inputs]
    for k in range(x.numel()):
        vals = []
        for sign in (1, -1):
            xk = flat.clone()
            xk[k] = float(flat[k]) + sign * eps
            args = list(base)
            args[i] = xk.view(x.shape).requires_grad_(x.requires_grad)
            out = fn(*args)
            outs = (out,) if isinstance(out, Tensor) else out
            vals.append([o.detach().reshape(-1).to(x.dtype) for o in outs
                         if isinstance(o, Tensor) and o.dtype.category == 2])
        cols.append([(a - b) / (2 * eps) for a, b in zip(*vals)])
    return cols


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False,
              check_forward_ad=False, check_backward_ad=True, fast_mode=False, masked=None):
    from . import grad
    from .._creation import zeros
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    diff = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    for i in diff:
        if inputs[i].dtype.name != "float64":
            import warnings
            warnings.warn(f"Input #{i} requires gradient and is not a double precision "
                          "floating point. This check will likely fail if all the inputs are "
                          "not of double precision floating point. ")
    outs = _flat_outputs(func(*inputs))
    for j, o in enumerate(outs):
        n = o.numel()
        for i in diff:
            num = _numerical(func, inputs, i, eps)
            for r in range(n):
                go = zeros(n, dtype=o.dtype)
                go[r] = 1.0
                g, = grad(_flat_outputs(func(*inputs))[j], inputs[i], go.view(o.shape),
                          allow_unused=True)
                ana = [0.0] * inputs[i].numel() if g is None else g.reshape(-1).tolist()
                for k, a in enumerate(ana):
                    nv = float(num[k][j][r])
                    if abs(a - nv) > atol + rtol * abs(nv):
                        if not raise_exception:
                            return False
                        raise GradcheckError(
                            f"Jacobian mismatch for output {j} with respect to input {i},\n"
                            f"numerical:{nv}\nanalytical:{a}\n")
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False,
                  masked=False):
    """gradcheck of (inputs, grad_outputs) -> grad(func(inputs), inputs, grad_outputs)."""
    from . import grad
    from .._generator import randn
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    outs = _flat_outputs(func(*inputs))
    if grad_outputs is None:
        grad_outputs = tuple(randn(o.shape, dtype=o.dtype).requires_grad_() for o in outs)
    grad_outputs = tuple(grad_outputs)
    n = len(inputs)
    diff = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]

    def first(*args):
        ins, gos = args[:n], args[n:]
        os = _flat_outputs(func(*ins))
        return grad(os, [ins[i] for i in diff], gos, create_graph=True, allow_unused=True)
    return gradcheck(first, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
