"""`fcvalidate certify --changed-from`: only what changed is certified again, the rest is carried from the
earlier report with its date, every report says so, and what is re-checked agrees with a full run."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from fcvalidate.cli import main
from fcvalidate.contract.diff import ContractDocument, diff_contracts
from fcvalidate.engine.carry import plan_recertification
from fcvalidate.errors import UsageError
from fcvalidate.server import serve_in_background
from tests.conftest import DATA_FILE, TOKEN

ROOT = Path(__file__).resolve().parents[2]
CHANGED = "POST /service-orders"


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped contracts (old) and a next version in which X-Conversation-ID of POST /service-orders is
    optional (new): a change that breaks suppliers who still require it."""
    tmp = tmp_path_factory.mktemp("versions")
    shutil.copytree(ROOT / "contracts" / "source", tmp / "source")
    doc = tmp / "source" / "service-orders.md"
    doc.write_text(
        doc.read_text().replace("`X-Conversation-ID` (string, required)", "`X-Conversation-ID` (string)")
    )
    assert CliRunner().invoke(main, ["compile", str(tmp / "source"), "-o", str(tmp / "new")]).exit_code == 0
    return ROOT / "contracts", tmp / "new"


@pytest.fixture(scope="module")
def new_server(versions) -> Iterator[str]:
    with serve_in_background(tokens=(TOKEN,), contracts_dir=versions[1]) as url:
        yield url


def certify(url: str, contracts: Path, reports: Path, *more: str | Path):
    args = ["certify", "--base-url", url, "--token", TOKEN, "--data", str(DATA_FILE), "--max-examples", "5"]
    args += ["--contracts", str(contracts), "--report-dir", str(reports), *map(str, more)]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def report(folder: Path) -> dict:
    return json.loads((folder / "report.json").read_text())


@pytest.fixture(scope="module")
def runs(versions, new_server, tmp_path_factory) -> dict[str, Path]:
    old, new = versions
    tmp = tmp_path_factory.mktemp("reports")
    folders = {name: tmp / name for name in ("old", "full", "scoped")}
    certify(new_server, old, folders["old"])  # the earlier certification, against the old contracts
    certify(new_server, new, folders["full"])
    result = certify(
        new_server,
        new,
        folders["scoped"],
        "--changed-from",
        old,
        "--previous-report",
        folders["old"] / "report.json",
    )
    assert result.exit_code == 0, result.output
    assert "re-checking 1 of 3 operation(s), carrying 18 verdict(s) of 2" in result.output
    assert f"  re-check {CHANGED}: changed" in result.output
    return folders


def verdicts(data: dict, operation: str | None = None, carried: bool | None = None) -> dict[str, tuple]:
    return {
        r["id"]: (r["status"], r["cases"], [f["title"] for f in r["findings"]])
        for r in data["results"]
        if (operation is None or r["operation"] == operation)
        and (carried is None or bool(r["carried_from"]) == carried)
    }


def test_only_the_changed_operation_is_certified_again(runs):
    scoped = report(runs["scoped"])
    assert {r["operation"] for r in scoped["results"] if not r["carried_from"]} == {CHANGED}
    assert scoped["run"]["carried_operations"] == [
        "POST /service-order-amendments",
        "POST /service-problem-amendments",
    ]
    assert scoped["run"]["cases_sent"] < report(runs["full"])["run"]["cases_sent"] / 2


def test_what_is_rechecked_agrees_with_a_full_run(runs):
    full, scoped = report(runs["full"]), report(runs["scoped"])
    assert verdicts(scoped, carried=False) == verdicts(full, CHANGED)
    # the old contract required the header, the new implementation does not: the old verdict failed
    old = verdicts(report(runs["old"]), CHANGED)
    assert old[f"{CHANGED}::required-headers"][0] == "failed"
    assert scoped["verdict"] == full["verdict"] == "conformant"


def test_carried_verdicts_are_the_earlier_ones_with_their_date(runs):
    old, scoped = report(runs["old"]), report(runs["scoped"])
    carried = verdicts(scoped, carried=True)
    assert carried == {k: v for k, v in verdicts(old).items() if not k.startswith(CHANGED)}
    dates = {r["carried_from"] for r in scoped["results"] if r["carried_from"]}
    assert dates == {old["run"]["finished"]} == set(scoped["run"]["carried_from"])


