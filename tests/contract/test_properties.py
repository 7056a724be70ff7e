"""Property tests: a random document in the export grammar compiles to a contract that says exactly what
the document said; compiling is deterministic."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from fcvalidate.contract.compiler import GAP_REQUEST_BODY, GAP_SUCCESS_RESPONSE, compile_documents, render
from fcvalidate.contract.operation import deref
from fcvalidate.contract.parser import parse_document
from fcvalidate.contract.samples import DocumentSpec, FieldSpec, documents

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def compiled(spec: DocumentSpec) -> tuple[dict[str, Any], dict[str, Any]]:
    contracts = compile_documents([parse_document(spec.render(), "doc.md")])
    assert len(contracts) == 1
    contract = next(iter(contracts.values()))
    return contract, contract["paths"][spec.path][spec.method.lower()]


def field_node(
    schema: dict[str, Any], name: str, fields: dict[str, FieldSpec]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the parent object schema, the field's schema) for a dotted name, through arrays' items."""
    parent = schema
    parts = name.split(".")
    for i, part in enumerate(parts[:-1]):
        node = parent["properties"][part]
        prefix = ".".join(parts[: i + 1])
        parent = (
            node["items"]
            if "array" in fields[prefix].types and "object" not in fields[prefix].types
            else node
        )
    return parent, parent["properties"][parts[-1]]


def assert_fields(schema: dict[str, Any], specs: tuple[FieldSpec, ...]) -> None:
    fields = {f.name: f for f in specs}
    for f in specs:
        parent, node = field_node(schema, f.name, fields)
        expected_type = f.types[0] if len(f.types) == 1 else list(f.types)
        assert node["type"] == expected_type, f.name
        assert node.get("description", "") == f.description
        assert (f.name.rpartition(".")[2] in parent.get("required", [])) == f.required, f.name
        assert node.get("enum") == (list(f.enum) if f.enum is not None else None)
        assert node.get("examples") == ([f.example] if f.has_example else None)
        assert f.name in node["x-fc-source"]["clause"]
    # nothing invented: every property in the schema was in the document
    top = {f.name for f in specs if "." not in f.name}
    assert set(schema.get("properties", {})) == top


@SETTINGS
@given(documents())
def test_contract_says_exactly_what_the_document_said(spec):
    contract, operation = compiled(spec)
    assert contract["info"]["version"] == spec.version
    params = operation.get("parameters", [])
    assert [(p["name"], p["required"]) for p in params] == [(h.name, h.required) for h in spec.headers]
    for p, h in zip(params, spec.headers, strict=True):
        assert p.get("example") == (h.example if h.has_example else None)
    if spec.security == "none":
        assert "security" not in operation
    else:
        assert operation["security"] == [{spec.security: []}]
    if spec.request is not None:
        schema = deref(operation["requestBody"]["content"]["application/json"]["schema"], contract, "t")
        assert_fields(schema, spec.request.fields)
    assert set(operation["responses"]) == {str(r.status) for r in spec.responses}
    for r in spec.responses:
        response = operation["responses"][str(r.status)]
        assert ("content" in response) == (r.media_type is not None)
        if r.media_type is not None:
            assert_fields(deref(response["content"][r.media_type]["schema"], contract, "t"), r.fields)
    gaps = operation.get("x-fc-gaps", [])
    assert (GAP_REQUEST_BODY in gaps) == (spec.request is None and spec.method in ("POST", "PUT", "PATCH"))
    assert (GAP_SUCCESS_RESPONSE in gaps) == (not any(200 <= r.status < 300 for r in spec.responses))


@SETTINGS
@given(documents())
def test_compiling_is_deterministic(spec):
    text = spec.render()
    first = [render(c) for c in compile_documents([parse_document(text, "doc.md")]).values()]
    second = [render(c) for c in compile_documents([parse_document(text, "doc.md")]).values()]
    assert first == second
