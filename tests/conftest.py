"""Shared by all tiers: the hypothesis profile, the guard-bytes fixture, and (for the Node and
Chromium tiers) reading the summary of a pytest run inside Pyodide and reporting it in this
session's terminal summary. Also copied into Pyodide with tests/portable: pytest and
hypothesis only at import time."""
import os
import re

import pytest
from hypothesis import HealthCheck, settings

# Derandomized so CI and the in-Pyodide runs are repeatable; WEBTENSOR_HYPOTHESIS_RANDOM=1
# explores new examples.
settings.register_profile(
    "webtensor", deadline=None, max_examples=20, print_blob=True,
    derandomize=os.environ.get("WEBTENSOR_HYPOTHESIS_RANDOM") != "1",
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large])
settings.load_profile("webtensor")


@pytest.fixture
def guarded():
    """Every storage made during the test carries guard bytes, checked after kernel calls."""
    from webtensor import _storage
    prev = _storage.guards_enabled()
    _storage.set_guards(True)
    yield
    _storage.set_guards(prev)


_SUMMARY = re.compile(r"^=*\s*(?P<body>(?:\d+ \w+(?:, )?)+) in [\d.]+s\b.*$", re.M)
_INNER_SUITES = []


def parse_pytest_summary(output):
    """Counts from pytest's final line, e.g. '3 passed, 1 skipped in 2.1s' -> {...}."""
    found = _SUMMARY.findall(output)
    counts = {}
    for part in (found[-1].split(", ") if found else []):
        n, word = part.split(" ", 1)
        counts[{"error": "errors", "warning": "warnings"}.get(word, word)] = int(n)
    return counts


@pytest.fixture(scope="session")
def summary_counts():
    return parse_pytest_summary


@pytest.fixture(scope="session")
def record_inner_suite():
    """record_inner_suite(name, counts, seconds): reported in pytest's terminal summary, so the
    counts of the suites run inside Pyodide are visible without -s."""

    def record(name, counts, seconds):
        body = ", ".join(f"{n} {k}" for k, n in counts.items()) or "no summary line"
        _INNER_SUITES.append(f"{name}: {body} ({seconds:.1f} s)")

    return record


@pytest.fixture(scope="session")
def training_files():
    """What tests/training and the examples it runs read, repo-relative: copied into Pyodide
    by the Node and Chromium tiers (tests/pyodide/test_training_in_node.py,
    tests/browser/test_training_in_chromium.py)."""
    return ["examples", "tests/training/conftest.py", "tests/golden/training",
            "tests/golden/models/digits.json", "pyodide_pkg/webtensor/models/digits_cnn.py"]


def pytest_terminal_summary(terminalreporter):
    if _INNER_SUITES:
        terminalreporter.section("suites run inside Pyodide", sep="-")
        for line in _INNER_SUITES:
            terminalreporter.write_line(line)
