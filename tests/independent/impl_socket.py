"""Supplier 15, a hand-written HTTP/1.1 server on a raw socket (no framework, no ASGI), as an embedded
device or a legacy stack would answer.

- keep-alive, but an idle connection is closed silently after 0.2 s (RFC 9112 §9.6 lets a server close at
  any time between messages; a client must then open a new one), and every 4th answer on a connection
  carries `Connection: close` and the connection is closed after it. (It once closed after the 4th answer
  without saying so: a client that reuses the connection in the instant before the FIN arrives sends a POST
  into a closed socket and gets no answer, which fcvalidate reported as no-server-errors "No response" in
  5 of 6 runs. That was this supplier's fault, not a false alarm: a server that knows it will close says so
  (RFC 9112 §9.6), and a client may not resend a POST it cannot prove unapplied (RFC 9112 §9.3.1).)
- the reason phrase is always "OK" (`HTTP/1.1 201 OK`, `HTTP/1.1 400 OK`: RFC 9112 §4, clients ignore it);
  header fields with no space after the colon and names in capitals (`CONTENT-TYPE:application/json`);
- request bodies read by Content-Length or chunked; answers with Content-Length;
- the documents' rules: bearer token (401), required headers (400 INVALID_REQUEST), JSON object
  (400 MALFORMED_REQUEST), documented fields and types (400), 422 NOT_FOUND for a problem not the
  Tenant's, 201 for the 1.15 amendment, 202 with an id for the 1.17 operations; other methods 405 + Allow.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import uuid
from collections.abc import Iterator
from typing import Any

from tests.independent import _kit as kit

IDLE = 0.2
PER_CONNECTION = 4
_ids = itertools.count(919_001)
STATS = {"connections": 0, "requests": 0, "dropped": 0}  # what a run exercised, for the test
ROUTES = {
    "/service-problem-amendments": ("x-request-id", "x-conversation-id", "tenant"),
    "/service-orders": ("x-request-id", "x-conversation-id"),
    "/service-order-amendments": ("x-request-id", "x-conversation-id"),
}


def _err(code: str, *messages: str) -> dict:
    return {"uuid": str(uuid.uuid4()), "code": code, "messages": list(messages)}


def handle(method: str, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, str], Any]:
    path = path.split("?")[0]
    if path not in ROUTES:
        return 404, {}, _err("NOT_FOUND", "No such resource")
    if method != "POST":
        return 405, {"ALLOW": "POST"}, None
    auth = headers.get("authorization", "")
    if auth[:7].lower() != "bearer " or auth[7:].strip() != kit.TOKEN:
        return 401, {}, _err("NOT_AUTHORISED", "Not authorised")
    missing = [h for h in ROUTES[path] if not headers.get(h)]
    if missing:
        return 400, {}, _err("INVALID_REQUEST", *(f"Missing required header {h}" for h in missing))
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return 400, {}, _err("MALFORMED_REQUEST", "Malformed JSON")
    if not isinstance(body, dict):
        return 400, {}, _err("MALFORMED_REQUEST", "A JSON object is expected")
    if path != "/service-problem-amendments":
        return 202, {}, {"id": next(_ids)}
    bad = kit.spa_problems(body)
    if bad:
        return 400, {}, _err("INVALID_REQUEST", *bad)
    if kit.SERVICE_PROBLEMS.get(body["serviceProblemId"]) != headers["tenant"]:
        return 422, {}, _err("NOT_FOUND", "Service problem not found")
    known = {k: v for k, v in body.items() if k in kit.SPA_FIELDS}
    return 201, {}, {**known, "supplierReference": f"RS{next(_ids)}"}


class _Conn:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = b""

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        self.buf += data
        return bool(data)

    def line(self) -> bytes | None:
        while b"\r\n" not in self.buf:
            if not self._fill():
                return None
        line, _, self.buf = self.buf.partition(b"\r\n")
        return line

    def exactly(self, n: int) -> bytes | None:
        while len(self.buf) < n:
            if not self._fill():
                return None
        out, self.buf = self.buf[:n], self.buf[n:]
        return out


def _serve_connection(sock: socket.socket) -> None:
    conn = _Conn(sock)
    STATS["connections"] += 1
    try:
        for served in itertools.count(1):
            sock.settimeout(IDLE)
            start = conn.line()
            if not start:
                return
            sock.settimeout(5)
            method, target, _ = start.decode("latin-1").split(" ", 2)
            headers: dict[str, str] = {}
            while True:
                line = conn.line()
                if line is None:
                    return
                if not line:
                    break
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            if "chunked" in headers.get("transfer-encoding", "").lower():
                raw = b""
                while True:
                    size_line = conn.line()
                    if size_line is None:
                        return
                    size = int(size_line.split(b";")[0], 16)
                    chunk = conn.exactly(size + 2)
                    if chunk is None:
                        return
                    if size == 0:
                        break
                    raw += chunk[:-2]
            else:
                raw = conn.exactly(int(headers.get("content-length", "0") or 0)) or b""
            STATS["requests"] += 1
            status, extra, obj = handle(method, target, headers, raw)
            body = b"" if obj is None else kit.dumps(obj)
            head = [f"HTTP/1.1 {status} OK", f"CONTENT-LENGTH:{len(body)}"]
            if obj is not None:
                head.append("CONTENT-TYPE:application/json")
            head += [f"{k}:{v}" for k, v in extra.items()]
            if served % PER_CONNECTION == 0:
                head.append("CONNECTION:close")  # it knows it will close: it says so (RFC 9112 §9.6)
            sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
            if served % PER_CONNECTION == 0:
                STATS["dropped"] += 1
                return  # dropped without a word
    except (TimeoutError, OSError, ValueError):
        return
    finally:
        with contextlib.suppress(OSError):
            sock.close()


@contextlib.contextmanager
def serve() -> Iterator[str]:
    """Serve on 127.0.0.1 (a free port) in background threads; yield the base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                sock, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=_serve_connection, args=(sock,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=2)
