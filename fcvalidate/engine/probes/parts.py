"""The inputs of one operation's requests, worked out once, and what every probe kind shares: path,
query and cookie values (`request_parts`), documented headers, a fresh identifier per request, the order
operations run in and the resources a run created.
"""

from __future__ import annotations

import dataclasses
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fcvalidate.contract.operation import Operation, Parameter
from fcvalidate.engine.data import OperationValues
from fcvalidate.engine.generate import (
    example_value,
    is_json_media,
    parameter_pairs,
    sample_body,
    scalar_text,
    unknown_value,
)
from fcvalidate.engine.transport import expand_path
from fcvalidate.exchange import BEARER, Case, Credential, dump_json

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})  # RFC 9110 §9.2.1: read-only by definition
UNKNOWN_PATH_VALUE = "fcvalidate-no-such-resource"  # where the schema gives no form to vary
NIL_UUID = "00000000-0000-4000-8000-0000000fc404"


def changes_state(op: Operation) -> bool:
    """A request that may change the implementation's data: any method but the safe ones."""
    return op.method not in SAFE_METHODS


def changes_resource(op: Operation) -> bool:
    """A request that changes or deletes the existing resource its path names (PUT, PATCH, DELETE, a POST
    action on /orders/{id}/cancel): it may only name resources the run was given or created itself."""
    return changes_state(op) and bool(op.in_("path"))


def untargeted_reason(op: Operation, parts: RequestParts) -> str:
    names = ", ".join(parts.untargeted)
    return (
        f"not tested: {op.label} changes the resource its path names, and no {names} was given for it: "
        f'give one under `operations: {{"{op.label}": {{{parts.untargeted[0]}: …}}}}` in the data file '
        "(a resource the implementation may change), or let a POST on its collection create one "
        "(fcvalidate never changes a documented example or another operation's resource)"
    )


@dataclass(frozen=True, slots=True)
class RequestParts:
    """The non-body inputs of the valid requests of one operation, worked out once."""

    path_values: dict[str, str] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)  # name → value (not yet text)
    cookies: dict[str, str] = field(default_factory=dict)
    credential: Credential = BEARER
    auth: Any = "valid"
    path_known: frozenset[str] = frozenset()  # path parameters named by a known or a created value
    # path parameters of a request that changes the resource it names, with no value it may use (neither
    # the operation's own data-file entry nor a resource the run created): they name nothing instead
    untargeted: tuple[str, ...] = ()
    path_given: frozenset[str] = frozenset()  # path parameters whose value the data file gave

    def path(self, op: Operation, changes: Mapping[str, str] | None = None) -> str:
        return expand_path(op.path, {**self.path_values, **(changes or {})})

    def query_pairs(
        self, op: Operation, values: Mapping[str, Any] | None = None
    ) -> tuple[tuple[str, str], ...]:
        params = {p.name: p for p in op.in_("query")}
        out: list[tuple[str, str]] = []
        for name, value in (self.query if values is None else values).items():
            p = params.get(name)
            out.extend(parameter_pairs(name, value, p.media_type if p else None, p.explode if p else True))
        return tuple(out)


def request_parts(
    op: Operation,
    values: OperationValues,
    created: Mapping[str, Any] | None = None,
    credential: Credential | None = BEARER,
) -> RequestParts:
    """Path parameters: the known value, else one the API created, else the documented example, else a
    generated one; for a request that changes or deletes what its path names, only the operation's own
    data-file value or a created one, else a value that names nothing (`untargeted`). Query parameters and
    cookies: every required one (known value, example, default, else generated) and every optional one
    the data file gives."""
    created = created or {}
    changing = changes_resource(op)
    # a change never names a documented example or another operation's value: fcvalidate changes only
    # what it was given for this operation, or what the run itself created
    given = values.own_parameters if changing else values.parameters
    path_values, untargeted = _path_values(op, given, created, changing)
    path_given = frozenset(p.name for p in op.in_("path") if p.name in given)
    path_known = path_given | frozenset(p.name for p in op.in_("path") if p.name in created)
    query, cookies = _query_and_cookies(op, values.parameters)
    auth = "none" if credential is None else "valid"
    return RequestParts(
        path_values, query, cookies, credential or BEARER, auth, path_known, untargeted, path_given
    )


def _path_values(
    op: Operation, given: Mapping[str, Any], created: Mapping[str, Any], changing: bool
) -> tuple[dict[str, str], tuple[str, ...]]:
    """Each path parameter's value, and those that name nothing (a change with no value it may use)."""
    values: dict[str, str] = {}
    untargeted: list[str] = []
    for p in op.in_("path"):
        value = given.get(p.name, created.get(p.name))
        if value is None and changing:
            untargeted.append(p.name)
            value = names_nothing(p, p.example)
        elif value is None:
            value = p.example if p.example is not None else example_value(p.schema)
        values[p.name] = scalar_text(value)
    return values, tuple(untargeted)


