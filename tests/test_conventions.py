"""The conventions policy: a finding may fail a run only when every convention it rests on is accepted."""

from __future__ import annotations

import json

import pytest

from fcvalidate.checks.registry import NO_BASIS, Basis, Violation, by_policy
from fcvalidate.conventions import CONVENTION, CONVENTIONS, accepted
from fcvalidate.errors import UsageError
from fcvalidate.exchange import Source
from fcvalidate.requirements import RequirementId as R
from fcvalidate.server import serve_in_background
from tests.conftest import TOKEN
from tests.test_cli import certify, invoke

pytest_plugins = ["pytester"]

NO_CREDENTIALS = CONVENTION["http.401-without-credentials"]


def test_every_shipped_convention_is_accepted_by_default_and_groups_expand():
    # ... but those a supplier may well dispute (an enum member read whatever its case), named to apply
    assert accepted(None) == frozenset(CONVENTION) - {"json-schema.enum-not-normalised"}
    assert "json-schema.enum-not-normalised" in accepted(["json-schema"])
    assert accepted(["fibre-cafe"]) == {c.id for c in CONVENTIONS if c.group == "fibre-cafe"}
    assert accepted(["http.405-other-methods"]) == {"http.405-other-methods"}
    with pytest.raises(UsageError) as err:
        accepted(["htp"])
    assert err.value.setting == "conventions" and "known: fibre-cafe, http, json-schema" in str(err.value)


CLAUSE = Source("a.md:1:1", "the clause")


def _finding(basis: Basis, source: Source = CLAUSE) -> Violation:
    return Violation(R.AUTHORISATION, "t", "response.status", "401", "200", source, basis=basis)


def test_the_policy_reads_the_basis_as_data_never_its_text():
    """Conventions and inferences are ids: a note that merely quotes a convention's statement is prose."""
    quoting = _finding(Basis(note=NO_CREDENTIALS.statement))
    assert by_policy(quoting, frozenset()).severity == "failure"
    resting = _finding(Basis(conventions=(NO_CREDENTIALS.id,)))
    assert by_policy(resting, accepted(None)).severity == "failure"
    warned = by_policy(resting, accepted(["fibre-cafe"]))
    assert (
        warned.severity == "warning"
        and "http.401-without-credentials, a convention not accepted" in warned.hint
    )


def test_a_failure_resting_on_a_compiler_guess_or_on_nothing_is_a_warning_saying_so():
    backed = _finding(Basis(inferences=("format-from-example",)))
    assert by_policy(backed, accepted(None)).severity == "failure"  # a convention backs this inference
    assert by_policy(backed, accepted(["http"])).severity == "warning"
    guessed = by_policy(_finding(Basis(inferences=("request-body",))), accepted(None))
    assert guessed.severity == "warning" and "documentation gap" in guessed.hint
    assert "list them" in guessed.hint  # what the document would have to say
    unfounded = by_policy(_finding(NO_BASIS, Source("", "")), accepted(None))
    assert (
        unfounded.severity == "warning"
        and "no document clause, contract statement or catalogued convention" in unfounded.hint
    )


def test_a_failure_resting_on_a_convention_not_accepted_is_a_warning_naming_it(tmp_path):
    """A missing token answered 400 fails authorisation by HTTP's convention (401); not accepted, it warns."""
    with serve_in_background(tokens=(TOKEN,), faults=("auth-400",)) as url:
        strict = certify(url, tmp_path / "strict", "--operation", "POST /service-orders")
        assert strict.exit_code == 1, strict.output
        conventions = tmp_path / "conventions.yaml"
        conventions.write_text("accept: [fibre-cafe]\n")
        lenient = certify(
            url,
            tmp_path / "lenient",
            "--operation",
            "POST /service-orders",
            "--conventions",
            str(conventions),
        )
    assert lenient.exit_code == 0, lenient.output
    report = json.loads((tmp_path / "lenient" / "report.json").read_text())
    (auth,) = [r for r in report["results"] if r["requirement"] == "authorisation"]
    finding = auth["findings"][0]
    assert auth["status"] == "warning" and finding["severity"] == "warning"
    assert "http.401-without-credentials, a convention not accepted" in finding["hint"]
    assert NO_CREDENTIALS.statement in finding["basis"]
    assert {c["id"] for c in report["run"]["conventions"]} == accepted(["fibre-cafe"])
    assert auth["findings"][0]["rests_on"]["conventions"] == ["http.401-without-credentials"]
    strict_report = json.loads((tmp_path / "strict" / "report.json").read_text())
    assert {c["id"] for c in strict_report["run"]["conventions"]} == set(accepted(None))


def test_which_listed_code_answers_a_refusal_is_a_convention_that_can_be_declined(tmp_path):
    """A 401 whose code, INVALID_REQUEST, the document's own 401 enum lists: requiring NOT_AUTHORISED
    rests on the code-names-refusal convention, so accepting only HTTP's conventions makes it a warning."""
    conventions = tmp_path / "conventions.yaml"
    conventions.write_text("accept: [http]\n")
    with serve_in_background(tokens=(TOKEN,), faults=("auth-wrong-code",)) as url:
        strict = certify(url, tmp_path / "strict", "--operation", "POST /service-orders")
        lenient = certify(
            url,
            tmp_path / "lenient",
            "--operation",
            "POST /service-orders",
            "--conventions",
            str(conventions),
        )
    assert strict.exit_code == 1, strict.output
    assert lenient.exit_code == 0, lenient.output
    report = json.loads((tmp_path / "lenient" / "report.json").read_text())
    (auth,) = [r for r in report["results"] if r["requirement"] == "authorisation"]
    assert auth["status"] == "warning"
    assert all("fibre-cafe.code-names-refusal" in f["rests_on"]["conventions"] for f in auth["findings"])


def test_a_bad_conventions_file_is_a_usage_error_naming_the_option(reference_url, tmp_path):
    bad = tmp_path / "c.yaml"
    bad.write_text("accept: [nonsense]\n")
    result = invoke("certify", "--base-url", reference_url, "--token", TOKEN, "--conventions", str(bad))
    assert result.exit_code == 2 and "--conventions: unknown convention 'nonsense'" in result.output


def test_the_plugin_takes_the_same_conventions_file(pytester, tmp_path):
    conventions = tmp_path / "c.yaml"
    conventions.write_text("accept: [fibre-cafe]\n")
    with serve_in_background(tokens=(TOKEN,), faults=("auth-400",)) as url:
        args = [
            "--fc-base-url",
            url,
            "--fc-token",
            TOKEN,
            "--fc-operation",
            "POST /service-orders",
            "--fc-max-examples",
            "3",
        ]
        pytester.runpytest(*args, "-k", "authorisation").assert_outcomes(failed=1, deselected=8)
        lenient = pytester.runpytest(*args, f"--fc-conventions={conventions}", "-k", "authorisation")
    lenient.assert_outcomes(passed=1, deselected=8, warnings=1)
