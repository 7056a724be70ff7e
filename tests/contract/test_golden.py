"""Golden facts of the three seed documents, asserted field by field on the committed contracts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from fcvalidate.contract.compiler import compile_documents, render
from fcvalidate.contract.operation import contract_from_spec, deref
from fcvalidate.files import read_documents

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
V115 = "fibre-cafe-1.15.openapi.json"
V117 = "fibre-cafe-1.17.openapi.json"
SPA, ORDERS, ORDER_AMENDMENTS = "/service-problem-amendments", "/service-orders", "/service-order-amendments"
CODES_117 = [
    "GATEWAY_FAULT",
    "INVALID_REQUEST",
    "MALFORMED_REQUEST",
    "NOT_AUTHORISED",
    "NOT_FOUND",
    "NOT_IMPLEMENTED",
    "SUPPLIER_FAULT",
    "SUPPLIER_TIMED_OUT",
    "TENANT_FAULT",
]
CODES_115 = [
    "INVALID_REQUEST",
    "MALFORMED_REQUEST",
    "NOT_AUTHORISED",
    "NOT_FOUND",
    "NOT_IMPLEMENTED",
    "SUPPLIER_FAULT",
]


@pytest.fixture(scope="module")
def specs() -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text()) for p in CONTRACTS.glob("*.openapi.json")}


def op(specs, name, path):
    return specs[name]["paths"][path]["post"]


def body_schema(spec, node):
    return deref(node["content"]["application/json"]["schema"], spec, "test")


def test_versions_live_together_and_are_valid_openapi_31(specs):
    assert set(specs) == {V115, V117}
    assert set(specs[V117]["paths"]) == {ORDERS, ORDER_AMENDMENTS}
    assert set(specs[V115]["paths"]) == {SPA}
    for spec in specs.values():
        assert spec["openapi"] == "3.1.0"
        validate(spec)


def test_committed_contracts_equal_a_fresh_compile():
    docs = read_documents(sorted((CONTRACTS / "source").glob("*.md")))
    names = {d.file: f"source/{Path(d.file).name}" for d in docs}
    for name, spec in compile_documents(docs, names).items():
        assert (CONTRACTS / name).read_text() == render(spec), name


@pytest.mark.parametrize(
    ("name", "path", "headers"),
    [
        (V117, ORDERS, ["X-Request-ID", "X-Conversation-ID"]),
        (V117, ORDER_AMENDMENTS, ["X-Request-ID", "X-Conversation-ID"]),
        (V115, SPA, ["X-Request-ID", "X-Conversation-ID", "Tenant"]),
    ],
)
def test_required_headers_and_security(specs, name, path, headers):
    operation = op(specs, name, path)
    params = operation["parameters"]
    assert [p["name"] for p in params] == headers
    assert all(
        p["in"] == "header" and p["required"] is True and p["schema"] == {"type": "string"} for p in params
    )
    assert operation["security"] == [{"oauth2": []}]
    assert specs[name]["components"]["securitySchemes"]["oauth2"]["x-fc-inferred"]["rule"] == "oauth2-flow"


def test_tenant_example(specs):
    tenant = op(specs, V115, SPA)["parameters"][2]
    assert tenant["example"] == "TENANT1"


def test_request_body_of_service_problem_amendments(specs):
    spec = specs[V115]
    schema = body_schema(spec, op(specs, V115, SPA)["requestBody"])
    assert schema["required"] == ["id", "serviceProblemId"]
    props = schema["properties"]
    assert props["serviceProblemId"]["type"] == "number" and props["serviceProblemId"]["examples"] == [12356]
    assert props["escalationRequest"]["type"] == "boolean"
    items = props["characteristics"]["items"]
    assert props["characteristics"]["type"] == "array" and items["type"] == "object"
    assert items["required"] == ["name", "value"] and set(items["properties"]) == {"name", "value"}
    for contact in ("primaryContact", "secondaryContact"):
        assert props[contact]["required"] == ["name", "phoneNumber"]
        assert set(props[contact]["properties"]) == {"name", "email", "phoneNumber"}


def test_contact_is_one_shared_component_inferred_only_for_secondary_contact(specs):
    spec = specs[V115]
    assert set(spec["components"]["schemas"]) == {"Contact"}
    operation = op(specs, V115, SPA)
    sections = [operation["requestBody"], operation["responses"]["201"], operation["responses"]["202"]]
    for section in sections:
        props = section["content"]["application/json"]["schema"]["properties"]
        assert (
            props["primaryContact"]["$ref"]
            == props["secondaryContact"]["$ref"]
            == "#/components/schemas/Contact"
        )
        assert "x-fc-inferred" not in props["primaryContact"]
        inferred = props["secondaryContact"]["x-fc-inferred"]
        assert inferred["rule"] == "same-schema-as" and inferred["from"] == "primaryContact"


def test_success_responses_and_no_content_statuses(specs):
    operation = op(specs, V115, SPA)
    assert set(operation["responses"]) == {"201", "202", "400", "401", "403", "422", "500", "501", "503"}
    for status in ("403", "503"):
        assert "content" not in operation["responses"][status]
    for status in ("201", "202"):
        assert body_schema(specs[V115], operation["responses"][status])["required"] == [
            "id",
            "serviceProblemId",
        ]
    for path in (ORDERS, ORDER_AMENDMENTS):
        responses = op(specs, V117, path)["responses"]
        assert set(responses) == {"400", "401", "403", "422", "500", "503"}
        assert "content" not in responses["403"] and "content" not in responses["503"]


@pytest.mark.parametrize(
    ("name", "path", "codes"),
    [(V117, ORDERS, CODES_117), (V117, ORDER_AMENDMENTS, CODES_117), (V115, SPA, CODES_115)],
)
def test_error_bodies_and_their_own_enums(specs, name, path, codes):
    operation = op(specs, name, path)
    for status, response in operation["responses"].items():
        if status.startswith(("4", "5")) and "content" in response:
            schema = body_schema(specs[name], response)
            assert schema["required"] == ["uuid", "code", "messages"]
            assert schema["properties"]["code"]["enum"] == codes
            assert schema["properties"]["messages"]["items"] == {"type": "string"}
            assert schema["properties"]["messages"]["x-fc-inferred"]["rule"] == "items-from-example"
    ops = contract_from_spec(name, specs[name]).operations
    assert next(o for o in ops if o.path == path).error_codes == tuple(codes)


def test_gaps_are_recorded_and_nothing_is_invented(specs):
    for path in (ORDERS, ORDER_AMENDMENTS):
        operation = op(specs, V117, path)
        assert operation["x-fc-gaps"] == ["request-body", "success-response"]
        assert operation["requestBody"]["content"]["application/json"]["schema"] == {"type": "object"}
        assert not [s for s in operation["responses"] if s.startswith("2")]
    assert "x-fc-gaps" not in op(specs, V115, SPA)


def walk_sources(node: Any, where: str = "$"):
    """Every parameter, property and response, with its x-fc-source."""
    if isinstance(node, dict):
        if "properties" in node:
            for name, prop in node["properties"].items():
                yield f"{where}.properties.{name}", prop
        for key in ("parameters",):
            for i, p in enumerate(node.get(key, [])):
                yield f"{where}.{key}[{i}]", p
        if "responses" in node:
            for status, r in node["responses"].items():
                yield f"{where}.responses.{status}", r
        for key, value in node.items():
            if not key.startswith("x-fc"):
                yield from walk_sources(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk_sources(value, f"{where}[{i}]")


def test_every_parameter_property_and_response_quotes_its_clause(specs):
    sources = {p.name: p.read_text(encoding="utf-8") for p in (CONTRACTS / "source").glob("*.md")}
    checked = 0
    for spec in specs.values():
        for where, node in walk_sources(spec):
            src = node.get("x-fc-source")
            assert src, f"{where} has no x-fc-source"
            file, line, column = src["at"].rsplit(":", 2)
            assert file.startswith("source/") and line == "1"
            text = sources[file.removeprefix("source/")]
            start = int(column) - 1
            assert " ".join(text[start:].split())[: len(src["clause"])] == src["clause"], where
            checked += 1
    assert checked > 100
