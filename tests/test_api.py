"""The Python API does in one call what the CLI does: `certify(report_dir=)` writes the reports (and the
certificate), `replay()` re-sends a report's cases with certify's credential checks."""

from __future__ import annotations

import json

import pytest

import fcvalidate
from fcvalidate.server import serve_in_background
from tests.conftest import DATA_FILE, TOKEN

REPORTS = {"report.json", "junit.xml", "report.html", "summary.md"}
ONE = ["POST /service-orders"]


def test_certify_writes_the_four_reports_and_the_certificate(reference_url, tmp_path):
    fcvalidate.keygen(tmp_path / "key.pem", tmp_path / "key.pub.pem")
    result = fcvalidate.certify(
        reference_url,
        token=TOKEN,
        data=DATA_FILE,
        operations=ONE,
        max_examples=2,
        report_dir=tmp_path / "reports",
        certificate=tmp_path / "signed" / "cert.json",
        signing_key=tmp_path / "key.pem",
        implementation="ours@1.0",
    )
    assert result.verdict == "conformant"
    assert {p.name for p in (tmp_path / "reports").iterdir()} == REPORTS
    report = json.loads((tmp_path / "reports" / "report.json").read_text())
    assert report["verdict"] == result.verdict and report["run"]["operations"] == ONE
    assert TOKEN not in (tmp_path / "reports" / "report.html").read_text()
    assert {p.name for p in (tmp_path / "signed").iterdir()} == {"cert.json", "report.json"}
    verified = fcvalidate.verify_certificate(tmp_path / "signed" / "cert.json", tmp_path / "key.pub.pem")
    assert verified.reasons == () and verified.predicate["implementation"]["name"] == "ours"


def test_certify_refuses_a_key_without_a_certificate_before_the_run(tmp_path):
    with pytest.raises(fcvalidate.UsageError) as caught:  # nothing listens there: no request was tried
        fcvalidate.certify("http://127.0.0.1:9", token=TOKEN, signing_key=tmp_path / "key.pem")
    assert caught.value.setting == "certificate"


@pytest.fixture(scope="module")
def failing_report(tmp_path_factory):
    """A report of the reference server with a fault: its failing cases, to replay."""
    reports = tmp_path_factory.mktemp("reports")
    with serve_in_background(tokens=(TOKEN,), faults=("no-check-tenant",)) as url:
        result = fcvalidate.certify(url, token=TOKEN, data=DATA_FILE, max_examples=3, report_dir=reports)
    assert result.verdict == "not-conformant"
    return reports / "report.json"


def test_replay_judges_the_failing_cases_again(failing_report, reference_url):
    with serve_in_background(tokens=(TOKEN,), faults=("no-check-tenant",)) as url:
        still = fcvalidate.replay(failing_report, base_url=url, token=TOKEN)
    assert still and all(r.status == "fails" for r in still)
    fixed = fcvalidate.replay(failing_report, base_url=reference_url, token=TOKEN)
    assert [r.case_id for r in fixed] == [r.case_id for r in still]
    assert all(r.status == "passes" for r in fixed)


def test_replay_refuses_a_rejected_credential_like_certify(failing_report, reference_url):
    with pytest.raises(fcvalidate.CredentialsError) as caught:
        fcvalidate.replay(failing_report, base_url=reference_url, token="wrong-token-5521")
    assert caught.value.exit_code == 3 and caught.value.setting == "token"
    assert "credentials rejected" in str(caught.value) and "wrong-token-5521" not in str(caught.value)
    with pytest.raises(fcvalidate.CredentialsError):  # certify says the same of the same token
        fcvalidate.certify(reference_url, token="wrong-token-5521", operations=ONE, max_examples=1)


def test_replay_checks_the_credentials_before_sending(failing_report, reference_url):
    with pytest.raises(fcvalidate.UsageError) as missing:
        fcvalidate.replay(failing_report, base_url=reference_url)
    assert missing.value.setting == "token"
    with pytest.raises(fcvalidate.UsageError) as unknown:  # an API key no scheme answers to: a typo
        fcvalidate.replay(failing_report, base_url=reference_url, token=TOKEN, api_keys=["X-Nope=1"])
    assert unknown.value.setting == "api_key"
