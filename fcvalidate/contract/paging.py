"""Paging as the documents state it: a query parameter described as the most items a page holds, and a
response field described as how the last page is marked. Pure: descriptions in, records out.

Never a guess from a name: a parameter called `limit` with no such sentence gets no rule. The compiler
records each sentence (`x-fc-inferred`, rules `limit-parameter` and `last-page-marker`); `paging_of`
reads the records back from a loaded operation for the engine, the checks and the reference server.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fcvalidate.exchange import Source, source_of

LIMIT_RULE = "limit-parameter"
MARKER_RULE = "last-page-marker"

_ITEMS = r"(?P<what>[a-z][\w-]*)"
_RETURNED = (
    r"(?:to (?:be )?(?:return|returned|fetch|list|include|retrieve|show)|returned|per (?:page|response|request|call)"
    r"|(?:in|on) (?:one|a|each|the|a single) (?:page|response)|in the (?:result|response))"
)
_MOST = r"\b(?:maximum|max\.?|largest|greatest|highest)\s+(?:number|count|amount)\s+of"
# "Maximum number of results to return", "Largest number of books in one page", "Number of items per
# page", "The page size", "Limits the number of records returned", "How many orders to return"
LIMIT_PATTERNS = (
    re.compile(rf"{_MOST}\s+{_ITEMS}[^.;]*?(?:{_RETURNED}|\bpages?\b)", re.I),
    re.compile(rf"{_MOST}\s+(?P<what>results|items|records|entries|rows|objects|elements|resources)\b", re.I),
    re.compile(rf"\b(?:number|count)\s+of\s+{_ITEMS}\s+{_RETURNED}", re.I),
    re.compile(rf"\blimits?\s+(?:the\s+)?(?:number|count)\s+of\s+{_ITEMS}", re.I),
    re.compile(rf"\bhow\s+many\s+{_ITEMS}\s+{_RETURNED}", re.I),
    re.compile(rf"\b{_ITEMS}\s+per\s+page\b", re.I),
    re.compile(r"\b(?P<what>page)\s+size\b", re.I),
)
# "null on the last page", "absent when there are no more results", "false on the last page",
# "only present when more results follow", "true when more pages follow"
_LAST = (
    r"(?:(?:the|a) last page|no (?:more|further|next) (?:pages?|results|items|records|entries|data)"
    r"|(?:there is|there are) no (?:more|further|next)|(?:the )?end of the (?:list|results|collection))"
)
_MORE = r"(?:more|further|another|a next) (?:pages?|results|items|records|entries|data)"
MARKER_PATTERNS = (
    re.compile(
        rf"\b(?P<value>absent|null|omitted|missing|empty|false|not (?:present|returned|included|set))\b[^.;]*?{_LAST}",
        re.I,
    ),
    re.compile(rf"{_LAST}[^.;]*?\b(?P<value>absent|null|omitted|missing|empty|false)\b", re.I),
    re.compile(rf"\bonly (?:present|returned|included|set|given) (?:when|if|while)\b[^.;]*?{_MORE}", re.I),
    re.compile(rf"\b(?P<value>true) (?:when|if|while)\b[^.;]*?{_MORE}", re.I),
    re.compile(rf"\bwhether\b[^.;]*?{_MORE}", re.I),
)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text or "") if s.strip()]


def limit_sentence(description: str) -> tuple[str, str] | None:
    """The sentence saying a parameter is the most items one answer holds, and the word naming them."""
    for sentence in sentences(description):
        for pattern in LIMIT_PATTERNS:
            found = pattern.search(sentence)
            if found:
                return sentence, (found.group("what") or "").lower()
    return None


def marker_sentence(description: str) -> str | None:
    """The sentence saying how a field marks the last page (absent, null, false, or true while more follow)."""
    for sentence in sentences(description):
        if any(pattern.search(sentence) for pattern in MARKER_PATTERNS):
            return sentence
    return None


@dataclass(frozen=True, slots=True)
class Marker:
    """A success field whose value says whether another page follows; `boolean`: false on the last page,
    else absent, null or empty there."""

    name: str
    boolean: bool
    sentence: str
    source: Source

    def says_more(self, body: Any) -> bool:
        value = body.get(self.name) if isinstance(body, Mapping) else None
        return value is True if self.boolean else value not in (None, "", [], {})


@dataclass(frozen=True, slots=True)
class Paging:
    """The limit parameter, the array of the success answer it bounds (`items`: its field, "" for a
    top-level array), and the last-page marker where one is documented."""

    parameter: str
    items: str
    sentence: str
    source: Source
    marker: Marker | None = None

    def page(self, body: Any) -> list[Any] | None:
        found = body if not self.items else body.get(self.items) if isinstance(body, Mapping) else None
        return found if isinstance(found, list) else None


def _records(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = node.get("x-fc-inferred")
    return [r for r in (found if isinstance(found, list) else [found]) if isinstance(r, Mapping)]


def recorded(node: Mapping[str, Any], rule: str) -> Mapping[str, Any] | None:
    return next((r for r in _records(node) if r.get("rule") == rule), None)


def _types(schema: Mapping[str, Any]) -> set[str]:
    kind = schema.get("type")
    return set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()


def items_field(schema: Mapping[str, Any], what: str) -> str | None:
    """The array a limit bounds: the answer itself, its one array field, or the array the sentence names
    (`books` for "Largest number of books in one page"); None where that is not clear."""
    if "array" in _types(schema):
        return ""
    arrays = [n for n, s in (schema.get("properties") or {}).items() if "array" in _types(s)]
    if len(arrays) == 1:
        return arrays[0]
    named = [n for n in arrays if n.lower() in (what, what + "s", what.rstrip("s"))]
    return named[0] if len(named) == 1 else None


def paging_of(op: Any) -> Paging | None:
    """The paging an operation's contract records (see the module docstring), or None."""
    spec = op.responses.get(200) or next((op.responses[s] for s in op.success_statuses), None)
    schema = (spec.schema if spec is not None else None) or {}
    for p in op.in_("query"):
        record = recorded({"x-fc-inferred": list(p.inferred)}, LIMIT_RULE)
        if record is None or not _types(p.schema) & {"integer", "number"}:
            continue
        items = items_field(schema, str(record.get("items", "")))
        if items is None:
            continue
        marker = None
        for name, node in (schema.get("properties") or {}).items():
            said = recorded(node, MARKER_RULE) if isinstance(node, Mapping) else None
            if said is not None and name != items:
                boolean = _types(node) - {"null"} == {"boolean"}
                marker = Marker(name, boolean, str(said.get("sentence", "")), source_of(node))
                break
        return Paging(p.name, items, str(record.get("sentence", "")), p.source, marker)
    return None


def answer_body(response: Any) -> Any:
    """A response's JSON body, or None (not JSON, not parseable)."""
    if response is None or "json" not in (response.media_type or ""):
        return None
    try:
        return json.loads(response.body)
    except ValueError:
        return None
