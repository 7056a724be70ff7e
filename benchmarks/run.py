"""Run the benchmarks, print one table, write reports/bench.json.

    python benchmarks/run.py            # full budgets (make bench)
    python benchmarks/run.py --quick    # tiny budgets: proves the scripts still run (the test suite does this)
    python benchmarks/run.py compiler   # only some benchmarks

Figures are measured, never asserted: each is a ratio to a baseline measured in the same run, or an
absolute figure printed next to its goal.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(
    1, str(Path(__file__).resolve().parent.parent)
)  # tests/contract/samples.py: generated documents

import bench_api
import bench_compiler
import bench_engine
import bench_memory
import bench_schemathesis
import bench_speed

BENCHMARKS = {
    "speed": bench_speed.run,
    "engine": bench_engine.run,
    "schemathesis": bench_schemathesis.run,
    "compiler": bench_compiler.run,
    "memory": bench_memory.run,
    "api": bench_api.run,
}


def machine() -> dict[str, object]:
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "system": platform.system(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "names", nargs="*", choices=[*BENCHMARKS, []], help="benchmarks to run (default: all)"
    )
    parser.add_argument("--quick", action="store_true", help="tiny budgets, for the test suite")
    parser.add_argument("--output", type=Path, default=Path("reports/bench.json"))
    args = parser.parse_args(argv)
    rows = []
    for name in args.names or list(BENCHMARKS):
        start = time.perf_counter()
        rows.extend(BENCHMARKS[name](quick=args.quick))
        print(f"[{name}: {time.perf_counter() - start:.1f} s]", file=sys.stderr)
    print_table(rows)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps({"machine": machine(), "quick": args.quick, "rows": rows}, indent=2) + "\n"
    )
    print(f"\nwritten {args.output}")
    return 0


def print_table(rows: list[dict[str, object]]) -> None:
    """One table per benchmark, each with its own columns."""
    groups: dict[object, list[dict[str, object]]] = {}
    for row in rows:
        groups.setdefault(row["benchmark"], []).append(row)
    for name, group in groups.items():
        columns: list[str] = []
        for row in group:
            columns.extend(k for k in row if k not in columns and k != "benchmark")
        widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in group)) for c in columns}
        print(f"\n## {name}")
        print(" | ".join(c.ljust(widths[c]) for c in columns))
        print("-+-".join("-" * widths[c] for c in columns))
        for row in group:
            print(" | ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns))


if __name__ == "__main__":
    sys.exit(main())
