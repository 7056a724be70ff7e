"""docs/certificate.md's walk-through, run as written (bash, from a folder laid out like a checkout)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "certificate.md"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_walk_through_runs_as_written(tmp_path):
    block = re.search(r"<!-- certificate-example -->\s*```sh\n(.*?)```", DOC.read_text(), re.S).group(1)
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "verify_certificate.py", tmp_path / "docs")
    env = {
        **os.environ,
        "PORT": str(free_port()),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert out.count("valid: reference 0.1.0 is conformant") == 3
    assert "re-checked at http://127.0.0.1:" in out
    assert "signature: valid (https://fcvalidate.dev/certificate/v1)" in out
    assert "[![fcvalidate: reference 0.1.0 · conformant" in out
    assert (tmp_path / "published" / "report.json").is_file()
