"""Run the fuzz tier (tests/fuzz, stdlib + hypothesis + webtensor; not its vs_torch/) inside
Pyodide in Node: a few hundred cases per format (fuzzlib.CASES inside Pyodide), tokenizer.json
and safetensors headers nested 100 000 deep (fatal in Pyodide's json.loads before the bound),
pickles nested as deep. Hypothesis runs derandomized, as on CPython."""


def test_fuzz_suite_in_pyodide_node(run_in_pyodide, repo, summary_counts, record_inner_suite):
    tests = sorted((repo / "tests" / "fuzz").glob("test_*.py"))
    assert tests, "tests/fuzz is empty"
    copies = ["tests/conftest.py", "tests/__init__.py", "pyproject.toml", "tests/fuzz/conftest.py",
              "tests/fuzz/fuzzlib.py", "tests/fuzz/seeds.py",
              *(str(t.relative_to(repo)) for t in tests)]
    args = [a for c in copies if (repo / c).exists() for a in ("--copy", c)]
    res = run_in_pyodide(*args, "--", "tests/fuzz", "-ra", "-p", "no:cacheprovider")
    counts = summary_counts(res.output)
    record_inner_suite("Node: tests/fuzz", counts, res.seconds)
    assert res.returncode == 0, f"pytest in Pyodide exited {res.returncode}: {counts}"
    assert counts.get("passed", 0) >= len(tests), f"too few tests passed inside Pyodide: {counts}"
    for fmt in ("safetensors", "gguf", "torch zip", "torch legacy", "tokenizer.json"):
        assert f"{fmt}: 300 cases" in res.output, f"no fuzz summary for {fmt} inside Pyodide"
