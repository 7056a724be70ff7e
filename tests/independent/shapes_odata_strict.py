"""Tally catalogue OData service, strict supplier (written from tests/contract/corpus/odata-catalogue/*.md only).

- bearer token required: 401 with an OData error body (the GET's `default` response shape) otherwise;
- keys are integers: `/Products(abc)` → 400 BadRequest; a missing key → 404 (GET: error body; DELETE: the
  document lists 404 without fields, so no body);
- GET: `$select` must name documented properties, `$expand` only Category/Supplier, and an unknown `$`-system
  query option is refused 400 (OData 4.01 §5.1: unknown system query options are errors); custom options
  without `$` are ignored; the entity's ETag is in the body's `ETag` and the ETag header;
- PATCH: If-Match is required (428 Precondition Required, RFC 6585, when missing); a tag other than `*` or
  the current one → 412 PreconditionFailed; closed body (unknown property → 400); Rating 1..5 or null;
  each change bumps the version; 204 with the new ETag;
- DELETE: optional If-Match checked the same way; product 8 has open orders → 409 HasOpenOrders;
  204, then 404 for the same key.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

TOKEN = "shapes-odata-token"
PRODUCTS: dict[int, dict[str, Any]] = {
    k: {"ID": k, "Name": f"Board {k}", "Price": 18.5 + k, "Discontinued": False, "_v": 3, "_cat": k % 2 + 1}
    for k in (5, 6, 7, 8, 9)
}
OPEN_ORDERS = {8: 3}
CATEGORIES = {1: "Kitchen", 2: "Garden"}
PROPERTIES = ("ETag", "ID", "Name", "Price", "Discontinued", "Category")


def _json(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(obj), status, headers, media_type="application/json")


def _error(status: int, code: str, message: str) -> Response:
    return _json({"error": {"code": code, "message": message}}, status)


def _etag(p: dict[str, Any]) -> str:
    return f'W/"{p["_v"]}"'


def _entity(request: Request) -> tuple[int | None, Response | None]:
    auth = request.headers.get("authorization", "")
    if not auth.startswith("Bearer ") or auth[7:] != TOKEN:
        return None, _error(401, "Unauthorized", "a bearer token is required")
    raw = request.path_params["key"]
    if not re.fullmatch(r"-?[0-9]+", raw):
        return None, _error(400, "BadRequest", f"key {raw!r} is not an integer")
    if len(raw.lstrip("-")) > 18:  # beyond Edm.Int64: no product has it
        return -1, None
    return int(raw), None


def _precondition(request: Request, product: dict[str, Any]) -> Response | None:
    tag = request.headers.get("if-match")
    if tag is not None and tag.strip() != "*" and _etag(product) not in [t.strip() for t in tag.split(",")]:
        return _error(412, "PreconditionFailed", f"the product is at version {_etag(product)}")
    return None


async def get_product(request: Request) -> Response:
    key, refused = _entity(request)
    if refused:
        return refused
    q = request.query_params
    unknown = [k for k in q if k.startswith("$") and k not in ("$select", "$expand")]
    if unknown:
        return _error(400, "BadRequest", f"unknown system query option {unknown[0]}")
    select = [s.strip() for s in q["$select"].split(",")] if "$select" in q else list(PROPERTIES)
    bad = [s for s in select if s not in PROPERTIES]
    expand = [e for v in q.getlist("$expand") for e in v.split(",")]
    bad += [e for e in expand if e not in ("Category", "Supplier")]
    if bad:
        return _error(400, "BadRequest", f"unknown property {bad[0]}")
    product = PRODUCTS.get(key)  # type: ignore[arg-type]
    if product is None:
        return _error(404, "NotFound", f"no product {key}")
    full = {k: v for k, v in product.items() if not k.startswith("_")}
    full["ETag"] = _etag(product)
    if "Category" in expand:
        full["Category"] = {"ID": product["_cat"], "Name": CATEGORIES[product["_cat"]]}
    body = {k: v for k, v in full.items() if k in select or k in ("ID", "Name", "Price") or k in expand}
    return _json(body, headers={"ETag": _etag(product)})


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


async def patch_product(request: Request) -> Response:
    key, refused = _entity(request)
    if refused:
        return refused
    if "if-match" not in request.headers:
        return _error(428, "PreconditionRequired", "send the product's ETag in If-Match")
    try:
        patch = json.loads(await request.body())
    except ValueError:
        return _error(400, "BadRequest", "the body is not JSON")
    if not isinstance(patch, dict):
        return _error(400, "BadRequest", "the body must be an object")
    problems = [f"unknown property {k}" for k in patch if k not in ("Name", "Price", "Rating", "Dimensions")]
    if "Name" in patch and not isinstance(patch["Name"], str):
        problems.append("Name must be a string")
    if "Price" in patch and not (_number(patch["Price"]) or isinstance(patch["Price"], str)):
        problems.append("Price must be a number or a string")
    rating = patch.get("Rating")
    if rating is not None and not (
        isinstance(rating, int) and not isinstance(rating, bool) and 1 <= rating <= 5
    ):
        problems.append("Rating must be 1 to 5 or null")
    if "Dimensions" in patch:
        d = patch["Dimensions"]
        if (
            not isinstance(d, dict)
            or set(d) != {"WidthCm", "DepthCm"}
            or not all(_number(v) for v in d.values())
        ):
            problems.append("Dimensions needs WidthCm and DepthCm, numbers")
    if problems:
        return _error(400, "BadRequest", "; ".join(problems))
    product = PRODUCTS.get(key)  # type: ignore[arg-type]
    if product is None:
        return _error(404, "NotFound", f"no product {key}")
    refused = _precondition(request, product)
    if refused:
        return refused
    product.update(patch)
    product["_v"] += 1
    return Response(status_code=204, headers={"ETag": _etag(product)})


async def delete_product(request: Request) -> Response:
    key, refused = _entity(request)
    if refused:
        return refused
    product = PRODUCTS.get(key)  # type: ignore[arg-type]
    if product is None:
        return Response(status_code=404)
    refused = _precondition(request, product)
    if refused:
        return refused
    if key in OPEN_ORDERS:
        return _json({"error": {"code": "HasOpenOrders", "openOrders": OPEN_ORDERS[key]}}, 409)  # type: ignore[index]
    del PRODUCTS[key]  # type: ignore[arg-type]
    return Response(status_code=204)


app = Starlette(
    routes=[
        Route("/Products({key})", get_product, methods=["GET"]),
        Route("/Products({key})", patch_product, methods=["PATCH"]),
        Route("/Products({key})", delete_product, methods=["DELETE"]),
    ]
)
