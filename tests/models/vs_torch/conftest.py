"""Models vs torch (CPython only, never copied into Pyodide): each model file of
webtensor/models run under real torch and under webtensor with the same weights, against
sentence-transformers, transformers and HF tokenizers. Uses the unit tier's oracle
(tests/unit/wt_oracle.py): its per-backend `backend` fixture and the helpers."""
import sys
from pathlib import Path

_UNIT = str(Path(__file__).resolve().parents[2] / "unit")
if _UNIT not in sys.path:
    sys.path.insert(0, _UNIT)

from wt_oracle import backend, pytest_pyfunc_call  # noqa: E402,F401 - registered by pytest
