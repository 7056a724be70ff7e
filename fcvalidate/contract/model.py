"""The endpoint document as read: what the prose says, each statement tied to the clause it came from.

Pure data, produced by `parser.parse_document` and consumed by `compiler.compile_documents`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from fcvalidate.errors import Location, Problem

# `any` is the export's word for "no type constraint"; `null` only ever comes with another type.
TYPE_WORDS = ("string", "number", "integer", "boolean", "object", "array", "null", "any")
SectionKind = Literal["header", "path", "query", "cookie", "request", "response"]
PARAMETER_KINDS: tuple[SectionKind, ...] = ("header", "path", "query", "cookie")


@dataclass(frozen=True, slots=True)
class Clause:
    """A piece of a source document: where it starts and its exact text."""

    location: Location
    text: str


@dataclass(frozen=True, slots=True)
class Field:
    """One documented item: a parameter or a (dotted, nested) body field.

    `segments` is the path from the top of the section; a parameter whose dotted name has no documented
    parent (`created.gte`) is one segment, so `name` and `segments` can differ.
    """

    name: str
    types: tuple[str, ...]
    required: bool
    description: str
    clause: Clause
    examples: tuple[Any, ...] = ()
    enum: tuple[Any, ...] | None = None
    defaults: tuple[Any, ...] = ()  # () when the document gives no `Default:`, else (value,)
    segments: tuple[str, ...] = ()
    prose_markers: tuple[Clause, ...] = ()  # marker words read as words of the description

    @property
    def path(self) -> tuple[str, ...]:
        return self.segments or tuple(self.name.split("."))

    @property
    def parent(self) -> str | None:
        path = self.path
        return self.name[: -len(path[-1]) - 1] if len(path) > 1 else None

    @property
    def leaf(self) -> str:
        return self.path[-1]


@dataclass(frozen=True, slots=True)
class Section:
    """A `## ...` section: parameters of one location, request fields, or one response."""

    kind: SectionKind
    clause: Clause
    status: int | None = None  # a response's numeric status; None for `default` and ranges like 4XX
    media_type: str | None = None  # None: the section documents no body
    fields: tuple[Field, ...] = ()
    code: str | None = None  # a response's key as written: "201", "4XX" or "default"


@dataclass(frozen=True, slots=True)
class EndpointDocument:
    """One endpoint document: the head and its sections.

    `version` is None when the document has no `Version:`; `security` holds the scheme names of
    `Security:` in order (empty when there is no `Security:` line, ("none",) when it says so).
    `notes` are harmless oddities the parser kept (never dropped) and lint points out.
    """

    file: str
    summary: str
    description: str
    method: str
    path: str
    version: str | None
    security: tuple[str, ...]
    head: Clause
    sections: tuple[Section, ...] = field(default_factory=tuple)
    notes: tuple[Problem, ...] = ()
    prose_markers: tuple[Clause, ...] = ()  # `Security:`/`Version:`/`Endpoint:` words in the head's prose

    @property
    def headers(self) -> tuple[Field, ...]:
        return self.parameters("header")

    def parameters(self, kind: SectionKind) -> tuple[Field, ...]:
        return tuple(f for s in self.sections if s.kind == kind for f in s.fields)

    @property
    def request(self) -> Section | None:
        return next((s for s in self.sections if s.kind == "request"), None)

    @property
    def responses(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.kind == "response")

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"
