"""Supplier 10, behind an API gateway: the gateway authenticates, answers CORS preflights and other methods
itself, and decorates every answer with headers of its own; the backend behind it is plain Starlette.

Gateway:
- `OPTIONS` on a route → 200, empty body, CORS headers (Access-Control-Allow-Origin/-Methods/-Headers,
  -Max-Age) and Allow; every answer carries Access-Control-Allow-Origin and -Expose-Headers, Via,
  X-Gateway-Request-ID, X-Amzn-Trace-Id-style trace, Strict-Transport-Security, X-Content-Type-Options,
  X-Frame-Options, Vary: Origin, and echoes X-Request-ID / X-Conversation-ID;
- a missing or wrong bearer token → 401 with the documented body and `WWW-Authenticate: Bearer
  realm="fibre-cafe", error="invalid_token"` (RFC 6750 §3), never reaching the backend;
- a method the route does not have → 405 with Allow and a JSON body of the gateway's own;
- the gateway strips `Server` from the backend and puts its own.
Backend: documented headers and fields (400 INVALID_REQUEST / MALFORMED_REQUEST), 422 NOT_FOUND for a
problem that is not the Tenant's, 201 for the 1.15 amendment, 202 with an id for the 1.17 operations.
"""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.independent import _kit as kit

_ids = itertools.count(810_001)
PATHS = ("/service-problem-amendments", "/service-orders", "/service-order-amendments")
CORS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", b"X-Request-ID, X-Conversation-ID, X-Gateway-Request-ID"),
    (b"vary", b"Origin"),
]


async def _body(request: Request, headers: tuple[str, ...]) -> tuple[Response | None, Any]:
    missing = [h for h in headers if not request.headers.get(h)]
    if missing:
        return kit.error(400, "INVALID_REQUEST", *(f"{h}: header required" for h in missing)), None
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return kit.error(400, "MALFORMED_REQUEST", "Request body could not be parsed"), None
    if not isinstance(body, dict):
        return kit.error(400, "MALFORMED_REQUEST", "Request body must be an object"), None
    return None, body


async def service_problem_amendments(request: Request) -> Response:
    refused, body = await _body(request, ("X-Request-ID", "X-Conversation-ID", "Tenant"))
    if refused:
        return refused
    bad = kit.spa_problems(body)
    if bad:
        return kit.error(400, "INVALID_REQUEST", *bad)
    if kit.SERVICE_PROBLEMS.get(body["serviceProblemId"]) != request.headers["Tenant"]:
        return kit.error(422, "NOT_FOUND", "Service problem not found")
    known = {k: v for k, v in body.items() if k in kit.SPA_FIELDS}
    return kit.json_response({**known, "supplierReference": f"GW{next(_ids)}"}, 201)


async def order_operation(request: Request) -> Response:
    refused, _ = await _body(request, ("X-Request-ID", "X-Conversation-ID"))
    return refused or kit.json_response({"id": next(_ids)}, 202)


backend = Starlette(
    routes=[
        Route("/service-problem-amendments", service_problem_amendments, methods=["POST"]),
        Route("/service-orders", order_operation, methods=["POST"]),
        Route("/service-order-amendments", order_operation, methods=["POST"]),
    ]
)


async def _answer(send: Any, status: int, headers: list, body: bytes = b"") -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def app(scope: Any, receive: Any, send: Any) -> None:
    """The gateway in front of `backend`."""
    if scope["type"] != "http":
        await backend(scope, receive, send)
        return
    request_headers = dict(scope["headers"])
    gateway_id = str(uuid.uuid4()).encode()
    decoration = [
        *CORS,
        (b"via", b"1.1 fibre-gateway (Kong/3.4)"),
        (b"x-gateway-request-id", gateway_id),
        (b"x-trace-id", b"Root=1-" + gateway_id[:8] + b"-" + gateway_id[9:13]),
        (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"server", b"fibre-gateway"),
        *[(k, v) for k, v in scope["headers"] if k in (b"x-request-id", b"x-conversation-id")],
    ]
    path, method = scope["path"], scope["method"]
    if path not in PATHS:
        body = kit.dumps({"uuid": str(uuid.uuid4()), "code": "NOT_FOUND", "messages": ["No route"]})
        await _answer(send, 404, [*decoration, (b"content-type", b"application/json")], body)
        return
    if method == "OPTIONS":
        await _answer(
            send,
            200,
            [
                *decoration,
                (b"allow", b"POST, OPTIONS"),
                (b"access-control-allow-methods", b"POST, OPTIONS"),
                (
                    b"access-control-allow-headers",
                    b"Authorization, Content-Type, X-Request-ID, X-Conversation-ID, Tenant",
                ),
                (b"access-control-max-age", b"600"),
            ],
        )
        return
    if method != "POST":
        body = b'{"message":"Method Not Allowed"}'
        await _answer(
            send,
            405,
            [*decoration, (b"allow", b"POST, OPTIONS"), (b"content-type", b"application/json")],
            body,
        )
        return
    auth = request_headers.get(b"authorization", b"").decode("latin-1")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or token.strip() != kit.TOKEN:
        body = kit.dumps({"uuid": str(uuid.uuid4()), "code": "NOT_AUTHORISED", "messages": ["Unauthorized"]})
        challenge = b'Bearer realm="fibre-cafe"' + (b', error="invalid_token"' if auth else b"")
        await _answer(
            send,
            401,
            [*decoration, (b"www-authenticate", challenge), (b"content-type", b"application/json")],
            body,
        )
        return

    async def decorated(message: Any) -> None:
        if message["type"] == "http.response.start":
            kept = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
            message = {**message, "headers": kept + decoration}
        await send(message)

    await backend(scope, receive, decorated)
