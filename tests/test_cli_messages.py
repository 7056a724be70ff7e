"""The CLI's smaller promises: what a failed start leaves behind, and messages that name the real cause."""

from __future__ import annotations

import json
import os
import socket
import subprocess

from fcvalidate.server import serve_in_background
from tests.conftest import TOKEN
from tests.test_cli import certify, invoke


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


def test_a_rejected_api_key_names_the_api_key_not_the_token(corpus_contracts_dir, tmp_path):
    with serve_in_background(
        contracts_dir=corpus_contracts_dir, api_keys=(("X-Api-Key", "good-key-5566"),)
    ) as url:
        result = invoke(
            "certify", "--base-url", url, "--contracts", str(corpus_contracts_dir),
            "--operation", "HEAD /stations/{stationId}", "--api-key", "X-Api-Key=wrong-key-7788",
            "--report-dir", str(tmp_path), "--max-examples", "2",
            env={"FCVALIDATE_TOKEN": ""},
        )  # fmt: skip
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("--api-key: credentials rejected")
    assert "check the key given for X-Api-Key" in result.stderr and "token" not in result.stderr
    assert "wrong-key-7788" not in result.output


def test_a_curl_reproducer_run_without_the_token_says_it_is_unset(tmp_path):
    with serve_in_background(tokens=(TOKEN,), faults=("cross-tenant",)) as url:
        assert certify(url, tmp_path).exit_code == 1
        data = json.loads((tmp_path / "report.json").read_text())
        line = next(c["curl"] for c in data["cases"].values() if c["case"]["auth"] == "valid")
        env = {k: v for k, v in os.environ.items() if k != "FCVALIDATE_TOKEN"}
        unset = subprocess.run(["sh", "-c", line], capture_output=True, text=True, env=env, timeout=30)
        given = subprocess.run(
            ["sh", "-c", line],
            capture_output=True,
            text=True,
            env={**env, "FCVALIDATE_TOKEN": TOKEN},
            timeout=30,
        )
    assert unset.returncode != 0 and "HTTP/" not in unset.stdout  # nothing sent
    assert "FCVALIDATE_TOKEN: is unset: export FCVALIDATE_TOKEN=<bearer token>" in unset.stderr
    assert given.returncode == 0 and given.stdout.startswith("HTTP/1.1 2"), given.stdout


def test_without_a_data_file_tenant_isolation_says_none_was_given_and_reports_render_its_code(
    reference_url, tmp_path
):
    result = invoke(
        "certify", "--base-url", reference_url, "--token", TOKEN, "--operation", "POST /service-orders",
        "--max-examples", "2", "--report-dir", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    data = json.loads((tmp_path / "report.json").read_text())
    (reason,) = [r["reason"] for r in data["results"] if r["requirement"] == "tenant-isolation"]
    assert reason.startswith("not tested: no data file was given; give one (--data FILE")
    assert "`foreign:`" in reason and "the data file gives" not in reason
    html = (tmp_path / "report.html").read_text()
    assert (
        "<code>foreign:</code> section" in html and "`" not in html.split("<tbody>")[1].split("</tbody>")[0]
    )
    assert "`foreign:` section" in (tmp_path / "summary.md").read_text()  # a code span, not escaped ticks
