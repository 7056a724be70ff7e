"""Hostile implementations: HTTP-level misbehaviour no well-behaved framework produces.

The second part of the fault catalogue (the first, `faults.py`, breaks the contract through the reference
app). These break the transport itself, so they are a raw socket server: each answers every request
the same hostile way. Used to prove the engine turns each into a finding, never a hang or a traceback.
Listens on 127.0.0.1 only, on a free port; stops when the context manager exits.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

Behaviour = Callable[[socket.socket, bytes, threading.Event], None]  # (connection, request head, stop)


@dataclass(frozen=True, slots=True)
class HostileMode:
    id: str
    description: str
    behaviour: Behaviour


def _send(
    conn: socket.socket, status: str, headers: list[tuple[str, str]], body: bytes, version: str = "HTTP/1.1"
) -> None:
    head = f"{version} {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    conn.sendall(head.encode("latin-1") + body)


def _json_headers(length: int) -> list[tuple[str, str]]:
    return [("Content-Type", "application/json"), ("Content-Length", str(length)), ("Connection", "close")]


def _never_answers(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    stop.wait()


def _trickle(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    body = b'{"uuid": "87432dfb-2e47-4532-a1b7-4b113d48867d", "code": "INVALID_REQUEST", "messages": []}'
    data = b"HTTP/1.1 400 Bad Request\r\n" + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
    for byte in data:
        if stop.wait(0.25):
            return
        conn.sendall(bytes([byte]))


def _reset_mid_body(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    conn.sendall(
        b'HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"id": 1,'
    )
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST on close


def _length_larger(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    conn.sendall(
        b'HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"id": 1}'
    )


def _length_smaller(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    body = b'{"id": 1, "serviceProblemId": 12356}'
    conn.sendall(
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"
        + body
    )


def _invalid_utf8(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    body = b'{"uuid": "87432dfb-2e47-4532-a1b7-4b113d48867d", "code": "INVALID_\xff\xfe", "messages": ["\xc3\x28"]}'
    _send(conn, "400 Bad Request", _json_headers(len(body)), body)


def _huge_body(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    size = 10 * 1024 * 1024
    conn.sendall(
        f"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n".encode()
    )
    chunk = b" " * 65536
    for _ in range(size // len(chunk)):
        if stop.is_set():
            return
        conn.sendall(chunk)


_BOMB = gzip.compress(b"0" * (64 * 1024 * 1024), compresslevel=9)


def _gzip_bomb(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    headers = [*_json_headers(len(_BOMB)), ("Content-Encoding", "gzip")]
    _send(conn, "201 Created", headers, _BOMB)


def _redirect_off_host(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    _send(
        conn,
        "307 Temporary Redirect",
        [("Location", "http://elsewhere.invalid/steal"), ("Content-Length", "0"), ("Connection", "close")],
        b"",
    )


def _http10(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    conn.sendall(b'HTTP/1.0 201 Created\r\nContent-Type: application/json\r\n\r\n{"id": 1}')


INJECTION = "<script>document.body.setAttribute('data-pwned', 'yes')</script>"


def _html_injection(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    body = (
        b'{"uuid": "87432dfb-2e47-4532-a1b7-4b113d48867d", "code": "'
        + INJECTION.encode()
        + b'", "messages": ["'
        + INJECTION.encode()
        + b'"]}'
    )
    _send(conn, "400 Bad Request", _json_headers(len(body)), body)


def _echo_request(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    """Echoes the request head (and so its Authorization header) in an error body and a header."""
    lines = head.decode("latin-1").splitlines()
    body = json.dumps(
        {"uuid": "87432dfb-2e47-4532-a1b7-4b113d48867d", "code": "INVALID_REQUEST", "messages": lines}
    )
    auth = next(
        (line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("authorization:")), ""
    )
    _send(
        conn,
        "400 Bad Request",
        [*_json_headers(len(body.encode())), ("X-Echo-Authorization", auth)],
        body.encode(),
    )


HOSTILE_MODES: tuple[HostileMode, ...] = (
    HostileMode("never-answers", "accepts the connection, reads the request, never answers", _never_answers),
    HostileMode("trickle", "answers one byte every 0.25 s", _trickle),
    HostileMode("reset-mid-body", "resets the connection in the middle of the body", _reset_mid_body),
    HostileMode("content-length-larger", "Content-Length larger than the body, then closes", _length_larger),
    HostileMode("content-length-smaller", "Content-Length smaller than the body", _length_smaller),
    HostileMode("invalid-utf8", "a JSON error body with invalid UTF-8", _invalid_utf8),
    HostileMode("huge-body", "a 10 MB body", _huge_body),
    HostileMode("gzip-bomb", "a gzip body that expands to 64 MB", _gzip_bomb),
    HostileMode("redirect-off-host", "redirects every request to another host", _redirect_off_host),
    HostileMode("http10", "HTTP/1.0 with no Content-Length, body ends at close", _http10),
    HostileMode("html-injection", "error bodies whose code and messages carry a <script>", _html_injection),
    HostileMode(
        "echo-request", "echoes the request head, Authorization included, in every answer", _echo_request
    ),
)
MODE = {m.id: m for m in HOSTILE_MODES}


@contextmanager
def hostile_server(mode: str) -> Iterator[str]:
    """Serve `mode` on 127.0.0.1, a free port; yields the base URL; stops (and unblocks) on exit."""
    behaviour = MODE[mode].behaviour
    stop = threading.Event()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.1)
    port = listener.getsockname()[1]

    def handle(conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(5)
                head = _read_request(conn)
                behaviour(conn, head, stop)
            except OSError:
                pass

    def accept_loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept_loop, name=f"hostile-{mode}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()


def _read_request(conn: socket.socket) -> bytes:
    """Read the request head and a Content-Length body, so the client is not answered mid-send."""
    data = b""
    deadline = time.monotonic() + 5
    while b"\r\n\r\n" not in data and time.monotonic() < deadline:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip() or 0)
    while len(body) < length and time.monotonic() < deadline:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head
