"""Behaviour mutants of the reference implementation, derived from any contract: one realistic defect
each (a check dropped, a status or code changed, a field removed or mistyped, state not kept, a tenant's
resource leaked), built from the fault hooks and applied to one operation. `benchmarks/mutation.py`
certifies each and scores them per requirement."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from fcvalidate.contract.operation import GAP_SUCCESS_RESPONSE, Operation
from fcvalidate.contract.paging import paging_of
from fcvalidate.requirements import RequirementId as R
from fcvalidate.server.app import ReferenceApp
from fcvalidate.server.faults import Fault
from fcvalidate.server.hooks import (
    At,
    ErrorAnswer,
    Hook,
    Point,
    Problem,
    Refusal,
    accept_any_credentials,
    accept_presented,
    body_value,
    case_sensitive_headers,
    change_refusal,
    crash_when,
    drop_error_field,
    drop_success_field,
    error_as_text,
    error_field,
    foreign_code,
    ignore_problems,
    made_up_resource,
    no_content_as_200,
    not_uuid,
    odd_path_value,
    other_method_200,
    other_tenants_allowed,
    skip_header,
    success_field,
    success_media,
    success_status,
    undocumented_field,
)
from fcvalidate.server.paging import limit_ignored, negative_limit, next_on_last_page
from fcvalidate.server.routing import is_item

_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
_LENGTHS = ("minLength", "maxLength")
_ITEMS = ("minItems", "maxItems", "uniqueItems")
# the schema keywords a dropped check stops enforcing, one mutant per group the schema uses
_RULES: dict[str, tuple[str, ...]] = {
    "enum": ("enum", "const"),
    "bounds": _BOUNDS,
    "length": _LENGTHS,
    "pattern": ("pattern",),
    "format": ("format",),
    "items": _ITEMS,
    "closed-object": ("additionalProperties", "unevaluatedProperties"),
}


def mutants(operations: Iterable[Operation]) -> tuple[Fault, ...]:
    """Every mutant for these operations (one contract set), in a stable order."""
    ops = list(operations)
    codes = {code for op in ops for code in op.error_codes}
    out: list[Fault] = []
    for op in ops:
        out += _for_operation(op, codes)
    by_path: dict[str, list[Operation]] = {}
    for op in ops:
        by_path.setdefault(op.path, []).append(op)
    for group in by_path.values():
        out += _method_mutants(group)
    return tuple(out)


def _for_operation(op: Operation, codes: set[str]) -> Iterator[Fault]:
    def m(name: str, requirement: R, description: str, *hooks: tuple[Point, Hook]) -> Fault:
        return Fault(f"{op.label} :: {name}", requirement, description, hooks, (op.label,), bundled=False)

    yield from _header_mutants(op, m)
    yield from _auth_mutants(op, m)
    yield from _body_mutants(op, m)
    yield from _error_mutants(op, m, codes)
    yield from _success_mutants(op, m)
    yield from _validation_mutants(op, m)
    yield from _crash_mutants(op, m)
    yield from _paging_mutants(op, m)
    if any(h.required and h.name.lower() == "tenant" for h in op.headers):
        if op.method != "POST" or not _store_backed(op):  # a create finds no one's resource
            yield m(
                "other-tenants-visible",
                R.TENANT_ISOLATION,
                "another tenant's resource is found and changed",
                ("tenant", other_tenants_allowed),
            )
        if op.method in ("POST", "PUT") and _store_backed(op):
            yield m(
                "stored-without-tenant",
                R.TENANT_ISOLATION,
                "what it writes belongs to every tenant",
                ("store", lambda at, r: r and replace(r, tenant=None)),
            )


Make = Callable[..., Fault]


def _paging_mutants(op: Operation, m: Make) -> Iterator[Fault]:
    """Where the document states a limit (and a last-page marker): the limit ignored, the marker set on
    the last page, a negative limit crashing."""
    paging = paging_of(op)
    if paging is None:
        return
    yield m("limit-ignored", R.VALID_REQUESTS, "the limit is ignored", ("success", limit_ignored))
    if paging.marker is not None:
        yield m(
            "next-on-last-page",
            R.VALID_REQUESTS,
            f"`{paging.marker.name}` says another page follows on the last page",
            ("success", next_on_last_page),
        )
    yield m(
        "negative-limit-500",
        R.NO_SERVER_ERRORS,
        "a negative limit causes a 500",
        ("request", crash_when(negative_limit)),
    )


def _header_mutants(op: Operation, m: Make) -> Iterator[Fault]:
    required = [h for h in op.headers if h.required]
    for h in required:
        yield m(
            f"no-check-{h.name}",
            R.REQUIRED_HEADERS,
            f"{h.name} is not enforced",
            ("headers", skip_header(h.name)),
        )
    if required:
        yield m(
            "case-sensitive-headers",
            R.REQUIRED_HEADERS,
            "header names are matched case-sensitively",
            ("headers", case_sensitive_headers),
        )
        wrong = _wrong_code(op, ReferenceApp.refusal(op), "INVALID_REQUEST")
        if wrong:
            yield m(
                "missing-header-wrong-code",
                R.REQUIRED_HEADERS,
                f"a missing header is refused with code {wrong}",
                ("refusal", change_refusal("headers", code=wrong)),
            )


def _wrong_code(op: Operation, status: int, right: str) -> str | None:
    """Another code the document lists for `status` than the one the reference answers (`right`, or the
    first listed where `right` is not): None where it lists no other, so no code can be wrong."""
    codes = op.error_codes_for(status)
    answered = right if right in codes or not codes else codes[0]
    return next((c for c in codes if c != answered), None)


def _auth_mutants(op: Operation, m: Make) -> Iterator[Fault]:
    if not op.security:
        return
    kinds = {s.kind for s in op.security}
    yield m(
        "no-auth",
        R.AUTHORISATION,
        "credentials are not checked at all",
        ("credentials", accept_any_credentials),
    )
    for kind, name in (
        ("bearer", "any-token"),
        ("api-key", "any-api-key"),
        ("basic", "any-basic-credentials"),
    ):
        if kind in kinds:
            yield m(
                name,
                R.AUTHORISATION,
                f"any {kind} credential is accepted",
                ("credentials", accept_presented(kind)),
            )
    yield m(
        "missing-credentials-400",
        R.AUTHORISATION,
        "missing credentials are answered 400 INVALID_REQUEST",
        ("refusal", change_refusal("no-credentials", status=400, code="INVALID_REQUEST")),
    )
    yield m(
        "bad-credentials-403",
        R.AUTHORISATION,
        "invalid credentials are answered 403",
        ("refusal", change_refusal("bad-credentials", status=403)),
    )
    wrong = _wrong_code(op, 401, "NOT_AUTHORISED")
    if wrong:
        yield m(
            "auth-wrong-code",
            R.AUTHORISATION,
            f"401 answers carry code {wrong}",
            ("refusal", change_refusal("no-credentials", "bad-credentials", code=wrong)),
        )


def _takes_json(op: Operation) -> bool:
    media = (op.request_media_type or "").partition(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _body_mutants(op: Operation, m: Make) -> Iterator[Fault]:
    if not _takes_json(op):
        return
    wrong = _wrong_code(op, ReferenceApp.refusal(op), "MALFORMED_REQUEST")
    if wrong:
        yield m(
            "malformed-json-wrong-code",
            R.MALFORMED_BODY,
            f"a body that is not JSON gets code {wrong}",
            ("refusal", change_refusal("malformed", code=wrong)),
        )
    yield m(
        "malformed-json-422",
        R.MALFORMED_BODY,
        "a body that is not JSON is answered 422",
        ("refusal", change_refusal("malformed", status=422)),
    )
    yield m(
        "non-object-accepted",
        R.MALFORMED_BODY,
        "a JSON body that is not an object is accepted",
        ("validation", ignore_problems(lambda p: p.rule == "object")),
    )


def _error_schema(op: Operation) -> Mapping[str, Any]:
    for spec in (op.responses.get(400), op.default_response, *(op.responses[s] for s in op.error_statuses)):
        if spec is not None and spec.media_type is not None and spec.schema:
            return spec.schema
    return {}


def _error_mutants(op: Operation, m: Make, codes: set[str]) -> Iterator[Fault]:
    schema = _error_schema(op)
    if not schema:
        return
    yield m("error-not-json", R.ERROR_BODY, "error bodies are text/plain", ("error", error_as_text))
    properties = schema.get("properties") or {}
    if "code" in properties:
        yield m(
            "code-outside-enum",
            R.ERROR_BODY,
            "error codes are UNKNOWN_ERROR",
            ("error", error_field("code", lambda at, a: "UNKNOWN_ERROR")),
        )
        if codes - set(op.error_codes):
            yield m(
                "foreign-enum-code",
                R.ERROR_BODY,
                "error codes come from another operation's enum",
                ("error", error_field("code", foreign_code)),
            )
    if {"format", "pattern"} & set(properties.get("uuid") or {}):  # else any text is a valid uuid
        yield m(
            "error-uuid-not-uuid",
            R.ERROR_BODY,
            "the error uuid is not a UUID",
            ("error", error_field("uuid", not_uuid)),
        )
    required = list(schema.get("required") or ())
    for name in required[:2]:
        yield m(
            f"error-without-{name}",
            R.ERROR_BODY,
            f"error bodies lack {name}",
            ("error", drop_error_field(name)),
        )
    for name in required[-1:]:
        yield m(
            f"error-{name}-mistyped",
            R.ERROR_BODY,
            f"the error {name} has the wrong type",
            ("error", error_field(name, _mistyped_error(name))),
        )


def _mistyped_error(name: str) -> Callable[[At, ErrorAnswer], Any]:
    return lambda at, answer: _mistyped(answer.body.get(name))


def _mistyped_as(schema: Mapping[str, Any]) -> Callable[[Any], Any]:
    """`_mistyped` of the field's value, or of a value of its type where the answer leaves it out."""
    return lambda value: _mistyped("text" if value is None and "string" in _types(schema) else value)


