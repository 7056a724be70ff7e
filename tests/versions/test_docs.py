"""docs/versions.md cannot rot: its rule table is the code's, and its commands run as written."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from fcvalidate.report.diff import rules_markdown

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "versions.md"


def test_the_rule_table_is_the_code():
    assert rules_markdown() in PAGE.read_text(encoding="utf-8")


def test_the_commands_run_as_written(tmp_path: Path):
    """Every ```bash block, in order, in a copy of the parts of a checkout they use."""
    shutil.copytree(ROOT / "contracts", tmp_path / "contracts")
    shutil.copytree(ROOT / "tests" / "versions" / "series", tmp_path / "tests" / "versions" / "series")
    shutil.copy(ROOT / "tests" / "versions" / "accepted.yaml", tmp_path / "tests" / "versions")
    blocks = re.findall(r"```bash\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 6
    script = "set -e\n" + "\n".join(blocks)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.Popen(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, out[-3000:]
    assert out.count("exit 1") == 2  # --fail-on breaking, and the full run against the old contracts
    assert "re-checking 1 of 3 operation(s), carrying 18 verdict(s) of 2 from reports/old/report.json" in out
    assert "2 change(s) silenced by tests/versions/accepted.yaml" in out
    assert "re-checking 1 of 3 operation(s), carrying 26 verdict(s) of 3 from certificate sha256:" in out
    assert (
        "  re-check POST /service-problem-amendments: changed (response-property-became-required at "
        "response.202.body.$.supplierReference): valid-requests only"
    ) in out
    assert "note: carried: 26 of 27 verdict(s) were not re-checked by this run" in out and "valid: " in out
    assert json.loads((tmp_path / "reports" / "diff.json").read_text())["summary"]["changes"] == 7
    report = json.loads((tmp_path / "reports" / "next" / "report.json").read_text())
    assert report["verdict"] == "conformant"
    assert report["run"]["carried_operations"] == [
        "POST /service-order-amendments",
        "POST /service-problem-amendments",
    ]
