"""`fcvalidate diff` from the command line: formats, --fail-on, accepted changes, clauses that point at
the sentence, fingerprints that do not depend on where the documents are."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

from click.testing import CliRunner

from fcvalidate.cli import main
from tests.versions.plants import SERIES

OLD, NEW = SERIES / "1.0", SERIES / "1.1"
# What 1.1 plants on 1.0 (see docs/versions.md): rule, location, tenants, suppliers
PLANTED = {
    ("operation-version-changed", "version", "info", "info"),
    ("request-property-added-optional", "request.body.$.urgency", "info", "warning"),
    ("request-property-enum-value-removed", "request.body.$.category", "breaking", "info"),
    ("parameter-added-required", "request.header.Tenant", "breaking", "warning"),
    ("response-property-enum-value-added", "response.200.body.$.status", "warning", "info"),
    ("response-status-added", "response.409", "warning", "info"),
}


def invoke(*args: str | Path):
    return CliRunner().invoke(main, ["diff", *map(str, args)], catch_exceptions=False)


def changes(*args: str | Path) -> list[dict]:
    result = invoke(*args, "--format", "json")
    return json.loads(result.stdout)["changes"]


def test_text_lists_every_planted_change_with_both_weights():
    result = invoke(OLD, NEW)
    assert result.exit_code == 0
    assert (
        "[tenants: breaking · suppliers: info] request-property-enum-value-removed at request.body.$.category"
        in (result.stdout)
    )
    assert (
        "7 change(s) · tenants: 2 breaking, 2 warning(s) · suppliers: 0 breaking, 2 warning(s)"
        in result.stdout
    )


def test_json_has_the_planted_changes_and_nothing_else():
    found = {(c["rule"], c["location"], c["tenants"], c["suppliers"]) for c in changes(OLD, NEW)}
    assert found == PLANTED
    assert len(changes(OLD, NEW)) == 7  # the version line of two operations


def test_clauses_point_at_the_sentence_they_quote():
    quoted = 0
    for change in changes(OLD, NEW):
        for side in ("old", "new"):
            if change[side] is None:
                continue
            file, line, column = change[side]["at"].rsplit(":", 2)
            text = Path(file).read_text(encoding="utf-8").splitlines()[int(line) - 1]
            first_word = change[side]["clause"].split()[0]
            assert text[int(column) - 1 :].startswith(first_word), change[side]
            quoted += 1
    assert quoted == 11  # 7 new clauses; old ones for the 4 changes of something that existed before


def test_fingerprints_do_not_depend_on_where_the_documents_are(tmp_path: Path):
    shutil.copytree(OLD, tmp_path / "a")
    shutil.copytree(NEW, tmp_path / "b" / "elsewhere")
    here = sorted(c["fingerprint"] for c in changes(OLD, NEW))
    there = sorted(c["fingerprint"] for c in changes(tmp_path / "a", tmp_path / "b" / "elsewhere"))
    assert here == there and len(set(here)) == 7


def test_contracts_and_documents_compare_alike(tmp_path: Path):
    for version in ("1.0", "1.1"):
        result = CliRunner().invoke(main, ["compile", str(SERIES / version), "-o", str(tmp_path / version)])
        assert result.exit_code == 0, result.output
    from_contracts = {
        (c["rule"], c["location"], c["fingerprint"]) for c in changes(tmp_path / "1.0", tmp_path / "1.1")
    }
    from_documents = {(c["rule"], c["location"], c["fingerprint"]) for c in changes(OLD, NEW)}
    assert from_contracts == from_documents
    one_file = changes(
        tmp_path / "1.0" / "fibre-cafe-2.0.openapi.json", tmp_path / "1.1" / "fibre-cafe-2.1.openapi.json"
    )
    assert {c["rule"] for c in one_file} == {r for r, *_ in PLANTED} | {
        "operation-removed"
    }  # 2.0 also has GAA
    assert all(
        Path(c["new"]["at"].rsplit(":", 2)[0]).is_file() for c in one_file if c["new"]
    )  # relative to the contract


def test_fail_on_weighs_the_chosen_side():
    assert invoke(OLD, NEW, "--fail-on", "breaking").exit_code == 1
    assert invoke(OLD, NEW, "--fail-on", "breaking", "--side", "suppliers").exit_code == 0
    assert invoke(OLD, NEW, "--fail-on", "warning", "--side", "suppliers").exit_code == 1
    assert invoke(OLD, OLD, "--fail-on", "warning").exit_code == 0


def test_accepted_changes_are_silenced_and_stale_ones_reported(tmp_path: Path):
    breaking = [c for c in changes(OLD, NEW) if c["tenants"] == "breaking"]
    accepted = tmp_path / "accepted.yaml"
    entries = [
        f"  - fingerprint: {c['fingerprint']}\n    reason: announced in the 1.1 notes\n" for c in breaking
    ]
    accepted.write_text(
        "accepted:\n" + "".join(entries) + "  - fingerprint: 0123456789abcdef\n    reason: old\n"
    )
    result = invoke(OLD, NEW, "--fail-on", "breaking", "--accepted", accepted)
    assert result.exit_code == 0
    assert "5 change(s) · tenants: 0 breaking" in result.stdout
    assert "2 silenced as accepted · 1 stale acceptance(s)" in result.stdout
    assert "accepted fingerprint 0123456789abcdef (old) matches no change" in result.stdout
    assert "2 change(s) silenced by" in result.stderr
    data = json.loads(invoke(OLD, NEW, "--accepted", accepted, "--format", "json").stdout)
    assert [s["reason"] for s in data["silenced"]] == ["announced in the 1.1 notes"] * 2
    assert data["stale"][0]["fingerprint"] == "0123456789abcdef"


def test_a_bad_accepted_file_is_a_usage_error(tmp_path: Path):
    bad = tmp_path / "accepted.yaml"
    bad.write_text("accepted:\n  - fingerprint: nothex\n    reason: x\n")
    result = invoke(OLD, NEW, "--accepted", bad)
    assert result.exit_code == 2
    assert "--accepted: " in result.stderr and "entry 1: `fingerprint` must be" in result.stderr
    bad.write_text("accepted:\n  - fingerprint: 0123456789abcdef\n")
    assert "give a `reason`" in invoke(OLD, NEW, "--accepted", bad).stderr
    bad.write_text("accepted: [")
    result = invoke(OLD, NEW, "--accepted", bad)
    assert result.exit_code == 2 and "not YAML/JSON" in result.stderr


def test_unreadable_inputs_are_usage_errors(tmp_path: Path):
    result = invoke(tmp_path / "nope", NEW)
    assert result.exit_code == 2 and "nope: no such file or folder" in result.stderr
    (tmp_path / "broken.openapi.json").write_text("{")
    result = invoke(tmp_path / "broken.openapi.json", NEW)
    assert result.exit_code == 2 and "not JSON" in result.stderr
    (tmp_path / "empty").mkdir()
    result = invoke(tmp_path / "empty", NEW)
    assert result.exit_code == 2 and "neither contracts" in result.stderr
    assert "Traceback" not in result.output


def test_one_side_holding_an_operation_twice_is_refused(tmp_path: Path):
    both = tmp_path / "both"
    both.mkdir()
    for version in ("1.0", "1.1"):
        CliRunner().invoke(main, ["compile", str(SERIES / version), "-o", str(tmp_path / version)])
    shutil.copy(tmp_path / "1.0" / "fibre-cafe-2.0.openapi.json", both)
    shutil.copy(tmp_path / "1.1" / "fibre-cafe-2.1.openapi.json", both)
    result = invoke(both, NEW)
    assert result.exit_code == 2 and "OLD holds" in result.stderr and "twice" in result.stderr


def test_junit_fails_the_changes_that_meet_the_threshold(tmp_path: Path):
    out = tmp_path / "diff.xml"
    assert invoke(OLD, NEW, "--format", "junit", "--output", out).exit_code == 0
    suite = ET.parse(out).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "7" and suite.get("failures") == "2"
    failed = {case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None}
    assert failed == {
        "request-property-enum-value-removed request.body.$.category",
        "parameter-added-required request.header.Tenant",
    }
    invoke(OLD, NEW, "--format", "junit", "--output", out, "--fail-on", "warning")
    assert ET.parse(out).getroot().find("testsuite").get("failures") == "5"  # type: ignore[union-attr]


def test_markdown_escapes_and_lists_the_clauses():
    result = invoke(OLD, NEW, "--format", "markdown")
    assert result.exit_code == 0
    assert (
        "| `GET /service-problems/{id}` | parameter added, required | `request.header.Tenant` | breaking | warning |"
        in (result.stdout)
    )
    assert "### Clauses" in result.stdout
