"""Change-scoped recertification: how its time falls with what changed. The test corpus (every shape of
operation) is certified in full once; then versions with k operations changed (a response status added to
each: every requirement re-checked) are certified with `--changed-from`, carrying the rest; then versions
with k success bodies changed (a field added: valid-requests re-checked, the operation's other
requirements carried). Figures are printed, never asserted.

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

from bench_api import BASIC, DATA, SOURCES, TOKEN

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


def _success_bodies(folder: Path, old: Path, changed: int) -> tuple[Path, int]:
    """A copy of the compiled corpus in which the first `changed` operations with an inline 2xx JSON
    object schema document one more optional field there; returns it and how many operations changed."""
    out = folder / f"bodies-{changed}"
    out.mkdir()
    planted = 0
    for path in sorted(old.glob("*.openapi.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        for item in spec["paths"].values():
            for op in item.values():
                if not isinstance(op, dict) or planted >= changed:
                    continue
                schemas = [
                    media["schema"]
                    for status, answer in op.get("responses", {}).items()
                    if str(status).startswith("2")
                    for media in answer.get("content", {}).values()
                    if isinstance(media.get("schema", {}).get("properties"), dict)
                ]
                for schema in schemas:
                    schema["properties"]["benchNote"] = {"type": "string"}
                planted += bool(schemas)
        (out / path.name).write_text(json.dumps(spec, indent=2), encoding="utf-8")
    return out, planted


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
    args += ["--basic", ":".join(BASIC)]
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
            tokens=(TOKEN,), api_keys=tuple(keys.items()), basic=(BASIC,), contracts_dir=old, data=DATA
        ) as url:
            full = _certify(url, old, previous, keys, budget)
        rows.append({**_row(f"full run, {total} operations", previous, full, full), "share_of_full": 1.0})

        def scoped(new: Path, reports: Path) -> float:
            """A change-scoped run of `new` against its own reference, carrying from the full run."""
            with serve_in_background(
                tokens=(TOKEN,), api_keys=tuple(keys.items()), basic=(BASIC,), contracts_dir=new, data=DATA
            ) as url:
                since = ("--changed-from", str(old), "--previous-report", str(previous / "report.json"))
                return _certify(url, new, reports, keys, budget, *since)

        for changed in counts:
            new = old if changed == 0 else _version(folder, changed)
            reports = folder / f"reports-{changed}"
            seconds = scoped(new, reports)
            rows.append(_row(f"{changed} of {total} operations changed", reports, seconds, full))
        for changed in counts[1:]:
            new, planted = _success_bodies(folder, old, changed)
            reports = folder / f"bodies-reports-{changed}"
            seconds = scoped(new, reports)
            rows.append(_row(f"{planted} of {total} success bodies changed", reports, seconds, full))
    return rows


def _row(case: str, reports: Path, seconds: float, full: float) -> dict[str, Any]:
    data = json.loads((reports / "report.json").read_text())
    return {
        "benchmark": "change-scoped recertification",
        "case": case,
        "operations_rechecked": len({r["operation"] for r in data["results"] if not r["carried_from"]}),
        "verdicts_rechecked": sum(1 for r in data["results"] if not r["carried_from"]),
        "cases_sent": data["run"]["cases_sent"],
        "seconds": round(seconds, 2),
        "share_of_full": round(seconds / full, 2),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny budgets, for the test suite")
    for row in run(quick=parser.parse_args().quick):
        print(
            f"{row['case']:<40} re-checked {row['operations_rechecked']:>3} operation(s), "
            f"{row['verdicts_rechecked']:>4} verdict(s), {row['cases_sent']:>5} case(s)  "
            f"{row['seconds']:>7.2f} s  {row['share_of_full']:>5.2f} of the full run"
        )
