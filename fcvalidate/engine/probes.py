"""The cases of one operation: valid requests first, then probes derived from a valid request.

Each builder returns cases for one requirement, each with its expectation and the clause it enforces,
or a `Skip` saying why the requirement cannot be tested on this operation. Every shape is handled: path
parameters (known value, else one the API created, else the documented example, else generated), query
parameters and cookies, operations without a body, non-JSON bodies, bearer tokens and API keys.
"""

from __future__ import annotations

import dataclasses
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fcvalidate.contract.operation import GAP_REQUEST_BODY, Operation, Parameter
from fcvalidate.engine.boundaries import boundary_cases, empty_text_cases
from fcvalidate.engine.credential_places import credential_place_cases
from fcvalidate.engine.credentials import option_for
from fcvalidate.engine.data import OperationValues, apply_fields, reference_like
from fcvalidate.engine.derive import case as _case
from fcvalidate.engine.derive import like as _like
from fcvalidate.engine.generate import (
    LONG_TEXT_LENGTH,
    ODD_PATH_VALUES,
    UNICODE_TEXT,
    Draw,
    DrawSource,
    edge_bodies,
    example_body,
    example_value,
    is_json_media,
    parameter_pairs,
    sample_body,
    scalar_text,
    unknown_value,
)
from fcvalidate.engine.mutations import mutations, query_defects
from fcvalidate.engine.paging import limit_cases
from fcvalidate.engine.transport import expand_path
from fcvalidate.exchange import BEARER, Case, Credential, Defect, Expect, dump_json
from fcvalidate.requirements import RequirementId as R

OTHER_METHODS = ("GET", "PUT", "PATCH", "DELETE")
NOT_JSON_BODIES = (b"{not json", b'{"id": 1,')
NOT_OBJECT_BODIES = (b"[]", b'"text"', b"42", b"null")
MALFORMED_CODES = ("MALFORMED_REQUEST", "INVALID_REQUEST")


READ_METHODS = ("GET", "HEAD", "OPTIONS")
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
    path_values = {}
    untargeted: list[str] = []
    for p in op.in_("path"):
        value = given.get(p.name, created.get(p.name))
        if value is None and changing:
            untargeted.append(p.name)
            value = _names_nothing(p, p.example)
        elif value is None:
            value = p.example if p.example is not None else example_value(p.schema)
        path_values[p.name] = scalar_text(value)
    path_given = frozenset(p.name for p in op.in_("path") if p.name in given)
    path_known = path_given | frozenset(p.name for p in op.in_("path") if p.name in created)
    known = values.parameters
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
    if credential is None:
        return RequestParts(
            path_values, query, cookies, BEARER, "none", path_known, tuple(untargeted), path_given
        )
    return RequestParts(
        path_values, query, cookies, credential, "valid", path_known, tuple(untargeted), path_given
    )


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
    out = []
    for case in cases:
        if copied is not None and case.kind != "valid":
            renew = {k.lower() for k, v in case.headers if copied.get(k.lower()) == v} & examples.keys()
        else:
            renew = set(examples) if case.kind != "fuzz" else set()
        if renew & {k.lower() for k, _ in case.headers}:
            headers = tuple(
                (
                    k,
                    fresh_like(examples[k.lower()], _fresh(seed, case, k.lower()))
                    if k.lower() in renew
                    else v,
                )
                for k, v in case.headers
            )
            case = dataclasses.replace(case, headers=headers)
        body = case.json_body if body_id and case.kind in FRESH_BODY_KINDS and case.defect is None else None
        if isinstance(body, dict) and "id" in body:
            fresh = _fresh(seed, case, "id")
            value: Any = str(fresh) if body_id == "string" else 10**6 + fresh.int % (9 * 10**8)
            case = dataclasses.replace(case, body=dump_json({**body, "id": value}))
        out.append(case)
    return out


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
    if kind == "string":
        examples = schema.get("examples") or []
        fits = schema.get("maxLength", 36) >= 36 and schema.get("format") in (None, "uuid")
        return "string" if fits and all(_is_uuid(e) for e in examples) else None
    return str(kind) if "maximum" not in schema and "exclusiveMaximum" not in schema else None


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


def _credential_headers(op: Operation) -> set[str]:
    """Header names a credential travels in: never taken from a generated request."""
    names = {"authorization", "cookie"}
    names.update(s.parameter.lower() for s in op.security if s.parameter and s.location == "header")
    return names


