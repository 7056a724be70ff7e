"""Supplier 8, protocol-level: a raw ASGI app (no framework) with the wire habits of a hand-rolled stack.

- every body is `Content-Type: application/json; charset=utf-8` (errors too: plain JSON, the documented
  uuid/code/messages shape, never problem+json);
- response header names in odd case (`CONTENT-TYPE`, `x-Supplier-Trace`, `cache-CONTROL`);
- `Connection: close` on every answer; bodies streamed in several chunks without Content-Length, so
  HTTP/1.1 sends them with `Transfer-Encoding: chunked`;
- every answer takes 150 ms (well within fcvalidate's default 5 s timeout);
- success bodies carry extra fields (`state`, `receivedAt`, `links`); the 1.15 amendment is confirmed at
  once with 201; validation of documented fields only, 400 INVALID_REQUEST; 422 NOT_FOUND for a problem that
  is not the Tenant's.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from typing import Any

from tests.independent import _kit as kit

DELAY = 0.150
_seq = itertools.count(5_000_001)
ROUTES = {
    "/service-problem-amendments": ("X-Request-ID", "X-Conversation-ID", "Tenant"),
    "/service-orders": ("X-Request-ID", "X-Conversation-ID"),
    "/service-order-amendments": ("X-Request-ID", "X-Conversation-ID"),
}


def _invalid(body: dict) -> list[str]:
    bad = [f"{n} is required" for n in kit.SPA_REQUIRED if n not in body]
    for name, kind in kit.SPA_FIELDS.items():
        if name not in body:
            continue
        v = body[name]
        if kind == "contact":
            ok = isinstance(v, dict) and all(
                (sub in v or sub not in kit.CONTACT_REQUIRED) and (sub not in v or isinstance(v[sub], str))
                for sub in kit.CONTACT_FIELDS
            )
        elif kind == "characteristics":
            ok = isinstance(v, list) and all(
                isinstance(c, dict) and all(isinstance(c.get(k), str) for k in kit.CHARACTERISTIC_REQUIRED)
                for c in v
            )
        else:
            ok = kit.is_type(v, kind)
        if not ok:
            bad.append(f"Invalid value for field {name}")
    return bad


async def _send(send: Any, status: int, obj: Any) -> None:
    await asyncio.sleep(DELAY)
    data = json.dumps(obj, ensure_ascii=True).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"CONTENT-TYPE", b"application/json; charset=utf-8"),
                (b"x-Supplier-Trace", str(uuid.uuid4()).encode()),
                (b"cache-CONTROL", b"no-cache, no-store"),
                (b"CONNECTION", b"close"),
            ],
        }
    )
    step = max(1, len(data) // 3)
    for i in range(0, len(data), step):
        await send({"type": "http.response.body", "body": data[i : i + step], "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def _err(code: str, *messages: str) -> dict:
    return {"uuid": str(uuid.uuid4()), "code": code, "messages": list(messages)}


async def _read(receive: Any) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


async def app(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
                return
        return
    path = scope["path"]
    if path not in ROUTES:
        await _send(send, 404, _err("NOT_FOUND", f"No resource {path}"))
        return
    if scope["method"] != "POST":
        await asyncio.sleep(DELAY)
        await send(
            {
                "type": "http.response.start",
                "status": 405,
                "headers": [(b"ALLOW", b"POST"), (b"Content-Length", b"0"), (b"CONNECTION", b"close")],
            }
        )
        await send({"type": "http.response.body", "body": b""})
        return
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    raw = await _read(receive)
    auth = headers.get("authorization", "")
    if auth[:7].lower() != "bearer " or auth[7:].strip() != kit.TOKEN:
        await _send(send, 401, _err("NOT_AUTHORISED", "Bearer token missing or invalid"))
        return
    missing = [h for h in ROUTES[path] if not headers.get(h.lower(), "").strip()]
    if missing:
        await _send(send, 400, _err("INVALID_REQUEST", *(f"Header {h} is required" for h in missing)))
        return
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        await _send(send, 400, _err("MALFORMED_REQUEST", "Body is not valid JSON"))
        return
    if not isinstance(body, dict):
        await _send(send, 400, _err("MALFORMED_REQUEST", "Body must be a JSON object"))
        return
    extra = {"state": "RECEIVED", "receivedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    if path != "/service-problem-amendments":
        await _send(send, 202, {"id": next(_seq), **extra, "links": [{"rel": "self", "href": path}]})
        return
    bad = _invalid(body)
    if bad:
        await _send(send, 400, _err("INVALID_REQUEST", *bad))
        return
    if kit.SERVICE_PROBLEMS.get(body["serviceProblemId"]) != headers["tenant"]:
        await _send(send, 422, _err("NOT_FOUND", "Service problem not found"))
        return
    known = {k: v for k, v in body.items() if k in kit.SPA_FIELDS}
    await _send(send, 201, {**known, "supplierReference": f"SI_RE{next(_seq)}", **extra})
