"""The benchmark scripts must not rot: each runs with a tiny budget. Figures are printed, never asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[2] / "benchmarks" / "run.py"


@pytest.mark.parametrize("name", ["compiler", "engine", "memory", "schemathesis", "speed"])
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
