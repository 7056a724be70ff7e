"""Markers by position (issue 25): each variant met on real export pages compiles as the document means it.

In the published (multi-line) layout a marker is a marker only where the export writes one; the same
words anywhere else are prose, kept in the description, recorded in `x-fc-inferred` and named by lint.
"""

from __future__ import annotations

from typing import Any

import pytest

from fcvalidate.contract.compiler import compile_documents
from fcvalidate.contract.lint import lint_spec
from fcvalidate.contract.parser import parse_document
from fcvalidate.errors import DocumentError

HEAD = "# Record a sighting\n\nAdds one sighting.\n\nEndpoint: POST /sightings\nVersion: 1.0\n\n"


def contract(text: str) -> dict[str, Any]:
    (spec,) = compile_documents([parse_document(text, "doc.md")]).values()
    return spec


def only_operation(spec: dict[str, Any]) -> dict[str, Any]:
    (item,) = spec["paths"].values()
    (op,) = item.values()
    return op


def request_property(spec: dict[str, Any], name: str) -> dict[str, Any]:
    body = only_operation(spec)["requestBody"]["content"]["application/json"]["schema"]
    return body["properties"][name]


def rules(node: dict[str, Any]) -> list[str]:
    inferred = node.get("x-fc-inferred", [])
    return [i["rule"] for i in (inferred if isinstance(inferred, list) else [inferred])]


def item(lines: str) -> str:
    return HEAD + "## Request fields (application/json):\n\n" + lines


def test_mid_line_example_in_a_description_line_is_prose_and_lint_names_it():
    spec = contract(
        item(
            "  - `option_id` (string, required)\n"
            "    Identifier of the option. Type: String, Example: '7573-aa'\n"
            '    Example: "7573-aa"\n'
        )
    )
    prop = request_property(spec, "option_id")
    assert prop["description"] == "Identifier of the option. Type: String, Example: '7573-aa'"
    assert prop["examples"] == ["7573-aa"]
    assert rules(prop) == ["marker-in-prose"]
    assert "'Example:' at doc.md:11:45" in prop["x-fc-inferred"]["note"]
    said = [f.message for f in lint_spec(spec) if "marker-in-prose" in f.message]
    assert len(said) == 1 and "'Example:' at doc.md:11:45" in said[0]


def test_the_same_line_without_a_real_example_has_no_example():
    prop = request_property(
        contract(item("  - `option_id` (string)\n    Identifier. Type: String, Example: '7573-aa'\n")),
        "option_id",
    )
    assert "examples" not in prop and prop["description"] == "Identifier. Type: String, Example: '7573-aa'"


@pytest.mark.parametrize(
    "prose_line",
    [
        "Example: see the guide",  # at a line start, but not JSON
        "Enum: 1, 2 or 3",  # JSON, then words: the export writes nothing after a marker's values
        'Default: "x" unless set',
    ],
)
def test_a_line_starting_with_a_marker_word_that_is_not_a_marker_is_prose(prose_line):
    prop = request_property(contract(item(f"  - `n` (string)\n    Words.\n    {prose_line}\n")), "n")
    assert prop["description"] == f"Words.\n{prose_line}"
    assert not {"examples", "enum", "default"} & set(prop)
    assert rules(prop) == ["marker-in-prose"]


def test_a_marker_line_followed_by_description_is_prose_the_markers_come_last():
    prop = request_property(
        contract(item('  - `n` (string)\n    Example: "a"\n    more words\n    Example: "b"\n')), "n"
    )
    assert prop["description"] == 'Example: "a"\nmore words' and prop["examples"] == ["b"]


def test_a_key_written_twice_at_the_end_reads_the_last_as_the_marker():
    prop = request_property(contract(item('  - `n` (string)\n    Example: "a"\n    Example: "b"\n')), "n")
    assert prop["description"] == 'Example: "a"' and prop["examples"] == ["b"]


def test_markers_on_the_item_line_tail_are_markers():
    prop = request_property(contract(item('  - `n` (string) Words here. Example: "a" Enum: "a", "b"\n')), "n")
    assert prop["description"] == "Words here." and prop["examples"] == ["a"] and prop["enum"] == ["a", "b"]
    assert "x-fc-inferred" not in prop


def test_the_one_line_layout_keeps_its_rules():
    flat = " ".join(item("  - `n` (string)\n    Type: String, Example: '7573-aa'\n").split())
    with pytest.raises(DocumentError, match="Example of `n` is not JSON"):
        contract(flat)


@pytest.mark.parametrize("security", ["Security:\n", "Security: \n", "Security:"])
def test_security_naming_nothing_before_the_next_heading(security):
    text = HEAD.replace("Version: 1.0\n", f"Version: 1.0\n{security}")
    text = text.rstrip("\n") + "\n## Response 204 fields\n"
    op = only_operation(contract(text))
    assert "security" not in op
    assert any("names no scheme" in n["note"] for n in op["x-fc-notes"])


@pytest.mark.parametrize("layout", ["multi-line", "one-line"])
def test_security_of_commas_only_is_no_security(layout):
    text = HEAD.replace("Version: 1.0\n", "Version: 1.0\nSecurity: , , ,\n") + "## Response 204 fields\n"
    op = only_operation(contract(text if layout == "multi-line" else " ".join(text.split())))
    assert "security" not in op
    assert any("names no scheme" in n["note"] for n in op["x-fc-notes"])


