"""The code stays easy to change (issue 21): no function of fcvalidate/ over 60 lines, none of radon grade
E or F. `make complexity` prints the figures; the rate of grade C blocks is a goal it reports, not a gate."""

from __future__ import annotations

import ast
from pathlib import Path

from radon.complexity import cc_rank, cc_visit

PACKAGE = Path(__file__).resolve().parent.parent / "fcvalidate"


def sources() -> list[tuple[str, str]]:
    return [
        (str(p.relative_to(PACKAGE.parent)), p.read_text(encoding="utf-8")) for p in PACKAGE.rglob("*.py")
    ]


def test_no_function_is_over_60_lines():
    long = [
        f"{where}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for where, source in sources()
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > 60
    ]
    assert long == []


def test_no_block_is_of_grade_e_or_f():
    worst = [
        f"{where}:{b.lineno} {b.fullname} ({cc_rank(b.complexity)} {b.complexity})"
        for where, source in sources()
        for b in cc_visit(source)
        if cc_rank(b.complexity) in ("E", "F")
    ]
    assert worst == []
