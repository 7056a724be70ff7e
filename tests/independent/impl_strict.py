"""Supplier 1, strict: closed schemas, typed values, UUID request identifiers, no reused X-Request-ID.

- an undocumented body field (at any depth) → 400 INVALID_REQUEST, naming it;
- every documented header must be present and non-empty; X-Request-ID and X-Conversation-ID must be UUIDs;
- X-Request-ID is a "Unique identifier": a value seen before → 400 INVALID_REQUEST;
- Content-Type must be application/json; a body that is not JSON → 400 MALFORMED_REQUEST;
- the service problem must exist and be the Tenant's own, else 422 NOT_FOUND;
- POST /service-problem-amendments confirms at once: 201 with the amendment echoed and a supplierReference;
- the 1.17 operations document no request fields and no success: any JSON object, 202 with an id.
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

from tests.independent._kit import (
    CHARACTERISTIC_FIELDS,
    CHARACTERISTIC_REQUIRED,
    CONTACT_FIELDS,
    CONTACT_REQUIRED,
    SERVICE_PROBLEMS,
    SPA_FIELDS,
    SPA_REQUIRED,
    TOKEN,
    bearer,
    error,
    is_type,
    is_uuid,
    json_response,
)

_seen_request_ids: set[str] = set()
_lock = threading.Lock()
_ids = itertools.count(900001)


def _closed(obj: dict[str, Any], fields: dict[str, str], required: tuple[str, ...], where: str) -> list[str]:
    problems = []
    for name in obj:
        if name not in fields:
            problems.append(f"Unknown field {where}{name}")
    for name in required:
        if name not in obj:
            problems.append(f"Missing required field {where}{name}")
    for name, kind in fields.items():
        if name not in obj:
            continue
        value = obj[name]
        if kind == "contact":
            if not isinstance(value, dict):
                problems.append(f"Invalid value for field {where}{name} - expected an object")
            else:
                problems += _closed(value, CONTACT_FIELDS, CONTACT_REQUIRED, f"{where}{name}.")
        elif kind == "characteristics":
            if not isinstance(value, list):
                problems.append(f"Invalid value for field {where}{name} - expected an array")
            else:
                for i, item in enumerate(value):
                    if not isinstance(item, dict):
                        problems.append(f"Invalid value for field {where}{name}[{i}] - expected an object")
                    else:
                        problems += _closed(
                            item, CHARACTERISTIC_FIELDS, CHARACTERISTIC_REQUIRED, f"{where}{name}[{i}]."
                        )
        elif not is_type(value, kind):
            problems.append(f"Invalid value for field {where}{name} - expected a {kind}")
    return problems


async def _front(request: Request, headers: tuple[str, ...]) -> tuple[Response | None, Any]:
    token = bearer(request)
    if token is None:
        return error(401, "NOT_AUTHORISED", "Missing bearer token"), None
    if token != TOKEN:
        return error(401, "NOT_AUTHORISED", "Invalid bearer token"), None
    problems = []
    for name in headers:
        value = request.headers.get(name)
        if value is None:
            problems.append(f"Missing required header {name}")
        elif not value.strip():
            problems.append(f"Empty value for header {name}")
        elif name in ("X-Request-ID", "X-Conversation-ID") and not is_uuid(value):
            problems.append(f"Invalid value for header {name} - a UUID is expected")
    if problems:
        return error(400, "INVALID_REQUEST", *problems), None
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return error(400, "MALFORMED_REQUEST", "Content-Type must be application/json"), None
    raw = await request.body()
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return error(400, "MALFORMED_REQUEST", "The body is not valid JSON"), None
    if not isinstance(body, dict):
        return error(400, "MALFORMED_REQUEST", "The body must be a JSON object"), None
    rid = request.headers["X-Request-ID"]
    with _lock:
        if rid in _seen_request_ids:
            return error(400, "INVALID_REQUEST", f"X-Request-ID {rid} has already been used"), None
        _seen_request_ids.add(rid)
    return None, body


async def service_problem_amendments(request: Request) -> Response:
    refused, body = await _front(request, ("X-Request-ID", "X-Conversation-ID", "Tenant"))
    if refused:
        return refused
    problems = _closed(body, SPA_FIELDS, SPA_REQUIRED, "")
    if problems:
        return error(400, "INVALID_REQUEST", *problems)
    owner = SERVICE_PROBLEMS.get(body["serviceProblemId"])  # type: ignore[call-overload]
    if owner != request.headers["Tenant"]:
        return error(422, "NOT_FOUND", f"Service problem {body['serviceProblemId']} not found")
    answer = dict(body)
    answer.setdefault("supplierReference", f"SI_RE{next(_ids)}")
    return json_response(answer, 201)


async def service_orders(request: Request) -> Response:
    refused, _ = await _front(request, ("X-Request-ID", "X-Conversation-ID"))
    if refused:
        return refused
    return json_response({"id": next(_ids)}, 202)


async def service_order_amendments(request: Request) -> Response:
    refused, _ = await _front(request, ("X-Request-ID", "X-Conversation-ID"))
    if refused:
        return refused
    return json_response({"id": next(_ids)}, 202)


app = Starlette(
    routes=[
        Route("/service-problem-amendments", service_problem_amendments, methods=["POST"]),
        Route("/service-orders", service_orders, methods=["POST"]),
        Route("/service-order-amendments", service_order_amendments, methods=["POST"]),
    ]
)
