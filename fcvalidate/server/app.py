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
from dataclasses import dataclass, replace
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

from fcvalidate.contract.operation import (
    GAP_REQUEST_BODY,
    GAP_SUCCESS_RESPONSE,
    Contract,
    Operation,
    ResponseSpec,
    SecurityScheme,
)
from fcvalidate.engine import basic
from fcvalidate.errors import UsageError
from fcvalidate.files import bundled_contracts_dir, find_contracts, load_contracts, load_data_file
from fcvalidate.jsonpath import json_path
from fcvalidate.server.auth import ApiKeys, Passwords, Tokens
from fcvalidate.server.bodies import error_body, sample
from fcvalidate.server.faults import Fault, Hooks, chosen_faults
from fcvalidate.server.hooks import (
    At,
    Credentials,
    ErrorAnswer,
    NewId,
    Presented,
    Problem,
    Refusal,
    Success,
    case_sensitive_headers,
    exact_credential_header,
)
from fcvalidate.server.paging import one_page
from fcvalidate.server.routing import Match, Router, fill, is_item, last_parameter
from fcvalidate.server.store import Resource, Store

SERVICE_PROBLEM_PATH = "/service-problem-amendments"


@dataclass(frozen=True, slots=True)
class ServerConfig:
    contracts_dir: Path | None = None
    tokens: tuple[str, ...] = ()
    clients: tuple[tuple[str, str], ...] = ()  # (client id, client secret)
    db: str | None = None
    accept_async: bool = False
    faults: frozenset[str] = frozenset()  # catalogue fault ids
    mutants: tuple[Fault, ...] = ()  # faults from outside the catalogue (mutation testing)
    token_ttl: float = 3600
    delay: float = 0.0  # every answer this late: a remote implementation's latency, not a fault
    api_keys: tuple[tuple[str, str], ...] = ()  # (name the key is sent under or scheme name, value)
    basic: tuple[tuple[str, str], ...] = ()  # HTTP Basic (user, password)
    data: Path | None = None  # a data file (`values:`, `operations:`) whose known values are seeded

    @property
    def raw_header_names(self) -> bool:
        """Whether a chosen fault reads header names as sent (uvicorn lower-cases them)."""
        raw = (case_sensitive_headers, exact_credential_header)
        return any(hook in raw for f in self.chosen for _, hook in f.hooks)

    @property
    def chosen(self) -> tuple[Fault, ...]:
        return (*chosen_faults(self.faults), *self.mutants)

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
    def __init__(self, refusal: Refusal) -> None:
        self.refusal = refusal


def _refuse(status: int, code: str, messages: list[str] | tuple[str, ...], kind: Any) -> _Rejection:
    return _Rejection(Refusal(status, code, tuple(messages), kind))


@dataclass(frozen=True, slots=True)
class _Target:
    """The resource a request acts on: its path, the tenant it acts for, its path values, the body."""

    op: Operation
    path: str
    tenant: str | None
    given: dict[str, str]
    payload: dict[str, Any]

    @classmethod
    def of(cls, at: At) -> _Target:
        op, match = at.op, at.match
        assert op is not None and match is not None
        payload = at.body if isinstance(at.body, dict) else {}
        return cls(op, at.request.url.path, _tenant(op, at.request), dict(match.path_values), payload)

    @property
    def ids(self) -> dict[str, str]:
        """`/pets/{petId}` is the pet whose `id` is petId: the path value answers for an id not stored."""
        last = last_parameter(self.op.path)
        return (
            {alias: self.given[last] for alias in ("id", "ID", "Id")}
            if last and is_item(self.op.path)
            else {}
        )


