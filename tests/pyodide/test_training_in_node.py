"""Run the training tier (tests/training/test_*.py: the examples/ training scripts under
webtensor against torch's golden curves) inside Pyodide in Node. vs_torch/ (real torch) is
not copied."""
MODEL = ".cache/models/all-MiniLM-L6-v2"   # examples/finetune_minilm_head.py's encoder


def test_training_in_pyodide_node(run_in_pyodide, repo, summary_counts, record_inner_suite,
                                  training_files, prerequisite_missing):
    tests = sorted((repo / "tests" / "training").glob("test_*.py"))
    assert tests, "tests/training has no tests"
    if not (repo / MODEL).is_dir():
        prerequisite_missing(f"{MODEL} (scripts/test fetches the model weights)")
    copies = [*training_files, MODEL, *(str(t.relative_to(repo)) for t in tests),
              "tests/conftest.py", "pyproject.toml"]
    args = [a for c in copies if (repo / c).exists() for a in ("--copy", c)]
    res = run_in_pyodide(*args, "--", "tests/training", "-ra")
    counts = summary_counts(res.output)
    record_inner_suite("Node: tests/training", counts, res.seconds)
    assert res.returncode == 0, f"pytest in Pyodide exited {res.returncode}: {counts}"
    assert counts.get("passed", 0) >= len(tests), f"too few tests passed inside Pyodide: {counts}"
