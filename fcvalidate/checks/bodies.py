"""Shared by the body checks: does a response carry the body its status documents (none, a media type,
JSON matching a schema), and jsonschema errors turned into located problems with their clause and basis.

Any API's shape: the schema is whatever the document gives for that status (RFC 7807 problem+json,
`{"error": ...}`, the Fibre Cafe `{uuid, code, messages}`), JSON Schema 2020-12 as OpenAPI 3.1 uses it
(`type: [T, "null"]` for nullable, no `type` for `any`). `application/json` and any `application/*+json`
are JSON; another documented media type (image/png, text/plain) is checked by its Content-Type only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from fcvalidate.checks.registry import NO_BASIS, Basis
from fcvalidate.contract.operation import ResponseSpec
from fcvalidate.exchange import NOT_JSON, Response, Source, source_of
from fcvalidate.jsonpath import json_path

# HTTP itself says these answers have no body, whatever the document lists (RFC 9110 §9.3.2, §15.3.5,
# §15.4.5): their Content-Type is not judged, and a body is a finding (the transport never reads one;
# a stored or replayed exchange may hold one).
BODYLESS_METHODS = frozenset({"HEAD"})
BODYLESS_STATUSES = frozenset({204, 304})

# Formats asserted on response bodies. jsonschema's checker knows many, but only UUIDs are inferred by
# the compiler; a contract that names another format asserts it too when the checker knows it.
FORMATS = FormatChecker()


def parse_json(response: Response) -> Any:
    try:
        return json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        return NOT_JSON


def is_json_media(media_type: str | None) -> bool:
    """`application/json` or a structured `+json` type (`application/problem+json`, `…vnd.x+json`)."""
    if not media_type:
        return False
    kind, _, sub = media_type.lower().partition("/")
    return sub == "json" or sub.endswith("+json") if kind in ("application", "text") else False


def media_matches(documented: str, actual: str | None) -> bool:
    """The Content-Type is the documented media type (parameters ignored; `*/*`, `image/*` match a family)."""
    if actual is None:
        return False
    documented = documented.split(";")[0].strip().lower()
    if documented in ("*/*", "*"):
        return True
    if documented.endswith("/*"):
        return actual.startswith(documented[:-1])
    return actual == documented


@dataclass(frozen=True, slots=True)
class BodyProblem:
    """Why a body is not the one documented: what is wrong, where, expected vs actual."""

    what: str  # "has the wrong content type", "is not JSON", "is documented without a body, ..."
    location: str
    expected: str
    actual: str
    basis: Basis = NO_BASIS  # set when HTTP, not the document, forbids the body

    @property
    def unexpected_body(self) -> bool:
        """A body where the document lists no fields for the status."""
        return self.what.startswith("is documented without")


def documented_body(response: Response, spec: ResponseSpec, method: str) -> tuple[Any, BodyProblem | None]:
    """The body as JSON when the status documents JSON (NOT_JSON otherwise: nothing more to judge), or
    the problem with it: a body where none is documented, the wrong Content-Type, text that is not JSON."""
    if method.upper() in BODYLESS_METHODS or response.status in BODYLESS_STATUSES:
        return NOT_JSON, _body_where_http_has_none(response, method)
    if spec.media_type is None:
        if response.body.strip():
            return NOT_JSON, BodyProblem(
                "is documented without a body, but one was sent",
                "response.body",
                "no body",
                describe_body(response),
            )
        return NOT_JSON, None
    if not media_matches(spec.media_type, response.media_type):
        return NOT_JSON, BodyProblem(
            "has the wrong content type",
            "response.header.Content-Type",
            spec.media_type,
            response.media_type or "no Content-Type",
        )
    if not is_json_media(spec.media_type) or spec.schema is None:
        return NOT_JSON, None  # image/png, text/plain: the media type is all the document says
    body = parse_json(response)
    if body is NOT_JSON:
        return NOT_JSON, BodyProblem(
            "is not JSON", "response.body", "a JSON document", describe_body(response)
        )
    return body, None


def _body_where_http_has_none(response: Response, method: str) -> BodyProblem | None:
    if not response.body.strip():
        return None
    # seen only when something read past HTTP's framing (a stored exchange)
    what = "a HEAD request" if method.upper() in BODYLESS_METHODS else f"a {response.status}"
    return BodyProblem(
        f"is sent with {what}, which never has a body",
        "response.body",
        "no body",
        describe_body(response),
        Basis(conventions=("http.no-content",), note=f"the answer to {what} has no content"),
    )


MAX_VALIDATORS = 1024
_VALIDATORS: dict[int, tuple[Mapping[str, Any], Draft202012Validator]] = {}


def validator_for(schema: Mapping[str, Any]) -> Draft202012Validator:
    """One validator per schema, built on first use: a contract's schemas live as long as the run.

    Keyed by identity (schemas are not hashable); the schema is kept with its validator, so an id is
    never reused for another schema while cached.
    """
    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:
        if len(_VALIDATORS) >= MAX_VALIDATORS:  # a long-lived process (the pytest plugin) loads many
            _VALIDATORS.clear()
        cached = (schema, Draft202012Validator(schema, format_checker=FORMATS))
        _VALIDATORS[id(schema)] = cached
    return cached[1]


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One way an instance breaks its schema. `words` says it in a few stable words without the server's
    values (`missing uuid`, `messages is not an array`), so the same problem seen in many cases is one
    finding; `basis` quotes the `x-fc-inferred` record when the broken keyword was deduced, not read."""

    where: str  # JSON path: $.messages[0]
    message: str
    source: Source
    words: str
    keyword: str = ""
    basis: Basis = NO_BASIS


