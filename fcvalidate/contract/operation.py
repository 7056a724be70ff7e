"""A compiled contract loaded for use: typed `Operation`s, as the engine and the reference server see them.

Pure: an OpenAPI dict in, typed `Operation`s out, every schema dereferenced and every rule still
carrying the clause (`Source`) it came from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from fcvalidate.contract.compiler import GAP_REQUEST_BODY, GAP_SUCCESS_RESPONSE
from fcvalidate.errors import ContractError
from fcvalidate.exchange import NO_SOURCE, Source, is_success, source_of

__all__ = [
    "GAP_REQUEST_BODY",
    "GAP_SUCCESS_RESPONSE",
    "Contract",
    "Header",
    "Operation",
    "ResponseSpec",
    "contract_from_spec",
]


@dataclass(frozen=True, slots=True)
class Header:
    name: str
    required: bool
    schema: Mapping[str, Any]
    source: Source
    example: Any = None


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
    headers: tuple[Header, ...]
    security: tuple[str, ...]
    request_media_type: str | None
    request_schema: Mapping[str, Any] | None
    request_source: Source
    responses: Mapping[int, ResponseSpec]
    gaps: frozenset[str]
    source: Source

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

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
                ops.append(_operation(name, version, path, method, item[method], spec))
    return Contract(name=name, sha256=hashlib.sha256(raw).hexdigest(), spec=spec, operations=tuple(ops))


def _operation(
    name: str, version: str, path: str, method: str, op: Mapping[str, Any], spec: Mapping[str, Any]
) -> Operation:
    where = f"{name}: {method.upper()} {path}"
    headers = tuple(
        Header(
            name=p["name"],
            required=bool(p.get("required")),
            schema=deref(p.get("schema", {}), spec, where),
            source=source_of(p),
            example=p.get("example"),
        )
        for p in (deref(p, spec, where) for p in op.get("parameters", ()))
        if p.get("in") == "header"
    )
    body = deref(op.get("requestBody") or {}, spec, where)
    content = body.get("content") or {}
    media = next(iter(content), None)
    responses = {}
    for status, response in (op.get("responses") or {}).items():
        if not str(status).isdigit():
            continue
        response = deref(response, spec, where)
        rcontent = response.get("content") or {}
        rmedia = next(iter(rcontent), None)
        responses[int(status)] = ResponseSpec(
            status=int(status),
            media_type=rmedia,
            schema=rcontent[rmedia].get("schema", {}) if rmedia else None,
            source=source_of(response),
        )
    return Operation(
        contract=name,
        version=version,
        method=method.upper(),
        path=path,
        operation_id=str(op.get("operationId", f"{method}{path}")),
        summary=str(op.get("summary", "")),
        headers=headers,
        security=tuple(k for req in op.get("security", spec.get("security", [])) for k in req),
        request_media_type=media,
        request_schema=content[media].get("schema", {}) if media else None,
        request_source=source_of(body),
        responses=dict(sorted(responses.items())),
        gaps=frozenset(op.get("x-fc-gaps", ())),
        source=source_of(op),
    )


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
