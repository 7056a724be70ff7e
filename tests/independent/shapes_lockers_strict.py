"""Parcel lockers, strict supplier (written from tests/contract/corpus/parcel-lockers/*.md only), and its
faulty variants, each ONE realistic paging defect (`APPS`).

- GET /lockers: `city` filters; `page_size` (default 20) an integer of at least 1, else 400 `{"message"}`;
  `cursor` is where the page starts (an opaque text: the code of the first locker of the page); 200
  `{"lockers": [...], "nextCursor": ...}`, nextCursor null on the last page ("It is null on the last page");
- GET /parcels: `per_page` (default 10) and `page` (default 1) integers of at least 1, else 400
  `{"message"}`; 200 `{"parcels": [...], "hasMore", "total"}`, hasMore false on the last page (a page
  number past the end is an empty last page).
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

LOCKERS = [
    {"code": f"LK-000{n}", "city": city, "freeCompartments": n}
    for n, city in enumerate(("Leeds", "Leeds", "York", "Leeds", "Hull"), start=1)
]
PARCELS = [
    {"id": f"PX-100{n}", "locker": "LK-0001", "status": status}
    for n, status in enumerate(("DELIVERED", "EXPIRING", "DELIVERED"), start=1)
]


def _json(obj: Any, status: int = 200) -> Response:
    return Response(json.dumps(obj), status, media_type="application/json")


def _count(request: Request, name: str, default: int) -> int | None:
    text = request.query_params.get(name, str(default))
    return int(text) if text.isdigit() and int(text) >= 1 else None


def _lockers_page(request: Request) -> tuple[list[dict[str, Any]], int] | Response:
    size = _count(request, "page_size", 20)
    if size is None:
        return _json({"message": "page_size must be a whole number of at least 1"}, 400)
    city = request.query_params.get("city")
    found = [x for x in LOCKERS if city is None or x["city"] == city]
    cursor = request.query_params.get("cursor")
    start = next((i for i, x in enumerate(found) if x["code"] == cursor), len(found)) if cursor else 0
    return found[start:], size


async def lockers(request: Request) -> Response:
    page = _lockers_page(request)
    if isinstance(page, Response):
        return page
    rest, size = page
    after = rest[size]["code"] if len(rest) > size else None
    return _json({"lockers": rest[:size], "nextCursor": after})


def _parcels_page(request: Request) -> tuple[int, int] | Response:
    per_page, number = _count(request, "per_page", 10), _count(request, "page", 1)
    if per_page is None or number is None:
        return _json({"message": "per_page and page must be whole numbers of at least 1"}, 400)
    return per_page, number


async def parcels(request: Request) -> Response:
    asked = _parcels_page(request)
    if isinstance(asked, Response):
        return asked
    per_page, number = asked
    start = (number - 1) * per_page
    page = PARCELS[start : start + per_page]
    return _json({"parcels": page, "hasMore": start + per_page < len(PARCELS), "total": len(PARCELS)})


def _app(**handlers: Any) -> Starlette:
    chosen = {"lockers": lockers, "parcels": parcels, **handlers}
    return Starlette(
        routes=[
            Route("/lockers", chosen["lockers"], methods=["GET"]),
            Route("/parcels", chosen["parcels"], methods=["GET"]),
        ]
    )


app = _app()


# -- faulty variants: one handler each --------------------------------------------------------------
async def lockers_limit_ignored(request: Request) -> Response:
    """page_size is validated, then forgotten: every locker from the cursor on."""
    page = _lockers_page(request)
    if isinstance(page, Response):
        return page
    rest, _ = page
    return _json({"lockers": rest, "nextCursor": None})


async def lockers_next_on_last_page(request: Request) -> Response:
    """An off-by-one: the cursor is the index after the page, set even when nothing follows."""
    page = _lockers_page(request)
    if isinstance(page, Response):
        return page
    rest, size = page
    after = rest[size]["code"] if len(rest) > size else "END"
    return _json({"lockers": rest[:size], "nextCursor": after})


async def parcels_next_on_last_page(request: Request) -> Response:
    """`hasMore` compares with <=: true on the last page."""
    asked = _parcels_page(request)
    if isinstance(asked, Response):
        return asked
    per_page, number = asked
    start = (number - 1) * per_page
    page = PARCELS[start : start + per_page]
    return _json({"parcels": page, "hasMore": start + per_page <= len(PARCELS), "total": len(PARCELS)})


async def parcels_negative_limit_500(request: Request) -> Response:
    """per_page is read with int() and bounded only at 0; the page is cut with islice, which refuses a
    negative stop: ValueError, a 500."""
    try:
        per_page = int(request.query_params.get("per_page", "10"))
        number = int(request.query_params.get("page", "1"))
    except ValueError:
        return _json({"message": "per_page and page must be whole numbers"}, 400)
    if number < 1 or per_page == 0:
        return _json({"message": "page and per_page must be at least 1"}, 400)
    start = (number - 1) * per_page
    page = list(itertools.islice(PARCELS, start, start + per_page))
    return _json({"parcels": page, "hasMore": start + per_page < len(PARCELS), "total": len(PARCELS)})


APPS = {
    "lockers-limit-ignored": _app(lockers=lockers_limit_ignored),
    "lockers-next-on-last-page": _app(lockers=lockers_next_on_last_page),
    "parcels-next-on-last-page": _app(parcels=parcels_next_on_last_page),
    "parcels-negative-limit-500": _app(parcels=parcels_negative_limit_500),
}
