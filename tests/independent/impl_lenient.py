"""Supplier 2, lenient ("be liberal in what you accept"): checks only what the documents mark required.

- unknown body fields are ignored (and not echoed); Content-Type is not checked, the body is parsed as JSON;
- a required header must be present; any value, even empty, is accepted;
- documented fields are type-checked only when present; required fields must be present;
- a known service problem of another tenant → 422 NOT_FOUND; an unknown one is accepted for later checks;
- POST /service-problem-amendments answers 201 with just the required fields and a supplierReference;
- the 1.17 operations (no fields documented): any JSON object, 201 with an orderNumber.
"""

from __future__ import annotations

import itertools
import json

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.independent._kit import (
    SERVICE_PROBLEMS,
    SPA_FIELDS,
    SPA_REQUIRED,
    TOKEN,
    error,
    is_type,
    json_response,
)

_numbers = itertools.count(10_000_001)


def _check_known(body: dict, name: str, kind: str) -> str | None:
    value = body[name]
    if kind in ("number", "string", "boolean"):
        return None if is_type(value, kind) else f"Invalid value for field {name} - a {kind} is expected"
    if kind == "contact":
        if not isinstance(value, dict):
            return f"Invalid value for field {name} - an object is expected"
        for sub in ("name", "phoneNumber"):
            if not isinstance(value.get(sub), str):
                return f"Invalid value for field {name}.{sub} - a string is required"
        if "email" in value and not isinstance(value["email"], str):
            return f"Invalid value for field {name}.email - a string is expected"
        return None
    if kind == "characteristics":
        if not isinstance(value, list):
            return f"Invalid value for field {name} - an array is expected"
        for item in value:
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("name"), str)
                or not isinstance(item.get("value"), str)
            ):
                return f"Invalid value for field {name} - each item needs a string name and value"
    return None


async def _parse(request: Request, headers: tuple[str, ...]) -> tuple[Response | None, dict]:
    auth = request.headers.get("authorization", "")
    if not auth:
        return error(401, "NOT_AUTHORISED", "Authorization header is missing"), {}
    if auth.split(" ", 1)[-1].strip() != TOKEN:
        return error(401, "NOT_AUTHORISED", "Access token is not valid"), {}
    missing = [h for h in headers if h not in request.headers]
    if missing:
        return error(400, "INVALID_REQUEST", *(f"Header {h} is required" for h in missing)), {}
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return error(400, "MALFORMED_REQUEST", "Request body could not be parsed as JSON"), {}
    if not isinstance(body, dict):
        return error(400, "INVALID_REQUEST", "Request body must be a JSON object"), {}
    return None, body


async def service_problem_amendments(request: Request) -> Response:
    refused, body = await _parse(request, ("X-Request-ID", "X-Conversation-ID", "Tenant"))
    if refused:
        return refused
    problems = [f"Field {name} is required" for name in SPA_REQUIRED if name not in body]
    problems += [
        p for name, kind in SPA_FIELDS.items() if name in body and (p := _check_known(body, name, kind))
    ]
    if problems:
        return error(400, "INVALID_REQUEST", *problems)
    owner = SERVICE_PROBLEMS.get(body["serviceProblemId"])
    if owner is not None and owner.lower() != request.headers["Tenant"].strip().lower():
        return error(422, "NOT_FOUND", "No such service problem for this tenant")
    return json_response(
        {
            "id": body["id"],
            "serviceProblemId": body["serviceProblemId"],
            "supplierReference": f"SI_RE{next(_numbers)}",
        },
        201,
    )


async def service_orders(request: Request) -> Response:
    refused, _ = await _parse(request, ("X-Request-ID", "X-Conversation-ID"))
    return refused or json_response({"orderNumber": f"ORD{next(_numbers)}"}, 201)


async def service_order_amendments(request: Request) -> Response:
    refused, _ = await _parse(request, ("X-Request-ID", "X-Conversation-ID"))
    return refused or json_response({"amendmentReference": f"AMD{next(_numbers)}"}, 201)


app = Starlette(
    routes=[
        Route("/service-problem-amendments", service_problem_amendments, methods=["POST"]),
        Route("/service-orders", service_orders, methods=["POST"]),
        Route("/service-order-amendments", service_order_amendments, methods=["POST"]),
    ]
)