def _body_fields(op: Operation) -> dict[str, Any]:
    """How a body is sent: none when the operation documents none; JSON under the documented JSON media
    type; a sample of any other documented media type (a PNG for image/png)."""
    media = op.request_media_type
    if media is None:
        return {"body": None, "content_type": None}
    if is_json_media(media):
        return {"content_type": media}
    return {"body": sample_body(media), "content_type": media}


def _drawn_query(op: Operation, parts: RequestParts, values: OperationValues, draw: Draw) -> dict[str, Any]:
    """A generated request's query: the valid request's parameters, plus the optional ones the draw
    chose, with plain values (an enum value, a boolean, the example or default) so that a refusal
    says something about the implementation, not about a Hypothesis corner case."""
    query = dict(parts.query)
    for p in op.in_("query"):
        if p.name in query or p.name in values.parameters or p.name not in draw.query:
            continue
        value = _plain(p, draw.query[p.name])
        if value is not None:
            query[p.name] = value
    return query


def _plain(p: Parameter, drawn: Any) -> Any:
    schema = p.schema
    if p.media_type is not None:
        return p.example
    items = schema.get("items") if schema.get("type") == "array" else None
    if isinstance(items, Mapping):
        if items.get("enum") and isinstance(drawn, list):
            return list(dict.fromkeys(v for v in drawn if v in items["enum"]))
        return None
    if schema.get("enum"):
        return drawn if drawn in schema["enum"] else None
    if schema.get("type") == "boolean" and isinstance(drawn, bool | str):
        return drawn
    if p.example is not None:
        return p.example
    return schema.get("default")


def valid_cases(
    op: Operation,
    strategies: DrawSource,
    values: OperationValues,
    count: int,
    seed: int,
    parts: RequestParts | None = None,
) -> list[Case]:
    """The documents' own example (every field, known values applied) first, then generated requests.
    Every valid request names the same resource (`parts`), so that its answers can be compared."""
    parts = parts or request_parts(op, values)
    fields = values.fields
    headers = default_headers(op, values)
    source = op.request_source if op.request_source.at else op.source
    expect = Expect("success")
    body_kw = _body_fields(op)
    common: dict[str, Any] = {
        "path": parts.path(op),
        "cookies": tuple(parts.cookies.items()),
        "credential": parts.credential,
        "auth": parts.auth,
        "content_type": body_kw["content_type"],
    }
    first_body = (
        body_kw["body"]
        if "body" in body_kw
        else dump_json(apply_fields(example_body(op.request_schema), fields))
    )
    cases = [
        _case(
            op,
            R.VALID_REQUESTS,
            "valid",
            0,
            "the documented example, every field present",
            headers=tuple(headers.items()),
            body=first_body,
            expect=expect,
            source=source,
            query=parts.query_pairs(op),
            **common,
        )
    ]
    if op.method == "DELETE":
        # The first valid DELETE removes the resource: another would rightly be refused, not a finding.
        return with_fresh_identifiers(op, values, cases, seed)
    secret = _credential_headers(op)
    for n, draw in enumerate(strategies.draw(op, "positive", max(count - 1, 0), seed), start=1):
        drawn = {k: v for k, v in draw.headers.items() if k.lower() not in secret}
        merged = {**drawn, **values.headers}
        if "body" in body_kw:
            body = body_kw["body"]
        else:
            fields_body = apply_fields(draw.body, fields) if draw.body is not None else None
            body = dump_json(fields_body) if fields_body is not None else None
        cases.append(
            _case(
                op,
                R.VALID_REQUESTS,
                "valid",
                n,
                "a generated valid request",
                headers=tuple(merged.items()),
                body=body,
                expect=expect,
                source=source,
                query=parts.query_pairs(op, _drawn_query(op, parts, values, draw)),
                **common,
            )
        )
    return with_fresh_identifiers(op, values, cases, seed)


@dataclass(frozen=True, slots=True)
class Skip:
    """A requirement a builder cannot test on this operation, and why (shown as the verdict's reason)."""

    requirement: R
    reason: str


@dataclass(frozen=True, slots=True)
class Probes:
    cases: list[Case]
    skips: dict[R, str]


