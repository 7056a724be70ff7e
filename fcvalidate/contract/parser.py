"""Endpoint document parser: the export's prose grammar → `EndpointDocument`.

Pure: bytes in, a document (or a `DocumentError` listing every problem with FILE:LINE:COLUMN) out.

Two layouts of the same grammar are read, and may even be mixed:

* flattened: the whole document on one line (the seeds in contracts/source/);
* Markdown: the head, each item, each description line and each `Example:`/`Enum:`/`Default:` on
  lines of their own, blank lines anywhere, items possibly indented.

The grammar::

    # <summary>[. <description>]            (Markdown: the heading line is the summary, the lines
                                             under it the description — any Markdown but `Endpoint:`)
    Endpoint: METHOD /path/{template}
    [Version: <one word>]
    [Security: <scheme>[, <scheme>...]]       (`Security: ` with no name: public, kept as a note)
    ## Header parameters: | ## Path parameters: | ## Query parameters: | ## Cookie parameters:
    ## Request fields (<media type>):
    ## Response <NNN|NXX|default> fields (<media type>):   or   ## Response <...> fields
    - `name` (<type>[,<type>...][, required]) <description> [Example: JSON] [Enum: JSON, ...] [Default: JSON]

Sections come in any order. A dotted name (`a.b.c`) is a field of `a.b` (of its items when `a.b` is an
array); a parameter whose dotted name has no documented parent is one name (`created.gte`). In the
Markdown layout an item indented under an object or array item whose name does not already start with
the parent's name is taken relative to it, while an item-looking line indented under an item that
cannot have fields (`(any)`, `(string)`) is that item's description, kept with a note. A description
line starting with `- ` that is not a backticked item is prose (in Markdown, one quoting a name with no
`(type)` after it too). Code fences (```) in the head are prose: nothing inside them is a key; the head's
keys start at the first `Endpoint: METHOD /path` (in Markdown, at the start of a line).

Markers by position: in the Markdown layout a marker is one only where the export writes it: the head's
keys at line starts, an item's `Example:`/`Enum:`/`Default:` on its trailing lines that read wholly as
markers (see `_marker_block`). The same words elsewhere are prose, kept in the description and listed in
`prose_markers` (the compiler records them). The one-line layout keeps its rules: the first marker ends
an item's description.
The one-line layout cannot mark where a summary without a period ends: its summary is the first
sentence (up to `. `, `? ` or `! `), or the whole head prose.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from fcvalidate.contract.model import (
    PARAMETER_KINDS,
    TYPE_WORDS,
    Clause,
    EndpointDocument,
    Field,
    Section,
    SectionKind,
)
from fcvalidate.errors import DocumentError, Location, Problem
from fcvalidate.jsonpath import json_type

HTTP_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")

_SECTION_START = re.compile(r"(?:(?<=\s)|^)## ")
_ITEM_START = re.compile(r"(?:(?<=\s)|^)- `")
_MARKER = re.compile(r"(?:(?<=\s)|^)(Example|Enum|Default):")
_HEAD_KEYS = re.compile(r"(?:(?<=\s)|^)(Endpoint|Version|Security):")
_SENTENCE_END = re.compile(r"[.?!](?= )")  # a one-line summary is the first sentence
_ENDPOINT_KEY = re.compile(r"(?:(?<=\s)|^)Endpoint:")
_ENDPOINT_LINE = re.compile(r"Endpoint:[ \t]*[A-Z]+[ \t]+/")  # where the export writes it: METHOD /path
_PROSE_BULLET = re.compile(r"- `[^`\n]*`(?![ \t]*\()")  # a list line quoting a name: no (type) after it
_FENCE = re.compile(r"```.*?(?:```|\Z)", re.S)
_SEGMENT = r"[^\s`.]+"
_NAME = re.compile(rf"{_SEGMENT}(?:\.{_SEGMENT})*\Z")
_SCHEME_NAME = re.compile(r"[A-Za-z0-9_.\-]+\Z")
_PATH = re.compile(r"/[^\s{}]*(?:\{[^{}\s/]+\}[^\s{}]*)*\Z")
_TEMPLATE = re.compile(r"\{([^{}]+)\}")
_MEDIA = re.compile(r"[\w.+*-]+/[\w.+*-]+(?:\s*;.*)?\Z")
_ITEM = re.compile(r"- `(?P<name>[^`]*)`[ \t]*\((?P<spec>[^()]*)\)(?P<rest>.*)\Z", re.S)
_SECTION_HEADS: tuple[tuple[SectionKind, re.Pattern[str]], ...] = (
    ("header", re.compile(r"## Header parameters:")),
    ("path", re.compile(r"## Path parameters:")),
    ("query", re.compile(r"## Query parameters:")),
    ("cookie", re.compile(r"## Cookie parameters:")),
    ("request", re.compile(r"## Request fields \((?P<media>[^()\n]+)\):")),
    (
        "response",
        re.compile(
            r"## Response (?P<code>[1-5][0-9][0-9]|[1-5]XX|default) fields(?: \((?P<media>[^()\n]+)\):)?"
        ),
    ),
)
SECTION_FORMS = (
    "'## Header parameters:', '## Path parameters:', '## Query parameters:', '## Cookie parameters:', "
    "'## Request fields (media):', '## Response NNN fields (media):' or '## Response NNN fields'"
)
_JSON = json.JSONDecoder()


@dataclass(slots=True)
class _Reader:
    """Turns offsets into locations and collects problems, so parsing goes on after the first one."""

    file: str
    text: str
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    _newlines: list[int] = field(default_factory=list)
    multiline: bool = False  # the published layout: markers stand where the format puts them

    def __post_init__(self) -> None:
        self._newlines = [i for i, ch in enumerate(self.text) if ch == "\n"]
        self.multiline = "\n" in self.text.strip()

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

    def note(self, offset: int, message: str) -> None:
        self.notes.append(Problem(self.location(offset), message))

    def line_end(self, offset: int, end: int) -> int:
        newline = self.text.find("\n", offset, end)
        return newline if newline >= 0 else end

    def indent(self, offset: int) -> int | None:
        """The column of `offset` when only blanks precede it on its line (Markdown layout), else None."""
        line = bisect.bisect_left(self._newlines, offset)  # not rfind: a one-line document is long
        line_start = self._newlines[line - 1] + 1 if line else 0
        blank = offset
        while blank > line_start and self.text[blank - 1] in " \t":
            blank -= 1
        return offset - line_start if blank == line_start else None


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


def prose(raw: str) -> str:
    """Description text as written: blanks inside a line collapsed, line breaks (Markdown) kept.

    A one-line text comes out as `" ".join(raw.split())`; runs of blank lines become one.
    """
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


@dataclass(frozen=True, slots=True)
class _Head:
    summary: str
    description: str
    method: str
    path: str
    version: str | None
    security: tuple[str, ...]
    clause: Clause
    prose_markers: tuple[Clause, ...] = ()


def parse_document(data: bytes | str, file: str) -> EndpointDocument:
    """Parse one endpoint document; raise `DocumentError` with every problem found."""
    text = decode(data, file) if isinstance(data, bytes) else data
    reader = _Reader(file, text)
    if not text.strip():
        raise DocumentError([Problem(Location(file, 1, 1), "empty document")])
    head, body_start = _parse_head(reader)
    starts = [m.start() for m in _SECTION_START.finditer(text, body_start)]
    sections: list[Section] = []
    seen: dict[tuple[str, str | None], int] = {}
    for start, end in _spans(starts, len(text)):
        section = _parse_section(reader, start, end)
        if section is None:
            continue
        key = (section.kind, section.code)
        if key in seen:
            reader.problem(start, f"duplicate section: {section.clause.text!r} (first at column {seen[key]})")
            continue
        seen[key] = reader.location(start).column
        sections.append(section)
    if head is not None:
        _check_path_parameters(reader, head, sections)
    if reader.problems or head is None:
        raise DocumentError(reader.problems)
    return EndpointDocument(
        file=file,
        summary=head.summary,
        description=head.description,
        method=head.method,
        path=head.path,
        version=head.version,
        security=head.security,
        head=head.clause,
        sections=tuple(sections),
        notes=tuple(reader.notes),
        prose_markers=head.prose_markers,
    )


def _spans(starts: list[int], end: int) -> list[tuple[int, int]]:
    """[(start, next start), ..., (last start, end)] for offsets in order."""
    return list(zip(starts, [*starts[1:], end], strict=True)) if starts else []


def _outside(fences: list[tuple[int, int]], offset: int) -> bool:
    return not any(a <= offset < b for a, b in fences)


def _parse_head(reader: _Reader) -> tuple[_Head | None, int]:
    """The head, and where the sections may start (after `Endpoint:`: a `## ` in the prose is Markdown)."""
    text = reader.text
    lead = len(text) - len(text.lstrip())
    if not text.startswith("# ", lead):
        reader.problem(lead, "document must start with '# <summary>. <description>'")
        return None, len(text)
    fences = [(m.start(), m.end()) for m in _FENCE.finditer(text, lead)]
    endpoint_key = _endpoint_key(reader, lead, fences)
    if endpoint_key is None:
        return None, _no_endpoint(reader, lead, fences)
    first_section = _SECTION_START.search(text, endpoint_key)
    end = first_section.start() if first_section else len(text)
    values = _head_values(reader, _head_keys(reader, endpoint_key, end), end)
    checked = len(reader.problems)  # the keys' problems above do not refuse the head; the values' do
    endpoint = _endpoint(reader, *values["Endpoint"])
    if endpoint is None:
        return None, end
    version = _version(reader, values.get("Version"))
    security = _security(reader, values.get("Security"))
    summary, description = _summary(text[lead + 2 : endpoint_key])
    if not summary.strip("."):
        reader.problem(lead, "the head has no summary before 'Endpoint:'")
    if len(reader.problems) > checked:
        return None, end
    # `Security:`, `Version:`, `Endpoint:` in the prose before the real `Endpoint:` are words (code aside)
    prose_words = tuple(
        Clause(reader.location(m.start()), m.group(0).strip())
        for m in _HEAD_KEYS.finditer(text, lead, endpoint_key)
        if _outside(fences, m.start())
    )
    clause = reader.clause(endpoint_key, end)
    return _Head(summary, description.strip(), *endpoint, version, security, clause, prose_words), end


def _endpoint_key(reader: _Reader, lead: int, fences: list[tuple[int, int]]) -> int | None:
    """Where the head's keys start: the `Endpoint:` the export writes, outside code.

    Markdown layout: the first line that starts with `Endpoint:`; prose may mention the word mid-line
    before it. One-line layout: the first `Endpoint:` outside code. In both, the export writes
    `Endpoint: METHOD /path`: an `Endpoint:` followed by anything else is prose.
    """
    candidates = [m.start() for m in _ENDPOINT_KEY.finditer(reader.text, lead) if _outside(fences, m.start())]
    placed = [k for k in candidates if reader.indent(k) is not None] or candidates
    return next((k for k in placed if _ENDPOINT_LINE.match(reader.text, k)), placed[0] if placed else None)


def _no_endpoint(reader: _Reader, lead: int, fences: list[tuple[int, int]]) -> int:
    """Say why no `Endpoint:` was found; where the sections may start."""
    text = reader.text
    unclosed = fences[-1][0] if fences and not text[fences[-1][0] + 3 : fences[-1][1]].endswith("```") else -1
    if unclosed >= 0 and _ENDPOINT_KEY.search(text, unclosed):
        reader.problem(unclosed, "this code fence (```) is never closed, so 'Endpoint:' after it is code")
    else:
        reader.problem(lead, "no 'Endpoint:' in the head (expected 'Endpoint: POST /path')")
    first_section = _SECTION_START.search(text, lead)
    return first_section.start() if first_section else len(text)


def _head_keys(reader: _Reader, endpoint_key: int, end: int) -> dict[str, tuple[int, int]]:
    """Each head key -> (offset of the key, offset of its value)."""
    text = reader.text
    keys: dict[str, tuple[int, int]] = {}
    for m in _HEAD_KEYS.finditer(text, endpoint_key, end):
        key = m.group(1)
        if key in keys and not text[keys[key][1] : m.start()].strip(" \t"):
            # `Version: Version: 3f2a9c1`: the source's own value starts with the key's word; the exporter
            # writes the key before it, so the key appears twice with nothing between. Read what follows.
            reader.note(
                m.start(),
                f"'{key}: {key}:' writes the key twice; the value is read after the second "
                f"(the source's {key.lower()} text itself starts with '{key}:')",
            )
            keys[key] = (keys[key][0], m.end())
        elif reader.multiline and reader.indent(m.start()) is None and m.start() != endpoint_key:
            continue  # the published layout writes each key at the start of its line: mid-line, words
        elif key in keys:
            reader.problem(m.start(), f"'{key}:' given twice in the head")
        else:
            keys[key] = (m.start(), m.end())
    return keys


def _head_values(reader: _Reader, keys: dict[str, tuple[int, int]], end: int) -> dict[str, tuple[str, int]]:
    """Each head key -> (its value, where the value starts): the text up to the next key."""
    text = reader.text
    order = sorted(keys.items(), key=lambda kv: kv[1][0])
    values: dict[str, tuple[str, int]] = {}
    for (key, (_, value_at)), nxt in zip(order, [*order[1:], None], strict=True):
        value_end = nxt[1][0] if nxt else end
        raw = text[value_at:value_end]
        value_start = value_at + len(raw) - len(raw.lstrip()) if raw.strip() else value_at
        newline = reader.line_end(value_start, value_end)
        values[key] = (text[value_start:newline].strip(), value_start)
        rest = text[newline:value_end]
        if rest.strip():  # Markdown layout: the value is its line; text under it is out of place
            reader.problem(
                newline + len(rest) - len(rest.lstrip()),
                f"unexpected text after '{key}:' (expected a key or a '## ' section)",
            )
    return values


def _endpoint(reader: _Reader, endpoint: str, at: int) -> tuple[str, str] | None:
    """METHOD and /path of `Endpoint:` (None when it is not two words: nothing else is checked then)."""
    parts = endpoint.split()
    if len(parts) != 2:
        reader.problem(at, f"'Endpoint:' must be 'METHOD /path', got {endpoint!r}")
        return None
    method, path = parts
    if method not in HTTP_METHODS:
        reader.problem(at, f"unknown HTTP method {method!r} (expected one of {', '.join(HTTP_METHODS)})")
    if not path.startswith("/"):
        reader.problem(at + len(method) + 1, f"endpoint path must start with '/', got {path!r}")
    elif not _PATH.match(path):
        reader.problem(
            at + len(method) + 1,
            f"endpoint path {path!r} is not a path template (braces must pair up around a name, e.g. /x/{{id}})",
        )
    return method, path


def _version(reader: _Reader, value: tuple[str, int] | None) -> str | None:
    if value is None:
        return None
    version, at = value
    if not version or " " in version:
        reader.problem(at, f"'Version:' must be one word, got {version!r}")
    return version


def _security(reader: _Reader, value: tuple[str, int] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    words, at = value
    if not words.replace(",", " ").strip():
        # `Security:` with nothing after it: the source's requirement names no scheme (`security: [{}]`,
        # anonymous access allowed), so the operation is public; kept as a note, not an error. Several
        # such requirements (`security: [{}, {}]`) print as `Security: , `: the same reading.
        reader.note(
            at, "'Security:' names no scheme (the source allows anonymous access); read as no security"
        )
        return ()
    names = [w.strip() for w in words.split(",")]
    if (problem := _security_problem(words, names)) is not None:
        reader.problem(at, problem)
    return tuple(names)


def _security_problem(words: str, names: list[str]) -> str | None:
    if "" in names:
        # `security: [{}, {Bearer: []}]`: anonymous access *or* a scheme (optional credentials);
        # the contract has no way to say "credentials optional", so refuse rather than guess
        return (
            f"'Security:' lists an empty requirement (anonymous access) beside schemes, got {words!r}: "
            "optional credentials cannot be compiled; name the schemes only, or none"
        )
    if not all(_SCHEME_NAME.match(n) for n in names):
        return f"'Security:' must list scheme names separated by commas, got {words!r}"
    if len(names) != len(set(names)):
        return f"'Security:' names a scheme twice: {words!r}"
    if len(names) > 1 and any(n.lower() == "none" for n in names):
        return f"'Security:' cannot be 'none' and name schemes: {words!r}"
    return None


def _summary(raw_prose: str) -> tuple[str, str]:
    """The head's prose before `Endpoint:` as (summary, description)."""
    heading, line_break, below = raw_prose.strip(" \t").partition("\n")
    if line_break and below.strip():  # Markdown layout: the heading line is the summary
        return " ".join(heading.split()), prose(below)
    one_line = " ".join(raw_prose.split())
    end_of_sentence = _SENTENCE_END.search(one_line)
    cut = end_of_sentence.end() if end_of_sentence else len(one_line)
    return one_line[:cut].rstrip(), one_line[cut:]


