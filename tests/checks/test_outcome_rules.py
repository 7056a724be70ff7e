"""The outcome oracle on operations of every shape: unknown resources, conventions with their basis,
the `default` response as documentation of any status, and silence in the document as a warning."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fcvalidate.checks import CheckContext
from fcvalidate.checks.outcome import expected_outcome
from fcvalidate.contract.operation import Operation
from fcvalidate.files import all_operations, load_contracts
from tests.checks.conftest import error, get_operation, make_case, make_exchange

UUID = "3b241101-e2bb-4255-8caf-4136c566a962"


@pytest.fixture(scope="module")
def corpus(corpus_contracts_dir) -> dict[str, Operation]:
    return {op.label: op for op in all_operations(load_contracts([corpus_contracts_dir]))}


def judge(op, case, status, body=None, baseline_ok=True, **kw):
    found = list(
        expected_outcome(CheckContext(op, None, baseline_ok), make_exchange(case, status, body, **kw))
    )
    return [(v.title.split(":")[0], v.severity) for v in found], found


def unknown(op, method=None):
    case = make_case(op, "unknown-resource", "invalid-requests", "rejected")
    return replace(case, method=method) if method else case


def gateway_error(code):
    return {"uuid": UUID, "code": code, "messages": ["m"]}


# -- an unknown resource ---------------------------------------------------------------------------------


def test_unknown_resource_with_404_documented(corpus):
    pet = corpus["GET /pets/{petId}"]
    assert judge(pet, unknown(pet), 404, {"message": "no pet 999"})[0] == []
    titles, found = judge(pet, unknown(pet), 200, {"id": 1})
    assert titles == [("An unknown resource was found", "failure")]
    assert "RFC 9110 §15.5.5" in found[0].basis.text
    # an undocumented 4xx: the implementation may be checking the id's form, which is not documented
    assert judge(pet, unknown(pet), 400, {"message": "bad id"})[0] == [
        ("Answered 400, which the document does not list", "warning")
    ]
    # another documented 4xx where 404 is documented: a warning
    problem = corpus["GET /service-problems/{id}"]
    assert judge(problem, unknown(problem), 403)[0] == [("Answered 403, not 404", "warning")]


def test_unknown_resource_answered_422_not_found_where_404_is_not_documented(corpus):
    resolve = corpus["PATCH /service-problem-resolutions/{id}"]
    assert judge(resolve, unknown(resolve), 422, gateway_error("INVALID_REQUEST"))[0] == []
    # 404 is HTTP's own answer, but the document does not list it: a warning, not a failure
    assert judge(resolve, unknown(resolve), 404, gateway_error("NOT_FOUND"))[0] == [
        ("Answered 404, which the document does not list", "warning")
    ]
    assert judge(resolve, unknown(resolve), 409, gateway_error("NOT_FOUND"))[0] == [
        ("Answered 409, which the document does not list", "warning")
    ]


def test_unknown_resource_another_documented_4xx_naming_not_found_is_fine(corpus):
    delete = corpus["DELETE /appointment-reservations/{reservationId}"]
    assert judge(delete, unknown(delete), 404, gateway_error("NOT_FOUND"))[0] == []
    assert judge(delete, unknown(delete), 409, {"code": "EXPIRED", "usedBy": None})[0] == [
        ("Answered 409, not 404", "warning")
    ]
    # the document lists 404: a DELETE that answers 204 for a missing reservation breaks it
    titles, found = judge(delete, unknown(delete), 204)
    assert titles == [("An unknown resource was found", "failure")]
    assert "RFC 9110 §15.5.5" in found[0].basis.text


def test_unknown_resource_success_where_the_document_allows_it(corpus):
    loans_like = _with_statuses(201, 404)  # a PUT documenting 201 may create what it names
    put = replace(loans_like, method="PUT")
    titles, found = judge(put, unknown(put), 201)
    assert titles == [("Succeeded for an unknown resource", "warning")]
    assert "may create it" in found[0].basis.text
    resolve = corpus["PATCH /service-problem-resolutions/{id}"]  # neither 404 nor 410 documented
    titles, found = judge(
        resolve, unknown(resolve), 200, {"id": "SP-1", "status": "RESOLVED", "resolvedAt": None}
    )
    assert titles == [("Succeeded for an unknown resource", "warning")]
    assert "lists neither 404 nor 410" in found[0].basis.text


def test_unknown_resource_with_a_default_response(corpus):
    product = corpus["GET /Products({key})"]
    odata = {"error": {"code": "NotFound", "message": "m"}}
    assert judge(product, unknown(product), 404, odata)[0] == []
    assert judge(product, unknown(product), 400, odata)[0] == []  # covered by `default`
    assert judge(product, unknown(product), 200, {"ID": 1})[0] == [
        ("Succeeded for an unknown resource", "warning")
    ]


def test_unknown_resource_410_where_documented():
    op = _with_statuses(404, 410)
    assert judge(op, unknown(op), 410)[0] == []
    op = _with_statuses(422)
    assert judge(op, unknown(op), 410)[0] == [("Answered 410, which the document does not list", "warning")]


# -- authorisation: the convention, with its basis -------------------------------------------------------


def no_token(op, kind="no-token"):
    return make_case(op, kind, "authorisation", "unauthorised", codes=("NOT_AUTHORISED",))


def test_no_token_rule_carries_its_basis(ops):
    spa = ops["/service-problem-amendments"]
    titles, found = judge(spa, no_token(spa), 400, error("INVALID_REQUEST"))
    assert titles == [("Wrong status", "failure")]
    assert "RFC 6750" in found[0].basis.text and "RFC 9110 §15.5.2" in found[0].basis.text
    titles, found = judge(spa, no_token(spa), 401, error("INVALID_REQUEST"))
    assert titles == [("Wrong error code", "failure")]
    assert "NOT_AUTHORISED" in found[0].basis.text  # the document's own enum lists it


def test_the_code_is_required_only_where_the_enum_lists_it(corpus):
    """PUT /branches/{code}/hours documents 401 without fields: no code to require."""
    hours = corpus["PUT /branches/{branchCode}/hours"]
    assert judge(hours, no_token(hours), 401)[0] == []
    assert judge(hours, no_token(hours), 401, {"code": "UNAUTHENTICATED"})[0] == []


def test_a_documented_refusal_naming_authorisation_where_401_is_not_documented(corpus):
    """PATCH /service-problem-resolutions/{id} lists 422 with NOT_AUTHORISED and no 401."""
    resolve = corpus["PATCH /service-problem-resolutions/{id}"]
    assert judge(resolve, no_token(resolve), 422, gateway_error("NOT_AUTHORISED"))[0] == []
    assert judge(resolve, no_token(resolve), 422, gateway_error("INVALID_REQUEST"))[0] == [
        ("Wrong status", "failure")
    ]
    assert judge(resolve, no_token(resolve), 401)[0] == []


def test_403_for_a_missing_api_key(corpus):
    pet = corpus["GET /pets/{petId}"]  # neither 401 nor 403 documented: 403 is common for API keys
    assert judge(pet, no_token(pet), 403)[0] == [("Refused with 403, not 401", "warning")]
    observations = corpus["OPTIONS /observations/"]  # 403 documented, 401 not
    assert judge(observations, no_token(observations), 403)[0] == []
    spa_like = corpus["DELETE /appointment-reservations/{reservationId}"]  # 401 documented
    assert judge(spa_like, no_token(spa_like), 403)[0] == [("Wrong status", "failure")]


# -- malformed bodies: 400 by convention, only where the document lists it -------------------------------


def malformed(op):
    return make_case(
        op,
        "malformed",
        "malformed-body",
        "rejected",
        codes=("MALFORMED_REQUEST", "INVALID_REQUEST"),
        statuses=(400,),
    )


def test_malformed_body_basis(ops):
    spa = ops["/service-problem-amendments"]
    titles, found = judge(spa, malformed(spa), 422, error("INVALID_REQUEST"))
    assert titles == [("Rejected with the wrong status", "failure")]
    assert "RFC 9110 §15.5.1" in found[0].basis.text


def test_malformed_body_where_400_is_not_documented(corpus):
    resolve = corpus[
        "PATCH /service-problem-resolutions/{id}"
    ]  # 422 only, enum INVALID_REQUEST, NOT_AUTHORISED
    assert judge(resolve, malformed(resolve), 422, gateway_error("INVALID_REQUEST"))[0] == []
    assert judge(resolve, malformed(resolve), 400, gateway_error("INVALID_REQUEST"))[0] == [
        ("Rejected with 400, which the document does not list", "warning")
    ]
    not_object = make_case(resolve, "not-object", "malformed-body", "rejected")
    assert judge(resolve, not_object, 400, gateway_error("INVALID_REQUEST"))[0] == [
        ("Rejected with 400, which the document does not list", "warning")
    ]
    assert judge(resolve, not_object, 409, gateway_error("INVALID_REQUEST"))[0] == [
        ("Rejected with an undocumented status", "failure")
    ]
    pets = corpus["POST /pets"]  # errors only as `default`: any 4xx is documented, no code to require
    assert judge(pets, malformed(pets), 422, {"message": "bad json", "field": None})[0] == []
    assert judge(pets, malformed(pets), 400, {"message": "bad json", "field": None})[0] == []


def test_an_operation_that_lists_no_4xx_is_a_documentation_gap(corpus):
    latest = corpus["HEAD /forecasts/latest"]
    # a required query parameter left out: an `invalid` case (its defect says which), judged by its kind
    case = make_case(latest, "invalid", "invalid-requests", "rejected")
    assert judge(latest, case, 400)[0] == [("Documentation gap", "warning")]


# -- methods, success ------------------------------------------------------------------------------------


def test_method_probe_basis(ops):
    spa = ops["/service-problem-amendments"]
    case = make_case(spa, "method", "method-not-allowed", "method-refused")
    _, found = judge(spa, case, 404, error("NOT_FOUND"))
    assert found[0].severity == "warning" and "RFC 9110 §15.5.6" in found[0].basis.text
    _, found = judge(spa, case, 405, error("INVALID_REQUEST"))
    assert found[0].title.startswith("405 without an Allow header") and "MUST" in found[0].basis.text


def test_a_documented_304_answers_a_valid_conditional_request(corpus):
    latest = corpus["HEAD /forecasts/latest"]
    assert judge(latest, make_case(latest), 304)[0] == []
    pet = corpus["GET /pets/{petId}"]
    assert judge(pet, make_case(pet), 304)[0] == [("Redirected", "failure")]


def test_an_undocumented_2xx(corpus):
    pet = corpus["GET /pets/{petId}"]
    assert judge(pet, make_case(pet), 203, {"id": 1})[0] == [("Undocumented success status", "failure")]


def _with_statuses(*statuses: int) -> Operation:
    return get_operation({s: (None, None) for s in (200, *statuses)})


# -- where the document does not say how an invalid request is refused -----------------------------------


def test_an_invalid_request_where_only_other_refusals_are_documented(corpus):
    """GET /service-problems/{id} lists 403 and 404: a 400 for a missing header is the document's silence."""
    problem = corpus["GET /service-problems/{id}"]
    case = make_case(problem, "missing-header", "required-headers", "rejected")
    assert judge(problem, case, 400, gateway_error("INVALID_REQUEST"))[0] == [
        ("Documentation gap", "warning")
    ]
    assert judge(problem, case, 404, gateway_error("NOT_FOUND"))[0] == []
    # where 422 is the documented refusal of an invalid request, an undocumented 400 is a failure
    resolve = corpus["PATCH /service-problem-resolutions/{id}"]
    case = make_case(resolve, "missing-header", "required-headers", "rejected")
    assert judge(resolve, case, 400, gateway_error("INVALID_REQUEST"))[0] == [
        ("Rejected with an undocumented status", "failure")
    ]


