"""Training tier: the training demonstrations of examples/ (ordinary PyTorch scripts) run under
webtensor (`webtensor.as_torch()`) and compared with real torch's run, step by step, through
the golden files of scripts/make_golden_training.py (tests/golden/training/). Stdlib +
webtensor only, like tests/models: the same files run on CPython and inside Pyodide in Node
(tests/pyodide/test_training_in_node.py); Chromium runs the full training
(tests/browser/test_training_in_chromium.py). vs_torch/ (CPython only) runs the same scripts
under real torch against the golden files."""
import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden" / "training"


def load_example(name):
    """examples/<name>.py as a module, bound to whatever `torch` is at the call."""
    spec = importlib.util.spec_from_file_location(f"example_{name}", REPO / "examples" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def max_rel_diff(got, want):
    assert len(got) == len(want), (len(got), len(want))
    return max(abs(a - b) / abs(b) for a, b in zip(got, want))


@pytest.fixture(scope="session")
def training_golden():
    """training_golden("digits.json") -> the parsed golden file (must exist)."""
    def load(name):
        path = GOLDEN / name
        if not path.exists():
            pytest.fail(f"{path} is missing: run scripts/make_golden_training.py", pytrace=False)
        return json.loads(path.read_text())
    return load


@pytest.fixture(scope="session")
def run_example():
    """run_example("train_digits", [args]) -> the example's main() result, under webtensor."""
    import webtensor

    def run(name, argv):
        with webtensor.as_torch():
            return load_example(name).main(argv)
    return run


@pytest.fixture(scope="session")
def rel_diff():
    return max_rel_diff
