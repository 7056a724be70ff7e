"""Supplier 7, document-literal business rules on POST /service-problem-amendments.

- "A request will contain 1 or more fields to be amended": a request naming no field to amend (only
  id / serviceProblemId / references) → 422 INVALID_REQUEST ("If the request is invalid or not possible then a
  422 code should be returned with reason(s)");
- `id` is the "Unique identifier for this service problem amendment request": an id already used → 422
  INVALID_REQUEST (a duplicate amendment request);
- otherwise documented fields are checked (unknown ones ignored), 400 INVALID_REQUEST; tenant-owned problems; 201.
- the 1.17 operations: any JSON object, 202 with an id.
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

_ids = itertools.count(600_001)
_used: set[float] = set()
_lock = threading.Lock()
NOT_AMENDABLE = {"id", "serviceProblemId", "supplierReference", "supplierServiceProblemReference"}


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


async def _front(request: Request, headers: tuple[str, ...]) -> tuple[Response | None, Any]:
    token = kit.bearer(request)
    if token != kit.TOKEN:
        return kit.error(401, "NOT_AUTHORISED", "Not authorised"), None
    missing = [h for h in headers if not request.headers.get(h)]
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
    refused, body = await _front(request, ("X-Request-ID", "X-Conversation-ID", "Tenant"))
    if refused:
        return refused
    bad = [f"Field {n} is required" for n in kit.SPA_REQUIRED if n not in body]
    bad += [
        f"Invalid value for field {n}" for n, k in kit.SPA_FIELDS.items() if n in body and not _ok(body[n], k)
    ]
    if bad:
        return kit.error(400, "INVALID_REQUEST", *bad)
    if kit.SERVICE_PROBLEMS.get(body["serviceProblemId"]) != request.headers["Tenant"]:
        return kit.error(422, "NOT_FOUND", "Service problem not found")
    if not any(k in kit.SPA_FIELDS and k not in NOT_AMENDABLE for k in body):
        return kit.error(422, "INVALID_REQUEST", "The request contains no field to be amended")
    with _lock:
        if body["id"] in _used:
            return kit.error(
                422, "INVALID_REQUEST", f"Amendment request {body['id']} has already been received"
            )
        _used.add(body["id"])
    known = {k: v for k, v in body.items() if k in kit.SPA_FIELDS}
    return kit.json_response({**known, "supplierReference": f"SI_RE{next(_ids)}"}, 201)


async def service_orders(request: Request) -> Response:
    refused, _ = await _front(request, ("X-Request-ID", "X-Conversation-ID"))
    return refused or kit.json_response({"id": next(_ids)}, 202)


async def service_order_amendments(request: Request) -> Response:
    refused, _ = await _front(request, ("X-Request-ID", "X-Conversation-ID"))
    return refused or kit.json_response({"id": next(_ids)}, 202)


app = Starlette(
    routes=[
        Route("/service-problem-amendments", service_problem_amendments, methods=["POST"]),
        Route("/service-orders", service_orders, methods=["POST"]),
        Route("/service-order-amendments", service_order_amendments, methods=["POST"]),
    ]
)
