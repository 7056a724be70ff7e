"""Open Skies weather service, strict supplier (written from tests/contract/corpus/weather/**/*.md only).

- the service key goes in the `X-Api-Key` header (the scheme's documented name); HEAD /stations/{id}:
  no key or a wrong one → 401 with no body (a HEAD answer has none); OPTIONS /observations/: no key or a
  wrong one → 403, its only documented refusal; the marine tide table (Security: ApiKeyAuth, location not
  documented) takes the same service key in the same `X-Api-Key` header, → 401 `{"message","data":null}`;
- GET /forecasts (public): `location` must be a JSON object with numeric lat in [-90, 90] and lon in
  [-180, 180]; `days` one of 1, 3, 7; `units` metric/imperial; `includeHourly` true/false → else 400
  `{"error","hint","data":null}`;
- HEAD /forecasts/latest: own handler, 200 with Last-Modified, 304 when If-Modified-Since is not older than
  the latest run (an unreadable date is ignored, RFC 9110 §13.1.3);
- HEAD /stations/{stationId}: 200 for a known station, 404 otherwise, never a body;
- OPTIONS /observations/: 204 with Allow and CORS headers; Access-Control-Request-Method outside GET/POST
  → 403 (the document's only refusal);
- GET /ports/{portId}/tides/{date}: `date` must be YYYY-MM-DD and `datum` CHART/MEAN_SEA_LEVEL → else 400;
  an unknown port → 404; errors `{"message","data":null}` (the `default` response).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

API_KEY = "open-skies-key-19"
API_KEYS = {
    "X-Api-Key": API_KEY,
    "ApiKeyAuth@X-Api-Key": API_KEY,
}  # one service key; marine/ calls its scheme ApiKeyAuth
TOKEN = None
KEY_HEADER = "X-Api-Key"
MARINE_KEY_HEADER = "X-Api-Key"  # marine/ does not say where; the service's one key header
STATIONS = {"03772", "03779"}
PORTS = {"0113": "Harbourmouth"}
LATEST_RUN = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


def _json(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(obj), status, headers, media_type="application/json")


def _key_ok(request: Request, header: str | None = None) -> bool:
    return request.headers.get(header or KEY_HEADER) == API_KEY


def _bad(error: str, hint: str | None = None) -> Response:
    return _json({"error": error, "hint": hint, "data": None}, 400)


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


async def forecast(request: Request) -> Response:
    q = request.query_params
    if "location" not in q:
        return _bad("location is required", 'send location={"lat":51.5,"lon":-0.12}')
    try:
        loc = json.loads(q["location"])
    except ValueError:
        return _bad("location is not JSON", 'send location={"lat":51.5,"lon":-0.12}')
    if not isinstance(loc, dict) or not _num(loc.get("lat")) or not _num(loc.get("lon")):
        return _bad("location needs numeric lat and lon")
    if not (-90 <= loc["lat"] <= 90) or not (-180 <= loc["lon"] <= 180):
        return _bad(
            "location.lat is out of range" if abs(loc["lat"]) > 90 else "location.lon is out of range"
        )
    days = q.get("days", "3")
    if days not in ("1", "3", "7"):
        return _bad("days must be 1, 3 or 7")
    if q.get("units", "metric") not in ("metric", "imperial"):
        return _bad("units must be metric or imperial")
    if q.get("includeHourly", "false") not in ("true", "false"):
        return _bad("includeHourly must be true or false")
    lat, lon = round(loc["lat"] * 10) / 10, round(loc["lon"] * 10) / 10
    daily = [
        {
            "date": f"2026-03-0{i + 2}",
            "temperature": {"min": 3.5, "max": 11},
            "summary": None if i else "Dry",
            "precipitationMm": None if i == 2 else 0.4,
            "windBeaufort": 3,
        }
        for i in range(int(days))
    ]
    return _json(
        {
            "location": {"lat": lat, "lon": lon},
            "track": [[lat - 0.01, lon - 0.01], [lat + 0.01, lon - 0.01], [lat + 0.01, lon + 0.01]],
            "daily": daily,
            "issuedAt": LATEST_RUN.isoformat().replace("+00:00", "Z"),
        }
    )


async def latest(request: Request) -> Response:
    headers = {"Last-Modified": format_datetime(LATEST_RUN, usegmt=True)}
    since = request.headers.get("if-modified-since")
    if since:
        try:
            held = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            held = None
        if held is not None and held.tzinfo is not None and held >= LATEST_RUN:
            return Response(status_code=304, headers=headers)
    return Response(status_code=200, headers=headers)


async def station(request: Request) -> Response:
    if not _key_ok(request):
        return Response(status_code=401, headers={"WWW-Authenticate": 'ApiKey header="X-Api-Key"'})
    if request.path_params["stationId"] not in STATIONS:
        return Response(status_code=404)
    return Response(status_code=200, headers={"Content-Type": "application/json"})


async def observations_options(request: Request) -> Response:
    if not _key_ok(request):
        return Response(status_code=403)
    method = request.headers.get("access-control-request-method")
    if method is not None and method not in ("GET", "POST"):
        return Response(status_code=403)
    headers = {"Allow": "GET, POST, OPTIONS"}
    if request.headers.get("origin"):
        headers |= {
            "Access-Control-Allow-Origin": request.headers["origin"],
            "Access-Control-Allow-Methods": "GET, POST",
            "Access-Control-Allow-Headers": "X-Api-Key, Content-Type",
            "Vary": "Origin",
        }
    return Response(status_code=204, headers=headers)


async def tides(request: Request) -> Response:
    if not _key_ok(request, MARINE_KEY_HEADER):
        return _json({"message": "a service key is required in X-Api-Key", "data": None}, 401)
    port, day = request.path_params["portId"], request.path_params["date"]
    datum = request.query_params.get("datum", "CHART")
    if datum not in ("CHART", "MEAN_SEA_LEVEL"):
        return _json({"message": "datum must be CHART or MEAN_SEA_LEVEL", "data": None}, 400)
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            raise ValueError(day)
        date.fromisoformat(day)
    except ValueError:
        return _json({"message": "date must be YYYY-MM-DD", "data": None}, 400)
    if port not in PORTS:
        return _json({"message": f"unknown port {port[:20]}", "data": None}, 404)
    shift = 0.0 if datum == "CHART" else -2.9
    return _json(
        {
            "port": {"name": PORTS[port], "position": {"lat": 50.1, "lon": -5.05}},
            "tides": [
                {"time": "04:12", "heightM": round(4.6 + shift, 2), "kind": "HIGH"},
                {"time": "10:31", "heightM": round(1.1 + shift, 2), "kind": "LOW"},
            ],
            "notice": None,
            "extremes": {"highest": {"heightM": round(4.6 + shift, 2), "springTide": True}},
        }
    )


app = Starlette(
    routes=[
        Route("/forecasts", forecast, methods=["GET"]),
        Route("/forecasts/latest", latest, methods=["HEAD"]),
        Route("/stations/{stationId}", station, methods=["HEAD"]),
        Route("/observations/", observations_options, methods=["OPTIONS"]),
        Route("/ports/{portId}/tides/{date}", tides, methods=["GET"]),
    ]
)
