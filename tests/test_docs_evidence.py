"""docs/evidence.md runs as written: each ```sh block's commands, in order, in one working directory, with
the exit code its `<!-- exit: N -->` mark gives (0 without one); `http://127.0.0.1:8081` is a reference
server with the fault `crash-on-unicode` started here (its `fcvalidate serve` line is that server)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from fcvalidate.server import serve_in_background

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "evidence.md"
BLOCK = re.compile(
    r"(?:<!--\s*exit:\s*(?P<exit>\d+)\s*-->\s*\n)?^```(?P<lang>\w*)\n(?P<body>.*?)^```", re.S | re.M
)


def test_the_commands_of_docs_evidence_run_as_written(tmp_path):
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    env = {k: v for k, v in os.environ.items() if k != "FCVALIDATE_TOKEN"}
    ran = 0
    with serve_in_background(tokens=("dev-token",), faults=("crash-on-unicode",)) as url:
        for block in BLOCK.finditer(PAGE.read_text(encoding="utf-8")):
            assert block["lang"] in ("sh", "text")
            if block["lang"] != "sh":
                continue
            for command in block["body"].strip().splitlines():
                if "fcvalidate serve" in command:
                    continue  # the server started above
                proc = subprocess.run(
                    ["bash", "-c", command.replace("http://127.0.0.1:8081", url)],
                    cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180,
                )  # fmt: skip
                output = proc.stdout + proc.stderr
                assert proc.returncode == int(block["exit"] or 0), f"{command}\n{output[-2000:]}"
                assert "Traceback" not in output
                ran += 1
    assert ran == 5
