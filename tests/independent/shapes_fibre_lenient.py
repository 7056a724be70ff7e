"""Fibre Cafe gateway, lenient supplier (written from tests/contract/corpus/fibre-cafe/*.md only).

- bearer token required: 401 with a JSON error body otherwise, except on the DELETE, whose document lists
  401 with no fields (a body-less 401 there);
- a required header must be present (any value, even empty): else 400, or 422 on the PATCH;
- unknown query parameters and unknown body fields are ignored (open schemas);
- enum values in the query are matched case-insensitively (`appointmentTypes=install` is taken as INSTALL);
  `days` defaults to 14 and may be given as `14.0`;
- PATCH takes application/merge-patch+json or plain application/json (merge patch either way: only the
  fields sent are changed, `clearedAt: null` clears it) and answers 200 with the problem after the change;
- GET /service-problems/{id} sends an ETag and answers HEAD (Starlette does); an unknown id is 404 NOT_FOUND;
- DELETE is idempotent: 204 for a reservation once held, even when already cancelled; 404 for one never made;
  RES-9 was used by an order: 409 ALREADY_USED.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import uuid
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

TOKEN = "shapes-supplier-token"
_ids = itertools.count(500)
PROBLEMS: dict[str, dict[str, Any]] = {
    "SP-000123": {
        "id": "SP-000123",
        "status": "IN_PROGRESS",
        "escalated": True,
        "estimatedFixHours": 4.5,
        "appointment": {"start": "2026-03-02T08:00:00Z", "end": "2026-03-02T13:00:00Z"},
        "notes": [{"author": "CUSTOMER", "text": "Router lights are red."}],
    },
}
RESOLUTIONS: dict[str, dict[str, Any]] = {}
HELD = {"RES-1": "held", "RES-2": "held", "RES-9": "used"}


def _json(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(obj), status, headers, media_type="application/json")


def _err(status: int, code: str, *messages: str, uuid_: bool = True) -> Response:
    body: dict[str, Any] = {"code": code, "messages": list(messages) or [code]}
    if uuid_:
        body = {"uuid": str(uuid.uuid4()), **body}
    return _json(body, status)


def _front(request: Request, *headers: str, invalid: int = 400, bare_401: bool = False) -> Response | None:
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("bearer ") or auth[7:].strip() != TOKEN:
        if bare_401:
            return Response(status_code=401, headers={"WWW-Authenticate": "Bearer"})
        return _json({"code": "NOT_AUTHORISED", "messages": ["a valid bearer token is required"]}, 401)
    missing = [h for h in headers if h not in request.headers]
    if missing:
        return _err(invalid, "INVALID_REQUEST", *(f"{h} header is required" for h in missing))
    return None


async def _json_body(request: Request) -> tuple[bool, Any]:
    try:
        return True, json.loads(await request.body())
    except ValueError:
        return False, None


def _typed(v: Any, *types: type) -> bool:
    return isinstance(v, types) and not (isinstance(v, bool) and bool not in types)


async def get_problem(request: Request) -> Response:
    refused = _front(request, "X-Request-ID")
    if refused:
        return refused
    problem = PROBLEMS.get(request.path_params["id"])
    if problem is None:
        return _err(404, "NOT_FOUND", f"no service problem {request.path_params['id']}")
    text = json.dumps(problem)
    etag = '"' + hashlib.sha1(text.encode()).hexdigest()[:16] + '"'
    return Response(text, 200, {"ETag": etag, "Cache-Control": "no-cache"}, media_type="application/json")


CODES = ("CPE_REPLACED", "LINE_REPAIRED", "NO_FAULT_FOUND", "CUSTOMER_EDUCATION")


async def patch_resolution(request: Request) -> Response:
    refused = _front(request, "X-Request-ID", invalid=422)
    if refused:
        return refused
    ok, patch = await _json_body(request)
    if not ok or not isinstance(patch, dict):
        return _err(422, "INVALID_REQUEST", "the body must be a JSON object")
    problems = []
    if patch.get("resolutionCode") not in CODES:
        problems.append("resolutionCode is not known")
    if "clearedAt" in patch and not _typed(patch["clearedAt"], str, type(None)):
        problems.append("clearedAt must be a string or null")
    if "confirmedByCustomer" in patch and patch["confirmedByCustomer"] is not True:
        problems.append("confirmedByCustomer may only be true")
    if "engineerVisits" in patch and not _typed(patch["engineerVisits"], int):
        problems.append("engineerVisits must be an integer")
    if "parts" in patch:
        parts = patch["parts"]
        if not isinstance(parts, list) or not all(
            isinstance(p, dict) and _typed(p.get("code"), str) and _typed(p.get("quantity"), int)
            for p in parts
        ):
            problems.append("parts must be a list of {code, quantity}")
    if problems:
        return _err(422, "INVALID_REQUEST", *problems)
    pid = request.path_params["id"]
    if pid not in PROBLEMS:
        return _err(422, "INVALID_REQUEST", f"no service problem {pid}")
    stored = RESOLUTIONS.setdefault(pid, {})
    for name, value in patch.items():  # RFC 7396: null removes the member
        if value is None:
            stored.pop(name, None)
        else:
            stored[name] = value
    return _json({"id": pid, "status": "RESOLVED", "resolvedAt": stored.get("clearedAt")})


async def delete_reservation(request: Request) -> Response:
    refused = _front(request, "X-Request-ID", bare_401=True)
    if refused:
        return refused
    rid = request.path_params["reservationId"]
    state = HELD.get(rid)
    if state is None:
        return _err(404, "NOT_FOUND", f"reservation {rid} does not exist")
    if state == "used":
        return _json({"code": "ALREADY_USED", "usedBy": {"orderId": "ORD-1"}}, 409)
    HELD[rid] = "cancelled"
    return Response(status_code=204)


TYPES = ("INSTALL", "REPAIR", "SURVEY")


async def available_appointments(request: Request) -> Response:
    refused = _front(request, "X-Request-ID")
    if refused:
        return refused
    q = request.query_params
    problems = []
    if "address" not in q:
        problems.append("address is required")
    else:
        try:
            address = json.loads(q["address"])
        except ValueError:
            return _json({"code": "MALFORMED_REQUEST", "messages": ["address must be JSON"]}, 400)
        if not isinstance(address, dict):
            problems.append("address must be a JSON object")
    wanted = [t.upper() for t in q.getlist("appointmentTypes")]
    if not wanted:
        problems.append("appointmentTypes is required")
    problems += [f"appointmentTypes: {t} is not known" for t in wanted if t not in TYPES]
    try:
        days = float(q.get("days", "14"))
        if days != int(days):
            raise ValueError
    except ValueError:
        problems.append("days must be a whole number")
    if problems:
        return _json({"code": "INVALID_REQUEST", "messages": problems}, 400)
    return _json({"supplier": "OPENREACH", "availability": {"days": []}})


async def post_problem(request: Request) -> Response:
    refused = _front(request, "X-Request-ID", "Tenant")
    if refused:
        return refused
    ok, body = await _json_body(request)
    if not ok:
        return _json({"code": "MALFORMED_REQUEST", "messages": ["the body is not JSON"]}, 400)
    problems = []
    if not isinstance(body, dict):
        return _json({"code": "INVALID_REQUEST", "messages": ["the body must be an object"]}, 400)
    if not _typed(body.get("serviceId"), str):
        problems.append("serviceId is required")
    if body.get("category") not in ("NO_SERVICE", "INTERMITTENT", "SLOW_SPEED"):
        problems.append("category is not known")
    contacts = body.get("contacts")
    if not isinstance(contacts, list):
        problems.append("contacts is required")
    else:
        for c in contacts:
            if (
                not isinstance(c, dict)
                or not _typed(c.get("name"), str)
                or not isinstance(c.get("phones"), list)
            ):
                problems.append("each contact needs a name and phones")
                continue
            for p in c["phones"]:
                if not isinstance(p, dict) or not _typed(p.get("number"), str):
                    problems.append("each phone needs a number")
                elif "kind" in p and p["kind"] not in ("MOBILE", "LANDLINE"):
                    problems.append("phone kind is not known")
    diag = body.get("diagnostics")
    if "diagnostics" in body:
        if not isinstance(diag, dict) or not isinstance(diag.get("tests"), list):
            problems.append("diagnostics.tests is required")
        else:
            for t in diag["tests"]:
                if (
                    not isinstance(t, dict)
                    or not _typed(t.get("name"), str)
                    or not isinstance(t.get("passed"), bool)
                    or ("reading" in t and not _typed(t["reading"], int, float, type(None)))
                ):
                    problems.append("each test needs a name and passed")
    if problems:
        return _json({"code": "INVALID_REQUEST", "messages": problems}, 400)
    new_id = f"SP-{next(_ids):06d}"
    PROBLEMS[new_id] = {"id": new_id, "status": "OPEN", "escalated": False}
    return _json({"id": new_id, "status": "OPEN"}, 201, {"Location": f"/service-problems/{new_id}"})


async def post_cancellation(request: Request) -> Response:
    refused = _front(request, "X-Request-ID", "Tenant")
    if refused:
        return refused
    ok, body = await _json_body(request)
    if not ok:
        return _err(400, "MALFORMED_REQUEST", "the body is not JSON")
    problems = []
    if not isinstance(body, dict):
        return _err(400, "INVALID_REQUEST", "the body must be an object")
    if not _typed(body.get("orderId"), str):
        problems.append("orderId is required")
    if body.get("reason") not in ("CUSTOMER_REQUEST", "DUPLICATE", "PRICE"):
        problems.append("reason is not known")
    if "chargeable" in body and not isinstance(body["chargeable"], bool):
        problems.append("chargeable must be a boolean")
    if "refund" in body:
        refund = body["refund"]
        if not isinstance(refund, dict) or not _typed(refund.get("amount"), int, float):
            problems.append("refund.amount is required")
        elif "lines" in refund and not (
            isinstance(refund["lines"], list)
            and all(isinstance(x, dict) and _typed(x.get("label"), str) for x in refund["lines"])
        ):
            problems.append("refund.lines must have labels")
    if problems:
        return _err(400, "INVALID_REQUEST", *problems)
    return _json({"cancellationId": f"CAN-{next(_ids)}", "state": "PENDING_SUPPLIER"}, 202)


app = Starlette(
    routes=[
        Route("/service-problems/{id}", get_problem, methods=["GET"]),  # Starlette adds HEAD
        Route("/service-problems", post_problem, methods=["POST"]),
        Route("/service-problem-resolutions/{id}", patch_resolution, methods=["PATCH"]),
        Route("/appointment-reservations/{reservationId}", delete_reservation, methods=["DELETE"]),
        Route("/available-appointments", available_appointments, methods=["GET"]),
        Route("/service-order-cancellations", post_cancellation, methods=["POST"]),
    ]
)
