"""Supplier 5, framework-flavoured: what a stack adds around a conformant handler.

- other methods → the framework's own 405 (text/plain) with Allow; OPTIONS → 204 with Allow (CORS-style preflight);
- gzip-compressed answers when the client accepts gzip (every size); Connection: close on every answer;
- extra response headers: X-Request-ID / X-Conversation-ID echoed, Cache-Control, Server, X-Powered-By, rate-limit info;
- success bodies carry extra fields (status, createdAt, _links); error bodies carry extra `details`
  and verbose messages; the 1.15 amendment is confirmed at once with 201;
- validation of documented fields only (unknown fields ignored), 400 INVALID_REQUEST; tenant-owned problems.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.independent import _kit as kit

_seq = itertools.count(42_000)


def _err(status: int, code: str, field: str | None, message: str) -> Response:
    details = [{"field": field, "issue": message}] if field else []
    return kit.error(status, code, f"{message}{f' (field: {field})' if field else ''}", details=details)


def _validate(body: dict) -> tuple[str, str] | None:
    for name in kit.SPA_REQUIRED:
        if name not in body:
            return name, "is required"
    for name, kind in kit.SPA_FIELDS.items():
        if name not in body:
            continue
        v = body[name]
        if kind == "contact":
            if not isinstance(v, dict):
                return name, "must be an object"
            for sub, sk in kit.CONTACT_FIELDS.items():
                if (sub in kit.CONTACT_REQUIRED and sub not in v) or (
                    sub in v and not kit.is_type(v[sub], sk)
                ):
                    return f"{name}.{sub}", "is required and must be a string"
        elif kind == "characteristics":
            if not isinstance(v, list) or not all(
                isinstance(c, dict)
                and all(kit.is_type(c.get(k), "string") for k in kit.CHARACTERISTIC_REQUIRED)
                for c in v
            ):
                return name, "must be an array of {name, value} strings"
        elif not kit.is_type(v, kind):
            return name, f"must be a {kind}"
    return None


async def _handle(request: Request, headers: tuple[str, ...]) -> tuple[Response | None, Any]:
    token = kit.bearer(request)
    if token is None:
        return _err(
            401, "NOT_AUTHORISED", None, "Full authentication is required to access this resource"
        ), None
    if token != kit.TOKEN:
        return _err(401, "NOT_AUTHORISED", None, "The access token is invalid or has expired"), None
    for h in headers:
        if not request.headers.get(h):
            return _err(400, "INVALID_REQUEST", h, "Required request header is not present"), None
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as exc:
        return _err(400, "MALFORMED_REQUEST", None, f"JSON parse error: {type(exc).__name__}"), None
    if not isinstance(body, dict):
        return _err(
            400, "INVALID_REQUEST", None, "Cannot deserialize request body: a JSON object is expected"
        ), None
    return None, body


def _created(body: dict, status: int = 201) -> Response:
    now = dt.datetime.now(dt.UTC).isoformat()
    return kit.json_response(
        {**body, "status": "ACKNOWLEDGED", "createdAt": now, "_links": {"self": {"href": "/x"}}}, status
    )


async def service_problem_amendments(request: Request) -> Response:
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": "POST, OPTIONS"})
    refused, body = await _handle(request, ("X-Request-ID", "X-Conversation-ID", "Tenant"))
    if refused:
        return refused
    bad = _validate(body)
    if bad:
        return _err(400, "INVALID_REQUEST", *bad)
    if kit.SERVICE_PROBLEMS.get(body["serviceProblemId"]) != request.headers["Tenant"]:
        return _err(422, "NOT_FOUND", "serviceProblemId", "Service problem does not exist")
    known = {k: v for k, v in body.items() if k in kit.SPA_FIELDS}
    return _created({**known, "supplierReference": f"SI_RE{next(_seq)}"})


async def service_orders(request: Request) -> Response:
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": "POST, OPTIONS"})
    refused, _ = await _handle(request, ("X-Request-ID", "X-Conversation-ID"))
    return refused or _created({"id": next(_seq)})


async def service_order_amendments(request: Request) -> Response:
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": "POST, OPTIONS"})
    refused, _ = await _handle(request, ("X-Request-ID", "X-Conversation-ID"))
    return refused or _created({"id": next(_seq)})


class ExtraHeaders:
    """Pure ASGI middleware: echo tracing headers, add the stack's usual headers, close the connection."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        echoed = [(k, v) for k, v in scope["headers"] if k in (b"x-request-id", b"x-conversation-id")]

        async def wrapped(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = (
                    list(message.get("headers", []))
                    + echoed
                    + [
                        (b"cache-control", b"no-store"),
                        (b"server", b"supplier-gateway/2.3"),
                        (b"x-powered-by", b"Starlette"),
                        (b"x-ratelimit-limit", b"1000"),
                        (b"x-ratelimit-remaining", b"999"),
                        (b"connection", b"close"),
                    ]
                )
            await send(message)

        await self.app(scope, receive, wrapped)


app = Starlette(
    routes=[
        Route("/service-problem-amendments", service_problem_amendments, methods=["POST", "OPTIONS"]),
        Route("/service-orders", service_orders, methods=["POST", "OPTIONS"]),
        Route("/service-order-amendments", service_order_amendments, methods=["POST", "OPTIONS"]),
    ],
    middleware=[Middleware(ExtraHeaders), Middleware(GZipMiddleware, minimum_size=1)],
)
