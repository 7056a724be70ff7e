"""The one format the compiler infers from examples: a UUID, and only when the name says so too."""

from __future__ import annotations

import pytest

from fcvalidate.contract.lint import lint_spec
from tests.contract.test_compiler import compile_one, only_operation

UUID = "87432dfb-2e47-4532-a1b7-4b113d48867d"


def field_schema(item: str, section: str = "## Response 400 fields (application/json):") -> dict:
    _, spec = compile_one(f"# Do it. Endpoint: POST /things Version: 1 {section} {item}")
    content = only_operation(spec)["responses"]["400"]["content"]["application/json"]
    ((_, schema),) = content["schema"]["properties"].items()
    return schema


@pytest.mark.parametrize(
    "item",
    [
        f'- `uuid` (string, required) Identifier of this error Example: "{UUID}"',
        f'- `errorUuid` (string) Example: "{UUID.upper()}"',
        f'- `request_uuid` (string,null) Example: "{UUID}"',
    ],
)
def test_a_uuid_named_field_with_a_uuid_example_is_a_uuid(item):
    schema = field_schema(item)
    assert schema["format"] == "uuid"
    inferred = schema["x-fc-inferred"]
    assert inferred["rule"] == "format-from-example"
    assert "says UUID" in inferred["note"] and "no other format" in inferred["note"]


@pytest.mark.parametrize(
    "item",
    [
        # a UUID example alone: an id may be any text the implementation chooses
        f'- `correlationId` (string, required) Example: "{UUID}"',
        # the name says uuid, the example does not show one
        '- `uuid` (string, required) Identifier of this error Example: "error-1"',
        "- `uuid` (string, required) Identifier of this error",
        # not a string
        f'- `uuid` (any) Example: "{UUID}"',
        # other formats are never inferred: their documents may mean looser text
        '- `dueOn` (string, required) Example: "2026-03-23"',
        '- `issuedAt` (string, required) Example: "2026-03-01T06:00:00Z"',
        '- `email` (string) Example: "john@smith.com"',
        '- `url` (string) Example: "https://cdn.example/pets/81.png"',
        # an enum says it all
        f'- `uuid` (string) Enum: "{UUID}"',
    ],
)
def test_no_format_is_inferred_otherwise(item):
    schema = field_schema(item)
    assert "format" not in schema
    assert "format-from-example" not in str(schema.get("x-fc-inferred"))


def test_a_header_with_a_uuid_example_keeps_any_text():
    """The corpus' X-Request-ID has a UUID example; requests with other text must stay valid."""
    _, spec = compile_one(
        "# Get. Endpoint: GET /things Version: 1 ## Header parameters: "
        f'- `X-Request-ID` (string, required) Correlates Example: "{UUID}" '
        "## Response 200 fields (application/json): - `id` (string, required) Id"
    )
    (header,) = only_operation(spec)["parameters"]
    assert header["schema"] == {"type": "string"}


def test_lint_lists_the_inference():
    _, spec = compile_one(
        "# Do it. Endpoint: POST /things Version: 1 ## Response 400 fields (application/json): "
        f'- `uuid` (string, required) Identifier Example: "{UUID}"'
    )
    assert any("inferred (format-from-example)" in f.message for f in lint_spec(spec))


def test_the_seed_error_uuids_are_uuids(contracts):
    """The Fibre Cafe error `uuid` is a UUID because its documents say so by name and example."""
    for contract in contracts:
        for op in contract:
            for spec in op.responses.values():
                props = (spec.schema or {}).get("properties", {})
                if "uuid" in props:
                    assert props["uuid"]["format"] == "uuid", op.label
