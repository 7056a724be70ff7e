"""Both layouts of the export: a Markdown document and its one-line flattening compile to the same facts."""

from __future__ import annotations

import json
from typing import Any

from openapi_spec_validator import validate

from fcvalidate.contract.compiler import compile_documents
from fcvalidate.contract.lint import lint_spec
from fcvalidate.contract.parser import parse_document

MARKDOWN = """\
# Retrieve an account

Returns one account.

### Notes
- results are cached
- the `id` is the account number

> Beware of the cache.

```http
GET /accounts/42 HTTP/1.1
Version: not-a-key
```

Endpoint: GET /accounts/{id}/
Version: 2.0
Security: BearerAuth, X-Api-Key

## Path parameters:

  - `id` (string, required)
    The account number.
    Example: "42"

## Query parameters:

  - `expand` (array)
    What to expand.
    Enum: "owner", "plan"

  - `address` (object)
    Filter by address.
    Example: {"id":"200004033694","type":"UPRN"}

  - `address.id` (string, required)

  - `limit` (integer)
    Page size.
    - at most 100
    Default: 20

## Cookie parameters:

  - `session` (string)

## Response 200 fields (application/json):

  - `id` (string, required)

  - `status` (string,null)
    Enum: "OPEN", "CLOSED"

  - `meta` (any)

  - `amount` (number,string)

  - `owners` (array)

  - `owners.name` (string, required)

  - `owners.roles` (array)
    Enum: 1, 2

  - `owners.addresses` (array)

  - `owners.addresses.lines` (array)
    Example: [["a","b"],["c"]]

  - `flags` (boolean,null, required)
    Enum: true, false

## Response 204 fields

## Response default fields (application/problem+json):

  - `title` (string)
"""

ONE_LINE = " ".join(MARKDOWN.split())


def contract(text: str) -> dict[str, Any]:
    (spec,) = compile_documents([parse_document(text, "doc.md")]).values()
    return spec


def facts(node: Any) -> Any:
    """The contract without positions, with every line break of a description read as a blank."""
    if isinstance(node, dict):
        return {
            k: facts(v.replace("\n", " ") if k == "description" and isinstance(v, str) else v)
            for k, v in node.items()
            if k != "x-fc-source"
        }
    if isinstance(node, list):
        return [facts(v) for v in node]
    return node


