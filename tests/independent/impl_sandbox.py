"""Supplier 9, a rate-limited sandbox: a conformant handler behind a throttle that answers every 20th
request `429 Too Many Requests` with `Retry-After: 1` (before looking at it: credentials, headers, body).

The 429 is the sandbox's pacing (RFC 6585 §4), not an answer to the request: a client waits and resends.
Behind the throttle: required headers and fields checked (400 INVALID_REQUEST, 400 MALFORMED_REQUEST for a
body that is not JSON), 422 NOT_FOUND for a problem that is not the Tenant's, 201 for the 1.15 amendment,
202 with an id for the 1.17 operations; other methods 405 with Allow.
"""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.independent import _kit as kit

EVERY = 20
_count = itertools.count(1)
_lock = threading.Lock()
_ids = itertools.count(700_001)
THROTTLED: list[int] = []  # request numbers answered 429


class Throttle:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            with _lock:
                n = next(_count)
            if n % EVERY == 0:
                THROTTLED.append(n)
                body = b'{"message":"Too many requests - sandbox quota is 19 requests per burst"}'
                await send(
                    {
                        "type": "http.response.start",
                        "status": 429,
                        "headers": [
                            (b"retry-after", b"1"),
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"x-ratelimit-remaining", b"0"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


async def _front(request: Request, headers: tuple[str, ...]) -> tuple[Response | None, Any]:
    if kit.bearer(request) != kit.TOKEN:
        return kit.error(401, "NOT_AUTHORISED", "Invalid or missing token"), None
    missing = [h for h in headers if not request.headers.get(h)]
    if missing:
        return kit.error(400, "INVALID_REQUEST", *(f"Missing header {h}" for h in missing)), None
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return kit.error(400, "MALFORMED_REQUEST", "Malformed JSON"), None
    if not isinstance(body, dict):
        return kit.error(400, "MALFORMED_REQUEST", "A JSON object is expected"), None
    return None, body


async def service_problem_amendments(request: Request) -> Response:
    refused, body = await _front(request, ("X-Request-ID", "X-Conversation-ID", "Tenant"))
    if refused:
        return refused
    bad = kit.spa_problems(body)
    if bad:
        return kit.error(400, "INVALID_REQUEST", *bad)
    if kit.SERVICE_PROBLEMS.get(body["serviceProblemId"]) != request.headers["Tenant"]:
        return kit.error(422, "NOT_FOUND", "Unknown service problem")
    known = {k: v for k, v in body.items() if k in kit.SPA_FIELDS}
    return kit.json_response({**known, "supplierReference": f"SB{next(_ids)}"}, 201)


async def order_operation(request: Request) -> Response:
    refused, _ = await _front(request, ("X-Request-ID", "X-Conversation-ID"))
    return refused or kit.json_response({"id": next(_ids)}, 202)


app = Starlette(
    routes=[
        Route("/service-problem-amendments", service_problem_amendments, methods=["POST"]),
        Route("/service-orders", order_operation, methods=["POST"]),
        Route("/service-order-amendments", order_operation, methods=["POST"]),
    ]
)
app.add_middleware(Throttle)
