"""The engine against the reference implementation: conformant passes, every fault fails exactly the
requirement it breaks (and nothing else), and a fixed seed gives the same cases and verdict."""

from __future__ import annotations

import pytest

from fcvalidate.requirements import REQUIREMENT
from fcvalidate.server import FAULTS, serve_in_background
from tests.conftest import TOKEN, statuses


def test_conformant_reference_is_conformant(reference_url, run_certify):
    result = run_certify(reference_url)
    assert result.verdict == "conformant"
    assert not [r.id for r in result.results if r.status == "failed"]
    passed = {r.id for r in result.results if r.status == "passed"}
    # Every requirement is really exercised on the fully documented operation.
    assert {f"POST /service-problem-amendments::{req}" for req in REQUIREMENT} <= passed
    # The gap operations: undocumented success is a documentation warning, never a failure.
    assert statuses(result)["POST /service-orders::valid-requests"] == "warning"
    assert statuses(result)["POST /service-orders::invalid-requests"] == "skipped"


BUNDLED_FAULTS = [f for f in FAULTS if f.bundled]  # the others act on shapes only the corpus has


@pytest.mark.parametrize("fault", BUNDLED_FAULTS, ids=[f.id for f in BUNDLED_FAULTS])
def test_each_fault_breaks_exactly_its_requirement(fault, run_certify):
    with serve_in_background(tokens=(TOKEN,), faults=(fault.id,)) as url:
        result = run_certify(url)
    by_requirement: dict[str, set[str]] = {}
    for r in result.results:
        by_requirement.setdefault(r.status, set()).add(r.requirement.id)
    failed = by_requirement.get("failed", set())
    if REQUIREMENT[fault.requirement].level == "SHOULD":
        assert not failed, failed  # a SHOULD is never a failure ...
        assert fault.requirement in by_requirement.get("warning", set())  # ... it is a warning
        assert result.verdict == "conformant"
    else:
        assert failed == {fault.requirement}
        assert result.verdict == "not-conformant"
    broken = [r for r in result.results if r.requirement.id == fault.requirement and r.findings]
    assert all(fault.breaks(r.operation) for r in broken if r.status == "failed")
    assert any(fault.breaks(r.operation) for r in broken)  # on the operation it breaks
    finding = broken[0].findings[0]
    assert finding.violation.source.at  # every finding quotes the clause it enforces


def test_same_seed_same_cases_and_verdict(reference_url, run_certify):
    def fingerprint(result):
        return (
            [(r.id, r.status, [(f.violation.title, f.count) for f in r.findings]) for r in result.results],
            result.cases_sent,
        )

    first = run_certify(reference_url, seed=7, max_concurrency=16, cache=False)
    second = run_certify(reference_url, seed=7, max_concurrency=1, cache=False)
    assert fingerprint(first) == fingerprint(second)


def test_same_seed_same_requests_against_a_faulty_server(run_certify):
    with serve_in_background(tokens=(TOKEN,), faults=("accept-wrong-type",)) as url:
        a = run_certify(url, seed=3, max_concurrency=16, cache=False)
        b = run_certify(url, seed=3, max_concurrency=1, cache=False)
        c = run_certify(url, seed=3, workers=2)  # the deprecated name still works

    def cases(r):
        return {cid: (ex.case.method, ex.case.headers, ex.case.body) for cid, ex in r.exchanges.items()}

    assert cases(a) == cases(b) == cases(c) and cases(a)
    assert statuses(a) == statuses(b) == statuses(c)
    assert c.settings.max_concurrency == 2


def test_an_implementation_that_refuses_what_its_documents_do_not_list_is_conformant(contracts, run_certify):
    """A valid request carries the documented fields only: refusing others is a supplier's right. Where
    the document lists no request fields at all, no body is known valid: refusing ours is a gap, not a
    fault."""
    import json

    from fcvalidate.server import ServerConfig, create_app
    from fcvalidate.server.background import serve_app
    from fcvalidate.server.bodies import has_undocumented_field

    schemas = {op.path: op.request_schema or {} for c in contracts for op in c.operations}
    reference = create_app(ServerConfig(tokens=(TOKEN,)))
    refused = []

    async def strict(scope, receive, send):  # the reference, refusing what its documents do not list
        if scope["type"] != "http" or scope["method"] != "POST":
            return await reference(scope, receive, send)
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        schema = schemas.get(scope["path"], {})
        try:
            if "properties" not in schema:  # it needs fields the document does not give
                body = b"[]"  # refused (400) as the reference refuses a body that is not an object
            elif has_undocumented_field(json.loads(body), schema):
                refused.append(body)
                body = b"{}"  # refused (400) as the reference refuses a body without its required fields
        except ValueError:
            pass

        async def once():
            return {"type": "http.request", "body": body, "more_body": False}

        await reference(scope, once, send)

    with serve_app(strict) as url:
        result = run_certify(url, max_examples=20, cache=False)
    assert refused  # the undocumented-field edge case was sent, and refused
    assert statuses(result)["POST /service-problem-amendments::valid-requests"] == "passed"
    assert statuses(result)["POST /service-problem-amendments::no-server-errors"] == "passed"
    gap = next(r for r in result.results if r.id == "POST /service-orders::valid-requests")
    assert gap.status == "warning"
    assert any("lists no request fields" in f.violation.title for f in gap.findings)
    assert result.verdict == "conformant"


def test_an_implementation_that_wants_a_fresh_uuid_per_request_id_is_conformant(run_certify):
    """X-Request-ID is documented as free text: an implementation may still want a UUID, seen once."""
    import uuid

    from fcvalidate.server import ServerConfig, create_app
    from fcvalidate.server.background import serve_app

    reference = create_app(ServerConfig(tokens=(TOKEN,)))
    seen: set[str] = set()

    def fresh_uuid(value: bytes) -> bool:
        try:
            uuid.UUID(value.decode())
        except ValueError:
            return False
        if value in seen:
            return False
        seen.add(value)
        return True

    async def checking(scope, receive, send):  # a request id that is not a fresh UUID is left out: 400
        if scope["type"] == "http":
            headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"x-request-id" or fresh_uuid(v)]
            scope = {**scope, "headers": headers}
        await reference(scope, receive, send)

    with serve_app(checking) as url:
        result = run_certify(url, max_examples=10, cache=False)
    assert not [r.id for r in result.results if r.status == "failed"]
    assert statuses(result)["POST /service-problem-amendments::required-headers"] == "passed"
    assert len(seen) > 30  # every probe carried its own
