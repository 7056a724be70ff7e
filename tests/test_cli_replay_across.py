"""`replay` of a finding judged across several answers re-sends the cases it rests on and judges them
together: one error `uuid` on every error is still found, never "passes now" from one answer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fcvalidate.server.app import ServerConfig, create_app
from fcvalidate.server.background import serve_app
from tests.conftest import TOKEN
from tests.test_cli import certify, invoke

ONE_UUID = "0b7c1f0e-5d43-4a8e-9a3e-2f1d7c6b5a49"


@dataclass
class Switch:
    on: bool = True


@contextmanager
def serve_one_uuid(switch: Switch) -> Iterator[str]:
    """The reference implementation, except that while `switch.on` every error body carries the same
    `uuid` (a supplier that generates it once): each answer alone is conformant."""
    app = create_app(ServerConfig(tokens=(TOKEN,)))

    async def one_uuid(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        start: dict[str, Any] = {}

        async def rewrite(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            body = message.get("body", b"")
            if switch.on and start["status"] >= 400 and body.startswith(b"{"):
                data = json.loads(body)
                if "uuid" in data:
                    data["uuid"] = ONE_UUID
                    body = json.dumps(data).encode()
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        await app(scope, receive, rewrite)

    with serve_app(one_uuid) as url:
        yield url


def test_replay_of_a_repeated_error_id_resends_the_cases_it_rests_on(tmp_path):
    switch = Switch()
    with serve_one_uuid(switch) as url:
        assert certify(url, tmp_path).exit_code == 1
        report = str(tmp_path / "report.json")
        data = json.loads((tmp_path / "report.json").read_text())
        finding = next(
            f
            for r in data["results"]
            for f in r["findings"]
            if f["title"] == "Error `uuid` repeated across errors" and f["severity"] == "failure"
        )
        assert finding["judged_with"] and all(c in data["cases"] for c in finding["judged_with"])
        still = invoke("replay", report, "--token", TOKEN, "--case", finding["case"])
        assert still.exit_code == 1, still.output
        assert "still fails" in still.output and "repeated across errors" in still.output
        assert "re-sent first" in still.output and "passes now" not in still.output
        switch.on = False
        fixed = invoke("replay", report, "--token", TOKEN, "--case", finding["case"])
        assert fixed.exit_code == 0 and "passes now" in fixed.output, fixed.output


def test_a_finding_whose_other_answers_the_report_lacks_cannot_be_judged_from_one_case(tmp_path):
    switch = Switch()
    with serve_one_uuid(switch) as url:
        assert certify(url, tmp_path).exit_code == 1
        data = json.loads((tmp_path / "report.json").read_text())
        finding = next(
            f
            for r in data["results"]
            for f in r["findings"]
            if f["title"] == "Error `uuid` repeated across errors"
        )
        for other in finding["judged_with"]:
            del data["cases"][other]
        cut = tmp_path / "cut.json"
        cut.write_text(json.dumps(data))
        result = invoke("replay", str(cut), "--token", TOKEN, "--case", finding["case"])
    assert result.exit_code == 2, result.output
    assert "cannot be judged from this one case" in result.output and "passes now" not in result.output