def test_a_put_to_an_unknown_id_may_create_it(corpus):
    preferences = corpus["PUT /members/{memberId}/preferences/"]  # 200 and 404 documented, no 201
    assert judge(preferences, unknown(preferences), 200, {"memberId": 1, "updatedAt": "x"})[0] == [
        ("Succeeded for an unknown resource", "warning")
    ]


def test_lower_case_header_names_replayed_after_a_delete(corpus):
    delete = corpus["DELETE /appointment-reservations/{reservationId}"]
    parent = make_exchange(make_case(delete), 204)
    case = make_case(delete, "header-case", "required-headers", "like-parent")
    ctx = CheckContext(delete, parent, True)
    gone = list(expected_outcome(ctx, make_exchange(case, 404, gateway_error("NOT_FOUND"))))
    assert [(v.severity, "deleted" in v.basis.text) for v in gone] == [("warning", True)]
    refused = list(expected_outcome(ctx, make_exchange(case, 400, gateway_error("INVALID_REQUEST"))))
    assert [v.severity for v in refused] == ["failure"]


def test_no_code_is_required_of_a_status_the_document_does_not_list(corpus):
    """PATCH /service-problem-resolutions/{id} lists NOT_AUTHORISED under 422 only: a 401 (undocumented)
    with another code of the operation is not held to it."""
    resolve = corpus["PATCH /service-problem-resolutions/{id}"]
    assert judge(resolve, no_token(resolve), 401, gateway_error("INVALID_REQUEST"))[0] == []