def schema_errors(instance: Any, schema: Mapping[str, Any]) -> Iterator[SchemaProblem]:
    """Each way `instance` breaks `schema`, shallowest first, at its own path with its own clause."""
    validator = validator_for(schema)
    errors = sorted(
        validator.iter_errors(instance), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path)))
    )
    for error in errors:
        path = tuple(error.absolute_path)
        schema_path = tuple(error.absolute_schema_path)
        if error.validator == "required" and isinstance(error.instance, Mapping):
            # jsonschema reports a missing field at its parent; report it at its own path, with its own clause.
            properties = error.schema.get("properties", {})
            required = list(error.validator_value)
            for name in sorted(set(required) - set(error.instance), key=required.index):
                source = source_of(properties.get(name))
                where = json_path((*path, name))
                source = source if source.at else clause_at(schema, schema_path)
                yield SchemaProblem(
                    where,
                    f"{name!r} is required but missing",
                    source,
                    f"missing {_field(where)}",
                    "required",
                    NO_BASIS if source.at else _contract_says(schema_path),
                )
            continue
        where = json_path(path)
        keyword = str(error.validator)
        source = clause_at(schema, schema_path)
        basis = inferred_basis(schema, schema_path, keyword)
        yield SchemaProblem(
            where,
            error.message,
            source,
            _problem(where, keyword, error.validator_value),
            keyword,
            basis if basis or source.at else _contract_says(schema_path),
        )


def _contract_says(schema_path: tuple[Any, ...]) -> Basis:
    """A contract without prose clauses (hand-written OpenAPI): the schema keyword itself is the basis."""
    return Basis(note=f"the contract's schema states it (#/{'/'.join(map(str, schema_path))})")


_KINDS = {"array": "an array", "object": "an object", "string": "a string", "integer": "an integer"}
_FORMATS = {"uuid": "UUID", "date-time": "date-time", "email": "e-mail address", "uri": "URI"}


def _field(where: str) -> str:
    return where.removeprefix("$.") if where != "$" else "the body"


def _problem(where: str, keyword: str, value: Any) -> str:
    field = _field(where)
    if keyword == "type":
        kinds = value if isinstance(value, list) else [value]
        return f"{field} is not {' or '.join(_KINDS.get(str(k), str(k)) for k in kinds)}"
    if keyword == "format":
        return f"{field} is not a {_FORMATS.get(str(value), str(value))}"
    if keyword == "enum":
        return f"{field} is not one of the enum"
    return f"{field} breaks `{keyword}`"


def _walk(schema: Mapping[str, Any], schema_path: tuple[Any, ...]) -> Iterator[Mapping[str, Any]]:
    """Every schema node along a schema path, the root first."""
    node: Any = schema
    yield schema
    for part in schema_path:
        if (isinstance(node, Mapping) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            node = node[part]
        else:
            return
        if isinstance(node, Mapping):
            yield node


def clause_at(schema: Mapping[str, Any], schema_path: tuple[Any, ...]) -> Source:
    """The innermost `x-fc-source` along a schema path: the sentence the failed keyword came from."""
    found = source_of(schema)
    for node in _walk(schema, schema_path):
        if "x-fc-source" in node:
            found = source_of(node)
    return found


def inferred_basis(schema: Mapping[str, Any], schema_path: tuple[Any, ...], keyword: str) -> Basis:
    """The `x-fc-inferred` record a failed keyword rests on, as `inferred (rule) at FILE:LINE:COL: note`:
    a `format` the compiler took from an example, an item `type` it took from an example or an enum."""
    nodes = list(_walk(schema, schema_path[:-1]))
    if len(nodes) != len(schema_path):  # the path left the schema: nothing to quote
        return NO_BASIS
    rules: tuple[str, ...]
    if keyword == "format":
        owner, rules = nodes[-1], ("format-from-example",)
    elif keyword == "type" and len(schema_path) >= 2 and schema_path[-2] == "items":
        owner, rules = nodes[-2], ("items-from-example", "items-from-enum")
    else:
        return NO_BASIS
    return _inference(owner, rules)


def _inference(owner: Mapping[str, Any], rules: tuple[str, ...]) -> Basis:
    """The first of `owner`'s `x-fc-inferred` records made by one of `rules`, as a basis."""
    records = owner.get("x-fc-inferred")
    for record in records if isinstance(records, list) else [records] if records else []:
        if isinstance(record, Mapping) and record.get("rule") in rules:
            rule = str(record["rule"])
            note = f"inferred ({rule}) at {source_of(owner).at}: {record.get('note', '')}"
            return Basis(inferences=(rule,), note=note)
    return NO_BASIS


def describe_body(response: Response, limit: int = 120) -> str:
    text = response.body[:limit].decode("utf-8", "replace")
    return text + ("…" if len(response.body) > limit else "")
