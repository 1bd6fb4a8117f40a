"""CPython tier: webtensor against torch (the spec) and numpy, on every backend.

Every test runs once per backend through the autouse `backend` fixture. A backend that does
not load makes its tests FAIL (never skip): set_backend's error is raised in the test call.

The fixture, its hook and the helpers live in tests/unit/wt_oracle.py (tests import them as
`wt_oracle`; tests/models/vs_torch shares them). The kernel tests (kernels/test_kernels_*.py,
quant/test_quant_kernels.py) import tests/unit/conftest_kernels.py, whose `backend` overrides
this one: they run once per ISA build instead. This directory is put on sys.path for both.
"""
import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from wt_oracle import backend, pytest_pyfunc_call  # noqa: E402,F401 - registered by pytest
