"""`fcvalidate serve` as a user runs it: prints its URL when ready, answers, stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from click.testing import CliRunner

from fcvalidate.cli import main
from fcvalidate.server import FAULTS

SECRET = "serve-cli-secret-93a1"


def test_serve_prints_url_answers_and_stops_on_sigterm():
    env = {**os.environ, "FCVALIDATE_SERVE_TOKEN": SECRET}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fcvalidate.cli",
            "serve",
            "--port",
            "0",
            "--client",
            "cli:clisecret-77",
            "--delay",
            "0.3",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("fcvalidate reference implementation listening on http://127.0.0.1:")
        url = line.split()[-1]
        headers = {"Authorization": f"Bearer {SECRET}", "X-Request-ID": "1", "X-Conversation-ID": "2"}
        response = httpx.post(url + "/service-orders", headers=headers, json={})
        assert response.status_code == 201  # late, but right: --delay is latency, not a fault
        assert response.elapsed.total_seconds() >= 0.3
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert SECRET not in line + out and "clisecret-77" not in line + out


def test_list_faults():
    result = CliRunner().invoke(main, ["serve", "--list-faults"])
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) == len(FAULTS) >= 25
    assert "cross-tenant" in result.output and "tenant-isolation" in result.output


def test_unknown_fault_is_a_usage_error():
    result = CliRunner().invoke(main, ["serve", "--token", "x", "--fault", "nope"])
    assert result.exit_code == 2 and "unknown fault(s): nope" in result.output


def test_serve_needs_a_credential(monkeypatch):
    monkeypatch.delenv("FCVALIDATE_SERVE_TOKEN", raising=False)
    monkeypatch.delenv("FCVALIDATE_SERVE_CLIENT", raising=False)
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2 and "--token" in result.output


def test_bad_client_option():
    result = CliRunner().invoke(main, ["serve", "--client", "no-colon"])
    assert result.exit_code == 2 and "ID:SECRET" in result.output


def test_serve_your_own_contracts_seeded_from_a_data_file(corpus_contracts_dir):
    """docs/reference-server.md's example: `serve --contracts DIR --data FILE --api-key NAME=VALUE`."""
    data = Path(__file__).resolve().parent / "corpus-data.yaml"
    command = [sys.executable, "-m", "fcvalidate.cli", "serve", "--port", "0"]
    command += ["--contracts", str(corpus_contracts_dir), "--data", str(data), "--api-key", "ApiKeyAuth=k-7"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = proc.stdout.readline().split()[-1]
        assert httpx.get(url + "/pets/82", headers={"ApiKeyAuth": "k-7"}).json()["id"] == 82
        assert httpx.get(url + "/pets/82", headers={"ApiKeyAuth": "k-8"}).status_code == 401
        assert httpx.get(url + "/books/").status_code == 200  # no security: open
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=10)
    assert proc.returncode == 0


def test_bad_api_key_option():
    result = CliRunner().invoke(main, ["serve", "--api-key", "no-equals"])
    assert result.exit_code == 2 and "NAME=VALUE" in result.output


def test_a_busy_port_is_one_line_and_exit_2():
    import socket

    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "fcvalidate.cli", "serve", "--port", str(port), "--token", "x"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"--port: port {port} on 127.0.0.1 is in use"]
    assert proc.stdout == ""
