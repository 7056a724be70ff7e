"""Where misbehaviour plugs in: the points of the reference implementation's request handling, the value
that passes through each, and small hooks that change one. A fault is a few hooks (see `faults.py`).

Every hook is `hook(at, value) -> value`; the app passes each point's value through the hooks chosen for
the operation at hand, in catalogue order (pytest-httpserver's `with_post_hook`, one point at a time):

    method       Response      the 405 answer to a method the path does not document
    credential   Presented     one security scheme's credential as presented, and whether it is accepted
    credentials  Credentials   which kinds of credential were presented, and whether one was accepted
    received     Refusal|None  a refusal before the headers, parameters and body are checked (None: go on)
    headers      tuple[str]    the required headers found missing, by their documented names
    validation   tuple[Problem]  every way the parameters and the body break the contract
    request      Refusal|None  a refusal before the business rules (None: go on)
    tenant       bool          whether the request's tenant may see or change the resource at hand
    lookup       Resource|None the stored resource a read, change or removal is about
    new-id       NewId         the id a create gives (an id already stored is a duplicate key: a 500)
    store        Resource|None what a create, replace or merge writes (None: nothing)
    remove       bool          whether a DELETE removes the resource it found
    refusal      Refusal       any refusal, before its body is built
    error        ErrorAnswer   an error body as built from the documented shape
    success      Success       a success answer as built from the documented shape
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse

from fcvalidate.contract.operation import Operation, SecurityScheme
from fcvalidate.engine import basic
from fcvalidate.jsonpath import walk
from fcvalidate.server.auth import Passwords
from fcvalidate.server.bodies import has_undocumented_field
from fcvalidate.server.routing import Match, is_item
from fcvalidate.server.store import Resource, Store

RAW_HEADER_NAMES = "fcvalidate.raw_header_names"  # ASGI scope extension set by the raw-header protocol


class Reference(Protocol):
    """What hooks may read of the reference implementation (the app imports this module)."""

    store: Store
    all_codes: list[str]
    passwords: Passwords

    def accepts(self, scheme: SecurityScheme, credential: str) -> bool: ...


Point = Literal[
    "method",
    "credential",
    "credentials",
    "received",
    "headers",
    "validation",
    "request",
    "tenant",
    "lookup",
    "new-id",
    "store",
    "remove",
    "refusal",
    "error",
    "success",
]
Hook = Callable[["At", Any], Any]
RefusalKind = Literal[
    "unknown-path", "method", "no-credentials", "bad-credentials", "headers", "malformed", "invalid",
    "not-found", "server-error",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class At:
    """Where a hook runs: the request, the operation it is for (None: no documented one), its body."""

    app: Reference
    request: Request
    op: Operation | None = None
    match: Match | None = None
    body: Any = None


@dataclass(frozen=True, slots=True)
class Presented:
    """The credential a request presents for one of the operation's schemes (None: none)."""

    scheme: SecurityScheme
    credential: str | None
    accepted: bool


@dataclass(frozen=True, slots=True)
class Credentials:
    presented: frozenset[str]  # the kinds of scheme (`SecurityScheme.kind`) a credential came for
    accepted: bool


@dataclass(frozen=True, slots=True)
class Problem:
    """One way a request breaks its contract."""

    location: str  # body, query, path, cookie, request
    rule: str  # the JSON Schema keyword broken (type, required, enum, ...), or missing, object, value
    depth: int  # how deep in the value (0: the value itself, or the body's top level)
    text: str
    instance: Any = None  # the value that breaks it (schema problems)
    expected: Any = None  # what the keyword asks for: the enum's members, the bound (schema problems)


@dataclass(frozen=True, slots=True)
class NewId:
    field: str  # the field of the created resource that holds its id
    value: Any
    fresh: bool = True  # False: not the store's own choice, so it may already be taken


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int
    code: str
    messages: tuple[str, ...]
    kind: RefusalKind
    headers: Mapping[str, str] | None = None
    documented_shape: bool = True  # False: a plain {uuid, code, messages}, even where none is documented


@dataclass(frozen=True, slots=True)
class ErrorAnswer:
    refusal: Refusal
    body: Any  # a JSON value; text where media is text/plain
    media: str


@dataclass(frozen=True, slots=True)
class Success:
    status: int
    body: Any  # a JSON value, or bytes; None: no body
    media: str | None
    headers: Mapping[str, str] | None = None
    stored: Any = None  # what the store holds for the resource (a body-less answer has nothing else)


# -- hooks the catalogue and the mutants are built from --------------------------------------------
def skip_header(name: str) -> Hook:
    """The header is not enforced."""
    return lambda at, missing: tuple(m for m in missing if m.lower() != name.lower())


def case_sensitive_headers(at: At, missing: tuple[str, ...]) -> tuple[str, ...]:
    """Header names are matched as documented, case and all (needs the raw names, see background.py)."""
    raw = at.request.scope.get("extensions", {}).get(RAW_HEADER_NAMES)
    if raw is None or at.op is None:
        return missing
    return tuple(h.name for h in at.op.headers if h.required and (h.name in missing or h.name not in raw))


