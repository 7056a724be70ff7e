"""The reference implementation serves any compiled contract: the test corpus (operations of every shape)
and a small tenant-scoped API of our own (tenant-api/), seeded from a data file."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fcvalidate.checks.bodies import schema_errors
from fcvalidate.contract.operation import Operation
from fcvalidate.files import compile_to, load_contracts
from fcvalidate.server import serve_in_background
from tests.conftest import TOKEN

HERE = Path(__file__).resolve().parent
DATA = HERE / "corpus-data.yaml"
KEY = "pet-key-51c0"
BEARER = {"Authorization": f"Bearer {TOKEN}", "X-Request-ID": "r-1"}
PET = {"ApiKeyAuth": KEY}
T1 = {**BEARER, "Tenant": "TENANT1"}
T2 = {**BEARER, "Tenant": "TENANT2"}
ADDRESS = json.dumps({"id": "200004033694", "type": "UPRN"})
PROBLEM = {
    "serviceId": "BBEU12345678",
    "category": "NO_SERVICE",
    "contacts": [{"name": "Ann", "phones": [{"number": "01632 960002"}]}],
}


@pytest.fixture(scope="module")
def contracts_dir(corpus_contracts_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("served-contracts")
    for contract in corpus_contracts_dir.iterdir():
        shutil.copy(contract, out)
    compile_to([HERE / "tenant-api"], out)
    return out


@pytest.fixture(scope="module")
def ops(contracts_dir: Path) -> dict[str, Operation]:
    return {op.label: op for c in load_contracts([contracts_dir]) for op in c.operations}


def serve(contracts_dir: Path, *faults: str) -> Any:
    return serve_in_background(
        tokens=(TOKEN,),
        api_keys=(("ApiKeyAuth", KEY),),
        contracts_dir=contracts_dir,
        data=DATA,
        faults=faults,
    )


@pytest.fixture(scope="module")
def url(contracts_dir: Path) -> Iterator[str]:
    with serve(contracts_dir) as base:
        yield base


@pytest.fixture
def c(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url) as client:
        yield client


def conforms(op: Operation, r: httpx.Response) -> None:
    """The answer is documented for `op`, with its media type and schema (or no body where none is)."""
    spec = op.responses.get(r.status_code) or op.default_response
    assert spec is not None, (op.label, r.status_code, r.text)
    if spec.media_type is None or r.request.method == "HEAD":
        assert r.content == b"", (op.label, r.status_code, r.text)
        return
    assert r.headers["content-type"].startswith(spec.media_type), (op.label, r.headers["content-type"])
    problems = list(schema_errors(r.json(), spec.schema or {}))
    assert not problems, (op.label, r.status_code, r.json(), problems)


# (operation, request) for a valid request to every operation of the corpus, and the status it gets
VALID: list[tuple[str, dict[str, Any], int]] = [
    ("GET /service-problems/{id}", {"url": "/service-problems/SP-000123", "headers": BEARER}, 200),
    ("POST /service-problems", {"url": "/service-problems", "headers": T1, "json": PROBLEM}, 201),
    (
        "GET /available-appointments",
        {
            "url": "/available-appointments",
            "headers": BEARER,
            "params": {"address": ADDRESS, "appointmentTypes": ["INSTALL", "REPAIR"]},
        },
        200,
    ),
    (
        "POST /service-order-cancellations",
        {"url": "/service-order-cancellations", "headers": T1, "json": {"orderId": "O-1", "reason": "PRICE"}},
        202,
    ),
    ("GET /pets", {"url": "/pets", "headers": PET, "params": {"species": ["cat", "dog"]}}, 200),
    ("GET /pets/{petId}", {"url": "/pets/82", "headers": PET}, 200),
    (
        "POST /pets",
        {
            "url": "/pets",
            "headers": {**PET, "X-Idempotency-Key": "k-1"},
            "json": {"name": "Rex", "species": "dog", "price": 120},
        },
        201,
    ),
    (
        "PUT /pets/{petId}/photo",
        {"url": "/pets/82/photo", "headers": {**PET, "Content-Type": "image/png"}, "content": b"\x89PNG"},
        200,
    ),
    (
        "OPTIONS /pets/{petId}",
        {"url": "/pets/82", "headers": {"Access-Control-Request-Method": "GET"}},
        204,
    ),
    ("GET /Products({key})", {"url": "/Products(5)", "headers": BEARER}, 200),
    ("HEAD /forecasts/latest", {"url": "/forecasts/latest"}, 200),
    (
        "GET /forecasts",
        {"url": "/forecasts", "params": {"location": json.dumps({"lat": 51.5, "lon": -0.12})}},
        200,
    ),
    ("GET /books/", {"url": "/books/", "params": {"limit": 5}}, 200),
    ("OPTIONS /observations/", {"url": "/observations/", "headers": {"X-Api-Key": TOKEN}}, 204),
    ("GET /tickets/{ticketId}", {"url": "/tickets/T-1", "headers": T1}, 200),
    ("POST /tickets", {"url": "/tickets", "headers": T1, "json": {"subject": "Paper jam"}}, 201),
    (
        "DELETE /appointment-reservations/{reservationId}",
        {"url": "/appointment-reservations/RES-88213", "headers": BEARER},
        204,
    ),
    (
        "PATCH /service-problem-resolutions/{id}",
        {
            "url": "/service-problem-resolutions/SP-000123",
            "headers": {**BEARER, "Content-Type": "application/merge-patch+json"},
            "content": b'{"resolutionCode": "CPE_REPLACED", "parts": [{"code": "ONT-7", "quantity": 1}]}',
        },
        200,
    ),
    ("GET /ports/{portId}/tides/{date}", {"url": "/ports/0113/tides/2026-03-02", "headers": PET}, 200),
    ("HEAD /stations/{stationId}", {"url": "/stations/03772", "headers": {"X-Api-Key": TOKEN}}, 200),
    (
        "PUT /members/{memberId}/preferences/",
        {
            "url": "/members/100234/preferences/",
            "headers": BEARER,
            "json": {"language": "cy", "notify": {"channels": ["SMS"]}},
        },
        200,
    ),
    (
        "PUT /branches/{branchCode}/hours",
        {
            "url": "/branches/RVS-02/hours",
            "headers": {**BEARER, "Cookie": "staff_session=s-1"},
            "json": {"week": [{"day": "MON"}]},
        },
        200,
    ),
    (
        "POST /loans",
        {
            "url": "/loans",
            "headers": {**BEARER, "Cookie": "rl_session=s-1; rl_lang=cy"},
            "json": {"barcode": "31234000998877", "memberId": 100234},
        },
        201,
    ),
]


@pytest.mark.parametrize(("label", "request_", "status"), VALID, ids=[v[0] for v in VALID])
def test_valid_request_gets_the_documented_success(c, ops, label, request_, status):
    op = ops[label]
    r = c.request(op.method, **request_)
    assert r.status_code == status, (label, r.text)
    conforms(op, r)


def _invalid() -> list[tuple[str, dict[str, Any], int]]:
    appointments = {"url": "/available-appointments", "headers": BEARER}
    return [
        # a required JSON-text query parameter: missing, not JSON, JSON but not an object
        ("GET /available-appointments", {**appointments, "params": {"appointmentTypes": "INSTALL"}}, 400),
        (
            "GET /available-appointments",
            {**appointments, "params": {"address": "{nope", "appointmentTypes": "INSTALL"}},
            400,
        ),
        (
            "GET /available-appointments",
            {**appointments, "params": {"address": "[1]", "appointmentTypes": "INSTALL"}},
            400,
        ),
        # a query enum, a query array enum, a number that is not one
        (
            "GET /available-appointments",
            {**appointments, "params": {"address": ADDRESS, "appointmentTypes": "NAP"}},
            400,
        ),
        ("GET /pets", {"url": "/pets", "headers": PET, "params": {"species": "lizard"}}, 400),
        ("GET /pets", {"url": "/pets", "headers": PET, "params": {"maxPrice": "cheap"}}, 400),
        # a body breaking the schema, a path value of the wrong type, a wrong media type
        (
            "POST /service-problems",
            {"url": "/service-problems", "headers": T1, "json": {"serviceId": 1}},
            400,
        ),
        ("GET /Products({key})", {"url": "/Products(x)", "headers": BEARER}, 400),
        (
            "PUT /pets/{petId}/photo",
            {"url": "/pets/82/photo", "headers": {**PET, "Content-Type": "text/plain"}, "content": b"x"},
            415,
        ),
        # credentials: missing, wrong API key, wrong bearer token
        ("GET /pets", {"url": "/pets"}, 401),
        ("GET /pets/{petId}", {"url": "/pets/82", "headers": {"ApiKeyAuth": "wrong"}}, 401),
        ("DELETE /appointment-reservations/{reservationId}", {"url": "/appointment-reservations/R-1"}, 401),
        (
            "GET /service-problems/{id}",
            {"url": "/service-problems/SP-000123", "headers": {**BEARER, "Authorization": "Bearer no"}},
            401,
        ),
        # unknown resources: 404 where documented
        ("GET /service-problems/{id}", {"url": "/service-problems/SP-000999", "headers": BEARER}, 404),
        ("GET /pets/{petId}", {"url": "/pets/999", "headers": PET}, 404),
        ("DELETE /Products({key})", {"url": "/Products(999)", "headers": BEARER}, 404),
    ]


@pytest.mark.parametrize(("label", "request_", "status"), _invalid())
def test_invalid_request_gets_the_documented_error(c, ops, label, request_, status):
    op = ops[label]
    r = c.request(op.method, **request_)
    assert r.status_code == status, (label, r.text)
    if r.status_code in op.responses:
        conforms(op, r)
    elif r.content and op.error_codes and "code" in r.json():
        assert r.json()["code"] in op.error_codes  # undocumented status: a code from this operation's enum


def test_error_bodies_follow_each_apis_shape(c):
    fibre = c.get("/service-problems/SP-000999", headers=BEARER).json()
    assert set(fibre) == {"uuid", "code", "messages"} and fibre["code"] == "NOT_FOUND"
    assert set(c.get("/pets", headers=PET, params={"species": "x"}).json()) == {"message"}
    odata = c.get("/Products(999)", headers=BEARER)  # 404 undocumented: the `default` response's shape
    assert odata.status_code == 404 and set(odata.json()) == {"error"}
    problem = c.post("/loans", headers=BEARER, json={"bookId": "b"})  # no cookie: RFC 7807 (default)
    assert problem.status_code == 400 and problem.headers["content-type"] == "application/problem+json"
    assert {"type", "title", "status"} <= set(problem.json())
    head = c.head("/stations/ST-1", headers={"X-Api-Key": TOKEN})  # documented without a body
    assert head.status_code == 404 and head.content == b""


def test_routing_unknown_paths_other_methods_and_trailing_slashes(c):
    assert c.get("/nowhere").status_code == 404
    assert c.get("/books").status_code == 404  # the contract says /books/
    r = c.post("/pets/82", headers=PET)
    assert r.status_code == 405 and r.headers["allow"] == "GET, OPTIONS"
    r = c.options("/pets/82", headers={"Access-Control-Request-Method": "GET"})
    assert r.status_code == 204 and r.headers["allow"] == "GET, OPTIONS"
    assert c.get("/Products(5)", headers=BEARER).json()["ID"] == 5


def test_post_get_patch_delete_get(c, ops, contracts_dir):
    created = c.post(
        "/pets",
        headers={**PET, "X-Idempotency-Key": "k-2"},
        json={"name": "Tom", "species": "cat", "price": 9},
    )
    assert created.status_code == 201
    pet = c.get(created.headers["location"], headers=PET)
    assert pet.status_code == 200 and pet.json()["name"] == "Tom" and pet.json()["id"] == created.json()["id"]
    conforms(ops["GET /pets/{petId}"], pet)
    with serve(contracts_dir) as base, httpx.Client(base_url=base) as fresh:  # a fresh store per chain
        assert fresh.get("/Products(5)", headers=BEARER).json()["Name"] == "Oak chopping board"  # example
        patched = fresh.patch("/Products(5)", headers={**BEARER, "If-Match": "*"}, json={"Name": "Kettle"})
        assert patched.status_code == 204 and patched.content == b""
        assert fresh.get("/Products(5)", headers=BEARER).json()["Name"] == "Kettle"
        assert fresh.delete("/Products(5)", headers=BEARER).status_code == 204
        assert fresh.get("/Products(5)", headers=BEARER).status_code == 404
        assert fresh.delete("/Products(5)", headers=BEARER).status_code == 404


def test_tenant_scoping(c):
    mine = c.post("/tickets", headers=T2, json={"subject": "Lights out"})
    assert mine.status_code == 201
    where = mine.headers["location"]
    assert c.get(where, headers=T2).json()["subject"] == "Lights out"
    theirs = c.get(where, headers=T1)
    assert theirs.status_code == 404 and theirs.json()["code"] == "NOT_FOUND"
    assert c.get("/tickets/T-1", headers=T1).status_code == 200  # seeded for TENANT1 by the data file
    assert c.get("/tickets/T-1", headers=T2).status_code == 404
    assert c.get("/tickets/T-2", headers=T1).status_code == 404  # the entry's foreign id: TENANT2's
    assert c.get("/tickets/T-2", headers=T2).status_code == 200


def test_put_creates_unless_the_contract_says_missing_is_not_found(c):
    prefs = {"language": "en", "notify": {"channels": ["SMS"]}}
    # PUT /members/{memberId}/preferences/ documents 404 and no 201: an unknown member is not found
    r = c.put("/members/7/preferences/", headers=BEARER, json=prefs)
    assert r.status_code == 404 and r.content == b"", r.text
    # PUT /pets/{petId}/photo documents neither: it stores what it names
    photo = c.put("/pets/12345/photo", headers={**PET, "Content-Type": "image/png"}, content=b"\x89PNG")
    assert photo.status_code == 200


def test_api_keys_where_the_scheme_says(c):
    assert c.get("/pets/82", headers=PET).status_code == 200
    assert c.get("/pets/82", headers={"apikeyauth": KEY}).status_code == 200  # header names: any case
    assert c.get("/pets/82", headers={"ApiKeyAuth": TOKEN}).status_code == 401  # keys are named: no tokens
    # a scheme no --api-key names accepts the bearer tokens as keys (X-Api-Key here)
    assert c.head("/stations/ST-1", headers={"X-Api-Key": "nope"}).status_code == 401
    # alternatives: an API key or a bearer token
    body = {"name": "Rex", "species": "dog", "price": 1}
    assert c.post("/pets", headers={"X-Idempotency-Key": "k", **BEARER}, json=body).status_code == 201
    assert c.post("/pets", headers={"X-Idempotency-Key": "k"}, json=body).status_code == 401
    # operations without security are open
    assert c.get("/books/").status_code == 200


def test_seeds_are_unchanged_next_to_other_contracts(url):
    r = httpx.get(url + "/openapi/whiskers-paws-pet-shop-api-1.4.openapi.json")
    assert r.status_code == 200


# -- the faults for these shapes: each changes what it names, on the operations it names --------------
def _fault_probes() -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        "query-required-ignored": (
            "GET",
            {"url": "/available-appointments", "headers": BEARER, "params": {"appointmentTypes": "INSTALL"}},
        ),
        "query-enum-not-enforced": ("GET", {"url": "/pets", "headers": PET, "params": {"species": "lizard"}}),
        "unknown-id-200": ("GET", {"url": "/pets/999", "headers": PET}),
        "no-content-as-200": ("DELETE", {"url": "/Products(5)", "headers": BEARER}),
        "crash-on-odd-path": ("GET", {"url": "/service-problems/SP 1", "headers": BEARER}),
        "api-key-not-checked": ("GET", {"url": "/pets/82", "headers": {"ApiKeyAuth": "wrong"}}),
        "cross-tenant-read": ("GET", {"url": "/tickets/T-1", "headers": T2}),
    }


EXPECTED = {  # (conformant status, faulty status)
    "query-required-ignored": (400, 200),
    "query-enum-not-enforced": (400, 200),
    "unknown-id-200": (404, 200),
    "no-content-as-200": (204, 200),
    "crash-on-odd-path": (404, 500),
    "api-key-not-checked": (401, 200),
    "cross-tenant-read": (404, 200),
}


@pytest.mark.parametrize("fault", sorted(EXPECTED))
def test_fault_for_other_shapes(fault, contracts_dir):
    method, request_ = _fault_probes()[fault]
    conformant, faulty = EXPECTED[fault]
    with serve(contracts_dir) as good, serve(contracts_dir, fault) as bad:
        ok = httpx.request(
            method, good + request_["url"], **{k: v for k, v in request_.items() if k != "url"}
        )
        broken = httpx.request(
            method, bad + request_["url"], **{k: v for k, v in request_.items() if k != "url"}
        )
        assert (ok.status_code, broken.status_code) == (conformant, faulty), (ok.text, broken.text)
        if fault == "no-content-as-200":
            assert ok.content == b"" and broken.json()
        # everything else still works: a valid read of a seeded resource
        assert httpx.get(bad + "/pets/82", headers=PET).status_code == 200


def test_refusals_use_a_documented_status(c, ops):
    """400 where documented (or where a default response covers any status), else the operation's own
    documented 4xx: a conformant server answers only what the document lists."""
    patch = c.patch("/Products(5)", headers={**BEARER, "If-Match": "*"}, json={"Name": 1})  # lists 412
    assert patch.status_code == 412
    conforms(ops["PATCH /Products({key})"], patch)
    resolution = "/service-problem-resolutions/SP-000123"  # lists 422 only
    merge = {**BEARER, "Content-Type": "application/merge-patch+json"}
    assert c.patch(resolution, headers=merge, content=b"{nope").status_code == 422
    loans = c.post("/loans", headers={**BEARER, "Cookie": "rl_session=s"}, json={})  # a default response
    assert loans.status_code == 400 and loans.headers["content-type"] == "application/problem+json"


def test_merge_patch_bodies_are_json(c, ops):
    merge = {**BEARER, "Content-Type": "application/merge-patch+json"}
    op = ops["PATCH /service-problem-resolutions/{id}"]
    body = {"resolutionCode": "LINE_REPAIRED"}
    r = c.patch("/service-problem-resolutions/SP-000123", headers=merge, content=json.dumps(body))
    assert r.status_code == 200, r.text
    conforms(op, r)
    wrong = c.patch("/service-problem-resolutions/SP-000123", headers=merge, content=b'{"resolutionCode": 1}')
    assert wrong.status_code == 422 and "$.resolutionCode" in wrong.text
    unknown = c.patch("/service-problem-resolutions/SP-404", headers=merge, content=json.dumps(body))
    # 422 lists no NOT_FOUND code and 404 is not documented: the status the document lists for refusals
    assert unknown.status_code == 422 and unknown.json()["code"] == "INVALID_REQUEST"


def test_405_takes_the_shape_of_the_operation_documenting_it(c):
    r = c.put("/pets/82", headers=PET)  # OPTIONS /pets/{petId} documents 405 without a body
    assert r.status_code == 405 and r.content == b"" and r.headers["allow"] == "GET, OPTIONS"


def test_unknown_id_fault_does_not_reveal_another_tenants_resource(contracts_dir):
    with serve(contracts_dir, "unknown-id-200") as base:
        assert httpx.get(base + "/tickets/T-404", headers=T1).status_code == 200  # made up
        assert httpx.get(base + "/tickets/T-2", headers=T1).status_code == 404  # TENANT2's stays hidden


def _secured_spec() -> dict[str, Any]:
    """A hand-written contract whose operations take credentials every other way: an API key in the query
    or in a cookie, HTTP basic."""
    ok = {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Keys", "version": "1"},
        "components": {
            "securitySchemes": {
                "QueryKey": {"type": "apiKey", "in": "query", "name": "key"},
                "CookieKey": {"type": "apiKey", "in": "cookie", "name": "session"},
                "Basic": {"type": "http", "scheme": "basic"},
            }
        },
        "paths": {
            "/by-query": {"get": {"security": [{"QueryKey": []}], "responses": ok}},
            "/by-cookie": {"get": {"security": [{"CookieKey": []}], "responses": ok}},
            "/by-basic": {"get": {"security": [{"Basic": []}], "responses": ok}},
        },
    }


def test_api_keys_in_query_and_cookie_and_basic_credentials(tmp_path):
    (tmp_path / "keys-1.openapi.json").write_text(json.dumps(_secured_spec()))
    config = {"api_keys": (("key", "q-1"), ("CookieKey", "c-1")), "clients": (("ci", "ci-secret"),)}
    with serve_in_background(contracts_dir=tmp_path, **config) as base, httpx.Client(base_url=base) as c:
        assert c.get("/by-query", params={"key": "q-1"}).status_code == 200
        assert c.get("/by-query", params={"key": "q-2"}).status_code == 401
        assert c.get("/by-query", headers={"key": "q-1"}).status_code == 401  # not where the scheme says
        assert c.get("/by-cookie", headers={"Cookie": "session=c-1"}).status_code == 200
        assert c.get("/by-cookie", headers={"Cookie": "session=c-2"}).status_code == 401
        assert c.get("/by-basic", auth=("ci", "ci-secret")).status_code == 200
        assert c.get("/by-basic", auth=("ci", "wrong")).status_code == 401
        refused = c.get("/by-basic")
        assert refused.status_code == 401 and refused.headers["content-type"] == "application/problem+json"


def test_post_get_patch_delete_get_in_one_api(c, ops):
    created = c.post("/tickets", headers=T1, json={"subject": "Toner low", "priority": 2})
    assert created.status_code == 201 and created.json()["status"] == "OPEN"
    where = created.headers["location"]
    assert where == f"/tickets/{created.json()['id']}"
    assert c.get(where, headers=T1).json()["subject"] == "Toner low"
    merge = {**T1, "Content-Type": "application/merge-patch+json"}
    patched = c.patch(where, headers=merge, content=b'{"status": "CLOSED"}')
    assert patched.status_code == 200 and patched.json() == {
        "id": created.json()["id"],
        "subject": "Toner low",  # kept: a merge patch changes only what it sends
        "status": "CLOSED",
    }
    conforms(ops["PATCH /tickets/{ticketId}"], patched)
    assert c.get(where, headers=T1).json()["status"] == "CLOSED"
    assert c.patch(where, headers={**merge, "Tenant": "TENANT2"}, content=b"{}").status_code == 404
    assert c.delete(where, headers=T2).status_code == 404  # not TENANT2's to delete
    assert c.delete(where, headers=T1).status_code == 204
    gone = c.get(where, headers=T1)
    assert gone.status_code == 404
    conforms(ops["GET /tickets/{ticketId}"], gone)


def test_a_nullable_enum_query_parameter_is_served(c, ops):
    """`type: [string, null]` on a query parameter (an Enum ending in null): openapi-core reads a
    parameter's type as one word; the server reads the text as the string it is, never a 500."""
    op = ops["GET /sites/{siteId}/sightings"]
    for state in ("open", "checked", "bogus"):
        r = c.get("/sites/7573/sightings", params={"state": state})
        assert r.status_code < 500, (state, r.status_code, r.text)
        conforms(op, r)
