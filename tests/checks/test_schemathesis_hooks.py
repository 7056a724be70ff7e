"""fcvalidate's oracle inside a plain `st run` (Schemathesis's own check API and CLI)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fcvalidate.server import serve_in_background
from tests.conftest import TOKEN

ST = str(Path(sys.executable).with_name("st"))
SPEC = str(Path(__file__).resolve().parents[2] / "contracts" / "fibre-cafe-1.15.openapi.json")


def st_run(url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "fcvalidate.checks.schemathesis_hooks"}
    return subprocess.run(
        [
            ST,
            "run",
            SPEC,
            "-u",
            url,
            "-n",
            "10",
            "--seed",
            "1",
            "-c",
            "fcvalidate_conformance",
            "-H",
            f"Authorization: Bearer {TOKEN}",
            "--phases",
            "examples,fuzzing",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )


def test_registered_check_passes_a_conformant_implementation():
    with serve_in_background(tokens=(TOKEN,)) as url:
        result = st_run(url)
    assert result.returncode == 0, result.stdout[-3000:]


def test_registered_check_finds_a_code_from_another_operations_enum():
    with serve_in_background(tokens=(TOKEN,), faults=("foreign-enum-code",)) as url:
        result = st_run(url)
    assert result.returncode == 1
    assert "Error code outside this operation's enum" in result.stdout
    assert (
        "'GATEWAY_FAULT'" in result.stdout
        and "Clause source/service-problem-amendments.md:1:" in result.stdout
    )
