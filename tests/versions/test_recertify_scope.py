"""Change-scoped recertification per requirement: a change that can alter only some requirements of an
operation re-checks those (and agrees with a full run on them), and carries the operation's others; the
earlier verdicts may come from a signed certificate, which is verified first."""

from __future__ import annotations

import base64
import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from fcvalidate import keygen
from fcvalidate.checks import Violation
from fcvalidate.cli import main
from fcvalidate.contract.diff import RULES, diff_contracts
from fcvalidate.engine.carry import EVERY, RECHECK, carry_into, plan_recertification, requirements_for
from fcvalidate.engine.events import RunResult
from fcvalidate.engine.settings import Settings
from fcvalidate.engine.verdict import Finding, RequirementResult
from fcvalidate.exchange import Source
from fcvalidate.files import load_version
from fcvalidate.requirements import REQUIREMENT
from fcvalidate.requirements import RequirementId as R
from fcvalidate.server import serve_in_background
from tests.conftest import DATA_FILE, TOKEN
from tests.versions.test_recertify import certify, report

ROOT = Path(__file__).resolve().parents[2]
CHANGED = "POST /service-problem-amendments"
SERIES = ROOT / "tests" / "versions" / "series"


def test_every_diff_rule_says_what_it_can_alter():
    assert set(RECHECK) == set(RULES)


def test_what_each_kind_of_change_can_alter():
    """On the version series (1.0 → 1.1): a success body's change alters valid-requests alone; an error
    body's, a request's or a status's every requirement; the version line nothing."""
    changes = diff_contracts(load_version(SERIES / "1.0"), load_version(SERIES / "1.1"))
    seen = {}
    for c in changes:
        seen[(c.rule.id, c.location.split(".")[1] if c.location.startswith("response.") else "")] = (
            requirements_for(c)
        )
    assert seen, "the series plants changes"
    for (rule, status), touched in seen.items():
        if rule == "operation-version-changed":
            assert touched == frozenset()
        elif rule.startswith(("response-property-", "response-media-type-")) and status.startswith("2"):
            assert touched == {R.VALID_REQUESTS}
        else:
            assert touched == EVERY, rule


