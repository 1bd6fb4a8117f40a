"""Every op of the op table x every dtype it accepts runs on WASM kernels, or has a documented
reason not to (webtensor.backends.wasm.coverage.REASONS): a cell that falls back to the
reference backend without a reason fails, and so does an op-specific reason that no longer
applies. Cells run at a small size on the wasm backend (wasmtime); the timings of the same
cells are benchmarks/bench_cliffs.py's cliff table."""
import pytest

from webtensor import backends
from webtensor.backends.wasm import coverage as C
from webtensor.ops import table as T


@pytest.fixture(autouse=True)
def backend():
    """The wasm backend only (overrides the per-backend repetition of tests/unit)."""
    backends.set_backend("wasm")
    yield "wasm"


@pytest.mark.parametrize("op", sorted(T.OPS))
def test_op_runs_on_kernels_or_has_a_reason(op):
    missing, stale = [], []
    for dt in C.DTYPES:
        try:
            _, used = C.run_cell(op, dt, 256)
        except (RuntimeError, TypeError, ValueError, NotImplementedError, IndexError):
            continue                    # the op refuses this dtype, as torch does
        why = C.reason_for(op, dt)
        if used and not why:
            missing.append(f"{dt.name}: {', '.join(used)}")
        if not used and why and not C.is_blanket(op, dt):
            stale.append(dt.name)
    assert not missing, f"{op} falls back to the reference backend without a reason: {missing}"
    assert not stale, f"{op}: a documented reason but it runs on kernels: {stale}"


def test_reasons_name_real_ops():
    for ops, dtypes, why in C.REASONS:
        assert ops <= set(T.OPS) | {"*"}, ops - set(T.OPS)
        assert why and dtypes <= set(C.DTYPES)


@pytest.mark.parametrize("prim", sorted(C.backward_cases()))
def test_backward_and_step_primitives_run_on_kernels(prim):
    """The backward primitives and fused optimizer steps (no op of the table of their own) run
    on kernels for float32."""
    with C.FellBack() as fb:
        C.backward_cases()[prim]()
    assert not fb.used, f"{prim} fell back to the reference backend: {sorted(set(fb.used))}"
