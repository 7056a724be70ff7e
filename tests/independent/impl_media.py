"""Supplier 11, strict about media types (a framework's content negotiation, configured tightly).

- `Content-Type` must be `application/json` (parameters such as `charset=utf-8` allowed, any case);
  anything else, or none, → 415 Unsupported Media Type with the documented error body (MALFORMED_REQUEST);
- `Accept`, when sent, must allow JSON (`application/json`, `application/*`, `*/*`, or a `+json` type, with
  q > 0) → else 406 Not Acceptable with the documented error body; no Accept means anything (RFC 9110 §12.5.1);
- then as a strict supplier: required headers (400 INVALID_REQUEST), documented fields and types,
  422 NOT_FOUND for a problem not the Tenant's, 201 for the 1.15 amendment, 202 with an id for the 1.17 ones.

415 and 406 are not among the statuses the documents list (400, 401, 403, 422, 500, 503; 501 for 1.15): the
documents say an immediately rejected request is answered 400. A supplier keeps them only because no client
following the documents (which say "application/json" for every body) ever meets them: fcvalidate always
sends `Content-Type: application/json` and `Accept: */*`, so they are never seen in a run.
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

_ids = itertools.count(415_001)
SEEN_MEDIA: list[tuple[str, str]] = []  # (Content-Type, Accept) of refused requests, for the test


def _accepts_json(accept: str | None) -> bool:
    if accept is None or not accept.strip():
        return True
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.lower().startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        media = media.lower()
        if q > 0 and (media in ("application/json", "application/*", "*/*") or media.endswith("+json")):
            return True
    return False


async def _negotiate(request: Request, headers: tuple[str, ...]) -> tuple[Response | None, Any]:
    if kit.bearer(request) != kit.TOKEN:
        return kit.error(401, "NOT_AUTHORISED", "Not authorised"), None
    content_type = request.headers.get("content-type", "")
    accept = request.headers.get("accept")
    if content_type.split(";")[0].strip().lower() != "application/json":
        SEEN_MEDIA.append((content_type, accept or ""))
        return kit.error(415, "MALFORMED_REQUEST", "Content-Type must be application/json"), None
    if not _accepts_json(accept):
        SEEN_MEDIA.append((content_type, accept or ""))
        return kit.error(406, "MALFORMED_REQUEST", "Only application/json answers are produced"), None
    missing = [h for h in headers if not request.headers.get(h)]
    if missing:
        return kit.error(400, "INVALID_REQUEST", *(f"Missing required header {h}" for h in missing)), None
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return kit.error(400, "MALFORMED_REQUEST", "Malformed JSON"), None
    if not isinstance(body, dict):
        return kit.error(400, "MALFORMED_REQUEST", "A JSON object is expected"), None
    return None, body


async def service_problem_amendments(request: Request) -> Response:
    refused, body = await _negotiate(request, ("X-Request-ID", "X-Conversation-ID", "Tenant"))
    if refused:
        return refused
    bad = kit.spa_problems(body)
    if bad:
        return kit.error(400, "INVALID_REQUEST", *bad)
    if kit.SERVICE_PROBLEMS.get(body["serviceProblemId"]) != request.headers["Tenant"]:
        return kit.error(422, "NOT_FOUND", "Service problem not found")
    known = {k: v for k, v in body.items() if k in kit.SPA_FIELDS}
    return kit.json_response({**known, "supplierReference": f"MT{next(_ids)}"}, 201)


async def order_operation(request: Request) -> Response:
    refused, _ = await _negotiate(request, ("X-Request-ID", "X-Conversation-ID"))
    return refused or kit.json_response({"id": next(_ids)}, 202)


app = Starlette(
    routes=[
        Route("/service-problem-amendments", service_problem_amendments, methods=["POST"]),
        Route("/service-orders", order_operation, methods=["POST"]),
        Route("/service-order-amendments", order_operation, methods=["POST"]),
    ]
)
