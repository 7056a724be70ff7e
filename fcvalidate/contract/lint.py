"""Lint: is a compiled contract valid OpenAPI 3.1, and what did the compiler deduce or find missing?

Pure: a spec dict in, findings out. Errors come from openapi-spec-validator; warnings list every
`x-fc-gaps`, `x-fc-inferred` and `x-fc-notes`, so a reader sees what was deduced rather than read, and
point at descriptions that read like rules the contract does not hold (`PROSE_RULES`): the export's
flags and `Enum:` are the only rules compiled; prose stays prose. Marker words the compiler read as prose
(`marker-in-prose`) are among the inferences, each with its FILE:LINE:COLUMN.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from openapi_spec_validator import OpenAPIV31SpecValidator

from fcvalidate.contract.compiler import GAP_NOTES
from fcvalidate.jsonpath import json_type

# Descriptions that state a rule in words: (pattern, applies when, what lint says).
_REQUIRED_WORD = re.compile(r"(?<![\w-])(?:Required|Mandatory)\b\.?")
_CODE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
_VALUES_WORDS = re.compile(r"\b(?:possible|allowed|valid|accepted) values\b|\bone of\b", re.I)
# OpenAPI 3.1 §4.8.12.1: a header parameter with one of these names SHALL be ignored
_IGNORED_HEADERS = ("accept", "content-type", "authorization")


@dataclass(frozen=True, slots=True)
class LintFinding:
    level: Literal["error", "warning"]
    where: str  # a JSON path into the contract, e.g. $.paths['/x'].post
    message: str

    def format(self, file: str) -> str:
        return f"{file}: {self.level}: {self.where}: {self.message}"


def lint_spec(spec: Mapping[str, Any]) -> list[LintFinding]:
    findings = [
        LintFinding("error", getattr(err, "json_path", "$") or "$", str(err.message).splitlines()[0])
        for err in OpenAPIV31SpecValidator(spec).iter_errors()
    ]
    findings.extend(_annotations(spec, "$", None))
    findings.extend(_key_places_in_prose(spec))
    return findings


# "in the `X-Api-Key` header", "header `X-Api-Key`": where a key goes, said in prose
_HEADER_IN_PROSE = re.compile(r"`([A-Za-z0-9-]+)`\s+header|header\s+`([A-Za-z0-9-]+)`", re.I)


def _key_places_in_prose(spec: Mapping[str, Any]) -> Iterator[LintFinding]:
    """An API-key scheme whose place the contract guessed, used by an operation whose description names
    a header: the document may say in prose where the key goes (compiled it is not: prose stays prose)."""
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    guessed = {name for name, scheme in schemes.items() if _inferred_by(scheme, "api-key-location")}
    for path, method, op in _described_operations(spec):
        used = _schemes_of(op) & guessed
        header = _header_in_prose(op["description"])
        if used and header:
            scheme = sorted(used)[0]
            yield LintFinding(
                "warning",
                f"$.paths['{path}'].{method}",
                f"the description names the header `{header}`, and the contract had to guess where "
                f"{scheme}'s key goes (a header named {scheme}): to send it in `{header}`, give "
                f"--api-key {scheme}@{header}=…",
            )


def _inferred_by(node: Any, rule: str) -> bool:
    """Whether the node's `x-fc-inferred` holds a deduction by `rule`."""
    inferred = node.get("x-fc-inferred") if isinstance(node, Mapping) else None
    return any(isinstance(one, Mapping) and one.get("rule") == rule for one in _as_list(inferred))


def _schemes_of(op: Mapping[str, Any]) -> set[str]:
    return {n for requirement in op.get("security") or () for n in requirement}


def _header_in_prose(description: str) -> str | None:
    said = _HEADER_IN_PROSE.search(description)
    return (said.group(1) or said.group(2)) if said else None


