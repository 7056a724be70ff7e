"""Property: marker-like words in any description position, in either layout, change nothing but the
description text (and the `marker-in-prose` record of them): the contract is the one without them.

Published (multi-line) layout: `Example:`/`Enum:`/`Default:` mid-line or on a line that does not read
wholly as markers, and `Security:`/`Version:`/`Endpoint:` lines in the head's prose. One-line layout
(today's rules): the head words before `Endpoint:`, and marker words not preceded by a blank.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fcvalidate.contract.compiler import compile_documents
from fcvalidate.contract.parser import parse_document
from tests.contract.samples import DocumentSpec, FieldSpec, documents

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RULE = "marker-in-prose"

# (how it is put into a description line, the words)
FIELD_WORDS = {
    "markdown": (
        ("append", "Type: String, Example: '7573-aa'"),
        ("append", 'see Enum: "x", "y"'),
        ("append", "Default: 5 when unset"),
        ("append", 'Example: {"a": 1}'),
        ("line", "Example: 7573-aa"),
        ("line", "Enum: see the field guide"),
        ("line", "Enum: 1, 2 or 3"),
        ("line", "Default: none; leave it out"),
    ),
    "one-line": (
        ("append", "(Example: 7573)"),
        ("append", '"Enum:" lists them'),
        ("append", "e.g.Default: 1"),
        ("append", "example: x"),
        ("append", "Examples: many"),
        ("line", "Type: String, Format: text"),
    ),
}
HEAD_WORDS = (
    "Security: ask the site warden for a key",
    "Version: 2 added the counts",
    "Endpoint: the old records call is gone",
)
_SEEN = re.compile(r"(?:(?<=\s)|^)(?:Example|Enum|Default|Security|Version|Endpoint):")


def put(lines: tuple[str, ...], how: str, words: str, at: int) -> tuple[str, ...]:
    at %= len(lines)
    if how == "append":
        return (*lines[:at], f"{lines[at]} {words}", *lines[at + 1 :])
    return (*lines[:at], words, *lines[at:])


@st.composite
def with_marker_words(draw: st.DrawFn) -> tuple[DocumentSpec, DocumentSpec, list[str]]:
    """(a document, the same with marker-like words in its descriptions, the words put in)."""
    plain = draw(documents())
    chosen: dict[str, tuple[str, str, int]] = {}  # by field name: equal descriptions stay equal
    put_in: list[str] = []

    def field(f: FieldSpec) -> FieldSpec:
        if not f.lines or not draw(st.booleans()):
            return f
        if f.name not in chosen:
            how, words = draw(st.sampled_from(FIELD_WORDS[plain.layout]))
            chosen[f.name] = (how, words, draw(st.integers(0, 9)))
        how, words, at = chosen[f.name]
        put_in.append(words)
        return replace(f, lines=put(f.lines, how, words, at))

    sections = tuple(replace(s, fields=tuple(field(f) for f in s.fields)) for s in plain.sections)
    description = plain.description
    # one line: the summary is the first sentence, so words go only after an existing one
    if description or plain.layout == "markdown":
        fence = next((i for i, line in enumerate(description) if line.startswith("```")), len(description))
        head = draw(st.lists(st.sampled_from(HEAD_WORDS), max_size=3, unique=True))
        description = (*description[:fence], *head, *description[fence:])
        put_in += head
    return plain, replace(plain, sections=sections, description=description), put_in


def contract(spec: DocumentSpec) -> dict[str, Any]:
    (compiled,) = compile_documents([parse_document(spec.render(), "doc.md")]).values()
    return compiled


def facts(node: Any) -> Any:
    """The contract less descriptions, clause quotes, positions and the record of prose words."""
    if isinstance(node, dict):
        out = {k: facts(v) for k, v in node.items() if k not in ("description", "x-fc-source")}
        if "x-fc-inferred" in node:
            inferred = node["x-fc-inferred"]
            kept = [i for i in (inferred if isinstance(inferred, list) else [inferred]) if i["rule"] != RULE]
            out.pop("x-fc-inferred")
            if kept:
                out["x-fc-inferred"] = kept[0] if len(kept) == 1 else kept
        if "x-fc-notes" in node:
            out["x-fc-notes"] = [n["note"] for n in node["x-fc-notes"]]
        return out
    if isinstance(node, list):
        return [facts(v) for v in node]
    return node


def descriptions(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["description"]] if isinstance(node.get("description"), str) else []
        return own + [d for v in node.values() for d in descriptions(v)]
    if isinstance(node, list):
        return [d for v in node for d in descriptions(v)]
    return []


@SETTINGS
@given(with_marker_words())
def test_marker_words_in_descriptions_are_prose_in_both_layouts(case):
    plain, worded, put_in = case
    without, with_words = contract(plain), contract(worded)
    assert facts(with_words) == facts(without)
    texts = [" ".join(d.split()) for d in descriptions(with_words)]
    for words in put_in:  # quoted in a description, as written
        assert any(words in t for t in texts), words
    recorded = RULE in json.dumps(with_words)
    assert recorded == any(_SEEN.search(w) for w in put_in if plain.layout == "markdown" or w in HEAD_WORDS)
    assert RULE not in json.dumps(without)
