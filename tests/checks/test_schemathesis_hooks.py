"""fcvalidate's oracle inside a plain `st run` (Schemathesis's own check API and CLI)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fcvalidate.server import serve_in_background
from tests.conftest import TOKEN

ST = str(Path(sys.executable).with_name("st"))
pytest_plugins = ["pytester"]
SPEC = str(Path(__file__).resolve().parents[2] / "contracts" / "fibre-cafe-1.15.openapi.json")


def st_run(url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "fcvalidate.checks.schemathesis_hooks"}
    return subprocess.run(
        [
            ST,
            "run",
            SPEC,
            "-u",
            url,
            "-n",
            "10",
            "--seed",
            "1",
            "-c",
            "fcvalidate_conformance",
            "-H",
            f"Authorization: Bearer {TOKEN}",
            "--phases",
            "examples,fuzzing",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )


def test_registered_check_passes_a_conformant_implementation():
    with serve_in_background(tokens=(TOKEN,)) as url:
        result = st_run(url)
    assert result.returncode == 0, result.stdout[-3000:]


def test_registered_check_finds_a_code_from_another_operations_enum():
    with serve_in_background(tokens=(TOKEN,), faults=("foreign-enum-code",)) as url:
        result = st_run(url)
    assert result.returncode == 1
    assert "Error code outside this operation's enum" in result.stdout
    assert (
        "'GATEWAY_FAULT'" in result.stdout
        and "Clause source/service-problem-amendments.md:1:" in result.stdout
    )


USER_TESTS = """
import schemathesis
from hypothesis import HealthCheck, Phase, settings

import fcvalidate
from fcvalidate.checks.schemathesis_hooks import fcvalidate_conformance


@fcvalidate.check(name="house.no-server-header")
def no_server_header(ctx, exchange):
    server = exchange.response.header("Server")
    if server:
        yield fcvalidate.Violation(
            requirement=exchange.case.requirement,
            title="The answer names its server software",
            location="response.header.Server",
            expected="no Server header",
            actual=server,
            source=exchange.case.source,
            basis="our house rule: answers do not name the server software",
        )


schema = schemathesis.openapi.from_path({spec!r})


@schema.parametrize()
@settings(max_examples=2, phases=[Phase.generate], deadline=None, suppress_health_check=list(HealthCheck))
def test_api(case):
    case.call_and_validate(base_url={url!r}, headers={{"Authorization": "Bearer {token}"}}, checks=[fcvalidate_conformance])
"""


def test_a_user_check_registered_with_fcvalidate_fires_under_schemathesis_pytest(pytester):
    """Schemathesis's own pytest integration with the bridge: the user's registered check runs there too,
    under the policy, and its failure names the check."""
    with serve_in_background(tokens=(TOKEN,)) as url:  # uvicorn answers `Server: uvicorn`
        pytester.makepyfile(test_user_check=USER_TESTS.format(spec=SPEC, url=url, token=TOKEN))
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    out = result.stdout.str()
    assert result.ret == 1, out[-3000:]
    assert "The answer names its server software" in out and "Check: house.no-server-header" in out
    assert "Basis: our house rule" in out