def _parse_section(reader: _Reader, start: int, end: int) -> Section | None:
    head = _section_head(reader, start, end)
    if head is None:
        return None
    kind, m, media = head
    code = m.group("code") if kind == "response" else None
    bodiless = kind == "response" and media is None
    body_start = m.end()
    if bodiless and reader.text.startswith(":", body_start):
        body_start += 1  # `## Response 204 fields:` says the same as without the colon
    item_starts = _item_starts(reader, body_start, end)
    if bodiless and item_starts:
        reader.problem(
            start, f"response {code} lists fields but names no media type, e.g. '(application/json):'"
        )
    return Section(
        kind=kind,
        clause=reader.clause(start, m.end()),
        status=int(code) if code is not None and code.isdigit() else None,
        media_type=media,
        fields=_fields(reader, kind, _item_level(reader, item_starts, end), end),
        code=code,
    )


def _section_head(
    reader: _Reader, start: int, end: int
) -> tuple[SectionKind, re.Match[str], str | None] | None:
    """The section's kind, its heading's match and its media type (None: none named)."""
    text = reader.text
    found = next(((k, m) for k, pattern in _SECTION_HEADS if (m := pattern.match(text, start, end))), None)
    if found is None:
        words = " ".join(text[start:end].split()[:4])
        reader.problem(start, f"unknown section {words!r} (expected {SECTION_FORMS})")
        return None
    kind, m = found
    media = m.groupdict().get("media")
    if media is None:
        return kind, m, None
    if not _MEDIA.match(media.strip()):
        reader.problem(
            m.start("media"), f"{media.strip()!r} is not a media type (expected e.g. application/json)"
        )
        return None
    return kind, m, media.strip()


