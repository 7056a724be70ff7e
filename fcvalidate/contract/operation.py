"""A compiled contract loaded for use: typed `Operation`s, as the engine and the reference server see them.

Pure: an OpenAPI dict in, typed `Operation`s out, every schema dereferenced and every rule still
carrying the clause (`Source`) it came from.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Literal

from fcvalidate.contract.compiler import GAP_REQUEST_BODY, GAP_SECURITY_SCHEME, GAP_SUCCESS_RESPONSE
from fcvalidate.errors import ContractError
from fcvalidate.exchange import NO_SOURCE, Source, is_success, source_of

__all__ = [
    "GAP_REQUEST_BODY",
    "GAP_SECURITY_SCHEME",
    "GAP_SUCCESS_RESPONSE",
    "Contract",
    "Operation",
    "Parameter",
    "ResponseSpec",
    "SecurityScheme",
    "contract_from_spec",
]


ParameterLocation = Literal["header", "path", "query", "cookie"]


@dataclass(frozen=True, slots=True)
class Parameter:
    """A header, path, query or cookie parameter; `media_type` is set when its value is sent as JSON
    text (OpenAPI `content`), as the gateway does for object-valued query parameters."""

    name: str
    required: bool
    schema: Mapping[str, Any]
    source: Source
    example: Any = None
    location: ParameterLocation = "header"
    media_type: str | None = None
    explode: bool = True  # arrays in a query: a=1&a=2 (form, exploded) or a=1,2
    inferred: tuple[
        Mapping[str, Any], ...
    ] = ()  # its `x-fc-inferred` records (contract/paging.py reads them)


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """How a credential is delivered: a bearer token (http bearer, oauth2), an API key in a named
    header, query parameter or cookie, or HTTP basic. `documented` is False when the contract had to
    infer the delivery (`x-fc-gaps: [security-scheme]`)."""

    name: str
    kind: Literal["bearer", "api-key", "basic", "unknown"]
    location: Literal["header", "query", "cookie"] | None = None
    parameter: str | None = None  # the header/query/cookie name an API key is sent in
    documented: bool = True


@dataclass(frozen=True, slots=True)
class ResponseSpec:
    status: int
    media_type: str | None  # None: documented with no body
    schema: Mapping[str, Any] | None
    source: Source


@dataclass(frozen=True, slots=True)
class Operation:
    contract: str
    version: str
    method: str
    path: str
    operation_id: str
    summary: str
    parameters: tuple[Parameter, ...]
    security: tuple[SecurityScheme, ...]  # alternatives: any one of them is enough; empty: none needed
    request_media_type: str | None
    request_schema: Mapping[str, Any] | None
    request_source: Source
    responses: Mapping[int, ResponseSpec]
    gaps: frozenset[str]
    source: Source
    default_response: ResponseSpec | None = None  # the `default` response, for any undocumented status

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def headers(self) -> tuple[Parameter, ...]:
        return self.in_("header")

    def in_(self, location: ParameterLocation) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == location)

    @property
    def success_statuses(self) -> tuple[int, ...]:
        return tuple(s for s in sorted(self.responses) if is_success(s))

    @property
    def error_statuses(self) -> tuple[int, ...]:
        return tuple(s for s in sorted(self.responses) if s >= 400)

    @property
    def error_codes(self) -> tuple[str, ...]:
        """Every error `code` this operation documents, in document order (its own enum, never merged)."""
        codes: dict[str, None] = {}
        for status in self.error_statuses:
            for code in self.error_codes_for(status):
                codes.setdefault(code)
        return tuple(codes)

    def error_codes_for(self, status: int) -> tuple[str, ...]:
        spec = self.responses.get(status)
        if spec is None or spec.schema is None:
            return ()
        code = spec.schema.get("properties", {}).get("code", {})
        return tuple(code.get("enum", ()))

    def code_source(self) -> Source:
        """The clause that documents the error-code enum (quoted when a code falls outside it)."""
        for status in self.error_statuses:
            spec = self.responses[status]
            if spec.schema is not None and "code" in spec.schema.get("properties", {}):
                return source_of(spec.schema["properties"]["code"])
        return NO_SOURCE


@dataclass(frozen=True, slots=True)
class Contract:
    name: str
    sha256: str
    spec: Mapping[str, Any] = field(repr=False)
    operations: tuple[Operation, ...] = ()

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.operations)


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def contract_from_spec(name: str, spec: Mapping[str, Any], raw: bytes = b"") -> Contract:
    """Read the operations of one compiled contract (`raw` is its file's bytes, for the SHA-256)."""
    try:
        version = str(spec["info"]["version"])
        paths = spec["paths"]
    except (KeyError, TypeError) as exc:
        raise ContractError(f"{name}: not an OpenAPI contract (missing {exc})") from None
    ops = []
    for path, item in (paths or {}).items():
        for method in _METHODS:
            if method in item:
                ops.append(_operation(name, version, path, method, item[method], item, spec))
    return Contract(name=name, sha256=hashlib.sha256(raw).hexdigest(), spec=spec, operations=tuple(ops))


def _pointer(*parts: str) -> str:
    """A JSON pointer (RFC 6901) into the contract."""
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _sourced(node: Mapping[str, Any], name: str, pointer: str, clause: str) -> Source:
    """The clause a compiled contract names (`x-fc-source`), else, in a contract written by hand, the
    place in it that states the rule: the contract itself is then the basis a finding quotes."""
    found = source_of(node)
    if found.at:
        return found
    return Source(f"{name}{pointer}", str(node.get("description") or node.get("summary") or clause))


def _operation(
    name: str,
    version: str,
    path: str,
    method: str,
    op: Mapping[str, Any],
    path_item: Mapping[str, Any],
    spec: Mapping[str, Any],
) -> Operation:
    where = f"{name}: {method.upper()} {path}"
    at = ("paths", path, method)
    parameters = _parameters(name, at, op, path_item, spec)
    body = deref(op.get("requestBody") or {}, spec, where)
    content = body.get("content") or {}
    media = next(iter(content), None)
    responses, default = _responses(name, at, op, spec)
    return Operation(
        contract=name,
        version=version,
        method=method.upper(),
        path=path,
        operation_id=str(op.get("operationId", f"{method}{path}")),
        summary=str(op.get("summary", "")),
        parameters=parameters,
        security=tuple(
            _scheme(scheme, spec, where)
            for requirement in op.get("security", spec.get("security", []))
            for scheme in requirement
        ),
        request_media_type=media,
        request_schema=content[media].get("schema", {}) if media else None,
        request_source=_sourced(body, name, _pointer(*at, "requestBody"), "the request body")
        if body
        else NO_SOURCE,
        responses=responses,
        gaps=frozenset(op.get("x-fc-gaps", ())),
        source=_sourced(op, name, _pointer(*at), f"{method.upper()} {path}"),
        default_response=default,
    )


def _parameters(
    name: str,
    at: tuple[str, str, str],
    op: Mapping[str, Any],
    path_item: Mapping[str, Any],
    spec: Mapping[str, Any],
) -> tuple[Parameter, ...]:
    where = f"{name}: {at[2].upper()} {at[1]}"
    declared: dict[tuple[str, str], Mapping[str, Any]] = {}
    for p in (*path_item.get("parameters", ()), *op.get("parameters", ())):  # the operation's own win
        p = deref(p, spec, where)
        declared[(str(p.get("in")), str(p.get("name")))] = p
    return tuple(
        _parameter(
            p, spec, where, _sourced(p, name, _pointer(*at, "parameters"), f"{p.get('in')} {p.get('name')}")
        )
        for p in declared.values()
        if p.get("in") in _LOCATIONS
    )


def _responses(
    name: str, at: tuple[str, str, str], op: Mapping[str, Any], spec: Mapping[str, Any]
) -> tuple[dict[int, ResponseSpec], ResponseSpec | None]:
    """The responses by status (ranges such as `4XX` spread over their statuses), and the `default` one."""
    where = f"{name}: {at[2].upper()} {at[1]}"
    responses: dict[int, ResponseSpec] = {}
    ranges: dict[int, ResponseSpec] = {}
    default = None
    for status, response in (op.get("responses") or {}).items():
        key = str(status).upper()
        one = _response(name, _pointer(*at, "responses", str(status)), status, deref(response, spec, where))
        if key.isdigit():
            responses[int(key)] = one
        elif re.fullmatch(r"[1-5]XX", key):
            ranges[int(key[0])] = one
        elif key == "DEFAULT":
            default = one
    _spread_ranges(responses, ranges)
    return dict(sorted(responses.items())), default


def _spread_ranges(responses: dict[int, ResponseSpec], ranges: dict[int, ResponseSpec]) -> None:
    """A range (`4XX`) documents every registered status of its class that is not listed on its own;
    204 and 205 never carry a body, so a range with one does not document them."""
    for s in HTTPStatus:
        one_of = ranges.get(s.value // 100)
        if one_of is None or s.value in responses or (one_of.media_type and s.value in (204, 205)):
            continue
        responses[s.value] = ResponseSpec(s.value, one_of.media_type, one_of.schema, one_of.source)


def _response(name: str, pointer: str, status: Any, response: Mapping[str, Any]) -> ResponseSpec:
    key = str(status).upper()
    content = response.get("content") or {}
    media = next(iter(content), None)
    return ResponseSpec(
        status=int(key) if key.isdigit() else 0,
        media_type=media,
        schema=content[media].get("schema", {}) if media else None,
        source=_sourced(response, name, pointer, f"response {status}"),
    )


_LOCATIONS = ("header", "path", "query", "cookie")


def _parameter(p: Mapping[str, Any], spec: Mapping[str, Any], where: str, source: Source) -> Parameter:
    content = p.get("content") or {}
    media = next(iter(content), None)
    schema = content[media].get("schema", {}) if media else p.get("schema", {})
    example = content[media].get("example") if media else p.get("example")
    return Parameter(
        name=str(p["name"]),
        required=bool(p.get("required")) or p.get("in") == "path",
        schema=deref(schema, spec, where),
        source=source,
        example=example,
        location=p["in"],
        media_type=media,
        explode=bool(p.get("explode", p.get("style", "form") == "form")),
        inferred=tuple(r for r in _listed(p.get("x-fc-inferred")) if isinstance(r, Mapping)),
    )


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


# The schemes whose credential goes in `Authorization`: (OpenAPI type, HTTP scheme) → the kind.
_IN_AUTHORIZATION: dict[tuple[str, str], Literal["bearer", "basic"]] = {
    ("oauth2", ""): "bearer",
    ("http", "bearer"): "bearer",
    ("http", "basic"): "basic",
}


def _scheme(name: str, spec: Mapping[str, Any], where: str) -> SecurityScheme:
    node = deref(((spec.get("components") or {}).get("securitySchemes") or {}).get(name) or {}, spec, where)
    documented = "security-scheme" not in node.get("x-fc-gaps", ())
    kind = node.get("type")
    delivered = _IN_AUTHORIZATION.get(
        (str(kind), str(node.get("scheme", "")).lower() if kind == "http" else "")
    )
    if delivered is not None:
        return SecurityScheme(name, delivered, "header", "Authorization", documented)
    if kind == "apiKey" and node.get("in") in ("header", "query", "cookie"):
        return SecurityScheme(name, "api-key", node["in"], str(node.get("name", name)), documented)
    if not node:  # a contract that names a scheme it does not define: the seeds' contracts say oauth2
        return SecurityScheme(name, "bearer" if name.lower() in ("oauth2", "bearer") else "unknown")
    return SecurityScheme(name, "unknown", documented=False)


def deref(node: Any, spec: Mapping[str, Any], where: str, _seen: tuple[str, ...] = ()) -> Any:
    """Inline local `$ref`s (siblings of a `$ref` win over the target's keys, as in OpenAPI 3.1)."""
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        out: dict[str, Any] = {}
        if isinstance(ref, str):
            if ref in _seen:
                raise ContractError(f"{where}: recursive $ref {ref}")
            out.update(deref(_resolve(ref, spec, where), spec, where, (*_seen, ref)))
        out.update({k: deref(v, spec, where, _seen) for k, v in node.items() if k != "$ref"})
        return out
    if isinstance(node, list):
        return [deref(v, spec, where, _seen) for v in node]
    return node


def _resolve(ref: str, spec: Mapping[str, Any], where: str) -> Any:
    if not ref.startswith("#/"):
        raise ContractError(f"{where}: only local $refs are supported, got {ref}")
    node: Any = spec
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, Mapping) or part not in node:
            raise ContractError(f"{where}: $ref {ref} points nowhere")
        node = node[part]
    return node
