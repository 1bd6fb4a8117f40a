"""The small-dtype cases of tests/portable/test_portable_small_dtypes.py on the WASM kernels
against torch 2.13: integers, bools and indices bit for bit (wrap-around, accumulation dtypes:
int8 sum -> int64, result dtypes: uint8 all/any -> uint8), float results within 2 float32 ulp
(torch's vectorised sqrt of uint8 254 is 1 ulp off the correctly rounded one the kernels give)."""
import pytest
import torch

import test_portable_small_dtypes as S
from webtensor import backends


# torch's index_add of float16/bfloat16 rounds after every addition; webtensor's (both
# backends) accumulates in float32 and rounds once, as torch's scatter_add does: compared with that
INDEX_ADD_HALF = {("index_add", "float16"), ("index_add", "bfloat16")}


@pytest.fixture(autouse=True)
def backend():
    """The wasm backend only (overrides the per-backend repetition of tests/unit)."""
    backends.set_backend("wasm")
    yield "wasm"


@pytest.mark.parametrize("name,dt,layout", S.PARAMS, ids=["-".join(p) for p in S.PARAMS])
def test_small_dtype_matches_torch(name, dt, layout):
    got, used = S.run_wasm(name, dt, layout)
    assert not used, f"ran on the reference backend: {used}"
    case = S.CASES["scatter_add" if (name, dt) in INDEX_ADD_HALF else name][0]
    want = case(torch, *S.inputs(torch, dt, layout))
    got, want = (r if isinstance(r, tuple) else (r,) for r in (got, want))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        g = torch.tensor(g.tolist(), dtype=w.dtype)
        if w.dtype.is_floating_point:
            torch.testing.assert_close(g, w, rtol=2.4e-7, atol=0, equal_nan=True)
            assert torch.equal(g.signbit() & ~g.isnan(), w.signbit() & ~w.isnan())  # -0.0
        else:
            assert torch.equal(g, w), (g, w)