def _item_starts(reader: _Reader, body_start: int, end: int) -> list[int]:
    """Where the section's items start; text before the first is out of place."""
    text = reader.text
    item_starts = [i.start() for i in _ITEM_START.finditer(text, body_start, end)]
    if reader.multiline:
        # a description's list line quoting a name (- `open`: ...) is prose: an item has (type) after its name
        for i in [i for i in item_starts if _PROSE_BULLET.match(text, i)]:
            reader.note(
                i, "a line starting like an item but with no (type) after the name; kept as description"
            )
            item_starts.remove(i)
    stray = text[body_start : item_starts[0] if item_starts else end]
    if stray.strip():
        at = body_start + len(stray) - len(stray.lstrip())
        reader.problem(at, "unexpected text: items must look like - `name` (type[, required]) description")
    return item_starts


def _fields(reader: _Reader, kind: SectionKind, starts: list[int], end: int) -> tuple[Field, ...]:
    """The section's items in order, each placed under its parent."""
    by_name: dict[str, Field] = {}
    stack: list[tuple[int, str]] = []  # (indent, name) of the items above, Markdown layout only
    for item_start, item_end in _spans(starts, end):
        parsed = _parse_item(reader, item_start, item_end)
        if parsed is None:
            continue
        name = _nested_name(stack, reader.indent(item_start), parsed.name)
        if name in by_name:
            first = by_name[name].clause.location
            reader.problem(item_start + 3, f"duplicate field `{name}` (first at {first.line}:{first.column})")
            continue
        segments = _segments(reader, kind, name, by_name, item_start + 3)
        if segments is not None:
            # `segments` is stored only where it differs from the dotted name
            by_name[name] = replace(
                parsed, name=name, segments=segments if len(segments) != name.count(".") + 1 else ()
            )
    return tuple(by_name.values())


