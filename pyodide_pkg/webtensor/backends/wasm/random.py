"""The "random" primitive on the xN-random kernels: torch's CPU generator (mt19937 on torch's
state bytes) filling a contiguous tensor (float32/float64 uniform, normal, bernoulli,
bernoulli_tensor, exponential; int64 randint, randperm; multinomial with replacement); other
cases decline (reference)."""
import struct

from ... import _float_exact
from ..._storage import Storage
from . import kernel_table as KT
from .loader import Region
from .views import region

_SHORT = {"float32": "f32", "float64": "f64", "int64": "i64"}
_PARAMS = struct.Struct("<4d")
_INT_PARAMS = struct.Struct("<3Q")
_FMA_PROBE = (1 + 2.0 ** -12, -(1 + 2.0 ** -11))   # f32_normal: is relaxed madd fused?
_MULTINOMIAL_ERRORS = {
    1: "invalid multinomial distribution (encountering probability entry < 0)",
    2: "invalid multinomial distribution (encountering probability entry = infinity or NaN)",
    3: "invalid multinomial distribution (sum of probabilities <= 0)"}


def bind(ctx):
    def params_of(out, dist, dt, a, b):
        if dist == "randint":            # random_(from=a, to=b): {range, base, 64-bit draws}
            return Region(Storage(24, buf=bytearray(_INT_PARAMS.pack(
                b - a, a % (1 << 64), b - a >= 1 << 32))), 0, 24, False)
        if dist == "bernoulli_tensor":   # a: the probabilities, contiguous, out's dtype
            return region(a) if a.dtype is out.dtype and a.is_contiguous() else None
        if dt == "f32" and dist in ("uniform", "normal"):   # torch casts from/to, mean/std
            a, b = _float_exact.f32(a), _float_exact.f32(b)
        return Region(Storage(32, buf=bytearray(_PARAMS.pack(a, b, *_FMA_PROBE))), 0, 32, False)

    def random(out, state, dist, a, b=0.0):
        if dist == "multinomial":
            return multinomial(out, state, a, b)
        dt = _SHORT.get(out.dtype.name)
        name = KT.RANDOM.get((dt, dist))
        n = out.numel()
        if name is None or not out.is_contiguous() or (dist == "normal" and n < 16):
            return NotImplemented
        params = params_of(out, dist, dt, a, b)
        if params is None:
            return NotImplemented
        ctx.fn(name)(n, region(state, True), params, region(out, True))
        return None

    def multinomial(out, state, probs, n_sample):
        """out [rows, n_sample] int64 from probs [rows, n_cat] (contiguous), with replacement."""
        name = KT.MULTINOMIAL.get(_SHORT.get(probs.dtype.name))
        if name is None or not (probs.is_contiguous() and out.is_contiguous()):
            return NotImplemented
        rows, n_cat = probs.shape
        isz = probs.dtype.itemsize
        status = Storage(4)
        ctx.fn(name)(rows, n_cat, n_sample, region(state, True), region(probs),
                     Region(Storage(n_cat * isz), 0, n_cat * isz, True), region(out, True),
                     Region(status, 0, 4, True))
        code = int.from_bytes(bytes(status.view()[:4]), "little")
        if code:
            raise RuntimeError(_MULTINOMIAL_ERRORS[code])
        return None

    return {"random": random}, {}

