"""Supplier 6, deferred validation (service-problem-amendments.md: "The supplier may return a 202 accepted
response without confirming the amendment if further validation/processing is required. In this scenario,
the supplier must then send an update (KCI) to later confirm the amendment was applied or if rejected.").

- syntax, required headers, required fields and documented types are checked at once (400);
- every well-formed amendment is answered 202 Accepted, echoing it: the business checks (does the service
  problem exist, is it this Tenant's) run later and a rejection is sent as a KCI, as the document allows;
- the 1.17 operations likewise: 202 with an id, later updates via KCIs (their documents say so).
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

_ids = itertools.count(300_001)
KCI_QUEUE: list[dict[str, Any]] = []  # what the later validation would work from


def _ok(value: Any, kind: str) -> bool:
    if kind == "contact":
        return (
            isinstance(value, dict)
            and all(isinstance(value.get(k), str) for k in kit.CONTACT_REQUIRED)
            and ("email" not in value or isinstance(value["email"], str))
        )
    if kind == "characteristics":
        return isinstance(value, list) and all(
            isinstance(c, dict) and all(isinstance(c.get(k), str) for k in kit.CHARACTERISTIC_REQUIRED)
            for c in value
        )
    return kit.is_type(value, kind)


async def _accept(request: Request, headers: tuple[str, ...]) -> tuple[Response | None, Any]:
    token = kit.bearer(request)
    if token != kit.TOKEN:
        return kit.error(401, "NOT_AUTHORISED", "Not authorised"), None
    missing = [h for h in headers if h not in request.headers]
    if missing:
        return kit.error(400, "INVALID_REQUEST", *(f"Missing header {h}" for h in missing)), None
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return kit.error(400, "MALFORMED_REQUEST", "Body is not JSON"), None
    if not isinstance(body, dict):
        return kit.error(400, "MALFORMED_REQUEST", "Body is not a JSON object"), None
    return None, body


async def service_problem_amendments(request: Request) -> Response:
    refused, body = await _accept(request, ("X-Request-ID", "X-Conversation-ID", "Tenant"))
    if refused:
        return refused
    bad = [f"Field {n} is required" for n in kit.SPA_REQUIRED if n not in body]
    bad += [
        f"Invalid value for field {n}" for n, k in kit.SPA_FIELDS.items() if n in body and not _ok(body[n], k)
    ]
    if bad:
        return kit.error(400, "INVALID_REQUEST", *bad)
    if len(KCI_QUEUE) < 1000:
        KCI_QUEUE.append({"tenant": request.headers["Tenant"], "amendment": body})
    known = {k: v for k, v in body.items() if k in kit.SPA_FIELDS}
    return kit.json_response(known, 202)


async def service_orders(request: Request) -> Response:
    refused, _ = await _accept(request, ("X-Request-ID", "X-Conversation-ID"))
    return refused or kit.json_response({"id": next(_ids)}, 202)


async def service_order_amendments(request: Request) -> Response:
    refused, _ = await _accept(request, ("X-Request-ID", "X-Conversation-ID"))
    return refused or kit.json_response({"id": next(_ids)}, 202)


app = Starlette(
    routes=[
        Route("/service-problem-amendments", service_problem_amendments, methods=["POST"]),
        Route("/service-orders", service_orders, methods=["POST"]),
        Route("/service-order-amendments", service_order_amendments, methods=["POST"]),
    ]
)