def operation(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["paths"]["/accounts/{id}/"]["get"]


def test_both_layouts_compile_to_the_same_facts():
    markdown, one_line = contract(MARKDOWN), contract(ONE_LINE)
    for spec in (markdown, one_line):
        validate(spec)
    a, b = operation(markdown), operation(one_line)
    for op in (a, b):
        del op["summary"], op["description"]  # the one-line head has no line to end the summary
    assert facts(markdown) == facts(one_line)


def test_markdown_head_heading_is_the_summary_and_markdown_is_kept():
    op = operation(contract(MARKDOWN))
    assert op["summary"] == "Retrieve an account"
    assert op["description"].startswith("Returns one account.\n\n### Notes\n- results are cached\n")
    assert "```http\nGET /accounts/42 HTTP/1.1\nVersion: not-a-key\n```" in op["description"]


def test_one_line_head_splits_at_the_first_period():
    op = operation(contract(ONE_LINE))
    assert op["summary"] == "Retrieve an account Returns one account."
    assert op["description"].startswith("### Notes - results are cached")


def test_every_construct_is_compiled_faithfully():
    spec = contract(MARKDOWN)
    assert spec["info"]["version"] == "2.0"
    op = operation(spec)
    params = {(p["in"], p["name"]): p for p in op["parameters"]}
    assert list(params) == [
        ("path", "id"),
        ("query", "expand"),
        ("query", "address"),
        ("query", "limit"),
        ("cookie", "session"),
    ]
    assert params["path", "id"]["required"] is True and params["path", "id"]["example"] == "42"
    expand = params["query", "expand"]
    assert expand["schema"] == {"type": "array", "items": {"type": "string", "enum": ["owner", "plan"]}}
    assert (expand["style"], expand["explode"]) == ("form", True)
    address = params["query", "address"]
    assert "schema" not in address
    media = address["content"]["application/json"]
    assert media["schema"]["required"] == ["id"] and media["example"] == {
        "id": "200004033694",
        "type": "UPRN",
    }
    assert address["x-fc-inferred"]["rule"] == "json-query-parameter"
    assert params["query", "limit"]["schema"] == {"type": "integer", "default": 20}
    assert params["query", "limit"]["description"] == "Page size.\n- at most 100"
    assert op["security"] == [{"BearerAuth": []}, {"X-Api-Key": []}]
    schemes = spec["components"]["securitySchemes"]
    assert schemes["BearerAuth"]["scheme"] == "bearer"
    assert (schemes["X-Api-Key"]["type"], schemes["X-Api-Key"]["in"], schemes["X-Api-Key"]["name"]) == (
        "apiKey",
        "header",
        "X-Api-Key",
    )
    assert list(op["responses"]) == ["200", "204", "default"]
    assert "content" not in op["responses"]["204"]
    body = op["responses"]["200"]["content"]["application/json"]["schema"]
    props = body["properties"]
    assert body["required"] == ["id", "flags"]
    assert props["status"]["type"] == ["string", "null"] and props["status"]["enum"] == [
        "OPEN",
        "CLOSED",
        None,
    ]
    assert "type" not in props["meta"]
    assert props["amount"]["type"] == ["number", "string"]
    owner = props["owners"]["items"]
    assert owner["required"] == ["name"]
    assert owner["properties"]["roles"]["items"] == {"type": "integer", "enum": [1, 2]}
    lines = owner["properties"]["addresses"]["items"]["properties"]["lines"]
    assert lines["items"] == {"type": "array", "items": {"type": "string"}}
    assert props["flags"]["type"] == ["boolean", "null"] and props["flags"]["enum"] == [True, False, None]
    assert op["responses"]["default"]["content"]["application/problem+json"]["schema"]["properties"]["title"]


def test_every_statement_is_traceable_to_its_line():
    op = operation(contract(MARKDOWN))
    lines = MARKDOWN.splitlines()
    sources = [p["x-fc-source"] for p in op["parameters"]]
    sources += [r["x-fc-source"] for r in op["responses"].values()]
    sources.append(op["x-fc-source"])
    for source in sources:
        _, line, column = source["at"].rsplit(":", 2)
        assert lines[int(line) - 1][int(column) - 1 :].startswith(source["clause"].split()[0]), source


def test_indented_items_are_fields_of_the_item_above():
    text = MARKDOWN.replace("  - `owners.name`", "    - `name`").replace(
        "  - `owners.roles`", "    - `roles`"
    )
    props = operation(contract(text))["responses"]["200"]["content"]["application/json"]["schema"][
        "properties"
    ]
    assert set(props["owners"]["items"]["properties"]) == {"name", "roles", "addresses"}


def test_a_description_line_starting_with_a_dash_is_prose_not_an_item():
    op = operation(contract(MARKDOWN))
    assert [p["name"] for p in op["parameters"] if p["in"] == "query"] == ["expand", "address", "limit"]


def test_compiling_both_layouts_is_deterministic():
    for text in (MARKDOWN, ONE_LINE):
        assert json.dumps(contract(text)) == json.dumps(contract(text))


def test_item_looking_lines_under_a_field_without_fields_are_its_description_and_lint_says_so():
    text = MARKDOWN.replace(
        "  - `meta` (any)\n",
        "  - `meta` (any)\n    Shaped like\n    - `x` (string, required)\n    - `y` (string)\n",
    )
    spec = contract(text)
    props = operation(spec)["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
    assert props["meta"]["description"] == "Shaped like\n- `x` (string, required)\n- `y` (string)"
    assert "x" not in props and "properties" not in props["meta"]
    notes = [n["note"] for n in operation(spec)["x-fc-notes"]]
    assert len(notes) == 2 and all("kept as its description" in n for n in notes)
    warnings = [f for f in lint_spec(spec) if "kept as its description" in f.message]
    assert len(warnings) == 2 and all(f.level == "warning" and "doc.md:" in f.message for f in warnings)


def test_in_markdown_the_head_ends_at_the_line_starting_with_endpoint():
    text = MARKDOWN.replace("Returns one account.", "Returns one account (see Endpoint: below).")
    op = operation(contract(text))
    assert op["description"].startswith("Returns one account (see Endpoint: below).\n")


def test_windows_line_endings_read_the_same():
    assert facts(contract(MARKDOWN.replace("\n", "\r\n"))) == facts(contract(MARKDOWN))
