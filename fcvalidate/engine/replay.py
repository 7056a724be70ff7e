"""Replay: rebuild a case from report.json, send it again, and judge it with the same checks and the
same rules as certify (rejected credentials are a tool error, exit 3, never "passes now"). A finding that
rests on several answers (a probe against its valid request, an error identifier repeated across errors)
is judged again from all of them: the cases it was judged with are re-sent first."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from fcvalidate.checks import CheckContext, Violation, run_checks
from fcvalidate.checks.registry import CHECKS, RegisteredCheck, run_operation_checks
from fcvalidate.contract.operation import Operation
from fcvalidate.engine import basic
from fcvalidate.engine.credentials import Credentials
from fcvalidate.engine.preconditions import refuse_rejected_credentials
from fcvalidate.engine.settings import Settings
from fcvalidate.engine.transport import Transport
from fcvalidate.errors import UsageError
from fcvalidate.exchange import BEARER, Case, Credential, Defect, Exchange, Expect, Source
from fcvalidate.requirements import RequirementId as R


@dataclass(frozen=True, slots=True)
class Replayed:
    case_id: str
    exchange: Exchange
    violations: tuple[Violation, ...]
    judged_with: tuple[str, ...] = ()  # the other cases re-sent to judge it, before it

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


# A step of a stateful sequence (engine/stateful.py) is judged against the write before it, which named a
# resource that run created: re-sent alone it shows nothing, and "passes now" would be a false all-clear.
SEQUENCE_KINDS = frozenset({"read-back"})


def failing_case_ids(report: Mapping[str, Any]) -> list[str]:
    """The cases of the report's failures that replay can re-judge (a sequence's steps it cannot)."""
    ids: dict[str, None] = {}
    cases = report.get("cases", {})
    for r in report.get("results", ()):
        for f in r.get("findings", ()):
            if (
                f.get("severity") == "failure"
                and f.get("case") in cases
                and not _in_sequence(cases[f["case"]])
            ):
                ids.setdefault(f["case"])
    return list(ids)


def _in_sequence(entry: Any) -> bool:
    return isinstance(entry, Mapping) and entry.get("kind") in SEQUENCE_KINDS


def check_case_ids(report: Mapping[str, Any], case_ids: Iterable[str]) -> None:
    cases = report.get("cases", {})
    for case_id in case_ids:
        if case_id not in cases:
            known = ", ".join(sorted(cases)) or "none"
            raise UsageError(f"no case {case_id!r} in the report (cases with findings: {known})")
        if _in_sequence(cases[case_id]):
            raise UsageError(
                f"case {case_id} reads back what an earlier write of that run stored: replay cannot re-judge "
                "it alone; certify again to re-check it"
            )


def require_credentials(report: Mapping[str, Any], case_ids: Iterable[str], credentials: Credentials) -> None:
    """A case recorded with the credential cannot be replayed without one: say which to give (the
    report never holds it), rather than send it bare and blame the credential for the 401."""
    for case_id in case_ids:
        for cid in (*judged_with(report, case_id), case_id):
            case = report["cases"].get(cid, {}).get("case", {})
            credential = case.get("credential") or {"kind": "bearer"}
            if case.get("auth") != "valid":
                continue
            if credential.get("kind") == "api-key" and not credentials.api_keys:
                name = credential.get("scheme") or "NAME"
                raise UsageError(
                    f"case {cid} was sent with an API key, and none is given (the report never holds it): "
                    f"give --api-key {name}=… or set FCVALIDATE_API_KEY={name}=…",
                    "api_key",
                )
            if credential.get("kind") == "bearer" and not (credentials.token or credentials.token_url):
                raise UsageError(
                    f"case {cid} was sent with a bearer token, and none is given (the report never holds "
                    "it): FCVALIDATE_TOKEN is unset or empty; set it (export FCVALIDATE_TOKEN=…) or give "
                    "--token",
                    "token",
                )


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


def judged_with(report: Mapping[str, Any], case_id: str) -> tuple[str, ...]:
    """The other cases a finding on `case_id` was judged with (the valid request a probe was compared to,
    the earlier error an identifier repeats), re-sent before it."""
    ids: dict[str, None] = {}
    for r in report.get("results", ()):
        for f in r.get("findings", ()):
            if case_id == f.get("case") or case_id in f.get("cases", ()):
                ids.update((c, None) for c in f.get("judged_with", ()) if c != case_id)
    return tuple(ids)


def replay(
    report: Mapping[str, Any],
    case_ids: Iterable[str],
    transport: Transport,
    operations: Iterable[Operation],
    checks: Sequence[RegisteredCheck] | None = None,
) -> list[Replayed]:
    """Re-send each case, with the cases its findings were judged with before it, and judge it as certify
    did (with `checks`, default every registered one): against the valid request re-sent with it, and
    across those answers."""
    by_label = {op.label: op for op in operations}
    case_ids = list(case_ids)
    check_case_ids(report, case_ids)
    out = []
    for case_id in case_ids:
        op, cases = _cases(report, case_id, by_label)
        exchanges = [_send(transport, op, case, report["cases"][case.id]) for case in cases]
        out.append(_judge(op, exchanges, case_id, judged_with(report, case_id), checks))
    return out


def _cases(
    report: Mapping[str, Any], case_id: str, by_label: Mapping[str, Operation]
) -> tuple[Operation, list[Case]]:
    """The operation of `case_id` and the cases to re-send for it: those it was judged with, then it."""
    others = judged_with(report, case_id)
    missing = [c for c in others if c not in report["cases"]]
    if missing:
        raise UsageError(
            f"case {case_id}: its finding was judged with the answers to {', '.join(missing)}, which the "
            "report does not hold: it cannot be judged from this one case"
        )
    cases = [case_from_report(report["cases"][c]) for c in (*others, case_id)]
    op = by_label.get(cases[-1].operation)
    if op is None:
        raise UsageError(f"case {case_id}: operation {cases[-1].operation} is not in the contracts")
    return op, cases


def _judge(
    op: Operation,
    exchanges: list[Exchange],
    case_id: str,
    others: tuple[str, ...],
    checks: Sequence[RegisteredCheck] | None,
) -> Replayed:
    """The last exchange judged as certify's runner judges it, across the others re-sent before it."""
    target = exchanges[-1]
    case = target.case
    ctx = _context(op, exchanges)
    own = [  # as certify's runner keeps them: a `sole` case is judged on its own requirement only
        v
        for v in run_checks(ctx, target, checks)
        if v.requirement == case.requirement or (v.severity == "failure" and not case.expect.sole)
    ]
    across = [v for v in run_operation_checks(ctx, exchanges, checks) if v.case_id == case_id]
    return Replayed(case_id, target, (*own, *across), others)


