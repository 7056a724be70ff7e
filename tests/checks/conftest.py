"""Stored exchanges for check tests: a check runs the same on these as on a live response."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from fcvalidate.checks import CheckContext, run_checks
from fcvalidate.contract.operation import Operation
from fcvalidate.exchange import Case, Exchange, Expect, Response, Source
from fcvalidate.files import all_operations, load_contracts


@pytest.fixture(scope="session")
def ops() -> dict[str, Operation]:
    return {op.path: op for op in all_operations(load_contracts())}


def make_case(
    op: Operation,
    kind: str = "valid",
    requirement: str = "valid-requests",
    outcome: str = "success",
    **kw: Any,
) -> Case:
    return Case(
        id=f"t.{kind}.000",
        operation=op.label,
        requirement=requirement,
        kind=kind,
        title=f"a {kind} case",  # type: ignore[arg-type]
        method=op.method,
        path=op.path,
        headers=(),
        body=b"{}",
        expect=Expect(outcome, **kw),  # type: ignore[arg-type]
        source=Source("src:1:1", "a clause"),
    )


def make_exchange(
    case: Case,
    status: int | None,
    body: Any = None,
    content_type: str = "application/json",
    raw: bytes | None = None,
) -> Exchange:
    if status is None:
        return Exchange(case, "http://127.0.0.1/x", None, "no response within 5 s")
    data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
    headers = (("content-type", content_type),) if data else ()
    return Exchange(case, "http://127.0.0.1/x", Response(status, headers, data, 0.01))


def error(code: str = "INVALID_REQUEST", **over: Any) -> dict[str, Any]:
    return {"uuid": str(uuid.uuid4()), "code": code, "messages": ["m"], **over}


def violations(
    op: Operation,
    exchange: Exchange,
    baseline_ok: bool = True,
    baseline: Exchange | None = None,
    missing: tuple[str, ...] = (),
):
    return run_checks(CheckContext(op, baseline, baseline_ok, missing), exchange)


def get_operation(responses: dict[int, tuple[str | None, dict[str, Any] | None]]) -> Operation:
    """A hand-built GET /things/{id} documenting `responses` ({status: (media type, schema)})."""
    from fcvalidate.contract.operation import ResponseSpec

    src = Source("doc.md:1:1", "Endpoint: GET /things/{id}")
    return Operation(
        contract="t",
        version="1",
        method="GET",
        path="/things/{id}",
        operation_id="getThing",
        summary="",
        parameters=(),
        security=(),
        request_media_type=None,
        request_schema=None,
        request_source=src,
        responses={s: ResponseSpec(s, media, schema, src) for s, (media, schema) in responses.items()},
        gaps=frozenset(),
        source=src,
    )
