"""The faults built on the newer hook points (credential, received, new-id, and the schema problems'
instance and expected value), seen over HTTP on tests/server/orders-api/: one request each, answered as
the contract says by the conformant reference and otherwise by the fault."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from fcvalidate.server import serve_in_background
from tests.conftest import TOKEN

ORDERS = Path(__file__).resolve().parent / "orders-api"
KEY = "orders-key-9e1"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ORDER = {"customerId": 7, "category": "STANDARD"}

# fault: (method, path, request options, status without the fault, status with it)
CASES: dict[str, tuple[str, str, dict[str, Any], int, int]] = {
    "enum-substring": ("GET", "/orders", {"params": {"status": "OPE"}, "headers": AUTH}, 400, 200),
    "enum-any-case": ("GET", "/orders", {"params": {"status": "open"}, "headers": AUTH}, 400, 200),
    "bounds-not-enforced": ("GET", "/orders", {"params": {"limit": "101"}, "headers": AUTH}, 400, 200),
    "crash-on-optional-number": ("GET", "/orders", {"params": {"limit": "1"}, "headers": AUTH}, 200, 500),
    "crash-on-path-number": ("GET", "/orders/0", {"headers": AUTH}, 404, 500),
    "credential-in-query": ("GET", "/orders", {"params": {"access_token": TOKEN}}, 401, 200),
    "credential-header-case": ("GET", "/orders", {"headers": {"authorization": f"Bearer {TOKEN}"}}, 200, 401),
}


def answer(url: str, method: str, path: str, options: dict[str, Any]) -> int:
    return httpx.request(method, url + path, timeout=10, **options).status_code


@pytest.mark.parametrize("fault", sorted(CASES))
def test_the_fault_changes_exactly_the_answer_it_is_for(fault: str) -> None:
    method, path, options, conformant, faulty = CASES[fault]
    statuses = []
    for faults in ((), (fault,)):
        with serve_in_background(
            tokens=(TOKEN,), api_keys=(("apiKeyAuth", KEY),), contracts_dir=ORDERS, faults=faults
        ) as url:
            statuses.append(answer(url, method, path, options))
    assert statuses == [conformant, faulty]


def test_a_negative_query_number_crashes_before_validation() -> None:
    with serve_in_background(
        tokens=(TOKEN,), contracts_dir=ORDERS, faults=("crash-on-negative-query",)
    ) as url:
        crashed = httpx.get(f"{url}/orders", params={"limit": "-1"}, headers=AUTH, timeout=10)
        refused = httpx.get(f"{url}/orders", params={"limit": "0"}, headers=AUTH, timeout=10)
    assert (crashed.status_code, refused.status_code) == (500, 400)


def test_a_client_id_is_kept_and_a_second_create_with_it_crashes() -> None:
    body = {**ORDER, "id": 555}
    for faults, expected in (((), [201, 201]), (("client-id-honoured",), [201, 500])):
        with serve_in_background(tokens=(TOKEN,), contracts_dir=ORDERS, faults=faults) as url:
            answers = [httpx.post(f"{url}/orders", json=body, headers=AUTH, timeout=10) for _ in range(2)]
        assert [a.status_code for a in answers] == expected
        assert (answers[0].json().get("id") == 555) == bool(faults)
