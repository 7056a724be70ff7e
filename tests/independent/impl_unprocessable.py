"""Supplier 3, validation answered 422 (the documents list 422; the 1.15 one says "a 422 code should be returned").

- a body that is not JSON → 400 MALFORMED_REQUEST (syntax); everything else invalid → 422 INVALID_REQUEST,
  a missing or empty required header included;
- business rule: serviceProblemId must name an existing service problem of the caller's Tenant → else 422 NOT_FOUND;
- missing bearer token → 401 NOT_AUTHORISED; a token that is not ours → 403 (documented, no fields: no body);
- 1.15 amendment accepted with 202 (to be confirmed later by KCI), echoing the request;
- the 1.17 operations: 202 with an id.
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

_refs = itertools.count(70_001)


def _problems(value: Any, kind: str, path: str) -> list[str]:
    if kind == "contact":
        if not isinstance(value, dict):
            return [f"{path}: expected object"]
        return _object(value, kit.CONTACT_FIELDS, kit.CONTACT_REQUIRED, path + ".")
    if kind == "characteristics":
        if not isinstance(value, list):
            return [f"{path}: expected array"]
        out: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                out.append(f"{path}[{i}]: expected object")
            else:
                out += _object(item, kit.CHARACTERISTIC_FIELDS, kit.CHARACTERISTIC_REQUIRED, f"{path}[{i}].")
        return out
    return [] if kit.is_type(value, kind) else [f"{path}: expected {kind}"]


def _object(obj: dict, fields: dict[str, str], required: tuple[str, ...], prefix: str) -> list[str]:
    out = [f"{prefix}{n}: required" for n in required if n not in obj or obj[n] is None]
    for name, kind in fields.items():
        if name in obj and obj[name] is not None:
            out += _problems(obj[name], kind, prefix + name)
    return out


async def _gate(request: Request, headers: tuple[str, ...]) -> tuple[Response | None, Any]:
    token = kit.bearer(request)
    if token is None:
        return kit.error(401, "NOT_AUTHORISED", "Bearer token required"), None
    if token != kit.TOKEN:
        return Response(status_code=403), None
    bad = [f"header {h}: required" for h in headers if not request.headers.get(h, "").strip()]
    if bad:
        return kit.error(422, "INVALID_REQUEST", *bad), None
    try:
        body = json.loads((await request.body()).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return kit.error(400, "MALFORMED_REQUEST", "body: not valid JSON"), None
    if not isinstance(body, dict):
        return kit.error(422, "INVALID_REQUEST", "body: expected a JSON object"), None
    return None, body


async def service_problem_amendments(request: Request) -> Response:
    refused, body = await _gate(request, ("X-Request-ID", "X-Conversation-ID", "Tenant"))
    if refused:
        return refused
    bad = _object(body, kit.SPA_FIELDS, kit.SPA_REQUIRED, "")
    if bad:
        return kit.error(422, "INVALID_REQUEST", *bad)
    if kit.SERVICE_PROBLEMS.get(body["serviceProblemId"]) != request.headers["Tenant"]:
        return kit.error(
            422, "NOT_FOUND", f"serviceProblemId {body['serviceProblemId']}: no such service problem"
        )
    return kit.json_response({**body, "supplierReference": f"SI_RE{next(_refs)}"}, 202)


async def service_orders(request: Request) -> Response:
    refused, _ = await _gate(request, ("X-Request-ID", "X-Conversation-ID"))
    return refused or kit.json_response({"id": next(_refs)}, 202)


async def service_order_amendments(request: Request) -> Response:
    refused, _ = await _gate(request, ("X-Request-ID", "X-Conversation-ID"))
    return refused or kit.json_response({"id": next(_refs)}, 202)


app = Starlette(
    routes=[
        Route("/service-problem-amendments", service_problem_amendments, methods=["POST"]),
        Route("/service-orders", service_orders, methods=["POST"]),
        Route("/service-order-amendments", service_order_amendments, methods=["POST"]),
    ]
)
