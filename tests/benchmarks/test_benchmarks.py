"""The benchmark scripts must not rot: each runs with a tiny budget. Figures are printed, never asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[2] / "benchmarks" / "run.py"


@pytest.mark.parametrize("name", ["api", "compiler", "engine", "memory", "schemathesis", "speed"])
def test_benchmark_runs_with_a_tiny_budget(name, tmp_path):
    output = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(RUN), "--quick", name, "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(output.read_text())
    assert data["quick"] is True and data["machine"]["cpus"]
    assert data["rows"] and all(row["benchmark"] for row in data["rows"])
    assert f"## {data['rows'][0]['benchmark']}" in proc.stdout


def test_a_fault_counts_as_found_only_by_its_own_requirement_on_its_operation(reference_url, run_certify):
    sys.path.insert(0, str(RUN.parent))
    from bench_schemathesis import found_by_fcvalidate

    from fcvalidate.server import FAULTS

    conformant = run_certify(reference_url)  # warns (documentation gaps), fails nothing
    assert any(r.status == "warning" for r in conformant.results)
    assert [f.id for f in FAULTS if found_by_fcvalidate(f, conformant)] == []
