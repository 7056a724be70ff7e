"""How hard is fcvalidate/ to change? The figures of issue 21, measured with radon.

Prints, for the package and per folder: lines, blocks (functions, methods, classes) of radon grade C or
worse and their rate per 1,000 lines, those of grade D or worse, and every function longer than 60 lines.
The goals: at most 3 blocks of grade C or worse per 1,000 lines, none of grade E or F, no function over 60
lines. `make complexity` runs it; `--list` prints every block of grade C or worse.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from radon.complexity import cc_rank, cc_visit
from radon.raw import analyze

PACKAGE = Path(__file__).resolve().parent.parent / "fcvalidate"
LONGEST = 60  # lines a function may have


@dataclass(frozen=True)
class Block:
    where: str
    name: str
    complexity: int

    @property
    def grade(self) -> str:
        return str(cc_rank(self.complexity))


def _blocks(path: Path, source: str) -> list[Block]:
    where = str(path.relative_to(PACKAGE.parent))
    found = []
    for b in cc_visit(source):
        found.append(Block(f"{where}:{b.lineno}", b.fullname, b.complexity))
    return found


def _long_functions(path: Path, source: str) -> list[tuple[str, str, int]]:
    where = str(path.relative_to(PACKAGE.parent))
    return [
        (f"{where}:{node.lineno}", node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > LONGEST
    ]


def measure() -> dict[str, object]:
    lines: dict[str, int] = defaultdict(int)
    graded: dict[str, list[Block]] = defaultdict(list)
    long: list[tuple[str, str, int]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        folder = path.parent.relative_to(PACKAGE.parent).as_posix()
        lines[folder] += analyze(source).loc
        graded[folder] += [b for b in _blocks(path, source) if b.grade >= "C"]
        long += _long_functions(path, source)
    return {"lines": dict(lines), "graded": dict(graded), "long": long}


def main(argv: list[str]) -> int:
    m = measure()
    lines, graded, long = m["lines"], m["graded"], m["long"]
    assert isinstance(lines, dict) and isinstance(graded, dict) and isinstance(long, list)
    print(f"{'folder':<24}{'lines':>7}{'C+':>5}{'per 1,000':>11}{'D+':>5}")
    for folder in sorted(lines):
        blocks = graded.get(folder, [])
        rate = 1000 * len(blocks) / lines[folder]
        print(
            f"{folder:<24}{lines[folder]:>7}{len(blocks):>5}{rate:>11.1f}{sum(b.grade >= 'D' for b in blocks):>5}"
        )
    every = [b for blocks in graded.values() for b in blocks]
    total = sum(lines.values())
    worst = [b for b in every if b.grade >= "E"]
    print(
        f"{'fcvalidate (all)':<24}{total:>7}{len(every):>5}{1000 * len(every) / total:>11.1f}"
        f"{sum(b.grade >= 'D' for b in every):>5}"
    )
    print(f"grade E or F: {len(worst)}; functions over {LONGEST} lines: {len(long)}")
    for where, name, length in long:
        print(f"  {where} {name}: {length} lines")
    if "--list" in argv:
        for b in sorted(every, key=lambda b: -b.complexity):
            print(f"  {b.grade} {b.complexity:>3} {b.where} {b.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
