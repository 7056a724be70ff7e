"""The limit and the last-page marker are read from sentences of the document, never from names alone."""

from __future__ import annotations

import pytest

from fcvalidate.contract.paging import LIMIT_RULE, MARKER_RULE, limit_sentence, marker_sentence, paging_of
from fcvalidate.files import compile_to, load_contracts
from tests.conftest import CORPUS


@pytest.mark.parametrize(
    ("description", "sentence", "items"),
    [
        (
            "Maximum number of results to return. Default 20.",
            "Maximum number of results to return.",
            "results",
        ),
        ("Largest number of books in one page.", "Largest number of books in one page.", "books"),
        ("The number of items to return per page.", "The number of items to return per page.", "items"),
        ("Page size (1-100).", "Page size (1-100).", "page"),
        ("How many orders to return.", "How many orders to return.", "orders"),
        ("Limits the number of records returned.", "Limits the number of records returned.", "records"),
        ("Number of parcels per page.", "Number of parcels per page.", "parcels"),
        ("Max number of entries.", "Max number of entries.", "entries"),
    ],
)
def test_a_limit_is_a_sentence_saying_the_most_items_an_answer_holds(description, sentence, items):
    assert limit_sentence(description) == (sentence, items)


@pytest.mark.parametrize(
    "description",
    ["", "Max number of retries.", "Maximum number of pets.", "Words to look for.", "Page number, from 1."],
)
def test_no_sentence_no_limit(description):
    assert limit_sentence(description) is None


@pytest.mark.parametrize(
    "description",
    [
        "Where the next page starts. It is null on the last page.",
        "Absent when there are no more results.",
        "Omitted on the last page.",
        "Whether another page follows: false on the last page.",
        "True when more pages follow.",
        "Only present when more results exist.",
        "Whether more results are available.",
    ],
)
def test_a_last_page_marker_is_a_sentence_saying_how_the_last_page_looks(description):
    assert marker_sentence(description)


@pytest.mark.parametrize(
    "description", ["", "The next page URL.", "Total count, over all pages.", "A cursor."]
)
def test_no_sentence_no_marker(description):
    assert marker_sentence(description) is None


def test_the_compiler_records_both_sentences_and_the_engine_reads_them_back(tmp_path):
    compile_to([CORPUS / "parcel-lockers", CORPUS / "library", CORPUS / "pet-shop"], tmp_path)
    contracts = load_contracts([tmp_path])
    ops = {op.label: op for c in contracts for op in c}
    lockers, parcels, books = (paging_of(ops[k]) for k in ("GET /lockers", "GET /parcels", "GET /books/"))
    assert lockers and (lockers.parameter, lockers.items) == ("page_size", "lockers")
    assert lockers.sentence == "Maximum number of lockers to return."
    assert lockers.source.at.endswith("list-lockers.md:14:5")
    assert lockers.marker and (lockers.marker.name, lockers.marker.boolean) == ("nextCursor", False)
    assert lockers.marker.sentence == "It is null on the last page."
    assert parcels and (parcels.parameter, parcels.items) == ("per_page", "parcels")
    assert parcels.marker and (parcels.marker.name, parcels.marker.boolean) == ("hasMore", True)
    assert books and (books.parameter, books.items, books.marker) == ("limit", "books", None)
    # a `cursor` and a `page.next` "null on the last" without a stated limit: no paging rule
    assert paging_of(ops["GET /pets"]) is None
    spec = next(c.spec for c in contracts if "/lockers" in c.spec["paths"])
    limit = spec["paths"]["/lockers"]["get"]["parameters"][1]
    assert limit["x-fc-inferred"]["rule"] == LIMIT_RULE
    marker = spec["paths"]["/lockers"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert marker["properties"]["nextCursor"]["x-fc-inferred"]["rule"] == MARKER_RULE


def test_says_more_reads_the_marker_by_its_type(tmp_path):
    compile_to([CORPUS / "parcel-lockers"], tmp_path)
    ops = {op.label: op for c in load_contracts([tmp_path]) for op in c}
    lockers, parcels = paging_of(ops["GET /lockers"]), paging_of(ops["GET /parcels"])
    assert lockers and lockers.marker and parcels and parcels.marker
    assert lockers.marker.says_more({"nextCursor": "c2"})
    assert not any(lockers.marker.says_more(b) for b in ({}, {"nextCursor": None}, {"nextCursor": ""}))
    assert parcels.marker.says_more({"hasMore": True})
    assert not any(parcels.marker.says_more(b) for b in ({"hasMore": False}, {}, {"hasMore": "yes"}))
