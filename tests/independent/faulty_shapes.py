"""Faulty variants of the shapes_* strict suppliers (GET/PATCH/DELETE, query parameters, ETags): each is the
strict supplier with ONE handler changed. `APPS` maps a fault's name to (module, api, app); `reset()` puts
back the state a run consumes (deleted reservations and products, bumped versions).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.independent import shapes_fibre_strict as fibre
from tests.independent import shapes_odata_strict as odata

Handler = Callable[[Request], Awaitable[Response]]
_PRODUCTS = copy.deepcopy(odata.PRODUCTS)
_RESERVATIONS = set(fibre.RESERVATIONS)


def reset() -> None:
    odata.PRODUCTS.clear()
    odata.PRODUCTS.update(copy.deepcopy(_PRODUCTS))
    fibre.RESERVATIONS.clear()
    fibre.RESERVATIONS.update(_RESERVATIONS)


def _swap(module: Any, **handlers: Handler) -> Starlette:
    """module's app with the named endpoints replaced."""
    routes = []
    for route in module.app.routes:
        endpoint = handlers.get(route.endpoint.__name__, route.endpoint)
        routes.append(Route(route.path, endpoint, methods=sorted(route.methods - {"HEAD"})))
    return Starlette(routes=routes)


def _with_query(request: Request, query: bytes) -> Request:
    scope = dict(request.scope)
    scope["query_string"] = query
    return Request(scope, request.receive)


# --- fibre-cafe ------------------------------------------------------------------------------------------


async def get_problem_unknown_empty(request: Request) -> Response:
    """an unknown service problem → 200 with an empty body (the ORM's "no row" rendered as nothing)."""
    refused = fibre._front(request, "X-Request-ID")
    if refused:
        return refused
    problem = fibre.PROBLEMS.get(request.path_params["id"])
    return fibre._json(problem) if problem is not None else Response(status_code=200)


async def appointments_enum_any_case(request: Request) -> Response:
    """appointmentTypes is upper-cased before its enum check: `install`, `Repair` pass (the enum is exact)."""
    from urllib.parse import parse_qsl, urlencode

    pairs = [(k, v.upper() if k == "appointmentTypes" else v) for k, v in parse_qsl(request.url.query, True)]
    return await fibre.available_appointments(_with_query(request, urlencode(pairs).encode()))


async def post_problem_enum_any_case(request: Request) -> Response:
    """category is upper-cased before its enum check: `no_service` passes."""
    raw = await request.body()
    try:
        body = json.loads(raw)
    except ValueError:
        return await fibre.post_problem(request)
    if isinstance(body, dict) and isinstance(body.get("category"), str):
        body["category"] = body["category"].upper()
        request._body = json.dumps(body).encode()
    return await fibre.post_problem(request)


async def get_problem_id_trimmed(request: Request) -> Response:
    """the path id is matched case-insensitively and by prefix (a LIKE 'id%' query): SP-000123X is found."""
    refused = fibre._front(request, "X-Request-ID")
    if refused:
        return refused
    wanted = request.path_params["id"].upper()
    for key, problem in fibre.PROBLEMS.items():
        if wanted.startswith(key):
            return fibre._json(problem)
    return fibre._err(404, "NOT_FOUND", f"no service problem {request.path_params['id']}")


# --- odata-catalogue -------------------------------------------------------------------------------------


async def patch_if_match_ignored(request: Request) -> Response:
    """If-Match must be present, but its value is never compared: a stale tag is applied (lost update)."""
    key, refused = odata._entity(request)
    if refused:
        return refused
    product = odata.PRODUCTS.get(key)  # type: ignore[arg-type]
    if product is not None and "if-match" in request.headers:
        headers = [(k, v) for k, v in request.scope["headers"] if k != b"if-match"]
        request.scope["headers"] = [*headers, (b"if-match", odata._etag(product).encode())]
        if hasattr(request, "_headers"):
            del request._headers
    return await odata.patch_product(request)


async def delete_200_with_entity(request: Request) -> Response:
    """DELETE answers 200 with the deleted product (the framework's default) where 204 is documented."""
    key, refused = odata._entity(request)
    if refused:
        return refused
    product = copy.deepcopy(odata.PRODUCTS.get(key))  # type: ignore[arg-type]
    answer = await odata.delete_product(request)
    if answer.status_code == 204 and product is not None:
        return odata._json({k: v for k, v in product.items() if not k.startswith("_")})
    return answer


APPS: dict[str, tuple[Any, str, Starlette]] = {
    "get-unknown-200-empty": (fibre, "fibre-cafe", _swap(fibre, get_problem=get_problem_unknown_empty)),
    "query-enum-any-case": (
        fibre,
        "fibre-cafe",
        _swap(fibre, available_appointments=appointments_enum_any_case),
    ),
    "body-enum-any-case": (fibre, "fibre-cafe", _swap(fibre, post_problem=post_problem_enum_any_case)),
    "get-id-prefix-match": (fibre, "fibre-cafe", _swap(fibre, get_problem=get_problem_id_trimmed)),
    "patch-if-match-ignored": (odata, "odata-catalogue", _swap(odata, patch_product=patch_if_match_ignored)),
    "delete-200-with-entity": (odata, "odata-catalogue", _swap(odata, delete_product=delete_200_with_entity)),
}
