"""report.html in a real browser (Debian's chromium, headless): verdict and failures shown, no external
requests, and a server-supplied <script> shown as text, never run. A screenshot is kept."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from fcvalidate.cli import main
from tests.hostile import INJECTION, hostile_server

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium; installed here when missing (CI's .ci/run installs it too)."""
    found = shutil.which("chromium")
    if found is None:
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium"],
            check=False,
            capture_output=True,
            env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
        )
        found = shutil.which("chromium")
    if found is None:
        pytest.fail(
            "Debian's chromium is not installed and could not be installed (apt-get install chromium)"
        )
    return found


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    with hostile_server("html-injection") as url:
        result = CliRunner().invoke(
            main,
            [
                "certify",
                "--base-url",
                url,
                "--token",
                "browser-test-token",
                "--report-dir",
                str(folder),
                "--max-examples",
                "2",
                "--operation",
                "POST /service-problem-amendments",
            ],
        )
    assert result.exit_code == 1, result.output
    return folder / "report.html"


def run_chromium(chromium: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_report_renders_verdict_and_failures_without_running_server_script(chromium, report, tmp_path):
    dom = run_chromium(chromium, tmp_path, "--dump-dom", report.as_uri()).stdout
    assert 'id="verdict"' in dom and "not conformant" in dom
    assert "Error code outside this operation's enum" in dom
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]  # the script did not run
    assert "<script" not in dom  # no script element at all: the server's one is text
    assert "&lt;script&gt;document.body.setAttribute" in dom  # ... shown to the reader
    assert INJECTION in report.read_text(encoding="utf-8").replace("&lt;", "<").replace("&gt;", ">").replace(
        "&#x27;", "'"
    )


def test_report_has_no_external_requests(report):
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"<(link|script|img|iframe|object|embed)\b", html)
    assert not re.search(r"\b(src|href)\s*=", html)
    assert "url(" not in html
    assert "default-src 'none'" in html  # and the page forbids any, should a future change add one


def test_screenshot_renders(chromium, report, tmp_path):
    out = tmp_path / "report-screenshot.png"  # tests write only into their own tmp paths
    run_chromium(chromium, tmp_path, f"--screenshot={out}", "--window-size=1280,1600", report.as_uri())
    assert out.is_file() and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
