"""When an operation is not served at the base URL: the rule must not mistake a documented 404, nor a 404
for an id nobody gave."""

from __future__ import annotations

from fcvalidate.contract.operation import contract_from_spec
from fcvalidate.engine.preconditions import not_served
from fcvalidate.exchange import Response


def operation(statuses: list[str]):
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things/{id}": {
                "get": {
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {s: {"description": s} for s in statuses},
                }
            }
        },
    }
    return contract_from_spec("t.json", spec).operations[0]


NOT_FOUND = Response(404, (("content-type", "application/problem+json"),), b'{"title": "Not Found"}', 0.0)


NOT_ALLOWED = Response(405, (("content-type", "text/html"),), b"<h1>Method Not Allowed</h1>", 0.0)


def test_every_valid_request_404_405_or_501_undocumented_says_not_served():
    assert not_served(operation(["200"]), [NOT_FOUND, NOT_FOUND]) == "404 Not Found"
    assert (
        not_served(operation(["200"]), [NOT_FOUND, NOT_ALLOWED]) == "404 Not Found or 405 Method Not Allowed"
    )


def test_a_documented_404_is_an_unknown_resource_not_an_unserved_operation():
    assert not not_served(operation(["200", "404"]), [NOT_FOUND, NOT_FOUND])


def test_a_404_for_an_id_nobody_gave_may_just_be_an_unknown_resource():
    assert not not_served(operation(["200"]), [NOT_FOUND], names_known=False)
    assert not_served(operation(["200"]), [NOT_ALLOWED], names_known=False)


def test_one_other_answer_or_none_at_all_proves_nothing():
    ok = Response(200, (), b"{}", 0.0)
    assert not not_served(operation(["200"]), [NOT_FOUND, ok])
    assert not not_served(operation(["200"]), [])


def test_no_generation_thread_outlives_a_run_that_could_not_start(reference_url):
    """Hypothesis changes the recursion limit while it draws: a drawing thread left behind breaks any
    thread that parses Python source later (pytest's assertion rewriting, for one)."""
    import threading

    import pytest

    import fcvalidate
    from tests.conftest import TOKEN

    for base_url in ("ftp://127.0.0.1/", reference_url + "/api"):
        with pytest.raises(fcvalidate.FcValidateError):
            fcvalidate.certify(base_url, token=TOKEN, max_examples=30, cache=False)
        assert [t.name for t in threading.enumerate() if t.name.startswith("fcvalidate-generate")] == []
