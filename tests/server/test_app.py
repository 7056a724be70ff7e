"""The reference implementation follows the documents; each fault changes exactly what it names."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from fcvalidate.server import FAULTS, serve_in_background
from tests.conftest import TOKEN

SPA = "/service-problem-amendments"
HEADERS = {
    "Authorization": f"Bearer {TOKEN}",
    "X-Request-ID": "r-1",
    "X-Conversation-ID": "c-1",
    "Tenant": "TENANT1",
}
VALID = {
    "id": 23467,
    "serviceProblemId": 12356,
    "primaryContact": {"name": "John Smith", "phoneNumber": "01234 567890"},
}
SPA_CODES = {
    "INVALID_REQUEST",
    "MALFORMED_REQUEST",
    "NOT_AUTHORISED",
    "NOT_FOUND",
    "NOT_IMPLEMENTED",
    "SUPPLIER_FAULT",
}


def without(name: str) -> dict[str, str]:
    return {k: v for k, v in HEADERS.items() if k != name}


def assert_error(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"uuid", "code", "messages"}
    uuid.UUID(body["uuid"])
    assert body["code"] == code
    assert body["messages"] and all(isinstance(m, str) for m in body["messages"])
    return body


@pytest.fixture(scope="module")
def client():
    with serve_in_background(tokens=(TOKEN,)) as url, httpx.Client(base_url=url) as c:
        yield c


def test_valid_amendment_is_created_and_echoed_without_nulls(client):
    r = client.post(SPA, headers=HEADERS, json={**VALID, "notes": "Ωmega"})
    assert r.status_code == 201
    body = r.json()
    assert body["serviceProblemId"] == 12356 and body["notes"] == "Ωmega" and body["supplierReference"]
    assert None not in body.values() and "problemText" not in body


def test_missing_token_and_bad_token(client):
    assert_error(client.post(SPA, headers=without("Authorization"), json=VALID), 401, "NOT_AUTHORISED")
    assert_error(
        client.post(SPA, headers={**HEADERS, "Authorization": "Bearer nope"}, json=VALID),
        401,
        "NOT_AUTHORISED",
    )


@pytest.mark.parametrize("header", ["X-Request-ID", "X-Conversation-ID", "Tenant"])
def test_missing_required_header(client, header):
    body = assert_error(client.post(SPA, headers=without(header), json=VALID), 400, "INVALID_REQUEST")
    assert header in body["messages"][0]


def test_header_names_are_case_insensitive(client):
    assert client.post(SPA, headers={k.lower(): v for k, v in HEADERS.items()}, json=VALID).status_code == 201


def test_body_not_json_and_not_an_object(client):
    assert_error(client.post(SPA, headers=HEADERS, content=b"{nope"), 400, "MALFORMED_REQUEST")
    assert_error(client.post(SPA, headers=HEADERS, json=[VALID]), 400, "INVALID_REQUEST")


def test_schema_errors_name_every_offending_field(client):
    body = {"id": "x", "characteristics": [{"name": 1}], "primaryContact": {}}
    messages = assert_error(client.post(SPA, headers=HEADERS, json=body), 400, "INVALID_REQUEST")["messages"]
    text = "\n".join(messages)
    for path in (
        "$.id",
        "$.serviceProblemId",
        "$.characteristics[0].name",
        "$.characteristics[0].value",
        "$.primaryContact.name",
        "$.primaryContact.phoneNumber",
    ):
        assert path in text, (path, messages)


def test_unknown_problem_and_another_tenants_problem(client):
    assert_error(client.post(SPA, headers=HEADERS, json={**VALID, "serviceProblemId": 999}), 422, "NOT_FOUND")
    assert_error(client.post(SPA, headers={**HEADERS, "Tenant": "TENANT2"}, json=VALID), 422, "NOT_FOUND")
    assert_error(
        client.post(SPA, headers=HEADERS, json={**VALID, "serviceProblemId": 12357}), 422, "NOT_FOUND"
    )
    assert_error(
        client.post(SPA, headers=HEADERS, json={**VALID, "serviceProblemId": 10**30}), 422, "NOT_FOUND"
    )


def test_methods_and_paths(client):
    r = client.get(SPA, headers=HEADERS)
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    assert r.json()["code"] in SPA_CODES
    assert client.get("/nowhere").status_code == 404


def test_gap_operations_accept_any_object(client):
    h = without("Tenant")
    r = client.post("/service-orders", headers=h, json={"anything": [1, {"x": None}]})
    assert r.status_code == 201 and r.json()["id"]
    assert_error(client.post("/service-order-amendments", headers=h, json="text"), 400, "INVALID_REQUEST")


def test_contracts_are_served(client):
    r = client.get("/openapi/fibre-cafe-1.15.openapi.json")
    assert r.status_code == 200 and b"/service-problem-amendments" in r.content


def test_accept_async_answers_202():
    with serve_in_background(tokens=(TOKEN,), accept_async=True) as url:
        assert httpx.post(url + SPA, headers=HEADERS, json=VALID).status_code == 202


def test_amendments_persist_across_restarts(tmp_path):
    db = str(tmp_path / "ref.sqlite")
    with serve_in_background(tokens=(TOKEN,), db=db) as url:
        assert httpx.post(url + SPA, headers=HEADERS, json=VALID).status_code == 201
    with serve_in_background(tokens=(TOKEN,), db=db) as url:
        app_store = None  # the second server reads the same file
        from fcvalidate.server.store import Store

        app_store = Store(db)
        assert [a["serviceProblemId"] for a in app_store.amendments()] == [12356]
        app_store.close()
        assert httpx.post(url + SPA, headers=HEADERS, json=VALID).status_code == 201


def test_oauth2_client_credentials():
    with serve_in_background(clients=(("client-a", "secret-a-123"),), token_ttl=60) as url:
        r = httpx.post(
            url + "/oauth2/token",
            data={
                "grant_type": "client_credentials",
                "client_id": "client-a",
                "client_secret": "secret-a-123",
            },
        )
        assert r.status_code == 200 and r.json()["token_type"] == "Bearer" and r.json()["expires_in"] == 60
        token = r.json()["access_token"]
        assert (
            httpx.post(
                url + SPA, headers={**HEADERS, "Authorization": f"Bearer {token}"}, json=VALID
            ).status_code
            == 201
        )
        basic = httpx.post(
            url + "/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=("client-a", "secret-a-123"),
        )
        assert basic.status_code == 200
        bad = httpx.post(
            url + "/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": "client-a", "client_secret": "wrong"},
        )
        assert bad.status_code == 401 and bad.json() == {"error": "invalid_client"}
        assert httpx.post(url + "/oauth2/token", data={"grant_type": "password"}).status_code == 400


def test_issued_tokens_expire():
    import time

    with serve_in_background(clients=(("c", "secret-c-123"),), token_ttl=0.2) as url:
        token = httpx.post(
            url + "/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": "c", "client_secret": "secret-c-123"},
        ).json()["access_token"]
        time.sleep(0.3)
        assert (
            httpx.post(
                url + SPA, headers={**HEADERS, "Authorization": f"Bearer {token}"}, json=VALID
            ).status_code
            == 401
        )


# -- the fault catalogue: each fault changes the behaviour it names, and a valid request still works ---
def probe(url: str, fault: str) -> httpx.Response:
    """The one request that shows `fault`."""
    c = httpx.Client(base_url=url)
    if fault.startswith("no-check-"):
        name = {"x-request-id": "X-Request-ID", "x-conversation-id": "X-Conversation-ID", "tenant": "Tenant"}[
            fault[9:]
        ]
        return c.post(SPA, headers=without(name), json=VALID)
    return {
        "case-sensitive-headers": lambda: c.post(
            SPA, headers={k.lower(): v for k, v in HEADERS.items()}, json=VALID
        ),
        "no-auth": lambda: c.post(SPA, headers=without("Authorization"), json=VALID),
        "any-token": lambda: c.post(SPA, headers={**HEADERS, "Authorization": "Bearer whatever"}, json=VALID),
        "auth-wrong-code": lambda: c.post(SPA, headers=without("Authorization"), json=VALID),
        "auth-400": lambda: c.post(SPA, headers=without("Authorization"), json=VALID),
        "malformed-json-wrong-code": lambda: c.post(SPA, headers=HEADERS, content=b"{nope"),
        "non-object-accepted": lambda: c.post("/service-orders", headers=HEADERS, json=[1]),
        "invalid-token-403-with-body": lambda: c.post(
            SPA, headers={**HEADERS, "Authorization": "Bearer nope"}, json=VALID
        ),
        "no-validation": lambda: c.post(SPA, headers=HEADERS, json={"serviceProblemId": 12356}),
        "accept-missing-nested-required": lambda: c.post(
            SPA, headers=HEADERS, json={**VALID, "primaryContact": {}}
        ),
        "accept-wrong-type": lambda: c.post(SPA, headers=HEADERS, json={**VALID, "id": "x"}),
        "crash-on-unicode": lambda: c.post(SPA, headers=HEADERS, json={**VALID, "notes": "Ωmega"}),
        "crash-on-long-text": lambda: c.post(SPA, headers=HEADERS, json={**VALID, "notes": "x" * 1001}),
        "crash-on-empty-array": lambda: c.post(SPA, headers=HEADERS, json={**VALID, "characteristics": []}),
        "crash-on-fraction": lambda: c.post(SPA, headers=HEADERS, json={**VALID, "id": 1.5}),
        "crash-on-undocumented-field": lambda: c.post(
            SPA, headers=HEADERS, json={**VALID, "primaryContact": {**VALID["primaryContact"], "extra": 1}}
        ),
        "cross-tenant": lambda: c.post(SPA, headers={**HEADERS, "Tenant": "TENANT2"}, json=VALID),
        "other-methods-200": lambda: c.get(SPA, headers=HEADERS),
    }.get(
        fault,
        lambda: c.post(
            SPA, headers=without("Tenant") if "error" in fault or "enum" in fault else HEADERS, json=VALID
        ),
    )()


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def shape(r: httpx.Response) -> tuple[Any, ...]:
    """What a client can observe of an answer, without the parts that are fresh every time."""
    try:
        body = r.json()
    except ValueError:
        return (r.status_code, r.headers.get("content-type"), r.text)
    if isinstance(body, dict):
        body = {k: v for k, v in body.items() if k not in ("uuid", "supplierReference")} | {
            "uuid?": _is_uuid(body.get("uuid"))
        }
    return (r.status_code, r.headers.get("content-type"), body)


@pytest.fixture(scope="module")
def conformant_url():
    with serve_in_background(tokens=(TOKEN,)) as url:
        yield url


@pytest.mark.parametrize("fault", [f.id for f in FAULTS if f.bundled])  # the others: test_any_contract.py
def test_fault_changes_its_behaviour_and_leaves_a_valid_request_alone(fault, conformant_url):
    with serve_in_background(tokens=(TOKEN,), faults=(fault,)) as url:
        assert shape(probe(url, fault)) != shape(probe(conformant_url, fault)), fault
        valid = httpx.post(url + SPA, headers=HEADERS, json=VALID)
    if not fault.startswith(("success-", "undocumented-")):  # those are about the valid request's answer
        assert valid.status_code == 201, (fault, valid.text)
