"""Random endpoint documents in the export grammar, with the model they were written from.

Used by the property tests (compile what was written, check the contract says exactly that) and by the
compiler benchmark. `DocumentSpec.render` writes a model in either layout — the one-line flattening of the
seeds or the Markdown of the published pages — and is the inverse of the parser for documents without
quirks. Every construct of the grammar can be drawn: any method, path templates, optional Version and
Security (several scheme names), the four parameter locations, request and response sections in any order
(default, ranges, bodiless), every type word, unions, nullables, Enum/Example/Default, dotted fields to any
depth, Markdown descriptions with `- ` lines that are prose.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any, Literal

from hypothesis import strategies as st

SCALARS = ("string", "number", "integer", "boolean")
MEDIA = "application/json"
MEDIA_TYPES = ("application/json", "application/problem+json", "application/vnd.acme+json")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
SCHEMES = ("oauth2", "bearer", "BearerAuth", "JWT", "basicAuth", "X-Api-Key", "ApiKeyAuth", "customAuth")
Layout = Literal["one-line", "markdown"]
LAYOUTS: tuple[Layout, ...] = ("one-line", "markdown")
MARKERS = ("Example", "Enum", "Default")


@dataclass(frozen=True)
class FieldSpec:
    """One item: `lines` is its description, one line each in Markdown, joined by blanks on one line."""

    name: str
    types: tuple[str, ...]
    required: bool
    lines: tuple[str, ...] = ()
    example: Any = None
    has_example: bool = False
    enum: tuple[Any, ...] | None = None
    default: Any = None
    has_default: bool = False
    markers: tuple[str, ...] = MARKERS  # the order the markers are written in

    def description(self, layout: Layout) -> str:
        return ("\n" if layout == "markdown" else " ").join(self.lines)

    def render(self, layout: Layout = "one-line") -> str:
        spec = ",".join(self.types) + (", required" if self.required else "")
        parts = {
            "Example": f"Example: {json.dumps(self.example)}" if self.has_example else "",
            "Enum": "Enum: " + ", ".join(json.dumps(v) for v in self.enum) if self.enum is not None else "",
            "Default": f"Default: {json.dumps(self.default)}" if self.has_default else "",
        }
        tail = [parts[m] for m in self.markers if parts[m]]
        if layout == "one-line":
            return " ".join([f"- `{self.name}` ({spec})", *self.lines, *tail])
        return "\n".join([f"  - `{self.name}` ({spec})", *(f"    {x}" for x in [*self.lines, *tail])])


@dataclass(frozen=True)
class SectionSpec:
    """A section: `kind` is header/path/query/cookie/request/response; `code` a response's key."""

    kind: str
    media_type: str | None = None
    fields: tuple[FieldSpec, ...] = ()
    code: str | None = None

    @property
    def status(self) -> int | None:
        return int(self.code) if self.code is not None and self.code.isdigit() else None

    def heading(self) -> str:
        if self.kind == "request":
            return f"## Request fields ({self.media_type}):"
        if self.kind == "response":
            media = f" ({self.media_type}):" if self.media_type is not None else ""
            return f"## Response {self.code} fields{media}"
        return f"## {self.kind.capitalize()} parameters:"

    def render(self, layout: Layout = "one-line") -> str:
        items = [f.render(layout) for f in self.fields]
        return (
            " ".join([self.heading(), *items])
            if layout == "one-line"
            else "\n\n".join([self.heading(), *items])
        )


@dataclass(frozen=True)
class DocumentSpec:
    summary: str
    description: tuple[str, ...]  # lines; Markdown layout keeps them, one-line joins them with blanks
    method: str
    path: str
    version: str | None
    security: tuple[str, ...]  # () no Security line; ("none",) says so
    sections: tuple[SectionSpec, ...] = ()
    layout: Layout = "one-line"

    def parameters(self, kind: str) -> tuple[FieldSpec, ...]:
        return tuple(f for s in self.sections if s.kind == kind for f in s.fields)

    @property
    def headers(self) -> tuple[FieldSpec, ...]:
        return self.parameters("header")

    @property
    def request(self) -> SectionSpec | None:
        return next((s for s in self.sections if s.kind == "request"), None)

    @property
    def responses(self) -> tuple[SectionSpec, ...]:
        return tuple(s for s in self.sections if s.kind == "response")

    @property
    def template_names(self) -> list[str]:
        return re.findall(r"\{([^{}]+)\}", self.path)

    def expected_description(self) -> str:
        return ("\n" if self.layout == "markdown" else " ").join(self.description)

    def render(self) -> str:
        keys = [f"Endpoint: {self.method} {self.path}"]
        if self.version is not None:
            keys.append(f"Version: {self.version}")
        if self.security:
            keys.append(f"Security: {', '.join(self.security)}")
        if self.layout == "one-line":
            head = " ".join([f"# {self.summary}", *self.description, *keys])
            return " ".join([head, *(s.render("one-line") for s in self.sections)])
        blocks = [f"# {self.summary}", "\n".join(self.description), "\n".join(keys)]
        blocks += [s.render("markdown") for s in self.sections]
        return "\n\n".join(b for b in blocks if b) + "\n"