def _context(op: Operation, exchanges: list[Exchange]) -> CheckContext:
    """Certify's context: the valid request re-sent, and whether it succeeded now; for a report that
    names no valid request, the one the case came from is assumed to have succeeded."""
    valid = [e for e in exchanges if e.case.requirement == R.VALID_REQUESTS and e.response is not None]
    ok = [e for e in valid if e.response is not None and e.response.ok]
    return CheckContext(op, (ok or valid)[0], bool(ok)) if valid else CheckContext(op, None, baseline_ok=True)


def replay_with(settings: Settings, report: Mapping[str, Any], case_ids: Iterable[str]) -> list[Replayed]:
    """`replay` with certify's setup: the same credential checks before anything is sent (a missing
    credential, an API key no scheme answers to, --basic where no operation takes it), then the same
    connection (nothing listening is exit 3, a token obtained with the client credentials)."""
    case_ids = list(case_ids)
    check_case_ids(report, case_ids)
    credentials = settings.credentials
    require_credentials(report, case_ids, credentials)
    operations = [op for contract in settings.contracts for op in contract.operations]
    api_keys = credentials.api_keys_by_scheme(operations)
    credentials.check_basic(operations)
    with Transport(settings.base_url, settings.timeout) as transport:
        transport.preflight()
        transport.token = credentials.obtain_token(transport.client, settings.base_url)
        transport.api_keys = api_keys
        transport.basic = credentials.basic
        checks = CHECKS.select(settings.checks, settings.exclude_checks)
        return replay(report, case_ids, transport, operations, checks)


def _send(transport: Transport, op: Operation, case: Case, entry: Mapping[str, Any]) -> Exchange:
    if case.credential.kind == "basic" and basic.carries_secret(case.auth) and transport.basic is None:
        # sent without the credential it was made from, it would be refused 401 and "pass now"
        raise UsageError(f"case {case.id} carries HTTP Basic credentials: give --basic {basic.FORM}", "basic")
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
        sent = next((s for s in op.security if s.name == case.credential.scheme), None)
        refuse_rejected_credentials(
            op, [exchange.response], f"case {case.id} (answered {before} when recorded)", sent=sent
        )
    return exchange


def _credential(data: dict[str, Any]) -> Credential:
    return Credential(**{**data, "aliases": tuple(data.get("aliases") or ())})
