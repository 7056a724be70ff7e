"""Boundaries and near misses: the inputs real implementations break on, each judged by its basis.

Numbers get edge values (0, -1, the documented bounds ± 1, 2^31, 2^53, a huge one): refused where the
document bounds them (`minimum`, `maximum`, `exclusive…`), otherwise only never a 5xx; optional query
parameters are sent with valid values; enum members get near misses (another letter case, a prefix, a
suffix, the empty string, padded with spaces), refused like any value outside the enum; fields the server
assigns are sent on create, twice; numbers out of range in a path segment never cause a 5xx.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator

from fcvalidate.checks.outcome import nothing_more, refusal
from fcvalidate.contract.operation import GAP_REQUEST_BODY, Operation, Parameter
from fcvalidate.engine.data import OperationValues
from fcvalidate.engine.generate import example_value, parameter_pairs
from fcvalidate.engine.probes.derive import derived
from fcvalidate.engine.probes.parts import RequestParts
from fcvalidate.engine.probes.registry import ProbeInput, ProbeKind, register
from fcvalidate.engine.probes.valid import success
from fcvalidate.exchange import Case, Defect, Expect, Source, dump_json, source_of
from fcvalidate.jsonpath import json_path, replaced, without_extensions
from fcvalidate.requirements import RequirementId as R

BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
EDGE_NUMBERS: tuple[tuple[str, int], ...] = (
    ("0", 0),
    ("-1", -1),
    ("2^31", 2**31),
    ("2^53 + 1", 2**53 + 1),
    ("10^30", 10**30),
)
# A path segment naming no resource: a read may be sent any of them; a write (DELETE, PUT, PATCH) only
# values no resource can have (#20: a run changes only what it was given): -1 and 10^30.
PATH_NUMBERS = ("0", "-1", "99999", str(2**31), str(10**30))
WRITE_PATH_NUMBERS = ("-1", str(10**30))
ENUM_NEAR_MISSES = ("case", "prefix", "suffix", "empty", "padded")
ASSIGNED_ID = {"integer": 770001234, "number": 770001234, "string": "fcvalidate-assigned-id"}
ASSIGNED_TIME = "2001-02-03T04:05:06Z"
_TIME_WORDS = ("createdat", "updatedat", "modifiedat", "deletedat", "created", "updated", "modified")


def _types(schema: Mapping[str, Any]) -> set[str]:
    kind = schema.get("type")
    return {kind} if isinstance(kind, str) else set(kind or ())


def _is_numeric(schema: Mapping[str, Any]) -> bool:
    return bool(_types(schema) & {"integer", "number"}) and not {"enum", "const"} & schema.keys()


def edge_numbers(schema: Mapping[str, Any]) -> list[tuple[str, int | float, bool]]:
    """(title, value, within the document's bounds) for a numeric schema: the edge values its other
    keywords (`multipleOf`, `type`) allow, with each bound and its neighbours beyond."""
    plain = without_extensions(schema)
    unbounded = Draft202012Validator({k: v for k, v in plain.items() if k not in BOUNDS})
    bounded = Draft202012Validator(plain)
    candidates: list[tuple[str, int | float]] = list(EDGE_NUMBERS)
    for key, steps in (
        ("minimum", (-1, 0)),
        ("maximum", (0, 1)),
        ("exclusiveMinimum", (0, 1)),
        ("exclusiveMaximum", (-1, 0)),
    ):
        bound = plain.get(key)
        if isinstance(bound, int | float) and not isinstance(bound, bool):
            for step in steps:
                sign = f" {'+' if step > 0 else '-'} 1" if step else ""
                candidates.append((f"its {key} {bound}{sign}", bound + step))
    out: list[tuple[str, int | float, bool]] = []
    seen: set[int | float] = set()
    for title, value in candidates:
        if value in seen or not unbounded.is_valid(value):
            continue
        seen.add(value)
        out.append((title, value, bounded.is_valid(value)))
    return out


def _numeric_spots(
    body: Any, schema: Mapping[str, Any], path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Mapping[str, Any]]]:
    """(path, schema) of every number in a valid body whose schema says integer/number (one array item
    stands for all)."""
    if path and isinstance(body, int | float) and not isinstance(body, bool) and _is_numeric(schema):
        yield path, schema
    elif isinstance(body, dict):
        properties = schema.get("properties") or {}
        for name, value in body.items():
            if isinstance(properties.get(name), Mapping):
                yield from _numeric_spots(value, properties[name], (*path, name))
    elif isinstance(body, list) and body and isinstance(schema.get("items"), Mapping):
        yield from _numeric_spots(body[0], schema["items"], (*path, 0))


def _enum_spots(
    body: Any, schema: Mapping[str, Any], path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Mapping[str, Any]]]:
    if path and isinstance(body, str) and _string_enum(schema):
        yield path, schema
    elif isinstance(body, dict):
        properties = schema.get("properties") or {}
        for name, value in body.items():
            if isinstance(properties.get(name), Mapping):
                yield from _enum_spots(value, properties[name], (*path, name))
    elif isinstance(body, list) and body and isinstance(schema.get("items"), Mapping):
        yield from _enum_spots(body[0], schema["items"], (*path, 0))


def _string_enum(schema: Mapping[str, Any]) -> list[str]:
    enum = schema.get("enum")
    if not isinstance(enum, list) or not enum or not all(isinstance(v, str) for v in enum):
        return []
    return enum


def near_misses(member: str, enum: list[str], in_query: bool = False) -> list[tuple[str, str, str]]:
    """(which, value, title) for a member: values that only look like it, none of them a member. The empty
    string is left out in a query, where `name=` is commonly read as the parameter not given."""
    changed = member.lower() if member != member.lower() else member.upper()
    variants = {
        "case": (changed, f"{member!r} in another letter case"),
        "prefix": (member[:-1], f"a prefix of {member!r}"),
        "suffix": (member + "X", f"{member!r} with a suffix"),
        "empty": ("", "the empty string"),
        "padded": (f" {member} ", f"{member!r} padded with spaces"),
    }
    out = []
    for which in ENUM_NEAR_MISSES:
        value, title = variants[which]
        if value in enum or (which == "prefix" and not value) or (which == "empty" and in_query):
            continue
        out.append((which, value, title))
    return out


def _pinned(path: tuple[str | int, ...], values: OperationValues) -> bool:
    names = {tuple(name.split(".")) for name in values.fields}
    named = tuple(p for p in path if isinstance(p, str))
    return any(named[: len(n)] == n for n in names)


def boundary_cases(op: Operation, ref: Case, values: OperationValues, parts: RequestParts) -> list[Case]:
    """Edge numbers, enum near misses, optional parameters, server-assigned fields and path numbers."""
    out = _Cases(op, ref)
    _query_values(out, values)
    _body_values(out, values)
    _optional_parameters(out, values)
    _path_numbers(out, parts)
    return out.cases


class _Cases:
    """The cases built so far, numbered per case kind, each derived from the valid request `ref`."""

    def __init__(self, op: Operation, ref: Case) -> None:
        self.op, self.ref = op, ref
        self.cases: list[Case] = []
        self.counter: dict[str, int] = {}

    def add(self, kind: str, requirement: R, title: str, expect: Expect, source: Source, **kw: Any) -> None:
        n = self.counter[kind] = self.counter.get(kind, -1) + 1
        self.cases.append(
            derived(self.op, self.ref, requirement, kind, n, title, expect=expect, source=source, **kw)
        )

    def numbers(
        self, where: str, name: str, schema: Mapping[str, Any], source: Source, request: Make
    ) -> None:
        """Edge values of a number: within its bounds, never a 5xx; beyond them, refused."""
        for title, value, inside in edge_numbers(schema):
            if inside:
                self.add(
                    "boundary",
                    R.NO_SERVER_ERRORS,
                    f"{name} = {value} ({title})",
                    _NO_5XX,
                    source,
                    **request(value),
                )
                continue
            defect = Defect("out-of-range", where, f"{name} is {value}, outside its bounds ({title})")
            self.add(
                "out-of-range",
                R.INVALID_REQUESTS,
                defect.description,
                _REFUSED,
                source,
                defect=defect,
                **request(value),
            )

    def misses(
        self,
        where: str,
        name: str,
        enum: list[str],
        member: str,
        source: Source,
        in_query: bool,
        request: Make,
    ) -> None:
        """Near misses of an enum member, each refused like any value outside the enum."""
        for which, value, title in near_misses(member, enum, in_query):
            kind: Any = "enum-normalised" if which in ("case", "padded") else "not-in-enum"
            defect = Defect(kind, where, f"{name} is {value!r}, {title}: outside its enum")
            self.add(
                "near-miss",
                R.INVALID_REQUESTS,
                defect.description,
                _REFUSED,
                source,
                defect=defect,
                **request(value),
            )


Make = Callable[[Any], dict[str, Any]]  # a value → the request that sends it


def _query_values(out: _Cases, values: OperationValues) -> None:
    """Query parameters: numbers and enum members, one at a time, in the valid request."""
    ref = out.ref
    for p in out.op.in_("query"):
        if p.media_type is not None or p.name in values.parameters:
            continue
        where = f"request.query.{p.name}"
        items = p.schema.get("items") if p.schema.get("type") == "array" else None
        if _is_numeric(p.schema):
            out.numbers(where, p.name, p.schema, p.source, _query_with(ref, p, listed=False))
        enum = _string_enum(items if isinstance(items, Mapping) else p.schema)
        if enum:  # an array of enum members: the near miss as its one item
            request = _query_with(ref, p, listed=items is not None)
            out.misses(where, p.name, enum, enum[0], p.source, True, request)


def _query_with(ref: Case, p: Parameter, listed: bool) -> Make:
    def request(value: Any) -> dict[str, Any]:
        pairs = tuple(pair for pair in ref.query if pair[0] != p.name)
        sent = [value] if listed else value
        return {"query": pairs + tuple(parameter_pairs(p.name, sent, None, p.explode))}

    return request


def _body_values(out: _Cases, values: OperationValues) -> None:
    """Body fields: numbers and enum members of the valid body, one field at a time; and a create
    sending the fields the server assigns, twice."""
    op, ref = out.op, out.ref
    body = ref.json_body
    if not isinstance(body, dict) or GAP_REQUEST_BODY in op.gaps or ref.body is None:
        return
    schema = op.request_schema or {}

    def body_with(at: tuple[str | int, ...]) -> Make:
        return lambda v: {"body": dump_json(replaced(body, at, v))}

    for path, node in _numeric_spots(body, schema):
        if not _pinned(path, values):
            out.numbers(
                f"request.body.{json_path(path)}", json_path(path), node, _source(node, op), body_with(path)
            )
    for path, node in _enum_spots(body, schema):
        if not _pinned(path, values):
            where, member = f"request.body.{json_path(path)}", _value_at(body, path)
            out.misses(
                where, json_path(path), _string_enum(node), member, _source(node, op), False, body_with(path)
            )
    for title, assigned in _assigned(op, body):
        for n in (1, 2):  # the second create names what the first may have stored
            title_n = f"a create sending {title} the server assigns (request {n} of 2)"
            out.add(
                "assigned",
                R.NO_SERVER_ERRORS,
                title_n,
                _NO_5XX,
                op.request_source,
                body=dump_json(assigned),
            )


def _optional_parameters(out: _Cases, values: OperationValues) -> None:
    """Optional query parameters the valid requests leave out, each with a plain valid value."""
    op, ref = out.op, out.ref
    optional = _optional_values(op, ref, values)
    if not optional or op.method == "DELETE":
        return
    pairs = tuple(pair for name, value in optional.items() for pair in parameter_pairs(name, value))
    out.add(
        "optional-parameters",
        R.VALID_REQUESTS,
        f"a valid request with its optional parameters ({', '.join(optional)})",
        Expect("success"),
        op.source,
        query=ref.query + pairs,
    )


def _path_numbers(out: _Cases, parts: RequestParts) -> None:
    """Numbers out of range in a path segment: never a 5xx (they may never reach the operation: sole)."""
    op = out.op
    for p in op.in_("path"):
        current = parts.path_values.get(p.name, "")
        if not (_is_numeric(p.schema) or (_types(p.schema) <= {"string"} and current.isdigit())):
            continue
        for value in WRITE_PATH_NUMBERS if op.method not in ("GET", "HEAD", "OPTIONS") else PATH_NUMBERS:
            out.add(
                "path-number",
                R.NO_SERVER_ERRORS,
                f"{p.name} = {value}, a number no resource has",
                Expect("no-server-error", sole=True),
                p.source,
                path=parts.path(op, {p.name: value}),
            )


_NO_5XX = Expect("no-server-error")
_REFUSED = Expect("rejected")


def _value_at(body: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        body = body[step]
    return body


def _source(node: Mapping[str, Any], op: Operation) -> Source:
    found = source_of(node)
    return found if found.at else op.request_source


def _assigned(op: Operation, body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """A create's body plus the fields its answer documents and its request does not: an `id` and
    timestamps (`createdAt`, `format: date-time` fields) are the server's to assign."""
    if op.method != "POST" or op.in_("path"):
        return []
    sent = set((op.request_schema or {}).get("properties") or {})
    fields: dict[str, Any] = {}
    for name, node in _answered_fields(op):
        value = _assigned_value(name, node) if name not in sent and name not in fields else None
        if value is not None:
            fields[name] = value
    if not fields:
        return []
    names = ", ".join(sorted(fields))
    return [(names, {**body, **fields})]


def _answered_fields(op: Operation) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for status in op.success_statuses:
        for name, node in ((op.responses[status].schema or {}).get("properties") or {}).items():
            if isinstance(node, Mapping):
                yield name, node


def _assigned_value(name: str, node: Mapping[str, Any]) -> Any:
    """A value for a response field the server assigns: an `id`, a timestamp; None for any other."""
    kinds = _types(node)
    if name.lower() == "id":
        return ASSIGNED_ID[next((k for k in ("integer", "number", "string") if k in kinds), "string")]
    if "string" in kinds and (node.get("format") == "date-time" or _timestamp_name(name)):
        return ASSIGNED_TIME
    return None


def _timestamp_name(name: str) -> bool:
    """`createdAt`, `updated_at`, `lastModifiedTimestamp`, `created`: a name a timestamp goes by."""
    return name.lower() in _TIME_WORDS or name.endswith(("At", "_at", "Timestamp", "_timestamp"))


def _optional_values(op: Operation, ref: Case, values: OperationValues) -> dict[str, Any]:
    """Optional query parameters the valid request does not send and whose value is plain: a number
    (within its bounds), a boolean, an enum member (or array of them); a free string may have a form
    the document does not state (a cursor), so it is sent only with a documented example or default."""
    sent = {name for name, _ in ref.query}
    out: dict[str, Any] = {}
    for p in op.in_("query"):
        if p.required or p.name in sent or p.name in values.parameters or p.media_type is not None:
            continue
        value = _plain_value(p)
        if value is not None:
            out[p.name] = value
    return out


def _plain_value(p: Parameter) -> Any:
    """The example; else an enum member (in an array for an array of them); else, for a parameter with a
    default, an enum, or a number or boolean type, the schema's own plain valid value; else None."""
    schema = p.schema
    items = schema.get("items") if schema.get("type") == "array" else None
    if p.example is not None:
        return p.example
    if isinstance(items, Mapping) and _string_enum(items):
        return [_string_enum(items)[0]]
    if not ("default" in schema or schema.get("enum") or _types(schema) & {"integer", "number", "boolean"}):
        return None
    value = example_value(schema)
    valid = Draft202012Validator(without_extensions(schema)).is_valid(value)
    return value if valid and not isinstance(value, dict | list) else None


def _free_text_spots(
    body: Any, schema: Mapping[str, Any], path: tuple[str | int, ...] = ()
) -> Iterator[tuple[str | int, ...]]:
    """Paths of the text fields of a valid body whose schema lets them be empty (no minLength, pattern,
    enum, const or format): one array item stands for all."""
    if path and isinstance(body, str) and body:
        if "string" in _types(schema) and not schema.get("minLength") and not _TEXT_RULES & schema.keys():
            yield path
    elif isinstance(body, dict):
        properties = schema.get("properties") or {}
        for name, value in body.items():
            if isinstance(properties.get(name), Mapping):
                yield from _free_text_spots(value, properties[name], (*path, name))
    elif isinstance(body, list) and body and isinstance(schema.get("items"), Mapping):
        yield from _free_text_spots(body[0], schema["items"], (*path, 0))


_TEXT_RULES = frozenset({"pattern", "enum", "const", "format"})


def empty_text_cases(op: Operation, ref: Case, values: OperationValues) -> list[Case]:
    """The valid body with every text field its schema lets be empty sent empty (""): the document allows
    it, so whatever the business rules make of it, never a 5xx."""
    body = ref.json_body
    if not isinstance(body, dict) or GAP_REQUEST_BODY in op.gaps or ref.body is None:
        return []
    spots = [p for p in _free_text_spots(body, op.request_schema or {}) if not _pinned(p, values)]
    if not spots:
        return []
    emptied = body
    for path in spots:
        emptied = replaced(emptied, path, "")
    names = ", ".join(json_path(p) for p in spots)
    return [
        derived(
            op,
            ref,
            R.NO_SERVER_ERRORS,
            "boundary",
            900,
            f"the text fields the schema lets be empty sent empty ({names})",
            expect=_NO_5XX,
            source=op.request_source,
            body=dump_json(emptied),
        )
    ]


def _build(given: ProbeInput) -> list[Case]:
    cases = boundary_cases(given.op, given.ref, given.values, given.parts)
    return cases + empty_text_cases(given.op, given.ref, given.values)


# an optional parameter sent with a valid value is a valid request, judged as one
BOUNDARIES = register(
    ProbeKind(
        "boundaries",
        {
            "boundary": nothing_more,
            "out-of-range": refusal(against_baseline=True),
            "near-miss": refusal(against_baseline=True),
            "assigned": nothing_more,
            "path-number": nothing_more,
            "optional-parameters": success,
        },
        _build,
        order=40,
    )
)
