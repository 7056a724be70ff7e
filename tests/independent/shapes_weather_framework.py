"""Open Skies weather service, framework-style lenient supplier (written from tests/contract/corpus/weather/).

- HEAD is left to the framework: GET /stations/{stationId} and GET /forecasts/latest are ordinary GET
  routes (a station as JSON; the latest run's metadata) and Starlette answers HEAD from them (same status
  and headers, no body); the GET twins are undocumented but harmless;
- the key in `X-Api-Key`: no key → 401 (RFC 9110 §15.5.2, even on OPTIONS whose document lists only 403),
  a wrong key → 403 on OPTIONS (documented) and 401 elsewhere; the marine tide table takes the same header;
- GET /forecasts parses leniently: booleans as 1/0/yes/no/true/false in any case, `location` may carry
  extra members; out-of-range lat/lon are clamped; an enum value outside the list, a missing or non-JSON
  location → 400 `{"error","hint","data":null}`;
- OPTIONS /observations/: 204 with Allow whatever Access-Control-Request-Method says (a plain preflight
  answer; the browser decides), CORS headers only with an Origin;
- tide tables: `datum` matched case-insensitively; a malformed date → 404 like an unknown port (`default`).
"""

from __future__ import annotations

import json
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
MARINE_KEY_HEADER = "X-Api-Key"
STATIONS = {"03772": "Heathrow", "03779": "London Weather Centre"}
PORTS = {"0113": "Harbourmouth"}
LATEST_RUN = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _json(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(obj), status, headers, media_type="application/json")


def _bad(error: str) -> Response:
    return _json({"error": error, "hint": None, "data": None}, 400)


def _float(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


async def forecast(request: Request) -> Response:
    q = request.query_params
    try:
        loc = json.loads(q["location"])
    except (KeyError, ValueError):
        return _bad('location must be JSON like {"lat":51.5,"lon":-0.12}')
    lat = _float(loc.get("lat")) if isinstance(loc, dict) else None
    lon = _float(loc.get("lon")) if isinstance(loc, dict) else None
    if lat is None or lon is None or lat != lat or lon != lon:
        return _bad("location needs lat and lon")
    lat, lon = max(-90.0, min(90.0, lat)), max(-180.0, min(180.0, lon))
    days = q.get("days", "3").strip()
    if days not in ("1", "3", "7"):
        return _bad("days must be 1, 3 or 7")
    if q.get("units", "metric").lower() not in ("metric", "imperial"):
        return _bad("units must be metric or imperial")
    if q.get("includeHourly", "false").lower() not in TRUE | FALSE:
        return _bad("includeHourly must be a boolean")
    daily = [
        {"date": f"2026-03-0{i + 2}", "temperature": {"min": 2, "max": 9.5}, "precipitationMm": 1.2}
        for i in range(int(days))
    ]
    return _json({"location": {"lat": lat, "lon": lon}, "daily": daily, "issuedAt": "2026-03-01T06:00:00Z"})


async def latest(request: Request) -> Response:
    headers = {"Last-Modified": format_datetime(LATEST_RUN, usegmt=True)}
    try:
        held = parsedate_to_datetime(request.headers["if-modified-since"])
        if held.tzinfo is not None and held >= LATEST_RUN:
            return Response(status_code=304, headers=headers)
    except (KeyError, TypeError, ValueError):
        pass
    return _json({"run": LATEST_RUN.isoformat()}, headers=headers)


async def station(request: Request) -> Response:
    if request.headers.get(KEY_HEADER) != API_KEY:
        return Response(status_code=401)
    name = STATIONS.get(request.path_params["stationId"])
    if name is None:
        return Response(status_code=404)
    return _json({"id": request.path_params["stationId"], "name": name})


async def observations_options(request: Request) -> Response:
    key = request.headers.get(KEY_HEADER)
    if key is None:
        return Response(status_code=401)
    if key != API_KEY:
        return Response(status_code=403)
    headers = {"Allow": "GET, POST, OPTIONS"}
    if "origin" in request.headers:
        headers |= {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, POST"}
    return Response(status_code=204, headers=headers)


async def tides(request: Request) -> Response:
    if request.headers.get(MARINE_KEY_HEADER) != API_KEY:
        return _json({"message": "missing or unknown key", "data": None}, 401)
    datum = request.query_params.get("datum", "CHART").upper()
    if datum not in ("CHART", "MEAN_SEA_LEVEL"):
        return _json({"message": f"unknown datum {datum[:20]}", "data": None}, 400)
    port = PORTS.get(request.path_params["portId"])
    try:
        date.fromisoformat(request.path_params["date"])
    except ValueError:
        port = None
    if port is None:
        return _json({"message": "no tide table for that port and day", "data": None}, 404)
    return _json({"port": {"name": port}, "tides": [{"time": "04:12", "heightM": 4.6, "kind": "HIGH"}]})


app = Starlette(
    routes=[
        Route("/forecasts", forecast, methods=["GET"]),
        Route("/forecasts/latest", latest, methods=["GET"]),
        Route("/stations/{stationId}", station, methods=["GET"]),
        Route("/observations/", observations_options, methods=["OPTIONS"]),
        Route("/ports/{portId}/tides/{date}", tides, methods=["GET"]),
    ]
)