def test_a_probe_still_rate_limited_proves_nothing(ops):
    spa = ops["/service-problem-amendments"]
    case = make_case(spa, "invalid", "invalid-requests", "rejected")
    titles, found = judge(spa, case, 429)
    assert titles == [("Rate limited", "warning")] and "RFC 6585" in found[0].basis.text
    assert judge(spa, no_token(spa), 429)[0] == [("Rate limited", "warning")]
    # a valid request refused so is judged as any refusal (never answering is not conformant)
    assert judge(spa, make_case(spa), 429, baseline_ok=False)[0] == [
        ("Valid requests are refused", "failure")
    ]


# -- a document that lists no refusal at all -------------------------------------------------------------


def test_accepting_what_a_document_that_lists_no_refusal_never_refuses_is_a_documentation_gap(corpus):
    """A listing that documents no 4xx at all ("the service never refuses a listing"): an invalid query
    value accepted is within what the document says, so it warns, naming what the document lacks."""
    latest = corpus["HEAD /forecasts/latest"]
    assert not [s for s in latest.error_statuses if s < 500] and latest.default_response is None
    titles, found = judge(latest, make_case(latest, "invalid", "invalid-requests", "rejected"), 200)
    assert titles == [("Documentation gap", "warning")]
    assert "lists no refusal" in found[0].title and "4xx" in found[0].hint
    documented = corpus["GET /pets/{petId}"]  # lists 404: accepting an invalid request there still fails
    titles, _ = judge(documented, make_case(documented, "invalid", "invalid-requests", "rejected"), 200, {})
    assert titles == [("Accepted", "failure")]
