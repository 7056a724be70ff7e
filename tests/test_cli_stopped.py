"""A run a tool error stops part-way (credentials rejected on a later operation) still writes its reports:
every operation judged so far, the rest not tested, and why it stopped; the exit code stays 3."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from fcvalidate import certify
from fcvalidate.api import events
from fcvalidate.engine.events import RunFinished
from fcvalidate.errors import CredentialsError
from fcvalidate.server.app import ServerConfig, create_app
from fcvalidate.server.background import serve_app
from tests.conftest import DATA_FILE, TOKEN
from tests.test_cli import REPORTS
from tests.test_cli import certify as certify_cli

REVOKED = "/service-orders"  # the run's last operation: the token no longer works there


@contextmanager
def serve_revoking(path: str) -> Iterator[str]:
    """The reference implementation, except that every request to `path` is answered 401, as a
    token revoked part-way through a run would be."""
    app = create_app(ServerConfig(tokens=(TOKEN,)))

    async def revoking(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != path:
            await app(scope, receive, send)
            return
        body = b'{"code":"NOT_AUTHORISED","message":"token revoked"}'
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 401, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    with serve_app(revoking) as url:
        yield url


def test_rejected_credentials_part_way_still_write_every_report(tmp_path):
    with serve_revoking(REVOKED) as url:
        result = certify_cli(url, tmp_path)
    assert result.exit_code == 3, result.output
    assert "credentials rejected" in result.output and "Traceback" not in result.output
    assert {p.name for p in tmp_path.iterdir()} == REPORTS
    data = json.loads((tmp_path / "report.json").read_text())
    assert not data["run"]["complete"] and data["verdict"] == "incomplete"
    assert data["run"]["stopped"].startswith("the run stopped: credentials rejected")
    by_op: dict[str, set[str]] = {}
    for r in data["results"]:
        by_op.setdefault(r["operation"], set()).add(r["status"])
    judged = {op for op, statuses in by_op.items() if statuses != {"skipped"}}
    assert judged == {"POST /service-order-amendments", "POST /service-problem-amendments"}
    stopped = [r for r in data["results"] if r["operation"] == f"POST {REVOKED}"]
    assert len(stopped) == 9 and all(r["reason"].startswith("not tested: the run stopped: ") for r in stopped)
    summary = (tmp_path / "summary.md").read_text().replace("\\", "")  # Markdown escapes the colons
    assert "the run stopped: credentials rejected" in summary.splitlines()[2]
    assert "the run stopped: credentials rejected" in (tmp_path / "report.html").read_text()
    assert 'name="stopped"' in (tmp_path / "junit.xml").read_text()


def test_the_engine_yields_what_it_judged_then_raises(contracts):
    """Every consumer of the event stream (the API, the pytest plugin) gets the error as before; the
    partial result comes first, in the stream."""
    with serve_revoking(REVOKED) as url:
        stream = events(url, contracts=contracts, data=DATA_FILE, token=TOKEN, max_examples=2)
        seen = []
        with pytest.raises(CredentialsError, match="credentials rejected"):
            seen.extend(stream)
        with pytest.raises(CredentialsError):
            certify(url, contracts=contracts, data=DATA_FILE, token=TOKEN, max_examples=2)
    assert isinstance(seen[-1], RunFinished) and seen[-1].result.stopped