@pytest.mark.parametrize("layout", ["multi-line", "one-line"])
def test_an_enum_ending_in_null_allows_null(layout):
    text = item('  - `state` (string)\n    The state.\n    Enum: "open", "closed", null\n')
    spec = contract(text if layout == "multi-line" else " ".join(text.split()))
    prop = request_property(spec, "state")
    assert prop["type"] == ["string", "null"] and prop["enum"] == ["open", "closed", None]
    assert rules(prop) == ["null-in-enum"]


def test_linked_data_and_problem_media_types_with_at_names():
    text = (
        HEAD.replace("POST /sightings", "GET /places/{id}")
        + "## Path parameters:\n\n  - `id` (string, required)\n\n"
        + "## Response 200 fields (application/ld+json):\n\n"
        + '  - `@context` (string, required)\n    Example: "https://schema.org"\n\n'
        + "  - `@id` (string, required)\n\n  - `geo` (object)\n\n  - `geo.@type` (string)\n\n"
        + "## Response 404 fields (application/problem+json):\n\n  - `title` (string)\n"
    )
    op = only_operation(contract(text))
    body = op["responses"]["200"]["content"]["application/ld+json"]["schema"]
    assert body["required"] == ["@context", "@id"]
    assert set(body["properties"]) == {"@context", "@id", "geo"}
    assert set(body["properties"]["geo"]["properties"]) == {"@type"}
    assert "title" in op["responses"]["404"]["content"]["application/problem+json"]["schema"]["properties"]


def test_security_and_endpoint_words_in_the_head_description_are_prose():
    text = HEAD.replace(
        "Adds one sighting.\n",
        "Adds one sighting.\nSecurity: ask the warden for a key.\n"
        "Endpoint: the old /records call is gone.\nVersion: 2 added counts.\n",
    ).replace("Version: 1.0\n", "Version: 1.0\nSecurity: SurveyKey\n")
    spec = contract(text + "## Response 204 fields\n")
    op = only_operation(spec)
    assert op["description"] == (
        "Adds one sighting.\nSecurity: ask the warden for a key.\n"
        "Endpoint: the old /records call is gone.\nVersion: 2 added counts."
    )
    assert op["security"] == [{"SurveyKey": []}] and spec["info"]["version"] == "1.0"
    assert rules(op) == ["marker-in-prose"]
    note = op["x-fc-inferred"]["note"]
    assert all(f"'{w}' at doc.md:{line}:1" in note for w, line in (("Security:", 4), ("Endpoint:", 5)))
    assert "'Version:' at doc.md:6:1" in note


def test_one_line_endpoint_words_before_the_real_endpoint_are_prose():
    text = "# List sites. Endpoint: see the map. Endpoint: GET /sites Version: 1 ## Response 204 fields"
    op = only_operation(contract(text))
    assert op["description"] == "Endpoint: see the map." and rules(op) == ["marker-in-prose"]


def test_column_zero_list_lines_inside_a_multi_line_description_are_prose():
    spec = contract(
        item(
            "  - `species` (string, required)\n    One of:\n- heron: grey heron\n"
            '- `egret`: little egret\n    Enum: "heron", "egret"\n\n  - `count` (integer)\n'
        )
    )
    body = only_operation(spec)["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == {"species", "count"}
    assert (
        body["properties"]["species"]["description"]
        == "One of:\n- heron: grey heron\n- `egret`: little egret"
    )
    assert body["properties"]["species"]["enum"] == ["heron", "egret"]
    assert any("no (type) after the name" in n["note"] for n in only_operation(spec)["x-fc-notes"])


def test_an_unterminated_name_is_still_refused():
    with pytest.raises(DocumentError, match="never closed"):
        contract(item("  - `species (string, required)\n"))


@pytest.mark.parametrize(("written", "text"), [("7573", "7573"), ("12.5", "12.5")])
def test_a_bare_number_example_of_a_string_path_parameter_is_its_text(written, text):
    doc = (
        HEAD.replace("POST /sightings", "GET /sites/{siteId}")
        + f"## Path parameters:\n\n  - `siteId` (string, required)\n    Site code.\n    Example: {written}\n"
    )
    spec = contract(doc)
    (param,) = only_operation(spec)["parameters"]
    assert param["example"] == text and rules(param) == ["example-as-text"]
    assert not [f for f in lint_spec(spec) if "not string as documented" in f.message]


def test_a_bare_number_example_of_a_number_parameter_stays_a_number():
    doc = (
        HEAD.replace("POST /sightings", "GET /sites/{siteId}")
        + "## Path parameters:\n\n  - `siteId` (integer, required)\n    Example: 7573\n"
    )
    (param,) = only_operation(contract(doc))["parameters"]
    assert param["example"] == 7573 and "x-fc-inferred" not in param


def test_head_keys_in_the_published_layout_start_their_line():
    text = HEAD.replace("Version: 1.0\n", "Version: 1.0\nSecurity: SurveyKey (see Version: notes)\n")
    with pytest.raises(DocumentError, match="'Security:' must list scheme names"):
        contract(text + "## Response 204 fields\n")  # the mid-line Version: is a word of the value
    flat = " ".join(text.split()) + " ## Response 204 fields"
    with pytest.raises(DocumentError, match="'Version:' given twice"):
        contract(flat)  # one line: today's rules read every Version: after Endpoint: as a key
