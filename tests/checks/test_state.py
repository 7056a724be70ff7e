"""checks/state.py on stored exchanges: what a write sent reads back, a PATCH leaves unsent fields alone,
a deleted resource is gone — and what a server may rightly assign or normalise is never a finding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fcvalidate.checks import state
from fcvalidate.exchange import Case, Exchange, Expect, Response, Source
from fcvalidate.files import compile_to, load_contracts

TENANT_API = Path(__file__).resolve().parent.parent / "server" / "tenant-api"


@pytest.fixture(scope="module")
def ops(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("tenant-api")
    compile_to([TENANT_API], out)
    return {op.label: op for c in load_contracts([out]) for op in c.operations}


def read(status: int, body: Any = None, n: int = 1) -> Exchange:
    case = Case(
        f"t.read-back.{n:03d}",
        "PATCH /tickets/{ticketId}",
        "valid-requests",  # type: ignore[arg-type]
        "read-back",
        "read back",
        "GET",
        "/tickets/T-4",
        (),
        None,
        Expect("success"),
        Source("", ""),
    )
    raw = b"" if body is None else json.dumps(body).encode()
    return Exchange(
        case, "http://x/tickets/T-4", Response(status, (("content-type", "application/json"),), raw, 0.0)
    )


def found(violations: Any) -> list[tuple[str, str, str]]:
    return [(v.severity, v.title, v.location) for v in violations]


def test_values_sent_read_back_or_the_field_is_named(ops):
    patch, get = ops["PATCH /tickets/{ticketId}"], ops["GET /tickets/{ticketId}"]
    sent = {"subject": "Printer on fire", "status": "CLOSED"}
    assert not found(state.read_back(patch, get, sent, read(200, {"id": "T-4", **sent}), "w"))
    [(severity, title, where)] = found(
        state.read_back(
            patch, get, sent, read(200, {"id": "T-4", "subject": "Printer on fire", "status": "OPEN"}), "w"
        )
    )
    assert (severity, where) == ("failure", "response.body.$.status") and "does not read back" in title


def test_what_a_server_may_assign_or_normalise_is_not_compared(ops):
    patch, get = ops["PATCH /tickets/{ticketId}"], ops["GET /tickets/{ticketId}"]
    sent = {"id": "mine", "subject": "  Cafe\u0301 ", "undocumented": 1}
    assert not found(state.read_back(patch, get, sent, read(200, {"id": "T-4", "subject": "Café"}), "w"))


def test_a_merge_patch_null_removes_the_member(ops):
    patch, get = ops["PATCH /tickets/{ticketId}"], ops["GET /tickets/{ticketId}"]
    assert not found(state.read_back(patch, get, {"subject": None}, read(200, {"id": "T-4"}), "w"))
    assert found(
        state.read_back(patch, get, {"subject": None}, read(200, {"id": "T-4", "subject": "x"}), "w")
    )


def test_a_patch_leaves_the_fields_it_did_not_send_alone(ops):
    patch, get = ops["PATCH /tickets/{ticketId}"], ops["GET /tickets/{ticketId}"]
    before = read(200, {"id": "T-4", "subject": "drawn", "status": "CLOSED"}, 1)
    kept = read(200, {"id": "T-4", "subject": "drawn", "status": "OPEN"}, 2)
    lost = read(200, {"id": "T-4", "status": "OPEN"}, 3)
    assert not found(state.left_alone(patch, get, before, {"status": "OPEN"}, kept, "w"))
    [violation] = state.left_alone(patch, get, before, {"status": "OPEN"}, lost, "w")
    assert violation.location == "response.body.$.subject" and violation.actual.startswith("absent")
    assert "RFC 5789" in violation.basis.note and "RFC 7396" in violation.basis.note  # merge-patch+json
    assert set(violation.judged_with) == {"w", before.case.id}


def test_a_write_not_found_when_read_fails_and_an_unreadable_one_warns(ops):
    post, get = ops["POST /tickets"], ops["GET /tickets/{ticketId}"]
    assert found(state.read_back(post, get, {}, read(404, {"code": "NOT_FOUND"}), "w"))[0][0] == "failure"
    assert found(state.read_back(post, get, {}, read(403, {"code": "NO"}), "w"))[0][0] == "warning"
    assert found(state.read_back(post, get, {}, read(500, {"code": "NO"}), "w"))[0][0] == "failure"


def test_a_deleted_resource_answers_404_or_410(ops):
    delete, get = ops["DELETE /tickets/{ticketId}"], ops["GET /tickets/{ticketId}"]
    assert not found(state.gone(delete, get, read(404, {}), "w"))
    assert not found(state.gone(delete, get, read(410, {}), "w"))
    assert found(state.gone(delete, get, read(200, {"id": "T-3"}), "w"))[0][0] == "failure"
    assert found(state.gone(delete, get, read(403, {}), "w"))[0][0] == "warning"


def test_a_read_that_finds_any_id_makes_a_deleted_resource_found_inconclusive(ops):
    delete, get = ops["DELETE /tickets/{ticketId}"], ops["GET /tickets/{ticketId}"]
    invents = read(200, {"id": "fcvalidate-no-such-resource"}, 2)
    [violation] = state.gone(delete, get, read(200, {"id": "T-3"}), "w", invents)
    assert violation.severity == "warning" and "Inconclusive" in violation.title
    assert found(state.gone(delete, get, read(200, {"id": "T-3"}), "w", read(404, {}, 2)))[0][0] == "failure"
