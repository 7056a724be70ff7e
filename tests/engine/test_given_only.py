"""A run changes only what it was given: a request that changes or deletes the resource its path names
goes to a resource the data file gives that operation, one the run created, or one that names nothing —
never the documented example or another operation's resource; `read_only` sends nothing that may change
data; and certifying twice in a row against the same stateful reference gives the same verdict."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml

from fcvalidate import events
from fcvalidate.engine.events import CaseFinished, RunFinished
from fcvalidate.files import compile_to, load_contracts
from fcvalidate.server import serve_in_background
from tests.conftest import TOKEN

WIDGETS = Path(__file__).resolve().parent / "widgets"
SAFE = {"GET", "HEAD", "OPTIONS"}
# W-1001 is every document's example and the GET's resource; the DELETE and the PATCH get their own
DATA = {
    "operations": {
        "GET /widgets/{id}": {"id": "W-1001"},
        "DELETE /widgets/{id}": {"id": "W-1002"},
        "PATCH /widgets/{id}": {"id": "W-1003"},
    }
}
UNTOUCHED = ("W-1001",)  # the PUT was given nothing: it may change no widget at all


@pytest.fixture(scope="module")
def widgets(tmp_path_factory):
    out = tmp_path_factory.mktemp("widgets")
    compile_to([WIDGETS], out)
    data = out.parent / "widgets-data.yaml"
    data.write_text(yaml.safe_dump(DATA))
    return out, tuple(load_contracts([out])), data


def run(url, contracts, **options):
    sent, result = [], None
    for event in events(url, contracts=contracts, token=TOKEN, data=DATA, max_examples=8, **options):
        if isinstance(event, CaseFinished) and event.exchange.sent:
            sent.append(event.exchange.case)
        elif isinstance(event, RunFinished):
            result = event.result
    assert result is not None
    return sent, result


def widget(url, wid):
    response = httpx.get(f"{url}/widgets/{wid}", headers={"Authorization": f"Bearer {TOKEN}"})
    return response.status_code, response.text


def test_state_changing_requests_name_only_what_they_were_given(widgets):
    out, contracts, data = widgets
    with serve_in_background(tokens=(TOKEN,), contracts_dir=out, data=data) as url:
        before = {wid: widget(url, wid) for wid in UNTOUCHED}
        assert all(status == 200 for status, _ in before.values()), before
        sent, result = run(url, contracts)
        after = {wid: widget(url, wid) for wid in UNTOUCHED}
    assert after == before  # the example (and the GET's widget) neither changed nor deleted
    changing = [c for c in sent if c.method not in SAFE]
    assert changing
    for case in changing:
        wid = case.path.rsplit("/", 1)[-1]
        if case.operation == "DELETE /widgets/{id}" and case.method == "DELETE":
            assert wid == "W-1002" or wid not in ("W-1001", "W-1003"), case
        elif case.operation == "PATCH /widgets/{id}" and case.method == "PATCH":
            assert wid == "W-1003" or wid not in ("W-1001", "W-1002"), case
        else:  # the PUT, and another method tried on a documented path: only ids that name nothing
            assert wid not in ("W-1001", "W-1002", "W-1003"), case
    put = next(r for r in result.results if r.id == "PUT /widgets/{id}::valid-requests")
    assert put.status == "skipped" and "operations:" in put.reason and "PUT /widgets/{id}" in put.reason


def test_certifying_twice_in_a_row_gives_the_same_verdict(widgets):
    out, contracts, data = widgets
    with serve_in_background(tokens=(TOKEN,), contracts_dir=out, data=data) as url:
        verdicts = []
        for _ in range(2):
            _, result = run(url, contracts)
            verdicts.append((result.verdict, sorted(r.id for r in result.results if r.status == "failed")))
    assert verdicts[0] == verdicts[1] == ("conformant", []), verdicts


def test_a_read_only_run_sends_nothing_that_may_change_data(widgets):
    out, contracts, data = widgets
    with serve_in_background(tokens=(TOKEN,), contracts_dir=out, data=data) as url:
        sent, result = run(url, contracts, read_only=True)
    assert sent and {c.method for c in sent} <= SAFE
    for r in result.results:
        if r.operation.split()[0] not in SAFE:
            assert r.status == "skipped" and "read-only" in r.reason, r
    assert result.verdict == "conformant"
