"""Supplier 14, queue-backed: every amendment is accepted for later processing, with idempotent retries.

service-problem-amendments.md: "If the request is invalid or not possible then a 422 code should be
returned ... The supplier may return a 202 accepted response without confirming the amendment if further
validation/processing is required." service-order-amendments.md: "The order amendment will then be sent to
the supplier for processing and further updates will be sent via KCIs".

- the envelope is checked at once: token (401), required headers (400 INVALID_REQUEST), JSON object
  (400 MALFORMED_REQUEST); the 1.15 amendment's documented fields and types → 422 INVALID_REQUEST, as its
  document says for an invalid request;
- then every amendment (1.15 and 1.17) is put on a queue and answered 202 Accepted at once, whatever its
  service problem: the worker checks existence and ownership later and sends the outcome as a KCI;
  the 1.15 202 carries only the required fields (id, serviceProblemId) and a supplierReference;
- an X-Request-ID seen before from the same Tenant with the same body → the first answer again, with
  `Idempotent-Replayed: true`; with a different body → 422 INVALID_REQUEST (a reused identifier);
- POST /service-orders: 202 with an id.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.independent import _kit as kit

_ids = itertools.count(202_001)
_lock = threading.Lock()
QUEUE: list[dict[str, Any]] = []
_answers: dict[
    tuple[str, str, str], tuple[str, int, bytes]
] = {}  # (path, tenant, request id) → digest, answer


async def _enqueue(request: Request, headers: tuple[str, ...], validate: bool) -> Response:
    if kit.bearer(request) != kit.TOKEN:
        return kit.error(401, "NOT_AUTHORISED", "Not authorised")
    missing = [h for h in headers if not request.headers.get(h)]
    if missing:
        return kit.error(400, "INVALID_REQUEST", *(f"Missing required header {h}" for h in missing))
    raw = await request.body()
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return kit.error(400, "MALFORMED_REQUEST", "Malformed JSON")
    if not isinstance(body, dict):
        return kit.error(400, "MALFORMED_REQUEST", "A JSON object is expected")
    if validate:
        bad = kit.spa_problems(body)
        if bad:
            return kit.error(422, "INVALID_REQUEST", *bad)
    key = (request.url.path, request.headers.get("Tenant", ""), request.headers["X-Request-ID"])
    digest = hashlib.sha256(raw).hexdigest()
    with _lock:
        if key in _answers:
            first_digest, status, content = _answers[key]
            if first_digest != digest:
                return kit.error(422, "INVALID_REQUEST", "X-Request-ID already used for another request")
            return Response(content, status, {"Idempotent-Replayed": "true"}, media_type="application/json")
        number = next(_ids)
        if validate:
            answer = {
                "id": body["id"],
                "serviceProblemId": body["serviceProblemId"],
                "supplierReference": f"Q{number}",
            }
        else:
            answer = {"id": number}
        if len(QUEUE) < 1000:
            QUEUE.append({"path": key[0], "tenant": key[1], "body": body})
        content = kit.dumps(answer)
        if len(_answers) < 5000:
            _answers[key] = (digest, 202, content)
    return Response(content, 202, media_type="application/json")


async def service_problem_amendments(request: Request) -> Response:
    return await _enqueue(request, ("X-Request-ID", "X-Conversation-ID", "Tenant"), validate=True)


async def service_orders(request: Request) -> Response:
    return await _enqueue(request, ("X-Request-ID", "X-Conversation-ID"), validate=False)


async def service_order_amendments(request: Request) -> Response:
    return await _enqueue(request, ("X-Request-ID", "X-Conversation-ID"), validate=False)


app = Starlette(
    routes=[
        Route("/service-problem-amendments", service_problem_amendments, methods=["POST"]),
        Route("/service-orders", service_orders, methods=["POST"]),
        Route("/service-order-amendments", service_order_amendments, methods=["POST"]),
    ]
)
