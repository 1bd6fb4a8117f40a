"""Shared by the Node and Chromium tiers: reading the summary of a pytest run inside Pyodide
and reporting it in this session's terminal summary. (Also copied into Pyodide with
tests/portable; it needs only pytest.)"""
import re

import pytest

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


def pytest_terminal_summary(terminalreporter):
    if _INNER_SUITES:
        terminalreporter.section("suites run inside Pyodide", sep="-")
        for line in _INNER_SUITES:
            terminalreporter.write_line(line)
