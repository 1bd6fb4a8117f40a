"""Run the portable suite (tests/portable) inside Pyodide in Node, against the built wheel."""


def test_portable_suite_in_pyodide_node(run_in_pyodide, repo, summary_counts,
                                        record_inner_suite):
    assert any((repo / "tests" / "portable").glob("**/test_*.py")), "tests/portable is empty"
    res = run_in_pyodide("--", "tests/portable", "-ra")
    counts = summary_counts(res.output)
    record_inner_suite("Node: tests/portable", counts, res.seconds)
    assert res.returncode == 0, f"pytest in Pyodide exited {res.returncode}: {counts}"
    assert counts.get("passed", 0) >= 1, f"no test passed inside Pyodide: {counts}"


def test_runner_reports_failures(run_in_pyodide, tmp_path, summary_counts):
    """The plumbing itself: a failing test inside Pyodide must surface as a failing exit code
    and an accurate summary, otherwise the suite above could never go red."""
    (tmp_path / "test_canary.py").write_text(
        "import sys, webtensor\n"
        "from hypothesis import given, strategies as st\n"
        "def test_in_pyodide():\n    assert sys.platform == 'emscripten'\n"
        "@given(st.integers())\ndef test_hypothesis_runs(x):\n    assert x == x\n"
        "def test_fails():\n    assert 1 == 2\n")
    res = run_in_pyodide("--copy", f"{tmp_path}=canary", "--", "canary", "-q")
    assert res.returncode == 1, res.output[-2000:]
    assert summary_counts(res.output) == {"failed": 1, "passed": 2}
