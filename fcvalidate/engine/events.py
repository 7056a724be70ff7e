"""Events the engine yields; the console, the reports and the pytest plugin consume the same stream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from fcvalidate.checks import Violation
from fcvalidate.engine.transport import Exchange

if TYPE_CHECKING:
    from fcvalidate.engine.runner import RunResult
    from fcvalidate.engine.verdict import RequirementResult


@dataclass(frozen=True, slots=True)
class RunStarted:
    base_url: str
    seed: int
    operations: tuple[str, ...]
    started: float


@dataclass(frozen=True, slots=True)
class PhaseStarted:
    operation: str
    phase: str
    cases: int


@dataclass(frozen=True, slots=True)
class CaseFinished:
    operation: str
    exchange: Exchange
    violations: tuple[Violation, ...]


@dataclass(frozen=True, slots=True)
class OperationFinished:
    operation: str
    results: tuple[RequirementResult, ...]


@dataclass(frozen=True, slots=True)
class RunFinished:
    result: RunResult


Event = Union[RunStarted, PhaseStarted, CaseFinished, OperationFinished, RunFinished]  # noqa: UP007
