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
    assert "curl" in case["curl"] and "$FCVALIDATE_TOKEN" in case["curl"]
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
    assert result.exit_code == 2 and "values.serviceProblemID names no header parameter" in result.output


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
