"""Checks: plain functions that look at one exchange and yield `Violation`s.

Registered with `@check`, as Schemathesis registers its own; fcvalidate's built-ins use the same
decorator a user would. A check never raises for a finding and never does IO.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

from fcvalidate.contract.bundle import Operation, Source
from fcvalidate.engine.transport import Exchange

Severity = Literal["failure", "warning"]


@dataclass(frozen=True, slots=True)
class Violation:
    """A finding about the implementation: what was expected, what happened, where, and why (clause)."""

    requirement: str
    title: str
    location: str  # request.header.Tenant / response.status / response.body.$.code
    expected: str
    actual: str
    source: Source
    severity: Severity = "failure"
    case_id: str = ""


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a check may know besides the exchange: the operation and the reference valid exchange."""

    operation: Operation
    baseline: Exchange | None = None  # first valid request that succeeded, else the first valid request
    baseline_ok: bool = False
    missing_known: tuple[str, ...] = ()  # inputs with no known value (explains refused valid requests)


CheckFunction = Callable[[CheckContext, Exchange], Iterator[Violation]]


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    function: CheckFunction = field(repr=False)


CHECKS: list[Check] = []


def check(function: CheckFunction) -> CheckFunction:
    """Register a check; it runs on every exchange and decides itself what it applies to."""
    CHECKS.append(Check(function.__name__, function))
    return function


def run_checks(ctx: CheckContext, exchange: Exchange) -> list[Violation]:
    _load_builtins()
    out = []
    for registered in CHECKS:
        for violation in registered.function(ctx, exchange):
            out.append(violation if violation.case_id else _with_case(violation, exchange.case.id))
    return out


def _with_case(violation: Violation, case_id: str) -> Violation:
    return replace(violation, case_id=case_id)


_loaded = False


def _load_builtins() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from fcvalidate.checks import error_body, outcome, server_errors, success_body  # noqa: F401
