"""The check registry: `@check` registers a plain function that looks at one exchange and yields
`Violation`s; `run_checks` runs every registered check. A check never raises for a finding, never does IO.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Literal

from fcvalidate.contract.operation import Operation
from fcvalidate.conventions import DEFAULTS, unaccepted
from fcvalidate.exchange import Exchange, Source
from fcvalidate.requirements import RequirementId

Severity = Literal["failure", "warning"]


@dataclass(frozen=True, slots=True)
class Violation:
    """A finding about the implementation: what was expected, what happened, where, and why (clause)."""

    requirement: RequirementId
    title: str
    location: str  # request.header.Tenant / response.status / response.body.$.code
    expected: str
    actual: str
    source: Source
    severity: Severity = "failure"
    case_id: str = ""
    hint: str = ""  # how the user can make the verdict conclusive, e.g. which known values to give
    # Why the check expects this when the document does not say it in words: an HTTP convention with its
    # reference (`RFC 9110 §15.5.6: ...`) or the contract's `x-fc-inferred` record it rests on. Empty when
    # `source` states the rule itself; a supplier disputing a finding starts here.
    basis: str = ""


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a check may know besides the exchange: the operation and the reference valid exchange."""

    operation: Operation
    baseline: Exchange | None = None  # first valid request that succeeded, else the first valid request
    baseline_ok: bool = False
    missing_known: tuple[str, ...] = ()  # inputs with no known value (explains refused valid requests)
    conventions: frozenset[str] = DEFAULTS  # the accepted ones (fcvalidate.conventions)


CheckFunction = Callable[[CheckContext, Exchange], Iterator[Violation]]

CHECKS: list[CheckFunction] = []


def check(function: CheckFunction) -> CheckFunction:
    """Register a check; it runs on every exchange and decides itself what it applies to."""
    CHECKS.append(function)
    return function


def run_checks(ctx: CheckContext, exchange: Exchange) -> list[Violation]:
    """Every registered check on one exchange. A check that raises is a bug in that check, not a
    finding about the implementation: it is reported as a warning naming the check, and the run goes on.
    A failure that rests on a convention the user has not accepted is a warning (the policy, once)."""
    out: list[Violation] = []
    for function in CHECKS:
        try:
            found = list(function(ctx, exchange))
        except Exception as exc:
            found = [_broken_check(function, exc, exchange)]
        out.extend(_by_policy(v if v.case_id else replace(v, case_id=exchange.case.id), ctx) for v in found)
    return out


def _by_policy(violation: Violation, ctx: CheckContext) -> Violation:
    if violation.severity != "failure" or not violation.basis:
        return violation
    rests_on = unaccepted(violation.basis, ctx.conventions)
    if not rests_on:
        return violation
    names = ", ".join(c.id for c in rests_on)
    hint = f"a warning: it rests on {names}, a convention not accepted (--conventions)"
    return replace(violation, severity="warning", hint="; ".join(h for h in (violation.hint, hint) if h))


def _broken_check(function: CheckFunction, exc: Exception, exchange: Exchange) -> Violation:
    name = getattr(function, "__qualname__", repr(function))
    return Violation(
        exchange.case.requirement,
        f"The check {name} raised {type(exc).__name__}",
        "check",
        "the check to finish",
        f"{type(exc).__name__}: {exc}",
        exchange.case.source,
        "warning",
    )