def _mistyped(value: Any) -> Any:
    if isinstance(value, str):
        return 0
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


def _success_schema(op: Operation) -> tuple[int, Mapping[str, Any]] | None:
    for status in op.success_statuses:
        spec = op.responses[status]
        if spec.media_type is not None and spec.schema:
            return status, spec.schema
    return None


def _store_backed(op: Operation) -> bool:
    return GAP_SUCCESS_RESPONSE not in op.gaps and op.path != "/service-problem-amendments"


def _success_mutants(op: Operation, m: Make) -> Iterator[Fault]:
    documented = op.success_statuses
    if 204 in documented:
        yield m(
            "no-content-as-200",
            R.VALID_REQUESTS,
            "204 is answered 200 with a body",
            ("success", no_content_as_200),
        )
    other = next((s for s in (200, 201, 202) if s not in documented), None)
    if documented and other is not None:
        yield m(
            f"success-as-{other}",
            R.VALID_REQUESTS,
            f"success is answered {other}, which is not documented",
            ("success", success_status(other)),
        )
    yield from _success_body_mutants(op, m)
    yield from _write_mutants(op, m)


def _success_body_mutants(op: Operation, m: Make) -> Iterator[Fault]:
    found = _success_schema(op)
    if found is None:
        return
    schema = found[1]
    yield m(
        "success-as-text",
        R.VALID_REQUESTS,
        "success bodies are sent as text/plain",
        ("success", success_media("text/plain")),
    )
    yield from _success_field_mutants(schema, m)