# -- strategies --------------------------------------------------------------------------------------
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
        "'code'",
        "{json}",
    ]
)
# A summary is one sentence: no word in it may end a sentence early.
_SUMMARY_WORDS = _WORDS.filter(lambda w: w[-1] not in ".?!")


def _sentence(unique: str, words: st.SearchStrategy[str] = _WORDS) -> st.SearchStrategy[str]:
    return st.lists(words, min_size=1, max_size=6).map(lambda ws: " ".join([*ws, unique]))


@st.composite
def _lines(draw: st.DrawFn, unique: str, layout: Layout) -> tuple[str, ...]:
    """A description: sentences, and in Markdown possibly a `- ` line that is prose, not an item."""
    lines = [draw(_sentence(unique))]
    if layout == "markdown" and draw(st.booleans()):
        lines.append("- " + draw(_sentence("note")))
    if draw(st.integers(0, 4)) == 0:
        return ()
    return tuple(lines)


_IDENT = st.from_regex(r"[a-z][a-zA-Z0-9]{0,8}", fullmatch=True).filter(lambda n: n != "additionalProperties")
_CODES = st.from_regex(r"[A-Z][A-Z_]{1,10}", fullmatch=True)
_JSON_SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "string": st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
    "number": st.one_of(
        st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3))
    ),
    "integer": st.integers(-(10**6), 10**6),
    "boolean": st.booleans(),
}
_ENUMS: dict[str, st.SearchStrategy[list[Any]]] = {
    "string": st.lists(_CODES, min_size=1, max_size=5, unique=True),
    "number": st.lists(st.integers(-50, 50), min_size=1, max_size=5, unique=True),
    "integer": st.lists(st.integers(-50, 50), min_size=1, max_size=5, unique=True),
    "boolean": st.lists(st.booleans(), min_size=1, max_size=2, unique=True),
}


@st.composite
def _field(draw: st.DrawFn, name: str, kinds: tuple[str, ...], layout: Layout) -> FieldSpec:
    kind = draw(st.sampled_from(kinds))
    types: tuple[str, ...] = (kind,)
    shape = draw(st.integers(0, 5))
    if kind != "any" and shape == 0:
        types = (kind, "null")
    elif kind in SCALARS and shape == 1:
        types = (kind, draw(st.sampled_from([k for k in SCALARS if k != kind])))
    example, has_example, enum, default, has_default = None, False, None, None, False
    single = [t for t in types if t != "null"]
    if len(single) == 1 and single[0] in SCALARS:
        if draw(st.booleans()):
            example, has_example = draw(_JSON_SCALARS[kind]), True
        if draw(st.integers(0, 2)) == 0:
            values = draw(_ENUMS[kind])
            if "null" in types and draw(st.booleans()):
                values.append(None)
            enum = tuple(values)
        if draw(st.integers(0, 3)) == 0:
            default, has_default = (draw(st.sampled_from(enum)) if enum else draw(_JSON_SCALARS[kind])), True
    elif kind == "array" and draw(st.integers(0, 2)) == 0:
        enum = tuple(draw(_ENUMS["string"]))
    elif kind == "array" and draw(st.booleans()):  # an array of arrays shows its shape only by example
        scalars = st.lists(_JSON_SCALARS["integer"], max_size=3)
        example, has_example = draw(st.one_of(scalars, st.lists(scalars, max_size=3))), True
    elif kind == "any" and draw(st.booleans()):
        default, has_default = draw(st.sampled_from([{}, [], 0, "x", None])), True
    return FieldSpec(
        name=name,
        types=types,
        required=draw(st.booleans()),
        lines=draw(_lines(f"about-{name}", layout)),
        example=example,
        has_example=has_example,
        enum=enum,
        default=default,
        has_default=has_default,
        markers=tuple(draw(st.permutations(MARKERS))),
    )