def _compile(source: Path, out: Path) -> Path:
    assert CliRunner().invoke(main, ["compile", str(source), "-o", str(out)]).exit_code == 0
    return out


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The shipped contracts (old) and a next version whose 201 and 202 answers of POST
    /service-problem-amendments must carry supplierReference (new): a change to success bodies only."""
    tmp = tmp_path_factory.mktemp("scope")
    shutil.copytree(ROOT / "contracts" / "source", tmp / "source")
    doc = tmp / "source" / "service-problem-amendments.md"
    head, sep, answers = doc.read_text().partition("## Response 201 fields")
    planted = answers.replace("`supplierReference` (string)", "`supplierReference` (string, required)", 2)
    assert planted.count("`supplierReference` (string, required)") == 2 and sep
    doc.write_text(head + sep + planted)
    keygen(tmp / "supplier.pem", tmp / "supplier.pub.pem")
    return ROOT / "contracts", _compile(tmp / "source", tmp / "new"), tmp


@pytest.fixture(scope="module")
def new_server(versions) -> Iterator[str]:
    with serve_in_background(tokens=(TOKEN,), contracts_dir=versions[1]) as url:
        yield url


@pytest.fixture(scope="module")
def runs(versions, new_server) -> dict[str, Path]:
    old, new, tmp = versions
    folders = {name: tmp / name for name in ("old", "full", "scoped", "from-cert")}
    key = tmp / "supplier.pem"
    certify(
        new_server, old, folders["old"], "--certificate", folders["old"] / "cert.json", "--signing-key", key
    )
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
    assert "re-checking 1 of 3 operation(s), carrying 26 verdict(s) of 3" in result.output
    assert (
        f"  re-check {CHANGED}: changed (response-property-became-required at "
        "response.201.body.$.supplierReference; response-property-became-required at "
        "response.202.body.$.supplierReference): valid-requests only"
    ) in result.output
    result = certify(
        new_server,
        new,
        folders["from-cert"],
        "--changed-from",
        old,
        "--previous-certificate",
        folders["old"] / "cert.json",
        "--certificate",
        folders["from-cert"] / "cert.json",
        "--signing-key",
        key,
    )
    assert result.exit_code == 0, result.output
    assert "carrying 26 verdict(s) of 3 from certificate sha256:" in result.output
    return folders


def by_id(data: dict) -> dict[str, dict]:
    return {r["id"]: r for r in data["results"]}


def test_only_the_requirement_the_change_touches_is_rechecked(runs):
    scoped = report(runs["scoped"])
    rechecked = [r["id"] for r in scoped["results"] if not r["carried_from"]]
    assert rechecked == [f"{CHANGED}::valid-requests"]
    assert by_id(scoped)[rechecked[0]]["scope"].startswith("re-checked: changed (response-property-became")
    carried = by_id(scoped)[f"{CHANGED}::invalid-requests"]["scope"]
    assert carried.endswith(": the changes touch only valid-requests") and "carried from " in carried
    # every report says why a verdict was carried, and from what
    for name in ("summary.md", "junit.xml", "report.html"):
        text = (runs["scoped"] / name).read_text()
        assert "the changes touch only valid-requests" in text and "operation unchanged" in text, name
    # the valid requests and the valid probes were sent, not the operation's other probes
    full_sent = by_id(report(runs["full"]))[f"{CHANGED}::no-server-errors"]["cases"]
    assert 0 < scoped["run"]["cases_sent"] < full_sent / 2


def test_what_is_rechecked_agrees_with_a_full_run(runs):
    full, scoped = by_id(report(runs["full"])), by_id(report(runs["scoped"]))
    key = f"{CHANGED}::valid-requests"

    def verdict(r: dict) -> tuple:
        return r["status"], r["cases"], [(f["title"], f["count"], f["cases"]) for f in r["findings"]]

    assert verdict(scoped[key]) == verdict(full[key])
    old = by_id(report(runs["old"]))
    for rid, r in scoped.items():  # every other verdict is the earlier one
        if rid != key:
            assert (r["status"], r["cases"]) == (old[rid]["status"], old[rid]["cases"]), rid


def test_a_certificate_is_a_source_and_the_new_one_says_what_it_carried(runs, versions, new_server):
    _old, new, tmp = versions
    scoped, from_cert = by_id(report(runs["scoped"])), by_id(report(runs["from-cert"]))
    assert {k: r["status"] for k, r in scoped.items()} == {k: r["status"] for k, r in from_cert.items()}
    note = from_cert[f"{CHANGED}::invalid-requests"]["scope"]
    assert note.startswith("carried from certificate sha256:")
    result = CliRunner().invoke(
        main,
        [
            "verify",
            str(runs["from-cert"] / "cert.json"),
            "--key",
            str(tmp / "supplier.pub.pem"),
            "--contracts",
            str(new),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "note: carried: 26 of 27 verdict(s) were not re-checked by this run" in result.output
    # re-checked against the live implementation: every operation, carried verdicts included
    result = CliRunner().invoke(
        main,
        [
            "verify",
            str(runs["from-cert"] / "cert.json"),
            "--key",
            str(tmp / "supplier.pub.pem"),
            "--contracts",
            str(new),
            "--base-url",
            new_server,
            "--token",
            TOKEN,
            "--data",
            str(DATA_FILE),
        ],
    )
    assert result.exit_code == 0, result.output
    statement = json.loads(
        base64.b64decode(json.loads((runs["from-cert"] / "cert.json").read_text())["payload"])
    )
    carried = [r for r in statement["predicate"]["results"] if "carried" in r]
    assert len(carried) == 26 and all(
        r["carried"]["note"].startswith("carried from certificate") for r in carried
    )


def test_a_tampered_or_foreign_certificate_is_refused(runs, versions, new_server, tmp_path):
    old, new, tmp = versions
    cert = json.loads((runs["old"] / "cert.json").read_text())
    statement = json.loads(base64.b64decode(cert["payload"]))
    statement["predicate"]["results"][0]["status"] = (
        "passed" if statement["predicate"]["results"][0]["status"] != "passed" else "failed"
    )
    cert["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
    (tmp_path / "tampered.json").write_text(json.dumps(cert))
    args = ["--previous-key", tmp / "supplier.pub.pem"]
    result = certify(
        new_server,
        new,
        tmp_path / "r",
        "--changed-from",
        old,
        "--previous-certificate",
        tmp_path / "tampered.json",
        *args,
    )
    assert result.exit_code == 2
    assert "tampered.json: cannot carry its verdicts: signature: does not match the content" in result.stderr
    # issued for the old contracts, given the new ones as OLD
    result = certify(
        new_server,
        new,
        tmp_path / "r",
        "--changed-from",
        new,
        "--previous-certificate",
        runs["old"] / "cert.json",
        *args,
    )
    assert result.exit_code == 2
    assert f"was not issued for the contracts of {new}: " in result.stderr and CHANGED in result.stderr
    result = certify(
        new_server,
        new,
        tmp_path / "r",
        "--changed-from",
        old,
        "--previous-certificate",
        runs["old"] / "cert.json",
    )
    assert result.exit_code == 2 and "give --previous-key" in result.stderr
    result = certify(
        new_server, new, tmp_path / "r", "--previous-certificate", runs["old"] / "cert.json", *args
    )
    assert result.exit_code == 2 and "--previous-certificate goes with --changed-from" in result.stderr
    assert not (tmp_path / "r").exists()


def test_a_finding_on_a_carried_requirement_is_not_hidden(versions):
    """The cases sent for valid-requests showed a 5xx: no-server-errors cannot be carried as passed."""
    old, new, _tmp = versions
    changes = diff_contracts(load_version(old), load_version(new))
    earlier = {
        "run": {"finished": "2026-12-01T10:00:00Z"},
        "results": [
            {"operation": CHANGED, "requirement": r.value, "status": "passed", "cases": 1, "reason": ""}
            for r in R
        ],
    }
    plan = plan_recertification(changes, [CHANGED], earlier)
    assert plan.scope == {CHANGED: {R.VALID_REQUESTS}} and len(plan.carried) == len(R) - 1
    five_hundred = Violation(
        R.NO_SERVER_ERRORS, "500 answer", "response.status", "no 5xx", "500", Source("x", "x")
    )
    run = RunResult(
        Settings("http://x", ()),
        0.0,
        0.0,
        True,
        tuple(
            RequirementResult(CHANGED, REQUIREMENT[r], "passed", 5)
            if r != R.NO_SERVER_ERRORS
            else RequirementResult(
                CHANGED, REQUIREMENT[r], "failed", 5, findings=(Finding(five_hundred, "failure", 1, ("c",)),)
            )
            for r in R
        ),
        {},
        5,
    )
    merged = {r.requirement.id: r for r in carry_into(run, plan, [CHANGED]).results}
    assert len(merged) == len(R) and merged[R.NO_SERVER_ERRORS].status == "failed"
    assert merged[R.NO_SERVER_ERRORS].scope.startswith("re-checked in part: only the cases of valid-requests")
    assert merged[R.VALID_REQUESTS].scope.startswith("re-checked: changed")
    assert merged[R.INVALID_REQUESTS].carried_from == "2026-12-01T10:00:00Z"


def _all_passed(*operations: str) -> dict:
    results = [
        {"operation": op, "requirement": r.value, "status": "passed", "cases": 1, "reason": ""}
        for op in operations
        for r in R
    ]
    return {"run": {"finished": "2026-12-01T10:00:00Z"}, "results": results}


def test_the_plan_says_why_each_operation_is_rechecked():
    changes = diff_contracts(load_version(SERIES / "1.0"), load_version(SERIES / "1.1"))
    post, get = "POST /service-problems", "GET /service-problems/{id}"
    plan = plan_recertification(changes, [post, get], _all_passed(post, get))
    assert plan.recheck == (post, get) and plan.scope == {} and plan.carried == ()
    assert plan.reasons[get] == (
        "changed (parameter-added-required at request.header.Tenant; response-property-enum-value-added at "
        "response.200.body.$.status; response-status-added at response.409): every requirement"
    )
    # five success-body changes on one operation: valid-requests alone, the first three named
    body = next(c for c in changes if c.rule.id == "response-property-enum-value-added")
    many = [dataclasses.replace(body, location=f"response.200.body.$.f{n}") for n in range(5)]
    plan = plan_recertification(many, [get], _all_passed(get))
    assert plan.scope == {get: {R.VALID_REQUESTS}} and len(plan.carried) == len(R) - 1
    assert plan.reasons[get].endswith("response.200.body.$.f2; … 5 changes): valid-requests only")
    # an earlier run without a verdict for one of the carried requirements: the whole operation
    partial = _all_passed(get)
    partial["results"] = [r for r in partial["results"] if r["requirement"] != "tenant-isolation"]
    plan = plan_recertification(many, [get], partial)
    assert plan.scope == {} and plan.reasons[get].endswith(": every requirement") and plan.carried == ()