def _success_field_mutants(schema: Mapping[str, Any], m: Make) -> Iterator[Fault]:
    """One field each: a required one dropped, a typed one mistyped, one that may not be null nulled."""
    properties = schema.get("properties") or {}
    required = list(schema.get("required") or ())
    for name in required[:1]:
        yield m(
            f"success-without-{name}",
            R.VALID_REQUESTS,
            f"success bodies lack {name}",
            ("success", drop_success_field(name)),
        )
    for name in [n for n, sub in properties.items() if "type" in _mapping(sub)][:1]:
        yield m(
            f"success-{name}-mistyped",
            R.VALID_REQUESTS,
            f"the success field {name} has the wrong type",
            # an optional field the answer leaves out is mistyped from its schema: str(None) is text
            ("success", success_field(name, _mistyped_as(properties[name]))),
        )
    # an optional field first: the field an unset column leaves empty
    nullable = sorted((name in required, name) for name, sub in properties.items() if not _allows_null(sub))
    for _, name in nullable[:1]:
        yield m(
            f"success-{name}-null",
            R.VALID_REQUESTS,
            f"success bodies carry {name}: null (the document does not allow null)",
            ("success", success_field(name, lambda value: None)),
        )


def _write_mutants(op: Operation, m: Make) -> Iterator[Fault]:
    if op.method in ("POST", "PUT", "PATCH") and _store_backed(op):
        yield m(
            "not-persisted", R.VALID_REQUESTS, "what it writes is not kept", ("store", lambda at, r: None)
        )
    optional = _optional_fields(op.request_schema or {})
    if optional and _takes_json(op):
        refused = Refusal(400, "INVALID_REQUEST", ("unexpected field",), "invalid")
        yield m(
            "optional-field-refused",
            R.VALID_REQUESTS,
            f"a request with {optional[0]} is refused",
            ("request", lambda at, r, o=optional[0]: r or (refused if _has(at, o) else None)),
        )


