"""Fibre Cafe gateway, strict supplier (written from tests/contract/corpus/fibre-cafe/*.md only).

- bearer token required: missing or wrong → 401 (no body; WWW-Authenticate: Bearer);
- every documented required header must be present and non-empty → else 400 INVALID_REQUEST (422 on the
  PATCH, whose only documented error is 422 INVALID_REQUEST; GET and DELETE document neither: 400 there);
- unknown query parameters on GET /available-appointments → 400 INVALID_REQUEST (the document lists the
  parameters; a strict gateway refuses others with the documented 400);
- closed request bodies: an undocumented field → 400 (POST) / 422 INVALID_REQUEST (PATCH);
- PATCH only accepts application/merge-patch+json (its documented media type): anything else → 415;
- unknown service problem → 404 NOT_FOUND (GET), 422 INVALID_REQUEST (PATCH: its only documented error);
- DELETE answers 204, then 404 NOT_FOUND for a reservation already cancelled or never made.
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

TOKEN = "shapes-supplier-token"
PROBLEMS: dict[str, dict[str, Any]] = {
    "SP-000123": {
        "id": "SP-000123",
        "status": "OPEN",
        "priority": 2,
        "escalated": False,
        "appointment": None,
    },
}
RESERVATIONS = {"RES-1", "RES-2", "RES-3"}
_ids = itertools.count(200)


def _json(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(obj), status, headers, media_type="application/json")


def _err(status: int, code: str, *messages: str) -> Response:
    return _json({"uuid": str(uuid.uuid4()), "code": code, "messages": list(messages) or [code]}, status)


def _front(request: Request, *headers: str, invalid: int = 400) -> Response | None:
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or token.strip() != TOKEN:
        return Response(status_code=401, headers={"WWW-Authenticate": "Bearer"})
    missing = [h for h in headers if not request.headers.get(h, "").strip()]
    if missing:
        return _err(invalid, "INVALID_REQUEST", *(f"missing header {h}" for h in missing))
    return None


def _closed(obj: Any, spec: dict[str, Any], where: str = "") -> list[str]:
    """spec: field -> (types, required, sub-spec or enum)."""
    if not isinstance(obj, dict):
        return [f"{where or 'body'} must be an object"]
    out = [f"unknown field {where}{k}" for k in obj if k not in spec]
    for name, (types, required, extra) in spec.items():
        if name not in obj:
            if required:
                out.append(f"{where}{name} is required")
            continue
        v = obj[name]
        if not _is(v, types):
            out.append(f"{where}{name} must be {'/'.join(types)}")
        elif isinstance(extra, tuple) and v not in extra:
            out.append(f"{where}{name} is not one of {extra}")
        elif isinstance(extra, dict):
            items = v if isinstance(v, list) else [v]
            for i, item in enumerate(items):
                out += _closed(
                    item, extra, f"{where}{name}[{i}]." if isinstance(v, list) else f"{where}{name}."
                )
    return out


def _is(v: Any, types: tuple[str, ...]) -> bool:
    for t in types:
        if t == "any":
            return True
        if t == "null" and v is None:
            return True
        if t == "string" and isinstance(v, str):
            return True
        if t == "boolean" and isinstance(v, bool):
            return True
        if t == "integer" and isinstance(v, int) and not isinstance(v, bool):
            return True
        if t == "number" and isinstance(v, (int, float)) and not isinstance(v, bool):
            return True
        if t == "array" and isinstance(v, list):
            return True
        if t == "object" and isinstance(v, dict):
            return True
    return False


async def _body(request: Request, media: str) -> tuple[Any, Response | None]:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != media:
        return None, Response(status_code=415)
    try:
        return json.loads(await request.body()), None
    except ValueError:
        return None, None  # caller answers with its own error code


async def get_problem(request: Request) -> Response:
    refused = _front(request, "X-Request-ID")
    if refused:
        return refused
    problem = PROBLEMS.get(request.path_params["id"])
    if problem is None:
        return _err(404, "NOT_FOUND", f"no service problem {request.path_params['id']}")
    return _json(problem)


RESOLUTION = {
    "resolutionCode": (
        ("string",),
        True,
        ("CPE_REPLACED", "LINE_REPAIRED", "NO_FAULT_FOUND", "CUSTOMER_EDUCATION"),
    ),
    "clearedAt": (("string", "null"), False, None),
    "confirmedByCustomer": (("boolean",), False, (True,)),
    "engineerVisits": (("integer",), False, None),
    "parts": (("array",), False, {"code": (("string",), True, None), "quantity": (("integer",), True, None)}),
}


async def patch_resolution(request: Request) -> Response:
    refused = _front(request, "X-Request-ID", invalid=422)  # its document's only invalid-request status
    if refused:
        return refused
    body, refused = await _body(request, "application/merge-patch+json")
    if refused:
        return refused
    problems = _closed(body, RESOLUTION) if body is not None else ["the body is not JSON"]
    if problems:
        return _err(422, "INVALID_REQUEST", *problems)
    problem = PROBLEMS.get(request.path_params["id"])
    if problem is None:
        return _err(422, "INVALID_REQUEST", f"no service problem {request.path_params['id']}")
    return _json({"id": problem["id"], "status": "RESOLVED", "resolvedAt": "2026-03-02T11:42:00Z"})


async def delete_reservation(request: Request) -> Response:
    refused = _front(request, "X-Request-ID")
    if refused:
        return refused
    rid = request.path_params["reservationId"]
    if rid not in RESERVATIONS:
        return _err(404, "NOT_FOUND", f"reservation {rid} does not exist")
    RESERVATIONS.discard(rid)
    return Response(status_code=204)


APPOINTMENT_PARAMS = {"address", "appointmentTypes", "from", "days"}


async def available_appointments(request: Request) -> Response:
    refused = _front(request, "X-Request-ID")
    if refused:
        return refused
    q = request.query_params
    problems = [f"unknown query parameter {k}" for k in q if k not in APPOINTMENT_PARAMS]
    try:
        address = json.loads(q["address"]) if "address" in q else None
    except ValueError:
        return _json({"code": "MALFORMED_REQUEST", "messages": ["address is not JSON"]}, 400)
    if address is None:
        problems.append("address is required")
    elif not isinstance(address, dict):
        problems.append("address must be an object")
    types = q.getlist("appointmentTypes")
    if not types:
        problems.append("appointmentTypes is required")
    problems += [
        f"appointmentTypes {t} is not known" for t in types if t not in ("INSTALL", "REPAIR", "SURVEY")
    ]
    days = q.get("days", "14")
    if not days.isdigit():
        problems.append("days must be an integer")
    if problems:
        return _json({"code": "INVALID_REQUEST", "messages": problems}, 400)
    slots = [{"window": {"start": "08:00", "end": "13:00"}, "kind": "AM"}]
    return _json(
        {
            "supplier": "OPENREACH",
            "availability": {"days": [{"date": "2026-03-02", "slots": slots}], "truncated": False},
        }
    )


PROBLEM = {
    "serviceId": (("string",), True, None),
    "category": (("string",), True, ("NO_SERVICE", "INTERMITTENT", "SLOW_SPEED")),
    "contacts": (
        ("array",),
        True,
        {
            "name": (("string",), True, None),
            "phones": (
                ("array",),
                True,
                {"number": (("string",), True, None), "kind": (("string",), False, ("MOBILE", "LANDLINE"))},
            ),
        },
    ),
    "diagnostics": (
        ("object",),
        False,
        {
            "tests": (
                ("array",),
                True,
                {
                    "name": (("string",), True, None),
                    "passed": (("boolean",), True, None),
                    "reading": (("number", "null"), False, None),
                },
            ),
            "raw": (("any",), False, None),
        },
    ),
}


async def post_problem(request: Request) -> Response:
    refused = _front(request, "X-Request-ID", "Tenant")
    if refused:
        return refused
    body, refused = await _body(request, "application/json")
    if refused:
        return refused
    if body is None:
        return _json({"code": "MALFORMED_REQUEST", "messages": ["the body is not JSON"]}, 400)
    problems = _closed(body, PROBLEM)
    if problems:
        return _json({"code": "INVALID_REQUEST", "messages": problems}, 400)
    new_id = f"SP-{next(_ids):06d}"
    PROBLEMS[new_id] = {"id": new_id, "status": "OPEN", "escalated": False}
    return _json({"id": new_id, "status": "OPEN"}, 201)


CANCELLATION = {
    "orderId": (("string",), True, None),
    "reason": (("string",), True, ("CUSTOMER_REQUEST", "DUPLICATE", "PRICE")),
    "chargeable": (("boolean",), False, None),
    "refund": (
        ("object",),
        False,
        {
            "amount": (("number",), True, None),
            "lines": (("array",), False, {"label": (("string",), True, None)}),
        },
    ),
}


async def post_cancellation(request: Request) -> Response:
    refused = _front(request, "X-Request-ID", "Tenant")
    if refused:
        return refused
    body, refused = await _body(request, "application/json")
    if refused:
        return refused
    if body is None:
        return _err(400, "MALFORMED_REQUEST", "the body is not JSON")
    problems = _closed(body, CANCELLATION)
    if problems:
        return _err(400, "INVALID_REQUEST", *problems)
    return _json({"cancellationId": f"CAN-{next(_ids)}", "state": "PENDING_SUPPLIER"}, 202)


app = Starlette(
    routes=[
        Route("/service-problems/{id}", get_problem, methods=["GET"]),
        Route("/service-problems", post_problem, methods=["POST"]),
        Route("/service-problem-resolutions/{id}", patch_resolution, methods=["PATCH"]),
        Route("/appointment-reservations/{reservationId}", delete_reservation, methods=["DELETE"]),
        Route("/available-appointments", available_appointments, methods=["GET"]),
        Route("/service-order-cancellations", post_cancellation, methods=["POST"]),
    ]
)
