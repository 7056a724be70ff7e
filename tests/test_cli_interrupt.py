"""Ctrl-C at any moment of `fcvalidate certify`, from its first second (the CLI still loading) to the run
itself: one line on stderr, exit 130, never a traceback; once the run has started, the reports hold what
was judged."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fcvalidate.server import serve_in_background
from tests.conftest import TOKEN

# After the interpreter's own start (about 0.1 s, before any fcvalidate code runs), through the CLI's
# imports, the contracts' loading, and into the run.
DELAYS = (0.4, 0.8, 1.2, 1.6, 2.0, 2.5, 3.0)
COMMAND = Path(sys.executable).with_name("fcvalidate")


@pytest.fixture(scope="module")
def slow_reference():
    """Every answer 50 ms late, one request at a time: the run outlasts the last delay on any machine."""
    with serve_in_background(tokens=(TOKEN,), delay=0.05) as url:
        yield url


@pytest.mark.parametrize("delay", DELAYS)
def test_ctrl_c_early_is_one_line_and_exit_130(slow_reference, tmp_path, delay):
    reports = tmp_path / "reports"
    process = subprocess.Popen(
        [str(COMMAND), "certify", "--base-url", slow_reference, "--token", TOKEN,
         "--report-dir", str(reports), "--max-examples", "3", "--max-concurrency", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert "Traceback" not in err and "Aborted" not in err, err
    assert process.returncode == 130, (out, err)
    (line,) = err.strip().splitlines()
    assert line.startswith("interrupted")
    if reports.exists():  # the run had started: what it judged is in every report, marked incomplete
        assert {p.name for p in reports.iterdir()} == {
            "report.json",
            "junit.xml",
            "report.html",
            "summary.md",
        }
        assert '"complete": false' in (reports / "report.json").read_text()
