"""Certify an independent supplier of tests/server/orders-api/ (orders_strict.py, written from that
document only) and its one-defect variants (faulty_orders.py): the defects real teams ship that issue #22
lists — an enum checked by substring, a `limit` ignored, a negative `limit` crashing, an API key also read
from `?api_key=`, a lower-case `authorization` refused, a client's `id` honoured (and a second create
crashing), a path number out of range crashing. Each is found under the requirement it breaks; the
conformant supplier fails nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from starlette.applications import Starlette

from fcvalidate import RunResult, certify
from fcvalidate.files import load_contracts
from fcvalidate.server.background import RawHeaderH11Protocol, _serving, _uvicorn, listen, serve_app
from tests.independent import faulty_orders, findings, orders_strict

ORDERS = Path(__file__).resolve().parent.parent / "server" / "orders-api"


@contextmanager
def _raw_names(app: Starlette) -> Iterator[str]:
    """Served keeping the header names as sent (uvicorn lower-cases them), as Node's `rawHeaders` does."""
    with _serving(
        _uvicorn(app, "127.0.0.1", 0, RawHeaderH11Protocol), listen("127.0.0.1", 0), "127.0.0.1", 0
    ) as url:
        yield url


def _certify(app: Starlette, raw: bool = False) -> RunResult:
    with _raw_names(app) if raw else serve_app(app) as url:
        return certify(
            url,
            contracts=load_contracts([ORDERS]),
            token=orders_strict.TOKEN,
            api_keys=orders_strict.API_KEYS,
            data=ORDERS / "data.yaml",
            max_examples=5,
            cache=False,
        )


def test_the_conformant_supplier_fails_nothing():
    result = _certify(orders_strict.app())
    assert not findings(result, "failure")
    assert result.verdict == "conformant"
    assert not findings(result, "warning"), findings(result, "warning")


# (variant, operation, requirement, status)
DEFECTS = [
    ("substring-enum", "GET /orders", "invalid-requests", "failed"),
    ("limit-ignored", "GET /orders", "invalid-requests", "failed"),
    ("negative-limit-500", "GET /orders", "no-server-errors", "failed"),
    ("api-key-from-query", "PATCH /customers/{customerId}", "authorisation", "warning"),
    ("lower-case-authorization-refused", "GET /orders", "authorisation", "failed"),
    ("client-id-honoured", "POST /orders", "no-server-errors", "failed"),
    ("path-number-500", "GET /orders/{orderId}", "no-server-errors", "failed"),
]


@pytest.mark.parametrize(("name", "operation", "requirement", "status"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_each_defect_is_found_under_the_requirement_it_breaks(name, operation, requirement, status):
    supplier, raw = faulty_orders.VARIANTS[name]
    result = _certify(supplier().app(), raw)
    judged = {(r.operation, r.requirement.id.value): r.status for r in result.results if r.findings}
    assert judged.get((operation, requirement)) == status, judged
    assert {req for _, req in judged} == {requirement}, judged  # that requirement alone