def _query_and_cookies(op: Operation, known: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Every required query parameter and cookie, and every optional one with a known value: the known
    value, else the example, else one generated."""
    query: dict[str, Any] = {}
    cookies: dict[str, str] = {}
    for p in op.parameters:
        if p.location not in ("query", "cookie") or not (p.required or p.name in known):
            continue
        value = known.get(p.name, p.example)
        if value is None:
            value = example_value(p.schema)
        if p.location == "query":
            query[p.name] = value
        else:
            cookies[p.name] = scalar_text(value)
    return query, cookies


def default_headers(op: Operation, values: OperationValues) -> dict[str, str]:
    """Every documented header (an optional conditional `If-…` one only with a known value): known value,
    else the documented example, else its enum's first value or its default, else a plain value."""
    pinned = values.headers
    out = {}
    for h in op.headers:
        if h.name not in pinned and not h.required and h.name.lower().startswith("if-"):
            continue  # a conditional request may rightly be answered 304 or 412: send it only when asked
        if h.name in pinned:
            out[h.name] = pinned[h.name]
        elif is_request_identifier(h):
            out[h.name] = fresh_like(h.example, uuid.uuid5(uuid.NAMESPACE_URL, h.name))  # each case: its own
        elif h.example is not None:
            out[h.name] = str(h.example)
        elif h.schema.get("enum") or "default" in h.schema:
            out[h.name] = scalar_text(example_value(h.schema))
        else:
            out[h.name] = f"fcvalidate-{h.name.lower()}"
    return out


_PER_REQUEST = re.compile(r"request|correlation|conversation|trace|message|idempotency", re.IGNORECASE)


def is_request_identifier(h: Parameter) -> bool:
    """A header that identifies one request (`X-Request-ID`, `X-Correlation-ID`, `Idempotency-Key`…),
    documented as free text: a client sends each request its own value (`fresh_like` its example)."""
    if h.schema.get("enum") or "default" in h.schema or h.schema.get("type", "string") != "string":
        return False
    if {"pattern", "format"} & h.schema.keys() and h.schema.get("format") != "uuid":
        return False
    name = h.name.lower()
    return bool(_PER_REQUEST.search(name)) and (name.endswith("id") or "idempotency" in name)


def fresh_like(example: Any, fresh: uuid.UUID) -> str:
    """A new value in the example's form: a UUID for a UUID (or no example); else its digits, and its
    hex letters when it is all hex, drawn from `fresh`; other characters kept (`REQ-12345` → `REQ-40917`);
    one with nothing to vary gets a suffix."""
    if example is None or _is_uuid(example):
        return str(fresh)
    text, pool = str(example), iter(fresh.hex * (len(str(example)) // 32 + 1))
    hexadecimal = all(c in "0123456789abcdefABCDEF" for c in text) and not text.isdigit()
    upper = text == text.upper()
    out = []
    for c in text:
        drawn = next(pool)
        if hexadecimal:
            out.append(drawn.upper() if upper else drawn)
        elif c.isdigit():
            out.append(str(int(drawn, 16) % 10))
        else:
            out.append(c)
    new = "".join(out)
    return new if new != text else f"{text}-{fresh.hex[:8]}"  # nothing to vary in its form: a suffix


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


FRESH_BODY_KINDS = (
    "valid",
    "header-case",
    "foreign",
    "credential-case",
    "optional-parameters",
)  # cases an implementation must take as new requests


def with_fresh_identifiers(
    op: Operation, values: OperationValues, cases: list[Case], seed: int, reference: Case | None = None
) -> list[Case]:
    """Each case its own identifiers, as a client sends them: a UUID in every request-identifier header
    (fuzzed cases keep what was drawn), and, in a POST whose body documents an `id` of its own, a fresh
    `id` in the cases that must be taken as new requests (valid ones, the lower-case header replay, the
    other principal's replay). An implementation may check an identifier's form, or refuse one it has
    already seen ("already received"), and would then refuse those cases for that alone. None with a
    known value is touched. Derived from the seed and the case id: the same seed sends the same requests."""
    examples = {
        h.name.lower(): h.example
        for h in op.headers
        if is_request_identifier(h) and h.name not in values.headers
    }
    body_id = _body_identifier(op, values)
    # a probe keeps a value of its own (a 5,000-character one); a copy of the reference's is renewed
    copied = {k.lower(): v for k, v in reference.headers} if reference is not None else None
    return [_renewed(case, examples, body_id, seed, copied) for case in cases]


def _renewed(
    case: Case, examples: dict[str, Any], body_id: str | None, seed: int, copied: dict[str, str] | None
) -> Case:
    if copied is not None and case.kind != "valid":
        renew = {k.lower() for k, v in case.headers if copied.get(k.lower()) == v} & examples.keys()
    else:
        renew = set(examples) if case.kind != "fuzz" else set()
    if renew & {k.lower() for k, _ in case.headers}:
        headers = tuple(
            (k, fresh_like(examples[k.lower()], _fresh(seed, case, k.lower())) if k.lower() in renew else v)
            for k, v in case.headers
        )
        case = dataclasses.replace(case, headers=headers)
    return _with_fresh_body_id(case, body_id, seed) if body_id else case


def _with_fresh_body_id(case: Case, body_id: str, seed: int) -> Case:
    body = case.json_body if case.kind in FRESH_BODY_KINDS and case.defect is None else None
    if not isinstance(body, dict) or "id" not in body:
        return case
    fresh = _fresh(seed, case, "id")
    value: Any = str(fresh) if body_id == "string" else 10**6 + fresh.int % (9 * 10**8)
    return dataclasses.replace(case, body=dump_json({**body, "id": value}))


def _fresh(seed: int, case: Case, what: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{seed}/{case.id}/{what}")


def _body_identifier(op: Operation, values: OperationValues) -> str | None:
    """The type of a POST body's own `id` that a fresh value can replace ("integer", "number" or
    "string"), else None (a known value, an enum, a pattern, a bound or an example a fresh one may break)."""
    schema = ((op.request_schema or {}).get("properties") or {}).get("id")
    if op.method != "POST" or not isinstance(schema, Mapping) or "id" in values.fields:
        return None
    kind = schema.get("type")
    if kind not in ("integer", "number", "string") or {"enum", "const", "pattern"} & schema.keys():
        return None
    fits = _uuid_fits(schema) if kind == "string" else not {"maximum", "exclusiveMaximum"} & schema.keys()
    return str(kind) if fits else None


def _uuid_fits(schema: Mapping[str, Any]) -> bool:
    """A fresh UUID is a value of this string schema, as its examples are."""
    examples = schema.get("examples") or []
    fits = schema.get("maxLength", 36) >= 36 and schema.get("format") in (None, "uuid")
    return fits and all(_is_uuid(e) for e in examples)


def in_run_order(operations: Iterable[Operation]) -> list[Operation]:
    """Creations first (a POST on a collection: what it creates can be read, changed, deleted next),
    deletions last; otherwise the contracts' order."""

    def rank(op: Operation) -> int:
        if op.method == "POST" and not op.in_("path"):
            return 0
        return 2 if op.method == "DELETE" else 1

    return sorted(operations, key=rank)


def record_created(op: Operation, exchange: Any, created: dict[str, Any]) -> None:
    """Remember what a successful POST on a collection answered (the baseline's answer only: the same
    seed gives the same resource), for the operations on its items."""
    response = exchange.response
    if op.method != "POST" or op.in_("path") or response is None or not response.ok:
        return
    try:
        body = json.loads(response.body)
    except ValueError:
        return
    if isinstance(body, dict):
        created.setdefault(op.path.rstrip("/"), body)


def created_values(op: Operation, created: Mapping[str, Any]) -> dict[str, str]:
    """Path parameters a resource the run created can fill: `/pets/{petId}…` after POST /pets answered
    `{"id": 82}` (or `{"petId": 82}`: a field named like the parameter wins)."""
    out = {}
    for collection, body in created.items():
        prefix = collection + "/{"
        if not op.path.startswith(prefix):
            continue
        name = op.path[len(prefix) :].split("}", 1)[0]
        value = body.get(name, body.get("id"))
        if isinstance(value, str | int) and not isinstance(value, bool):
            out[name] = str(value)
    return out


def credential_headers(op: Operation) -> set[str]:
    """Header names a credential travels in: never taken from a generated request."""
    names = {"authorization", "cookie"}
    names.update(s.parameter.lower() for s in op.security if s.parameter and s.location == "header")
    return names


def body_fields(op: Operation) -> dict[str, Any]:
    """How a body is sent: none when the operation documents none; JSON under the documented JSON media
    type; a sample of any other documented media type (a PNG for image/png)."""
    media = op.request_media_type
    if media is None:
        return {"body": None, "content_type": None}
    if is_json_media(media):
        return {"content_type": media}
    return {"body": sample_body(media), "content_type": media}


def typed(p: Parameter, text: str | None) -> Any:
    if text is None:
        return None
    if p.schema.get("type") == "integer":
        try:
            return int(text)
        except ValueError:
            return None
    return text


def names_nothing(p: Parameter, like: Any) -> Any:
    """A value of `p` that names no resource: `like` varied where its form allows, else a fixed one."""
    unknown = unknown_value(p.schema, typed(p, scalar_text(like) if like is not None else None))
    if unknown is not None:
        return unknown
    return NIL_UUID if p.schema.get("format") == "uuid" else UNKNOWN_PATH_VALUE
