"""The report writers (JSON, JUnit, Markdown, console) from one fixed, hand-built run result."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from markdown_it import MarkdownIt
from rich.console import Console

from fcvalidate.checks import Violation
from fcvalidate.engine.events import RunFinished, RunResult
from fcvalidate.engine.settings import Settings
from fcvalidate.engine.verdict import Finding, RequirementResult
from fcvalidate.exchange import Case, Exchange, Expect, Response, Source
from fcvalidate.report import write_reports
from fcvalidate.report.console import print_summary
from fcvalidate.report.data import report_data
from fcvalidate.report.html import render_html
from fcvalidate.report.json import render_json
from fcvalidate.report.junit import render_junit
from fcvalidate.report.markdown import render_markdown
from fcvalidate.requirements import REQUIREMENT
from fcvalidate.requirements import RequirementId as R

OP = "POST /service-problem-amendments"
HOSTILE = (
    "<script>alert(1)</script> [click](http://evil.example/x) ![img](http://evil.example/i.png) "
    "www.evil.example <img src=x onerror=alert(1)> `tick`` | pipe\nnew line **bold** &amp;"
)
HINT = "give known values (--data) for: Tenant, serviceProblemId"
BASIS = "RFC 9110 §15.5.2: a request without credentials is answered 401"
SOURCE = Source("source/spa.md:1:10", "`Tenant` (string, required)")


def exchange(case_id: str, requirement: R, status: int, body: bytes) -> Exchange:
    case = Case(
        case_id, OP, requirement, "valid", "a valid request", "POST", "/service-problem-amendments",
        (("X-Request-ID", "1"), ("Tenant", "")), b'{"a":1}', Expect("success"), SOURCE,
    )  # fmt: skip
    response = Response(status, (("Content-Type", "application/json"),), body, 0.01)
    return Exchange(case, "http://127.0.0.1:1/service-problem-amendments", response)


def violation(
    requirement: R, title: str, case_id: str, severity="failure", actual="422", hint="", basis=""
) -> Violation:
    return Violation(
        requirement,
        title,
        "response.status",
        "a documented 2xx",
        actual,
        SOURCE,
        severity,
        case_id,
        hint,
        basis,
    )


@pytest.fixture(scope="module")
def result() -> RunResult:
    error_body = Finding(
        violation(
            R.ERROR_BODY, "Error body: missing uuid, code, messages", "c1", actual=HOSTILE, basis=BASIS
        ),
        "failure",
        2,
        ("c1", "c2"),
    )
    refused = Finding(
        violation(R.VALID_REQUESTS, "Inconclusive: valid requests are refused", "c3", "warning", hint=HINT),
        "warning",
        1,
        ("c3",),
    )
    results = (
        RequirementResult(OP, REQUIREMENT[R.ERROR_BODY], "failed", 2, "", (error_body,)),
        RequirementResult(OP, REQUIREMENT[R.VALID_REQUESTS], "warning", 1, "", (refused,)),
        RequirementResult(OP, REQUIREMENT[R.TENANT_ISOLATION], "skipped", 0, "not tested: no foreign values"),
        RequirementResult(OP, REQUIREMENT[R.NO_SERVER_ERRORS], "passed", 3),
    )
    exchanges = {
        "c1": exchange("c1", R.ERROR_BODY, 400, HOSTILE.encode()),
        "c2": exchange("c2", R.ERROR_BODY, 400, b"{}"),
        "c3": exchange("c3", R.VALID_REQUESTS, 422, b"{}"),
    }
    settings = Settings("http://127.0.0.1:1", ())
    return RunResult(settings, 1000.0, 1002.5, True, results, exchanges, 3)


def test_json_counts_equal_the_cases_listed_and_notes_carry_the_fix(result):
    data = json.loads(render_json(report_data(result)))
    assert data["verdict"] == "not-conformant"
    assert data["summary"] == {"passed": 1, "failed": 1, "warning": 1, "skipped": 1}
    for r in data["results"]:
        for f in r["findings"]:
            assert f["count"] == len(f["cases"])
    notes = {r["requirement"]: r["note"] for r in data["results"]}
    assert notes["valid-requests"] == f"Inconclusive: valid requests are refused · {HINT}"
    assert notes["tenant-isolation"] == "not tested: no foreign values" and notes["no-server-errors"] == ""
    assert data["results"][1]["findings"][0]["hint"] == HINT
    assert sorted(data["cases"]) == ["c1", "c2", "c3"]


def test_junit_has_one_testcase_per_requirement_and_exact_counts(result):
    root = ET.fromstring(render_junit(report_data(result)))
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("4", "1", "1")
    failure = suite.find("testcase[@name='error-body']/failure")
    assert failure.get("message") == "Error body: missing uuid, code, messages"
    assert "(2 case(s))" in failure.text and "reproduce: curl" in failure.text
    assert "cases:    c1, c2\n" in failure.text  # the count is the cases listed
    warning = suite.find("testcase[@name='valid-requests']/system-out").text
    assert f"fix:      {HINT}" in warning


def test_markdown_counts_fix_and_the_report_path(result):
    md = render_markdown(report_data(result), "out/custom dir/report.json")
    assert "(2 case(s))" in md
    assert f"Inconclusive: valid requests are refused · {HINT}" in MarkdownIt().render(md)
    assert "`fcvalidate replay 'out/custom dir/report.json' --case c1`" in md
    assert "reports/report.json" not in md


def test_markdown_never_renders_server_text(result):
    md = render_markdown(report_data(result))
    html = MarkdownIt("commonmark").enable("table").render(md)
    for tag in ("<script", "<img", "<a ", "<strong>bold"):
        assert tag not in html, tag
    assert "&lt;script&gt;" in html  # shown, as text
    # GitHub also links bare URLs and www. names: outside code spans, none may appear unescaped.
    outside = re.sub(r"(`+).*?\1", "", md)
    assert "://" not in outside and "www." not in outside
    table = [line for line in md.splitlines() if line.startswith("| `POST")]
    assert len(table) == 4 and all(line.count(" | ") == 4 for line in table)


def test_console_table_shows_the_note_with_its_fix(result):
    console = Console(record=True, width=250, highlight=False)
    print_summary(RunFinished(result), console, "out")
    text = console.export_text()
    assert f"Inconclusive: valid requests are refused · {HINT}" in text
    assert "not tested: no foreign values" in text and "verdict: not-conformant" in text


def test_write_reports_names_the_report_dir_in_summary_md(result, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_reports(result, tmp_path / "build" / "fc")
    assert (
        "fcvalidate replay build/fc/report.json --case c1" in (tmp_path / "build/fc/summary.md").read_text()
    )


def test_every_writer_shows_the_basis_of_a_rule_the_document_does_not_state(result):
    data = report_data(result)
    assert data["results"][0]["findings"][0]["basis"] == BASIS
    failure = ET.fromstring(render_junit(data)).find("testsuite/testcase[@name='error-body']/failure")
    assert f"basis:    {BASIS}" in failure.text
    assert "basis: RFC 9110 §15.5.2: a request" in MarkdownIt().render(render_markdown(data))
    assert "basis: RFC 9110 §15.5.2" in render_html(data)
