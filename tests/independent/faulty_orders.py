"""Faulty variants of the orders supplier (orders_strict.py): each changes ONE rule, as real teams ship
it (issue #22). `VARIANTS` maps a defect's name to (the supplier class, whether the server must keep the
header names as sent: a supplier reading `rawHeaders`, as Node does)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from tests.independent.orders_strict import STATUSES, Supplier


class SubstringEnum(Supplier):
    def in_enum(self, value: Any, members: tuple[str, ...]) -> bool:
        if members is not STATUSES:  # the list's filter only: "OPEN,SHIPPED,CANCELLED".includes(v)
            return super().in_enum(value, members)
        return isinstance(value, str) and value in ",".join(members)


class LimitIgnored(Supplier):
    def limit(self, text: str | None) -> int:
        return 20  # the page size is fixed; `limit` is never read, so never checked


class NegativeLimitCrash(Supplier):
    def limit(self, text: str | None) -> int:
        if text is not None and text.startswith("-"):
            raise RuntimeError("negative slice")  # checked after use: the framework answers 500
        return super().limit(text)


class ApiKeyFromQuery(Supplier):
    def api_key(self, request: Request) -> str | None:
        return request.headers.get("x-api-key") or request.query_params.get("api_key")


class CaseSensitiveAuthorization(Supplier):
    def token(self, request: Request) -> str | None:
        names = request.scope.get("extensions", {}).get("fcvalidate.raw_header_names", [])
        return super().token(request) if "Authorization" in names else None  # rawHeaders['Authorization']


class ClientIdHonoured(Supplier):
    def new_order(self, body: dict[str, Any]) -> dict[str, Any]:
        order = super().new_order(body)
        return {**order, "id": body["id"]} if isinstance(body.get("id"), int) else order

    def store(self, order: dict[str, Any]) -> None:
        if order["id"] in self.orders:
            raise RuntimeError("duplicate key")  # the unique index, unhandled: 500
        super().store(order)


class PathNumberCrash(Supplier):
    def order_id(self, text: str) -> int:
        number = super().order_id(text)
        if number < 1 or number > 2**31 - 1:
            raise OverflowError("id out of range")  # the database driver's error, unhandled: 500
        return number


VARIANTS: dict[str, tuple[type[Supplier], bool]] = {
    "substring-enum": (SubstringEnum, False),
    "limit-ignored": (LimitIgnored, False),
    "negative-limit-500": (NegativeLimitCrash, False),
    "api-key-from-query": (ApiKeyFromQuery, False),
    "lower-case-authorization-refused": (CaseSensitiveAuthorization, True),
    "client-id-honoured": (ClientIdHonoured, False),
    "path-number-500": (PathNumberCrash, False),
}
