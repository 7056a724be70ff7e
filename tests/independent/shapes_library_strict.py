"""Riverside Library, strict supplier (written from tests/contract/corpus/library/**/*.md only).

- GET /books/ (public, query only): `limit` a positive integer, `available` true/false, `sort` and
  `genres` from their enums → else 400 problem+json (the `default` response); unknown parameters ignored;
  a search that finds nothing is 200 with `total: 0` (no 204: none is documented);
- POST /loans: bearer token → else 401 problem+json; the `rl_session` cookie is required → else 401
  (no signed-in member); `rl_lang` en/cy; a closed body (undocumented field, wrong type, enum) → 400
  problem+json; a copy already out → 409 `{"type","title","heldFor"}`;
- PUT /members/{memberId}/preferences/ (trailing slash as documented): bearer → else 401 (no body: none is
  documented); an unknown member (or a number of 12 digits or more) → 404 (no body); an invalid body → 400 (no body: the document lists no
  error fields); 200 `{"memberId","updatedAt"}`;
- POST /fines/payments: bearer → else 401 (undocumented, so a plain message); `amount` a positive number
  and `account` non-empty, both from the query → else 400 `{"message"}`; the body is ignored, as the
  document says; 201 `{"paymentId","amount"}`;
- admin PUT /branches/{branchCode}/hours: bearer and the `staff_session` cookie → else the documented 401
  (no body); an invalid timetable (also an exception that is not a pair of
  strings, "pairs of a date and a rule") → 400 problem+json; an unknown branch → 404; 200 on success.
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

TOKEN = "shapes-library-token"
MEMBERS = {100234}
BRANCHES = {"RVS-02", "RVS-01"}
ON_LOAN = {"31234000000001"}
_loans = itertools.count(17)
BOOKS = [
    {
        "isbn": "978-0-00-000000-2",
        "title": "Astronomy for Beginners",
        "rating": 4.5,
        "genre": "science",
        "copies": [
            {
                "barcode": "31234000998877",
                "branch": {"code": "RVS-02", "name": "Riverside"},
                "loans": [{"dueOn": "2026-02-01"}],
            }
        ],
    },
    {
        "isbn": "978-0-00-000000-3",
        "title": "River Poems",
        "rating": None,
        "genre": "poetry",
        "copies": [{"barcode": "31234000000001", "branch": {"code": "RVS-01"}}],
    },
]


def _json(obj: Any, status: int = 200, media: str = "application/json") -> Response:
    return Response(json.dumps(obj), status, media_type=media)


def _problem(status: int, title: str, kind: str = "about:blank") -> Response:
    return _json({"type": kind, "title": title, "status": status}, status, "application/problem+json")


def _bearer(request: Request) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and token.strip() == TOKEN


def _is(v: Any, t: str) -> bool:
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, {"string": str, "boolean": bool, "array": list, "object": dict}[t])


async def search(request: Request) -> Response:
    q = request.query_params
    try:
        limit = int(q.get("limit", "20"))
    except ValueError:
        return _problem(400, "limit must be an integer")
    if limit < 1:
        return _problem(400, "limit must be at least 1")
    if q.get("available", "true") not in ("true", "false"):
        return _problem(400, "available must be true or false")
    sort = q.get("sort", "title")
    if sort not in ("title", "-title", "published", "-published"):
        return _problem(400, "unknown sort order")
    genres = q.getlist("genres")
    if any(g not in ("fiction", "poetry", "history", "science") for g in genres):
        return _problem(400, "unknown genre")
    words = q.get("q", "").lower().split()
    found = [
        {k: v for k, v in b.items() if k != "genre"}
        for b in BOOKS
        if all(any(t.startswith(w) for t in b["title"].lower().split()) for w in words)
        and (not genres or b["genre"] in genres)
        and (q.get("available", "true") == "false" or any(c["barcode"] not in ON_LOAN for c in b["copies"]))
    ]
    found.sort(key=lambda b: b["title"], reverse=sort.startswith("-"))
    return _json({"total": len(found), "books": found[:limit]})


async def create_loan(request: Request) -> Response:
    if not _bearer(request) or not request.cookies.get("rl_session"):
        return _problem(401, "sign in first")
    if request.cookies.get("rl_lang", "en") not in ("en", "cy"):
        return _problem(400, "rl_lang must be en or cy")
    try:
        body = json.loads(await request.body())
    except ValueError:
        return _problem(400, "the body is not JSON")
    if not isinstance(body, dict):
        return _problem(400, "the body must be an object")
    spec = {
        "barcode": "string",
        "memberId": "integer",
        "weeks": "integer",
        "autoRenew": "boolean",
        "pickup": "object",
    }
    if set(body) - set(spec) or not {"barcode", "memberId"} <= set(body):
        return _problem(400, "unknown or missing fields")
    for name, t in spec.items():
        if name in body and not (_is(body[name], t) or (name == "pickup" and body[name] is None)):
            return _problem(400, f"{name} must be {t}")
    if body.get("weeks", 3) not in (1, 2, 3):
        return _problem(400, "weeks must be 1, 2 or 3")
    pickup = body.get("pickup")
    if pickup is not None and (set(pickup) != {"branch"} or not isinstance(pickup["branch"], str)):
        return _problem(400, "pickup needs a branch code only")
    if body["barcode"] in ON_LOAN:
        return _json(
            {"type": "https://library.example/problems/on-loan", "title": "copy is out", "heldFor": None},
            409,
            "application/problem+json",
        )
    weeks = body.get("weeks", 3)
    return _json(
        {
            "loanId": f"L-2026-{next(_loans):06d}",
            "dueOn": f"2026-03-{2 + 7 * weeks:02d}",
            "renewals": 0,
            "fees": [],
        },
        201,
    )


async def pay_fine(request: Request) -> Response:
    if not _bearer(request):
        return _json({"message": "sign in"}, 401)
    q = request.query_params
    try:
        amount = float(q.get("amount", ""))
    except ValueError:
        return _json({"message": "amount must be a number"}, 400)
    if not amount > 0 or amount != amount or amount == float("inf") or not q.get("account", "").strip():
        return _json({"message": "a positive amount and an account are required"}, 400)
    return _json({"paymentId": f"PAY-{next(_loans)}", "amount": amount}, 201)


async def save_preferences(request: Request) -> Response:
    if not _bearer(request):
        return Response(status_code=401, headers={"WWW-Authenticate": "Bearer"})
    raw = request.path_params["memberId"]
    if not (raw.isascii() and raw.isdigit() and len(raw) < 12 and int(raw) in MEMBERS):
        return Response(status_code=404)
    try:
        body = json.loads(await request.body())
    except ValueError:
        return Response(status_code=400)
    ok = (
        isinstance(body, dict)
        and set(body) <= {"language", "largePrint", "notify", "favouriteGenres"}
        and body.get("language") in ("en", "cy")
        and _is(body.get("largePrint", False), "boolean")
        and isinstance(body.get("notify"), dict)
        and set(body["notify"]) <= {"channels", "daysBefore"}
        and isinstance(body["notify"].get("channels"), list)
        and all(c in ("EMAIL", "SMS", "POST") for c in body["notify"]["channels"])
        and body["notify"].get("daysBefore", 2) in (1, 2, 3)
        and not isinstance(body["notify"].get("daysBefore", 2), bool)
        and isinstance(body.get("favouriteGenres", []), list)
        and all(
            isinstance(g, dict)
            and set(g) <= {"name", "weight"}
            and _is(g.get("name"), "string")
            and _is(g.get("weight", 0), "number")
            for g in body.get("favouriteGenres", [])
        )
    )
    if not ok:
        return Response(status_code=400)
    return _json({"memberId": int(raw), "updatedAt": datetime.now(UTC).isoformat()})


async def put_hours(request: Request) -> Response:
    if not _bearer(request) or not request.cookies.get("staff_session"):
        return Response(status_code=401, headers={"WWW-Authenticate": "Bearer"})
    try:
        body = json.loads(await request.body())
    except ValueError:
        return _problem(400, "the body is not JSON")
    days = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
    ok = (
        isinstance(body, dict)
        and set(body) <= {"week", "exceptions"}
        and isinstance(body.get("week"), list)
        and all(
            isinstance(d, dict)
            and set(d) <= {"day", "opens", "closes", "staffed"}
            and d.get("day") in days
            and all(d.get(k) is None or isinstance(d.get(k), str) for k in ("opens", "closes"))
            and isinstance(d.get("staffed", True), bool)
            for d in body["week"]
        )
        and isinstance(body.get("exceptions", []), list)
        and all(  # "pairs of a date and a rule"
            isinstance(e, list) and len(e) == 2 and all(isinstance(x, str) for x in e)
            for e in body.get("exceptions", [])
        )
    )
    if not ok:
        return _problem(400, "invalid timetable")
    if request.path_params["branchCode"] not in BRANCHES:
        return _problem(404, "no such branch")
    return _json({"branchCode": request.path_params["branchCode"], "effectiveFrom": "2026-03-02T10:00:00Z"})


app = Starlette(
    routes=[
        Route("/books/", search, methods=["GET"]),
        Route("/loans", create_loan, methods=["POST"]),
        Route("/fines/payments", pay_fine, methods=["POST"]),
        Route("/members/{memberId}/preferences/", save_preferences, methods=["PUT"]),
        Route("/branches/{branchCode}/hours", put_hours, methods=["PUT"]),
    ]
)
