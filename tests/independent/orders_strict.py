"""Orders API, strict supplier (written from tests/server/orders-api/orders-1.0.openapi.json only).

- a bearer token on /orders and /orders/{orderId}, the `X-Api-Key` header on PATCH /customers/{customerId}:
  missing or wrong → 401 `{"code": "NOT_AUTHORISED", "message"}`; read from the documented header only;
- GET /orders: `limit` an integer 1..100, `status` one of the enum exactly → else 400 INVALID_REQUEST; at
  most `limit` orders (default 20); unknown parameters ignored;
- POST /orders: a JSON object with `customerId` (integer ≥ 1), `category` (enum), optional `quantity`
  (1..50) → 201 with a new `id`, `status` OPEN and `createdAt` now; the server assigns `id`, `status` and
  `createdAt`, so a client's are ignored; anything else wrong → 400 INVALID_REQUEST;
- GET /orders/{orderId}: a non-integer id → 400; an unknown one → 404 NOT_FOUND;
- PATCH /customers/{customerId}: `name` (string), `tier` (enum) merged into the customer → 200; unknown → 404.

Each rule sits in one small method of `Supplier`, so that a faulty variant (faulty_orders.py) changes one.
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

TOKEN = "orders-supplier-token"
API_KEY = "orders-supplier-key"
API_KEYS = {"apiKeyAuth": API_KEY}
CATEGORIES = ("STANDARD", "EXPRESS")
STATUSES = ("OPEN", "SHIPPED", "CANCELLED")
TIERS = ("GOLD", "SILVER", "BRONZE")
_INTEGER = re.compile(r"-?[0-9]{1,18}")  # a 64-bit id at most: longer is not one


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        self.status, self.code, self.message = status, code, message


def _json(obj: Any, status: int = 200) -> Response:
    return Response(json.dumps(obj), status, media_type="application/json")


def _integer(value: Any) -> bool:
    """JSON Schema's integer: a number with no fraction (`2.0` is one)."""
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)


class Supplier:
    def __init__(self) -> None:
        self.orders: dict[int, dict[str, Any]] = {
            1: {
                "id": 1,
                "customerId": 7,
                "category": "STANDARD",
                "quantity": 1,
                "status": "OPEN",
                "createdAt": "2026-01-02T03:04:05Z",
            }
        }
        self.customers: dict[int, dict[str, Any]] = {7: {"id": 7, "name": "Ada", "tier": "SILVER"}}
        self.ids = itertools.count(100)

    # -- the rules, one method each ------------------------------------------------------------------
    def token(self, request: Request) -> str | None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        return value.strip() if scheme.lower() == "bearer" else None

    def api_key(self, request: Request) -> str | None:
        return request.headers.get("x-api-key")

    def in_enum(self, value: Any, members: tuple[str, ...]) -> bool:
        return value in members

    def limit(self, text: str | None) -> int:
        if text is None:
            return 20
        if not _INTEGER.fullmatch(text) or not 1 <= int(text) <= 100:
            raise Refused(400, "INVALID_REQUEST", "limit: an integer from 1 to 100")
        return int(text)

    def order_id(self, text: str) -> int:
        if not _INTEGER.fullmatch(text):
            raise Refused(400, "INVALID_REQUEST", "orderId: an integer")
        return int(text)

    def new_order(self, body: dict[str, Any]) -> dict[str, Any]:
        order = {k: body[k] for k in ("customerId", "category", "quantity") if k in body}
        order.setdefault("quantity", 1)
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {**order, "id": next(self.ids), "status": "OPEN", "createdAt": created}

    def store(self, order: dict[str, Any]) -> None:
        self.orders[order["id"]] = order

    # -- the handlers ------------------------------------------------------------------------------------
    def authorised(self, request: Request, bearer: bool = True) -> None:
        given = self.token(request) if bearer else self.api_key(request)
        if given != (TOKEN if bearer else API_KEY):
            raise Refused(401, "NOT_AUTHORISED", "a valid credential is required")

    async def body(self, request: Request) -> dict[str, Any]:
        try:
            body = json.loads(await request.body())
        except ValueError:
            raise Refused(400, "INVALID_REQUEST", "the body is not JSON") from None
        if not isinstance(body, dict):
            raise Refused(400, "INVALID_REQUEST", "the body must be a JSON object")
        return body

    async def list_orders(self, request: Request) -> Response:
        self.authorised(request)
        limit = self.limit(request.query_params.get("limit"))
        status = request.query_params.get("status")
        if status is not None and not self.in_enum(status, STATUSES):
            raise Refused(400, "INVALID_REQUEST", f"status: one of {', '.join(STATUSES)}")
        found = [o for o in self.orders.values() if status is None or o["status"] == status]
        return _json({"items": found[:limit]})

    async def create_order(self, request: Request) -> Response:
        self.authorised(request)
        body = await self.body(request)
        customer = body.get("customerId")
        if not _integer(customer) or customer < 1:
            raise Refused(400, "INVALID_REQUEST", "customerId: an integer of at least 1")
        if not self.in_enum(body.get("category"), CATEGORIES):
            raise Refused(400, "INVALID_REQUEST", f"category: one of {', '.join(CATEGORIES)}")
        quantity = body.get("quantity", 1)
        if not _integer(quantity) or not 1 <= quantity <= 50:
            raise Refused(400, "INVALID_REQUEST", "quantity: an integer from 1 to 50")
        order = self.new_order(body)
        self.store(order)
        return _json(order, 201)

    async def get_order(self, request: Request) -> Response:
        self.authorised(request)
        order = self.orders.get(self.order_id(request.path_params["orderId"]))
        if order is None:
            raise Refused(404, "NOT_FOUND", "no such order")
        return _json(order)

    async def patch_customer(self, request: Request) -> Response:
        self.authorised(request, bearer=False)
        text = request.path_params["customerId"]
        if not _INTEGER.fullmatch(text):
            raise Refused(400, "INVALID_REQUEST", "customerId: an integer")
        body = await self.body(request)
        if "name" in body and not isinstance(body["name"], str):
            raise Refused(400, "INVALID_REQUEST", "name: a string")
        if "tier" in body and not self.in_enum(body["tier"], TIERS):
            raise Refused(400, "INVALID_REQUEST", f"tier: one of {', '.join(TIERS)}")
        customer = self.customers.get(int(text))
        if customer is None:
            raise Refused(404, "NOT_FOUND", "no such customer")
        customer.update({k: body[k] for k in ("name", "tier") if k in body})
        return _json(customer)

    def app(self) -> Starlette:
        def guarded(handler: Any) -> Any:
            async def endpoint(request: Request) -> Response:
                try:
                    return await handler(request)
                except Refused as refused:
                    return _json({"code": refused.code, "message": refused.message}, refused.status)

            endpoint.__name__ = handler.__name__
            return endpoint

        return Starlette(
            routes=[
                Route("/orders", guarded(self.list_orders), methods=["GET"]),
                Route("/orders", guarded(self.create_order), methods=["POST"]),
                Route("/orders/{orderId}", guarded(self.get_order), methods=["GET"]),
                Route("/customers/{customerId}", guarded(self.patch_customer), methods=["PATCH"]),
            ]
        )


def app() -> Starlette:
    """A fresh supplier (its own store): each certification starts from the seeded order and customer."""
    return Supplier().app()
