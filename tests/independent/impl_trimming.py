"""Supplier 13, tidy input: every string is trimmed, and an empty (or all-blank) string is treated as absent.

- body strings (at any depth) and header values are stripped of surrounding whitespace before validation;
- an empty string where a field is required (primaryContact.name, characteristics[].value, ...) or an empty
  required header → 400 INVALID_REQUEST "Missing required field ..." (a blank contact name is no name);
- an empty optional string is dropped, as if not sent; the 201 echoes the tidied amendment;
- otherwise documented fields and types (400), 422 NOT_FOUND for a problem not the Tenant's, 201 for the
  1.15 amendment, 202 with an id for the 1.17 operations.
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

_ids = itertools.count(130_001)
REFUSED_BLANK: list[str] = []  # fields refused for being blank, for the write-up


def _tidy(value: Any) -> Any:
    """Trim strings; drop object members whose (trimmed) string is empty."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = _tidy(v)
            if v == "":
                continue
            out[k] = v
        return out
    return value


def _object(v: Any, fields: dict[str, str], required: tuple[str, ...], where: str, raw: Any) -> list[str]:
    if not isinstance(v, dict):
        return [f"Invalid value for field {where} - an object is expected"]
    out = []
    for k in required:
        if k not in v:
            blank = isinstance(raw, dict) and isinstance(raw.get(k), str)
            if blank:
                REFUSED_BLANK.append(f"{where}.{k}")
            out.append(f"Missing required field {where}.{k}" + (" (blank)" if blank else ""))
    out += [
        f"Invalid value for field {where}.{k}"
        for k, t in fields.items()
        if k in v and not kit.is_type(v[k], t)
    ]
    return out


def _spa_problems(body: dict, raw: dict) -> list[str]:
    out = [f"Missing required field {n}" for n in kit.SPA_REQUIRED if n not in body]
    for name, kind in kit.SPA_FIELDS.items():
        if name not in body:
            continue
        v = body[name]
        if kind == "contact":
            out += _object(v, kit.CONTACT_FIELDS, kit.CONTACT_REQUIRED, name, raw.get(name))
        elif kind == "characteristics":
            if not isinstance(v, list):
                out.append(f"Invalid value for field {name} - an array is expected")
                continue
            given = raw.get(name)
            raws: list[Any] = given if isinstance(given, list) else []
            for i, c in enumerate(v):
                r = raws[i] if i < len(raws) else None
                out += _object(c, kit.CHARACTERISTIC_FIELDS, kit.CHARACTERISTIC_REQUIRED, f"{name}[{i}]", r)
        elif not kit.is_type(v, kind):
            out.append(f"Invalid value for field {name}")
    return out


async def _front(request: Request, headers: tuple[str, ...]) -> tuple[Response | None, Any, Any]:
    if kit.bearer(request) != kit.TOKEN:
        return kit.error(401, "NOT_AUTHORISED", "Not authorised"), None, None
    missing = [h for h in headers if not request.headers.get(h, "").strip()]
    if missing:
        return (
            kit.error(400, "INVALID_REQUEST", *(f"Missing required header {h}" for h in missing)),
            None,
            None,
        )
    try:
        raw = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return kit.error(400, "MALFORMED_REQUEST", "Malformed JSON"), None, None
    if not isinstance(raw, dict):
        return kit.error(400, "MALFORMED_REQUEST", "A JSON object is expected"), None, None
    return None, _tidy(raw), raw


async def service_problem_amendments(request: Request) -> Response:
    refused, body, raw = await _front(request, ("X-Request-ID", "X-Conversation-ID", "Tenant"))
    if refused:
        return refused
    bad = _spa_problems(body, raw)
    if bad:
        return kit.error(400, "INVALID_REQUEST", *bad)
    if kit.SERVICE_PROBLEMS.get(body["serviceProblemId"]) != request.headers["Tenant"].strip():
        return kit.error(422, "NOT_FOUND", "Service problem not found")
    known = {k: v for k, v in body.items() if k in kit.SPA_FIELDS}
    return kit.json_response({**known, "supplierReference": f"TR{next(_ids)}"}, 201)


async def order_operation(request: Request) -> Response:
    refused, _, _ = await _front(request, ("X-Request-ID", "X-Conversation-ID"))
    return refused or kit.json_response({"id": next(_ids)}, 202)


app = Starlette(
    routes=[
        Route("/service-problem-amendments", service_problem_amendments, methods=["POST"]),
        Route("/service-orders", order_operation, methods=["POST"]),
        Route("/service-order-amendments", order_operation, methods=["POST"]),
    ]
)
