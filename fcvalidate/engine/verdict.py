"""From violations to verdicts: one per requirement per operation, failures grouped by symptom.

The rule, once: a MUST requirement with a failure-severity violation fails; a SHOULD requirement's
failures, and any warning, make a warning; a requirement no case could test is skipped with a reason;
otherwise it passed. A run is conformant when it completed and nothing failed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from fcvalidate.checks import Violation
from fcvalidate.contract.operation import Operation
from fcvalidate.exchange import Exchange, Source
from fcvalidate.requirements import REQUIREMENTS, Requirement
from fcvalidate.requirements import RequirementId as R

Status = Literal["passed", "failed", "warning", "skipped"]
Verdict = Literal["conformant", "not-conformant", "incomplete"]
INTERRUPTED = "not tested: the run was interrupted"


@dataclass(frozen=True, slots=True)
class Finding:
    """One symptom: the first violation seen of it, and the cases that showed it (`count` of them)."""

    violation: Violation
    severity: Literal["failure", "warning"]
    count: int
    case_ids: tuple[str, ...]
    judged_with: tuple[str, ...] = ()  # the other cases its violations were judged with (Violation)


@dataclass(frozen=True, slots=True)
class RequirementResult:
    operation: str
    requirement: Requirement
    status: Status
    cases: int
    reason: str = ""
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    source: Source | None = None
    carried_from: str = ""  # not re-checked: the verdict of the earlier run that finished then (ISO date)
    scope: str = ""  # in a change-scoped run: whether it was re-checked or carried (from what), and why

    @property
    def id(self) -> str:
        return f"{self.operation}::{self.requirement.id}"


def judge(
    op: Operation,
    exchanges: Iterable[Exchange],
    violations: Iterable[Violation],
    skips: Mapping[R, str],
    interrupted: bool = False,
) -> list[RequirementResult]:
    """Judge an operation; `interrupted`: what no case reached is skipped as such, the rest is judged."""
    evidence = _evidence(exchanges)
    grouped: dict[str, dict[tuple[str, str], list[Violation]]] = {r.id: {} for r in REQUIREMENTS}
    for v in violations:
        grouped[v.requirement].setdefault((v.title, v.location), []).append(v)
    return [
        _result(
            op,
            req,
            evidence[req.id],
            _findings(req, grouped[req.id].values()),
            skips.get(req.id),
            interrupted,
        )
        for req in REQUIREMENTS
    ]


def _evidence(exchanges: Iterable[Exchange]) -> dict[R, int]:
    """The cases that tested each requirement: its own, every one for no server error, every error
    answer for the error body."""
    evidence = {r.id: 0 for r in REQUIREMENTS}
    for ex in exchanges:
        evidence[ex.case.requirement] += 1
        evidence[R.NO_SERVER_ERRORS] += ex.case.requirement != R.NO_SERVER_ERRORS
        if ex.response is not None and ex.response.status >= 400:
            evidence[R.ERROR_BODY] += 1
    return evidence


def _findings(req: Requirement, symptoms: Iterable[list[Violation]]) -> tuple[Finding, ...]:
    """One finding per symptom, failures first; a SHOULD requirement's failures are warnings."""
    findings = (
        Finding(
            violation=vs[0],
            severity="warning" if req.level == "SHOULD" else vs[0].severity,
            count=len(case_ids),
            case_ids=case_ids,
            judged_with=tuple(dict.fromkeys(c for v in vs for c in v.judged_with)),
        )
        for vs in symptoms
        for case_ids in [tuple(dict.fromkeys(v.case_id for v in vs))]
    )
    return tuple(sorted(findings, key=lambda f: (f.severity != "failure", f.violation.case_id)))


def _result(
    op: Operation,
    req: Requirement,
    cases: int,
    findings: tuple[Finding, ...],
    skip: str | None,
    interrupted: bool,
) -> RequirementResult:
    status: Status
    if any(f.severity == "failure" for f in findings):
        status = "failed"
    elif findings:
        status = "warning"
    else:
        status = "skipped" if skip is not None or not cases else "passed"
    untested = INTERRUPTED if interrupted else "no case applies to this operation"
    reason = skip if skip is not None else "" if cases or findings else untested
    return RequirementResult(op.label, req, status, cases, reason, findings)


def overall(results: Iterable[RequirementResult], complete: bool) -> Verdict:
    results = list(results)
    if any(r.status == "failed" for r in results):
        return "not-conformant"
    if not complete:
        return "incomplete"
    return "conformant"
