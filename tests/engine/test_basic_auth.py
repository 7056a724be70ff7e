"""HTTP Basic everywhere: the `--basic USER:PASSWORD` credential (RFC 7617), the authorisation probes it
gets, the reference implementation's `serve --basic`, replay, and the secret never shown: not in a report
of any format, not on the console, not in a reproducer, which reads it from $FCVALIDATE_BASIC."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from fcvalidate import certify
from fcvalidate.checks import CheckContext, run_checks
from fcvalidate.cli import main
from fcvalidate.contract.operation import Operation
from fcvalidate.engine import basic
from fcvalidate.engine.credentials import Credentials
from fcvalidate.engine.probes import auth_cases
from fcvalidate.engine.transport import build_headers
from fcvalidate.errors import UsageError
from fcvalidate.exchange import Case, Credential, Exchange, Expect, Response, Source
from fcvalidate.files import compile_to, load_contracts
from fcvalidate.report.exchanges import exchange_data
from fcvalidate.requirements import RequirementId as R
from fcvalidate.server import serve_in_background
from fcvalidate.server.app import ServerConfig
from tests.conftest import CORPUS, TOKEN
from tests.report.test_curl import curl_binary, recorder  # noqa: F401  (curl_binary is a fixture)

pytest_plugins = ["pytester"]
USER, PASSWORD = "engineer-7", "tide:pool-31"  # RFC 7617 §2: the password may hold a colon
USER_PASS = f"{USER}:{PASSWORD}"
OP = "POST /meter-readings"
# every form of the secret a leak could take: as given, the password, and what goes on the wire
LEAKS = (USER_PASS, PASSWORD, basic.token(USER_PASS), basic.token(USER_PASS + "x"))


@pytest.fixture(scope="module")
def meters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("meter-contracts")
    compile_to([CORPUS / "meter-readings"], out)
    return out


@pytest.fixture(scope="module")
def op(meters: Path) -> Operation:
    (contract,) = load_contracts([meters])
    return next(o for o in contract.operations if o.label == OP)


def serve(meters: Path, *faults: str):
    return serve_in_background(basic=((USER, PASSWORD),), contracts_dir=meters, faults=faults)


def _case(auth: str) -> Case:
    return Case(
        "c", OP, R.AUTHORISATION, "bad-token", "t", "POST", "/meter-readings", (), None,
        Expect("unauthorised"), Source("", ""), auth=auth,  # type: ignore[arg-type]
        credential=Credential("basic", "BasicAuth"),
    )  # fmt: skip


# -- the credential ------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["no-colon", ":password", "user\n:password", "user:pass\x7f"])
def test_basic_must_be_user_colon_password(bad):
    with pytest.raises(UsageError, match="USER:PASSWORD") as error:
        Credentials(basic=bad)
    assert error.value.setting == "basic"
    assert bad not in str(error.value)  # a mistyped secret is not echoed either


def test_an_empty_password_and_a_password_with_colons_are_allowed():
    assert Credentials(basic="user:").basic == "user:"
    assert Credentials(basic=USER_PASS).basic == USER_PASS
    assert USER_PASS not in repr(Credentials(basic=USER_PASS))
    assert PASSWORD not in repr(ServerConfig(basic=((USER, PASSWORD),)))


def test_each_probe_sends_its_own_authorization_header():
    def sent(auth: str) -> str | None:
        value = build_headers(_case(auth), USER_PASS).get("Authorization")
        return value and value.removeprefix("Basic ")

    decoded = {a: base64.b64decode(sent(a)).decode() for a in ("valid", "invalid", "extended", "no-colon")}
    assert decoded["valid"] == USER_PASS
    assert decoded["invalid"] == f"{USER}:{basic.WRONG_PASSWORD}"
    assert decoded["extended"] == USER_PASS + "x"
    assert ":" not in decoded["no-colon"]
    assert sent("none") is None
    with pytest.raises(ValueError):
        base64.b64decode(sent("not-base64"), validate=True)


def test_certify_asks_for_basic_where_an_operation_needs_it(meters):
    with pytest.raises(UsageError, match=r"needs a credential: give --basic USER:PASSWORD") as error:
        certify("http://127.0.0.1:9", contracts=meters)
    assert error.value.setting == "basic"


def test_basic_without_a_basic_operation_is_a_usage_error(contracts):
    with pytest.raises(UsageError, match="no operation of the contracts is secured by HTTP Basic"):
        certify("http://127.0.0.1:9", contracts=contracts, token=TOKEN, basic=USER_PASS)


def test_a_wrong_password_is_reported_as_rejected_credentials(meters, tmp_path):
    with serve(meters) as url:
        result = CliRunner().invoke(
            main,
            ["certify", "--base-url", url, "--contracts", str(meters), "--no-cache", "--report-dir", str(tmp_path)],
            env={"FCVALIDATE_BASIC": f"{USER}:wrong"},
        )  # fmt: skip
    assert result.exit_code == 3, result.output
    assert "--basic: credentials rejected" in result.output and "check the user and password" in result.output


# -- the oracle ----------------------------------------------------------------------------------------
def test_only_a_malformed_credential_may_be_refused_400(op):
    ref = Case(
        "v", OP, R.VALID_REQUESTS, "valid", "t", "POST", "/meter-readings", (), b"{}", Expect("success"),
        Source("", ""), credential=Credential("basic", "BasicAuth"),
    )  # fmt: skip
    probes = auth_cases(op, ref)
    assert isinstance(probes, list)
    assert [c.auth for c in probes] == ["none", "invalid", "extended", "not-base64", "no-colon"]
    refused_400 = Response(
        400, (("Content-Type", "application/json"),), b'{"code":"MALFORMED_REQUEST","message":"m"}', 0
    )
    failing = {
        c.auth
        for c in probes
        for v in run_checks(CheckContext(op), Exchange(c, "http://h/meter-readings", refused_400))
        if v.severity == "failure"
    }
    assert failing == {"none", "invalid", "extended"}


# -- the reference implementation ---------------------------------------------------------------------
def test_the_reference_accepts_its_basic_user_and_challenges_others(meters):
    reading = {"meterId": "WM-1", "value": 3.5, "readAt": "2026-11-30T08:00:00Z"}
    with serve(meters) as url, httpx.Client(base_url=url) as client:
        assert client.post("/meter-readings", json=reading, auth=(USER, PASSWORD)).status_code == 201
        for auth in [(USER, PASSWORD + "x"), (USER, "wrong"), ("someone", PASSWORD)]:
            refused = client.post("/meter-readings", json=reading, auth=auth)
            assert refused.status_code == 401
            assert refused.headers["www-authenticate"].startswith("Basic ")
        for token in (basic.NOT_BASE64, basic.NO_COLON):
            assert (
                client.post(
                    "/meter-readings", json=reading, headers={"Authorization": f"Basic {token}"}
                ).status_code
                == 401
            )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--basic", USER_PASS], "no operation of the contracts is secured by HTTP Basic"),
        (["--token", TOKEN, "--api-key", "NoSuchKey=k-1"], "NoSuchKey is not an API-key scheme"),
    ],
)
def test_serve_refuses_a_credential_no_scheme_can_use(args, message):
    result = CliRunner().invoke(main, ["serve", "--port", "0", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert PASSWORD not in result.output


# -- reports, reproducers, replay ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def faulty_run(meters, tmp_path_factory):
    """A CLI run against a reference that lets a known user in with any password (so the reports hold
    requests), the credential given in the environment."""
    reports = tmp_path_factory.mktemp("basic-reports")
    with serve(meters, "basic-password-not-checked") as url:
        result = CliRunner().invoke(
            main,
            ["certify", "--base-url", url, "--contracts", str(meters), "--report-dir", str(reports),
             "--max-examples", "3", "--no-cache"],
            env={"FCVALIDATE_BASIC": USER_PASS},
        )  # fmt: skip
    return result, reports


def test_the_fault_is_found_under_authorisation_and_the_secret_is_nowhere(faulty_run):
    result, reports = faulty_run
    assert result.exit_code == 1, result.output
    data = json.loads((reports / "report.json").read_text())
    failed = {(r["operation"], r["requirement"]) for r in data["results"] if r["status"] == "failed"}
    assert failed == {(OP, "authorisation")}
    files = [p for p in reports.iterdir() if p.is_file()]
    assert {p.name for p in files} >= {"report.json", "report.html", "junit.xml", "summary.md"}
    for text, where in [
        (result.output, "console"),
        *((p.read_text(encoding="utf-8"), p.name) for p in files),
    ]:
        for leak in LEAKS:
            assert leak not in text, (where, leak)
    for entry in data["cases"].values():
        if entry["case"]["auth"] in ("valid", "invalid", "extended"):
            assert entry["request"]["headers"]["Authorization"] == "Basic ***"
            assert ' -u "' in entry["curl"] and "FCVALIDATE_BASIC" in entry["curl"]


def test_each_curl_reproducer_sends_what_its_case_sent(faulty_run, curl_binary):  # noqa: F811
    _, reports = faulty_run
    data = json.loads((reports / "report.json").read_text())
    base = data["run"]["base_url"]
    crafted = [  # the report holds the failing cases; the others' reproducers are built the same way
        exchange_data(Exchange(_case(auth), base + "/meter-readings", None, "crafted"), LEAKS)
        for auth in ("valid", "none", "not-base64", "no-colon")
    ]
    entries = [*data["cases"].values(), *crafted]
    assert {e["case"]["auth"] for e in data["cases"].values()} == {"invalid", "extended"}
    shell = shutil.which("dash") or "/bin/sh"
    with recorder() as (recorder_url, seen):
        for entry in entries:
            subprocess.run(
                [shell, "-c", entry["curl"].replace(base, recorder_url) + " >/dev/null"],
                check=True, timeout=20, env={"PATH": os.environ["PATH"], "FCVALIDATE_BASIC": USER_PASS},
            )  # fmt: skip
            got = dict((k.decode().lower(), v.decode()) for k, v in seen[-1].headers).get("authorization")
            want = build_headers(_case(entry["case"]["auth"]), USER_PASS).get("Authorization")
            assert got == want, (entry["id"], entry["curl"])


def test_replay_with_basic_says_whether_each_case_still_fails(faulty_run, meters):
    _, reports = faulty_run
    report = str(reports / "report.json")
    with serve(meters, "basic-password-not-checked") as url:
        still = CliRunner().invoke(
            main, ["replay", report, "--base-url", url, "--contracts", str(meters), "--basic", USER_PASS]
        )
        missing = CliRunner().invoke(
            main,
            ["replay", report, "--base-url", url, "--contracts", str(meters)],
            env={"FCVALIDATE_BASIC": ""},
        )
    with serve(meters) as url:
        fixed = CliRunner().invoke(
            main, ["replay", report, "--base-url", url, "--contracts", str(meters)],
            env={"FCVALIDATE_BASIC": USER_PASS},
        )  # fmt: skip
    assert still.exit_code == 1 and "still fails (HTTP 201)" in still.output, still.output
    assert fixed.exit_code == 0 and "passes now (HTTP 401)" in fixed.output, fixed.output
    assert missing.exit_code == 2 and "--basic" in missing.output, missing.output
    for output in (still.output, fixed.output, missing.output):
        assert all(leak not in output for leak in LEAKS)


def test_the_pytest_plugin_takes_fc_basic(pytester: pytest.Pytester, meters):
    with serve(meters) as url:
        result = pytester.runpytest_inprocess(
            "--fc-base-url", url, "--fc-contracts", str(meters), "--fc-basic", USER_PASS, "--fc-max-examples", "3",
            "-p", "no:cacheprovider",
        )  # fmt: skip
    result.assert_outcomes(passed=7, skipped=2)  # required-headers and tenant-isolation do not apply
    assert all(leak not in result.stdout.str() for leak in LEAKS)


@pytest.mark.parametrize(
    ("challenge", "warned"),
    [
        (None, True),
        ('Bearer realm="api"', True),
        ('Basic realm="meters", charset="UTF-8"', False),
        ('Bearer realm="a, b", basic realm="api"', False),  # several challenges; the scheme in any case
    ],
)
def test_a_401_without_a_basic_challenge_is_a_warning(op, challenge, warned):
    headers = (("WWW-Authenticate", challenge),) if challenge else ()
    exchange = Exchange(_case("invalid"), "http://h/meter-readings", Response(401, headers, b"", 0))
    found = [v for v in run_checks(CheckContext(op), exchange) if "challenge" in v.title]
    assert [v.severity for v in found] == (["warning"] if warned else [])
