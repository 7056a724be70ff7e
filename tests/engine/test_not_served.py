"""An operation the implementation does not serve at this base URL (every valid request answered 404, 405
or 501, none of them documented) is one valid-requests failure saying so, its other requirements skipped
— not a documentation gap and five scattered failures; when no operation of the run is served, the base
URL is what is wrong (exit 3), whichever operation comes first."""

from __future__ import annotations

from pathlib import Path

import pytest

from fcvalidate import ImplementationError, certify
from fcvalidate.files import compile_to, load_contracts
from fcvalidate.server import serve_in_background
from tests.conftest import TOKEN

WIDGETS = Path(__file__).resolve().parent / "widgets"
DATA = {"operations": {"GET /widgets/{id}": {"id": "W-1001"}}}
UNSERVED = ("GET /widgets",)  # GET /widgets/{id} documents 404 (an unknown widget): no proof there


@pytest.fixture(scope="module")
def widgets(tmp_path_factory):
    out = tmp_path_factory.mktemp("widgets")
    compile_to([WIDGETS], out)
    return tuple(load_contracts([out]))


def test_an_operation_not_served_is_one_failure_saying_so(widgets, contracts):
    # the reference serves the bundled contracts only: the widget store is not there
    with serve_in_background(tokens=(TOKEN,)) as url:
        result = certify(
            url,
            contracts=(*contracts, *widgets),
            operations=("POST /service-problem-amendments", "GET /widgets/{id}", *UNSERVED),
            token=TOKEN,
            data=DATA,
            max_examples=3,
        )
    for label in UNSERVED:
        mine = {r.requirement.id: r for r in result.results if r.operation == label}
        valid = mine.pop("valid-requests")
        assert valid.status == "failed" and len(valid.findings) == 1, valid
        finding = valid.findings[0].violation
        assert finding.title == "Not served at this base URL" and "404" in finding.actual
        assert all(r.status == "skipped" and "served at this base URL" in r.reason for r in mine.values()), (
            mine
        )
    (read,) = [r for r in result.results if r.id == "GET /widgets/{id}::valid-requests"]
    assert read.status == "failed" and read.findings[0].violation.title == "Valid requests are refused"
    served = [r for r in result.results if r.operation == "POST /service-problem-amendments"]
    assert served and not any(r.status == "failed" for r in served)


def test_no_operation_served_means_the_base_url_is_wrong(widgets):
    with serve_in_background(tokens=(TOKEN,)) as url, pytest.raises(ImplementationError) as err:
        certify(url, contracts=widgets, operations=UNSERVED, token=TOKEN, data=DATA, max_examples=3)
    assert err.value.exit_code == 3 and "no operation is served at the base URL" in str(err.value)
    assert "likely wrong" in str(err.value)
