"""Endpoint document parser: the export's prose grammar → `EndpointDocument`.

Pure: bytes in, a document (or a `DocumentError` listing every problem with FILE:LINE:COLUMN) out.
The grammar is described in contracts/source/README.md; it is usually one long line.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fcvalidate.contract.model import TYPE_WORDS, Clause, EndpointDocument, Field, Section
from fcvalidate.errors import DocumentError, Location, Problem

HTTP_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
SECURITY_SCHEMES = ("oauth2", "bearer", "none")

_SECTION_START = re.compile(r"(?:(?<=\s)|^)## ")
_ITEM_START = re.compile(r"(?:(?<=\s)|^)- `")
_MARKER = re.compile(r"(?:(?<=\s)|^)(Example|Enum):")
_HEAD_KEYS = re.compile(r"(?:(?<=\s)|^)(Endpoint|Version|Security):")
_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*(?:\.[A-Za-z_$][A-Za-z0-9_$-]*)*\Z")
_ITEM = re.compile(r"- `(?P<name>[^`]*)`[ \t]*\((?P<spec>[^()]*)\)(?P<rest>.*)\Z", re.S)
_SECTION_HEADS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("headers", re.compile(r"## Header parameters:")),
    ("request", re.compile(r"## Request fields \((?P<media>[^()\s]+)\):")),
    ("response", re.compile(r"## Response (?P<status>[1-5][0-9][0-9]) fields(?: \((?P<media>[^()\s]+)\):)?")),
)
_JSON = json.JSONDecoder()


@dataclass(slots=True)
class _Reader:
    """Turns offsets into locations and collects problems, so parsing goes on after the first one."""

    file: str
    text: str
    problems: list[Problem] = field(default_factory=list)
    _newlines: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._newlines = [i for i, ch in enumerate(self.text) if ch == "\n"]

    def location(self, offset: int) -> Location:
        line = bisect.bisect_left(self._newlines, offset)
        start = self._newlines[line - 1] + 1 if line else 0
        return Location(self.file, line + 1, offset - start + 1)

    def clause(self, start: int, end: int) -> Clause:
        raw = self.text[start:end]
        lead = len(raw) - len(raw.lstrip())
        return Clause(self.location(start + lead), " ".join(raw.split()))

    def problem(self, offset: int, message: str) -> None:
        self.problems.append(Problem(self.location(offset), message))


def decode(data: bytes, file: str) -> str:
    """Decode a document's bytes, refusing binary and non-UTF-8 input with a position."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:
        where = _Reader(file, data[:nul].decode("utf-8", "replace")).location(nul)
        raise DocumentError([Problem(where, f"binary file: NUL byte at offset {nul}")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", "replace")
        where = _Reader(file, prefix).location(len(prefix))
        raise DocumentError(
            [Problem(where, f"not UTF-8 text: invalid byte 0x{data[exc.start]:02x} at offset {exc.start}")]
        ) from None
    return text


def parse_document(data: bytes | str, file: str) -> EndpointDocument:
    """Parse one endpoint document; raise `DocumentError` with every problem found."""
    text = decode(data, file) if isinstance(data, bytes) else data
    reader = _Reader(file, text)
    if not text.strip():
        raise DocumentError([Problem(Location(file, 1, 1), "empty document")])
    starts = [m.start() for m in _SECTION_START.finditer(text)]
    head_end = starts[0] if starts else len(text)
    head = _parse_head(reader, 0, head_end)
    sections: list[Section] = []
    seen: dict[tuple[str, int | None], int] = {}
    for start, end in _spans(starts, len(text)):
        section = _parse_section(reader, start, end)
        if section is None:
            continue
        key = (section.kind, section.status)
        if key in seen:
            reader.problem(start, f"duplicate section: {section.clause.text!r} (first at column {seen[key]})")
            continue
        seen[key] = reader.location(start).column
        sections.append(section)
    if reader.problems or head is None:
        raise DocumentError(reader.problems)
    summary, description, method, path, version, security, head_clause = head
    return EndpointDocument(
        file=file,
        summary=summary,
        description=description,
        method=method,
        path=path,
        version=version,
        security=security,
        head=head_clause,
        sections=tuple(sections),
    )


def _spans(starts: list[int], end: int) -> list[tuple[int, int]]:
    """[(start, next start), ..., (last start, end)] for offsets in order."""
    return list(zip(starts, [*starts[1:], end], strict=True)) if starts else []


def _parse_head(reader: _Reader, start: int, end: int) -> tuple[str, str, str, str, str, str, Clause] | None:
    text = reader.text
    lead = start + len(text[start:end]) - len(text[start:end].lstrip())
    if not text.startswith("# ", lead):
        reader.problem(lead, "document must start with '# <summary>. <description>'")
        return None
    keys: dict[str, tuple[int, int]] = {}  # key -> (offset of key, offset of value)
    for m in _HEAD_KEYS.finditer(text, lead, end):
        if m.group(1) in keys:
            reader.problem(m.start(), f"'{m.group(1)}:' given twice in the head")
        keys.setdefault(m.group(1), (m.start(), m.end()))
    missing = [k for k in ("Endpoint", "Version", "Security") if k not in keys]
    for key in missing:
        example = {
            "Endpoint": "Endpoint: POST /path",
            "Version": "Version: 1.0",
            "Security": "Security: oauth2",
        }
        reader.problem(lead, f"no '{key}:' in the head (expected '{example[key]}')")
    if missing:
        return None
    order = sorted(keys.items(), key=lambda kv: kv[1][0])
    values: dict[str, tuple[str, int]] = {}
    for (key, (_, value_at)), nxt in zip(order, [*order[1:], None], strict=True):
        value_end = nxt[1][0] if nxt else end
        raw = text[value_at:value_end]
        values[key] = (raw.strip(), value_at + len(raw) - len(raw.lstrip()))
    endpoint, endpoint_at = values["Endpoint"]
    parts = endpoint.split()
    ok = True
    if len(parts) != 2:
        reader.problem(endpoint_at, f"'Endpoint:' must be 'METHOD /path', got {endpoint!r}")
        return None
    method, path = parts
    if method not in HTTP_METHODS:
        reader.problem(
            endpoint_at, f"unknown HTTP method {method!r} (expected one of {', '.join(HTTP_METHODS)})"
        )
        ok = False
    if not path.startswith("/"):
        reader.problem(endpoint_at + len(method) + 1, f"endpoint path must start with '/', got {path!r}")
        ok = False
    version, version_at = values["Version"]
    if not version or " " in version:
        reader.problem(version_at, f"'Version:' must be one word, got {version!r}")
        ok = False
    security, security_at = values["Security"]
    if security not in SECURITY_SCHEMES:
        reader.problem(
            security_at,
            f"unknown security scheme {security!r} (expected one of {', '.join(SECURITY_SCHEMES)})",
        )
        ok = False
    prose = " ".join(text[lead + 2 : order[0][1][0]].split())
    summary, dot, description = prose.partition(". ")
    summary = summary + "." if dot else summary
    if not summary.strip("."):
        reader.problem(lead, "the head has no summary before 'Endpoint:'")
        ok = False
    if not ok:
        return None
    return summary, description.strip(), method, path, version, security, reader.clause(order[0][1][0], end)


def _parse_section(reader: _Reader, start: int, end: int) -> Section | None:
    text = reader.text
    matches = ((kind, pattern.match(text, start, end)) for kind, pattern in _SECTION_HEADS)
    kind, m = next(((k, found) for k, found in matches if found), ("", None))
    if m is None:
        words = " ".join(text[start:end].split()[:4])
        reader.problem(
            start,
            f"unknown section {words!r} (expected '## Header parameters:', '## Request fields (media):', "
            "'## Response NNN fields (media):' or '## Response NNN fields')",
        )
        return None
    media = m.groupdict().get("media")
    status = int(m.group("status")) if kind == "response" else None
    body_start = m.end()
    item_starts = [i.start() for i in _ITEM_START.finditer(text, body_start, end)]
    stray_end = item_starts[0] if item_starts else end
    if text[body_start:stray_end].strip():
        at = body_start + len(text[body_start:stray_end]) - len(text[body_start:stray_end].lstrip())
        reader.problem(at, "unexpected text: items must look like - `name` (type[, required]) description")
    clause = reader.clause(start, m.end())
    if kind == "response" and media is None and item_starts:
        reader.problem(
            start, f"response {status} lists fields but names no media type, e.g. '(application/json):'"
        )
    fields: list[Field] = []
    by_name: dict[str, Field] = {}
    for item_start, item_end in _spans(item_starts, end):
        parsed = _parse_item(reader, item_start, item_end)
        if parsed is None:
            continue
        if parsed.name in by_name:
            first = by_name[parsed.name].clause.location.column
            reader.problem(item_start + 3, f"duplicate field `{parsed.name}` (first at column {first})")
            continue
        if kind != "headers" and parsed.parent is not None:
            parent = by_name.get(parsed.parent)
            if parent is None:
                reader.problem(
                    item_start + 3, f"`{parsed.name}`: no field `{parsed.parent}` is documented before it"
                )
                continue
            if not {"object", "array"} & set(parent.types):
                reader.problem(
                    item_start + 3,
                    f"`{parsed.name}`: its parent `{parent.name}` is {'/'.join(parent.types)}, "
                    "only object and array fields have fields",
                )
                continue
        by_name[parsed.name] = parsed
        fields.append(parsed)
    return Section(kind=kind, clause=clause, status=status, media_type=media, fields=tuple(fields))  # type: ignore[arg-type]


def _parse_item(reader: _Reader, start: int, end: int) -> Field | None:
    text = reader.text
    m = _ITEM.match(text, start, end)
    if not m:
        reader.problem(start, "item does not follow - `name` (type[, required]) description")
        return None
    name = m.group("name")
    if not _NAME.match(name):
        reader.problem(m.start("name"), f"invalid field name `{name}`")
        return None
    types: list[str] = []
    required = False
    ok = True
    offset = m.start("spec")
    for token in m.group("spec").split(","):
        word = token.strip()
        at = offset + len(token) - len(token.lstrip())
        offset += len(token) + 1
        if word == "required":
            required = True
        elif word in TYPE_WORDS and word not in types:
            types.append(word)
        else:
            reason = "repeated" if word in types else f"expected one of {', '.join(TYPE_WORDS)}"
            reader.problem(at, f"unknown type word {word!r} for `{name}` ({reason})")
            ok = False
    if ok and not [t for t in types if t != "null"]:
        reader.problem(
            m.start("spec"), f"`{name}` has no type (expected e.g. (string) or (string, required))"
        )
        ok = False
    tail = _parse_tail(reader, m.start("rest"), m.end("rest"), name, types)
    if tail is None or not ok:
        return None
    description, examples, enum = tail
    return Field(
        name=name,
        types=tuple(types),
        required=required,
        description=description,
        clause=reader.clause(start + 2, end),
        examples=examples,
        enum=enum,
    )


def _parse_tail(
    reader: _Reader, start: int, end: int, name: str, types: list[str]
) -> tuple[str, tuple[Any, ...], tuple[Any, ...] | None] | None:
    """Split `description [Example: JSON] [Enum: JSON, ...]`; the first marker ends the description."""
    text = reader.text
    first = _MARKER.search(text, start, end)
    description = " ".join(text[start : first.start() if first else end].split())
    examples: tuple[Any, ...] = ()
    enum: tuple[Any, ...] | None = None
    pos = first.start() if first else end
    while pos < end:
        pos = _skip_space(text, pos, end)
        if pos >= end:
            break
        marker = _MARKER.match(text, pos, end)
        if not marker:
            reader.problem(pos, f"unexpected text after the Example/Enum of `{name}`")
            return None
        key = marker.group(1)
        if (key == "Example" and examples) or (key == "Enum" and enum is not None):
            reader.problem(pos, f"`{name}` has two '{key}:' parts")
            return None
        pos = _skip_space(text, marker.end(), end)
        if key == "Example":
            value, pos = _decode_json(reader, pos, end, f"Example of `{name}`")
            if pos < 0:
                return None
            examples = (value,)
        else:
            values = []
            while True:
                value, pos = _decode_json(reader, pos, end, f"Enum value of `{name}`")
                if pos < 0:
                    return None
                if not _matches_types(value, types):
                    reader.problem(
                        pos - 1, f"Enum value {json.dumps(value)} of `{name}` is not {'/'.join(types)}"
                    )
                    return None
                values.append(value)
                after = _skip_space(text, pos, end)
                if after < end and text[after] == ",":
                    pos = _skip_space(text, after + 1, end)
                    continue
                pos = after
                break
            enum = tuple(values)
    return description, examples, enum


def _decode_json(reader: _Reader, pos: int, end: int, what: str) -> tuple[Any, int]:
    try:
        value, stop = _JSON.raw_decode(reader.text[:end], pos)
    except json.JSONDecodeError as exc:
        reader.problem(exc.pos, f"{what} is not JSON: {exc.msg}")
        return None, -1
    return value, stop


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


_TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def _matches_types(value: Any, types: list[str]) -> bool:
    return any(_TYPE_TESTS[t](value) for t in types)