def accept_any_credentials(at: At, verdict: Credentials) -> Credentials:
    return replace(verdict, accepted=True)


def accept_presented(*kinds: str) -> Hook:
    """Any credential presented for one of these kinds of scheme is accepted, valid or not."""
    return lambda at, v: replace(v, accepted=v.accepted or bool(v.presented & set(kinds)))


def exact_credential_header(at: At, p: Presented) -> Presented:
    """A header credential counts only under its name exactly as documented (needs the raw names)."""
    raw = at.request.scope.get("extensions", {}).get(RAW_HEADER_NAMES)
    scheme = p.scheme
    if (
        p.credential is None
        or raw is None
        or (scheme.kind == "api-key" and scheme.location not in (None, "header"))
    ):
        return p
    wanted = (scheme.parameter or scheme.name) if scheme.kind == "api-key" else "Authorization"
    return p if wanted in raw else replace(p, credential=None, accepted=False)


def credential_in_query(at: At, p: Presented) -> Presented:
    """A credential not presented where documented is read from the query (`?access_token=`, `?api_key=`)."""
    if p.credential is not None:
        return p
    s = p.scheme
    names = ("access_token",) if s.kind == "bearer" else (s.parameter or s.name, "api_key")
    found = next((at.request.query_params[n] for n in names if at.request.query_params.get(n)), None)
    return p if found is None else replace(p, credential=found, accepted=at.app.accepts(s, found))


def basic_password(matches: Callable[[Passwords, str, str], bool]) -> Hook:
    """An HTTP Basic credential is accepted when `matches(passwords, user, password)`."""

    def hook(at: At, p: Presented) -> Presented:
        pair = basic.decode(p.credential) if p.scheme.kind == "basic" and p.credential else None
        if p.accepted or pair is None:
            return p
        return replace(p, accepted=matches(at.app.passwords, *pair))

    return hook


def change_refusal(*kinds: RefusalKind, **changes: Any) -> Hook:
    """Refusals of these kinds change (status, code, messages, documented_shape)."""
    return lambda at, r: replace(r, **changes) if r.kind in kinds else r


def ignore_problems(keep: Callable[[Problem], bool]) -> Hook:
    """A check dropped: the problems it finds are not refused."""
    return lambda at, problems: tuple(p for p in problems if not keep(p))


def crash_when(condition: Callable[[At], bool]) -> Hook:
    """A 500 before the business rules whenever `condition` holds."""
    crash = Refusal(500, "SUPPLIER_FAULT", ("internal error",), "server-error")
    return lambda at, refusal: refusal or (crash if condition(at) else None)


def negative_query_number(at: At) -> bool:
    return any(re.fullmatch(r"-\d+(\.\d+)?", v) for v in at.request.query_params.values())


def optional_number_is_one(at: At) -> bool:
    """An optional numeric query parameter with no example or default is given as 1."""
    params = at.op.in_("query") if at.op else ()
    return any(
        at.request.query_params.get(p.name) == "1"
        for p in params
        if not p.required and p.example is None and "default" not in p.schema
        and p.schema.get("type") in ("integer", "number")
    )  # fmt: skip


def path_number_below_one(at: At) -> bool:
    values = at.match.path_values.values() if at.match else ()
    return any(re.fullmatch(r"-?\d+", v) and int(v) < 1 for v in values)


def body_value(test: Callable[[Any], bool]) -> Callable[[At], bool]:
    return lambda at: any(test(value) for _, value in walk(at.body))


def undocumented_field(at: At) -> bool:
    return at.op is not None and has_undocumented_field(at.body, at.op.request_schema or {})


def odd_path_value(at: At) -> bool:
    values = at.match.path_values.values() if at.match else ()
    return any(not v.isascii() or any(not (c.isalnum() or c in "-._~") for c in v) for v in values)


def enum_substring(p: Problem) -> bool:
    """An enum checked by substring of its members joined by commas: a prefix or an empty string passes."""
    if p.rule != "enum" or not isinstance(p.instance, str):
        return False
    return p.instance in ",".join(m for m in p.expected or () if isinstance(m, str))


def enum_any_case(p: Problem) -> bool:
    members = {m.upper() for m in p.expected or () if isinstance(m, str)} if p.rule == "enum" else set()
    return isinstance(p.instance, str) and p.instance.upper() in members


def out_of_bounds(p: Problem) -> bool:
    return p.rule in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def client_id_honoured(at: At, new: NewId) -> NewId:
    """A create keeps the id the client sent."""
    given = at.body.get(new.field) if isinstance(at.body, dict) else None
    return new if given is None else replace(new, value=given, fresh=False)


def other_tenants_allowed(at: At, allowed: bool) -> bool:
    return True