def probe_cases(
    op: Operation,
    reference: Case,
    strategies: DrawSource,
    values: OperationValues,
    count: int,
    seed: int,
    baseline_ok: bool = True,
    documented_methods: Iterable[str] = (),
    parts: RequestParts | None = None,
    read_only: bool = False,
) -> Probes:
    """Every probe derived from the reference valid request; a builder with nothing to test says why."""
    parts = parts or request_parts(op, values)
    built: list[list[Case] | Skip] = [
        header_cases(op, reference),
        auth_cases(op, reference),
        credential_place_cases(op, reference),
        boundary_cases(op, reference, values, parts),
        limit_cases(op, reference),
        empty_text_cases(op, reference, values),
        malformed_cases(op, reference),
        invalid_cases(op, reference, parts),
        edge_cases(op, reference, values, parts),
        fuzz_cases(op, strategies, count, seed, reference, parts),
        foreign_cases(op, reference, values, baseline_ok, parts),
        method_cases(op, reference, documented_methods, parts, read_only),
    ]
    cases = [case for b in built if not isinstance(b, Skip) for case in b]
    cases = with_fresh_identifiers(op, values, cases, seed, reference)
    return Probes(cases, {b.requirement: b.reason for b in built if isinstance(b, Skip)})


def header_cases(op: Operation, ref: Case) -> list[Case]:
    cases = []
    for n, header in enumerate(h for h in op.headers if h.required):
        cases.append(
            _case(
                op,
                R.REQUIRED_HEADERS,
                "missing-header",
                n,
                f"request without {header.name}",
                headers=tuple((k, v) for k, v in ref.headers if k.lower() != header.name.lower()),
                body=ref.body,
                expect=Expect("rejected"),
                source=header.source,
                parent=ref.id,
                defect=Defect("missing-header", f"request.header.{header.name}", f"{header.name} left out"),
                **_like(ref),
            )
        )
    if op.headers and op.method != "DELETE":  # a second DELETE of the same resource is rightly refused
        cases.append(
            _case(
                op,
                R.REQUIRED_HEADERS,
                "header-case",
                0,
                "header names sent in lower case",
                headers=tuple((k.lower(), v) for k, v in ref.headers),
                body=ref.body,
                expect=Expect("like-parent"),
                source=op.headers[0].source,
                parent=ref.id,
                **_like(ref),
            )
        )
    return cases


def auth_cases(op: Operation, ref: Case) -> list[Case] | Skip:
    """No credential at all, an invalid one, and the real one with a character more, where the operation's
    scheme (the one valid requests use: a bearer token, or an API key in its header, query parameter or
    cookie) expects it."""
    if not op.security:
        return Skip(R.AUTHORISATION, "the operation documents no security")
    if ref.auth == "none":  # every scheme's delivery was inferred, and no credential was given for one
        names = ", ".join(s.name for s in op.security)
        options = " or ".join(dict.fromkeys(option_for(s) for s in op.security))
        return Skip(
            R.AUTHORISATION,
            f"not tested: the contract had to infer how {names} is delivered, and no credential was given: "
            f"give {options} to test it",
        )
    common: dict[str, Any] = {"headers": ref.headers, "body": ref.body, "source": op.source, "parent": ref.id}
    via = ref.credential
    if via.kind == "basic":
        return basic_auth_cases(op, ref, common)
    what = (
        "a token" if via.kind == "bearer" else f"an API key ({via.scheme} in {via.location} {via.parameter})"
    )
    return [
        _case(
            op,
            R.AUTHORISATION,
            "no-token",
            0,
            "request without a token" if via.kind == "bearer" else "request without a credential",
            expect=Expect("unauthorised", codes=("NOT_AUTHORISED",)),
            **common,
            **_like(ref, auth="none"),
        ),
        _case(
            op,
            R.AUTHORISATION,
            "bad-token",
            0,
            "request with an invalid token"
            if via.kind == "bearer"
            else f"request with an invalid {what[2:]}",
            expect=Expect("unauthorised", codes=("NOT_AUTHORISED",)),
            **common,
            **_like(ref, auth="invalid"),
        ),
        _case(  # one that only starts like the real one: an implementation comparing a prefix accepts it
            op,
            R.AUTHORISATION,
            "bad-token",
            1,
            f"request with the real {'token' if via.kind == 'bearer' else 'API key'} and one character more",
            expect=Expect("unauthorised", codes=("NOT_AUTHORISED",)),
            **common,
            **_like(ref, auth="extended"),
        ),
        *other_key_cases(op, ref, common),
    ]


