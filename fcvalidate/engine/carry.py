"""Change-scoped recertification: certify again only the operations and requirements a contract change
touches, and carry the earlier verdicts (from a report.json or a certificate) for the others.

Pure: the diff's changes, the new contracts' operations and the earlier verdicts (as data) in, a
`Recertification` out; `carry_into` adds the carried verdicts to the new run's result. The operations to
re-check go to the engine through `Settings.operations`, the requirements through `Settings.scope`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from fcvalidate.checks import Violation
from fcvalidate.checks.registry import Basis
from fcvalidate.checks.success_body import VALID_INPUT_KINDS
from fcvalidate.contract.diff import Change
from fcvalidate.engine.events import RunResult
from fcvalidate.engine.verdict import INTERRUPTED, Finding, RequirementResult
from fcvalidate.errors import UsageError
from fcvalidate.exchange import Case, Source
from fcvalidate.requirements import REQUIREMENT, RequirementId

R = RequirementId
EVERY: frozenset[RequirementId] = frozenset(R)

# What a kind of change can alter, for each diff rule (fcvalidate.contract.diff.RULES; a test requires an
# entry for every rule, so a new rule cannot be forgotten; an unknown one re-checks the whole operation):
#   nothing    no request sent or answer judged differs
#   operation  every requirement: the valid requests are drawn from the request's parameters and body, and
#              every probe is derived from one of them; the statuses and the security schemes decide what
#              every probe may be answered with
#   response   at a 2xx status only what valid requests get back (valid-requests); at an error status the
#              error bodies every probe is judged on, and the codes they list are the probes' expected ones
Reach = Literal["nothing", "operation", "response"]
_SLOTS = (
    "added-required",
    "added-optional",
    "removed-required",
    "removed-optional",
    "became-required",
    "became-optional",
    "type-narrowed",
    "type-widened",
    "type-changed",
    "format-added",
    "format-removed",
    "format-changed",
    "enum-value-added",
    "enum-value-removed",
    "enum-added",
    "enum-removed",
    "nullable-added",
    "nullable-removed",
)
RECHECK: dict[str, Reach] = {
    "operation-added": "operation",
    "operation-removed": "nothing",  # dropped from the new report
    "operation-version-changed": "nothing",
    **{f"parameter-{slot}": "operation" for slot in _SLOTS},
    **{f"request-property-{slot}": "operation" for slot in _SLOTS},
    **{f"response-property-{slot}": "response" for slot in _SLOTS},
    "parameter-location-changed": "operation",
    "request-body-added": "operation",
    "request-body-removed": "operation",
    "request-media-type-added": "operation",
    "request-media-type-removed": "operation",
    "response-status-added": "operation",
    "response-status-removed": "operation",
    "response-media-type-added": "response",
    "response-media-type-removed": "response",
    "security-added": "operation",
    "security-removed": "operation",
    "security-scheme-added": "operation",
    "security-scheme-removed": "operation",
    "security-scheme-changed": "operation",
}


def requirements_for(change: Change) -> frozenset[RequirementId]:
    """The requirements whose verdicts `change` can alter on its operation."""
    reach = RECHECK.get(change.rule.id, "operation")
    if reach == "nothing":
        return frozenset()
    status = change.location.split(".")[1] if change.location.startswith("response.") else ""
    if reach == "response" and status.startswith("2"):
        return frozenset({R.VALID_REQUESTS})
    return EVERY


def sends(case: Case, requirements: frozenset[RequirementId]) -> bool:
    """Whether a run re-checking only `requirements` sends `case`: every case whose answer can change
    their verdicts (a valid request in another requirement's probe is judged on its success body too)."""
    return case.requirement in requirements or (
        R.VALID_REQUESTS in requirements and case.kind in VALID_INPUT_KINDS
    )


@dataclass(frozen=True, slots=True)
class ScopedDraws:
    """The engine's draw source for an operation re-checked on `requirements` only: negative draws become
    fuzz cases, judged on no-server-errors alone (probes.fuzz_cases), so a run not re-checking it skips
    drawing them (Hypothesis's time, not just the requests')."""

    supply: Any  # engine.supply.DrawSupply
    requirements: frozenset[RequirementId]

    @property
    def negative(self) -> bool:
        return R.NO_SERVER_ERRORS in self.requirements

    def draw(self, op: Any, mode: str, count: int, seed: int) -> list[Any]:
        if mode == "negative" and not self.negative:
            return []
        return list(self.supply.draw(op, mode, count, seed))


@dataclass(frozen=True, slots=True)
class Earlier:
    """The verdicts of the certification before: from its report.json, or from its certificate."""

    results: tuple[Mapping[str, Any], ...]  # as report.json (or the certificate's predicate) writes them
    finished: str  # when that run finished (ISO)
    source: str  # what they come from, as reports name it: reports/old/report.json, certificate sha256:…
    cases: Mapping[str, Any] = field(default_factory=dict)  # the exchanges its findings cite
    base_url: str = ""

    @classmethod
    def from_report(cls, data: Any, source: str = "report.json") -> Earlier:
        results = data.get("results") if isinstance(data, Mapping) else None
        run = data.get("run") if isinstance(data, Mapping) else None
        if (
            not isinstance(results, list)
            or not isinstance(run, Mapping)
            or not all(isinstance(r, Mapping) for r in results)
        ):
            raise UsageError(
                f"{source}: not a report.json written by `fcvalidate certify`", "previous_report"
            )
        cases = data.get("cases")
        return cls(
            tuple(results),
            str(run.get("finished", "")),
            source,
            cases if isinstance(cases, Mapping) else {},
            str(run.get("base_url", "")),
        )

    @classmethod
    def from_certificate(cls, predicate: Mapping[str, Any], source: str) -> Earlier:
        """A verified certificate's predicate: per verdict its status and counts. The findings themselves
        are in its evidence, which need not be at hand: a verdict with findings carries one that says so."""
        results = tuple(
            {**r, "findings": _counted(r, source)}
            | ({"carried_from": r["carried"]["date"]} if isinstance(r.get("carried"), Mapping) else {})
            for r in predicate["results"]
        )
        return cls(results, str(predicate["finished"]), source, {}, str(predicate.get("base_url", "")))


def _counted(r: Mapping[str, Any], source: str) -> list[dict[str, Any]]:
    if not r.get("findings") or r.get("status") not in ("failed", "warning"):
        return []
    return [
        {
            "severity": "failure" if r["status"] == "failed" else "warning",
            "title": f"{r['findings']} finding(s) certified by {source}, described in its evidence",
            "location": "certificate",
            "expected": "",
            "actual": "",
            "clause": {"at": "", "text": ""},
            "count": r["findings"],
            "cases": [],
        }
    ]


@dataclass(frozen=True, slots=True)
class Recertification:
    recheck: tuple[str, ...]  # operations to certify now, in the contracts' order
    reasons: Mapping[str, str]  # why each is re-checked
    carried: tuple[RequirementResult, ...] = ()  # the earlier verdicts not re-checked
    cases: Mapping[str, Any] = field(default_factory=dict)  # the earlier exchanges those verdicts cite
    previous_base_url: str = ""
    # operations re-checked on some requirements only (absent: on every one); Settings.scope
    scope: Mapping[str, frozenset[RequirementId]] = field(default_factory=dict)
    source: str = ""


def plan_recertification(
    changes: Iterable[Change], operations: Sequence[str], previous: Any, source: str = "report.json"
) -> Recertification:
    """Which of `operations` (labels of the new contracts) to re-check, on which requirements, and the
    verdicts to carry. `previous`: an `Earlier`, or the data of a report.json read from `source`."""
    earlier = previous if isinstance(previous, Earlier) else Earlier.from_report(previous, source)
    reach, why = _reach(changes)
    by_operation: dict[str, list[Mapping[str, Any]]] = {}
    for r in earlier.results:
        by_operation.setdefault(str(r.get("operation")), []).append(r)
    recheck: list[str] = []
    reasons: dict[str, str] = {}
    scope: dict[str, frozenset[RequirementId]] = {}
    carried: list[RequirementResult] = []
    for label in operations:
        plan = _operation_plan(
            label, by_operation.get(label, []), reach.get(label), why.get(label, []), earlier
        )
        carried += plan.carried
        if plan.reason is not None:
            recheck.append(label)
            reasons[label] = plan.reason
        if plan.scope is not None:
            scope[label] = plan.scope
    cited = {cid for r in carried for f in r.findings for cid in f.case_ids}
    return Recertification(
        tuple(recheck),
        reasons,
        tuple(carried),
        {cid: earlier.cases[cid] for cid in sorted(cited) if cid in earlier.cases},
        earlier.base_url,
        scope,
        earlier.source,
    )


def _reach(changes: Iterable[Change]) -> tuple[dict[str, set[RequirementId]], dict[str, list[str]]]:
    """Per operation, the requirements its changes can alter, and the changes (rule at location)."""
    reach: dict[str, set[RequirementId]] = {}
    why: dict[str, list[str]] = {}
    for c in changes:
        if c.rule.id != "operation-removed" and (touched := requirements_for(c)):
            reach.setdefault(c.operation, set()).update(touched)
            why.setdefault(c.operation, []).append(f"{c.rule.id} at {c.location}")
    return reach, why


@dataclass(frozen=True, slots=True)
class _OperationPlan:
    reason: str | None  # why it is re-checked; None: carried whole
    carried: list[RequirementResult]
    scope: frozenset[RequirementId] | None = None  # re-checked on these requirements only


def _operation_plan(
    label: str,
    before: list[Mapping[str, Any]],
    reach: set[RequirementId] | None,
    why: list[str],
    earlier: Earlier,
) -> _OperationPlan:
    """One operation: re-checked (on every requirement, or on those its changes reach) or carried."""
    if not before:
        return _OperationPlan("added" if reach else f"not in {earlier.source}", [])
    if any(r.get("reason") == INTERRUPTED for r in before):
        return _OperationPlan(f"the run of {earlier.source} did not finish it", [])
    if not reach:
        return _OperationPlan(None, [_result(r, earlier, "operation unchanged") for r in before])
    touched = frozenset(reach)
    kept = [r for r in before if str(r.get("requirement")) not in touched]
    listed = list(dict.fromkeys(why))
    changed = "; ".join(listed[:3]) + (f"; … {len(listed)} changes" if len(listed) > 3 else "")
    if touched == EVERY or {str(r.get("requirement")) for r in kept} != EVERY - touched:
        return _OperationPlan(f"changed ({changed}): every requirement", [])
    names = ", ".join(sorted(touched))
    carried = [_result(r, earlier, f"the changes touch only {names}") for r in kept]
    return _OperationPlan(f"changed ({changed}): {names} only", carried, touched)


def carry_into(result: RunResult, plan: Recertification, operations: Sequence[str]) -> RunResult:
    """The run's result with the carried verdicts added, operation by operation in the contracts' order;
    every verdict says whether it was re-checked or carried, and why."""
    fresh: list[RequirementResult] = []
    for r in result.results:
        scope = plan.scope.get(r.operation)
        if scope is None or r.requirement.id in scope:
            fresh.append(replace(r, scope=f"re-checked: {plan.reasons.get(r.operation, 'selected')}"))
        elif r.findings:
            # The cases sent for the re-checked requirements showed a finding on this one: it cannot be
            # carried as it was. A full run sends these cases too, so it finds at least this.
            fresh.append(
                replace(
                    r,
                    scope="re-checked in part: only the cases of "
                    f"{', '.join(sorted(scope))} were sent, and they showed this",
                )
            )
    seen = {(r.operation, r.requirement.id) for r in fresh}
    carried = [r for r in plan.carried if (r.operation, r.requirement.id) not in seen]
    order = {label: n for n, label in enumerate(operations)}
    rank = {req: n for n, req in enumerate(R)}
    merged = sorted(
        [*fresh, *carried], key=lambda r: (order.get(r.operation, len(order)), rank[r.requirement.id])
    )
    return replace(result, results=tuple(merged), carried_cases=dict(plan.cases))


def _basis(finding: Mapping[str, Any]) -> Basis:
    rests_on = finding.get("rests_on")
    if not isinstance(rests_on, Mapping):  # a report written before bases were data: the text is all
        return Basis(note=str(finding.get("basis") or ""))
    return Basis(
        tuple(map(str, rests_on.get("conventions", ()))),
        tuple(map(str, rests_on.get("inferences", ()))),
        str(rests_on.get("note") or ""),
    )


def _result(r: Mapping[str, Any], earlier: Earlier, why: str) -> RequirementResult:
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
        # a verdict carried twice keeps the date it was reached
        date = str(r.get("carried_from") or earlier.finished)
        return RequirementResult(
            str(r["operation"]),
            requirement,
            r["status"],
            int(r.get("cases", 0)),
            str(r.get("reason", "")),
            findings,
            carried_from=date,
            scope=f"carried from {earlier.source} ({date}): {why}",
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(
            f"{earlier.source}: the verdict {r.get('id', '?')!r} cannot be read ({exc!r}); "
            "certify every operation again",
            "previous_report",
        ) from None
