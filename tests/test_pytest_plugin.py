"""The pytest plugin, in throwaway repositories (pytester) that only have fcvalidate installed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from fcvalidate.server import serve_in_background
from tests.conftest import DATA_FILE, TOKEN

pytest_plugins = ["pytester"]


@pytest.fixture
def fc_env(monkeypatch):
    monkeypatch.setenv("FCVALIDATE_TOKEN", TOKEN)


def junit_outcomes(path: Path) -> dict[str, str]:
    out = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        status = (
            "failed"
            if case.find("failure") is not None
            else "skipped"
            if case.find("skipped") is not None
            else "passed"
        )
        out[f"{case.get('classname')}::{case.get('name')}"] = status
    return out


def test_silent_without_options(pytester):
    pytester.makepyfile("def test_plain():\n    assert True\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert "::required-headers" not in result.stdout.str()
    assert "fc_reference_server" in pytester.runpytest("--fixtures").stdout.str()  # registered, but idle


def test_zero_code_run_against_the_reference(pytester, reference_url, fc_env):
    result = pytester.runpytest(
        "--fc-base-url", reference_url, f"--fc-data={DATA_FILE}", "--fc-max-examples", "3", "-rs"
    )
    result.assert_outcomes(passed=23, skipped=4)
    result.stdout.fnmatch_lines(["*not tested: the document lists no request fields (gap: request-body)*"])
    collected = pytester.runpytest("--fc-base-url", reference_url, "--collect-only", "-q").stdout.str()
    assert "POST /service-problem-amendments::required-headers" in collected
    assert len(re.findall(r"^POST /[\w-]+::[\w-]+$", collected, re.M)) == 27


def test_a_fault_fails_only_its_item_with_the_certify_message(pytester, fc_env):
    with serve_in_background(tokens=(TOKEN,), faults=("cross-tenant",)) as url:
        result = pytester.runpytest("--fc-base-url", url, f"--fc-data={DATA_FILE}", "--fc-max-examples", "3")
    result.assert_outcomes(passed=22, failed=1, skipped=4)
    out = result.stdout.str()
    assert "FAILED POST /service-problem-amendments::tenant-isolation" in out
    assert "Succeeded: a successful request replayed as another principal (Tenant=TENANT2)" in out
    assert "clause:   source/service-problem-amendments.md:1:" in out and "reproduce: curl" in out
    assert TOKEN not in out


def test_keyword_and_marker_selection(pytester, reference_url, fc_env):
    result = pytester.runpytest(
        "--fc-base-url", reference_url, "--fc-max-examples", "2", "-k", "problem and error-body"
    )
    result.assert_outcomes(passed=1)
    result = pytester.runpytest(
        "--fc-base-url", reference_url, "--collect-only", "-q", "-m", "not fcvalidate"
    )
    assert "::" not in result.stdout.str()


def test_ini_options(pytester, reference_url, fc_env):
    pytester.makeini(
        f"[pytest]\nfc_base_url = {reference_url}\nfc_data = {DATA_FILE}\nfc_max_examples = 2\nfc_max_concurrency = 3\nfc_rate_limit = 500\nfc_operations =\n    POST /service-orders\n"
    )
    result = pytester.runpytest()
    result.assert_outcomes(
        passed=7, skipped=2
    )  # invalid-requests (gap) and tenant-isolation (no foreign use)


def test_xdist_gives_the_same_items_and_verdicts(pytester, fc_env):
    with serve_in_background(tokens=(TOKEN,), faults=("no-check-x-request-id",)) as url:
        args = [
            "--fc-base-url",
            url,
            f"--fc-data={DATA_FILE}",
            "--fc-max-examples",
            "3",
            "-p",
            "no:cacheprovider",
        ]
        pytester.runpytest(*args, "--junitxml=serial.xml")
        pytester.runpytest(*args, "-n", "2", "--junitxml=parallel.xml")
    serial, parallel = (
        junit_outcomes(pytester.path / "serial.xml"),
        junit_outcomes(pytester.path / "parallel.xml"),
    )
    assert len(serial) == 27 and serial == parallel
    assert sorted(k for k, v in serial.items() if v == "failed") == [  # pytest's JUnit writer turns / into .
        f"{op}::required-headers"
        for op in (
            "POST .service-order-amendments",
            "POST .service-orders",
            "POST .service-problem-amendments",
        )
    ]
    assert TOKEN not in (pytester.path / "serial.xml").read_text()


def test_unreachable_implementation_is_one_failure_then_skips(pytester, fc_env):
    result = pytester.runpytest(
        "--fc-base-url", "http://127.0.0.1:9", "--fc-operation", "POST /service-orders", "-rs"
    )
    result.assert_outcomes(failed=1, skipped=8)
    out = result.stdout.str()
    assert out.count("connection failed") == 1 and "--fc-base-url: http://127.0.0.1:9" in out
    assert "fcvalidate could not run: see the failure of POST /service-orders::required-headers" in out
    assert "Traceback" not in out


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        ([], {"FCVALIDATE_TOKEN": ""}, "--fc-token: the contracts require a bearer token"),
        ([], {"FCVALIDATE_TOKEN": "wrong-token-3141"}, "--fc-token: credentials rejected"),
        (["--fc-data", "no/such/data.yaml"], {}, "--fc-data: no/such/data.yaml: cannot read the data file"),
    ],
)
def test_a_setup_error_is_reported_once_naming_the_option(
    pytester, reference_url, fc_env, monkeypatch, args, env, message
):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # -rN: no short summary, which repeats the message in full when CI is set (pytest does not truncate there)
    result = pytester.runpytest("--fc-base-url", reference_url, "--fc-max-examples", "2", "-rN", *args)
    result.assert_outcomes(failed=1, skipped=26)
    out = result.stdout.str()
    assert out.count(message) == 1, out
    assert "wrong-token-3141" not in out


def test_a_setup_error_is_one_failure_across_xdist_workers(pytester, reference_url, monkeypatch):
    monkeypatch.setenv("FCVALIDATE_TOKEN", "wrong-token-2718")
    result = pytester.runpytest("--fc-base-url", reference_url, "--fc-max-examples", "2", "-n", "2", "-rN")
    result.assert_outcomes(failed=1, skipped=26)
    assert result.stdout.str().count("--fc-token: credentials rejected") == 1


def test_keyword_selection_and_collect_only_count_the_items(pytester, reference_url, fc_env):
    result = pytester.runpytest(
        "--fc-base-url", reference_url, "--fc-max-examples", "2", "-k", "problem and error-body"
    )
    result.stdout.fnmatch_lines(["collected 27 items / 26 deselected / 1 selected"])
    listed = pytester.runpytest("--fc-base-url", reference_url, "--co", "-q")
    out = listed.stdout.str()
    assert len(re.findall(r"^POST /[\w-]+::[\w-]+$", out, re.M)) == 27
    assert "no tests collected" not in out and "27 tests collected" in out


def test_settings_fixture_can_be_overridden_in_a_conftest(pytester, reference_url):
    pytester.makeconftest(
        "import pytest\n"
        "@pytest.fixture(scope='session')\n"
        f"def fc_settings():\n    return {{'token': {TOKEN!r}, 'max_examples': 2, 'operation': ['POST /service-orders']}}\n"
    )
    pytester.makepyfile(
        "def test_certify(fc_certify):\n"
        f"    result = fc_certify({reference_url!r})\n"
        "    assert result.verdict == 'conformant'\n"
        "    assert {r.operation for r in result.results} == {'POST /service-orders'}\n"
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_each_test_gets_the_reference_server_with_its_seeded_data(pytester):
    """The session server is shared, but what one test stores is gone for the next."""
    pytester.makepyfile(
        "import httpx\n"
        "from fcvalidate.pytest_plugin import REFERENCE_TOKEN\n"
        "H = {'Authorization': f'Bearer {REFERENCE_TOKEN}', 'X-Request-ID': '1', 'X-Conversation-ID': '2',\n"
        "     'Tenant': 'TENANT1'}\n"
        "def stored(request):\n"
        "    return request.getfixturevalue('_fc_session_server').app.state.reference.store.amendments()\n"
        "def test_first(fc_reference_server, request):\n"
        "    body = {'id': 1, 'serviceProblemId': 12356}\n"
        "    r = httpx.post(f'{fc_reference_server}/service-problem-amendments', headers=H, json=body)\n"
        "    assert r.status_code == 201 and len(stored(request)) == 1\n"
        "def test_second(fc_reference_server, request):\n"
        "    assert stored(request) == []\n"
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)
