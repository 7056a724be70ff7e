"""Every curl reproducer, run with the real `curl` binary against a server that records the raw request,
sends exactly the recorded case: method, path, query, headers and body, byte for byte. `replay` too."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from fcvalidate.cli import main
from fcvalidate.engine.replay import judged_with
from fcvalidate.engine.transport import build_headers, build_url
from fcvalidate.exchange import BEARER, Case, Credential, Exchange, Expect, Source
from fcvalidate.report.exchanges import REDACTED, exchange_data
from fcvalidate.requirements import RequirementId as R
from fcvalidate.server import serve_in_background
from tests.conftest import DATA_FILE, TOKEN

FAULTS = ("no-check-tenant", "crash-on-unicode", "error-not-json", "non-object-accepted", "other-methods-200")


@dataclass(frozen=True, slots=True)
class Raw:
    method: str
    target: str
    headers: list[tuple[bytes, bytes]]
    body: bytes


@contextmanager
def recorder() -> Iterator[tuple[str, list[Raw]]]:
    """A loopback HTTP server that records each raw request and answers 200 `{}`."""
    seen: list[Raw] = []
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            line, *fields = head.split(b"\r\n")
            headers = [(k, v.strip(b" \t")) for k, _, v in (f.partition(b":") for f in fields)]
            length = int(next((v for k, v in headers if k.lower() == b"content-length"), b"0"))
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
            method, target, _ = line.decode("latin-1").split(" ", 2)
            seen.append(Raw(method, target, headers, body))
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                b"Connection: close\r\n\r\n{}"
            )

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            handle(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", seen
    finally:
        stop.set()
        thread.join(5)
        listener.close()


@pytest.fixture(scope="module")
def curl_binary() -> str:
    """Debian's curl; installed here when missing (CI's .ci/run installs it too)."""
    found = shutil.which("curl")
    if found is None:
        env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "curl"], check=False, capture_output=True, env=env)
        found = shutil.which("curl")
    if found is None:
        pytest.fail("Debian's curl is not installed and could not be installed (apt-get install curl)")
    return found


def expected_request(entry: dict) -> tuple[str, str, dict[str, bytes], bytes]:
    """What the case says must go on the wire (Authorization: the token from $FCVALIDATE_TOKEN)."""
    c = entry["case"]
    body = base64.b64decode(c["body_base64"]) if c["body_base64"] is not None else b""
    via = c.get("credential") or {}
    case = Case(
        "x", "", R.VALID_REQUESTS, "valid", "", entry["request"]["method"], c["path"],
        tuple((k, v) for k, v in c["headers"]), body if c["body_base64"] is not None else None,
        Expect("success"), Source("", ""), c["auth"], c["content_type"],
        query=tuple((k, v) for k, v in c.get("query", ())),
        cookies=tuple((k, v) for k, v in c.get("cookies", ())),
        credential=Credential(**{**via, "aliases": tuple(via.get("aliases", ()))}) if via else BEARER,
    )  # fmt: skip
    headers = {k: v.encode("utf-8") for k, v in build_headers(case, TOKEN).items()}
    if headers.get("Authorization") == f"Bearer {REDACTED}".encode():
        headers["Authorization"] = f"Bearer {TOKEN}".encode()
    return entry["request"]["method"], build_url("", case, TOKEN), headers, body


def assert_sent_exactly(raw: Raw, entry: dict) -> None:
    method, path, headers, body = expected_request(entry)
    assert (raw.method, raw.target) == (method, path), entry["id"]
    got = {k.decode("latin-1").lower(): v for k, v in raw.headers}
    for name, value in headers.items():
        assert got.get(name.lower()) == value, (entry["id"], name, got.get(name.lower()), value)
    if not any(n.lower() == "content-type" for n in headers):
        assert "content-type" not in got, entry["id"]
    assert raw.body == body, entry["id"]


def run_curl(line: str, base_url: str, recorder_url: str) -> None:
    assert base_url in line
    shell = shutil.which("dash") or "/bin/sh"  # POSIX sh, not bash: the reproducers must not need bash
    subprocess.run(
        [shell, "-c", line.replace(base_url, recorder_url) + " >/dev/null"],
        check=True,
        env={"PATH": os.environ["PATH"], "FCVALIDATE_TOKEN": TOKEN},
        timeout=20,
    )


def crafted_entries(base_url: str) -> list[dict]:
    def case(case_id: str, headers: tuple[tuple[str, str], ...], body: bytes | None, **kw) -> dict:
        c = Case(
            case_id, "POST /service-orders", R.MALFORMED_BODY, "malformed", "crafted", "POST",
            "/service-orders", headers, body, Expect("rejected"), Source("a.md:1:1", "clause"), **kw,
        )  # fmt: skip
        return exchange_data(Exchange(c, base_url + c.path, None, "crafted"), (TOKEN,))

    std = (("X-Request-ID", "1"), ("X-Conversation-ID", "2"))
    return [
        case("empty-value", (("X-Request-ID", ""), ("X-Conversation-ID", "")), b"{}"),
        case("nul-bytes", std, b'{"a":"\x00\x01\xff\xfe%s\\n\'"}\x00'),
        case("binary", std, bytes(range(256))),
        case("unicode", std, '{"note":"café ☕ 𝄞 «»"}'.encode()),
        case(
            "quotes", (*std, ("X-Quote", 'it\'s "quoted" $HOME `x` \\')), b'{"q":"it\'s \\"x\\" $HOME `id`"}'
        ),
        case("percent-and-at", std, b"@/etc/passwd %d %s \\0 \\n"),
        case("no-content-type", std, b"{not json", content_type=None),
        case("empty-body", std, b""),
        case("no-body", std, None, auth="none"),
        case("newlines", std, b'{\n\t"a": 1\r\n}'),
    ]


def test_every_curl_line_of_a_real_report_sends_the_case_exactly(curl_binary, tmp_path):
    with serve_in_background(tokens=(TOKEN,), faults=FAULTS) as url:
        result = CliRunner().invoke(
            main,
            ["certify", "--base-url", url, "--token", TOKEN, "--data", str(DATA_FILE),
             "--report-dir", str(tmp_path), "--max-examples", "4"],
        )  # fmt: skip
    assert result.exit_code == 1, result.output
    data = json.loads((tmp_path / "report.json").read_text())
    entries = list(data["cases"].values()) + crafted_entries(url)
    assert len(data["cases"]) >= 15
    with recorder() as (recorder_url, seen):
        for entry in entries:
            before = len(seen)
            run_curl(entry["curl"], url, recorder_url)
            assert len(seen) == before + 1, entry["curl"]
            assert_sent_exactly(seen[-1], entry)


def test_replay_sends_the_case_exactly_as_recorded(tmp_path):
    with serve_in_background(tokens=(TOKEN,), faults=FAULTS) as url:
        CliRunner().invoke(
            main,
            ["certify", "--base-url", url, "--token", TOKEN, "--data", str(DATA_FILE),
             "--report-dir", str(tmp_path), "--max-examples", "4"],
        )  # fmt: skip
    report = tmp_path / "report.json"
    data = json.loads(report.read_text())
    crafted = {e["id"]: e for e in crafted_entries(url)}
    data["cases"].update(crafted)
    report.write_text(json.dumps(data))
    with recorder() as (recorder_url, seen):
        for case_id, entry in data["cases"].items():
            before = len(seen)
            result = CliRunner().invoke(
                main, ["replay", str(report), "--case", case_id, "--base-url", recorder_url, "--token", TOKEN]
            )
            assert result.exit_code in (0, 1), result.output
            # the preflight GET /, the cases its findings were judged with, then the case itself
            assert len(seen) == before + 2 + len(judged_with(data, case_id)), case_id
            assert_sent_exactly(seen[-1], entry)