def patch_replaces(at: At, kept: Resource | None) -> Resource | None:
    """A PATCH stores only what it sent (and the ids): the fields it did not send are lost."""
    if kept is None or at.op is None or at.op.method != "PATCH" or not isinstance(at.body, dict):
        return kept
    ids = {"id", "ID", "Id", *(at.match.path_values if at.match else {})}
    return replace(kept, body={k: v for k, v in kept.body.items() if k in at.body or k in ids})


def created_not_kept(at: At, kept: Resource | None) -> Resource | None:
    """A create answers as if it stored the resource, and stores nothing."""
    return None if at.op is not None and at.op.method == "POST" else kept


def upsert_unknown(method: str) -> Hook:
    """A `method` request naming no stored resource acts on an empty one made from its path."""

    def hook(at: At, found: Resource | None) -> Resource | None:
        if found is not None or at.op is None or at.op.method != method:
            return found
        path = at.request.url.path
        if at.app.store.get(path) is not None:  # another tenant's: not unknown, just not visible
            return found
        sent = at.body if method == "PUT" and isinstance(at.body, dict) else {}
        made = Resource(path, None, {**sent, **(at.match.path_values if at.match else {})})
        at.app.store.put(made)
        return made

    return hook


_FIRST_READ: weakref.WeakKeyDictionary[Store, dict[str, Resource | None]] = weakref.WeakKeyDictionary()


def read_stale(at: At, found: Resource | None) -> Resource | None:
    """A read answers what the first read of that path found (a cache nothing invalidates)."""
    if at.op is None or at.op.method not in ("GET", "HEAD"):
        return found
    return _FIRST_READ.setdefault(at.app.store, {}).setdefault(at.request.url.path, found)


def tenantless_acts_as_owner(at: At, allowed: bool) -> bool:
    """A request without a Tenant header acts for whoever owns the resource."""
    return allowed or "tenant" not in at.request.headers


def made_up_resource(at: At, found: Resource | None) -> Resource | None:
    """A read of a path id nobody stored answers a resource made up from the path."""
    if found is not None or at.op is None or at.op.method not in ("GET", "HEAD") or not is_item(at.op.path):
        return found
    path = at.request.url.path
    if at.app.store.get(path) is not None:  # another tenant's: not made up, just not visible
        return found
    return Resource(path, None, dict(at.match.path_values) if at.match else {})


def other_method_200(at: At, response: Any) -> Any:
    return JSONResponse({}, status_code=200)


def error_field(name: str, value: Callable[[At, ErrorAnswer], Any], add: bool = False) -> Hook:
    """An error body's field set to another value (`add`: even where the body has none)."""

    def hook(at: At, answer: ErrorAnswer) -> ErrorAnswer:
        body = answer.body
        if not isinstance(body, dict) or (name not in body and not add):
            return answer
        return replace(answer, body={**body, name: value(at, answer)})

    return hook


def drop_error_field(name: str) -> Hook:
    def hook(at: At, answer: ErrorAnswer) -> ErrorAnswer:
        if not isinstance(answer.body, dict):
            return answer
        return replace(answer, body={k: v for k, v in answer.body.items() if k != name})

    return hook


def foreign_code(at: At, answer: ErrorAnswer) -> str:
    """A code from another operation's enum (the code itself where every code is this operation's)."""
    own = at.op.error_codes if at.op else ()
    fallback = answer.refusal.code
    return fallback if at.op is None else next((c for c in at.app.all_codes if c not in own), fallback)


def error_as_text(at: At, answer: ErrorAnswer) -> ErrorAnswer:
    r = answer.refusal
    return replace(answer, body=f"{r.code}: {'; '.join(r.messages)}", media="text/plain")


def success_field(name: str, value: Callable[[Any], Any]) -> Hook:
    """A success body's field changed (`value` of the field's value, or of None where it is absent)."""

    def hook(at: At, s: Success) -> Success:
        if not isinstance(s.body, dict):
            return s
        return replace(s, body={**s.body, name: value(s.body.get(name))})

    return hook


def drop_success_field(name: str) -> Hook:
    def hook(at: At, s: Success) -> Success:
        if not isinstance(s.body, dict):
            return s
        return replace(s, body={k: v for k, v in s.body.items() if k != name})

    return hook


def nulls_for_absent_fields(at: At, s: Success) -> Success:
    spec = at.op.responses.get(s.status) if at.op else None
    if not isinstance(s.body, dict) or spec is None:
        return s
    listed = (spec.schema or {}).get("properties", {})
    return replace(s, body={**s.body, **{name: None for name in listed if name not in s.body}})


def success_status(status: int, when: int | None = None) -> Hook:
    """A success answered with another status (`when`: only that one)."""
    return lambda at, s: replace(s, status=status) if when in (None, s.status) else s


def success_media(media: str) -> Hook:
    return lambda at, s: replace(s, media=media) if s.media is not None else s


def no_content_as_200(at: At, s: Success) -> Success:
    if s.status != 204 or s.media is not None:
        return s
    return replace(s, status=200, body=s.stored or {"ok": True}, media="application/json")


def not_uuid(at: At, answer: ErrorAnswer) -> str:
    return "error-1"