def _described_operations(spec: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    for path, item in (spec.get("paths") or {}).items():
        for method, op in (item or {}).items():
            if isinstance(op, Mapping) and isinstance(op.get("description"), str):
                yield path, method, op


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value else []


def _annotations(node: Any, where: str, required: bool | None) -> Iterator[LintFinding]:
    """Walk the contract; `required` is whether the node is a required property/parameter (None: n/a)."""
    if isinstance(node, list):
        for i, value in enumerate(node):
            yield from _annotations(value, f"{where}[{i}]", None)
    if not isinstance(node, Mapping):
        return
    yield from _node_annotations(node, where)
    if "x-fc-source" in node:
        yield from _prose_rules(node, where, required if required is not None else node.get("required"))
        yield from _example_rules(node, where)
        yield from _ignored_header(node, where)
    yield from _inner_annotations(node, where)


def _inner_annotations(node: Mapping[str, Any], where: str) -> Iterator[LintFinding]:
    names: list[Any] = node["required"] if isinstance(node.get("required"), list) else []
    for key, value in node.items():
        if str(key).startswith("x-fc-"):
            continue
        child = f"{where}[{key!r}]" if "/" in str(key) else f"{where}.{key}"
        if key == "properties" and isinstance(value, Mapping):
            for name, prop in value.items():
                yield from _annotations(prop, f"{child}.{name}", name in names)
        else:
            yield from _annotations(value, child, None)


def _node_annotations(node: Mapping[str, Any], where: str) -> Iterator[LintFinding]:
    """What the compiler recorded on the node: its gaps, deductions and notes."""
    for gap in node.get("x-fc-gaps", ()):
        yield LintFinding(
            "warning", where, f"documentation gap: {gap}: {GAP_NOTES.get(gap, '')}".rstrip(": ")
        )
    for one in _as_list(node.get("x-fc-inferred")):
        if isinstance(one, Mapping):
            yield LintFinding("warning", where, f"inferred ({one.get('rule')}): {one.get('note')}")
    for note in node.get("x-fc-notes", ()):
        if isinstance(note, Mapping):
            yield LintFinding("warning", where, f"{note.get('at')}: {note.get('note')}")


def _example_rules(node: Mapping[str, Any], where: str) -> Iterator[LintFinding]:
    """An example that is not of the documented type (the type is compiled, the example kept as written)."""
    schema = node.get("schema", node) if node.get("in") else node
    examples = [node["example"]] if "example" in node else node.get("examples", [])
    words = _type_words(schema.get("type") if isinstance(schema, Mapping) else None)
    for example in examples if words and isinstance(examples, list) else ():
        kind = json_type(example)
        if kind not in words and not (kind == "integer" and "number" in words):
            yield LintFinding(
                "warning",
                where,
                f"the example {_short(example)} is {kind}, not {'/'.join(sorted(words))} as documented; "
                "the type is compiled, the example kept as written",
            )


def _type_words(types: Any) -> set[str]:
    return {types} if isinstance(types, str) else set(types) if isinstance(types, list) else set()


def _ignored_header(node: Mapping[str, Any], where: str) -> Iterator[LintFinding]:
    """A header parameter OpenAPI tools ignore by its name (its schema is never checked)."""
    if node.get("in") == "header" and str(node.get("name", "")).lower() in _IGNORED_HEADERS:
        yield LintFinding(
            "warning",
            where,
            f"OpenAPI ignores a header parameter named {node.get('name')!r}: its schema is not checked "
            "(media types and security are where those headers are described)",
        )


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _prose_rules(node: Mapping[str, Any], where: str, required: Any) -> Iterator[LintFinding]:
    description = node.get("description")
    if not isinstance(description, str):
        return
    if required is False and (m := _REQUIRED_WORD.search(description)):
        yield LintFinding(
            "warning",
            where,
            f"the description says {m.group(0)!r} but the item is not flagged required; "
            "only '(type, required)' makes it so, the word is kept as prose",
        )
    codes = _CODE.findall(description)
    if not _has_enum(node.get("schema", node)) and (
        len(codes) >= 2 or (codes and _VALUES_WORDS.search(description))
    ):
        yield LintFinding(
            "warning",
            where,
            f"the description lists values ({', '.join(codes[:3])}{', ...' if len(codes) > 3 else ''}) "
            "with no 'Enum:'; they are not enforced",
        )


def _has_enum(schema: Any) -> bool:
    """An `enum` on the schema or on its items."""
    return isinstance(schema, Mapping) and (
        "enum" in schema or (isinstance(schema.get("items"), Mapping) and "enum" in schema["items"])
    )
