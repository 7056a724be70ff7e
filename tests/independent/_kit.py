"""Small helpers the independent implementations share: written from the documents only.

Each implementation (impl_*.py) is a separate "supplier" with its own validation; this kit holds only
what any of them would copy from the documents (the field list of POST /service-problem-amendments,
the error body shape) and a JSON response that cannot fail on odd text.
"""

from __future__ import annotations

import json
import math
import uuid
from typing import Any

from starlette.responses import Response

TOKEN = "independent-supplier-token"  # the one bearer token given to fcvalidate

# POST /service-problem-amendments request fields (service-problem-amendments.md)
SPA_FIELDS: dict[str, str] = {
    "id": "number",
    "supplierReference": "string",
    "serviceProblemId": "number",
    "supplierServiceProblemReference": "string",
    "problemText": "string",
    "escalationRequest": "boolean",
    "characteristics": "characteristics",
    "primaryContact": "contact",
    "secondaryContact": "contact",
    "appointmentReservationId": "number",
    "appointmentReservationReference": "string",
    "hazards": "string",
    "onSiteRestrictions": "string",
    "notes": "string",
}
SPA_REQUIRED = ("id", "serviceProblemId")
CONTACT_FIELDS = {"name": "string", "email": "string", "phoneNumber": "string"}
CONTACT_REQUIRED = ("name", "phoneNumber")
CHARACTERISTIC_FIELDS = {"name": "string", "value": "string"}
CHARACTERISTIC_REQUIRED = ("name", "value")

# the values fcvalidate is told about (reference-data.yaml): problem 12356 belongs to TENANT1
SERVICE_PROBLEMS = {12356: "TENANT1", 12357: "TENANT2"}


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def is_type(v: Any, kind: str) -> bool:
    if kind == "number":
        return is_number(v)
    if kind == "string":
        return isinstance(v, str)
    if kind == "boolean":
        return isinstance(v, bool)
    return False


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=True, separators=(",", ":")).encode()


def json_response(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(obj), status_code=status, headers=headers, media_type="application/json")


def error(
    status: int, code: str, *messages: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    body = {"uuid": str(uuid.uuid4()), "code": code, "messages": list(messages) or ["error"], **extra}
    return json_response(body, status, headers)


def bearer(request: Any) -> str | None:
    """The bearer token, or None when there is no Authorization: Bearer header."""
    value = request.headers.get("authorization")
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return len(text) == 36


def spa_problems(body: dict) -> list[str]:
    """What is wrong with a POST /service-problem-amendments body, by its document: the protocol-level
    suppliers (impl_gateway, _location, _media, _queue, _sandbox, _socket) share this plain reading; their
    point is how they speak HTTP, not how they validate."""
    out = [f"Missing required field {n}" for n in SPA_REQUIRED if n not in body]
    for name, kind in SPA_FIELDS.items():
        if name not in body:
            continue
        v = body[name]
        if kind == "contact":
            good = (
                isinstance(v, dict)
                and all(isinstance(v.get(k), str) for k in CONTACT_REQUIRED)
                and ("email" not in v or isinstance(v["email"], str))
            )
        elif kind == "characteristics":
            good = isinstance(v, list) and all(
                isinstance(c, dict) and all(isinstance(c.get(k), str) for k in CHARACTERISTIC_REQUIRED)
                for c in v
            )
        else:
            good = is_type(v, kind)
        if not good:
            out.append(f"Invalid value for field {name}")
    return out
