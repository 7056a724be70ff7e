"""A small, independently written implementation of corpus operations of every shape (path
parameters, a JSON-object query parameter, enum arrays, DELETE 204, API keys and bearer tokens,
a collection that creates ids), conformant by default, with one-requirement faults by name.

Test-only: it proves the engine's cases for these shapes until the generic reference implementation
(fcvalidate/server/) serves any contract. Served by uvicorn on a free loopback port.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fcvalidate.server.background import serve_app

TOKEN = "shapes-token-7c2e91"
API_KEY = "shapes-key-93b1f0a2"
APPOINTMENT_TYPES = ("INSTALL", "REPAIR", "SURVEY")
PROBLEMS = {"SP-000123": "TENANT1", "SP-000777": "TENANT2"}  # the foreign tenant owns SP-000777
RESERVATIONS = {"RES-88213"}
FAULTS = {
    "ignore-missing-query": "GET /available-appointments without `address` is answered 200",
    "ignore-enum-array": "GET /available-appointments accepts any appointment type",
    "crash-on-long-path": "GET /service-problems/{id} answers 500 to an id longer than 100 characters",
    "any-pet-exists": "GET /pets/{petId} answers 200 for an id that names no pet",
    "read-other-tenant": "GET /service-problems/{id} shows another tenant's problem",
    "delete-unknown": "DELETE /appointment-reservations/{reservationId} answers 204 for an unknown id",
    "no-api-key-needed": "GET /pets/{petId} answers without an API key",
}


def _gateway_error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"uuid": str(uuid.uuid4()), "code": code, "messages": [message]}, status)


def create_app(faults: frozenset[str] = frozenset()) -> Starlette:
    pets: dict[int, dict[str, Any]] = {81: {"id": 81, "name": "Biscuit", "species": "cat", "bornOn": None}}

    def bearer(request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {TOKEN}"

    async def service_problem(request: Request) -> Response:
        if not bearer(request):
            return Response(status_code=401)
        if request.headers.get("x-request-id") is None:
            return Response(status_code=403)
        problem = request.path_params["id"]
        if "crash-on-long-path" in faults and len(problem) > 100:
            return Response("boom", status_code=500)
        owner = PROBLEMS.get(problem)
        if owner is None or (owner != "TENANT1" and "read-other-tenant" not in faults):
            return _gateway_error(404, "NOT_FOUND", f"no service problem {problem}")
        return JSONResponse({"id": problem, "status": "OPEN", "priority": 2, "escalated": False})

    async def appointments(request: Request) -> Response:
        if not bearer(request):
            return Response(status_code=401)

        def invalid(message: str) -> Response:
            return JSONResponse({"code": "INVALID_REQUEST", "messages": [message]}, 400)

        if request.headers.get("x-request-id") is None:
            return invalid("X-Request-ID is required")
        query = request.query_params
        address = query.get("address")
        if address is None and "ignore-missing-query" not in faults:
            return invalid("address is required")
        if address is not None:
            try:
                parsed = json.loads(address)
            except ValueError:
                return invalid("address is not JSON")
            if not isinstance(parsed, dict):
                return invalid("address is not an object")
        types = query.getlist("appointmentTypes")
        if not types:
            return invalid("appointmentTypes is required")
        if "ignore-enum-array" not in faults and any(t not in APPOINTMENT_TYPES for t in types):
            return invalid("unknown appointment type")
        days = query.get("days")
        if days is not None and not days.lstrip("-").isdigit():
            return invalid("days is not an integer")
        return JSONResponse({"supplier": "OPENREACH", "availability": {"days": []}})

    async def reservation(request: Request) -> Response:
        if not bearer(request):
            return Response(status_code=401)
        reservation_id = request.path_params["reservationId"]
        if request.headers.get("x-request-id") is None:
            return _gateway_error(404, "NOT_FOUND", "X-Request-ID is required")
        if reservation_id in RESERVATIONS or "delete-unknown" in faults:
            return Response(status_code=204)
        return _gateway_error(404, "NOT_FOUND", f"reservation {reservation_id} does not exist")

    def api_key(request: Request) -> bool:
        return request.headers.get("apikeyauth") == API_KEY or "no-api-key-needed" in faults

    async def create_pet(request: Request) -> Response:
        if not (api_key(request) or bearer(request)):
            return JSONResponse({"message": "no credential"}, 401)
        try:
            body = json.loads(await request.body())
        except ValueError:
            return JSONResponse({"message": "not JSON"}, 400)
        if not isinstance(body, dict) or not isinstance(body.get("name", ""), str):
            return JSONResponse({"message": "invalid pet"}, 400)
        pet_id = max(pets) + 1
        pets[pet_id] = {"id": pet_id, "name": "Pet", "species": "dog", "bornOn": None}
        return JSONResponse({"id": pet_id, "listedAt": "2026-03-01T10:00:00Z"}, 201)

    async def pet(request: Request) -> Response:
        if not api_key(request):
            return JSONResponse({"message": "no credential"}, 401)
        text = request.path_params["petId"]
        number = int(text) if text.isdigit() and len(text) < 12 else None
        found = pets.get(number) if number is not None else None
        if found is None and "any-pet-exists" in faults and number is not None:
            found = {"id": number, "name": "Ghost", "species": "cat", "bornOn": None}
        if found is None:
            return JSONResponse({"message": f"no pet {text}"[:200]}, 404)
        return JSONResponse(found)

    async def raw(request: Request) -> Response:
        """What arrived on the wire: the raw path and query, and the cookies (for URL-building tests)."""
        return JSONResponse(
            {
                "raw_path": request.scope["raw_path"].decode("latin-1"),
                "query": request.scope["query_string"].decode("latin-1"),
                "cookie": request.headers.get("cookie"),
                "headers": dict(request.headers),
            }
        )

    app = Starlette(
        routes=[
            Route("/raw/{rest:path}", raw, methods=["GET", "HEAD", "POST", "DELETE", "OPTIONS"]),
            Route("/service-problems/{id}", service_problem, methods=["GET"]),
            Route("/available-appointments", appointments, methods=["GET"]),
            Route("/appointment-reservations/{reservationId}", reservation, methods=["DELETE"]),
            Route("/pets", create_pet, methods=["POST"]),
            Route("/pets/{petId}", pet, methods=["GET"]),
        ]
    )
    app.state.pets = pets
    return app


@contextmanager
def serve_shapes(*faults: str) -> Iterator[str]:
    """The app on a free loopback port, for the duration of the block."""
    unknown = set(faults) - set(FAULTS)
    assert not unknown, unknown
    with serve_app(create_app(frozenset(faults))) as url:
        yield url
