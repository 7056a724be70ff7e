"""Certify an independent ticket and widget store (state_strict.py, written from tests/server/tenant-api/
and tests/engine/widgets/ only) and its one-defect variants (faulty_state.py): a PATCH that replaces the
resource, a create not kept, a DELETE that deletes nothing, PUT and PATCH of an unknown id upserting where
the documents list 404. Each is found under the requirement it breaks; the conformant supplier shows no
finding at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from fcvalidate import RunResult, certify
from fcvalidate.files import compile_to, load_contracts
from fcvalidate.server.background import serve_app
from tests.independent import faulty_state, findings, state_strict

TESTS = Path(__file__).resolve().parent.parent
DATA = TESTS / "engine" / "stateful-data.yaml"


@pytest.fixture(scope="module")
def contracts(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    out = tmp_path_factory.mktemp("state-supplier")
    compile_to([TESTS / "server" / "tenant-api", TESTS / "engine" / "widgets"], out)
    return tuple(load_contracts([out]))


def _certify(supplier: state_strict.Tickets, contracts: tuple) -> RunResult:
    with serve_app(state_strict.app(supplier)) as url:
        return certify(
            url, contracts=contracts, token=state_strict.TOKEN, data=DATA, max_examples=5, cache=False
        )


def test_the_conformant_supplier_shows_no_finding(contracts):
    result = _certify(state_strict.Tickets(), contracts)
    assert not findings(result, "failure"), findings(result, "failure")
    assert not findings(result, "warning"), findings(result, "warning")
    assert result.verdict == "conformant"


# (variant, {(operation, requirement, status)} — every finding the variant gives)
DEFECTS = [
    ("patch-replaces", {("PATCH /tickets/{ticketId}", "valid-requests", "failed")}),
    ("create-not-persisted", {("POST /tickets", "valid-requests", "failed")}),
    (
        "delete-not-deleting",
        {
            ("DELETE /tickets/{ticketId}", "valid-requests", "failed"),
            ("DELETE /widgets/{id}", "valid-requests", "failed"),
        },
    ),
    (
        "unknown-upserts",
        {
            ("PATCH /tickets/{ticketId}", "invalid-requests", "failed"),
            ("PATCH /widgets/{id}", "invalid-requests", "failed"),
            ("PUT /widgets/{id}", "invalid-requests", "warning"),  # a PUT may create (RFC 9110 §9.3.4)
        },
    ),
]


@pytest.mark.parametrize(("variant", "expected"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_each_stateful_defect_is_found_under_the_requirement_it_breaks(variant, expected, contracts):
    result = _certify(faulty_state.VARIANTS[variant](), contracts)
    judged = {(r.operation, r.requirement.id.value, r.status) for r in result.results if r.findings}
    assert expected <= judged, judged
    assert {req for _, req, _ in judged} == {req for _, req, _ in expected}, judged