def _nested_name(stack: list[tuple[int, str]], indent: int | None, name: str) -> str:
    """Markdown layout: an item indented under an object or array item with its own short name is
    taken relative to it. `stack` holds the (indent, name) of the items above and is updated."""
    if indent is None:
        return name
    while stack and stack[-1][0] >= indent:
        stack.pop()
    if stack and not name.startswith(stack[-1][1] + "."):
        name = f"{stack[-1][1]}.{name}"
    stack.append((indent, name))
    return name


def _segments(
    reader: _Reader, kind: SectionKind, name: str, by_name: dict[str, Field], at: int
) -> tuple[str, ...] | None:
    """The path from the top of the section to the field; None when it has no parent that can hold it."""
    parent_name, _, leaf = name.rpartition(".")
    parent = by_name.get(parent_name)
    if not parent_name or (parent is None and kind in PARAMETER_KINDS):
        return (name,)  # a parameter named with a dot and no documented parent, e.g. `created.gte`
    if parent is None:
        reader.problem(at, f"`{name}`: no field `{parent_name}` is documented before it")
        return None
    if not {"object", "array", "any"} & set(parent.types):
        reader.problem(
            at,
            f"`{name}`: its parent `{parent.name}` is {'/'.join(parent.types)}, only object and array fields have fields",
        )
        return None
    return (*parent.path, leaf)


