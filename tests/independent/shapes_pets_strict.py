"""Whiskers & Paws pet shop, strict supplier (written from tests/contract/corpus/pet-shop/*.md only).

- the shop key goes in the `X-Api-Key` header, as get-pet.md says ("Send the shop key in the `X-Api-Key`
  header"); no key → 401 `{"message"}`, a wrong key → 401 `{"message"}` (no document lists 403);
- POST /pets also takes a bearer token (Security: ApiKeyAuth, bearer), PUT /pets/{petId}/photo a bearer
  token from the oauth2 server (Security: ApiKeyAuth, oauth2);
- closed JSON bodies: an undocumented field, a wrong type, a value outside an enum → 400 `{"message",
  "field"}` (the `default` response of create-pet); a missing X-Idempotency-Key → 400 likewise;
- GET /pets: a query value of the wrong type or outside the species enum → 400 `{"message"}`;
- GET /pets/{petId}: an unknown or non-numeric number → 404 `{"message": "no pet …"}`;
- OPTIONS /pets/{petId} (no security): Access-Control-Request-Method PUT or DELETE → 204 with Allow and
  CORS headers; missing or any other method → 405 with Allow (the only other documented answer);
- PUT /pets/{petId}/photo: Content-Type must be image/png and the body a PNG (signature) → else 415;
  over 5 MB → 413; an unknown pet → 404 (undocumented, but what a shop says for a pet it does not hold).
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

TOKEN = "shapes-pets-token"
API_KEY = "shop-key-7f3a"
KEY_HEADER = "X-Api-Key"  # where get-pet.md says the key goes
API_KEYS = {"ApiKeyAuth@X-Api-Key": API_KEY}  # the scheme ApiKeyAuth, sent where get-pet.md says
PETS: dict[int, dict[str, Any]] = {
    81: {
        "id": 81,
        "name": "Biscuit",
        "species": "cat",
        "tags": ["indoor"],
        "bornOn": None,
        "price": 149.99,
        "attributes": {"colour": "ginger", "coat": "short"},
        "weightKg": 4.2,
        "microchipped": True,
    },
    82: {
        "id": 82,
        "name": "Rolo",
        "species": "dog",
        "bornOn": "2024-05-01",
        "price": "on request",
        "weightKg": None,
    },
}
_ids = itertools.count(300)
SPECIES = ("cat", "dog", "rabbit", "parrot")
TAGS = ("indoor", "outdoor", "kid-friendly", "senior")


def _json(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(obj), status, headers, media_type="application/json")


def _auth(request: Request, *, bearer: bool = False) -> Response | None:
    key = request.headers.get(KEY_HEADER)
    auth = request.headers.get("authorization", "")
    if bearer and auth:
        scheme, _, token = auth.partition(" ")
        if scheme.lower() == "bearer" and token.strip() == TOKEN:
            return None
        return _json({"message": "invalid bearer token", "field": None}, 401, {"WWW-Authenticate": "Bearer"})
    if key is None:
        return _json({"message": "an API key is required in X-Api-Key", "field": None}, 401)
    if key != API_KEY:
        return _json({"message": "unknown API key", "field": None}, 401)
    return None


def _is(v: Any, types: tuple[str, ...]) -> bool:
    checks = {
        "any": lambda v: True,
        "null": lambda v: v is None,
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
    }
    return any(checks[t](v) for t in types)


def _check(obj: Any, spec: dict[str, Any], where: str = "") -> list[str]:
    """spec: field -> (types, required, enum tuple | item enum list | sub-spec dict | None)."""
    if not isinstance(obj, dict):
        return [where.rstrip(".") or "body"]
    bad = [f"{where}{k}" for k in obj if k not in spec]
    for name, (types, required, extra) in spec.items():
        if name not in obj:
            if required:
                bad.append(f"{where}{name}")
            continue
        v = obj[name]
        if (
            not _is(v, types)
            or (isinstance(extra, tuple) and v not in extra)
            or (isinstance(extra, list) and isinstance(v, list) and any(i not in extra for i in v))
        ):
            bad.append(f"{where}{name}")
        elif isinstance(extra, dict) and isinstance(v, dict):
            bad += _check(v, extra, f"{where}{name}.")
    return bad


NEW_PET = {
    "name": (("string",), True, None),
    "species": (("string",), True, SPECIES),
    "ageMonths": (("integer",), False, None),
    "price": (("number", "string"), True, None),
    "tags": (("array",), False, list(TAGS)),
    "attributes": (("any",), False, None),
    "vet": (
        ("object", "null"),
        False,
        {"practice": (("string",), True, None), "lastVisit": (("string",), False, None)},
    ),
}


async def create_pet(request: Request) -> Response:
    refused = _auth(request, bearer=True)
    if refused:
        return refused
    if not request.headers.get("x-idempotency-key", "").strip():
        return _json({"message": "X-Idempotency-Key is required", "field": "X-Idempotency-Key"}, 400)
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return _json({"message": "send application/json", "field": None}, 415)
    try:
        body = json.loads(await request.body())
    except ValueError:
        return _json({"message": "the body is not JSON", "field": None}, 400)
    bad = _check(body, NEW_PET)
    if bad:
        return _json({"message": f"invalid field {bad[0]}", "field": bad[0]}, 400)
    pet_id = next(_ids)
    PETS[pet_id] = {
        "id": pet_id,
        "name": body["name"],
        "species": body["species"],
        "bornOn": None,
        "price": body["price"],
    }
    return _json({"id": pet_id, "listedAt": datetime.now(UTC).isoformat()}, 201)


async def list_pets(request: Request) -> Response:
    refused = _auth(request)
    if refused:
        return refused
    species = request.query_params.getlist("species")
    if any(s not in SPECIES for s in species):
        return _json({"message": "species must be one of " + ", ".join(SPECIES)}, 400)
    max_price = None
    if "maxPrice" in request.query_params:
        try:
            max_price = float(request.query_params["maxPrice"])
        except ValueError:
            return _json({"message": "maxPrice must be a number"}, 400)
    basket = set(request.cookies.get("basket", "").split(","))
    items = []
    for pet in PETS.values():
        if species and pet["species"] not in species:
            continue
        if max_price is not None and not (
            isinstance(pet["price"], (int, float)) and pet["price"] <= max_price
        ):
            continue
        items.append(
            {"id": pet["id"], "name": pet["name"], "inBasket": str(pet["id"]) in basket, "owner": None}
        )
    return _json({"page": {"items": items, "next": None}})


async def get_pet(request: Request) -> Response:
    refused = _auth(request)
    if refused:
        return refused
    raw = request.path_params["petId"]
    pet = PETS.get(int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None
    if pet is None:
        return _json({"message": f"no pet {raw[:40]}"}, 404)
    return _json(pet)


async def options_pet(request: Request) -> Response:
    allow = {"Allow": "GET, PUT, DELETE, OPTIONS"}
    method = request.headers.get("access-control-request-method")
    if method not in ("PUT", "DELETE"):
        return Response(status_code=405, headers=allow)
    return Response(
        status_code=204,
        headers={
            **allow,
            "Access-Control-Allow-Methods": "PUT, DELETE",
            "Access-Control-Allow-Origin": request.headers.get("origin", "*"),
            "Access-Control-Allow-Headers": "X-Api-Key, Authorization, Content-Type",
        },
    )


async def put_photo(request: Request) -> Response:
    refused = _auth(request, bearer=True)
    if refused:
        return refused
    raw = request.path_params["petId"]
    pet = PETS.get(int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None
    if pet is None:
        return _json({"message": f"no pet {raw[:40]}"}, 404)
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "image/png":
        return Response(status_code=415)
    if int(request.headers.get("content-length") or 0) > 5 * 1024 * 1024:
        return Response(status_code=413)
    body = await request.body()
    if len(body) > 5 * 1024 * 1024:
        return Response(status_code=413)
    if not body.startswith(b"\x89PNG\r\n\x1a\n"):
        return Response(status_code=415)
    pet_id = pet["id"]
    return _json(
        {
            "url": f"https://cdn.whiskers.example/pets/{pet_id}.png",
            "sizes": [{"width": 400, "height": 300}, {"width": 200, "height": 150}],
        }
    )


app = Starlette(
    routes=[
        Route("/pets", create_pet, methods=["POST"]),
        Route("/pets", list_pets, methods=["GET"]),
        Route("/pets/{petId}", get_pet, methods=["GET"]),
        Route("/pets/{petId}", options_pet, methods=["OPTIONS"]),
        Route("/pets/{petId}/photo", put_photo, methods=["PUT"]),
    ]
)
