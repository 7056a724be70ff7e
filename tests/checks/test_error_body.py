"""The error-body oracle: shape, UUID, and the code within *this* operation's own enum."""

from __future__ import annotations

import pytest

from tests.checks.conftest import error, make_case, make_exchange, violations

SPA = "/service-problem-amendments"
ORDERS = "/service-orders"


def titles(vs, requirement="error-body"):
    return [v.title for v in vs if v.requirement == requirement]


def test_a_valid_error_body_passes(ops):
    case = make_case(ops[SPA], "invalid", "invalid-requests", "rejected")
    assert titles(violations(ops[SPA], make_exchange(case, 400, error()))) == []


def test_code_from_another_operations_enum_is_reported_with_the_code_seen(ops):
    """GATEWAY_FAULT is in the 1.17 enum (9 codes), not in service-problem-amendments' (6 codes)."""
    case = make_case(ops[SPA], "invalid", "invalid-requests", "rejected")
    vs = [
        v
        for v in violations(ops[SPA], make_exchange(case, 400, error("GATEWAY_FAULT")))
        if v.requirement == "error-body"
    ]
    assert [v.title for v in vs] == ["Error code outside this operation's enum"]
    assert "'GATEWAY_FAULT'" in vs[0].actual and "6 codes" in vs[0].expected
    assert vs[0].location == "response.body.$.code"
    assert "Enum:" in vs[0].source.clause
    # ... while the same code is fine for an operation whose enum has it.
    case17 = make_case(ops[ORDERS], "invalid", "malformed-body", "rejected")
    assert titles(violations(ops[ORDERS], make_exchange(case17, 400, error("GATEWAY_FAULT")))) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (error(uuid="not-a-uuid"), "Error body: uuid is not a UUID"),
        ({"code": "NOT_FOUND", "messages": []}, "Error body: missing uuid"),
        (error(messages="oops"), "Error body: messages is not an array"),
        (error(messages=[1]), "Error body: messages[0] is not a string"),
    ],
)
def test_shape_violations(ops, body, expected):
    case = make_case(ops[SPA], "invalid", "invalid-requests", "rejected")
    assert expected in titles(violations(ops[SPA], make_exchange(case, 422, body)))


def test_error_body_that_is_not_json(ops):
    case = make_case(ops[SPA], "invalid", "invalid-requests", "rejected")
    plain = make_exchange(case, 400, raw=b"Bad Request", content_type="text/plain")
    assert titles(violations(ops[SPA], plain)) == ["Error body has the wrong content type"]
    broken = make_exchange(case, 400, raw=b'{"code": "INVAL', content_type="application/json")
    assert titles(violations(ops[SPA], broken)) == ["Error body is not JSON"]


def test_status_documented_without_a_body_must_send_none(ops):
    case = make_case(ops[SPA], "bad-token", "authorisation", "unauthorised")
    assert titles(violations(ops[SPA], make_exchange(case, 403, error("NOT_AUTHORISED")))) == [
        "403 is documented without a body, but one was sent"
    ]
    assert titles(violations(ops[SPA], make_exchange(case, 403))) == []


def test_undocumented_status_is_judged_on_its_code_only(ops):
    case = make_case(ops[SPA], "method", "method-not-allowed", "method-refused")
    assert (
        titles(
            violations(ops[SPA], make_exchange(case, 405, raw=b"<html>no</html>", content_type="text/html"))
        )
        == []
    )
    assert titles(violations(ops[SPA], make_exchange(case, 405, error("WHATEVER")))) == [
        "Error code outside this operation's enum"
    ]


def test_a_body_of_another_shape_is_one_finding_listing_its_problems(ops):
    case = make_case(ops[SPA], "invalid", "invalid-requests", "rejected")
    body = {"error": {"code": "INVALID_REQUEST", "message": "bad"}}
    found = [v for v in violations(ops[SPA], make_exchange(case, 422, body)) if v.requirement == "error-body"]
    assert [v.title for v in found] == ["Error body: missing uuid, code, messages"]
    assert found[0].location == "response.body"
    assert "'uuid' is required but missing" in found[0].actual and "'messages'" in found[0].actual


def test_the_same_problem_with_other_values_has_the_same_title(ops):
    case = make_case(ops[SPA], "invalid", "invalid-requests", "rejected")
    a, b = (
        titles(violations(ops[SPA], make_exchange(case, 422, error(messages=text))))
        for text in ("oops", "<b>other</b>")
    )
    assert a == b == ["Error body: messages is not an array"]


def test_an_error_identifier_the_document_calls_unique_is_never_shared_by_two_errors(contracts):
    """'Unique identifier of this error': two errors of one operation answering one uuid is a finding;
    fuzzed cases (their request ids drawn, maybe repeated) are left out."""
    import dataclasses
    import json as _json

    from fcvalidate.checks.error_body import repeated_error_ids
    from fcvalidate.exchange import Case, Exchange, Expect, Response, Source
    from fcvalidate.requirements import RequirementId as R

    (op,) = [op for c in contracts for op in c.operations if op.label == "POST /service-problem-amendments"]
    case = Case(
        "a",
        op.label,
        R.REQUIRED_HEADERS,
        "missing-header",
        "t",
        "POST",
        op.path,
        (),
        None,
        Expect("rejected"),
        Source("x", "y"),
    )
    body = _json.dumps(
        {"uuid": "87432dfb-2e47-4532-a1b7-4b113d48867d", "code": "INVALID_REQUEST", "messages": ["m"]}
    ).encode()
    answer = Response(400, (("content-type", "application/json"),), body, 0.0)

    def exchange(case_id: str, kind: str = "missing-header") -> Exchange:
        return Exchange(dataclasses.replace(case, id=case_id, kind=kind), "http://x", answer)

    (found,) = repeated_error_ids(op, [exchange("a"), exchange("b")])
    assert (
        found.case_id == "b" and found.requirement == R.ERROR_BODY and "also the answer to a" in found.actual
    )
    assert not repeated_error_ids(op, [exchange("a"), exchange("a")])  # one case, answered again
    assert not repeated_error_ids(op, [exchange("a"), exchange("f", "fuzz")])