def _item_level(reader: _Reader, starts: list[int], end: int) -> list[int]:
    """Drop item-looking lines that are description (Markdown layout): indented under an item that
    cannot have fields (`(any)`, `(string)`), e.g. a sketch of the shape an `(any)` field takes."""
    kept: list[tuple[int, int | None, bool]] = []  # (start, indent, can have fields)
    for start, nxt in _spans(starts, end):
        indent = reader.indent(start)
        if (
            kept
            and indent is not None
            and kept[-1][1] is not None
            and indent > kept[-1][1]
            and not kept[-1][2]
        ):
            reader.note(
                start,
                "an item-looking line indented under a field that has no fields; kept as its description",
            )
            continue
        m = _ITEM.match(reader.text, start, nxt)
        words = {w.strip() for w in m.group("spec").split(",")} if m else set()
        kept.append((start, indent, bool({"object", "array"} & words)))
    return [k[0] for k in kept]


def _check_path_parameters(reader: _Reader, head: _Head, sections: list[Section]) -> None:
    """A documented path parameter must appear in the path template (the reverse is a gap, not an error)."""
    names = set(_TEMPLATE.findall(head.path))
    for section in sections:
        if section.kind != "path":
            continue
        for f in section.fields:
            if f.parent is None and f.name not in names:
                where = f.clause.location
                reader.problems.append(
                    Problem(
                        where,
                        f"path parameter `{f.name}` is not in the path {head.path!r} "
                        f"(expected {{{f.name}}} in it)",
                    )
                )