def _allows_null(schema: Any) -> bool:
    """Whether null is valid for a field (a field of any type, with no `type`, takes null too)."""
    kind = schema.get("type") if isinstance(schema, Mapping) else None
    return kind is None or kind == "null" or (isinstance(kind, list) and "null" in kind)


def _optional_fields(schema: Mapping[str, Any]) -> list[str]:
    required = set(schema.get("required") or ())
    return [name for name in schema.get("properties") or {} if name not in required]


def _has(at: At, name: str) -> bool:
    return isinstance(at.body, dict) and name in at.body


def _ignore(location: str, *rules: str, nested: bool | None = None) -> Hook:
    def dropped(p: Problem) -> bool:
        return (
            p.location == location
            and (not rules or p.rule in rules)
            and (nested is None or (p.depth > 0) == nested)
            and p.rule != "object"
        )

    return ignore_problems(dropped)


def _keywords(schema: Any) -> set[str]:
    """Every keyword used anywhere in a schema."""
    found: set[str] = set()
    if isinstance(schema, Mapping):
        found |= set(schema)
        for value in schema.values():
            found |= _keywords(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= _keywords(value)
    return found


def _nested_required(schema: Any, depth: int = 0) -> bool:
    if not isinstance(schema, Mapping):
        return False
    if depth and schema.get("required"):
        return True
    children = [*(schema.get("properties") or {}).values(), schema.get("items")]
    return any(_nested_required(c, depth + 1) for c in children)


def _validation_mutants(op: Operation, m: Make) -> Iterator[Fault]:
    yield from _body_validation_mutants(op, m)
    for location in ("path", "query", "cookie"):
        yield from _parameter_mutants(op, m, location)
    if op.method in ("GET", "HEAD") and is_item(op.path) and _store_backed(op):
        yield m(
            "unknown-id-200",
            R.INVALID_REQUESTS,
            "a read of an unknown id answers a made-up resource",
            ("lookup", made_up_resource),
        )


def _body_validation_mutants(op: Operation, m: Make) -> Iterator[Fault]:
    schema = op.request_schema or {}
    inv = R.INVALID_REQUESTS
    if _takes_json(op) and schema.get("properties"):
        used = _keywords(schema)
        yield m(
            "no-body-validation", inv, "request bodies are not validated", ("validation", _ignore("body"))
        )
        yield m(
            "accept-wrong-type",
            inv,
            "values of the wrong type are accepted",
            ("validation", _ignore("body", "type")),
        )
        if schema.get("required"):
            yield m(
                "accept-missing-required",
                inv,
                "missing required fields are accepted",
                ("validation", _ignore("body", "required", nested=False)),
            )
        if _nested_required(schema):
            yield m(
                "accept-missing-nested-required",
                inv,
                "missing required fields inside objects are accepted",
                ("validation", _ignore("body", "required", nested=True)),
            )
        for group, rules in _RULES.items():
            if used & set(rules):
                yield m(
                    f"body-{group}-not-enforced",
                    inv,
                    f"body {group} ({'/'.join(rules)}) is not enforced",
                    ("validation", _ignore("body", *rules)),
                )


def _parameter_mutants(op: Operation, m: Make, location: str) -> Iterator[Fault]:
    inv = R.INVALID_REQUESTS
    params = [p for p in op.parameters if p.location == location]
    if any(p.required for p in params) and location != "path":
        yield m(
            f"{location}-required-ignored",
            inv,
            f"a missing required {location} parameter is accepted",
            ("validation", _ignore(location, "missing")),
        )
    used = _keywords([p.schema for p in params])
    if used & {"type"} and not all(_text(p.schema) for p in params):
        yield m(
            f"{location}-type-not-enforced",
            inv,
            f"{location} values of the wrong type are accepted",
            ("validation", _ignore(location, "type", "value")),  # value: text that is no number
        )
    yield from _parameter_rule_mutants(m, location, used)


def _parameter_rule_mutants(m: Make, location: str, used: set[str]) -> Iterator[Fault]:
    for group, rules in _RULES.items():
        if used & set(rules):
            yield m(
                f"{location}-{group}-not-enforced",
                R.INVALID_REQUESTS,
                f"{location} {group} is not enforced",
                ("validation", _ignore(location, *rules)),
            )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(schema: Mapping[str, Any]) -> bool:
    return schema.get("type") in (None, "string")


def _types(schema: Any) -> set[str]:
    """Every JSON type named anywhere in a schema."""
    found: set[str] = set()
    if isinstance(schema, Mapping):
        kind = schema.get("type")
        found |= (
            {kind}
            if isinstance(kind, str)
            else {k for k in kind if isinstance(k, str)}
            if isinstance(kind, list)
            else set()
        )
        schema = list(schema.values())
    if isinstance(schema, list):
        for value in schema:
            found |= _types(value)
    return found


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


# the body values that make a careless implementation crash, by the JSON types they need in the schema
_BODY_CRASHES: tuple[tuple[str, str, frozenset[str], Callable[[Any], bool]], ...] = (
    (
        "unicode",
        "non-ASCII text causes a 500",
        frozenset({"string"}),
        lambda v: isinstance(v, str) and not v.isascii(),
    ),
    ("empty-string", "an empty string causes a 500", frozenset({"string"}), lambda v: v == ""),
    ("empty-array", "an empty array causes a 500", frozenset({"array"}), lambda v: v == []),
    (
        "negative",
        "a negative number causes a 500",
        frozenset({"integer", "number"}),
        lambda v: _number(v) and v < 0,
    ),
    (
        "zero",
        "zero causes a 500 (a division by it)",
        frozenset({"integer", "number"}),
        lambda v: _number(v) and v == 0,
    ),
)


def _crash_mutants(op: Operation, m: Make) -> Iterator[Fault]:
    crash = R.NO_SERVER_ERRORS
    if _takes_json(op) and (op.request_schema or {}).get("properties"):
        types = _types(op.request_schema)
        for name, description, needs, test in _BODY_CRASHES:
            if types & needs:
                yield m(f"crash-on-{name}", crash, description, ("request", crash_when(body_value(test))))
        yield m(
            "crash-on-undocumented-field",
            crash,
            "a field the document does not list causes a 500",
            ("request", crash_when(undocumented_field)),
        )
    if any(p.schema.get("type") in (None, "string") for p in op.in_("path")):  # numbers are refused first
        yield m(
            "crash-on-odd-path",
            crash,
            "a path value with unusual characters causes a 500",
            ("request", crash_when(odd_path_value)),
        )
    if op.in_("query"):
        yield m(
            "crash-on-odd-query",
            crash,
            "a query value with unusual characters causes a 500",
            ("request", crash_when(_odd_query)),
        )


def _odd_query(at: At) -> bool:
    return any(not v.isascii() or any(c in "<>'\"\\{}" for c in v) for v in at.request.query_params.values())


def _method_mutants(group: list[Operation]) -> Iterator[Fault]:
    labels = tuple(op.label for op in group)
    path = group[0].path

    def m(name: str, description: str, hook: Hook) -> Fault:
        return Fault(
            f"{path} :: {name}", R.METHOD_NOT_ALLOWED, description, (("method", hook),), labels, False
        )

    yield m("other-methods-200", "other methods on the path are answered 200", other_method_200)
    yield m("405-without-allow", "405 answers carry no Allow header", _without_allow)
    yield m("other-methods-404", "other methods on the path are answered 404", _as_404)


def _without_allow(at: At, response: Any) -> Any:
    del response.headers["allow"]
    return response


def _as_404(at: At, response: Any) -> Any:
    response.status_code = 404
    return response
