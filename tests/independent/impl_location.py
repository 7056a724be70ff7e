"""Supplier 12, resource-style answers: every success names where the created thing can be found.

- POST /service-problem-amendments confirms at once: 201 Created, `Location: /service-problem-amendments/{id}`
  (absolute-path form, RFC 9110 §10.2.2) and the amendment echoed with a supplierReference;
- POST /service-orders: 201 Created with `Location: /service-orders/{orderNumber}` and {"orderNumber": ...};
- POST /service-order-amendments: 202 Accepted (the amendment goes to the supplier for processing, updates
  via KCIs) with `Location` of a status monitor and `Retry-After: 30` saying when to look (RFC 9110 §15.3.3,
  §10.2.3): a client must not read that Retry-After as pacing;
- validation: required headers (400 INVALID_REQUEST), documented fields and types, 422 NOT_FOUND for a
  problem not the Tenant's; unknown fields ignored.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.independent import _kit as kit

_ids = itertools.count(201_001)


async def _front(request: Request, headers: tuple[str, ...]) -> tuple[Response | None, Any]:
    if kit.bearer(request) != kit.TOKEN:
        return kit.error(401, "NOT_AUTHORISED", "Not authorised"), None
    missing = [h for h in headers if not request.headers.get(h)]
    if missing:
        return kit.error(400, "INVALID_REQUEST", *(f"Missing required header {h}" for h in missing)), None
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
        return kit.error(422, "NOT_FOUND", "Service problem not found")
    known = {k: v for k, v in body.items() if k in kit.SPA_FIELDS}
    ref = f"SI_RE{next(_ids)}"
    return kit.json_response(
        {**known, "supplierReference": ref}, 201, {"Location": f"/service-problem-amendments/{ref}"}
    )


async def service_orders(request: Request) -> Response:
    refused, _ = await _front(request, ("X-Request-ID", "X-Conversation-ID"))
    if refused:
        return refused
    number = f"ORD{next(_ids)}"
    return kit.json_response({"orderNumber": number}, 201, {"Location": f"/service-orders/{number}"})


async def service_order_amendments(request: Request) -> Response:
    refused, _ = await _front(request, ("X-Request-ID", "X-Conversation-ID"))
    if refused:
        return refused
    ref = f"AMD{next(_ids)}"
    return kit.json_response(
        {"amendmentReference": ref, "status": "PENDING"},
        202,
        {"Location": f"/service-order-amendments/{ref}/status", "Retry-After": "30"},
    )


app = Starlette(
    routes=[
        Route("/service-problem-amendments", service_problem_amendments, methods=["POST"]),
        Route("/service-orders", service_orders, methods=["POST"]),
        Route("/service-order-amendments", service_order_amendments, methods=["POST"]),
    ]
)