def _parse_item(reader: _Reader, start: int, end: int) -> Field | None:
    text = reader.text
    m = _ITEM.match(text, start, end)
    if not m:
        if "`" not in text[start + 3 : reader.line_end(start, end)]:
            reader.problem(start + 2, "the backtick opening the item's name is never closed on its line")
        else:
            reader.problem(start, "item does not follow - `name` (type[, required]) description")
        return None
    name = m.group("name")
    if not _NAME.match(name):
        reader.problem(m.start("name"), f"invalid field name `{name}`")
        return None
    types, required, ok = _type_spec(reader, m.start("spec"), m.group("spec"), name)
    tail = _parse_tail(reader, m.start("rest"), m.end("rest"), name, types)
    if tail is None or not ok:
        return None
    description, examples, enum, defaults, words = tail
    return Field(
        name=name,
        types=tuple(types),
        required=required,
        description=description,
        clause=reader.clause(start + 2, end),
        examples=examples,
        enum=enum,
        defaults=defaults,
        prose_markers=words,
    )


def _type_spec(reader: _Reader, at: int, spec: str, name: str) -> tuple[list[str], bool, bool]:
    """`(string,null, required)` → (types, required, ok); every wrong word is reported. The types read
    so far are kept when one is wrong: the markers' values are still checked against them."""
    types: list[str] = []
    required = False
    ok = True
    offset = at
    for token in spec.split(","):
        word = token.strip()
        if word == "required":
            required = True
        elif word not in TYPE_WORDS:
            reader.problem(
                offset + len(token) - len(token.lstrip()),
                f"unknown type word {word!r} for `{name}` (expected one of {', '.join(TYPE_WORDS)})",
            )
            ok = False
        elif word not in types:  # `(string,null,string,null)`: a merged nullable $ref repeats its words
            types.append(word)
        offset += len(token) + 1
    if not ok:
        return types, required, False
    if not types:
        reader.problem(at, f"`{name}` has no type (expected e.g. (string) or (string, required))")
        return types, required, False
    if types == ["any", "null"]:
        # `(any,null)`: a schema with no type that the source also marks nullable; `any` already
        # admits null, so this is `(any)` (the exporter prints the nullable flag as a type word)
        return ["any"], required, True
    if "any" in types and len(types) > 1:
        reader.problem(at, f"`{name}`: 'any' already allows every type, it takes no other")
        return types, required, False
    return types, required, True


