"""Boundaries, near misses and credential places (engine/probes/boundaries.py and credential_places.py),
on tests/server/orders-api/ (a document that bounds its numbers): the cases each builds, the reference
conformant to all of them, and each fault of the catalogue they exist for found under its requirement,
by those cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fcvalidate import RunResult, certify
from fcvalidate.engine.probes.boundaries import edge_numbers, near_misses
from fcvalidate.files import load_contracts
from fcvalidate.report.exchanges import exchange_data
from fcvalidate.server import FAULTS, serve_in_background
from tests.conftest import TOKEN

ORDERS = Path(__file__).resolve().parent.parent / "server" / "orders-api"
DATA = ORDERS / "data.yaml"
KEY = "orders-key-9e1"
NEW_KINDS = {
    "boundary",
    "out-of-range",
    "near-miss",
    "assigned",
    "path-number",
    "optional-parameters",
    "credential-place",
    "credential-case",
}
ORDERS_FAULTS = [f for f in FAULTS if f.contract == "orders-api"]


def run(*faults: str, **options: object) -> RunResult:
    with serve_in_background(
        tokens=(TOKEN,), api_keys=(("apiKeyAuth", KEY),), contracts_dir=ORDERS, data=DATA, faults=faults
    ) as url:
        return certify(
            url,
            contracts=load_contracts([ORDERS]),
            token=TOKEN,
            api_keys={"apiKeyAuth": KEY},
            data=DATA,
            max_examples=5,
            cache=False,
            **options,
        )


def test_edge_numbers_judge_each_value_by_the_documented_bounds():
    edges = {
        value: inside for _, value, inside in edge_numbers({"type": "integer", "minimum": 1, "maximum": 100})
    }
    assert edges == {
        0: False,
        -1: False,
        2**31: False,
        2**53 + 1: False,
        10**30: False,
        1: True,
        100: True,
        101: False,
    }
    unbounded = {value for _, value, inside in edge_numbers({"type": "integer"}) if inside}
    assert unbounded == {0, -1, 2**31, 2**53 + 1, 10**30}  # unbounded: only never a 5xx
    exclusive = {v: i for _, v, i in edge_numbers({"type": "number", "exclusiveMinimum": 0})}
    assert exclusive[0] is False and exclusive[1] is True and exclusive[-1] is False
    assert edge_numbers({"type": "integer", "multipleOf": 7}) == [("0", 0, True)]  # what multipleOf allows


def test_near_misses_of_an_enum_member_are_never_members():
    assert [v for _, v, _ in near_misses("OPEN", ["OPEN", "SHIPPED"])] == [
        "open",
        "OPE",
        "OPENX",
        "",
        " OPEN ",
    ]
    assert [w for w, _, _ in near_misses("a", ["a", "A"], in_query=True)] == ["suffix", "padded"]


def test_the_reference_is_conformant_to_every_new_probe():
    result = run()
    assert result.verdict == "conformant"
    assert not [f for r in result.results for f in r.findings], [
        f.violation.title for r in result.results for f in r.findings
    ]


@pytest.mark.parametrize("fault", ORDERS_FAULTS, ids=[f.id for f in ORDERS_FAULTS])
def test_each_fault_is_found_under_its_requirement_by_the_new_probes(fault):
    result = run(fault.id)
    judged = {(r.operation, r.requirement.id): r for r in result.results if r.findings}
    statuses = {r.status for r in judged.values()}
    assert {req for _, req in judged} == {fault.requirement}, judged.keys()
    assert statuses == {"warning" if fault.warns else "failed"}
    kinds = {cid.split(".")[1] for r in judged.values() for f in r.findings for cid in f.case_ids}
    assert kinds & NEW_KINDS, kinds  # found by a probe of this issue (before it, the run was conformant)


def test_letter_case_is_a_switchable_convention():
    lenient = run("enum-any-case")  # by default json-schema.enum-not-normalised is not accepted: it warns
    strict = run("enum-any-case", conventions=["http", "json-schema"])
    assert strict.verdict == "not-conformant"
    assert lenient.verdict == "conformant"
    [finding, *_] = [f for r in lenient.results for f in r.findings]
    assert (
        finding.severity == "warning"
        and "json-schema.enum-not-normalised" in finding.violation.basis.conventions
    )
    assert "json-schema.enum-not-normalised, a convention not accepted" in finding.violation.hint


def test_a_key_sent_in_the_query_is_redacted_in_reports():
    result = run("credential-in-query")
    [exchange, *_] = [e for e in result.exchanges.values() if e.case.kind == "credential-place"]
    assert KEY in exchange.url or TOKEN in exchange.url  # what was sent
    data = json.dumps(exchange_data(exchange, result.secrets))
    assert KEY not in data and TOKEN not in data and "***" in data
    [finding, *_] = [f for r in result.results for f in r.findings]
    assert "OWASP" in finding.violation.basis.text and finding.severity == "warning"
