"""docs/compiler.md cannot rot: its example document compiles as the page says, its commands run."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from fcvalidate.cli import main
from fcvalidate.contract.compiler import compile_documents
from fcvalidate.contract.parser import parse_document

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "docs" / "compiler.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", PAGE, re.S)


def rules(node: dict) -> set[str]:
    inferred = node.get("x-fc-inferred", [])
    return {i["rule"] for i in (inferred if isinstance(inferred, list) else [inferred])}


def test_the_example_document_compiles_as_the_page_says():
    (text,) = blocks("markdown")
    (spec,) = compile_documents([parse_document(text, "example.md")]).values()
    op = spec["paths"]["/sites/{siteId}/sightings"]["post"]
    assert op["description"].endswith("see Security: below.") and rules(op) == {"marker-in-prose"}
    assert op["security"] == [{"SurveyKey": []}] and spec["info"]["version"] == "3.2"
    (site,) = op["parameters"]
    assert site["description"] == "Survey site code. Type: String, Example: '7573'"
    assert site["example"] == "7573" and rules(site) == {"example-as-text", "marker-in-prose"}
    species = op["requestBody"]["content"]["application/json"]["schema"]["properties"]["species"]
    assert species["description"] == "The bird seen, one of:\n- heron: grey heron\n- `egret`: little egret"
    assert species["type"] == ["string", "null"] and species["enum"] == ["heron", "egret", None]
    assert rules(species) == {"null-in-enum"}


def test_every_command_on_the_page_works_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    commands = [line for block in blocks("sh") for line in block.splitlines() if line.strip()]
    assert len(commands) == 3
    said = []
    for command in commands:
        words = shlex.split(command.replace("/tmp/bird-survey-contracts", str(tmp_path / "out")))
        assert words[0] == ".venv/bin/fcvalidate", command
        result = CliRunner().invoke(main, words[1:])
        assert result.exit_code == 0, f"{command}: {result.output}"
        said.append(result.output)
    assert "inferred (marker-in-prose): 'Example:' at " in said[1]  # lint names the words read as prose
    assert len(list((tmp_path / "out").glob("*.openapi.json"))) == 1
