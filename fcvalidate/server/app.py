"""The embedded reference implementation: a Starlette app driven by the compiled contracts.

Routes, required headers and request validation come from the contracts (openapi-core), not from
per-endpoint rules. Precedence, which the certify engine relies on:
unknown path 404 → other method 405 (Allow) → token 401 → required headers 400 INVALID_REQUEST →
body not JSON 400 MALFORMED_REQUEST → body breaks the schema 400 INVALID_REQUEST (every field named) →
business rules (unknown or another tenant's service problem: 422 NOT_FOUND) → 201 (202 with accept_async).
Every error body has a fresh uuid, a code from that operation's own enum, and messages.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from openapi_core import Config, OpenAPI
from openapi_core.contrib.starlette import StarletteOpenAPIRequest
from openapi_core.security.factories import SecurityProviderFactory
from openapi_core.security.providers import BaseProvider
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from fcvalidate.contract.operation import GAP_SUCCESS_RESPONSE, Operation
from fcvalidate.files import bundled_contracts_dir, find_contracts, load_contracts
from fcvalidate.jsonpath import json_path, walk
from fcvalidate.server.auth import Tokens
from fcvalidate.server.faults import check_faults
from fcvalidate.server.store import Store

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
            self.validators[contract.name] = OpenAPI.from_dict(
                dict(contract.spec),
                config=Config(spec_validator_cls=None, security_provider_factory=_TokensCheckedByTheApp()),
            )
            for op in contract.operations:
                self.ops.setdefault(op.path, {})[op.method] = op
        self.all_codes = [
            code for by_method in self.ops.values() for op in by_method.values() for code in op.error_codes
        ]
        self.tokens = Tokens(config.tokens, config.clients, config.token_ttl)
        self.store = Store(config.db)

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
        if (
            op is not None
            and op.responses.get(status) is not None
            and op.responses[status].media_type is None
        ):
            return Response(status_code=status, headers=headers)  # documented without a body: send none
        code = self._faulty_code(op, code)
        body: dict[str, Any] = {"uuid": str(uuid.uuid4()), "code": code, "messages": messages}
        if self.fault("error-uuid-not-uuid"):
            body["uuid"] = "error-1"
        if self.fault("error-missing-uuid"):
            del body["uuid"]
        if self.fault("error-messages-string"):
            body["messages"] = "; ".join(messages)
        if self.fault("error-not-json"):
            return PlainTextResponse(f"{code}: {'; '.join(messages)}", status_code=status, headers=headers)
        return JSONResponse(body, status_code=status, headers=headers)

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
        by_method = self.ops.get(request.url.path)
        if by_method is None:
            return self.error(None, 404, "NOT_FOUND", [f"no operation at {request.url.path}"])
        op = by_method.get(request.method)
        if op is None:
            if self.fault("other-methods-200"):
                return JSONResponse({}, status_code=200)
            allow = ", ".join(sorted(by_method))
            any_op = next(iter(by_method.values()))
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
            return self.succeed(op, request, body)
        except _Rejection as rejection:
            return rejection.response

    def authorise(self, op: Operation, request: Request) -> None:
        if not op.security or self.fault("no-auth"):
            return
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        code = "INVALID_REQUEST" if self.fault("auth-wrong-code") else "NOT_AUTHORISED"
        if scheme.lower() != "bearer" or not token.strip():
            if self.fault("auth-400"):
                raise _Rejection(
                    self.error(op, 400, "INVALID_REQUEST", ["Authorization: a bearer token is required"])
                )
            raise _Rejection(self.error(op, 401, code, ["Authorization: a bearer token is required"]))
        if self.tokens.valid(token.strip()) or self.fault("any-token"):
            return
        if self.fault("invalid-token-403-with-body"):
            body = {"uuid": str(uuid.uuid4()), "code": "NOT_AUTHORISED", "messages": ["forbidden"]}
            raise _Rejection(JSONResponse(body, status_code=403))
        raise _Rejection(self.error(op, 401, code, ["Authorization: the token is not valid or has expired"]))

    async def validated_body(self, op: Operation, request: Request) -> Any:
        raw = await request.body()
        missing = [m for m in self._missing_headers(op, request)]
        if missing:
            raise _Rejection(
                self.error(
                    op, 400, "INVALID_REQUEST", [f"{name}: required header is missing" for name in missing]
                )
            )
        try:
            body = json.loads(raw) if raw.strip() else None
        except (ValueError, UnicodeDecodeError):
            code = "NOT_FOUND" if self.fault("malformed-json-wrong-code") else "MALFORMED_REQUEST"
            raise _Rejection(self.error(op, 400, code, ["the body is not JSON"])) from None
        if body is None:
            raise _Rejection(self.error(op, 400, "INVALID_REQUEST", ["a JSON object body is required"]))
        if not isinstance(body, dict):
            if self.fault("non-object-accepted"):
                return {}
            raise _Rejection(self.error(op, 400, "INVALID_REQUEST", ["$: the body must be a JSON object"]))
        if not self.fault("no-validation"):
            problems = list(self._schema_problems(op, request, raw))
            if problems:
                raise _Rejection(self.error(op, 400, "INVALID_REQUEST", problems))
        return body

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

    def _schema_problems(self, op: Operation, request: Request, raw: bytes) -> Iterator[str]:
        """Every way the body breaks the contract, by JSON path (openapi-core, then its jsonschema errors)."""
        validator = self.validators[op.contract]
        result = validator.unmarshal_request(StarletteOpenAPIRequest(request, body=raw))
        for error in result.errors:
            schema_errors = getattr(error.__cause__, "schema_errors", None)
            if not schema_errors:
                if type(error).__name__ in ("MissingRequiredParameter", "ParameterValidationError"):
                    continue  # headers are checked above, with the header faults applied
                yield str(error)
                continue
            for e in schema_errors:
                if self.fault("accept-wrong-type") and e.validator == "type":
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

    def succeed(self, op: Operation, request: Request, body: dict[str, Any]) -> Response:
        self._maybe_crash(op, body)
        if op.path != SERVICE_PROBLEM_PATH or GAP_SUCCESS_RESPONSE in op.gaps:
            return JSONResponse({"id": str(uuid.uuid4())}, status_code=201)
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

    def _maybe_crash(self, op: Operation, body: Any) -> None:
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
