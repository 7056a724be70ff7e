"""The embedded reference implementation: a Starlette app driven by the compiled contracts, any of them.

Routes (path templates), required headers, parameters (path, query incl. JSON-text ones, cookie) and
bodies are checked from the contracts (openapi-core), not from per-endpoint rules. Precedence, which the
certify engine relies on:
unknown path 404 → other method 405 (Allow) → credentials 401 → required headers 400 INVALID_REQUEST →
body not JSON 400 MALFORMED_REQUEST → parameters or body break the schema 400 INVALID_REQUEST (every
field named) → business rules → the documented success.
Business rules: the seeds' amendments (unknown or another tenant's service problem: 422 NOT_FOUND); for
every other operation a store of resources by path (POST creates, GET/HEAD read, PUT replaces, PATCH
merges, DELETE removes; an unknown one is the documented not-found), scoped by tenant where the operation
has a required `Tenant` header. Error bodies follow the status's documented schema (see `bodies.py`).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from openapi_core import Config, OpenAPI
from openapi_core.contrib.starlette import StarletteOpenAPIRequest
from openapi_core.security.factories import SecurityProviderFactory
from openapi_core.security.providers import BaseProvider
from openapi_core.validation.request.exceptions import (
    MissingRequiredParameter,
    ParameterValidationError,
    RequestBodyValidationError,
    SecurityValidationError,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from fcvalidate.contract.operation import GAP_REQUEST_BODY, GAP_SUCCESS_RESPONSE, Operation, SecurityScheme
from fcvalidate.engine import basic
from fcvalidate.errors import UsageError
from fcvalidate.files import bundled_contracts_dir, find_contracts, load_contracts, load_data_file
from fcvalidate.jsonpath import json_path, walk
from fcvalidate.server.auth import ApiKeys, Passwords, Tokens
from fcvalidate.server.bodies import error_body, has_undocumented_field, sample
from fcvalidate.server.faults import check_faults
from fcvalidate.server.routing import Match, Router, fill, is_item, last_parameter
from fcvalidate.server.store import Resource, Store

RAW_HEADER_NAMES = "fcvalidate.raw_header_names"  # ASGI scope extension set by the raw-header protocol
SERVICE_PROBLEM_PATH = "/service-problem-amendments"


@dataclass(frozen=True, slots=True)
class ServerConfig:
    contracts_dir: Path | None = None
    tokens: tuple[str, ...] = ()
    clients: tuple[tuple[str, str], ...] = ()  # (client id, client secret)
    db: str | None = None
    accept_async: bool = False
    faults: frozenset[str] = frozenset()
    token_ttl: float = 3600
    delay: float = 0.0  # every answer this late: a remote implementation's latency, not a fault
    api_keys: tuple[tuple[str, str], ...] = ()  # (name the key is sent under or scheme name, value)
    basic: tuple[tuple[str, str], ...] = ()  # HTTP Basic (user, password)
    data: Path | None = None  # a data file (`values:`, `operations:`) whose known values are seeded

    def __repr__(self) -> str:  # the tokens and secrets stay out of logs and tracebacks
        return f"ServerConfig(contracts_dir={self.contracts_dir}, faults={sorted(self.faults)}, db={self.db})"


class _Accepted(BaseProvider):
    def __call__(self, parameters: Any) -> Any:
        return None


class _TokensCheckedByTheApp(SecurityProviderFactory):
    """OAuth2 as openapi-core sees it: accepted, because the app checks tokens itself (`Tokens`).

    openapi-core's own provider would warn on every request, and silencing that per request with
    `catch_warnings` is not thread-safe (it races the engine's threads when both share a process).
    """

    PROVIDERS: dict[str, type[BaseProvider]] = {  # noqa: RUF012  (openapi-core declares it so)
        **SecurityProviderFactory.PROVIDERS,
        "oauth2": _Accepted,
        "openIdConnect": _Accepted,
    }


class _Rejection(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


class ReferenceApp:
    """The request pipeline; one instance per served app (holds the store and the tokens)."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.faults = check_faults(config.faults)
        folder = config.contracts_dir or bundled_contracts_dir()
        self.contract_files = {p.name: p for p in find_contracts([folder])}
        contracts = load_contracts([folder])
        self.ops: dict[str, dict[str, Operation]] = {}
        self.validators: dict[str, OpenAPI] = {}
        for contract in contracts:
            # openapi-core reads only application/json as JSON; merge-patch+json and the like are JSON too
            json_media: dict[str, Callable[[bytes], Any]] = {
                str(op.request_media_type): json.loads
                for op in contract.operations
                if _is_json(op.request_media_type) and op.request_media_type != "application/json"
            }
            self.validators[contract.name] = OpenAPI.from_dict(
                _one_type_parameters(contract.spec),
                config=Config(
                    spec_validator_cls=None,
                    security_provider_factory=_TokensCheckedByTheApp(),
                    extra_media_type_deserializers=json_media,
                ),
            )
            for op in contract.operations:
                self.ops.setdefault(op.path, {})[op.method] = op
        self.all_codes = [
            code for by_method in self.ops.values() for op in by_method.values() for code in op.error_codes
        ]
        self.router = Router(op for by_method in self.ops.values() for op in by_method.values())
        self.tokens = Tokens(config.tokens, config.clients, config.token_ttl)
        self.api_keys = ApiKeys(config.api_keys, self.tokens)
        self.passwords = Passwords(config.basic)
        _check_credentials_have_schemes(config, [op for ops in self.ops.values() for op in ops.values()])
        self.store = Store(config.db, self._seeds(config.data))

    def _seeds(self, data_file: Path | None) -> list[Resource]:
        """The resources a data file's known values name: `operations: {"GET /x/{id}": {id: "1"}}` seeds
        `/x/1`, owned by the Tenant of that entry or of `values:`; path parameters an entry does not give
        come from `values:`. An entry's `foreign:` naming other path values (merged over the global
        `foreign:`) seeds that resource too, owned by the foreign Tenant: another tenant's id."""
        if data_file is None:
            return []
        data = load_data_file(data_file) or {}
        if not isinstance(data, dict):
            raise UsageError(f"{data_file}: expected a mapping with `values:` and/or `operations:`", "data")
        values = _mapping(data.get("values"))
        foreign = _mapping(data.get("foreign"))
        seeds: dict[str, Resource] = {}
        for label, entry in _mapping(data.get("operations")).items():
            method, _, template = label.strip().partition(" ")
            op = self.ops.get(template.strip(), {}).get(method.upper())
            if op is None or not op.in_("path"):
                continue
            entry = _mapping(entry)
            own = {**values, **{k: v for k, v in entry.items() if k not in _ENTRY_KEYS}}
            other = {**foreign, **_mapping(entry.get("foreign"))}
            for given, owner in ((own, _tenant_in(own)), ({**own, **other}, _tenant_in(other) or "another")):
                names = [p.name for p in op.in_("path")]
                if any(name not in given for name in names):
                    continue
                path = fill(op.path, given)
                if path not in seeds:
                    seeds[path] = Resource(path, owner, {name: given[name] for name in names})
        return list(seeds.values())

    def fault(self, name: str) -> bool:
        return name in self.faults

    # -- responses --------------------------------------------------------------------------------
    def error(
        self,
        op: Operation | None,
        status: int,
        code: str,
        messages: list[str],
        headers: dict[str, str] | None = None,
    ) -> Response:
        """An error in the shape `op` documents for `status` (else its `default` response, else its other
        error statuses' shape); a status documented without fields has no body."""
        spec = None if op is None else op.responses.get(status)
        if spec is not None and spec.media_type is None:
            return Response(status_code=status, headers=headers)  # documented without a body: send none
        code = self._faulty_code(op, code)
        media = "application/json"
        body: dict[str, Any] = {"uuid": str(uuid.uuid4()), "code": code, "messages": messages}
        shape = self._error_shape(op, status)
        if shape is not None:
            media, schema = shape
            body = error_body(schema, status, code, messages)
            if "code" in body and self._code_faults():
                body["code"] = code  # the fault's code, not the one the schema allows
        elif op is not None and not op.error_codes:
            media = "application/problem+json"  # nothing documented to follow: RFC 9457's own shape
            body = error_body(_PROBLEM, status, code, messages)
        if self.fault("error-uuid-not-uuid") and "uuid" in body:
            body["uuid"] = "error-1"
        if self.fault("error-missing-uuid"):
            body.pop("uuid", None)
        if self.fault("error-messages-string") and "messages" in body:
            body["messages"] = "; ".join(messages)
        if self.fault("error-not-json"):
            return PlainTextResponse(f"{code}: {'; '.join(messages)}", status_code=status, headers=headers)
        return JSONResponse(body, status_code=status, headers=headers, media_type=media)

    def _code_faults(self) -> bool:
        return self.fault("code-outside-enum") or self.fault("foreign-enum-code")

    @staticmethod
    def _error_shape(op: Operation | None, status: int) -> tuple[str, Any] | None:
        if op is None:
            return None
        candidates = [op.responses.get(status), op.default_response]
        candidates += [op.responses[s] for s in op.error_statuses]
        for spec in candidates:
            if spec is not None and spec.media_type is not None and spec.schema:
                return spec.media_type, spec.schema
        return None

    def _faulty_code(self, op: Operation | None, code: str) -> str:
        if self.fault("code-outside-enum"):
            return "UNKNOWN_ERROR"
        if self.fault("foreign-enum-code") and op is not None:
            return next((c for c in self.all_codes if c not in op.error_codes), code)
        return code

    # -- the pipeline -----------------------------------------------------------------------------
    async def handle(self, request: Request) -> Response:
        if self.config.delay:
            await asyncio.sleep(self.config.delay)
        match = self.router.match(request.url.path)
        if match is None:
            return self.error(None, 404, "NOT_FOUND", [f"no operation at {request.url.path}"])
        by_method = match.route.operations
        op = by_method.get(request.method)
        if op is None:
            if self.fault("other-methods-200"):
                return JSONResponse({}, status_code=200)
            allow = ", ".join(sorted(by_method))
            # the operation documenting 405, if one does, says its shape (OPTIONS often documents it bare)
            any_op = next(
                (o for o in by_method.values() if 405 in o.responses), next(iter(by_method.values()))
            )
            return self.error(
                any_op,
                405,
                "INVALID_REQUEST",
                [f"{request.method} is not allowed; use {allow}"],
                {"Allow": allow},
            )
        try:
            self.authorise(op, request)
            body = await self.validated_body(op, request)
            response = self.succeed(op, request, match, body)
        except _Rejection as rejection:
            response = rejection.response
        if request.method == "HEAD":  # the status and headers GET would send, never a body
            return Response(status_code=response.status_code, headers=_without_length(response))
        return response

    # -- credentials ------------------------------------------------------------------------------
    def authorise(self, op: Operation, request: Request) -> None:
        """Any one of the operation's security alternatives is enough; none documented: open."""
        if not op.security or self.fault("no-auth"):
            return
        code = "INVALID_REQUEST" if self.fault("auth-wrong-code") else "NOT_AUTHORISED"
        presented = False
        for scheme in op.security:
            credential = _credential(scheme, request)
            if credential is not None and self.fault("credential-header-case"):
                credential = credential if _exact_name(scheme, request) else None
            if credential is None and self.fault("credential-in-query"):
                credential = _elsewhere(scheme, request)
            if credential is None:
                continue
            presented = True
            if self._accepts(scheme, credential):
                return
        if not presented:
            wanted = " or ".join(dict.fromkeys(_wanted(s) for s in op.security))
            if self.fault("auth-400"):
                raise _Rejection(self.error(op, 400, "INVALID_REQUEST", [wanted]))
            raise _Rejection(self.error(op, 401, code, [wanted], _challenge(op.security)))
        if self.fault("invalid-token-403-with-body"):
            body = {"uuid": str(uuid.uuid4()), "code": "NOT_AUTHORISED", "messages": ["forbidden"]}
            raise _Rejection(JSONResponse(body, status_code=403))
        raise _Rejection(self.error(op, 401, code, [_rejected(op.security)], _challenge(op.security)))

    def _accepts(self, scheme: SecurityScheme, credential: str) -> bool:
        if scheme.kind == "api-key":
            if self.fault("api-key-not-checked"):
                return True
            return self.api_keys.valid((scheme.name, scheme.parameter or scheme.name), credential)
        if scheme.kind == "basic":
            pair = basic.decode(credential)
            if pair is None:
                return False
            user, password = pair
            if self.fault("basic-password-not-checked") and self.passwords.known(user):
                return True
            if self.fault("basic-password-prefix") and self.passwords.starts(user, password):
                return True
            return self.passwords.valid(user, password) or self.tokens.client(user, password)
        return self.tokens.valid(credential) or self.fault("any-token")

    # -- the request ------------------------------------------------------------------------------
    async def validated_body(self, op: Operation, request: Request) -> Any:
        """The JSON body (None for an operation that takes none), after headers, parameters and body
        were checked against the contract."""
        raw = await request.body()
        if self.fault("crash-on-negative-query") and any(
            re.fullmatch(r"-\d+(\.\d+)?", v) for v in request.query_params.values()
        ):
            raise _Rejection(self.error(op, 500, "SUPPLIER_FAULT", ["internal error"]))
        missing = [m for m in self._missing_headers(op, request)]
        if missing:
            raise _Rejection(
                self.error(
                    op,
                    self.refusal(op),
                    "INVALID_REQUEST",
                    [f"{name}: required header is missing" for name in missing],
                )
            )
        takes_json = _is_json(op.request_media_type) or GAP_REQUEST_BODY in op.gaps
        body: Any = None
        if takes_json:
            try:
                body = json.loads(raw) if raw.strip() else None
            except (ValueError, UnicodeDecodeError):
                code = "NOT_FOUND" if self.fault("malformed-json-wrong-code") else "MALFORMED_REQUEST"
                raise _Rejection(self.error(op, self.refusal(op), code, ["the body is not JSON"])) from None
            if body is None:
                raise _Rejection(
                    self.error(op, self.refusal(op), "INVALID_REQUEST", ["a JSON object body is required"])
                )
            if not isinstance(body, dict):
                if self.fault("non-object-accepted"):
                    # taken as the documented example: the implementation never looked at the shape
                    return sample(op.request_schema or {})
                raise _Rejection(
                    self.error(op, self.refusal(op), "INVALID_REQUEST", ["$: the body must be a JSON object"])
                )
        elif op.request_media_type is not None:
            self._check_other_body(op, request, raw)
        problems = list(
            dict.fromkeys(self._schema_problems(op, request, raw if takes_json else b"", takes_json))
        )
        if problems:
            raise _Rejection(self.error(op, self.refusal(op), "INVALID_REQUEST", problems))
        return body

    def _check_other_body(self, op: Operation, request: Request, raw: bytes) -> None:
        """A body that is not JSON (an image, a form): its media type and presence, not its bytes."""
        media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        wanted = str(op.request_media_type).lower()
        if media and media != wanted and not wanted.endswith("/*"):
            status = 415 if 415 in op.responses else self.refusal(op)
            raise _Rejection(
                self.error(
                    op, status, "INVALID_REQUEST", [f"Content-Type: {wanted} is required, not {media}"]
                )
            )
        if not raw:
            raise _Rejection(
                self.error(op, self.refusal(op), "INVALID_REQUEST", [f"a {wanted} body is required"])
            )

    def _missing_headers(self, op: Operation, request: Request) -> Iterator[str]:
        raw_names = request.scope.get("extensions", {}).get(RAW_HEADER_NAMES)
        for header in op.headers:
            if not header.required or self.fault(f"no-check-{header.name.lower()}"):
                continue
            present = header.name.lower() in request.headers
            if present and raw_names is not None and self.fault("case-sensitive-headers"):
                present = header.name in raw_names
            if not present:
                yield header.name

    def _schema_problems(
        self, op: Operation, request: Request, raw: bytes, takes_json: bool = True
    ) -> Iterator[str]:
        """Every way the parameters and the body break the contract, by name and JSON path (openapi-core,
        then its jsonschema errors). openapi-core 0.23 parses JSON-text (`content`) query parameters
        itself: text that is not JSON is a `ParameterValidationError` without schema errors."""
        validator = self.validators[op.contract]
        result = validator.unmarshal_request(StarletteOpenAPIRequest(request, body=raw))
        for error in result.errors:
            if isinstance(error, SecurityValidationError):
                continue  # the app checks credentials itself, before anything else
            if isinstance(error, ParameterValidationError):
                yield from self._parameter_problems(error)
                continue
            if isinstance(error, RequestBodyValidationError) and (
                not takes_json or self.fault("no-validation")
            ):
                continue
            schema_errors = getattr(error.__cause__, "schema_errors", None)
            if not schema_errors:
                yield str(error)
                continue
            for e in schema_errors:
                if self.fault("accept-wrong-type") and e.validator == "type":
                    continue
                if self._tolerated(e):
                    continue
                if (
                    self.fault("accept-missing-nested-required")
                    and e.validator == "required"
                    and len(e.absolute_path)
                ):
                    continue
                if e.validator == "required":
                    for name in sorted(set(e.validator_value) - set(e.instance)):
                        yield f"{json_path((*e.absolute_path, name))}: required field is missing"
                else:
                    yield f"{json_path(tuple(e.absolute_path))}: {e.message}"

    def _parameter_problems(self, error: ParameterValidationError) -> Iterator[str]:
        where = f"{error.location} parameter {error.name}"
        if error.location == "header":
            return  # required headers are checked first, with the header faults applied
        if isinstance(error, MissingRequiredParameter):
            if not (error.location == "query" and self.fault("query-required-ignored")):
                yield f"{where}: required parameter is missing"
            return
        schema_errors = getattr(error.__cause__, "schema_errors", None)
        if not schema_errors:
            yield f"{where}: not a valid value (JSON text is expected where the contract says so)"
            return
        for e in schema_errors:
            if e.validator == "enum" and error.location == "query" and self.fault("query-enum-not-enforced"):
                continue
            if self._tolerated(e):
                continue
            yield f"{where}{json_path(tuple(e.absolute_path))[1:]}: {e.message}"

    def _tolerated(self, e: Any) -> bool:
        """A schema error one of the faults lets pass: an enum checked by substring or whatever the
        letter case, bounds not enforced."""
        if e.validator == "enum" and isinstance(e.instance, str):
            members = [m for m in e.validator_value if isinstance(m, str)]
            if self.fault("enum-substring") and e.instance in ",".join(members):
                return True
            if self.fault("enum-any-case") and e.instance.upper() in {m.upper() for m in members}:
                return True
        bounds = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
        return e.validator in bounds and self.fault("bounds-not-enforced")

    def succeed(self, op: Operation, request: Request, match: Match, body: Any) -> Response:
        self._maybe_crash(op, body)
        if self.fault("crash-on-optional-number") and any(
            request.query_params.get(p.name) == "1"
            for p in op.in_("query")
            if not p.required
            and p.example is None
            and "default" not in p.schema
            and p.schema.get("type") in ("integer", "number")
        ):
            raise _Rejection(self.error(op, 500, "SUPPLIER_FAULT", ["internal error"]))
        if self.fault("crash-on-path-number") and any(
            re.fullmatch(r"-?\d+", v) and int(v) < 1 for v in match.path_values.values()
        ):
            raise _Rejection(self.error(op, 500, "SUPPLIER_FAULT", ["internal error"]))
        if self.fault("crash-on-odd-path") and any(_odd(v) for v in match.path_values.values()):
            raise _Rejection(self.error(op, 500, "SUPPLIER_FAULT", ["internal error"]))
        if GAP_SUCCESS_RESPONSE in op.gaps and op.method == "POST":
            # no documented success: a POST creates (201); any other method acts on the resource its path
            # names, answered as HTTP says (RFC 9110: 404 for one that does not exist, 200 for a GET,
            # 204 for a DELETE), by `resource` below with no documented status to prefer
            return JSONResponse({"id": str(uuid.uuid4())}, status_code=201)
        if op.path != SERVICE_PROBLEM_PATH:
            return self.resource(op, request, match, body)
        tenant = request.headers.get("tenant")
        owner = self.store.owner(body.get("serviceProblemId"))
        if owner is None:
            raise _Rejection(
                self.error(
                    op, 422, "NOT_FOUND", [f"service problem {body.get('serviceProblemId')!r} does not exist"]
                )
            )
        if tenant is None and self.fault("no-check-tenant"):
            tenant = owner
        if tenant != owner and not self.fault("cross-tenant"):
            raise _Rejection(
                self.error(
                    op, 422, "NOT_FOUND", [f"service problem {body['serviceProblemId']!r} does not exist"]
                )
            )
        echo = {k: v for k, v in body.items() if v is not None}
        echo["supplierReference"] = self.store.add_amendment(body["serviceProblemId"], str(tenant), echo)
        return self._success_response(op, echo)

    def _success_response(self, op: Operation, echo: dict[str, Any]) -> Response:
        status = 202 if self.config.accept_async else 201
        if self.fault("success-missing-field"):
            echo.pop("serviceProblemId", None)
        if self.fault("success-wrong-type"):
            echo["id"] = str(echo.get("id"))
        if self.fault("success-nulls"):
            schema = op.responses[status].schema or {}
            echo.update({name: None for name in schema.get("properties", {}) if name not in echo})
        if self.fault("undocumented-status"):
            status = 200
        if self.fault("success-wrong-content-type"):
            return Response(json.dumps(echo), status_code=status, media_type="text/plain")
        return JSONResponse(echo, status_code=status)

    # -- resources of any contract ----------------------------------------------------------------
    def resource(self, op: Operation, request: Request, match: Match, body: Any) -> Response:
        """The store's side of an operation: what its method does to the resource at its path."""
        tenant = _tenant(op, request)
        path = request.url.path
        given = dict(match.path_values)
        last = last_parameter(op.path)
        # `/pets/{petId}` is the pet whose `id` is petId: the path value answers for an id field not stored
        ids = {alias: given[last] for alias in ("id", "ID", "Id")} if last and is_item(op.path) else {}
        payload = body if isinstance(body, dict) else {}
        if op.method == "OPTIONS":
            allow = ", ".join(sorted(match.route.operations))
            return self.answer(op, self._status(op, 204, 200), {}, {"Allow": allow})
        if op.method == "POST":
            return self.create(op, path, tenant, payload)
        found = self.visible(path, tenant)
        if op.method in ("GET", "HEAD") and not is_item(op.path) and found is None:
            # a search (`/harbours/{code}/tides`): the documented shape, from examples; under a parent the
            # path names (`/harbours/PLYM`), only while that parent exists, where a missing one is documented
            owner = _parent(op.path)
            if owner and self._knows_missing(op) and not self._known(fill(owner, given), tenant):
                raise _Rejection(self.not_found(op, path))
            return self.answer(op, self._status(op, 200), {})
        if op.method == "PUT" and (found is not None or 201 in op.responses or not self._knows_missing(op)):
            # PUT replaces; it creates what it names unless the contract says a missing one is not found
            stored = {**(found.body if found else {}), **payload, **given}
            self.store.put(Resource(path, tenant if found is None else found.tenant, stored))
            status = self._status(op, *((200, 204) if found else (201, 200, 204)))
            return self.answer(op, status, {**ids, **stored})
        if found is None:
            if self.fault("unknown-id-200") and op.method in ("GET", "HEAD") and not self.store.get(path):
                return self.answer(op, self._status(op, 200), {**ids, **given})
            raise _Rejection(self.not_found(op, path))
        if op.method == "PATCH":
            stored = _merge_patch(found.body, payload)
            self.store.put(Resource(path, found.tenant, stored))
            return self.answer(op, self._status(op, 200, 204), {**ids, **stored})
        if op.method == "DELETE":
            self.store.delete(path)
            return self.answer(op, self._status(op, 204, 200, 202), {**ids, **found.body})
        return self.answer(op, self._status(op, 200), {**ids, **found.body, **given})

    def create(self, op: Operation, path: str, tenant: str | None, body: dict[str, Any]) -> Response:
        """POST to a collection: a new resource with a generated id, echoed in the documented success."""
        status = self._status(op, 201, 200, 202)
        spec = op.responses.get(status)
        schema = (spec.schema if spec else None) or {}
        item = self.router.item_template(op.path)
        id_name = (last_parameter(item) if item else None) or "id"
        props = schema.get("properties") or {}
        field = id_name if id_name in props and "id" not in props else "id"
        new_id = self._fresh_id(props.get(field) or {}, path)
        if self.fault("client-id-honoured") and body.get(field) is not None:
            new_id = body[field]  # the client's id kept; a second create with it crashes below
        stored = {**body, field: new_id}
        where = fill(item, {id_name: new_id}) if item else f"{path.rstrip('/')}/{new_id}"
        if self.fault("client-id-honoured") and self.store.get(where) is not None:
            raise _Rejection(self.error(op, 500, "SUPPLIER_FAULT", ["duplicate key"]))
        self.store.put(Resource(where, tenant, stored))
        headers = {"Location": where} if item else None
        return self.answer(op, status, stored, headers)

    def _fresh_id(self, schema: Any, collection: str) -> Any:
        kinds = schema.get("type") if isinstance(schema, dict) else None
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "integer" in kinds or "number" in kinds:
            return self.store.next_number(collection)
        return f"{uuid.uuid4().hex[:12]}"

    def _known(self, path: str, tenant: str | None) -> bool:
        """Whether the resource at `path` exists, or anything was stored under it."""
        under = path.rstrip("/") + "/"
        return self.visible(path, tenant) is not None or any(
            r.path.startswith(under) for r in self.store.resources()
        )

    def visible(self, path: str, tenant: str | None) -> Resource | None:
        """The resource at `path`, unless it belongs to another tenant (the tenant rule, see README)."""
        found = self.store.get(path)
        if found is None or tenant is None or found.tenant in (None, tenant):
            return found
        return found if self.fault("cross-tenant-read") else None

    @staticmethod
    def refusal(op: Operation) -> int:
        """The status an invalid request is refused with: 400 where documented (or where a `default`
        response documents any status), else the operation's own documented 4xx that comes closest
        (422, 404, 409, 412, 403, then any), else 400 (the document lists none: a documentation gap)."""
        if 400 in op.responses or op.default_response is not None:
            return 400
        listed = [s for s in op.error_statuses if 400 <= s < 500 and s != 401]
        for status in (422, 404, 409, 412, 403, *listed):
            if status in listed:
                return status
        return 400

    @staticmethod
    def _knows_missing(op: Operation) -> bool:
        return 404 in op.responses or any("NOT_FOUND" in op.error_codes_for(s) for s in op.error_statuses)

    def not_found(self, op: Operation, path: str) -> Response:
        """404 where documented (or covered by a `default` response), else the documented status whose
        codes say NOT_FOUND (the seeds' 422), else the documented status invalid requests get."""
        status = 404
        if 404 not in op.responses and op.default_response is None:
            named = [s for s in op.error_statuses if "NOT_FOUND" in op.error_codes_for(s)]
            refusal = self.refusal(op)
            status = named[0] if named else (refusal if refusal in op.responses else 404)
        return self.error(op, status, "NOT_FOUND", [f"{path} does not exist"])

    @staticmethod
    def _status(op: Operation, *preferred: int) -> int:
        documented = op.success_statuses
        return next((s for s in preferred if s in documented), documented[0] if documented else preferred[0])

    def answer(
        self, op: Operation, status: int, stored: Any, headers: dict[str, str] | None = None
    ) -> Response:
        """The documented success for `status`, its body built from the schema around what is stored."""
        spec = op.responses.get(status)
        if spec is None or spec.media_type is None:
            if status == 204 and self.fault("no-content-as-200"):
                return JSONResponse(stored or {"ok": True}, status_code=200, headers=headers)
            return Response(status_code=status, headers=headers)
        if not _is_json(spec.media_type):
            return Response(b"", status_code=status, headers=headers, media_type=spec.media_type)
        content = sample(spec.schema or {}, stored or None)
        return JSONResponse(content, status_code=status, headers=headers, media_type=spec.media_type)

    def _maybe_crash(self, op: Operation, body: Any) -> None:
        if self.fault("crash-on-undocumented-field") and has_undocumented_field(
            body, op.request_schema or {}
        ):
            raise _Rejection(self.error(op, 500, "SUPPLIER_FAULT", ["internal error"]))
        for _, value in walk(body):
            crash = (
                (self.fault("crash-on-unicode") and isinstance(value, str) and not value.isascii())
                or (self.fault("crash-on-long-text") and isinstance(value, str) and len(value) > 1000)
                or (self.fault("crash-on-empty-array") and value == [])
                or (self.fault("crash-on-fraction") and isinstance(value, float) and not value.is_integer())
            )
            if crash:
                raise _Rejection(self.error(op, 500, "SUPPLIER_FAULT", ["internal error"]))

    # -- OAuth2 and the contracts themselves -------------------------------------------------------
    async def token(self, request: Request) -> Response:
        # application/x-www-form-urlencoded (RFC 6749 §4.4); the stdlib parses it, no multipart needed.
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        basic = request.headers.get("authorization", "")
        if basic.lower().startswith("basic "):
            with contextlib.suppress(binascii.Error, UnicodeDecodeError):
                client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        token = self.tokens.issue(client_id, secret)
        if token is None:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        return JSONResponse(
            {"access_token": token, "token_type": "Bearer", "expires_in": int(self.tokens.ttl)}
        )

    async def contract(self, request: Request) -> Response:
        path = self.contract_files.get(request.path_params["name"])
        if path is None:
            return self.error(None, 404, "NOT_FOUND", ["no such contract"])
        media = "application/json" if path.suffix == ".json" else "application/yaml"
        return Response(path.read_bytes(), media_type=media)


_PROBLEM = {  # RFC 9457 problem details, for an operation that documents no error shape at all
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
    "required": ["type", "title", "status", "detail"],
}


_ENTRY_KEYS = ("foreign", "tenant_scoped")  # the keys of an `operations:` entry that are not values


def _parent(template: str) -> str | None:
    """The item a collection path belongs to: `/harbours/{code}/tides` → `/harbours/{code}`."""
    m = re.match(r"(.*\{[^{}]+\}\)?)/", template)
    return m.group(1) if m else None


def _mapping(value: Any) -> dict[str, Any]:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def _tenant_in(values: dict[str, Any]) -> str | None:
    return next((str(v) for k, v in values.items() if k.lower() == "tenant"), None)


def _one_type_parameters(spec: Any) -> dict[str, Any]:
    """The spec as openapi-core can serve it: it reads a parameter's `type` as one word to choose how to
    read the text, and fails on `type: [string, null]` (a nullable enum, say). A path, query, header or
    cookie value is text, never JSON null: such a parameter is read as its one other type, or untyped."""
    spec = json.loads(json.dumps(spec))
    for item in (spec.get("paths") or {}).values():
        for op in (item or {}).values():
            for param in op.get("parameters", []) if isinstance(op, dict) else ():
                schema = param.get("schema")
                if isinstance(schema, dict) and isinstance(schema.get("type"), list):
                    types = [t for t in schema["type"] if t != "null"]
                    if len(types) == 1:
                        schema["type"] = types[0]
                    else:
                        del schema["type"]
    return spec


def _is_json(media: str | None) -> bool:
    media = (media or "").partition(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _without_length(response: Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower() != "content-length"}


def _credential(scheme: SecurityScheme, request: Request) -> str | None:
    """The credential a request presents for `scheme`, or None when it presents none."""
    if scheme.kind == "api-key":
        name = scheme.parameter or scheme.name
        where = {"query": request.query_params, "cookie": request.cookies}.get(
            scheme.location or "header", request.headers
        )
        value = where.get(name)
        return value if value else None
    auth_scheme, _, value = request.headers.get("authorization", "").partition(" ")
    wanted = "basic" if scheme.kind == "basic" else "bearer"
    return value.strip() if auth_scheme.lower() == wanted and value.strip() else None


def _check_credentials_have_schemes(config: ServerConfig, operations: list[Operation]) -> None:
    """A credential no operation can use is a usage error (a typo would otherwise leave every request
    refused 401): an API key whose NAME no API-key scheme answers to, Basic credentials without a Basic
    scheme."""
    schemes = [s for op in operations for s in op.security]
    keyed = [s for s in schemes if s.kind == "api-key"]
    for name, _ in config.api_keys:
        if not any(name.lower() in (s.name.lower(), (s.parameter or s.name).lower()) for s in keyed):
            known = ", ".join(sorted({s.name for s in keyed})) or "none"
            raise UsageError(
                f"{name} is not an API-key scheme (or its parameter) in the contracts (API-key schemes: {known})",
                "api_key",
            )
    if config.basic and not any(s.kind == "basic" for s in schemes):
        raise UsageError("no operation of the contracts is secured by HTTP Basic", "basic")


def _challenge(schemes: tuple[SecurityScheme, ...]) -> dict[str, str] | None:
    """RFC 7617 §2: a 401 for an operation secured by HTTP Basic challenges for it."""
    if any(s.kind == "basic" for s in schemes):
        return {"WWW-Authenticate": 'Basic realm="fcvalidate", charset="UTF-8"'}
    return None


def _exact_name(scheme: SecurityScheme, request: Request) -> bool:
    """Whether a header credential came under its name exactly as documented (the raw names, where the
    server keeps them: `serve_in_background`)."""
    raw_names = request.scope.get("extensions", {}).get(RAW_HEADER_NAMES)
    if raw_names is None or (scheme.kind == "api-key" and scheme.location not in (None, "header")):
        return True
    wanted = (scheme.parameter or scheme.name) if scheme.kind == "api-key" else "Authorization"
    return wanted in raw_names


def _elsewhere(scheme: SecurityScheme, request: Request) -> str | None:
    """A credential read from places the document does not give (the fault `credential-in-query`)."""
    names = ("access_token",) if scheme.kind == "bearer" else (scheme.parameter or scheme.name, "api_key")
    return next((request.query_params[n] for n in names if request.query_params.get(n)), None)


def _wanted(scheme: SecurityScheme) -> str:
    if scheme.kind == "api-key":
        return f"{scheme.parameter or scheme.name}: an API key is required"
    if scheme.kind == "basic":
        return "Authorization: basic credentials are required"
    return "Authorization: a bearer token is required"


def _rejected(schemes: tuple[SecurityScheme, ...]) -> str:
    if all(s.kind in ("bearer", "unknown") for s in schemes):
        return "Authorization: the token is not valid or has expired"
    return "the credentials are not valid"


def _tenant(op: Operation, request: Request) -> str | None:
    """The tenant a request acts for: the value of the operation's required `Tenant` header (any case);
    None when the operation has none, and then it sees every tenant's resources."""
    for header in op.headers:
        if header.required and header.name.lower() == "tenant":
            return request.headers.get(header.name)
    return None


def _odd(value: str) -> bool:
    return not value.isascii() or any(not (c.isalnum() or c in "-._~") for c in value)


def _merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396: objects merge, null removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = _merge_patch(out.get(key), value)
    return out


METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def create_app(config: ServerConfig | None = None) -> Starlette:
    """The reference implementation as an ASGI app (the store lives as long as the app)."""
    reference = ReferenceApp(config or ServerConfig())
    app = Starlette(
        routes=[
            Route("/oauth2/token", reference.token, methods=["POST"]),
            Route("/openapi/{name}", reference.contract, methods=["GET"]),
            Route("/{path:path}", reference.handle, methods=METHODS),
        ]
    )
    app.state.reference = reference
    return app
