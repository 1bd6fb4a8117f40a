"""OutOfMemoryError on CPython where the allocator itself refuses (64-bit: a size below
sys.maxsize that malloc cannot give); the past-the-limit case of every tier is in
tests/portable/test_portable_out_of_memory.py. Same class as torch's: a RuntimeError."""
import pytest
import torch

import webtensor as wt


def test_allocator_refusal_is_out_of_memory_error():
    nbytes = 2 ** 62                      # < sys.maxsize: malloc is asked, and says no
    with pytest.raises(wt.OutOfMemoryError, match=f"tried to allocate {nbytes} bytes .*"
                                                  f"allocator could not provide it"):
        wt.empty(nbytes // 4)
    with pytest.raises(RuntimeError):     # what `except RuntimeError` around torch code catches
        wt.zeros(nbytes // 8, dtype=wt.float64)
    assert wt.ones(4).sum().item() == 4.0


def test_same_kind_as_torch():
    assert torch.OutOfMemoryError.__mro__[1] is RuntimeError
    assert wt.OutOfMemoryError.__mro__[1] is RuntimeError
    assert wt.cuda.OutOfMemoryError is wt.OutOfMemoryError
