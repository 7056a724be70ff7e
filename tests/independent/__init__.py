"""Implementations written from the documents alone, as suppliers would (see test_independent.py)."""

from __future__ import annotations

from fcvalidate import RunResult


def findings(result: RunResult, severity: str) -> list[str]:
    """Every finding of `severity`, as one line: operation, requirement, title, expected, actual."""
    return [
        f"{r.operation} {r.requirement.id.value}: {f.violation.title} (expected {f.violation.expected}, "
        f"got {f.violation.actual})"
        for r in result.results
        for f in r.findings
        if f.severity == severity
    ]
