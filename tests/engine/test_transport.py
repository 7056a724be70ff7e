"""Sending: each case goes out exactly as its reproducer says, whatever was sent before it."""

from __future__ import annotations

import dataclasses

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from fcvalidate.engine.transport import Transport
from fcvalidate.exchange import Case, Expect, Source
from fcvalidate.requirements import RequirementId as R
from fcvalidate.server.background import serve_app

CASE = Case(
    id="op.valid.000",
    operation="GET /session",
    requirement=R.VALID_REQUESTS,
    kind="valid",
    title="a valid request",
    method="GET",
    path="/session",
    headers=(),
    body=None,
    expect=Expect("success"),
    source=Source(at="session.md:1:1", clause="Endpoint: GET /session"),
)


def test_a_cookie_the_server_sets_is_never_sent_back():
    """Otherwise a session cookie would authorise the probes sent without a credential, and a replay
    (or the curl line) would not send what the run sent."""
    received: list[str | None] = []

    async def session(request: Request) -> JSONResponse:
        received.append(request.headers.get("cookie"))
        response = JSONResponse({})
        response.set_cookie("session", "granted")
        return response

    with serve_app(Starlette(routes=[Route("/session", session)])) as url, Transport(url) as transport:
        for case in (CASE, CASE, dataclasses.replace(CASE, cookies=(("theme", "dark"),))):
            assert transport.send(case).response is not None
    assert received == [None, None, "theme=dark"]


def test_a_kept_alive_connection_the_server_closed_is_not_a_finding():
    """A server may close an idle kept-alive connection just as the client reuses it (RFC 9112 §9.3.1):
    nothing was answered, so the request goes once more on a new connection. A server that closes before
    answering every time is still a finding."""
    import socket
    import threading

    def serve(listener: socket.socket, answers: int) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:  # `answers` requests answered on each connection, then the next one dropped
                for _ in range(answers):
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
                conn.recv(65536)

    for answers in (1, 0):
        listener = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=serve, args=(listener, answers), daemon=True).start()
        with Transport(f"http://127.0.0.1:{listener.getsockname()[1]}") as transport:
            first, second = transport.send(CASE), transport.send(CASE)  # the second meets a dropped one
        listener.close()
        if answers:
            assert first.response is not None and second.response is not None, second.error
        else:
            assert second.response is None and "disconnected" in (second.error or "")
