"""Paging probes and the paging check, on the parcel-lockers documents: limit 1 and 2, the next page the
marker points to (a cursor, a page number, a link), and what the check finds in an answer."""

from __future__ import annotations

import json

import pytest

from fcvalidate.checks.paging import paging as paging_check
from fcvalidate.checks.registry import CheckContext
from fcvalidate.engine.probes.derive import case
from fcvalidate.engine.probes.paging import limit_cases, next_page
from fcvalidate.exchange import Case, Exchange, Expect, Response
from fcvalidate.files import compile_to, load_contracts
from fcvalidate.requirements import RequirementId as R
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def ops(tmp_path_factory):
    out = tmp_path_factory.mktemp("parcel-lockers")
    compile_to([CORPUS / "parcel-lockers", CORPUS / "weather"], out)
    return {op.label: op for c in load_contracts([out]) for op in c}


def valid(op, query=()) -> Case:
    return case(
        op,
        R.VALID_REQUESTS,
        "valid",
        0,
        "valid",
        expect=Expect("success"),
        query=query,
        headers=(),
        body=None,
        source=op.source,
    )


def answered(sent: Case, body: object, status: int = 200) -> Exchange:
    response = Response(status, (("content-type", "application/json"),), json.dumps(body).encode(), 0.01)
    return Exchange(sent, "http://127.0.0.1/x", response)


def test_limit_cases_replace_the_limit_and_keep_the_rest(ops):
    op = ops["GET /lockers"]
    cases = limit_cases(op, valid(op, (("city", "Leeds"), ("page_size", "20"))))
    assert [c.query for c in cases] == [
        (("city", "Leeds"), ("page_size", "1")),
        (("city", "Leeds"), ("page_size", "2")),
    ]
    assert all(c.kind == "paging" and c.requirement == R.VALID_REQUESTS for c in cases)
    assert cases[0].source.at.endswith("list-lockers.md:14:5")


def test_no_stated_limit_no_paging_cases(ops):
    op = ops["GET /forecasts"]  # `days` is how many days, not a limit on items
    assert limit_cases(op, valid(op)) == []


def test_a_cursor_goes_into_the_parameter_the_markers_name_points_to(ops):
    op = ops["GET /lockers"]
    first = limit_cases(op, valid(op))[0]
    following = next_page(op, answered(first, {"lockers": [{"code": "LK-0001"}], "nextCursor": "LK-0002"}), 0)
    assert following is not None and following.kind == "next-page" and following.parent == first.id
    assert following.query == (("page_size", "1"), ("cursor", "LK-0002"))
    assert next_page(op, answered(first, {"lockers": [], "nextCursor": None}), 1) is None
    assert next_page(op, answered(first, {"lockers": []}), 1) is None


def test_a_link_is_followed_to_its_path_and_query(ops):
    op = ops["GET /lockers"]
    first = limit_cases(op, valid(op))[0]
    link = "https://lockers.example/lockers?page_size=1&cursor=LK-0002"
    following = next_page(op, answered(first, {"lockers": [{"code": "a"}], "nextCursor": link}), 0)
    assert following is not None
    assert (following.path, following.query) == ("/lockers", (("page_size", "1"), ("cursor", "LK-0002")))


def test_has_more_moves_the_page_number_on(ops):
    op = ops["GET /parcels"]
    first = limit_cases(op, valid(op))[1]
    following = next_page(op, answered(first, {"parcels": [{}, {}], "hasMore": True}), 0)
    assert following is not None and following.query == (("per_page", "2"), ("page", "2"))
    again = next_page(op, answered(following, {"parcels": [{}], "hasMore": True}), 1)
    assert again is not None and dict(again.query)["page"] == "3"
    assert next_page(op, answered(first, {"parcels": [{}], "hasMore": False}), 0) is None


def findings(op, sent, body):
    return list(paging_check(CheckContext(op), answered(sent, body)))


def test_the_check_counts_the_documented_array_against_the_limit(ops):
    op = ops["GET /lockers"]
    one, two = limit_cases(op, valid(op))
    assert not findings(op, two, {"lockers": [{}, {}], "nextCursor": "x"})
    [found] = findings(op, one, {"lockers": [{}, {}], "nextCursor": None})
    assert (found.requirement, found.location, found.actual) == (
        R.VALID_REQUESTS,
        "response.body.$.lockers",
        "2 items",
    )
    assert "Maximum number of lockers to return." in found.basis.note
    assert not findings(op, valid(op), {"lockers": [{}] * 30})  # no limit sent: nothing to count against


def test_the_check_finds_the_marker_set_on_the_last_page(ops):
    op = ops["GET /parcels"]
    first = limit_cases(op, valid(op))[0]
    following = next_page(op, answered(first, {"parcels": [{}], "hasMore": True}), 0)
    assert following is not None
    titles = [v.title for v in findings(op, following, {"parcels": [], "hasMore": True})]
    assert titles == [
        "`hasMore` said another page follows, but that page holds no items",
        "An empty page says another page follows (`hasMore`)",
    ]
    assert not findings(op, first, {"parcels": [{}], "hasMore": True})  # a full page may say more
    assert not findings(op, first, {"parcels": [], "hasMore": False})  # an empty collection, marked last
