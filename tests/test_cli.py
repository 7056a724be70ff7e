"""`fcvalidate certify` and `replay` as a user runs them: exit codes, reports, redaction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fcvalidate.cli import main
from fcvalidate.server import serve_in_background
from tests.conftest import DATA_FILE, TOKEN
from tests.hostile import hostile_server
from tests.throttled import Gate, serve_gated

REPORTS = {"report.json", "junit.xml", "report.html", "summary.md"}


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def certify(url: str, report_dir: Path, *extra: str):
    return invoke(
        "certify",
        "--base-url",
        url,
        "--token",
        TOKEN,
        "--data",
        str(DATA_FILE),
        "--report-dir",
        str(report_dir),
        "--max-examples",
        "4",
        *extra,
    )


def test_conformant_run_exits_0_and_writes_every_report(reference_url, tmp_path):
    result = certify(reference_url, tmp_path)
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} == REPORTS
    assert "verdict: conformant" in result.output
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["verdict"] == "conformant" and data["run"]["seed"] == 0 and data["run"]["complete"]
    assert {c["name"] for c in data["contracts"]} == {
        "fibre-cafe-1.15.openapi.json",
        "fibre-cafe-1.17.openapi.json",
    }
    assert all(len(c["sha256"]) == 64 for c in data["contracts"])
    assert data["tool"]["dependencies"]["schemathesis"].startswith("4.")
    assert len(data["results"]) == 27  # 9 requirements x 3 operations


def test_token_from_the_environment(reference_url, tmp_path):
    result = invoke(
        "certify",
        "--base-url",
        reference_url,
        "--report-dir",
        str(tmp_path),
        "--max-examples",
        "2",
        env={"FCVALIDATE_TOKEN": TOKEN},
    )
    assert result.exit_code == 0, result.output


def test_faulty_run_exits_1_with_failures_in_every_report(tmp_path):
    with serve_in_background(tokens=(TOKEN,), faults=("cross-tenant",)) as url:
        result = certify(url, tmp_path)
    assert result.exit_code == 1
    data = json.loads((tmp_path / "report.json").read_text())
    failed = [r for r in data["results"] if r["status"] == "failed"]
    assert [r["id"] for r in failed] == ["POST /service-problem-amendments::tenant-isolation"]
    finding = failed[0]["findings"][0]
    assert finding["clause"]["text"].startswith("`Tenant` (string, required)")
    case = data["cases"][finding["case"]]
    assert case["request"]["headers"]["Tenant"] == "TENANT2" and case["response"]["status"] == 201
    assert "curl" in case["curl"] and "${FCVALIDATE_TOKEN:?" in case["curl"]
    assert 'name="tenant-isolation"' in (tmp_path / "junit.xml").read_text()
    assert "tenant-isolation" in (tmp_path / "summary.md").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-examples", "0"], "0 is not in the range x>=1"),
        (["--operation", "GET /nothing"], "is not in the contracts"),
        (["--contracts", "no/such/folder"], "no such contract file or folder"),
        (["--token-url", "/oauth2/token"], "--token: give either a token or a token URL"),
        (["--max-concurrency", "0"], "0 is not in the range x>=1"),
        (["--rate-limit", "0"], "0 is not in the range x>0"),
    ],
)
def test_usage_errors_exit_2(reference_url, tmp_path, args, message):
    result = certify(reference_url, tmp_path, *args)
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


def test_no_credentials_is_a_usage_error(reference_url, tmp_path):
    result = invoke(
        "certify", "--base-url", reference_url, "--report-dir", str(tmp_path), env={"FCVALIDATE_TOKEN": ""}
    )
    assert result.exit_code == 2 and "bearer token" in result.output


def test_bad_base_url(tmp_path):
    result = invoke("certify", "--base-url", "ftp://example", "--token", TOKEN, "--report-dir", str(tmp_path))
    assert result.exit_code == 2 and "http(s) URL" in result.output


def test_bad_data_file_names_the_position(reference_url, tmp_path):
    bad = tmp_path / "data.yaml"
    bad.write_text("values:\n  Tenant: [unclosed\n")
    result = certify(reference_url, tmp_path / "r", "--data", str(bad))
    assert result.exit_code == 2 and "data.yaml:" in result.output and "not YAML/JSON" in result.output
    typo = tmp_path / "typo.yaml"
    typo.write_text("values:\n  serviceProblemID: 1\n")
    result = certify(reference_url, tmp_path / "r", "--data", str(typo))
    assert result.exit_code == 2 and "values.serviceProblemID names no parameter" in result.output


def test_rejected_token_is_exit_3(reference_url, tmp_path):
    result = invoke(
        "certify", "--base-url", reference_url, "--token", "wrong-token-5566", "--report-dir", str(tmp_path)
    )
    assert result.exit_code == 3 and "credentials rejected" in result.output
    assert "wrong-token-5566" not in result.output


def test_client_credentials(tmp_path):
    with serve_in_background(clients=(("ci", "client-secret-8812"),)) as url:
        ok = invoke(
            "certify",
            "--base-url",
            url,
            "--token-url",
            "/oauth2/token",
            "--client-id",
            "ci",
            "--report-dir",
            str(tmp_path),
            "--max-examples",
            "2",
            env={"FCVALIDATE_CLIENT_SECRET": "client-secret-8812"},
        )
        refused = invoke(
            "certify",
            "--base-url",
            url,
            "--token-url",
            "/oauth2/token",
            "--client-id",
            "ci",
            "--client-secret",
            "not-the-secret-1",
            "--report-dir",
            str(tmp_path / "x"),
        )
    assert ok.exit_code == 0, ok.output
    assert json.loads((tmp_path / "report.json").read_text())["run"]["auth"] == "client-credentials"
    assert "client-secret-8812" not in ok.output + "".join(p.read_text() for p in tmp_path.glob("*.*"))
    assert (
        refused.exit_code == 3
        and "refused client 'ci'" in refused.output
        and "not-the-secret-1" not in refused.output
    )


def test_an_echoed_secret_never_reaches_a_report_or_the_console(tmp_path):
    with hostile_server("echo-request") as url:
        result = invoke(
            "certify",
            "--base-url",
            url,
            "--token",
            TOKEN,
            "--report-dir",
            str(tmp_path),
            "--max-examples",
            "2",
        )
    assert result.exit_code == 1
    for path in tmp_path.iterdir():
        assert TOKEN not in path.read_text(encoding="utf-8"), path.name
    assert TOKEN not in result.output
    assert "***" in (tmp_path / "report.json").read_text()


def test_replay_says_whether_a_failure_still_happens(reference_url, tmp_path):
    with serve_in_background(tokens=(TOKEN,), faults=("no-check-tenant",)) as url:
        assert certify(url, tmp_path).exit_code == 1
        report = str(tmp_path / "report.json")
        still = invoke("replay", report, "--token", TOKEN)
    assert still.exit_code == 1 and "still fails" in still.output
    fixed = invoke("replay", report, "--token", TOKEN, "--base-url", reference_url)
    assert fixed.exit_code == 0 and "passes now" in fixed.output
    case_id = json.loads(Path(report).read_text())["results"][0]["findings"][0]["case"]
    one = invoke("replay", report, "--token", TOKEN, "--base-url", reference_url, "--case", case_id)
    assert one.exit_code == 0 and one.output.count("passes now") == 1
    missing = invoke("replay", report, "--token", TOKEN, "--case", "nope")
    assert missing.exit_code == 2 and "no case 'nope'" in missing.output


def test_replay_of_a_file_that_is_not_a_report(tmp_path):
    bad = tmp_path / "report.json"
    bad.write_text("{not json")
    result = invoke("replay", str(bad))
    assert result.exit_code == 2 and "not a readable report.json" in result.output


def test_unwritable_report_dir_fails_before_the_run(reference_url, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = certify(reference_url, blocker / "reports")
    assert result.exit_code == 2 and "cannot write there" in result.output
    assert "Traceback" not in result.output


def test_unwritable_compile_output_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    source = Path(__file__).resolve().parents[1] / "contracts" / "source"
    result = invoke("compile", str(source), "-o", str(blocker / "out"))
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1


def test_replay_with_no_or_a_wrong_token_is_rejected_credentials(tmp_path):
    with serve_in_background(tokens=(TOKEN,), faults=("no-check-tenant",)) as url:
        assert certify(url, tmp_path).exit_code == 1
        report = str(tmp_path / "report.json")
        data = json.loads(Path(report).read_text())
        case_id = next(
            f["case"]
            for r in data["results"]
            for f in r["findings"]
            if data["cases"][f["case"]]["case"]["auth"] == "valid"
        )
        result = invoke("replay", report, "--case", case_id, "--token", "wrong-token-7788")
        assert result.exit_code == 3, result.output
        assert "passes now" not in result.output
        assert len(result.output.strip().splitlines()) == 1
        assert "credentials rejected" in result.output and "--token" in result.output
        assert "wrong-token-7788" not in result.output
        # the summary's `reproduce:` line run as printed, no token set: the token is missing, not rejected
        unset = invoke("replay", report, "--case", case_id, env={"FCVALIDATE_TOKEN": ""})
        assert unset.exit_code == 2, unset.output
        assert "FCVALIDATE_TOKEN is unset or empty" in unset.output and "rejected" not in unset.output


def test_replay_of_a_warning_says_it_still_warns(reference_url, tmp_path):
    assert certify(reference_url, tmp_path).exit_code == 0
    report = str(tmp_path / "report.json")
    data = json.loads(Path(report).read_text())
    gap = next(r for r in data["results"] if r["id"] == "POST /service-orders::valid-requests")
    assert gap["status"] == "warning"
    result = invoke("replay", report, "--token", TOKEN, "--case", gap["findings"][0]["case"])
    assert result.exit_code == 0, result.output
    assert "still warns (HTTP 201): Documentation gap" in result.output and "passes now" not in result.output


def test_a_wrong_path_prefix_is_one_line_and_exit_3(reference_url, tmp_path):
    result = certify(reference_url + "/api", tmp_path)
    assert result.exit_code == 3, result.output
    errors = result.stderr.strip().splitlines()
    assert (
        len(errors) == 1
        and "no operation is served at the base URL" in errors[0]
        and "likely wrong" in errors[0]
    )
    assert "--base-url" in errors[0] and "Traceback" not in result.output


def test_a_token_url_that_is_not_there_says_so(reference_url, tmp_path):
    result = invoke(
        "certify", "--base-url", reference_url, "--token-url", "/no/such/token", "--client-id", "ci",
        "--client-secret", "client-secret-9911", "--report-dir", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    assert "token endpoint" in result.output and "was not found (HTTP 404)" in result.output
    assert "refused client" not in result.output and "client-secret-9911" not in result.output


def test_ctrl_c_after_an_operation_judges_it_and_lists_the_rest_as_skipped(reference_url, tmp_path):
    import signal
    import subprocess
    import sys
    import xml.etree.ElementTree as ET

    proc = subprocess.Popen(
        [sys.executable, "-m", "fcvalidate.cli", "certify", "--base-url", reference_url, "--token", TOKEN,
         "--data", str(DATA_FILE), "--report-dir", str(tmp_path), "--max-examples", "60"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    seen = []
    for line in proc.stdout:  # plain progress lines: interrupt once the first operation is judged
        seen.append(line)
        if line.startswith("  POST /service-problem-amendments: ") and "passed" in line:
            break
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    out = "".join(seen) + out
    assert proc.returncode == 130, out
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["verdict"] == "incomplete" and len(data["results"]) == 27
    by_op: dict[str, list[dict]] = {}
    for r in data["results"]:
        by_op.setdefault(r["operation"], []).append(r)
    first = by_op["POST /service-problem-amendments"]
    assert all(r["reason"] != "not tested: the run was interrupted" for r in first)
    assert sum(r["status"] == "passed" for r in first) >= 7
    last = by_op["POST /service-orders"]  # 1.17's second operation: never started
    assert all(r["status"] == "skipped" and "interrupted" in r["reason"] for r in last)
    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    assert suite.get("tests") == "27"
    rows = [line for line in out.splitlines() if "POST /service-problem-amendments" in line and "│" in line]
    assert len(rows) >= 9, out  # the console table has its rows


def test_installed_use_from_any_folder(reference_url, tmp_path, monkeypatch):
    import os
    import stat

    import yaml

    monkeypatch.chdir(tmp_path)
    path = invoke("data-file").output.strip()
    assert Path(path).is_file() and "values" in yaml.safe_load(Path(path).read_text())
    lint = invoke("lint", "--quiet")
    assert lint.exit_code == 0 and "0 error(s)" in lint.output, lint.output
    previous = os.umask(0o022)
    try:
        result = invoke(
            "certify", "--base-url", reference_url, "--token", TOKEN, "--data", path, "--max-examples", "2",
            "--operation", "POST /service-orders",
        )  # fmt: skip
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "reports").iterdir()}
    assert modes == dict.fromkeys(REPORTS, 0o644)


def test_https_to_an_http_server_says_it_does_not_speak_tls(reference_url, tmp_path):
    result = certify(reference_url.replace("http://", "https://"), tmp_path)
    assert result.exit_code == 3, result.output
    assert "the server does not speak TLS (try http://)" in result.stderr
    assert "WRONG_VERSION_NUMBER" not in result.output and len(result.stderr.strip().splitlines()) == 1


def test_compile_check_says_it_naturally(monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    result = invoke("compile", "--check")
    assert result.exit_code == 0 and result.output == "contracts/ is up to date (2 contracts)\n"


def test_concurrency_rate_limit_and_cache_options(reference_url, tmp_path):
    cache = tmp_path / "cache"
    args = ("--operation", "POST /service-orders", "--max-concurrency", "3", "--rate-limit", "500")
    result = certify(reference_url, tmp_path / "a", *args, "--cache-dir", str(cache))
    assert result.exit_code == 0, result.output
    run = json.loads((tmp_path / "a" / "report.json").read_text())["run"]
    assert (run["max_concurrency"], run["rate_limit_rps"], run["rate_limited"]) == (3, 500, 0)
    assert list(cache.rglob("*.json"))
    fresh = tmp_path / "fresh"
    result = certify(reference_url, tmp_path / "b", *args, "--cache-dir", str(fresh), "--no-cache")
    assert result.exit_code == 0 and not fresh.exists()
    env = {"FCVALIDATE_CACHE_DIR": str(tmp_path / "env")}
    result = invoke(
        "certify", "--base-url", reference_url, "--token", TOKEN, "--data", str(DATA_FILE),
        "--report-dir", str(tmp_path / "c"), "--max-examples", "2", "--operation", "POST /service-orders",
        env=env,
    )  # fmt: skip
    assert result.exit_code == 0 and list((tmp_path / "env").rglob("*.json"))


def test_workers_is_a_deprecated_alias(reference_url, tmp_path):
    result = certify(reference_url, tmp_path, "--operation", "POST /service-orders", "--workers", "5")
    assert result.exit_code == 0 and "--workers is deprecated" in result.output
    assert json.loads((tmp_path / "report.json").read_text())["run"]["max_concurrency"] == 5


def test_console_counts_429_waits(tmp_path):
    gate = Gate(refuse=lambda n: "0" if n % 7 == 3 else None)
    with serve_gated(gate, tokens=(TOKEN,)) as url:
        result = certify(url, tmp_path, "--operation", "POST /service-orders")
    waited = sum(was_429 for _, was_429 in gate.seen)
    assert result.exit_code == 0, result.output
    assert waited and f"{waited} answered 429, waited out and resent" in result.output


def test_the_cli_default_concurrency_is_the_engine_default():
    from fcvalidate.engine.settings import DEFAULT_CONCURRENCY

    option = next(p for p in main.commands["certify"].params if p.name == "max_concurrency")
    assert option.default == DEFAULT_CONCURRENCY