def _parse_tail(
    reader: _Reader, start: int, end: int, name: str, types: list[str]
) -> tuple[str, tuple[Any, ...], tuple[Any, ...] | None, tuple[Any, ...], tuple[Clause, ...]] | None:
    """Split `description [Example: JSON] [Enum: JSON, ...] [Default: JSON]` (markers in any order).

    One-line layout: the first marker ends the description; after it only markers may follow. Published
    layout: see `_marker_block`; marker words before the block are words of the description.
    """
    text = reader.text
    if reader.multiline:
        cut, words = _marker_block(reader, start, end)
    else:
        first = _MARKER.search(text, start, end)
        cut, words = (first.start() if first else end), ()
    values: dict[str, tuple[Any, ...]] = {}
    pos = cut
    while (pos := _skip_space(text, pos, end)) < end:
        marker = _MARKER.match(text, pos, end)
        if not marker:
            reader.problem(pos, f"unexpected text after the Example/Enum/Default of `{name}`")
            return None
        if marker.group(1) in values:
            reader.problem(pos, f"`{name}` has two '{marker.group(1)}:' parts")
            return None
        found = _marker_values(
            reader, marker.group(1), _skip_space(text, marker.end(), end), end, name, types
        )
        if found is None:
            return None
        values[marker.group(1)], pos = found
    return (
        prose(text[start:cut]),
        values.get("Example", ()),
        values.get("Enum"),
        values.get("Default", ()),
        words,
    )


# What each marker's value is called in a message, which values it admits, and whether it is a list.
_MARKER_VALUES: dict[str, tuple[str, Callable[[Any, list[str]], bool], bool]] = {
    "Example": ("Example", lambda value, types: True, False),
    "Enum": ("Enum value", lambda value, types: _matches_enum(value, types), True),
    "Default": ("Default", lambda value, types: _matches_types(value, types), False),
}


