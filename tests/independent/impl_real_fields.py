"""Supplier 4, the 1.17 operations need their real fields (the export dropped them from the documents).

- POST /service-orders needs {"orderType": "PROVIDE"|"CEASE"|"MODIFY", "serviceId": string}, other fields refused;
- POST /service-order-amendments needs {"orderId": string, "amendments": [ {"field": string, "value": string} ... ]};
  anything else → the documented 400 INVALID_REQUEST with the reasons;
- POST /service-problem-amendments as documented (unknown fields ignored), 201, tenant-owned problems only.
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

_next = itertools.count(5_000_001)


async def _common(request: Request, headers: tuple[str, ...]) -> tuple[Response | None, Any]:
    token = kit.bearer(request)
    if token != kit.TOKEN:
        return kit.error(401, "NOT_AUTHORISED", "Missing token" if token is None else "Invalid token"), None
    for h in headers:
        if h not in request.headers:
            return kit.error(400, "INVALID_REQUEST", f"Missing header {h}"), None
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return kit.error(400, "MALFORMED_REQUEST", "Malformed JSON"), None
    if not isinstance(body, dict):
        return kit.error(400, "MALFORMED_REQUEST", "A JSON object is expected"), None
    return None, body


async def service_orders(request: Request) -> Response:
    refused, body = await _common(request, ("X-Request-ID", "X-Conversation-ID"))
    if refused:
        return refused
    reasons = []
    if body.get("orderType") not in ("PROVIDE", "CEASE", "MODIFY"):
        reasons.append("Invalid value for field orderType - accepted values are PROVIDE, CEASE, MODIFY")
    if not isinstance(body.get("serviceId"), str) or not body.get("serviceId"):
        reasons.append("Field serviceId is required")
    reasons += [f"Unknown field {k}" for k in body if k not in ("orderType", "serviceId")]
    if reasons:
        return kit.error(400, "INVALID_REQUEST", *reasons)
    return kit.json_response({"orderNumber": f"FC{next(_next)}", "orderType": body["orderType"]}, 201)


async def service_order_amendments(request: Request) -> Response:
    refused, body = await _common(request, ("X-Request-ID", "X-Conversation-ID"))
    if refused:
        return refused
    reasons = []
    if not isinstance(body.get("orderId"), str) or not body.get("orderId"):
        reasons.append("Field orderId is required")
    amendments = body.get("amendments")
    if not isinstance(amendments, list) or not amendments:
        reasons.append("Field amendments is required (1 or more)")
    elif not all(
        isinstance(a, dict) and isinstance(a.get("field"), str) and isinstance(a.get("value"), str)
        for a in amendments
    ):
        reasons.append("Each amendment needs a string field and value")
    reasons += [f"Unknown field {k}" for k in body if k not in ("orderId", "amendments")]
    if reasons:
        return kit.error(400, "INVALID_REQUEST", *reasons)
    return kit.json_response({"amendmentReference": f"AM{next(_next)}"}, 201)


async def service_problem_amendments(request: Request) -> Response:
    refused, body = await _common(request, ("X-Request-ID", "X-Conversation-ID", "Tenant"))
    if refused:
        return refused
    reasons = [f"Field {n} is required" for n in kit.SPA_REQUIRED if n not in body]
    for name, kind in kit.SPA_FIELDS.items():
        if name not in body:
            continue
        value = body[name]
        if kind == "contact":
            ok = (
                isinstance(value, dict)
                and all(isinstance(value.get(k), str) for k in kit.CONTACT_REQUIRED)
                and ("email" not in value or isinstance(value["email"], str))
            )
        elif kind == "characteristics":
            ok = isinstance(value, list) and all(
                isinstance(c, dict) and all(isinstance(c.get(k), str) for k in kit.CHARACTERISTIC_REQUIRED)
                for c in value
            )
        else:
            ok = kit.is_type(value, kind)
        if not ok:
            reasons.append(f"Invalid value for field {name}")
    if reasons:
        return kit.error(400, "INVALID_REQUEST", *reasons)
    if kit.SERVICE_PROBLEMS.get(body["serviceProblemId"]) != request.headers["Tenant"]:
        return kit.error(422, "NOT_FOUND", "Service problem not found")
    known = {k: v for k, v in body.items() if k in kit.SPA_FIELDS}
    return kit.json_response({**known, "supplierReference": f"SI_RE{next(_next)}"}, 201)


app = Starlette(
    routes=[
        Route("/service-problem-amendments", service_problem_amendments, methods=["POST"]),
        Route("/service-orders", service_orders, methods=["POST"]),
        Route("/service-order-amendments", service_order_amendments, methods=["POST"]),
    ]
)
