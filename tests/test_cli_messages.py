"""The CLI's smaller promises: what a failed start leaves behind, and messages that name the real cause."""

from __future__ import annotations

import socket

from tests.conftest import TOKEN
from tests.test_cli import invoke


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_run_that_never_starts_leaves_no_report_folder(reference_url, tmp_path):
    folder = tmp_path / "new" / "reports"
    usage = invoke(
        "certify", "--base-url", reference_url, "--report-dir", str(folder), env={"FCVALIDATE_TOKEN": ""}
    )
    assert usage.exit_code == 2, usage.output
    unreachable = invoke(
        "certify",
        "--base-url",
        f"http://127.0.0.1:{free_port()}",
        "--token",
        TOKEN,
        "--report-dir",
        str(folder),
    )
    assert unreachable.exit_code == 3, unreachable.output
    assert not (tmp_path / "new").exists()
