"""The report as plain data: the one structure every writer (JSON, JUnit, HTML, Markdown) renders.

Secrets are scrubbed here, once: the writers never see a credential.
"""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Sequence
from importlib import metadata
from typing import Any

from fcvalidate.conventions import CONVENTIONS
from fcvalidate.engine.events import RunResult
from fcvalidate.engine.verdict import RequirementResult
from fcvalidate.report.exchanges import exchange_data, scrub

SCHEMA_VERSION = 1
DEPENDENCIES = (
    "schemathesis",
    "hypothesis",
    "openapi-core",
    "jsonschema",
    "httpx",
    "starlette",
    "uvicorn",
    "click",
    "rich",
)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def report_data(result: RunResult) -> dict[str, Any]:
    secrets = result.secrets
    counts = {k: 0 for k in ("passed", "failed", "warning", "skipped")}
    for r in result.results:
        counts[r.status] += 1
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {
            "name": "fcvalidate",
            "version": _version("fcvalidate"),
            "python": platform.python_version(),
            "dependencies": {name: _version(name) for name in DEPENDENCIES},
        },
        "run": _run_data(result),
        "contracts": [{"name": c.name, "sha256": c.sha256} for c in result.settings.contracts],
        "verdict": result.verdict,
        "summary": counts,
        "results": [_result(r, secrets) for r in result.results],
        "cases": {
            **{cid: dict(case) for cid, case in sorted(result.carried_cases.items())},
            **{cid: exchange_data(ex, secrets) for cid, ex in sorted(result.exchanges.items())},
        },
    }


def _run_data(result: RunResult) -> dict[str, Any]:
    s, secrets = result.settings, result.secrets
    carried = [r for r in result.results if r.carried_from]
    return {
        "base_url": scrub(s.base_url, secrets),
        "seed": s.seed,
        "max_examples": s.max_examples,
        "max_concurrency": s.max_concurrency,
        "rate_limit_rps": s.rate_limit,
        "timeout_s": s.timeout,
        "operations": sorted({r.operation for r in result.results}),
        "started": _iso(result.started),
        "finished": _iso(result.finished),
        "duration_s": round(result.finished - result.started, 2),
        "complete": result.complete,
        "stopped": scrub(result.stopped, secrets),  # why a tool error ended it part-way, else ""
        "cases_sent": result.cases_sent,
        "rate_limited": result.rate_limited,
        "auth": s.credentials.kind,
        # the conventions a finding may fail on; one resting on another is a warning
        "conventions": [{"id": c.id, "basis": c.statement} for c in CONVENTIONS if c.id in s.conventions],
        # change-scoped recertification: operations not re-checked, whose verdicts an earlier run reached
        "carried_operations": sorted({r.operation for r in carried}),
        "carried_from": sorted({r.carried_from for r in carried}),
    }


def _result(r: RequirementResult, secrets: Sequence[str]) -> dict[str, Any]:
    return {
        "id": r.id,
        "operation": r.operation,
        "requirement": r.requirement.id,
        "title": r.requirement.title,
        "level": r.requirement.level,
        "status": r.status,
        "cases": r.cases,
        "reason": r.reason,
        "note": scrub(note(r), secrets),
        "carried_from": r.carried_from or None,
        "scope": r.scope or None,  # change-scoped runs: re-checked or carried (from what), and why
        "findings": [
            {
                "severity": f.severity,
                "title": scrub(f.violation.title, secrets),
                "location": f.violation.location,
                "expected": scrub(f.violation.expected, secrets),
                "actual": scrub(f.violation.actual, secrets),
                "clause": {"at": f.violation.source.at, "text": f.violation.source.clause},
                "hint": f.violation.hint,
                "basis": f.violation.basis.text,  # why, where the document does not say it in words
                "rests_on": {  # the same, as data: what policy reads
                    "clause": f.violation.source.at,
                    "conventions": list(f.violation.basis.conventions),
                    "inferences": list(f.violation.basis.inferences),
                    "note": f.violation.basis.note,
                },
                "check": f.violation.check or None,  # the registered check that found it
                "count": f.count,
                "case": f.violation.case_id,
                "cases": list(f.case_ids),
                "judged_with": list(f.judged_with),  # replay re-sends these with the case
            }
            for f in r.findings
        ],
    }


def note(r: RequirementResult) -> str:
    """The one line a verdict table shows for a requirement: its first finding with the fix, if there is
    one (`… · give known values (--data) for: Tenant`), else why it was skipped, else nothing."""
    if not r.findings:
        return r.reason or (r.scope if r.carried_from else "")  # a carried verdict: from what, and why
    v = r.findings[0].violation
    return f"{v.title} · {v.hint}" if v.hint else v.title


def status_text(r: dict[str, Any]) -> str:
    """A verdict as a table shows it: `passed`, or `passed (carried from 2026-12-05T17:02:11Z)`."""
    carried = r.get("carried_from")
    return f"{r['status']} (carried from {carried})" if carried else str(r["status"])


def carried_line(data: dict[str, Any]) -> str:
    """The sentence every report prints when verdicts were carried, else ''."""
    run = data["run"]
    operations = run.get("carried_operations") or []
    if not operations:
        return ""
    count = sum(1 for r in data["results"] if r.get("carried_from"))
    return (
        f"{count} verdict(s) of {len(operations)} operation(s) carried from the run(s) of "
        f"{', '.join(run['carried_from'])}, not re-checked: {', '.join(operations)}"
    )