def other_key_cases(op: Operation, ref: Case, common: dict[str, Any]) -> list[Case]:
    """An invalid API key where the operation accepts a key as an alternative to the credential the valid
    requests carry (a token OR a key): a check of the key that accepts any value is found only so. Where
    the contract inferred where the key goes, it goes there: refused either way, whoever reads it where."""
    return [
        _case(
            op,
            R.AUTHORISATION,
            "bad-token",
            2 + n,
            f"request with an invalid API key ({s.name}), the alternative to the credential valid requests carry",
            expect=Expect("unauthorised", codes=("NOT_AUTHORISED",)),
            **common,
            **_like(
                ref,
                auth="invalid",
                credential=Credential("api-key", s.name, s.location or "header", s.parameter or s.name),
            ),
        )
        for n, s in enumerate(
            s for s in op.security if s.kind == "api-key" and s.name != ref.credential.scheme
        )
    ]


def basic_auth_cases(op: Operation, ref: Case, common: dict[str, Any]) -> list[Case]:
    """HTTP Basic (RFC 7617): no credentials, the real user with a wrong password, the real password with
    one character more, and two malformed credentials (not base64; base64 without the colon between user
    and password), which may be refused 400 as malformed syntax as well as 401 (RFC 9110 §15.5.1)."""
    refused = Expect("unauthorised", codes=("NOT_AUTHORISED",))
    malformed = Expect("unauthorised", codes=("NOT_AUTHORISED",), statuses=(400, 401))
    probes: tuple[tuple[str, str, Expect, str], ...] = (
        ("no-token", "request without basic credentials", refused, "none"),
        ("bad-token", "request with basic credentials: the real user, a wrong password", refused, "invalid"),
        ("bad-token", "request with the real basic credentials and one character more", refused, "extended"),
        ("bad-token", "request with basic credentials that are not base64", malformed, "not-base64"),
        ("bad-token", "request with basic credentials without a colon", malformed, "no-colon"),
    )
    return [
        _case(op, R.AUTHORISATION, kind, n, title, expect=expect, **common, **_like(ref, auth=auth))
        for n, (kind, title, expect, auth) in enumerate(probes)
    ]


def malformed_cases(op: Operation, ref: Case) -> list[Case] | Skip:
    media = op.request_media_type
    if media is None:
        return Skip(R.MALFORMED_BODY, f"not tested: {op.label} takes no request body")
    if not is_json_media(media):
        return Skip(R.MALFORMED_BODY, f"not tested: the request body is {media}, not JSON")
    codes = tuple(c for c in MALFORMED_CODES if c in op.error_codes) or MALFORMED_CODES
    common: dict[str, Any] = {"headers": ref.headers, "source": op.request_source, "parent": ref.id}
    cases = [
        _case(
            op,
            R.MALFORMED_BODY,
            "malformed",
            n,
            f"a body that is not JSON: {body.decode()!r}",
            body=body,
            expect=Expect("rejected", codes=codes, statuses=(400,)),
            **common,
            **_like(ref),
        )
        for n, body in enumerate(NOT_JSON_BODIES)
    ]
    cases += [
        _case(
            op,
            R.MALFORMED_BODY,
            "not-object",
            n,
            f"a JSON body that is not an object: {body.decode()}",
            body=body,
            expect=Expect("rejected"),
            **common,
            **_like(ref),
        )
        for n, body in enumerate(NOT_OBJECT_BODIES)
    ]
    return cases


