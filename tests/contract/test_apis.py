"""Several APIs in one contracts folder, through the CLI: names, titles, --check, lint."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from fcvalidate.cli import main

ROOT = Path(__file__).resolve().parents[2]
BILLING = """\
# List invoices

Endpoint: GET /invoices
Security: X-Api-Key

## Response 200 fields (application/json):

  - `items` (array, required)
  - `items.id` (string, required)
"""


def test_top_level_documents_and_each_subfolder_are_separate_apis(tmp_path):
    contracts = tmp_path / "contracts"
    shutil.copytree(ROOT / "contracts", contracts)
    (contracts / "source" / "billing").mkdir()
    (contracts / "source" / "billing" / "list-invoices.md").write_text(BILLING, encoding="utf-8")
    (contracts / "source" / "tracking").mkdir()
    (contracts / "source" / "tracking" / "api.json").write_text(
        '{"title": "Parcel Tracking API", "slug": "tracking"}', encoding="utf-8"
    )
    (contracts / "source" / "tracking" / "track.md").write_text(
        BILLING.replace("List invoices", "Track").replace("/invoices", "/parcels/{id}") + "\n",
        encoding="utf-8",
    )
    before = {p.name: p.read_bytes() for p in contracts.glob("*.openapi.json")}
    runner = CliRunner()
    result = runner.invoke(main, ["compile", str(contracts / "source"), "-o", str(contracts)])
    assert result.exit_code == 0, result.output
    written = {p.name: json.loads(p.read_text()) for p in contracts.glob("*.openapi.json")}
    assert set(written) == {*before, "billing.openapi.json", "tracking.openapi.json"}
    assert {p.name: p.read_bytes() for p in contracts.glob("fibre-cafe-*")} == before  # the seeds unchanged
    assert written["billing.openapi.json"]["info"]["title"] == "billing"
    assert written["tracking.openapi.json"]["info"]["title"] == "Parcel Tracking API"
    assert written["tracking.openapi.json"]["x-fc-sources"] == ["source/tracking/track.md"]
    check = runner.invoke(main, ["compile", str(contracts / "source"), "-o", str(contracts), "--check"])
    assert check.exit_code == 0, check.output
    lint = runner.invoke(main, ["lint", str(contracts)])
    assert lint.exit_code == 0 and "0 error(s)" in lint.output, lint.output
    assert "documentation gap: version" in lint.output
    assert "documentation gap: path-parameter" in lint.output


def test_one_document_takes_the_api_of_its_folder(tmp_path):
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "api.json").write_text('{"title": "Shop API"}', encoding="utf-8")
    (folder / "list.md").write_text(
        BILLING.replace("Endpoint: GET /invoices", "Endpoint: GET /x\nVersion: 3")
    )
    result = CliRunner().invoke(main, ["compile", str(folder / "list.md"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    spec = json.loads((tmp_path / "out" / "shop-api-3.openapi.json").read_text())
    assert spec["info"]["title"] == "Shop API" and spec["info"]["version"] == "3"


def test_the_engine_loads_every_corpus_contract(tmp_path):
    """contract/operation.py loads every compiled shape: parameters of all locations, default responses."""
    from fcvalidate.files import load_contracts

    corpus = Path(__file__).resolve().parent / "corpus"
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir() and p.name != "refused"):
        out = tmp_path / folder.name
        result = CliRunner().invoke(main, ["compile", str(folder), "-o", str(out)])
        assert result.exit_code == 0, result.output
        operations = [op for contract in load_contracts([out]) for op in contract]
        assert operations and all(op.source.at for op in operations)
        assert all(isinstance(status, int) for op in operations for status in op.responses)
        locations = {p.location for op in operations for p in op.parameters}
        assert locations <= {"header", "path", "query", "cookie"}
