"""Lint: prose that reads like a rule is pointed out, never compiled; deductions of every kind are listed."""

from __future__ import annotations

from typing import Any

from fcvalidate.contract.compiler import compile_documents
from fcvalidate.contract.lint import lint_spec
from fcvalidate.contract.parser import parse_document

HEAD = "# Get. Endpoint: GET /x Version: 1 Security: oauth2"


def warnings_of(sections: str) -> list[str]:
    (spec,) = compile_documents([parse_document(f"{HEAD} {sections}", "doc.md")]).values()
    findings = lint_spec(spec)
    assert not [f for f in findings if f.level == "error"], findings
    return [f"{f.where}: {f.message}" for f in findings if f.level == "warning"]


def about(warnings: list[str], name: str, words: str) -> list[str]:
    return [w for w in warnings if w.split(":")[0].endswith(name) and words in w]


def body(items: str) -> str:
    return f"## Response 200 fields (application/json): {items}"


def test_required_in_words_on_an_optional_field_is_a_warning_and_stays_optional():
    text = body("- `a` (string) Required. The a - `b` (string, required) Required. The b")
    warnings = warnings_of(text)
    assert about(warnings, ".a", "says 'Required.'")
    assert not about(warnings, ".b", "says 'Required.'")
    (spec,) = compile_documents([parse_document(f"{HEAD} {text}", "doc.md")]).values()
    schema: Any = spec["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["b"]


def test_codes_in_words_without_enum_are_a_warning():
    warnings = warnings_of(
        body(
            "- `status` (string) One of OPEN_NOW, CLOSED_NOW "
            '- `kind` (string) One of SMALL_BOX, BIG_BOX Enum: "SMALL_BOX", "BIG_BOX" '
            "- `note` (string) See the FAQ"
        )
    )
    assert about(warnings, ".status", "lists values (OPEN_NOW, CLOSED_NOW) with no 'Enum:'")
    assert not about(warnings, ".kind", "lists values")
    assert not about(warnings, ".note", "lists values")


def test_parameters_are_checked_too():
    warnings = warnings_of(
        "## Query parameters: - `q` (string) Mandatory. Search words " + body("- `a` (string) A")
    )
    assert about(warnings, "parameters[0]", "says 'Mandatory.'")


def test_every_deduction_is_a_warning_even_several_on_one_node():
    warnings = warnings_of(
        '## Query parameters: - `tags` (array) Tags Enum: "a", "b" ' + body("- `a` (string) A")
    )
    rules = [w for w in warnings if w.split(":")[0].endswith("parameters[0]")]
    assert any("inferred (items-from-enum)" in w for w in rules)
    assert any("inferred (query-array-style)" in w for w in rules)


def test_an_example_not_of_the_documented_type_is_a_warning():
    warnings = warnings_of(
        body(
            '- `code` (integer) Example: "404" - `ratio` (number) Example: 2 - `id` (string,null) Example: null'
        )
    )
    assert about(warnings, ".code", 'the example "404" is string, not integer')
    assert not about(warnings, ".ratio", "the example")
    assert not about(warnings, ".id", "the example")


def test_a_header_parameter_openapi_ignores_is_a_warning():
    warnings = warnings_of(
        '## Header parameters: - `Accept` (string, required) Enum: "application/json" '
        "- `X-Trace` (string) Trace id " + body("- `a` (string) A")
    )
    assert about(warnings, "parameters[0]", "ignores a header parameter named 'Accept'")
    assert not about(warnings, "parameters[1]", "ignores")


def test_a_header_named_in_prose_for_a_key_whose_place_was_guessed_is_a_warning():
    def lint(head: str) -> list[str]:
        doc = f"# Get a pet. Send the shop key in the `X-Api-Key` header. Endpoint: GET /x {head} " + body(
            "- `a` (string) A"
        )
        (spec,) = compile_documents([parse_document(doc, "doc.md")]).values()
        return [f.message for f in lint_spec(spec) if "names the header" in f.message]

    (warning,) = lint("Security: ApiKeyAuth")
    assert "give --api-key ApiKeyAuth@X-Api-Key=…" in warning
    assert not lint("Security: X-Api-Key")  # the scheme's own name places it: nothing was guessed