def invalid_cases(op: Operation, ref: Case, parts: RequestParts | None = None) -> list[Case] | Skip:
    """One-defect requests: body mutations, query parameters the contract forbids (a required one left
    out, a wrong type, a value outside its enum, JSON content that is not JSON or not an object), and
    a path naming a resource that does not exist."""
    parts = parts or RequestParts()
    body = ref.json_body
    cases: list[Case] = []
    reasons: list[str] = []
    if GAP_REQUEST_BODY in op.gaps:
        reasons.append("the document lists no request fields (gap: request-body)")
    elif op.request_media_type is None:
        reasons.append(f"{op.method} takes no request body")
    elif not is_json_media(op.request_media_type):
        reasons.append(f"the request body is {op.request_media_type}, not JSON")
    elif op.request_schema and isinstance(body, dict):
        cases += [
            _case(
                op,
                R.INVALID_REQUESTS,
                "invalid",
                n,
                m.defect.description,
                headers=ref.headers,
                body=dump_json(m.body),
                expect=Expect("rejected"),
                source=m.source,
                defect=m.defect,
                parent=ref.id,
                **_like(ref),
            )
            for n, m in enumerate(mutations(body, op.request_schema))
        ]
    # Sent whatever 4xx the document lists: where it lists none, the outcome oracle judges a refusal as a
    # documentation gap (a warning) and an acceptance as the failure it is.
    cases += _query_cases(op, ref, parts, start=len(cases))
    cases += _cookie_cases(op, ref, start=len(cases))
    cases += _unknown_resource_cases(op, ref, parts)
    if cases:
        return cases
    if GAP_REQUEST_BODY in op.gaps and not op.in_("query"):
        return Skip(
            R.INVALID_REQUESTS, "not tested: the document lists no request fields (gap: request-body)"
        )
    if not reasons:
        return []
    if op.in_("query") or op.in_("path"):
        reasons.append("no parameter has a value the contract clearly forbids")
    return Skip(R.INVALID_REQUESTS, f"not tested: {'; '.join(reasons)}")


def _query_cases(op: Operation, ref: Case, parts: RequestParts, start: int) -> list[Case]:
    cases = []
    n = start
    for p in op.in_("query"):
        for d in query_defects(p.name, p.schema, p.required, p.media_type, p.explode):
            query = tuple(pair for pair in ref.query if pair[0] != p.name) + tuple(d.value or ())
            cases.append(
                _case(
                    op,
                    R.INVALID_REQUESTS,
                    "invalid",
                    n,
                    d.defect.description,
                    headers=ref.headers,
                    body=ref.body,
                    expect=Expect("rejected"),
                    source=p.source,
                    defect=d.defect,
                    parent=ref.id,
                    **_like(ref, query=query),
                )
            )
            n += 1
    return cases


def _cookie_cases(op: Operation, ref: Case, start: int) -> list[Case]:
    """The valid request without one required cookie, the rest as sent: refused like any required input."""
    sent = {name for name, _ in ref.cookies}
    cases: list[Case] = []
    for p in op.in_("cookie"):
        if not p.required or p.name not in sent:
            continue
        defect = Defect(
            "missing-required", f"request.cookie.{p.name}", f"required cookie {p.name} is missing"
        )
        cases.append(
            _case(
                op,
                R.INVALID_REQUESTS,
                "invalid",
                start + len(cases),
                defect.description,
                headers=ref.headers,
                body=ref.body,
                expect=Expect("rejected"),
                source=p.source,
                defect=defect,
                parent=ref.id,
                **_like(ref, cookies=tuple(c for c in ref.cookies if c[0] != p.name)),
            )
        )
    return cases


# A resource that does not exist: refused with the status the contract gives it, wherever the method
# reads, changes or deletes one. A PUT or POST may create what it names, so it is sent one only when the
# contract says 404 and documents no 201; OPTIONS answers for the path whatever exists, so never.
def not_found_status(op: Operation) -> int | None:
    """The status the contract gives an unknown resource: 404 when documented, else a documented 4xx whose
    error codes include NOT_FOUND (the gateway's 422 NOT_FOUND); None: the contract does not say."""
    if 404 in op.responses:
        return 404
    return next((s for s in op.error_statuses if s < 500 and "NOT_FOUND" in op.error_codes_for(s)), None)


def _unknown_resource_cases(op: Operation, ref: Case, parts: RequestParts) -> list[Case]:
    status = not_found_status(op)
    if status is None or op.method == "OPTIONS":
        return []
    if op.method in ("PUT", "POST") and (status != 404 or 201 in op.responses):
        return []
    for p in op.in_("path"):
        unknown = unknown_value(p.schema, _typed(p, parts.path_values.get(p.name)))
        if unknown is None:
            continue
        return [
            _case(
                op,
                R.INVALID_REQUESTS,
                "unknown-resource",
                0,
                f"a {p.name} that names no resource: {unknown}",
                headers=ref.headers,
                body=ref.body,
                expect=Expect("rejected", statuses=(status,)),
                source=op.responses[status].source,
                parent=ref.id,
                **_like(ref, path=parts.path(op, {p.name: scalar_text(unknown)})),
            )
        ]
    return []


