"""docs/mutation.md's sample command runs as written and scores its mutant under its own requirement."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "mutation.md"


def test_the_documented_sample_command_runs(tmp_path):
    commands = [line for line in DOC.read_text().splitlines() if "benchmarks/mutation.py --only" in line]
    assert commands
    argv = shlex.split(commands[0].split("#")[0])
    assert argv[0] == ".venv/bin/python"
    argv[0] = sys.executable  # this environment's interpreter, the script from the repository root
    argv[1] = str(ROOT / argv[1])
    proc = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "| overall | 1 | 1 |" in proc.stdout
    written = json.loads((tmp_path / "reports" / "mutation-sample.json").read_text())
    assert [m["outcome"] for m in written["mutants"]] == ["found"]
