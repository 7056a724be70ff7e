"""Random endpoint documents in the export grammar, with the model they were written from.

Used by the property tests (compile what was written, check the contract says exactly that) and by the
compiler benchmark. `render` is the inverse of the parser for documents without quirks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

SCALARS = ("string", "number", "integer", "boolean")
MEDIA = "application/json"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    types: tuple[str, ...]
    required: bool
    description: str
    example: Any = None
    has_example: bool = False
    enum: tuple[Any, ...] | None = None

    def render(self) -> str:
        spec = ",".join(self.types) + (", required" if self.required else "")
        text = f"- `{self.name}` ({spec}) {self.description}"
        if self.has_example:
            text += f" Example: {json.dumps(self.example)}"
        if self.enum is not None:
            text += " Enum: " + ", ".join(json.dumps(v) for v in self.enum)
        return text


@dataclass(frozen=True)
class SectionSpec:
    status: int | None  # None: the request section
    media_type: str | None
    fields: tuple[FieldSpec, ...] = ()

    def render(self) -> str:
        if self.status is None:
            head = f"## Request fields ({self.media_type}):"
        elif self.media_type is None:
            head = f"## Response {self.status} fields"
        else:
            head = f"## Response {self.status} fields ({self.media_type}):"
        return " ".join([head, *(f.render() for f in self.fields)])


@dataclass(frozen=True)
class DocumentSpec:
    summary: str
    description: str
    method: str
    path: str
    version: str
    security: str
    headers: tuple[FieldSpec, ...] = ()
    request: SectionSpec | None = None
    responses: tuple[SectionSpec, ...] = field(default_factory=tuple)

    def render(self) -> str:
        parts = [
            f"# {self.summary}. {self.description} Endpoint: {self.method} {self.path} "
            f"Version: {self.version} Security: {self.security}"
        ]
        if self.headers:
            parts.append(" ".join(["## Header parameters:", *(h.render() for h in self.headers)]))
        if self.request is not None:
            parts.append(self.request.render())
        parts.extend(r.render() for r in self.responses)
        return " ".join(parts)


_WORDS = st.sampled_from(
    [
        "the",
        "service",
        "order",
        "amendment",
        "supplier",
        "gateway",
        "tenant",
        "request",
        "reference",
        "value",
        "contact",
        "problem",
        "site",
        "appointment",
        "-",
        "(if",
        "applicable)",
        "e.g.",
        "café",
        "6pm",
        "evening's",
    ]
)


def _sentence(unique: str) -> st.SearchStrategy[str]:
    return st.lists(_WORDS, min_size=1, max_size=6).map(lambda ws: " ".join([*ws, unique]))


_IDENT = st.from_regex(r"[a-z][a-zA-Z0-9]{0,8}", fullmatch=True)
_JSON_SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "string": st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
    "number": st.one_of(
        st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3))
    ),
    "integer": st.integers(-(10**6), 10**6),
    "boolean": st.booleans(),
}


@st.composite
def _field(draw: st.DrawFn, name: str, kinds: tuple[str, ...]) -> FieldSpec:
    kind = draw(st.sampled_from(kinds))
    nullable = kind in SCALARS and draw(st.booleans().filter(lambda b: True))
    types: tuple[str, ...] = (kind, "null") if nullable and draw(st.integers(0, 4)) == 0 else (kind,)
    example, has_example, enum = None, False, None
    if kind in SCALARS:
        if draw(st.booleans()):
            example, has_example = draw(_JSON_SCALARS[kind]), True
        if kind == "string" and draw(st.integers(0, 3)) == 0:
            enum = tuple(
                draw(
                    st.lists(
                        st.from_regex(r"[A-Z][A-Z_]{1,10}", fullmatch=True),
                        min_size=1,
                        max_size=6,
                        unique=True,
                    )
                )
            )
    return FieldSpec(
        name=name,
        types=types,
        required=draw(st.booleans()),
        description=draw(_sentence(f"about-{name}")),
        example=example,
        has_example=has_example,
        enum=enum,
    )


@st.composite
def _fields(draw: st.DrawFn, depth: int = 2, prefix: str = "", max_size: int = 5) -> list[FieldSpec]:
    names = draw(st.lists(_IDENT, min_size=1, max_size=max_size, unique=True))
    out: list[FieldSpec] = []
    for name in names:
        full = f"{prefix}{name}"
        kinds = SCALARS + (("object", "array") if depth > 0 else ())
        f = draw(_field(full, kinds))
        out.append(f)
        if "object" in f.types or ("array" in f.types and draw(st.booleans())):
            out.extend(draw(_fields(depth - 1, f"{full}.", max_size=3)))
    return out


@st.composite
def documents(draw: st.DrawFn) -> DocumentSpec:
    """A random endpoint document model; `.render()` gives its one-line text."""
    path = "/" + "/".join(
        draw(st.lists(st.from_regex(r"[a-z][a-z-]{0,10}[a-z]", fullmatch=True), min_size=1, max_size=3))
    )
    headers = tuple(
        FieldSpec(
            name=name,
            types=("string",),
            required=draw(st.booleans()),
            description=draw(_sentence(f"about-{name}")),
            example=draw(st.from_regex(r"[A-Z0-9]{1,8}", fullmatch=True)),
            has_example=draw(st.booleans()),
        )
        for name in draw(
            st.lists(st.from_regex(r"X-[A-Z][a-zA-Z]{1,8}", fullmatch=True), max_size=3, unique_by=str.lower)
        )
    )
    method = draw(st.sampled_from(["POST", "PUT", "PATCH", "GET", "DELETE"]))
    request = SectionSpec(None, MEDIA, tuple(draw(_fields()))) if draw(st.booleans()) else None
    statuses = draw(
        st.lists(
            st.sampled_from([200, 201, 202, 204, 400, 401, 403, 404, 422, 500, 503]),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    responses = tuple(
        SectionSpec(s, MEDIA, tuple(draw(_fields(depth=1)))) if draw(st.booleans()) else SectionSpec(s, None)
        for s in sorted(statuses)
    )
    return DocumentSpec(
        summary=draw(_sentence("summary")).capitalize(),
        description=draw(_sentence("description")) + ".",
        method=method,
        path=path,
        version=draw(st.sampled_from(["1.15", "1.17", "2.0"])),
        security=draw(st.sampled_from(["oauth2", "bearer", "none"])),
        headers=headers,
        request=request,
        responses=responses,
    )