def _typed(p: Parameter, text: str | None) -> Any:
    if text is None:
        return None
    if p.schema.get("type") == "integer":
        try:
            return int(text)
        except ValueError:
            return None
    return text


def edge_cases(
    op: Operation, ref: Case, values: OperationValues, parts: RequestParts | None = None
) -> list[Case]:
    """Valid-looking requests no input may answer with a 5xx: body edge values, a body repeating a name,
    header values 5,000 characters long (those without known values), odd path values (unicode, 5,000
    characters, reserved characters, a percent-encoded value), unicode query text."""
    parts = parts or RequestParts()
    cases = []
    body = ref.json_body
    if isinstance(body, dict):
        pinned: set[tuple[str | int, ...]] = {tuple(name.split(".")) for name in values.fields}
        cases += [
            _case(
                op,
                R.NO_SERVER_ERRORS,
                "edge",
                n,
                f"a valid request with {title}",
                headers=ref.headers,
                body=dump_json(variant),
                expect=Expect("no-server-error"),
                source=op.request_source,
                parent=ref.id,
                **_like(ref),
            )
            for n, (title, variant) in enumerate(edge_bodies(body, pinned))
        ]
    if isinstance(body, dict) and body and ref.body is not None:
        # JSON lets a name repeat (RFC 8259 §4: names SHOULD be unique); the usual readings take the last
        first = next(iter(body))
        repeated = ref.body[:-1] + b"," + dump_json({first: body[first]})[1:]
        cases.append(
            _case(
                op,
                R.NO_SERVER_ERRORS,
                "edge",
                len(cases),
                f"a valid request whose body repeats the name {first!r}",
                headers=ref.headers,
                body=repeated,
                expect=Expect("no-server-error"),
                source=op.request_source,
                parent=ref.id,
                **_like(ref),
            )
        )
    secret = _credential_headers(op)
    free = {h.name.lower() for h in op.headers if h.name not in values.headers} - secret
    if free & {k.lower() for k, _ in ref.headers}:
        cases.append(
            _case(
                op,
                R.NO_SERVER_ERRORS,
                "edge",
                len(cases),
                f"header values {LONG_TEXT_LENGTH} characters long ({', '.join(sorted(free))})",
                headers=tuple(
                    (k, "x" * LONG_TEXT_LENGTH if k.lower() in free else v) for k, v in ref.headers
                ),
                body=ref.body,
                expect=Expect("no-server-error"),
                source=next(h.source for h in op.headers if h.name.lower() in free),
                parent=ref.id,
                **_like(ref),
            )
        )
    common: dict[str, Any] = {"headers": ref.headers, "body": ref.body, "parent": ref.id}
    for p in op.in_("path"):
        for title, value in ODD_PATH_VALUES:
            cases.append(
                _case(
                    op,
                    R.NO_SERVER_ERRORS,
                    "edge",
                    len(cases),
                    f"{p.name} with {title}",
                    source=p.source,
                    expect=Expect("no-server-error", sole=True),
                    **common,
                    **_like(ref, path=parts.path(op, {p.name: value})),
                )
            )
    texts = [
        p for p in op.in_("query") if p.media_type is None and p.schema.get("type", "string") == "string"
    ]
    texts = [p for p in texts if not p.schema.get("enum")]
    if texts:
        names = {p.name for p in texts}
        query = tuple(pair for pair in ref.query if pair[0] not in names) + tuple(
            (n, UNICODE_TEXT) for n in sorted(names)
        )
        cases.append(
            _case(
                op,
                R.NO_SERVER_ERRORS,
                "edge",
                len(cases),
                f"query parameters in unicode ({', '.join(sorted(names))})",
                source=texts[0].source,
                expect=Expect("no-server-error"),
                **common,
                **_like(ref, query=query),
            )
        )
    return cases


