"""fcvalidate vs plain Schemathesis (`st run`) on the same compiled contracts and the same servers.

One row per fault of the catalogue: found by fcvalidate (its own requirement fails, or warns for a
SHOULD, on an operation the fault breaks; a warning elsewhere does not count), found by Schemathesis (a failure type it did not report against the conformant reference). Plus the wall
time and requests of each on the conformant reference, and Schemathesis's failures there (false alarms).
Goal: fcvalidate finds every fault, Schemathesis's misses are listed, and fcvalidate is not slower.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import TOKEN, options

from fcvalidate import certify
from fcvalidate.files import load_contracts
from fcvalidate.requirements import REQUIREMENT
from fcvalidate.server import FAULTS, serve_in_background
from fcvalidate.server.faults import Fault

ST = str(Path(sys.executable).with_name("st"))
QUICK_FAULTS = ("cross-tenant", "foreign-enum-code", "no-check-tenant")


def merged_spec(folder: Path) -> Path:
    """Both contracts as one document, so one `st run` covers every operation (operations stay separate)."""
    specs = [dict(c.spec) for c in load_contracts()]
    merged = {**specs[0], "paths": {}, "components": {"schemas": {}, "securitySchemes": {}}}
    for spec in specs:
        merged["paths"].update(spec["paths"])
        for kind, items in spec.get("components", {}).items():
            merged["components"][kind].update(items)
    path = folder / "merged.openapi.json"
    path.write_text(json.dumps(merged))
    return path


def st_run(spec: Path, url: str, budget: int, workers: int = 2) -> tuple[set[str], int, float]:
    start = time.perf_counter()
    out = subprocess.run(
        [
            ST,
            "run",
            str(spec),
            "-u",
            url,
            "-n",
            str(budget),
            "--seed",
            "0",
            "-w",
            str(workers),
            "-c",
            "all",
            "-H",
            f"Authorization: Bearer {TOKEN}",
            "--continue-on-failure",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    seconds = time.perf_counter() - start
    summary = out.rpartition("Failures:")[2].partition("Test cases:")[0]
    codes = set(re.findall(r"\b(ST\d+ [^:\n]+):", summary))
    generated = re.search(r"(\d+) generated", out)
    return codes, int(generated.group(1)) if generated else 0, seconds


def fcvalidate_run(url: str, budget: int) -> tuple[Any, float]:
    start = time.perf_counter()
    result = certify(url, **options(max_examples=budget))
    return result, time.perf_counter() - start


def found_by_fcvalidate(fault: Fault, result: Any) -> bool:
    """The fault's own requirement failed (warned, for a SHOULD) on an operation the fault breaks."""
    wanted = "warning" if REQUIREMENT[fault.requirement].level == "SHOULD" else "failed"
    return any(
        r.requirement.id == fault.requirement and r.status == wanted and fault.breaks(r.operation)
        for r in result.results
    )


def run(quick: bool = False) -> list[dict[str, Any]]:
    budget = 5 if quick else 20
    faults = [f for f in FAULTS if f.bundled and (not quick or f.id in QUICK_FAULTS)]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        spec = merged_spec(Path(folder))
        with serve_in_background(tokens=(TOKEN,)) as url:
            baseline, st_requests, st_s = st_run(spec, url, budget)
            result, fc_s = fcvalidate_run(url, budget)
        rows.append(
            {
                "benchmark": "vs schemathesis",
                "case": "conformant reference",
                "fcvalidate_s": round(fc_s, 2),
                "fcvalidate_requests": result.cases_sent,
                "fcvalidate_failures": sum(r.status == "failed" for r in result.results),
                "st_s": round(st_s, 2),
                "st_requests": st_requests,
                "st_failures": ", ".join(sorted(baseline)) or "none",
                "goal": "no failure (a failure here is a false alarm)",
            }
        )
        found_fc = found_st = 0
        for fault in faults:
            with serve_in_background(tokens=(TOKEN,), faults=(fault.id,)) as url:
                codes, _, _ = st_run(spec, url, budget)
                result, _ = fcvalidate_run(url, budget)
            fc_found = found_by_fcvalidate(fault, result)
            st_new = sorted(codes - baseline)
            found_fc += fc_found
            found_st += bool(st_new)
            rows.append(
                {
                    "benchmark": "vs schemathesis",
                    "case": f"fault {fault.id}",
                    "fcvalidate": "found" if fc_found else "MISSED",
                    "st": ", ".join(st_new) or "missed",
                }
            )
        rows.append(
            {
                "benchmark": "vs schemathesis",
                "case": f"faults found of {len(faults)}",
                "fcvalidate": found_fc,
                "st": found_st,
                "goal": "fcvalidate finds every fault",
            }
        )
    return rows
