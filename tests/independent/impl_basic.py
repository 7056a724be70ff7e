"""A supplier of the meter-readings API (tests/contract/corpus/meter-readings/), written from its one
document with plain Starlette, secured by HTTP Basic as RFC 7617 describes it:

- no `Authorization: Basic …`, an unknown user or a wrong password → 401 with `WWW-Authenticate: Basic`
  and no body (the document lists 401 without fields);
- a Basic credential that cannot be decoded (not base64, not UTF-8, no colon) → 400 MALFORMED_REQUEST:
  malformed syntax, which RFC 9110 §15.5.1 lets it refuse so;
- a body that is not a JSON object → 400 MALFORMED_REQUEST; a missing or mistyped field → 400
  INVALID_READING; unknown fields are ignored;
- a reading is answered 201 with the fields the document lists.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import itertools
import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

USER, PASSWORD = "engineer-7", "tide:pool-31"  # a password may hold a colon; the user id may not
CHALLENGE = {"WWW-Authenticate": 'Basic realm="meter readings", charset="UTF-8"'}
_numbers = itertools.count(1)


def _refused(code: str, message: str) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=400)


def _credentials(request: Request) -> tuple[str, str] | str | None:
    """(user, password); None when the request carries no Basic credential; "malformed" when it cannot
    be decoded."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or not token.strip():
        return None
    try:
        text = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return "malformed"
    user, colon, password = text.partition(":")
    return (user, password) if colon else "malformed"


def _problem(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    for name, kinds in (("meterId", (str,)), ("value", (int, float)), ("readAt", (str,))):
        if name not in body:
            return f"{name} is required"
        if isinstance(body[name], bool) or not isinstance(body[name], kinds):
            return f"{name} has the wrong type"
    if "estimated" in body and not isinstance(body["estimated"], bool):
        return "estimated must be true or false"
    return None


async def readings(request: Request) -> Response:
    given = _credentials(request)
    if given == "malformed":
        return _refused("MALFORMED_REQUEST", "the Authorization header is not HTTP Basic credentials")
    if given is None or not (
        hmac.compare_digest(given[0].encode(), USER.encode())
        and hmac.compare_digest(given[1].encode(), PASSWORD.encode())
    ):
        return Response(status_code=401, headers=CHALLENGE)
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return _refused("MALFORMED_REQUEST", "the body is not JSON")
    problem = _problem(body)
    if problem is not None:
        return _refused("MALFORMED_REQUEST" if not isinstance(body, dict) else "INVALID_READING", problem)
    reading = {"readingId": f"RD-{next(_numbers):06d}", "meterId": body["meterId"], "value": body["value"]}
    return JSONResponse(reading, status_code=201)


app = Starlette(routes=[Route("/meter-readings", readings, methods=["POST"])])