def fuzz_cases(
    op: Operation,
    strategies: DrawSource,
    count: int,
    seed: int,
    ref: Case | None = None,
    parts: RequestParts | None = None,
) -> list[Case]:
    cases: list[Case] = []
    sent: set[tuple[Any, ...]] = set()  # Hypothesis may draw one request twice: it is sent once
    parts = parts or RequestParts()
    params = {p.name: p for p in op.parameters}
    for draw in strategies.draw(op, "negative", count, seed):
        body = _fuzz_body(draw)
        kw: dict[str, Any] = {}
        if ref is not None:
            kw = _like(ref, content_type=ref.content_type if body is not None else None)
        expect = Expect("no-server-error")
        if draw.path and not changes_resource(op):
            # a drawn id may be the documented example or a real resource: a request that changes what its
            # path names keeps the one it may change (odd path values are the edge cases' job)
            kw["path"] = parts.path(op, {k: scalar_text(v) for k, v in draw.path.items()})
            if ref is None or kw["path"] != ref.path:
                expect = Expect("no-server-error", sole=True)  # may not reach the operation at all
        if draw.query:
            pairs: list[tuple[str, str]] = []
            for name, value in draw.query.items():
                p = params.get(name)
                pairs += parameter_pairs(name, value, p.media_type if p else None, p.explode if p else True)
            kw["query"] = tuple(pairs)
        if draw.cookies:
            kw["cookies"] = tuple(draw.cookies.items())
        secret = _credential_headers(op)
        headers = tuple((k, v) for k, v in draw.headers.items() if k.lower() not in secret)
        request = (headers, body, kw.get("path"), kw.get("query"), kw.get("cookies"))
        if request in sent:
            continue
        sent.add(request)
        cases.append(
            _case(
                op,
                R.NO_SERVER_ERRORS,
                "fuzz",
                len(cases),
                f"a fuzzed request ({_short(draw.description)})",
                headers=headers,
                body=body,
                expect=expect,
                source=op.source,
                **kw,
            )
        )
    return cases


def tenant_scoped(op: Operation, values: OperationValues, parts: RequestParts | None = None) -> bool:
    """Whether another principal must be refused: the data file says so (`tenant_scoped`), else an
    operation that names a resource of this principal: a path identifier with a known value (or one the
    run created), or a body field like `…Id` with a known value. A read of a collection or search with no
    path identifier, and a create, may rightly answer every tenant alike. (An operation whose document
    lists no request fields cannot show whether it names one: it is held to isolation.)"""
    if values.tenant_scoped is not None:
        return values.tenant_scoped
    if op.in_("path"):
        return bool(parts is not None and parts.path_known)
    if op.method in READ_METHODS:
        return False
    if GAP_REQUEST_BODY in op.gaps:
        return True
    return any(reference_like(name) for name in values.fields)


def _unscoped_reason(op: Operation, values: OperationValues) -> str:
    if values.tenant_scoped is False:
        return "marked `tenant_scoped: false` in the data file"
    hint = "(mark it `tenant_scoped: true` in the data file to test it)"
    if op.in_("path"):
        names = ", ".join(p.name for p in op.in_("path"))
        return (
            f"no known value says which resource belongs to this principal: give {names} in the data file "
            "(or let a POST on its collection create one)"
        )
    if op.method in READ_METHODS:
        return f"{op.label} reads a collection or search with no path identifier, which may answer every tenant alike {hint}"
    return f"{op.label} names no resource of this principal (no known value for a field like …Id), and a create may rightly succeed for every tenant {hint}"