def test_every_report_says_which_verdicts_were_carried(runs):
    folder = runs["scoped"]
    date = report(runs["old"])["run"]["finished"]
    suite = ET.parse(folder / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    carried_cases = [
        c
        for c in suite.iter("testcase")
        if any(p.get("name") == "carried_from" and p.get("value") == date for p in c.iter("property"))
    ]
    assert len(carried_cases) == 18 and {c.get("classname") for c in carried_cases} != {CHANGED}
    html = (folder / "report.html").read_text()
    assert html.count(f"(carried from {date})") == 18 and 'id="carried"' in html
    md = (folder / "summary.md").read_text()
    assert md.count("(carried from ") == 18 and "18 verdict\\(s\\) of 2 operation\\(s\\) carried" in md


def test_when_nothing_changed_nothing_is_sent(runs, versions, new_server, tmp_path):
    _old, new = versions
    shutil.copytree(runs["full"], tmp_path / "r")
    result = certify(
        new_server, new, tmp_path / "r", "--changed-from", new
    )  # default: report.json of --report-dir
    assert result.exit_code == 0, result.output
    data = report(tmp_path / "r")
    assert data["run"]["cases_sent"] == 0 and len(data["results"]) == 27
    assert all(r["carried_from"] for r in data["results"])


def test_a_carried_failure_still_fails_the_run(runs, versions, new_server, tmp_path):
    """Carried verdicts count: an unchanged operation that failed before still fails."""
    old, new = versions
    shutil.copytree(runs["old"], tmp_path / "r")
    data = report(tmp_path / "r")
    for r in data["results"]:
        if r["operation"] == "POST /service-problem-amendments" and r["requirement"] == "error-body":
            r["status"] = "failed"
            r["findings"] = [
                {
                    "severity": "failure",
                    "title": "error body does not match the contract",
                    "location": "response.body.$.code",
                    "expected": "one of the codes",
                    "actual": "'OOPS'",
                    "clause": {"at": "source/service-problem-amendments.md:1:1", "clause": "x", "text": "x"},
                    "hint": "",
                    "basis": "",
                    "count": 1,
                    "case": "x.valid.001",
                    "cases": ["x.valid.001"],
                }
            ]
    (tmp_path / "r" / "report.json").write_text(json.dumps(data))
    result = certify(new_server, new, tmp_path / "r", "--changed-from", old)
    assert result.exit_code == 1
    after = report(tmp_path / "r")
    assert after["verdict"] == "not-conformant"
    assert "[carried from " in (tmp_path / "r" / "junit.xml").read_text()


def test_usage_errors(versions, new_server, tmp_path):
    old, new = versions
    result = certify(new_server, new, tmp_path, "--changed-from", old)
    assert result.exit_code == 2 and "no earlier report to carry verdicts from" in result.stderr
    (tmp_path / "report.json").write_text('{"results": 3}')
    result = certify(new_server, new, tmp_path, "--changed-from", old)
    assert result.exit_code == 2 and "not a report.json written by `fcvalidate certify`" in result.stderr
    result = certify(new_server, new, tmp_path, "--changed-from", old, "--operation", CHANGED)
    assert result.exit_code == 2 and "give --operation or --changed-from, not both" in result.stderr
    result = certify(new_server, new, tmp_path, "--previous-report", tmp_path / "report.json")
    assert result.exit_code == 2 and "--previous-report goes with --changed-from" in result.stderr


def _previous(results: list[dict]) -> dict:
    return {
        "run": {"finished": "2026-12-01T10:00:00Z", "base_url": "http://x"},
        "results": results,
        "cases": {},
    }


def _result(operation: str, status: str = "passed", reason: str = "") -> dict:
    return {
        "operation": operation,
        "requirement": "no-server-errors",
        "status": status,
        "cases": 3,
        "reason": reason,
    }


def test_plan_rechecks_what_the_earlier_run_did_not_settle(versions):
    old, _new = versions
    specs = [ContractDocument(p.name, json.loads(p.read_text())) for p in sorted(old.glob("*.openapi.json"))]
    bumped = json.loads(json.dumps([dict(s.spec) for s in specs]))
    for spec in bumped:
        spec["info"]["version"] = "9.9"  # the version line alone changes no behaviour
    changes = diff_contracts(specs, [ContractDocument(f"{n}", s) for n, s in enumerate(bumped)])
    assert {c.rule.id for c in changes} == {"operation-version-changed"}
    labels = ["POST /service-orders", "POST /service-order-amendments", "POST /service-problem-amendments"]
    plan = plan_recertification(
        changes,
        labels,
        _previous([_result(labels[0]), _result(labels[1], "skipped", "not tested: the run was interrupted")]),
    )
    assert plan.recheck == (labels[1], labels[2])
    assert plan.reasons == {
        labels[1]: "the run of report.json did not finish it",
        labels[2]: "not in report.json",
    }
    assert [(r.operation, r.status, r.carried_from) for r in plan.carried] == [
        (labels[0], "passed", "2026-12-01T10:00:00Z")
    ]
    with pytest.raises(UsageError, match="cannot be read"):
        plan_recertification([], labels, _previous([{**_result(labels[0]), "requirement": "nope"}]))


def test_the_python_api_recertifies_as_the_cli_does(versions, new_server, runs, tmp_path):
    """`fcvalidate.certify(changed_from=, previous_report=)`: the same plan as `certify --changed-from`,
    the unchanged operations carried, the changed one re-checked (the CLI is a layer over this call)."""
    import fcvalidate

    old, new = versions
    result = fcvalidate.certify(
        new_server,
        contracts=new,
        token=TOKEN,
        data=DATA_FILE,
        max_examples=5,
        changed_from=old,
        previous_report=runs["old"] / "report.json",
        report_dir=tmp_path,
    )
    checked = {r.operation for r in result.results if not r.carried_from}
    assert checked == {CHANGED}
    cli = report(runs["scoped"])
    assert [(r.operation, r.requirement.id, r.status) for r in result.results] == [
        (r["operation"], r["requirement"], r["status"]) for r in cli["results"]
    ]
    written = report(tmp_path)  # and wrote the reports, saying what it carried
    assert verdicts(written, carried=True) == verdicts(cli, carried=True)
    with pytest.raises(UsageError, match="--previous-report goes with --changed-from"):
        fcvalidate.certify(
            new_server, contracts=new, token=TOKEN, previous_report=runs["old"] / "report.json"
        )
