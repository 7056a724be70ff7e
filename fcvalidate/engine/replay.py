"""Replay: rebuild a case from report.json, send it again, and judge it with the same checks and the
same rules as certify (rejected credentials are a tool error, exit 3, never "passes now")."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from fcvalidate.checks import CheckContext, Violation, run_checks
from fcvalidate.contract.operation import Operation
from fcvalidate.engine.preconditions import refuse_rejected_credentials
from fcvalidate.engine.transport import Transport
from fcvalidate.errors import UsageError
from fcvalidate.exchange import BEARER, Case, Credential, Defect, Exchange, Expect, Source


@dataclass(frozen=True, slots=True)
class Replayed:
    case_id: str
    exchange: Exchange
    violations: tuple[Violation, ...]

    @property
    def still_fails(self) -> bool:
        return any(v.severity == "failure" for v in self.violations)

    @property
    def status(self) -> Literal["fails", "warns", "passes"]:
        """What the replayed case shows now: still a failure, still a warning, or nothing."""
        if self.still_fails:
            return "fails"
        return "warns" if self.violations else "passes"

    @property
    def first(self) -> Violation | None:
        """The violation to show: the first failure, else the first warning."""
        return next((v for v in self.violations if v.severity == "failure"), None) or next(
            iter(self.violations), None
        )


def failing_case_ids(report: Mapping[str, Any]) -> list[str]:
    ids: dict[str, None] = {}
    for r in report.get("results", ()):
        for f in r.get("findings", ()):
            if f.get("severity") == "failure" and f.get("case") in report.get("cases", {}):
                ids.setdefault(f["case"])
    return list(ids)


def check_case_ids(report: Mapping[str, Any], case_ids: Iterable[str]) -> None:
    cases = report.get("cases", {})
    for case_id in case_ids:
        if case_id not in cases:
            known = ", ".join(sorted(cases)) or "none"
            raise UsageError(f"no case {case_id!r} in the report (cases with findings: {known})")


def case_from_report(entry: Mapping[str, Any]) -> Case:
    try:
        c = entry["case"]
        defect = c.get("defect")
        return Case(
            id=entry["id"],
            operation=entry["operation"],
            requirement=entry["requirement"],
            kind=entry["kind"],
            title=entry["title"],
            method=entry["request"]["method"],
            path=c["path"],
            headers=tuple((str(k), str(v)) for k, v in c["headers"]),
            body=base64.b64decode(c["body_base64"]) if c.get("body_base64") is not None else None,
            expect=Expect(
                c["expect"]["outcome"],
                tuple(c["expect"]["codes"]),
                tuple(c["expect"]["statuses"]),
                bool(c["expect"].get("sole", False)),
            ),
            source=Source(c["source"]["at"], c["source"]["clause"]),
            auth=c["auth"],
            content_type=c.get("content_type"),
            defect=Defect(**defect) if defect else None,
            query=tuple((str(k), str(v)) for k, v in c.get("query", ())),
            cookies=tuple((str(k), str(v)) for k, v in c.get("cookies", ())),
            credential=_credential(c["credential"]) if c.get("credential") else BEARER,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"case {entry.get('id', '?')}: not a case of an fcvalidate report ({exc})") from None


def replay(
    report: Mapping[str, Any], case_ids: Iterable[str], transport: Transport, operations: Iterable[Operation]
) -> list[Replayed]:
    by_label = {op.label: op for op in operations}
    case_ids = list(case_ids)
    check_case_ids(report, case_ids)
    out = []
    for case_id in case_ids:
        entry = report["cases"][case_id]
        case = case_from_report(entry)
        op = by_label.get(case.operation)
        if op is None:
            raise UsageError(f"case {case_id}: operation {case.operation} is not in the contracts")
        exchange = transport.send(case)
        before = (entry.get("response") or {}).get("status")
        # (a credential sent where the document does not put it is rightly refused with 401)
        if (
            case.auth == "valid"
            and case.kind != "credential-place"
            and exchange.response is not None
            and before != 401
        ):
            # certify's rule: a request carrying the credential answered 401 means the credential is bad
            refuse_rejected_credentials(
                op, [exchange.response], f"case {case_id} (answered {before} when recorded)"
            )
        # A replay judges the case on its own: assume the valid request it came from succeeded.
        ctx = CheckContext(op, None, baseline_ok=True)
        violations = tuple(
            v
            for v in run_checks(ctx, exchange)
            if v.requirement == case.requirement or (v.severity == "failure" and not case.expect.sole)
        )
        out.append(Replayed(case_id, exchange, violations))
    return out


def _credential(data: dict[str, Any]) -> Credential:
    return Credential(**{**data, "aliases": tuple(data.get("aliases") or ())})