def foreign_cases(
    op: Operation,
    ref: Case,
    values: OperationValues,
    baseline_ok: bool = True,
    parts: RequestParts | None = None,
) -> list[Case] | Skip:
    """Two replays of a successful request, each of which must not succeed: as another principal (the
    data file's `foreign` headers, cookies and query parameters) on this principal's resource, and as
    this principal on another tenant's resource (`foreign` path parameters and body fields)."""
    headers, fields = values.foreign_headers, values.foreign_fields
    params = values.foreign_parameters
    if not headers and not fields and not params:
        return Skip(R.TENANT_ISOLATION, values.no_foreign_reason)
    if not tenant_scoped(op, values, parts):
        return Skip(R.TENANT_ISOLATION, f"not tested: {_unscoped_reason(op, values)}")
    if not baseline_ok:
        return Skip(
            R.TENANT_ISOLATION, "not tested: no valid request succeeded, so there is nothing to replay"
        )
    parts = parts or RequestParts()
    by_location = {loc: {p.name for p in op.in_(loc)} for loc in ("path", "query", "cookie")}
    path_changes = {k: scalar_text(v) for k, v in params.items() if k in by_location["path"]}
    query_values = {k: v for k, v in params.items() if k in by_location["query"]}
    cookie_values = {k: scalar_text(v) for k, v in params.items() if k in by_location["cookie"]}
    body = ref.json_body
    cases: list[Case] = []
    principal = {**headers, **query_values, **cookie_values}
    if principal and op.method != "DELETE":  # after the valid DELETE, the resource is gone
        sent = dict(ref.headers)
        sent.update(headers)
        query = tuple(pair for pair in ref.query if pair[0] not in query_values) + parts.query_pairs(
            op, query_values
        )
        cookies = tuple((k, v) for k, v in ref.cookies if k not in cookie_values) + tuple(
            cookie_values.items()
        )
        names = ", ".join(f"{k}={v}" for k, v in principal.items())
        cases.append(
            _case(
                op,
                R.TENANT_ISOLATION,
                "foreign",
                len(cases),
                f"a successful request replayed as another principal ({names})",
                headers=tuple(sent.items()),
                body=ref.body,
                expect=Expect("not-success"),
                source=next((h.source for h in op.headers if h.name in headers), op.source),
                parent=ref.id,
                **_like(ref, query=query, cookies=cookies),
            )
        )
    if path_changes or (fields and isinstance(body, dict)):
        names = ", ".join(f"{k}={v}" for k, v in {**path_changes, **fields}.items())
        cases.append(
            _case(
                op,
                R.TENANT_ISOLATION,
                "foreign",
                len(cases),
                f"another tenant's resource, asked for as this principal ({names})",
                headers=ref.headers,
                body=dump_json(apply_fields(body, fields)) if isinstance(body, dict) else ref.body,
                expect=Expect("not-success"),
                source=next((p.source for p in op.in_("path") if p.name in path_changes), op.source),
                parent=ref.id,
                **_like(ref, path=parts.path(op, path_changes) if path_changes else ref.path),
            )
        )
    if not cases:
        path = ", ".join(p.name for p in op.in_("path")) or "a field like …Id"
        return Skip(
            R.TENANT_ISOLATION,
            "not tested: the valid DELETE removed the resource, so replaying it as another principal "
            f"proves nothing (a `foreign:` value for {path}, another tenant's resource, would test it)",
        )
    return cases


def method_cases(
    op: Operation,
    ref: Case,
    documented: Iterable[str] = (),
    parts: RequestParts | None = None,
    read_only: bool = False,
) -> list[Case]:
    """Methods the documents give no operation for on this path. One that may change data is sent only
    where it names nothing: on a path with an identifier, an id that names no resource (a framework
    answers 405 by route, before any lookup); never on a collection, where it would act on everything."""
    taken = {op.method, *documented}
    if "HEAD" in taken:  # HEAD is GET without the body (RFC 9110 §9.3.2): a resource with one has both
        taken.add("GET")
    unknown = _unknown_path(op, parts or RequestParts())
    cases: list[Case] = []
    for method in (m for m in OTHER_METHODS if m not in taken):
        path = ref.path
        if method not in SAFE_METHODS:
            if read_only or unknown is None:
                continue
            path = unknown
        cases.append(
            _case(
                op,
                R.METHOD_NOT_ALLOWED,
                "method",
                len(cases),
                f"{method} {op.path}",
                method=method,
                headers=ref.headers,
                body=ref.body if method in ("PUT", "PATCH") else None,
                expect=Expect("method-refused"),
                source=op.source,
                parent=ref.id,
                **_like(
                    ref, path=path, content_type=ref.content_type if method in ("PUT", "PATCH") else None
                ),
            )
        )
    return cases


def _unknown_path(op: Operation, parts: RequestParts) -> str | None:
    """The operation's path with every identifier naming nothing; None for a path without one."""
    params = op.in_("path")
    if not params:
        return None
    return parts.path(
        op, {p.name: scalar_text(_names_nothing(p, parts.path_values.get(p.name))) for p in params}
    )


def _names_nothing(p: Parameter, like: Any) -> Any:
    """A value of `p` that names no resource: `like` varied where its form allows, else a fixed one."""
    unknown = unknown_value(p.schema, _typed(p, scalar_text(like) if like is not None else None))
    if unknown is not None:
        return unknown
    return NIL_UUID if p.schema.get("format") == "uuid" else UNKNOWN_PATH_VALUE


def _fuzz_body(draw: Draw) -> bytes | None:
    if draw.body is None:
        return None
    if isinstance(draw.body, bytes):
        return draw.body
    return dump_json(draw.body)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split()) or "negative generation"
    return text if len(text) <= limit else text[: limit - 1] + "…"