def _marker_values(
    reader: _Reader, key: str, pos: int, end: int, name: str, types: list[str]
) -> tuple[tuple[Any, ...], int] | None:
    """The JSON value(s) of one marker starting at `pos`, and where they end; None after a problem."""
    what, admits, is_list = _MARKER_VALUES[key]
    values = []
    while True:
        value, pos = _decode_json(reader, pos, end, f"{what} of `{name}`")
        if pos < 0:
            return None
        if not admits(value, types):
            reader.problem(pos - 1, f"{what} {json.dumps(value)} of `{name}` is not {'/'.join(types)}")
            return None
        values.append(value)
        after = _skip_space(reader.text, pos, end)
        if not is_list or after >= end or reader.text[after] != ",":
            return tuple(values), after
        pos = _skip_space(reader.text, after + 1, end)


def _marker_block(reader: _Reader, start: int, end: int) -> tuple[int, tuple[Clause, ...]]:
    """Published layout: where an item's markers begin, and the marker words before that (prose).

    The export writes the description, then each marker once on a line of its own, its value JSON: the
    markers are the trailing lines that read wholly as markers, no key twice. The item line's tail may
    hold markers too (a document mixing the layouts): from the first marker word after which the rest
    of that line reads wholly as markers. Any other `Example:`/`Enum:`/`Default:` is a word of the text.
    """
    text = reader.text
    cut = end
    seen: set[str] = set()
    line_starts = [start, *(i + 1 for i, ch in enumerate(text[start:end], start) if ch == "\n")]
    for line_start in reversed(line_starts):
        line_end = reader.line_end(line_start, end)
        first = _skip_space(text, line_start, line_end)
        if first >= line_end:
            continue
        places = [first]
        if line_start == start:
            places += [m.start() for m in _MARKER.finditer(text, first + 1, line_end)]
        found = None
        for place in places:
            keys = _markers_only(text, place, line_end)
            if keys is not None and not keys & seen:
                found, seen = place, seen | keys
                break
        if found is None:
            break
        cut = found
        if found != first:
            break
    words = tuple(Clause(reader.location(m.start()), m.group(0)) for m in _MARKER.finditer(text, start, cut))
    return cut, words


def _markers_only(text: str, pos: int, end: int) -> set[str] | None:
    """The marker keys when text[pos:end] is nothing but markers with JSON values, each key once; else None."""
    keys: set[str] = set()
    while (pos := _skip_space(text, pos, end)) < end:
        marker = _MARKER.match(text, pos, end)
        if marker is None or marker.group(1) in keys:
            return None
        keys.add(marker.group(1))
        pos = marker.end()
        while True:
            pos = _skip_space(text, pos, end)
            try:
                _, stop = _JSON.raw_decode(text[pos:end])
            except json.JSONDecodeError:
                return None
            pos = _skip_space(text, pos + stop, end)
            if marker.group(1) != "Enum" or pos >= end or text[pos] != ",":
                break
            pos += 1
    return keys or None


def _decode_json(reader: _Reader, pos: int, end: int, what: str) -> tuple[Any, int]:
    try:  # decode the value's own span: slicing from the start of the text would be quadratic
        value, stop = _JSON.raw_decode(reader.text[pos:end])
    except json.JSONDecodeError as exc:
        reader.problem(pos + exc.pos, f"{what} is not JSON: {exc.msg}")
        return None, -1
    return value, pos + stop


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _matches_types(value: Any, types: list[str] | tuple[str, ...]) -> bool:
    kind = json_type(value)
    return "any" in types or kind in types or (kind == "integer" and "number" in types)


def _matches_enum(value: Any, types: list[str] | tuple[str, ...]) -> bool:
    """An enum on an array constrains its items: any scalar is then allowed (the compiler types the items).
    `null` closing an Enum is how the export prints a nullable enum whose type words omit null (the
    compiler allows null and says so)."""
    if value is None or ("array" in types and not isinstance(value, dict | list)):
        return True
    return _matches_types(value, types)
