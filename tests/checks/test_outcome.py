"""The outcome oracle: what each case must get, and when a rejection proves nothing."""

from __future__ import annotations

from tests.checks.conftest import error, make_case, make_exchange, violations

SPA = "/service-problem-amendments"
ORDERS = "/service-orders"


def by_req(vs, requirement):
    return [(v.title, v.severity) for v in vs if v.requirement == requirement]


def test_documented_success_passes_and_undocumented_success_fails(ops):
    case = make_case(ops[SPA])
    assert (
        by_req(
            violations(ops[SPA], make_exchange(case, 201, {"id": 1, "serviceProblemId": 2})), "valid-requests"
        )
        == []
    )
    assert by_req(
        violations(ops[SPA], make_exchange(case, 200, {"id": 1, "serviceProblemId": 2})), "valid-requests"
    ) == [("Undocumented success status", "failure")]


def test_success_on_an_operation_with_a_success_gap_is_a_warning(ops):
    case = make_case(ops[ORDERS])
    assert by_req(violations(ops[ORDERS], make_exchange(case, 201, {"id": "x"})), "valid-requests") == [
        ("Documentation gap: success answered 201, no success response is documented", "warning")
    ]


def test_refused_valid_requests(ops):
    case = make_case(ops[SPA])
    refused = make_exchange(case, 422, error("NOT_FOUND"))
    # others succeeded: a business rule, a warning
    assert [s for _, s in by_req(violations(ops[SPA], refused, baseline_ok=True), "valid-requests")] == [
        "warning"
    ]
    # none succeeded and known values missing: inconclusive, naming the inputs
    vs = [
        v
        for v in violations(ops[SPA], refused, baseline_ok=False, missing=("Tenant", "serviceProblemId"))
        if v.requirement == "valid-requests"
    ]
    assert vs[0].severity == "warning" and "serviceProblemId" in vs[0].hint
    # none succeeded with everything known: a failure
    assert by_req(violations(ops[SPA], refused, baseline_ok=False), "valid-requests") == [
        ("Valid requests are refused", "failure")
    ]


def test_invalid_request_accepted_fails(ops):
    case = make_case(ops[SPA], "invalid", "invalid-requests", "rejected")
    assert by_req(
        violations(ops[SPA], make_exchange(case, 201, {"id": 1, "serviceProblemId": 2})), "invalid-requests"
    ) == [("Accepted: a invalid case", "failure")]


def test_rejection_like_the_valid_requests_is_inconclusive(ops):
    case = make_case(ops[SPA], "invalid", "invalid-requests", "rejected")
    base = make_exchange(make_case(ops[SPA]), 422, error("NOT_FOUND"))
    same = make_exchange(case, 422, error("NOT_FOUND"))
    other = make_exchange(case, 400, error("INVALID_REQUEST"))
    assert [s for _, s in by_req(violations(ops[SPA], same, False, base), "invalid-requests")] == ["warning"]
    assert by_req(violations(ops[SPA], other, False, base), "invalid-requests") == []


def test_undocumented_4xx_and_wrong_code(ops):
    case = make_case(
        ops[SPA],
        "malformed",
        "malformed-body",
        "rejected",
        codes=("MALFORMED_REQUEST", "INVALID_REQUEST"),
        statuses=(400,),
    )
    assert by_req(violations(ops[SPA], make_exchange(case, 404, error("NOT_FOUND"))), "malformed-body")[0][
        0
    ].startswith("Rejected with an undocumented status")
    assert by_req(violations(ops[SPA], make_exchange(case, 400, error("NOT_FOUND"))), "malformed-body")[0][
        0
    ].startswith("Rejected with the wrong error code")
    assert by_req(violations(ops[SPA], make_exchange(case, 422, error("INVALID_REQUEST"))), "malformed-body")[
        0
    ][0].startswith("Rejected with the wrong status")


def test_server_errors_are_reported_once_under_no_server_errors(ops):
    case = make_case(ops[SPA], "invalid", "invalid-requests", "rejected")
    vs = violations(ops[SPA], make_exchange(case, 500, error("SUPPLIER_FAULT")))
    assert {v.requirement for v in vs} == {"no-server-errors"}


def test_no_response_is_a_failure_of_the_cases_requirement(ops):
    case = make_case(ops[SPA], "no-token", "authorisation", "unauthorised", codes=("NOT_AUTHORISED",))
    vs = violations(ops[SPA], make_exchange(case, None))
    assert [(v.requirement, v.actual) for v in vs] == [("authorisation", "no response within 5 s")]


def test_authorisation(ops):
    case = make_case(ops[SPA], "no-token", "authorisation", "unauthorised", codes=("NOT_AUTHORISED",))
    assert (
        by_req(violations(ops[SPA], make_exchange(case, 401, error("NOT_AUTHORISED"))), "authorisation") == []
    )
    assert by_req(violations(ops[SPA], make_exchange(case, 401, error("INVALID_REQUEST"))), "authorisation")[
        0
    ][0].startswith("Wrong error code")
    assert by_req(violations(ops[SPA], make_exchange(case, 403)), "authorisation")[0][0].startswith(
        "Wrong status"
    )
    bad = make_case(ops[SPA], "bad-token", "authorisation", "unauthorised", codes=("NOT_AUTHORISED",))
    assert by_req(violations(ops[SPA], make_exchange(bad, 403)), "authorisation") == []  # 403 is documented


def test_method_probe_is_a_warning(ops):
    case = make_case(ops[SPA], "method", "method-not-allowed", "method-refused")
    assert [
        s for _, s in by_req(violations(ops[SPA], make_exchange(case, 200, {})), "method-not-allowed")
    ] == ["warning"]


def test_fuzzed_cases_with_different_values_are_one_finding(ops):
    from dataclasses import replace

    from fcvalidate.checks import CheckContext, run_checks
    from fcvalidate.engine.verdict import judge

    op = ops[SPA]
    exchanges, found = [], []
    for n, value in enumerate(("was -6.5e+16", "was 0.0955")):
        case = replace(
            make_case(op, "fuzz", "no-server-errors", "no-server-error"),
            id=f"t.fuzz.{n}",
            title=f"a fuzzed request (violates `required` ({value}))",
        )
        exchange = make_exchange(case, 500, {"oops": 1})
        exchanges.append(exchange)
        found.extend(run_checks(CheckContext(op), exchange))
    result = next(r for r in judge(op, exchanges, found, {}) if r.requirement.id == "no-server-errors")
    assert [(f.violation.title, f.count, f.case_ids) for f in result.findings] == [
        ("Server error: a fuzzed request", 2, ("t.fuzz.0", "t.fuzz.1"))
    ]
