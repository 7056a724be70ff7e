"""Change-scoped recertification: how its time falls with what changed. The test corpus (every shape of
operation) is certified in full once; then versions with k operations changed (a response status added to
each) are certified with `--changed-from`, carrying the rest. Figures are printed, never asserted.

    python benchmarks/bench_versions.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_api import DATA, SOURCES, TOKEN

from fcvalidate.cli import main as fcvalidate
from fcvalidate.files import find_documents, load_contracts
from fcvalidate.server import serve_in_background


def _version(folder: Path, changed: int) -> Path:
    """A copy of the corpus in which the first `changed` documents document one more status (418)."""
    src = folder / f"src-{changed}"
    for source in SOURCES:
        shutil.copytree(source, src / source.name)
    for doc in find_documents([src / s.name for s in SOURCES])[:changed]:
        text = doc.read_text(encoding="utf-8").rstrip("\n")
        doc.write_text(
            text + ("\n\n## Response 418 fields\n" if "\n" in text else " ## Response 418 fields\n")
        )
    out = folder / f"contracts-{changed}"
    sources = [str(src / s.name) for s in SOURCES]
    assert CliRunner().invoke(fcvalidate, ["compile", *sources, "-o", str(out)]).exit_code == 0
    return out


def _certify(
    url: str, contracts: Path, reports: Path, keys: dict[str, str], budget: int, *more: str
) -> float:
    args = [
        "certify",
        "--base-url",
        url,
        "--token",
        TOKEN,
        "--data",
        str(DATA),
        "--contracts",
        str(contracts),
    ]
    args += ["--report-dir", str(reports), "--max-examples", str(budget), "--no-cache"]
    args += [f"--api-key={name}={value}" for name, value in keys.items()]
    start = time.perf_counter()
    result = CliRunner().invoke(fcvalidate, [*args, *more])
    seconds = time.perf_counter() - start
    if result.exit_code not in (0, 1):
        raise SystemExit(result.output)
    return seconds


def run(quick: bool = False) -> list[dict[str, Any]]:
    budget = 3 if quick else 10
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old = _version(folder, 0)
        contracts = load_contracts([old])
        total = sum(len(c.operations) for c in contracts)
        keys = {s.name: TOKEN for c in contracts for op in c for s in op.security if s.kind == "api-key"}
        counts = [0, 1, total] if quick else sorted({0, 1, total // 4, total // 2, total})
        previous = folder / "full"
        with serve_in_background(
            tokens=(TOKEN,), api_keys=tuple(keys.items()), contracts_dir=old, data=DATA
        ) as url:
            full = _certify(url, old, previous, keys, budget)
        rows.append(
            {
                "benchmark": "change-scoped recertification",
                "case": f"full run, {total} operations",
                "operations_rechecked": total,
                "seconds": round(full, 2),
                "share_of_full": 1.0,
            }
        )
        for changed in counts:
            new = old if changed == 0 else _version(folder, changed)
            reports = folder / f"reports-{changed}"
            with serve_in_background(
                tokens=(TOKEN,), api_keys=tuple(keys.items()), contracts_dir=new, data=DATA
            ) as url:
                seconds = _certify(
                    url,
                    new,
                    reports,
                    keys,
                    budget,
                    "--changed-from",
                    str(old),
                    "--previous-report",
                    str(previous / "report.json"),
                )
            data = json.loads((reports / "report.json").read_text())
            rechecked = len({r["operation"] for r in data["results"] if not r["carried_from"]})
            rows.append(
                {
                    "benchmark": "change-scoped recertification",
                    "case": f"{changed} of {total} operations changed",
                    "operations_rechecked": rechecked,
                    "seconds": round(seconds, 2),
                    "share_of_full": round(seconds / full, 2),
                }
            )
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny budgets, for the test suite")
    for row in run(quick=parser.parse_args().quick):
        print(
            f"{row['case']:<40} re-checked {row['operations_rechecked']:>3}  {row['seconds']:>7.2f} s  "
            f"{row['share_of_full']:>5.2f} of the full run"
        )
