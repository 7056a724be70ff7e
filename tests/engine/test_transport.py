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
