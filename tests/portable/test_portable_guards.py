"""Memory safety inside the runtime at hand (Pyodide's ctypes path in Node and Chromium, wasmtime
on CPython): every kernel in the kernel table runs on regions embedded at odd offsets inside
guarded storages; nothing outside its output regions may change. A deliberate overrun must be
caught. Only the standard library: this file also runs inside Pyodide."""
import array
import random

import pytest

from webtensor._storage import Storage
from webtensor.backends.wasm import kernel_table, loader
from webtensor.backends.wasm.loader import Region

PAD_BEFORE, PAD_AFTER = 13, 29
# Both builds wherever the engine runs relaxed SIMD (not Node 20 without its flag).
ISAS = ["simd128"] + (["relaxedsimd"] if loader.engine_has_relaxed_simd() else [])


def _floats(rng, n):
    return array.array("f", [rng.uniform(-2, 2) for _ in range(n)]).tobytes()


def _fill(n, code, value=77):
    return array.array(code, [value] * n).tobytes()


def example(kernel, rng):
    """Arguments for one call: ints/floats, and bytes for pointer regions."""
    fam = kernel.family
    if fam == "unary":
        return [37, _floats(rng, 37), _fill(37, "f")]
    if fam in ("binary", "compare"):
        return [5, 7, _floats(rng, 35), 7, 1, _floats(rng, 7), 0, 1,
                _fill(35, "B" if fam == "compare" else "f")]
    if fam in ("binary_flat", "compare_flat", "binary_flatc", "compare_flatc"):
        nb = 1 if fam.endswith("c") else 37
        return [37, _floats(rng, 37), _floats(rng, nb),
                _fill(37, "B" if fam.startswith("compare") else "f")]
    if fam in ("reduce", "argreduce", "var"):
        extra = [1.0] if fam == "var" else []
        return [3, 5, 4] + extra + [_floats(rng, 60), _fill(12, "q" if fam == "argreduce"
                                                              else "f")]
    if fam == "rowwise":
        return [3, 5, 4, _floats(rng, 60), _fill(60, "f")]
    if fam == "gemm":
        return [2, 5, 9, 6, _floats(rng, 60), 30, 6, 1, _floats(rng, 108), 54, 9,
                _fill(90, "f"), 45, 9]
    if fam == "gemv":      # n = 37: a 32-column sweep, a 4-column block and a 1-column tail
        return [2, 37, 5, _floats(rng, 20), 10, 2, _floats(rng, 400), 200, 40,
                _fill(74, "f"), 37]
    if fam == "copy":
        bits = int(kernel.name[1:kernel.name.index("_")])
        code = {8: "B", 16: "H", 32: "I", 64: "Q"}[bits]
        src = array.array(code, [rng.randrange(200) for _ in range(60)]).tobytes()
        return [3, array.array("i", [4, 5, 3]).tobytes(), array.array("i", [1, 4, 20]).tobytes(),
                src, _fill(60, code)]
    raise AssertionError(f"no example for kernel family {fam}")


def embed(data, writable, rng):
    st = Storage(PAD_BEFORE + len(data) + PAD_AFTER)
    st.view()[:] = bytes(rng.randrange(256) for _ in range(st.nbytes))
    st.view()[PAD_BEFORE:PAD_BEFORE + len(data)] = data
    return st, Region(st, PAD_BEFORE, len(data), writable)


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("name", sorted(kernel_table.KERNELS))
def test_kernel_writes_only_its_outputs(guarded, name, isa):
    ks = loader.load(isa)
    kernel = kernel_table.KERNELS[name]
    rng = random.Random(name)
    cargs, checks = [], []
    for (kind, _), v in zip(kernel.args, example(kernel, rng)):
        if kind in ("in", "out"):
            st, r = embed(v, kind == "out", rng)
            assert st.has_guards()
            cargs.append(r)
            checks.append((st, r, bytes(st.buf)))
        else:
            cargs.append(v)
    ks.fn(name)(*cargs)
    for st, r, before in checks:
        after = bytes(st.buf)
        lo, hi = st.base + r.offset, st.base + r.offset + r.nbytes
        assert st.guards_intact(), f"{name}: storage guard bytes changed"
        assert after[:lo] == before[:lo] and after[hi:] == before[hi:], \
            f"{name}: bytes outside a pointer region changed"
        if not r.writable:
            assert after == before, f"{name}: an input was modified"
    assert any(bytes(st.buf) != before for st, r, before in checks if r.writable), \
        f"{name}: wrote nothing (the example must produce visible output)"


@pytest.mark.parametrize("isa", ISAS)
def test_overrun_is_caught(guarded, isa):
    """n larger than the output: the write lands in guard bytes and the call raises."""
    ks = loader.load(isa)
    x, y = Storage(4 * 40), Storage(4 * 37)
    with pytest.raises(RuntimeError, match="f32_exp"):
        ks.fn("f32_exp")(40, Region(x, 0, 4 * 40, False), Region(y, 0, 4 * 37, True))
