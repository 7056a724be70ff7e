"""A hostile implementation is a finding, never a traceback or a hung run; nothing lets a secret out."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from fcvalidate.cli import main
from tests.hostile import HOSTILE_MODES, hostile_server

TOKEN = "s3cret-token-do-not-leak"
OP = "POST /service-problem-amendments"

EXPECTED = {
    "never-answers": "no response within 1 s",
    "trickle": "no response within 1 s",
    "reset-mid-body": "connection reset",
    "content-length-larger": "broken HTTP response",
    "content-length-smaller": "Accepted",
    "invalid-utf8": "Error body is not JSON",
    "huge-body": "Success body is not JSON",
    "gzip-bomb": "Success body is not JSON",
    "redirect-off-host": "307 to http://elsewhere.invalid/steal",
    "http10": "Success body (201)",
    "html-injection": "Error code outside this operation's enum",
    "echo-request": "Wrong status",
}


def test_every_hostile_mode_has_an_expectation():
    assert set(EXPECTED) == {m.id for m in HOSTILE_MODES}


def certify(url: str, report_dir: Path, *extra: str):
    args = [
        "certify",
        "--base-url",
        url,
        "--token",
        TOKEN,
        "--report-dir",
        str(report_dir),
        "--operation",
        OP,
        "--timeout",
        "1",
        "--max-examples",
        "3",
        *extra,
    ]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def all_text(report_dir: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in report_dir.iterdir())


@pytest.mark.parametrize("mode", sorted(EXPECTED))
def test_hostile_server_is_a_finding(mode, tmp_path):
    with hostile_server(mode) as url:
        result = certify(url, tmp_path)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    data = json.loads((tmp_path / "report.json").read_text())
    findings = [f for r in data["results"] for f in r["findings"] if f["severity"] == "failure"]
    assert any(EXPECTED[mode] in f["title"] or EXPECTED[mode] in f["actual"] for f in findings), findings
    assert TOKEN not in result.output and TOKEN not in all_text(tmp_path)


def test_redirects_are_not_followed_off_host(tmp_path):
    with hostile_server("redirect-off-host") as url:
        certify(url, tmp_path)
    data = json.loads((tmp_path / "report.json").read_text())
    for case in data["cases"].values():
        assert case["request"]["url"].startswith(url)
        assert case.get("response", {}).get("status") == 307


@pytest.mark.parametrize("url", ["http://127.0.0.1:9", "http://fcvalidate-no-such-host.invalid"])
def test_unreachable_is_exit_3_with_one_line(url, tmp_path):
    start = time.monotonic()
    result = CliRunner().invoke(
        main, ["certify", "--base-url", url, "--token", TOKEN, "--report-dir", str(tmp_path)]
    )
    assert result.exit_code == 3
    assert len(result.output.strip().splitlines()) == 1
    assert TOKEN not in result.output
    assert time.monotonic() - start < 5  # a correctness bound (the promise), not a benchmark


def test_ctrl_c_writes_partial_reports_and_exits_130(tmp_path):
    with hostile_server("trickle") as url:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "fcvalidate.cli",
                "certify",
                "--base-url",
                url,
                "--token",
                TOKEN,
                "--report-dir",
                str(tmp_path),
                "--timeout",
                "3",
                "--max-examples",
                "2",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        seen = []
        for line in proc.stdout:  # plain progress lines (not a terminal): interrupt inside the run
            seen.append(line)
            if "valid requests" in line:
                break
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
        out = "".join(seen) + out
    assert proc.returncode == 130, out
    assert "Traceback" not in out
    data = json.loads((tmp_path / "report.json").read_text())
    # The requests in flight at Ctrl-C run to their deadline and are judged: a trickle gets no answer
    # within 3 s, a failure, so the verdict may be not-conformant rather than only incomplete.
    assert data["verdict"] in ("incomplete", "not-conformant") and data["run"]["complete"] is False
    assert "interrupted" in (tmp_path / "summary.md").read_text()
