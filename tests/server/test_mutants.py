"""Behaviour mutants: derived from any contract, one per defect and operation, and a sample of them is
found by certification under the requirement each breaks (the harness is benchmarks/mutation.py)."""

from __future__ import annotations

import httpx

from benchmarks import mutation
from fcvalidate.files import load_contracts
from fcvalidate.requirements import REQUIREMENT
from fcvalidate.server import serve_in_background
from fcvalidate.server.mutants import mutants
from tests.conftest import TOKEN

SPA = "POST /service-problem-amendments"


def test_every_requirement_gets_mutants_from_the_bundled_contracts_and_the_corpus(corpus_contracts_dir):
    derived = [
        *mutants(op for c in load_contracts() for op in c),
        *mutants(op for c in load_contracts([corpus_contracts_dir]) for op in c),
    ]
    assert {m.requirement for m in derived} == set(REQUIREMENT)
    ids = [m.id for m in derived]
    assert len(ids) == len(set(ids))  # one defect per id
    assert all(m.operations and m.hooks for m in derived)  # each breaks named operations, through hooks


def test_a_mutant_changes_only_the_operation_it_breaks():
    by_id = {m.id: m for m in mutants(op for c in load_contracts() for op in c)}
    no_auth = by_id[f"{SPA} :: no-auth"]
    with serve_in_background(tokens=(TOKEN,), mutants=(no_auth,)) as url:
        spa = httpx.post(url + "/service-problem-amendments", json={})
        orders = httpx.post(url + "/service-orders", json={})
    assert spa.status_code != 401  # no credentials, and still not refused for them
    assert orders.status_code == 401  # the other operation still checks them


def test_a_sample_of_mutants_is_each_found_under_its_own_requirement():
    sample = [
        f"{SPA} :: no-check-X-Request-ID",
        f"{SPA} :: any-token",
        f"{SPA} :: success-as-text",
        f"{SPA} :: crash-on-unicode",
        "/service-problem-amendments :: other-methods-200",
    ]
    rows = mutation.run(only=sample, processes=1)
    assert sorted(row["id"] for row in rows) == sorted(sample)
    for row in rows:
        assert row["outcome"] == "found", row
    scores = mutation.table(rows)
    assert scores["overall"]["found"] == len(sample)
    assert {req for req, s in scores.items() if s["found"]} == {
        "required-headers",
        "authorisation",
        "valid-requests",
        "no-server-errors",
        "method-not-allowed",
        "overall",
    }
