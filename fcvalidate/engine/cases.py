"""Cases: one request the engine sends, with what the contract says must happen to it.

Pure data. A case never holds a credential: `auth` says which kind of credential the transport adds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from fcvalidate.contract.bundle import Source

Outcome = Literal[
    "success",  # a documented 2xx with a conforming body
    "rejected",  # a documented 4xx with a valid error body
    "unauthorised",  # 401 (or a documented 403 for a bad token)
    "not-success",  # anything but 2xx (another principal's request)
    "no-server-error",  # anything but 5xx (fuzzing, edge values)
    "method-refused",  # 405 preferred
    "like-parent",  # the same class of answer as the valid request it was derived from
]
Auth = Literal["valid", "none", "invalid"]

CaseKind = Literal[
    "valid",
    "edge",
    "missing-header",
    "header-case",
    "no-token",
    "bad-token",
    "malformed",
    "not-object",
    "invalid",
    "fuzz",
    "foreign",
    "method",
]


@dataclass(frozen=True, slots=True)
class Expect:
    outcome: Outcome
    codes: tuple[str, ...] = ()  # error codes that satisfy the expectation (empty: any of the enum)
    statuses: tuple[int, ...] = ()  # statuses that satisfy it (empty: any documented one)


@dataclass(frozen=True, slots=True)
class Defect:
    """The one thing wrong with an invalid request, and where."""

    kind: Literal["missing-required", "wrong-type", "null-not-allowed", "not-in-enum", "missing-header"]
    location: str  # request.body.$.primaryContact.name / request.header.Tenant
    description: str


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    operation: str  # "POST /service-orders"
    requirement: str
    kind: CaseKind
    title: str
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    expect: Expect
    source: Source
    auth: Auth = "valid"
    content_type: str | None = "application/json"
    defect: Defect | None = None
    parent: str | None = None  # the valid case this one was derived from

    @property
    def json_body(self) -> Any:
        """The body as JSON, or `NOT_JSON`."""
        if self.body is None:
            return NOT_JSON
        try:
            return json.loads(self.body)
        except ValueError:
            return NOT_JSON


class _NotJson:
    def __repr__(self) -> str:
        return "NOT_JSON"


NOT_JSON: Any = _NotJson()


def dump_json(value: Any) -> bytes:
    """Serialise a body the way every case does: compact, key order kept, non-ASCII as UTF-8."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


# -- JSON paths into bodies ------------------------------------------------------------------------
def json_path(parts: tuple[str | int, ...]) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def walk(value: Any, parts: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every (path, value) in a JSON document, parents before children."""
    yield parts, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from walk(child, (*parts, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from walk(child, (*parts, i))


def replaced(document: Any, parts: tuple[str | int, ...], value: Any) -> Any:
    """A copy of `document` with the value at `parts` replaced (or removed when value is `REMOVE`)."""
    if not parts:
        return value
    head, rest = parts[0], parts[1:]
    if isinstance(document, dict):
        copy = dict(document)
        if not rest and value is REMOVE:
            copy.pop(head, None)  # type: ignore[arg-type]
        else:
            copy[head] = replaced(document[head], rest, value)  # type: ignore[index]
        return copy
    if isinstance(document, list):
        items = list(document)
        items[head] = replaced(document[head], rest, value)  # type: ignore[index]
        return items
    raise KeyError(parts)


REMOVE: Any = object()
