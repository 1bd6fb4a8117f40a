"""The "random" primitive on the xN-random kernels: torch's CPU generator (mt19937 on torch's
state bytes) filling a contiguous float32/float64 tensor; other cases decline (reference)."""
import struct

from ... import _float_exact
from ..._storage import Storage
from . import kernel_table as KT
from .loader import Region
from .views import region

_SHORT = {"float32": "f32", "float64": "f64"}
_PARAMS = struct.Struct("<4d")
_FMA_PROBE = (1 + 2.0 ** -12, -(1 + 2.0 ** -11))   # f32_normal: is relaxed madd fused?


def bind(ctx):
    def random(out, state, dist, a, b=0.0):
        dt = _SHORT.get(out.dtype.name)
        name = KT.RANDOM.get((dt, dist))
        n = out.numel()
        if name is None or not out.is_contiguous() or (dist == "normal" and n < 16):
            return NotImplemented
        if dt == "f32" and dist != "bernoulli":      # torch casts from/to, mean/std to float
            a, b = _float_exact.f32(a), _float_exact.f32(b)
        params = Storage(32, buf=bytearray(_PARAMS.pack(a, b, *_FMA_PROBE)))
        ctx.fn(name)(n, region(state, True), Region(params, 0, 32, False), region(out, True))
        return None

    return {"random": random}, {}
