"""The endpoint document as read: what the prose says, each statement tied to the clause it came from.

Pure data, produced by `parser.parse_document` and consumed by `compiler.compile_documents`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from fcvalidate.errors import Location

TYPE_WORDS = ("string", "number", "integer", "boolean", "object", "array", "null")
SectionKind = Literal["headers", "request", "response"]


@dataclass(frozen=True, slots=True)
class Clause:
    """A piece of a source document: where it starts and its exact text."""

    location: Location
    text: str


@dataclass(frozen=True, slots=True)
class Field:
    """One documented item: a header parameter or a (dotted, nested) body field."""

    name: str
    types: tuple[str, ...]
    required: bool
    description: str
    clause: Clause
    examples: tuple[Any, ...] = ()
    enum: tuple[Any, ...] | None = None

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.name.split("."))

    @property
    def parent(self) -> str | None:
        return self.name.rpartition(".")[0] or None

    @property
    def leaf(self) -> str:
        return self.name.rpartition(".")[2]


@dataclass(frozen=True, slots=True)
class Section:
    """A `## ...` section: header parameters, request fields, or one response status."""

    kind: SectionKind
    clause: Clause
    status: int | None = None
    media_type: str | None = None  # None: the section documents no body
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True, slots=True)
class EndpointDocument:
    """One endpoint document: the head sentence and its sections."""

    file: str
    summary: str
    description: str
    method: str
    path: str
    version: str
    security: str
    head: Clause
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def headers(self) -> tuple[Field, ...]:
        return tuple(f for s in self.sections if s.kind == "headers" for f in s.fields)

    @property
    def request(self) -> Section | None:
        return next((s for s in self.sections if s.kind == "request"), None)

    @property
    def responses(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.kind == "response")

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"