class ReferenceApp:
    """The request pipeline; one instance per served app (holds the store and the tokens)."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.hooks = Hooks(config.chosen)
        folder = config.contracts_dir or bundled_contracts_dir()
        self.contract_files = {p.name: p for p in find_contracts([folder])}
        contracts = load_contracts([folder])
        self.validators: dict[str, OpenAPI] = {c.name: _validator(c) for c in contracts}
        self.ops = _by_path(contracts)
        operations = [op for by_method in self.ops.values() for op in by_method.values()]
        self.all_codes = [code for op in operations for code in op.error_codes]
        self.router = Router(operations)
        self.tokens = Tokens(config.tokens, config.clients, config.token_ttl)
        self.api_keys = ApiKeys(config.api_keys, self.tokens)
        self.passwords = Passwords(config.basic)
        _check_credentials_have_schemes(config, operations)
        self.store = Store(config.db, _seeds(self.ops, config.data) if config.data else [])

    # -- responses --------------------------------------------------------------------------------
    def error(self, at: At, refusal: Refusal) -> Response:
        """An error in the shape `op` documents for its status (else its `default` response, else its
        other error statuses' shape); a status documented without fields has no body."""
        refusal = self.hooks.apply("refusal", at, refusal)
        status, headers = refusal.status, dict(refusal.headers or {}) or None
        spec = None if at.op is None else at.op.responses.get(status)
        if spec is not None and spec.media_type is None and refusal.documented_shape:
            return Response(status_code=status, headers=headers)  # documented without a body: send none
        answer = self.hooks.apply("error", at, self._error_answer(at.op, refusal))
        if answer.media == "text/plain":
            return PlainTextResponse(answer.body, status_code=status, headers=headers)
        return JSONResponse(answer.body, status_code=status, headers=headers, media_type=answer.media)

    def _error_answer(self, op: Operation | None, refusal: Refusal) -> ErrorAnswer:
        status, code, messages = refusal.status, refusal.code, list(refusal.messages)
        plain = {"uuid": str(uuid.uuid4()), "code": code, "messages": messages}
        shape = self._error_shape(op, status) if refusal.documented_shape else None
        if shape is not None:
            media, schema = shape
            return ErrorAnswer(refusal, error_body(schema, status, code, messages), media)
        if op is not None and not op.error_codes and refusal.documented_shape:
            # nothing documented to follow: RFC 9457's own shape
            return ErrorAnswer(
                refusal, error_body(_PROBLEM, status, code, messages), "application/problem+json"
            )
        return ErrorAnswer(refusal, plain, "application/json")

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

    def render(self, at: At, success: Success) -> Response:
        """A success answer, after the success hooks."""
        s = self.hooks.apply("success", at, success)
        headers = dict(s.headers or {}) or None
        if s.media is None:
            return Response(status_code=s.status, headers=headers)
        if _is_json(s.media):
            return JSONResponse(s.body, status_code=s.status, headers=headers, media_type=s.media)
        content = s.body if isinstance(s.body, bytes | str) else json.dumps(s.body)
        return Response(content, status_code=s.status, headers=headers, media_type=s.media)

    # -- the pipeline -----------------------------------------------------------------------------
    async def handle(self, request: Request) -> Response:
        if self.config.delay:
            await asyncio.sleep(self.config.delay)
        match = self.router.match(request.url.path)
        if match is None:
            refusal = Refusal(404, "NOT_FOUND", (f"no operation at {request.url.path}",), "unknown-path")
            return self.error(At(self, request), refusal)
        by_method = match.route.operations
        op = by_method.get(request.method)
        if op is None:
            return self.not_allowed(request, match)
        at = At(self, request, op, match)
        try:
            self.authorise(at)
            body = await self.validated_body(at)
            response = self.succeed(replace(at, body=body))
        except _Rejection as rejection:
            response = self.error(at, rejection.refusal)
        if request.method == "HEAD":  # the status and headers GET would send, never a body
            return Response(status_code=response.status_code, headers=_without_length(response))
        return response

    def not_allowed(self, request: Request, match: Match) -> Response:
        by_method = match.route.operations
        allow = ", ".join(sorted(by_method))
        # the operation documenting 405, if one does, says its shape (OPTIONS often documents it bare)
        any_op = next((o for o in by_method.values() if 405 in o.responses), next(iter(by_method.values())))
        at = At(self, request, any_op, match)
        message = f"{request.method} is not allowed; use {allow}"
        response = self.error(at, Refusal(405, "INVALID_REQUEST", (message,), "method", {"Allow": allow}))
        return self.hooks.apply("method", at, response)  # type: ignore[no-any-return]

    # -- credentials ------------------------------------------------------------------------------
    def authorise(self, at: At) -> None:
        """Any one of the operation's security alternatives is enough; none documented: open."""
        op = at.op
        assert op is not None
        if not op.security:
            return
        verdict = self.credentials(at, op.security)
        if verdict.accepted:
            return
        challenge = _challenge(op.security)
        if not verdict.presented:
            wanted = " or ".join(dict.fromkeys(_wanted(s) for s in op.security))
            raise _Rejection(Refusal(401, "NOT_AUTHORISED", (wanted,), "no-credentials", challenge))
        rejected = (_rejected(op.security),)
        raise _Rejection(Refusal(401, "NOT_AUTHORISED", rejected, "bad-credentials", challenge))

    def credentials(self, at: At, schemes: tuple[SecurityScheme, ...]) -> Credentials:
        """Which kinds of credential the request presents, and whether one is accepted (after the hooks)."""
        presented = [self.hooks.apply("credential", at, self.presented(s, at.request)) for s in schemes]
        shown = [p for p in presented if p.credential is not None]
        verdict = Credentials(frozenset(p.scheme.kind for p in shown), any(p.accepted for p in shown))
        return self.hooks.apply("credentials", at, verdict)  # type: ignore[no-any-return]

    def presented(self, scheme: SecurityScheme, request: Request) -> Presented:
        credential = _credential(scheme, request)
        return Presented(scheme, credential, credential is not None and self.accepts(scheme, credential))

    def accepts(self, scheme: SecurityScheme, credential: str) -> bool:
        """Whether `credential`, presented for `scheme`, is valid."""
        if scheme.kind == "api-key":
            return self.api_keys.valid((scheme.name, scheme.parameter or scheme.name), credential)
        if scheme.kind == "basic":
            pair = basic.decode(credential)
            if pair is None:
                return False
            user, password = pair
            return self.passwords.valid(user, password) or self.tokens.client(user, password)
        return self.tokens.valid(credential)

    # -- the request ------------------------------------------------------------------------------
    def check_headers(self, at: At) -> None:
        op = at.op
        assert op is not None
        missing = tuple(h.name for h in op.headers if h.required and h.name.lower() not in at.request.headers)
        missing = self.hooks.apply("headers", at, missing)
        if missing:
            messages = [f"{name}: required header is missing" for name in missing]
            raise _refuse(self.refusal(op), "INVALID_REQUEST", messages, "headers")

    async def validated_body(self, at: At) -> Any:
        """The JSON body (None for an operation that takes none; the documented example for one that
        is not an object and got through), after headers, parameters and body were checked against the
        contract."""
        op, request = at.op, at.request
        assert op is not None
        raw = await request.body()
        crash = self.hooks.apply("received", at, None)
        if crash is not None:
            raise _Rejection(crash)
        self.check_headers(at)
        takes_json = _is_json(op.request_media_type) or GAP_REQUEST_BODY in op.gaps
        body: Any = None
        shape: tuple[Problem, ...] = ()
        if takes_json:
            body, shape = self._json_body(op, raw)
        elif op.request_media_type is not None:
            self._check_other_body(op, request, raw)
        checked = takes_json and not shape
        problems = shape + tuple(self._schema_problems(op, request, raw if checked else b"", checked))
        problems = self.hooks.apply("validation", at, problems)
        if problems:
            messages = list(dict.fromkeys(p.text for p in problems))
            raise _refuse(self.refusal(op), "INVALID_REQUEST", messages, "invalid")
        return body

    def _json_body(self, op: Operation, raw: bytes) -> tuple[Any, tuple[Problem, ...]]:
        try:
            body = json.loads(raw) if raw.strip() else None
        except (ValueError, UnicodeDecodeError):
            raise _refuse(
                self.refusal(op), "MALFORMED_REQUEST", ["the body is not JSON"], "malformed"
            ) from None
        if body is None:
            raise _refuse(self.refusal(op), "INVALID_REQUEST", ["a JSON object body is required"], "invalid")
        if not isinstance(body, dict):  # its parameters are still checked, its fields cannot be
            # let through (a fault), it is taken as the documented example: its shape was never looked at
            problem = Problem("body", "object", 0, "$: the body must be a JSON object")
            return sample(op.request_schema or {}), (problem,)
        return body, ()

    def _check_other_body(self, op: Operation, request: Request, raw: bytes) -> None:
        """A body that is not JSON (an image, a form): its media type and presence, not its bytes."""
        media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        wanted = str(op.request_media_type).lower()
        if media and media != wanted and not wanted.endswith("/*"):
            status = 415 if 415 in op.responses else self.refusal(op)
            raise _refuse(
                status, "INVALID_REQUEST", [f"Content-Type: {wanted} is required, not {media}"], "invalid"
            )
        if not raw:
            raise _refuse(self.refusal(op), "INVALID_REQUEST", [f"a {wanted} body is required"], "invalid")

    def _schema_problems(
        self, op: Operation, request: Request, raw: bytes, takes_json: bool = True
    ) -> Iterator[Problem]:
        """Every way the parameters and the body break the contract, by name and JSON path (openapi-core,
        then its jsonschema errors). openapi-core 0.23 parses JSON-text (`content`) query parameters
        itself: text that is not JSON is a `ParameterValidationError` without schema errors."""
        validator = self.validators[op.contract]
        result = validator.unmarshal_request(StarletteOpenAPIRequest(request, body=raw))
        for error in result.errors:
            if isinstance(error, SecurityValidationError):
                continue  # the app checks credentials itself, before anything else
            if isinstance(error, ParameterValidationError):
                yield from _parameter_problems(error)
                continue
            in_body = isinstance(error, RequestBodyValidationError)
            if in_body and not takes_json:
                continue
            yield from _schema_error_problems(error, "body" if in_body else "request")

    def succeed(self, at: At) -> Response:
        op = at.op
        assert op is not None
        crash = self.hooks.apply("request", at, None)
        if crash is not None:
            raise _Rejection(crash)
        if GAP_SUCCESS_RESPONSE in op.gaps and op.method == "POST":
            # no documented success: a POST creates (201); any other method acts on the resource its path
            # names, answered as HTTP says (RFC 9110: 404 for one that does not exist, 200 for a GET,
            # 204 for a DELETE), by `resource` below with no documented status to prefer
            return JSONResponse({"id": str(uuid.uuid4())}, status_code=201)
        return self.resource(at) if op.path != SERVICE_PROBLEM_PATH else self.amend(at)

    def amend(self, at: At) -> Response:
        """The seeds' business rule: an amendment to a service problem the request's tenant owns."""
        body = at.body
        tenant = at.request.headers.get("tenant")
        owner = self.store.owner(body.get("serviceProblemId"))
        gone = [f"service problem {body.get('serviceProblemId')!r} does not exist"]
        if owner is None or not self.hooks.apply("tenant", at, tenant == owner):
            raise _refuse(422, "NOT_FOUND", gone, "not-found")
        echo = {k: v for k, v in body.items() if v is not None}
        echo["supplierReference"] = self.store.add_amendment(body["serviceProblemId"], str(tenant), echo)
        return self.render(at, Success(202 if self.config.accept_async else 201, echo, "application/json"))

    # -- resources of any contract ----------------------------------------------------------------
    def resource(self, at: At) -> Response:
        """The store's side of an operation: what its method does to the resource at its path."""
        target = _Target.of(at)
        op = target.op
        unstored = {"OPTIONS": self.options, "POST": self.create}.get(op.method)  # no stored resource read
        if unstored is not None:
            return unstored(at, target)
        found = self.visible(at, target.path, target.tenant)
        if found is None and op.method in ("GET", "HEAD") and not is_item(op.path):
            return self.search(at, target)
        if op.method == "PUT" and (found is not None or self._put_creates(op)):
            return self.replace(at, target, found)
        found = self.hooks.apply("lookup", at, found)
        if found is None:
            raise _Rejection(self.not_found(op, target.path))
        act = {"PATCH": self.merge, "DELETE": self.remove}.get(op.method, self.read)
        return act(at, target, found)

    def options(self, at: At, target: _Target) -> Response:
        assert at.match is not None
        allow = ", ".join(sorted(at.match.route.operations))
        return self.answer(at, self._status(target.op, 204, 200), {}, {"Allow": allow})

    def search(self, at: At, target: _Target) -> Response:
        """A collection nothing is stored at (`/harbours/{code}/tides`): the documented shape, from
        examples; under a parent the path names (`/harbours/PLYM`), only while that parent exists, where a
        missing one is documented."""
        op, owner = target.op, _parent(target.op.path)
        if (
            owner
            and self._knows_missing(op)
            and not self._known(at, fill(owner, target.given), target.tenant)
        ):
            raise _Rejection(self.not_found(op, target.path))
        return self.answer(at, self._status(op, 200), {})

    def replace(self, at: At, target: _Target, found: Resource | None) -> Response:
        stored = {**(found.body if found else {}), **target.payload, **target.given}
        self.keep(at, Resource(target.path, target.tenant if found is None else found.tenant, stored))
        status = self._status(target.op, *((200, 204) if found else (201, 200, 204)))
        return self.answer(at, status, {**target.ids, **stored})

    def merge(self, at: At, target: _Target, found: Resource) -> Response:
        stored = _merge_patch(found.body, target.payload)
        self.keep(at, Resource(target.path, found.tenant, stored))
        return self.answer(at, self._status(target.op, 200, 204), {**target.ids, **stored})

    def remove(self, at: At, target: _Target, found: Resource) -> Response:
        if self.hooks.apply("remove", at, True):
            self.store.delete(target.path)
        return self.answer(at, self._status(target.op, 204, 200, 202), {**target.ids, **found.body})

    def read(self, at: At, target: _Target, found: Resource) -> Response:
        stored = {**target.ids, **found.body, **target.given}
        return self.answer(at, self._status(target.op, 200), stored)

    def create(self, at: At, target: _Target) -> Response:
        """POST to a collection: a new resource with a generated id, echoed in the documented success."""
        op, path = target.op, target.path
        status = self._status(op, 201, 200, 202)
        item = self.router.item_template(op.path)
        id_name = last_parameter(item or "") or "id"
        props = _properties(op.responses.get(status))
        field = id_name if id_name in props and "id" not in props else "id"
        new = self.hooks.apply("new-id", at, NewId(field, self._fresh_id(props.get(field) or {}, path)))
        stored = {**target.payload, field: new.value}
        where = fill(item, {id_name: new.value}) if item else f"{path.rstrip('/')}/{new.value}"
        if not new.fresh and self.store.get(where) is not None:  # a duplicate key the code never expected
            raise _refuse(500, "SUPPLIER_FAULT", ["duplicate key"], "server-error")
        self.keep(at, Resource(where, target.tenant, stored))
        return self.answer(at, status, stored, {"Location": where} if item else None)

    def keep(self, at: At, resource: Resource) -> None:
        """What a create, replace or merge writes (the store hooks may change or drop it)."""
        kept = self.hooks.apply("store", at, resource)
        if kept is not None:
            self.store.put(kept)

    def _fresh_id(self, schema: Any, collection: str) -> Any:
        kinds = schema.get("type") if isinstance(schema, dict) else None
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "integer" in kinds or "number" in kinds:
            return self.store.next_number(collection)
        return f"{uuid.uuid4().hex[:12]}"

    def _known(self, at: At, path: str, tenant: str | None) -> bool:
        """Whether the resource at `path` exists, or anything was stored under it."""
        under = path.rstrip("/") + "/"
        return self.visible(at, path, tenant) is not None or any(
            r.path.startswith(under) for r in self.store.resources()
        )

    def visible(self, at: At, path: str, tenant: str | None) -> Resource | None:
        """The resource at `path`, unless it belongs to another tenant (the tenant rule, see README)."""
        found = self.store.get(path)
        if found is None or tenant is None or found.tenant in (None, tenant):
            return found
        return found if self.hooks.apply("tenant", at, False) else None

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

    @classmethod
    def _put_creates(cls, op: Operation) -> bool:
        """PUT replaces; it creates what it names unless the contract says a missing one is not found."""
        return 201 in op.responses or not cls._knows_missing(op)

    @staticmethod
    def _knows_missing(op: Operation) -> bool:
        return 404 in op.responses or any("NOT_FOUND" in op.error_codes_for(s) for s in op.error_statuses)

    def not_found(self, op: Operation, path: str) -> Refusal:
        """404 where documented (or covered by a `default` response), else the documented status whose
        codes say NOT_FOUND (the seeds' 422), else the documented status invalid requests get."""
        status = 404
        if 404 not in op.responses and op.default_response is None:
            named = [s for s in op.error_statuses if "NOT_FOUND" in op.error_codes_for(s)]
            refusal = self.refusal(op)
            status = named[0] if named else (refusal if refusal in op.responses else 404)
        return Refusal(status, "NOT_FOUND", (f"{path} does not exist",), "not-found")

    @staticmethod
    def _status(op: Operation, *preferred: int) -> int:
        documented = op.success_statuses
        return next((s for s in preferred if s in documented), documented[0] if documented else preferred[0])

    def answer(self, at: At, status: int, stored: Any, headers: dict[str, str] | None = None) -> Response:
        """The documented success for `status`, its body built from the schema around what is stored."""
        assert at.op is not None
        spec = at.op.responses.get(status)
        if spec is None or spec.media_type is None:
            return self.render(at, Success(status, None, None, headers, stored))
        if not _is_json(spec.media_type):
            return self.render(at, Success(status, b"", spec.media_type, headers, stored))
        content = one_page(at.op, at.request.query_params, sample(spec.schema or {}, stored or None))
        return self.render(at, Success(status, content, spec.media_type, headers, stored))

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
            return self.error(
                At(self, request), Refusal(404, "NOT_FOUND", ("no such contract",), "unknown-path")
            )
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


def _by_path(contracts: list[Contract]) -> dict[str, dict[str, Operation]]:
    ops: dict[str, dict[str, Operation]] = {}
    for contract in contracts:
        for op in contract.operations:
            ops.setdefault(op.path, {})[op.method] = op
    return ops


def _validator(contract: Contract) -> OpenAPI:
    # openapi-core reads only application/json as JSON; merge-patch+json and the like are JSON too
    json_media: dict[str, Callable[[bytes], Any]] = {
        str(op.request_media_type): json.loads
        for op in contract.operations
        if _is_json(op.request_media_type) and op.request_media_type != "application/json"
    }
    config = Config(
        spec_validator_cls=None,
        security_provider_factory=_TokensCheckedByTheApp(),
        extra_media_type_deserializers=json_media,
    )
    return OpenAPI.from_dict(_one_type_parameters(contract.spec), config=config)


def _seeds(ops: dict[str, dict[str, Operation]], data_file: Path) -> list[Resource]:
    """The resources a data file's known values name: `operations: {"GET /x/{id}": {id: "1"}}` seeds
    `/x/1`, owned by the Tenant of that entry or of `values:`; path parameters an entry does not give
    come from `values:`. An entry's `foreign:` naming other path values (merged over the global
    `foreign:`) seeds that resource too, owned by the foreign Tenant: another tenant's id."""
    data = load_data_file(data_file) or {}
    if not isinstance(data, dict):
        raise UsageError(f"{data_file}: expected a mapping with `values:` and/or `operations:`", "data")
    values, foreign = _mapping(data.get("values")), _mapping(data.get("foreign"))
    seeds: dict[str, Resource] = {}
    for label, entry in _mapping(data.get("operations")).items():
        method, _, template = label.strip().partition(" ")
        op = ops.get(template.strip(), {}).get(method.upper())
        if op is not None:
            for seed in _entry_seeds(op, values, foreign, _mapping(entry)):
                seeds.setdefault(seed.path, seed)
    return list(seeds.values())


def _entry_seeds(
    op: Operation, values: dict[str, Any], foreign: dict[str, Any], entry: dict[str, Any]
) -> Iterator[Resource]:
    """The tenant's own resource an `operations:` entry names, then the foreign one (where every path
    value is given)."""
    names = [p.name for p in op.in_("path")]
    own = {**values, **{k: v for k, v in entry.items() if k not in _ENTRY_KEYS}}
    other = {**foreign, **_mapping(entry.get("foreign"))}
    for given, owner in ((own, _tenant_in(own)), ({**own, **other}, _tenant_in(other) or "another")):
        if names and all(name in given for name in names):
            yield Resource(fill(op.path, given), owner, {name: given[name] for name in names})


def _properties(spec: ResponseSpec | None) -> dict[str, Any]:
    return ((spec.schema if spec else None) or {}).get("properties") or {}


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
    for param in _parameters(spec):
        schema = param.get("schema")
        if isinstance(schema, dict) and isinstance(schema.get("type"), list):
            types = [t for t in schema["type"] if t != "null"]
            if len(types) == 1:
                schema["type"] = types[0]
            else:
                del schema["type"]
    return spec


def _parameters(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in (spec.get("paths") or {}).values():
        for op in (item or {}).values():
            yield from op.get("parameters", []) if isinstance(op, dict) else ()


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
    _check_api_key_names([name for name, _ in config.api_keys], [s for s in schemes if s.kind == "api-key"])
    if config.basic and not any(s.kind == "basic" for s in schemes):
        raise UsageError("no operation of the contracts is secured by HTTP Basic", "basic")


def _check_api_key_names(names: list[str], keyed: list[SecurityScheme]) -> None:
    answers = {name.lower() for s in keyed for name in (s.name, s.parameter or s.name)}
    unknown = [name for name in names if name.lower() not in answers]
    if unknown:
        known = ", ".join(sorted({s.name for s in keyed})) or "none"
        raise UsageError(
            f"{unknown[0]} is not an API-key scheme (or its parameter) in the contracts (API-key schemes: {known})",
            "api_key",
        )


def _challenge(schemes: tuple[SecurityScheme, ...]) -> dict[str, str] | None:
    """RFC 7617 §2: a 401 for an operation secured by HTTP Basic challenges for it."""
    if any(s.kind == "basic" for s in schemes):
        return {"WWW-Authenticate": 'Basic realm="fcvalidate", charset="UTF-8"'}
    return None


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


def _parameter_problems(error: ParameterValidationError) -> Iterator[Problem]:
    where, location = f"{error.location} parameter {error.name}", str(error.location)
    if location == "header":
        return  # required headers are checked first, with the header hooks applied
    if isinstance(error, MissingRequiredParameter):
        yield Problem(location, "missing", 0, f"{where}: required parameter is missing")
        return
    schema_errors = getattr(error.__cause__, "schema_errors", None)
    if not schema_errors:
        text = f"{where}: not a valid value (JSON text is expected where the contract says so)"
        yield Problem(location, "value", 0, text)
        return
    for e in schema_errors:
        text = f"{where}{json_path(tuple(e.absolute_path))[1:]}: {e.message}"
        yield Problem(location, str(e.validator), len(e.absolute_path), text, e.instance, e.validator_value)


def _schema_error_problems(error: Exception, where: str) -> Iterator[Problem]:
    schema_errors = getattr(error.__cause__, "schema_errors", None)
    if not schema_errors:
        yield Problem(where, "value", 0, str(error))
        return
    for e in schema_errors:
        depth = len(e.absolute_path)
        if e.validator == "required":
            for name in sorted(set(e.validator_value) - set(e.instance)):
                text = f"{json_path((*e.absolute_path, name))}: required field is missing"
                yield Problem(where, "required", depth, text)
        else:
            text = f"{json_path(tuple(e.absolute_path))}: {e.message}"
            yield Problem(where, str(e.validator), depth, text, e.instance, e.validator_value)


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
