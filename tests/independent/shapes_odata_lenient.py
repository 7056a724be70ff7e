"""Tally catalogue OData service, lenient supplier (written from tests/contract/corpus/odata-catalogue/*.md only).

- bearer token required: 401 with WWW-Authenticate and an OData error body (the GET documents a JSON
  `default` error: a body-less 401 there breaks it, fcvalidate rightly said);
- GET ignores query options it does not know (with or without `$`), matches `$select`/`$expand` names
  case-insensitively and drops unknown `$select` names; an `$expand` outside the documented enum is 400
  (silently ignoring it was a real fault: the document enumerates what may be expanded); large prices come as strings (the document allows it);
  answers HEAD (Starlette);
- PATCH: a missing If-Match is the documented 412 PreconditionFailed; tags compare weakly (W/ ignored), `*`
  matches; the version moves only when a value actually changes; unknown properties are ignored; wrong types
  → 422 (a framework's validation status); an unknown key → 404 with an OData error; 204 on success;
- DELETE is idempotent: 204 for any key that ever existed (If-Match not checked), body-less 404 for others.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

TOKEN = "shapes-odata-token"
PRODUCTS: dict[int, dict[str, Any]] = {
    5: {"ID": 5, "Name": "Oak chopping board", "Price": 18.5, "_v": 1},
    6: {"ID": 6, "Name": "Ash bowl", "Price": "12345678901234567890.50", "Discontinued": True, "_v": 3},
    7: {"ID": 7, "Name": "Beech spoon", "Price": 3, "_v": 1},
}
EVER = set(PRODUCTS)


def _json(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(obj), status, headers, media_type="application/json")


def _error(status: int, code: str, message: str) -> Response:
    return _json(
        {"error": {"code": code, "message": message, "details": [{"target": None, "message": message}]}},
        status,
    )


def _key(request: Request) -> tuple[int | None, Response | None]:
    auth = request.headers.get("authorization", "")
    if auth.partition(" ")[0].lower() != "bearer" or auth.partition(" ")[2].strip() != TOKEN:
        refused = _error(401, "Unauthorized", "a bearer token is required")
        refused.headers["WWW-Authenticate"] = 'Bearer realm="catalogue"'
        return None, refused
    raw = request.path_params["key"].strip()
    try:
        return (int(raw) if len(raw) < 19 else None), None
    except ValueError:
        return None, None


async def get_product(request: Request) -> Response:
    key, refused = _key(request)
    if refused:
        return refused
    product = PRODUCTS.get(key) if key is not None else None
    if product is None:
        return _error(404, "NotFound", "no such product")
    lower = {k.lower(): v for k, v in request.query_params.multi_items()}
    body = {k: v for k, v in product.items() if not k.startswith("_")}
    body["ETag"] = f'W/"{product["_v"]}"'
    if "$select" in lower:
        wanted = {s.strip().lower() for s in lower["$select"].split(",")} | {"id", "name", "price"}
        body = {k: v for k, v in body.items() if k.lower() in wanted}
    expand = {
        e.strip().lower()
        for k, v in request.query_params.multi_items()
        if k.lower() == "$expand"
        for e in v.split(",")
    }
    if expand - {"category", "supplier"}:
        return _error(400, "BadRequest", f"cannot expand {sorted(expand)[0]}")
    if "category" in expand:
        body["Category"] = None if key == 7 else {"ID": 1, "Name": "Kitchen"}
    return _json(body, headers={"ETag": f'W/"{product["_v"]}"'})


def _bare(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


async def patch_product(request: Request) -> Response:
    key, refused = _key(request)
    if refused:
        return refused
    tag = request.headers.get("if-match")
    if tag is None:
        return _error(412, "PreconditionFailed", "If-Match is required")
    try:
        patch = json.loads(await request.body())
    except ValueError:
        return _error(400, "BadRequest", "the body is not JSON")
    if not isinstance(patch, dict):
        return _error(400, "BadRequest", "the body must be a JSON object")
    num = (int, float)
    checks = {
        "Name": lambda v: isinstance(v, str),
        "Price": lambda v: isinstance(v, str) or (isinstance(v, num) and not isinstance(v, bool)),
        "Rating": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool)),
        "Dimensions": lambda v: (
            isinstance(v, dict)
            and all(
                isinstance(v.get(k), num) and not isinstance(v.get(k), bool) for k in ("WidthCm", "DepthCm")
            )
        ),
    }
    bad = [k for k, ok in checks.items() if k in patch and not ok(patch[k])]
    if bad:
        return _error(422, "ValidationFailed", f"invalid value for {bad[0]}")
    product = PRODUCTS.get(key) if key is not None else None
    if product is None:
        return _error(404, "NotFound", "no such product")
    current = f'W/"{product["_v"]}"'
    if not any(t.strip() == "*" or _bare(t) == _bare(current) for t in tag.split(",")):
        return _error(412, "PreconditionFailed", f"the product is at {current}")
    changes = {k: v for k, v in patch.items() if k in checks and product.get(k) != v}
    if changes:
        product.update(changes)
        product["_v"] += 1
    return Response(status_code=204, headers={"ETag": f'W/"{product["_v"]}"'})


async def delete_product(request: Request) -> Response:
    key, refused = _key(request)
    if refused:
        return refused
    if key not in EVER:
        return Response(status_code=404)
    PRODUCTS.pop(key, None)  # type: ignore[arg-type]
    return Response(status_code=204)


app = Starlette(
    routes=[
        Route("/Products({key})", get_product, methods=["GET"]),
        Route("/Products({key})", patch_product, methods=["PATCH"]),
        Route("/Products({key})", delete_product, methods=["DELETE"]),
    ]
)
