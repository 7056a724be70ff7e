"""Bad documents: one `FILE:LINE:COLUMN: message` line per problem, exit 2, nothing written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from fcvalidate.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "contracts" / "source" / "service-problem-amendments.md").read_text(encoding="utf-8")
HEAD = "# Get a thing. It gets. Endpoint: POST /things Version: 1.0 Security: oauth2"
GOOD_ITEM = "## Response 400 fields (application/json): - `code` (string, required) Code"


def compile_one(tmp_path: Path, content: bytes | str, *args: str):
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    doc = src / "doc.md"
    doc.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compile", str(doc), "-o", str(out), *args])
    return result, out


def col(text: str, needle: str) -> int:
    return text.index(needle) + 1


CASES = [
    ("empty", "   \n", "1:1: empty document"),
    ("binary", b"# a\x00b", "1:4: binary file: NUL byte at offset 3"),
    ("not utf-8", b"# caf\xe9 Endpoint:", "1:6: not UTF-8 text: invalid byte 0xe9 at offset 5"),
    ("no endpoint", "# A thing. Version: 1 Security: oauth2 " + GOOD_ITEM, "1:1: no 'Endpoint:' in the head"),
    (
        "unknown type",
        f"{HEAD} {GOOD_ITEM} - `x` (strin, required) X",
        f"1:{col(f'{HEAD} {GOOD_ITEM} - `x` (strin, required) X', 'strin,')}: unknown type word 'strin' for `x`",
    ),
    (
        "child without parent",
        f"{HEAD} {GOOD_ITEM} - `a.b` (string) X",
        f"1:{col(f'{HEAD} {GOOD_ITEM} - `a.b` (string) X', 'a.b')}: `a.b`: no field `a` is documented before it",
    ),
    (
        "duplicated field",
        f"{HEAD} {GOOD_ITEM} - `code` (string) Again",
        f"1:{col(f'{HEAD} {GOOD_ITEM} - `code` (string) Again', 'code` (string) Again')}: duplicate field `code`",
    ),
    (
        "example not JSON",
        f"{HEAD} {GOOD_ITEM} Example: not-json",
        f"1:{col(f'{HEAD} {GOOD_ITEM} Example: not-json', 'not-json')}: Example of `code` is not JSON",
    ),
    (
        "unknown section",
        f"{HEAD} ## Response fields - `a` (string) A",
        f"1:{col(f'{HEAD} ## Response', '## Response')}: unknown section",
    ),
    (
        "unknown method",
        "# A. B. Endpoint: FETCH /x Version: 1 Security: oauth2",
        "unknown HTTP method 'FETCH'",
    ),
    (
        "path without slash",
        "# A. B. Endpoint: POST x Version: 1 Security: oauth2",
        "endpoint path must start with '/'",
    ),
    (
        "security that is not a list of names",
        "# A. B. Endpoint: POST /x Version: 1 Security: magic words",
        "'Security:' must list scheme names separated by commas, got 'magic words'",
    ),
    (
        "child of a string",
        f"{HEAD} {GOOD_ITEM} - `code.x` (string) X",
        "its parent `code` is string, only object and array fields have fields",
    ),
    (
        "bad enum value",
        f'{HEAD} ## Response 400 fields (application/json): - `n` (number) N Enum: "a"',
        'Enum value "a" of `n` is not number',
    ),
    (
        "path parameter not in the path",
        "# A. B. Endpoint: GET /x/{id} Version: 1 ## Path parameters: - `key` (string, required) K",
        f"1:{col('# A. B. Endpoint: GET /x/{id} Version: 1 ## Path parameters: - `key`', '`key`')}: "
        "path parameter `key` is not in the path '/x/{id}'",
    ),
    (
        "unbalanced path template",
        "# A. B. Endpoint: GET /x/{id Version: 1",
        "1:23: endpoint path '/x/{id' is not a path template",
    ),
    (
        "any with another type",
        f"{HEAD} {GOOD_ITEM} - `x` (any,string) X",
        "`x`: 'any' already allows every type, it takes no other",
    ),
    (
        "default of the wrong type",
        f'{HEAD} {GOOD_ITEM} - `n` (integer) N Default: "ten"',
        'Default "ten" of `n` is not integer',
    ),
    (
        "default not JSON",
        f"{HEAD} {GOOD_ITEM} - `n` (string) N Default: asc",
        "Default of `n` is not JSON",
    ),
    (
        "two defaults",
        f"{HEAD} {GOOD_ITEM} - `n` (integer) N Default: 1 Default: 2",
        "`n` has two 'Default:' parts",
    ),
    (
        "not a media type",
        f"{HEAD} ## Request fields (json): - `a` (string) A",
        "1:{}: 'json' is not a media type".format(col(f"{HEAD} ## Request fields (json):", "json)")),
    ),
    (
        "none with other schemes",
        "# A. B. Endpoint: POST /x Version: 1 Security: none, oauth2",
        "'Security:' cannot be 'none' and name schemes",
    ),
    (
        "a scheme named twice",
        "# A. B. Endpoint: POST /x Version: 1 Security: oauth2, oauth2",
        "'Security:' names a scheme twice",
    ),
    (
        "text under a head line",
        "# A\n\nB.\n\nEndpoint: GET /x\nVersion: 1\nSome stray words\n",
        "7:1: unexpected text after 'Version:'",
    ),
    (
        "duplicated default response",
        f"{HEAD} ## Response default fields ## Response default fields",
        "duplicate section: '## Response default fields'",
    ),
    (
        "unknown section after the endpoint in Markdown",
        "# A\n\nB\n\nEndpoint: GET /x\n\n## Response headers:\n",
        "7:1: unknown section '## Response headers:'",
    ),
    (
        "unclosed code fence in the head",
        "# A\n\n```http\nGET /x\n\nEndpoint: GET /x\n",
        "3:1: this code fence (```) is never closed",
    ),
    (
        "fields without media",
        f"{HEAD} ## Response 400 fields - `a` (string) A",
        "response 400 lists fields but names no media type",
    ),
]


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_document(tmp_path, content, expected):
    result, out = compile_one(tmp_path, content)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert any(line.startswith(f"{tmp_path.name}") or "doc.md:" in line for line in lines)
    assert any(expected in line for line in lines), lines
    assert all(":" in line and "doc.md:" in line for line in lines)
    assert not out.exists()  # nothing written
    assert "Traceback" not in result.output


def test_several_problems_give_several_lines(tmp_path):
    text = f"{HEAD} {GOOD_ITEM} - `a` (strin) A - `b.c` (string) C - `d` (string) D Example: nope"
    result, _ = compile_one(tmp_path, text)
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 3


def test_multi_line_documents_report_the_right_line(tmp_path):
    text = f"{HEAD}\n## Response 400 fields (application/json):\n- `code` (string, required) Code\n- `x` (strin) X\n"
    result, _ = compile_one(tmp_path, text)
    assert result.exit_code == 2 and "doc.md:4:8: unknown type word 'strin'" in result.output


def test_a_failed_compile_leaves_existing_contracts_untouched(tmp_path):
    out = tmp_path / "out"
    shutil.copytree(ROOT / "contracts", out, ignore=shutil.ignore_patterns("source"))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    good = tmp_path / "good.md"
    good.write_text(SEED, encoding="utf-8")
    bad = tmp_path / "bad.md"
    bad.write_text(f"{HEAD} - stray", encoding="utf-8")
    result = CliRunner().invoke(main, ["compile", str(good), str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # and no temporary file left behind


def test_check_passes_on_the_committed_contracts(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["compile", "--check"])
    assert result.exit_code == 0, result.output


def test_check_reports_stale_missing_and_extra_files(tmp_path):
    out = tmp_path / "contracts"
    shutil.copytree(ROOT / "contracts", out)
    stale = out / "fibre-cafe-1.15.openapi.json"
    stale.write_text(
        stale.read_text().replace("Unique reference identifying", "Some reference identifying", 1)
    )
    (out / "fibre-cafe-1.17.openapi.json").unlink()
    (out / "fibre-cafe-9.9.openapi.json").write_text("{}")
    result = CliRunner().invoke(main, ["compile", str(out / "source"), "-o", str(out), "--check"])
    assert result.exit_code == 1
    text = result.output
    assert "fibre-cafe-1.15.openapi.json: stale (2 lines differ" in text
    assert "fibre-cafe-1.17.openapi.json: missing" in text
    assert "fibre-cafe-9.9.openapi.json: not produced by these documents" in text
    assert (out / "fibre-cafe-1.17.openapi.json").exists() is False  # --check writes nothing


def test_compile_twice_is_byte_identical(tmp_path):
    for name in ("a", "b"):
        CliRunner().invoke(main, ["compile", str(ROOT / "contracts" / "source"), "-o", str(tmp_path / name)])
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def test_lint_passes_and_lists_gaps_and_inferences(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["lint"])
    assert result.exit_code == 0
    assert "documentation gap: request-body" in result.output and "inferred (same-schema-as)" in result.output
    # 13 of the warnings: the error uuids taken to be UUIDs (format-from-example)
    assert result.output.strip().endswith("0 error(s), 37 warning(s)")


def test_lint_fails_on_an_invalid_contract(tmp_path):
    spec = json.loads((ROOT / "contracts" / "fibre-cafe-1.15.openapi.json").read_text())
    spec["paths"]["/service-problem-amendments"]["post"]["responses"]["400"]["content"]["application/json"][
        "schema"
    ]["type"] = "objekt"
    del spec["info"]["title"]
    bad = tmp_path / "bad.openapi.json"
    bad.write_text(json.dumps(spec))
    result = CliRunner().invoke(main, ["lint", str(bad)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert any("bad.openapi.json: error: $.info" in line and "title" in line for line in errors)
    assert any("'objekt'" in line for line in errors)


def test_lint_of_a_file_that_is_not_json(tmp_path):
    bad = tmp_path / "x.openapi.json"
    bad.write_text('{"openapi": \n  oops}')
    result = CliRunner().invoke(main, ["lint", str(bad)])
    assert result.exit_code == 2 and "x.openapi.json:2:3: not JSON" in result.output


def test_an_api_json_that_is_not_json_is_refused_with_its_position(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "doc.md").write_text(f"{HEAD} {GOOD_ITEM}", encoding="utf-8")
    (src / "api.json").write_text('{"title": \n oops}', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compile", str(src), "-o", str(out)])
    assert result.exit_code == 2 and "api.json:2:2: not JSON" in result.output, result.output
    assert not out.exists()


def test_an_api_json_with_unknown_keys_is_refused(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "doc.md").write_text(f"{HEAD} {GOOD_ITEM}", encoding="utf-8")
    (src / "api.json").write_text('{"titel": "X"}', encoding="utf-8")
    result = CliRunner().invoke(main, ["compile", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "api.json:1:1: expected an object of non-empty strings" in result.output


def test_two_folders_writing_the_same_contract_are_refused(tmp_path):
    src = tmp_path / "src"
    for folder in ("one", "two"):
        (src / folder).mkdir(parents=True)
        (src / folder / "doc.md").write_text(f"{HEAD} {GOOD_ITEM}", encoding="utf-8")
        (src / folder / "api.json").write_text('{"title": "Same"}', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compile", str(src), "-o", str(out)])
    assert result.exit_code == 2 and "would write same-1.0.openapi.json" in result.output, result.output
    assert not out.exists()
