"""Allocations past what the heap allows raise webtensor.OutOfMemoryError (torch's kind: a
RuntimeError) saying how many bytes were asked for and the limit, instead of a bare
OverflowError; the interpreter stays usable and later allocations succeed. Runs on CPython, in
Pyodide (Node) and in Chromium, where sys.maxsize is wasm32's 2 GiB - 1."""
import sys

import pytest

import webtensor as wt

HUGE = sys.maxsize // 2 + 1         # float32 elements: 4 * HUGE bytes, past sys.maxsize anywhere
CASES = {
    "empty": (lambda: wt.empty(HUGE), 4 * HUGE),
    "zeros 2-d int8": (lambda: wt.zeros((2, HUGE), dtype=wt.int8), 2 * HUGE),
    "contiguous of an expanded view": (lambda: wt.ones(1).expand(HUGE).contiguous(), 4 * HUGE),
    "op output": (lambda: wt.ones(2, 1).expand(2, HUGE) + 1, 8 * HUGE),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("guards", [False, True])
def test_allocation_past_the_heap_limit(name, guards, request):
    if guards:
        request.getfixturevalue("guarded")
    make, nbytes = CASES[name]
    with pytest.raises(wt.OutOfMemoryError) as e:
        make()
    assert isinstance(e.value, RuntimeError)
    msg = str(e.value)
    assert f"tried to allocate {nbytes} bytes" in msg and f"{sys.maxsize} bytes" in msg, msg
    # still usable: a fresh 64 MiB allocation and a kernel over it
    x = wt.ones(16 * 2 ** 20)
    assert x.sum().item() == 16 * 2 ** 20
    assert (wt.arange(6.0).reshape(2, 3) @ wt.ones(3)).tolist() == [3.0, 12.0]


def test_out_of_memory_error_is_one_class():
    assert wt.cuda.OutOfMemoryError is wt.OutOfMemoryError
    assert issubclass(wt.OutOfMemoryError, RuntimeError)


if sys.platform == "emscripten":      # wasm32 in Node and Chromium: the heap stops at 4 GiB
    def test_the_heap_refusing_to_grow():
        """Allocations each below sys.maxsize that together pass the 4 GiB heap: the grow the
        browser (or Node) refuses is an OutOfMemoryError too, and freeing makes room again."""
        big = (sys.maxsize - 2 ** 26) // 4          # float32 elements, just under 2 GiB
        held = []
        with pytest.raises(wt.OutOfMemoryError) as e:
            for _ in range(3):
                held.append(wt.empty(big))
        assert f"tried to allocate {4 * big} bytes" in str(e.value), str(e.value)
        assert "could not provide it" in str(e.value), str(e.value)
        held.clear()
        x = wt.ones(16 * 2 ** 20)
        assert x.sum().item() == 16 * 2 ** 20