@st.composite
def _fields(
    draw: st.DrawFn, layout: Layout, depth: int = 2, prefix: str = "", max_size: int = 5
) -> list[FieldSpec]:
    names = draw(st.lists(_IDENT, min_size=1, max_size=max_size, unique=True))
    out: list[FieldSpec] = []
    for name in names:
        full = f"{prefix}{name}"
        kinds = (*SCALARS, "any", *(("object", "array") if depth > 0 else ()))
        f = draw(_field(full, kinds, layout))
        out.append(f)
        has_kids = "object" in f.types or ("array" in f.types and f.enum is None and not f.has_example)
        if has_kids and ("object" in f.types or draw(st.booleans())):
            out.extend(draw(_fields(layout, depth - 1, f"{full}.", max_size=3)))
    return out


@st.composite
def _parameters(draw: st.DrawFn, kind: str, layout: Layout, names: list[str]) -> SectionSpec:
    fields = []
    for name in names:
        kinds = {"query": (*SCALARS, "array", "object"), "path": SCALARS}.get(kind, ("string",))
        f = draw(_field(name, kinds, layout))
        if "object" in f.types and draw(st.booleans()):  # the gateway's JSON text query parameter
            f = replace(f, example={"id": draw(_CODES)}, has_example=True)
        elif "array" in f.types and draw(st.integers(0, 2)) == 0:
            f = replace(f, example="a,b", has_example=True, enum=None)
        fields.append(f)
    return SectionSpec(kind, fields=tuple(fields))


_CODE_KEYS = ("200", "201", "202", "204", "400", "401", "403", "404", "422", "500", "503", "4XX", "default")


@st.composite
def documents(draw: st.DrawFn, layout_wanted: Layout | None = None) -> DocumentSpec:
    """A random endpoint document model; `.render()` gives its text in its layout."""
    layout: Layout = layout_wanted if layout_wanted is not None else draw(st.sampled_from(LAYOUTS))
    segments = draw(
        st.lists(st.from_regex(r"[a-z][a-z-]{0,10}[a-z]", fullmatch=True), min_size=1, max_size=3)
    )
    template = draw(st.lists(st.from_regex(r"[a-z][a-zA-Z]{0,6}", fullmatch=True), max_size=2, unique=True))
    parts = [*segments, *(f"{{{t}}}" for t in template)]
    path = "/" + "/".join(parts) + ("/" if draw(st.integers(0, 5)) == 0 else "")
    sections: list[SectionSpec] = []
    documented = [t for t in template if draw(st.integers(0, 4))]  # sometimes a template name is undocumented
    if documented:
        sections.append(draw(_parameters("path", layout, documented)))
    for kind, pattern in (
        ("query", r"[a-z][a-zA-Z]{0,8}"),
        ("header", r"X-[A-Z][a-zA-Z]{1,8}"),
        ("cookie", r"[a-z]{2,8}"),
    ):
        names = draw(st.lists(st.from_regex(pattern, fullmatch=True), max_size=3, unique_by=str.lower))
        if names:
            sections.append(draw(_parameters(kind, layout, names)))
    method = draw(st.sampled_from(METHODS))
    if draw(st.booleans()):
        media = draw(st.sampled_from(MEDIA_TYPES))
        sections.append(SectionSpec("request", media, tuple(draw(_fields(layout, depth=3)))))
    codes = draw(st.lists(st.sampled_from(_CODE_KEYS), min_size=1, max_size=5, unique=True))
    for code in codes:
        shape = draw(st.integers(0, 3))
        if shape == 0:
            sections.append(SectionSpec("response", None, (), code))
        else:
            fields = tuple(draw(_fields(layout, depth=1))) if shape > 1 else ()
            sections.append(SectionSpec("response", draw(st.sampled_from(MEDIA_TYPES)), fields, code))
    sections = draw(st.permutations(sections))
    description = list(draw(_lines("description", layout)))
    if layout == "markdown" and description and draw(st.booleans()):
        description += [
            "",
            "### Notes",
            "- a bullet, not an item",
            "> a quote",
            "```http",
            "GET /x HTTP/1.1",
            "```",
        ]
    summary = draw(_sentence("summary", _SUMMARY_WORDS)).capitalize()
    if layout == "one-line" and description:
        summary += draw(st.sampled_from([".", "?"]))  # one line: the summary is the first sentence
    elif draw(st.booleans()):
        summary += "."
    security: tuple[str, ...] = ()
    if draw(st.integers(0, 3)):
        security = tuple(draw(st.lists(st.sampled_from(SCHEMES), min_size=1, max_size=3, unique=True)))
        if draw(st.integers(0, 6)) == 0:
            security = ("none",)
    return DocumentSpec(
        summary=summary,
        description=tuple(description),
        method=method,
        path=path,
        version=draw(st.sampled_from(["1.15", "1.17", "2.0", None])),
        security=security,
        sections=tuple(sections),
        layout=layout,
    )
