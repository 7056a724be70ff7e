"""One signed certificate of the reference implementation per session; tests tamper with copies of it."""

from __future__ import annotations

import base64
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fcvalidate import certify, keygen
from fcvalidate.cli import main
from tests.conftest import DATA_FILE, TOKEN


@dataclass(frozen=True)
class Signed:
    """A certificate folder: cert.json, its evidence report.json, and the key pair that signed it."""

    folder: Path
    result: Any  # the RunResult, holding every exchange sent

    @property
    def certificate(self) -> Path:
        return self.folder / "cert.json"

    @property
    def evidence(self) -> Path:
        return self.folder / "report.json"

    @property
    def key(self) -> Path:
        return self.folder / "supplier.pem"

    @property
    def public(self) -> Path:
        return self.folder / "supplier.pub.pem"

    def envelope(self) -> dict[str, Any]:
        return json.loads(self.certificate.read_text())

    def statement(self) -> dict[str, Any]:
        return json.loads(base64.b64decode(self.envelope()["payload"]))

    def copy(self, to: Path) -> Signed:
        shutil.copytree(self.folder, to, dirs_exist_ok=True)
        return Signed(to, self.result)


@pytest.fixture(scope="session")
def signed(tmp_path_factory, reference_url, contracts) -> Signed:
    folder = tmp_path_factory.mktemp("signed")
    keygen(folder / "supplier.pem", folder / "supplier.pub.pem")
    result = certify(
        reference_url,
        contracts=contracts,
        data=DATA_FILE,
        token=TOKEN,
        max_examples=5,
        certificate=folder / "cert.json",
        signing_key=folder / "supplier.pem",
        implementation="reference@0.1.0",
    )
    return Signed(folder, result)


@pytest.fixture
def copy(signed, tmp_path) -> Signed:
    return signed.copy(tmp_path / "copy")


def fcvalidate(*args: Any) -> Any:
    """The CLI, in process; output and exit code."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def lines(result: Any) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("refused: ")]


def reencode(envelope: dict[str, Any], statement: dict[str, Any]) -> dict[str, Any]:
    """The envelope with another payload and the old signature: what a tamperer can do without the key."""
    payload = (json.dumps(statement, indent=2) + "\n").encode()
    return {**envelope, "payload": base64.b64encode(payload).decode()}
