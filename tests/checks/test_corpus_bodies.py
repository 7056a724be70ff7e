"""Body oracles on operations of every shape (the compiled test corpus): each status judged against its
own documented response, the `default` one for the rest, no body where none is documented, nullable and
`any` fields, non-JSON media by Content-Type only, and no body judged for HEAD."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fcvalidate.checks import CheckContext
from fcvalidate.checks.error_body import error_body
from fcvalidate.checks.success_body import success_body
from fcvalidate.contract.operation import Operation
from fcvalidate.files import all_operations, load_contracts
from tests.checks.conftest import error, get_operation, make_case, make_exchange

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def corpus(corpus_contracts_dir) -> dict[str, Operation]:
    return {op.label: op for op in all_operations(load_contracts([corpus_contracts_dir]))}


def errors_of(op, status, body=None, content_type="application/json", raw=None, method=None):
    case = make_case(op, "invalid", "invalid-requests", "rejected")
    if method:
        case = replace(case, method=method)
    found = list(error_body(CheckContext(op), make_exchange(case, status, body, content_type, raw)))
    return [(v.title, v.severity) for v in found], found


def successes_of(op, status, body=None, content_type="application/json", raw=None, method=None):
    case = make_case(op)
    if method:
        case = replace(case, method=method)
    found = list(success_body(CheckContext(op), make_exchange(case, status, body, content_type, raw)))
    return [v.title for v in found], found


# -- the default response (RFC 7807 problem+json and other shapes) ---------------------------------------


def test_an_undocumented_status_is_judged_against_the_default_problem_json(corpus):
    loans = corpus["POST /loans"]
    problem = {"type": "https://errors.example/bad", "title": "Bad request", "status": 400}
    assert errors_of(loans, 400, problem, PROBLEM)[0] == []
    titles, found = errors_of(loans, 400, {"type": "x", "title": "t"}, PROBLEM)
    assert titles == [("Error body: missing status", "failure")]
    assert "default" in found[0].expected and "400 is not documented" in found[0].expected
    assert "default" in found[0].basis.text  # the OpenAPI rule that sends status 400 to `default`
    assert "`status` (integer, required)" in found[0].source.clause


def test_the_default_media_type_is_checked(corpus):
    problem = {"type": "x", "title": "t", "status": 400}
    titles, found = errors_of(corpus["POST /loans"], 400, problem, "application/json")
    assert titles == [("Error body has the wrong content type", "failure")]
    assert (found[0].expected, found[0].actual) == (PROBLEM, "application/json")


def test_a_documented_status_uses_its_own_schema_not_the_default(corpus):
    loans = corpus["POST /loans"]
    held = {"type": "x", "title": "Held", "heldFor": None}  # 409: nullable heldFor, no `status` field
    assert errors_of(loans, 409, held, PROBLEM)[0] == []
    assert errors_of(loans, 409, {**held, "heldFor": 100234}, PROBLEM)[0] == []
    assert errors_of(loans, 409, {**held, "heldFor": "someone"}, PROBLEM)[0] == [
        ("Error body: heldFor is not an integer or null", "failure")
    ]
    assert errors_of(loans, 409, {"type": "x", "title": "Held"}, PROBLEM)[0] == [
        ("Error body: missing heldFor", "failure")
    ]


def test_an_odata_error_object_from_the_default_response(corpus):
    product = corpus["GET /Products({key})"]
    good = {
        "error": {
            "code": "NotFound",
            "message": "no product 9",
            "details": [{"target": None, "message": "m"}],
        }
    }
    assert errors_of(product, 404, good)[0] == []
    titles, _ = errors_of(product, 404, {"error": {"code": "NotFound"}})
    assert titles == [("Error body: missing error.message", "failure")]
    # the Fibre Cafe shape is not this API's shape
    titles, _ = errors_of(product, 404, error("NOT_FOUND"))
    assert titles == [("Error body: missing error", "failure")]


def test_a_null_only_field(corpus):
    tides = corpus["GET /ports/{portId}/tides/{date}"]
    assert errors_of(tides, 404, {"message": "unknown port 9999", "data": None})[0] == []
    assert errors_of(tides, 404, {"message": "unknown port", "data": {}})[0] == [
        ("Error body: data is not null", "failure")
    ]


# -- statuses documented without a body ------------------------------------------------------------------


def test_a_status_documented_without_fields_sends_no_body(corpus):
    delete = corpus["DELETE /appointment-reservations/{reservationId}"]
    assert errors_of(delete, 401)[0] == []
    assert errors_of(delete, 401, {"message": "no token"})[0] == [
        ("401 is documented without a body, but one was sent", "failure")
    ]


def test_a_success_documented_without_fields_sends_no_body(corpus):
    hours = corpus["PUT /members/{memberId}/preferences/"]
    assert successes_of(hours, 200, {"memberId": 1, "updatedAt": "now"})[0] == []
    options = corpus["OPTIONS /observations/"]
    assert successes_of(options, 204)[0] == []  # a 204 never has one (HTTP); the transport reads none
    head_ok = corpus["HEAD /forecasts/latest"]
    get_like = replace(head_ok, method="GET")  # the same documented 200 without fields, on a GET
    assert successes_of(get_like, 200, {"ok": True})[0] == [
        "200 is documented without a body, but one was sent"
    ]
    assert successes_of(get_like, 200)[0] == []


def test_head_answers_are_not_judged_on_a_body(corpus):
    """A HEAD answer has no body by HTTP, whatever Content-Type it announces (the GET's)."""
    station = corpus["HEAD /stations/{stationId}"]
    assert successes_of(station, 200, raw=b"", content_type="application/json")[0] == []
    assert errors_of(station, 404)[0] == []
    head = replace(corpus["GET /pets/{petId}"], method="HEAD")
    assert errors_of(head, 404, raw=b"", content_type="application/json", method="HEAD")[0] == []
    assert successes_of(head, 200, raw=b"", content_type="application/json", method="HEAD")[0] == []
    # a body read past HTTP's framing (a stored exchange) is a finding, whatever the document says
    titles, found = successes_of(head, 200, pet(), method="HEAD")
    assert titles == ["Success body is sent with a HEAD request, which never has a body (200)"]
    assert "RFC 9110 §9.3.2" in found[0].basis.text
    options = corpus["OPTIONS /observations/"]
    assert successes_of(options, 204, {"ok": True})[0] == [
        "Success body is sent with a 204, which never has a body (204)"
    ]


# -- success bodies: 3.1 types, nullable, any, +json, non-JSON media ---------------------------------------


def pet(**over):
    return {"id": 81, "name": "Biscuit", "species": "cat", "bornOn": None, **over}


@pytest.mark.parametrize(
    "body",
    [
        pet(),
        pet(bornOn="2024-05-01", weightKg=None, price="on request", attributes={"colour": "ginger"}),
        pet(attributes=[1, "two"], price=149.99, weightKg=4.2, tags=["indoor"], microchipped=True),
        pet(attributes=None, extra="fields are allowed: the schema is open"),
    ],
)
def test_conforming_pets_pass(corpus, body):
    assert successes_of(corpus["GET /pets/{petId}"], 200, body)[0] == []


@pytest.mark.parametrize(
    ("body", "title"),
    [
        ({"id": 81, "name": "Biscuit", "species": "cat"}, "Success body (200): missing bornOn"),
        (pet(bornOn=17), "Success body (200): bornOn is not a string or null"),
        (pet(weightKg="heavy"), "Success body (200): weightKg is not number or null"),
        (pet(price=True), "Success body (200): price is not a string or number"),
        (pet(species="hamster"), "Success body (200): species is not one of the enum"),
        (pet(tags=["indoor", "wild"]), "Success body (200): tags[1] is not one of the enum"),
    ],
)
def test_non_conforming_pets_fail(corpus, body, title):
    assert title in successes_of(corpus["GET /pets/{petId}"], 200, body)[0]


def test_a_vendor_json_media_type_is_json():
    schema = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
    op = get_operation({200: ("application/vnd.shop+json", schema)})
    assert successes_of(op, 200, {"id": 1}, "application/vnd.shop+json")[0] == []
    assert successes_of(op, 200, {"id": "1"}, "application/vnd.shop+json")[0] == [
        "Success body (200): id is not an integer"
    ]
    assert successes_of(op, 200, raw=b"{oops", content_type="application/vnd.shop+json")[0] == [
        "Success body is not JSON (200)"
    ]


def test_a_non_json_media_type_is_checked_by_content_type_only():
    op = get_operation({200: ("image/png", {"x-fc-inferred": {"rule": "body-without-fields"}})})
    png = b"\x89PNG\r\n\x1a\n\x00\x00"
    assert successes_of(op, 200, raw=png, content_type="image/png")[0] == []
    titles, found = successes_of(op, 200, raw=png, content_type="application/octet-stream")
    assert titles == ["Success body has the wrong content type (200)"]
    assert found[0].expected == "image/png"


def test_an_undeclared_charset_parameter_is_fine(corpus):
    assert successes_of(corpus["GET /pets/{petId}"], 200, pet(), "application/json; charset=utf-8")[0] == []


# -- the Fibre Cafe conventions, from the documents ----------------------------------------------------


def test_a_code_the_operation_knows_but_the_status_does_not_list(corpus):
    delete = corpus["DELETE /appointment-reservations/{reservationId}"]
    body = {"uuid": "3b241101-e2bb-4255-8caf-4136c566a962", "code": "EXPIRED", "messages": ["gone"]}
    titles, found = errors_of(delete, 404, body)
    assert titles == [("Error code not documented for this status", "failure")]
    assert "NOT_FOUND" in found[0].expected and "'EXPIRED'" in found[0].actual
    assert 'Enum: "NOT_FOUND"' in found[0].source.clause


def test_a_corpus_error_uuid_without_a_uuid_example_is_any_text(corpus):
    """get-service-problem documents `uuid` with no example: nothing says it is a UUID."""
    problem = corpus["GET /service-problems/{id}"]
    assert errors_of(problem, 404, error("NOT_FOUND", uuid="trace-1"))[0] == []


def test_the_seed_uuid_format_fails_with_the_inference_as_basis(ops):
    spa = ops["/service-problem-amendments"]
    titles, found = errors_of(spa, 422, error(uuid="error-1"))
    assert titles == [("Error body: uuid is not a UUID", "failure")]
    assert found[0].location == "response.body.$.uuid"
    assert "format-from-example" in found[0].basis.text and "says UUID" in found[0].basis.text
    assert errors_of(spa, 422, error(uuid="3B241101-E2BB-4255-8CAF-4136C566A962"))[0] == []


def test_another_methods_answer_is_judged_on_its_code_only_as_a_warning(corpus):
    loans = corpus["POST /loans"]
    titles, _ = errors_of(loans, 405, {"detail": "Method Not Allowed"}, method="PUT")
    assert titles == []  # not judged against POST /loans' default response
    spa_like = corpus["PATCH /service-problem-resolutions/{id}"]
    titles, found = errors_of(spa_like, 405, error("METHOD_NOT_ALLOWED"), method="PUT")
    assert titles == [("Error code outside this operation's enum", "warning")]
    assert "PUT" in found[0].basis.text
