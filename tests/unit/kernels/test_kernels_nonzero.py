"""b8_nonzero_count and b8_nonzero (torch.nonzero's two passes over a bool tensor) for both ISA
builds against numpy: dense and sparse masks, rows shorter and longer than the 16-byte vectors,
counts past a byte lane's 255, 1-d to 4-d shapes, a zero-sized last dim; the fill writes at
most `cap` rows and nothing past them."""
import numpy as np
import pytest

from conftest_kernels import backend, call, ks  # noqa: F401

SHAPES = ((1,), (15,), (16,), (17,), (5000,), (3, 5), (2, 3, 33), (4, 1, 2, 70), (7, 1), (2, 0))


@pytest.mark.parametrize("density", [0.0, 0.03, 0.5, 1.0])
def test_nonzero_count_and_fill(ks, density):
    rng = np.random.default_rng(int(density * 100))
    for shape in SHAPES:
        x = (rng.random(shape) < density).astype(np.uint8)
        x[x > 0] = rng.integers(1, 256, int(x.sum()), dtype=np.uint8)   # any nonzero byte
        buf = x.reshape(-1) if x.size else np.zeros(1, np.uint8)
        (count,) = call(ks, "b8_nonzero_count", x.size, buf, np.full(1, -5, np.int64))
        want = np.argwhere(x)
        assert int(count[0]) == len(want), shape
        y0 = np.full((len(want) + 2) * x.ndim, -7, np.int64)
        (y,) = call(ks, "b8_nonzero", x.ndim, np.array(shape, np.int32), len(want), buf, y0)
        assert np.array_equal(y[:want.size].reshape(want.shape), want), shape
        assert np.all(y[want.size:] == -7), shape


def test_nonzero_fill_stops_at_cap(ks):
    x = np.ones((3, 20), np.uint8)
    y0 = np.full(12, -7, np.int64)
    (y,) = call(ks, "b8_nonzero", 2, np.array([3, 20], np.int32), 5, x.reshape(-1), y0)
    assert np.array_equal(y[:10].reshape(5, 2), np.argwhere(x)[:5]) and np.all(y[10:] == -7)
