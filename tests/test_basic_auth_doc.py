"""docs/basic-auth.md: its shell examples run exactly as written (in a scratch folder holding the corpus
document they compile), each command ending with the exit code its comment gives (0 when none)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import CORPUS
from tests.report.test_curl import curl_binary  # noqa: F401  (a fixture)

DOC = Path(__file__).resolve().parent.parent / "docs" / "basic-auth.md"
EXIT = re.compile(r"\s+# exit (\d+)$")


def script(doc: str) -> str:
    """The doc's sh blocks as one script that stops at the first command whose exit code is not the
    documented one."""
    out = []
    for n, line in enumerate(
        line for block in re.findall(r"```sh\n(.*?)```", doc, re.S) for line in block.splitlines()
    ):
        match = EXIT.search(line)
        out.append(line)
        if not line.endswith("&"):
            want = int(match.group(1)) if match else 0
            out.append(f'rc=$?; [ $rc -eq {want} ] || {{ echo "line {n}: exit $rc, not {want}"; exit 99; }}')
    return "\n".join(out) + "\n"


def test_the_documented_commands_run_as_written(tmp_path, curl_binary):  # noqa: F811
    shutil.copytree(CORPUS / "meter-readings", tmp_path / "tests/contract/corpus/meter-readings")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("FCVALIDATE_BASIC", None)
    shell = shutil.which("dash") or "/bin/sh"
    proc = subprocess.Popen(
        [shell, "-c", script(DOC.read_text(encoding="utf-8"))],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        output, _ = proc.communicate(timeout=300)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # a server a failed step left running
    assert proc.returncode == 0, output
    assert "passes now" in output and "still fails" in output, output
    assert "tide:pool-31" not in output  # the password: never printed by a command
