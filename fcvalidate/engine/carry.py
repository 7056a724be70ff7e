"""Change-scoped recertification: certify again only the operations a contract change touches, and carry
the earlier report's verdicts for the others, each marked with the date it was reached.

Pure: the diff's changes, the new contracts' operations and the earlier report.json (as data) in, a
`Recertification` out; `carry_into` adds the carried verdicts to the new run's result. The operations to
re-check go to the engine through the one selection it has, `Settings.operations`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from fcvalidate.checks import Violation
from fcvalidate.checks.registry import Basis
from fcvalidate.contract.diff import Change, touched_operations
from fcvalidate.engine.events import RunResult
from fcvalidate.engine.verdict import INTERRUPTED, Finding, RequirementResult
from fcvalidate.errors import UsageError
from fcvalidate.exchange import Source
from fcvalidate.requirements import REQUIREMENT, RequirementId


@dataclass(frozen=True, slots=True)
class Recertification:
    recheck: tuple[str, ...]  # operations to certify now, in the contracts' order
    reasons: Mapping[str, str]  # why each is re-checked
    carried: tuple[RequirementResult, ...] = ()  # the earlier verdicts of the other operations
    cases: Mapping[str, Any] = field(default_factory=dict)  # the earlier exchanges those verdicts cite
    previous_base_url: str = ""


def plan_recertification(
    changes: Iterable[Change], operations: Sequence[str], previous: Any, source: str = "report.json"
) -> Recertification:
    """Which of `operations` (labels of the new contracts) to re-check, and the verdicts to carry."""
    touched = touched_operations(changes)
    results, cases, run = _report(previous, source)
    by_operation: dict[str, list[Mapping[str, Any]]] = {}
    for r in results:
        by_operation.setdefault(str(r.get("operation")), []).append(r)
    finished = str(run.get("finished", ""))
    recheck: list[str] = []
    reasons: dict[str, str] = {}
    carried: list[RequirementResult] = []
    for label in operations:
        earlier = by_operation.get(label, [])
        if label in touched:
            reasons[label] = "changed" if earlier else "added"
        elif not earlier:
            reasons[label] = f"not in {source}"
        elif any(r.get("reason") == INTERRUPTED for r in earlier):
            reasons[label] = f"the run of {source} did not finish it"
        else:
            carried.extend(_result(r, finished, source) for r in earlier)
            continue
        recheck.append(label)
    cited = {cid for r in carried for f in r.findings for cid in f.case_ids}
    return Recertification(
        tuple(recheck),
        reasons,
        tuple(carried),
        {cid: cases[cid] for cid in sorted(cited) if cid in cases},
        str(run.get("base_url", "")),
    )


def carry_into(result: RunResult, plan: Recertification, operations: Sequence[str]) -> RunResult:
    """The run's result with the carried verdicts added, operation by operation in the contracts' order."""
    order = {label: n for n, label in enumerate(operations)}
    merged = sorted([*result.results, *plan.carried], key=lambda r: order.get(r.operation, len(order)))
    exchanges_cited = dict(plan.cases)
    return replace(result, results=tuple(merged), carried_cases=exchanges_cited)


def _report(data: Any, source: str) -> tuple[list[Mapping[str, Any]], Mapping[str, Any], Mapping[str, Any]]:
    results = data.get("results") if isinstance(data, Mapping) else None
    run = data.get("run") if isinstance(data, Mapping) else None
    if (
        not isinstance(results, list)
        or not isinstance(run, Mapping)
        or not all(isinstance(r, Mapping) for r in results)
    ):
        raise UsageError(f"{source}: not a report.json written by `fcvalidate certify`", "previous_report")
    cases = data.get("cases")
    return results, cases if isinstance(cases, Mapping) else {}, run


def _basis(finding: Mapping[str, Any]) -> Basis:
    rests_on = finding.get("rests_on")
    if not isinstance(rests_on, Mapping):  # a report written before bases were data: the text is all
        return Basis(note=str(finding.get("basis") or ""))
    return Basis(
        tuple(map(str, rests_on.get("conventions", ()))),
        tuple(map(str, rests_on.get("inferences", ()))),
        str(rests_on.get("note") or ""),
    )


def _result(r: Mapping[str, Any], finished: str, source: str) -> RequirementResult:
    try:
        requirement = REQUIREMENT[RequirementId(str(r["requirement"]))]
        findings = tuple(
            Finding(
                Violation(
                    requirement.id,
                    str(f["title"]),
                    str(f["location"]),
                    str(f["expected"]),
                    str(f["actual"]),
                    Source(str(f["clause"]["at"]), str(f["clause"]["text"])),
                    f["severity"],
                    str(f.get("case") or ""),
                    str(f.get("hint") or ""),
                    _basis(f),
                ),
                f["severity"],
                int(f["count"]),
                tuple(str(c) for c in f.get("cases", ())),
            )
            for f in r.get("findings", ())
        )
        if r["status"] not in ("passed", "failed", "warning", "skipped"):
            raise ValueError(f"status {r['status']!r}")
        return RequirementResult(
            str(r["operation"]),
            requirement,
            r["status"],
            int(r.get("cases", 0)),
            str(r.get("reason", "")),
            findings,
            # a verdict carried twice keeps the date it was reached
            carried_from=str(r.get("carried_from") or finished),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(
            f"{source}: the verdict {r.get('id', '?')!r} cannot be read ({exc!r}); certify every operation again",
            "previous_report",
        ) from None
