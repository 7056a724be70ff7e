"""docs/boundaries-and-credentials.md: its commands run as written (only the port and the report folder
are this test's own), and its conventions file is one fcvalidate reads."""

from __future__ import annotations

import json
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from fcvalidate.conventions import accepted
from tests.test_cli import invoke

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "boundaries-and-credentials.md"


def _commands() -> dict[str, list[str]]:
    lines = [line[2:] for line in DOC.read_text().splitlines() if line.startswith("$ fcvalidate ")]
    return {shlex.split(line)[1]: shlex.split(line)[1:] for line in lines}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_documented_commands_find_the_documented_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    commands = _commands()
    port = str(_free_port())
    serve = [arg if arg != "8181" else port for arg in commands["serve"]]
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("fcvalidate")), *serve],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/orders", timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and server.poll() is None, "serve did not start"
                time.sleep(0.2)
        monkeypatch.chdir(ROOT)
        certify = [
            re.sub(r"8181", port, arg)
            if "8181" in arg
            else (str(tmp_path) if arg == "reports/orders" else arg)
            for arg in commands["certify"]
        ]
        result = invoke(*certify)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert result.exit_code == 1, result.output
    report = json.loads((tmp_path / "report.json").read_text())
    failed = {(r["operation"], r["requirement"]) for r in report["results"] if r["status"] == "failed"}
    assert failed == {("GET /orders", "invalid-requests"), ("POST /orders", "invalid-requests")}
    assert "limit is 0, outside its bounds" in json.dumps(report)


def test_the_documented_conventions_file_accepts_the_enum_convention():
    [block] = re.findall(r"```yaml\n(.*?)```", DOC.read_text(), re.S)
    assert "json-schema.enum-not-normalised" in accepted(yaml.safe_load(block)["accept"])


def test_the_documented_paging_commands_show_the_records(tmp_path: Path):
    [block] = re.findall(r"```sh\n(.*?)```", DOC.read_text(), re.S)
    outputs = []
    for line in block.strip().splitlines():
        command = line.replace("/tmp/parcel-lockers-contracts", str(tmp_path / "contracts"))
        done = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        outputs.append(done.stdout)
    assert "inferred (limit-parameter)" in outputs[-1] and "inferred (last-page-marker)" in outputs[-1]
