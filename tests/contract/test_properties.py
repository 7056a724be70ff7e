"""Property tests: a random document in the export grammar, in either layout, compiles to a contract that
says exactly what the document said; compiling is deterministic."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

from fcvalidate.contract.compiler import (
    GAP_PATH_PARAMETER,
    GAP_REQUEST_BODY,
    GAP_SUCCESS_RESPONSE,
    UNVERSIONED,
    compile_documents,
    render,
)
from fcvalidate.contract.operation import deref
from fcvalidate.contract.parser import parse_document
from tests.contract.samples import DocumentSpec, FieldSpec, documents

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def compiled(spec: DocumentSpec) -> tuple[dict[str, Any], dict[str, Any]]:
    contracts = compile_documents([parse_document(spec.render(), "doc.md")])
    assert len(contracts) == 1
    contract = next(iter(contracts.values()))
    validate(contract)  # whatever the document, the contract is valid OpenAPI 3.1
    return contract, contract["paths"][spec.path][spec.method.lower()]


def expected_type(f: FieldSpec) -> Any:
    types = [t for t in f.types if t != "any"]
    return None if not types else types[0] if len(types) == 1 else types


def assert_schema(node: dict[str, Any], f: FieldSpec) -> None:
    """The schema of one item: its type, Enum (on the items of an array), Default."""
    assert node.get("type") == expected_type(f), f.name
    if f.enum is not None and "array" in f.types:
        assert "enum" not in node and node["items"]["enum"] == list(f.enum), f.name
    elif f.enum is not None:
        extra = [None] if "null" in f.types and None not in f.enum else []
        assert node["enum"] == [*f.enum, *extra], f.name
    else:
        assert "enum" not in node, f.name
    assert node.get("default", "absent") == (f.default if f.has_default else "absent"), f.name
    if "array" in f.types and f.enum is None and isinstance(f.example, list):
        assert node.get("items") == items_shown_by(f.example), f.name


def items_shown_by(example: list[Any]) -> dict[str, Any] | None:
    """What an example array says of its items: their one JSON type, recursively for arrays of arrays."""
    if not example:
        return None
    if all(isinstance(v, list) for v in example):
        inner = items_shown_by([x for v in example for x in v])
        return {"type": "array", **({"items": inner} if inner else {})}
    return {"type": "integer"} if all(type(v) is int for v in example) else None


def field_node(schema: dict[str, Any], name: str, fields: dict[str, FieldSpec]) -> tuple[dict, dict]:
    """(the parent object schema, the field's schema) for a dotted name, through arrays' items."""
    parent = schema
    parts = name.split(".")
    for i, part in enumerate(parts[:-1]):
        node = parent["properties"][part]
        prefix = ".".join(parts[: i + 1])
        parent = node["items"] if "array" in fields[prefix].types else node
    return parent, parent["properties"][parts[-1]]


def assert_fields(schema: dict[str, Any], specs: tuple[FieldSpec, ...], layout: str) -> None:
    fields = {f.name: f for f in specs}
    for f in specs:
        parent, node = field_node(schema, f.name, fields)
        assert_schema(node, f)
        assert node.get("description", "") == f.description(layout)  # type: ignore[arg-type]
        assert (f.name.rpartition(".")[2] in parent.get("required", [])) == f.required, f.name
        assert node.get("examples") == ([f.example] if f.has_example else None)
        assert f.name in node["x-fc-source"]["clause"]
    # nothing invented: every property in the schema was in the document
    assert set(schema.get("properties", {})) == {f.name for f in specs if "." not in f.name}


def assert_parameters(operation: dict[str, Any], spec: DocumentSpec) -> None:
    params = operation.get("parameters", [])
    documented = {f.name: f for f in spec.parameters("path")}
    expected = [("path", n) for n in spec.template_names]
    expected += [(kind, f.name) for kind in ("query", "header", "cookie") for f in spec.parameters(kind)]
    assert [(p["in"], p["name"]) for p in params] == expected
    for p in params:
        f = documented.get(p["name"]) if p["in"] == "path" else None
        if p["in"] == "path":
            assert p["required"] is True  # whatever the document said
            if f is None:  # in the template, not documented
                assert p["schema"] == {"type": "string"} and GAP_PATH_PARAMETER in operation["x-fc-gaps"]
                continue
        else:
            f = next(g for g in spec.parameters(p["in"]) if g.name == p["name"])
            assert p["required"] is f.required
        assert p.get("description", "") == f.description(spec.layout)
        json_text = p["in"] == "query" and "object" in f.types and isinstance(f.example, dict)
        if json_text:
            media = p["content"]["application/json"]
            assert "schema" not in p and media["example"] == f.example
            assert_schema(media["schema"], f)
        else:
            assert_schema(p["schema"], f)
            assert p.get("example", "absent") == (f.example if f.has_example else "absent")
        if p["in"] == "query" and "array" in f.types:
            assert (p["style"], p["explode"]) == (
                "form",
                not (isinstance(f.example, str) and "," in f.example),
            )
        elif p["in"] == "query" and "object" in f.types and not json_text:
            assert (p["style"], p["explode"]) == ("form", True)
        else:
            assert "style" not in p
        assert f.name in p["x-fc-source"]["clause"]


@SETTINGS
@given(documents())
def test_contract_says_exactly_what_the_document_said(spec):
    contract, operation = compiled(spec)
    assert contract["info"]["version"] == (spec.version or UNVERSIONED)
    assert operation["summary"] == spec.summary
    assert operation["description"] == spec.expected_description()
    assert_parameters(operation, spec)
    schemes = [n for n in spec.security if n != "none"]
    assert operation.get("security") == ([{n: []} for n in schemes] or None)
    assert set(contract.get("components", {}).get("securitySchemes", {})) == set(schemes)
    if spec.request is not None:
        media = spec.request.media_type
        schema = deref(operation["requestBody"]["content"][media]["schema"], contract, "t")
        assert_fields(schema, spec.request.fields, spec.layout) if spec.request.fields else None
    assert list(operation["responses"]) == sorted(
        (r.code for r in spec.responses),
        key=lambda c: (
            (int(c), "") if c.isdigit() else (int(c[0]) * 100 + 99, c) if c[0].isdigit() else (1000, c)
        ),
    )
    for r in spec.responses:
        response = operation["responses"][r.code]
        assert ("content" in response) == (r.media_type is not None)
        if r.media_type is not None and r.fields:
            assert_fields(
                deref(response["content"][r.media_type]["schema"], contract, "t"), r.fields, spec.layout
            )
        elif r.media_type is not None:
            assert (
                response["content"][r.media_type]["schema"]["x-fc-inferred"]["rule"] == "body-without-fields"
            )
    gaps = operation.get("x-fc-gaps", [])
    inputs_elsewhere = bool(spec.parameters("query")) or (
        spec.method == "POST" and bool(spec.parameters("path"))
    )
    body_guessed = spec.request is None and spec.method in ("POST", "PUT", "PATCH") and not inputs_elsewhere
    assert (GAP_REQUEST_BODY in gaps) == body_guessed
    assert ("requestBody" in operation) == (spec.request is not None or body_guessed)
    success = any(
        r.code in ("2XX",) or (r.status is not None and 200 <= r.status < 300) for r in spec.responses
    )
    assert (GAP_SUCCESS_RESPONSE in gaps) == (not success)


@SETTINGS
@given(documents())
def test_both_layouts_of_one_document_say_the_same(spec):
    """Flattening a Markdown document onto one line changes positions and line breaks, nothing else."""
    if spec.layout != "markdown":
        return
    flat = " ".join(spec.render().split())
    one_line = next(iter(compile_documents([parse_document(flat, "doc.md")]).values()))
    markdown = next(iter(compile_documents([parse_document(spec.render(), "doc.md")]).values()))
    for contract in (one_line, markdown):  # the one-line head has no line break to end the summary
        operation = contract["paths"][spec.path][spec.method.lower()]
        del operation["summary"], operation["description"]
    assert _facts(one_line) == _facts(markdown)


def _facts(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: _facts(v.replace("\n", " ") if isinstance(v, str) and k == "description" else v)
            for k, v in node.items()
            if k not in ("x-fc-source", "x-fc-notes")
        }
    if isinstance(node, list):
        return [_facts(v) for v in node]
    return node


@SETTINGS
@given(documents())
def test_compiling_is_deterministic(spec):
    text = spec.render()
    first = [render(c) for c in compile_documents([parse_document(text, "doc.md")]).values()]
    second = [render(c) for c in compile_documents([parse_document(text, "doc.md")]).values()]
    assert first == second
