"""What the engine yields, and the result it ends with; the console, the reports, the pytest plugin and
`fcvalidate.certify` all consume the same stream.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fcvalidate.checks import Violation
from fcvalidate.engine.settings import Settings
from fcvalidate.engine.verdict import RequirementResult, Verdict, overall
from fcvalidate.exchange import Exchange


@dataclass(frozen=True, slots=True)
class RunResult:
    """Every verdict of a run, and the exchanges its findings refer to."""

    settings: Settings
    started: float
    finished: float
    complete: bool
    results: tuple[RequirementResult, ...]
    exchanges: dict[str, Exchange]  # every exchange a finding refers to, by case id
    cases_sent: int
    secrets: tuple[str, ...] = field(default=(), repr=False)  # what reports must never show
    rate_limited: int = 0  # 429 Too Many Requests answers waited out (each case resent, never a finding)
    cache_hits: int = 0  # generated-request sets read from the disk cache
    cache_misses: int = 0  # ... and generated afresh
    carried_cases: Mapping[str, Any] = field(default_factory=dict)  # earlier exchanges carried verdicts cite
    # Why the run ended before its end, when a tool error stopped it part-way (credentials rejected on
    # its 40th operation): the error's message. Empty when it ran to the end or was interrupted.
    stopped: str = ""
    checks: tuple[str, ...] = ()  # the names of the checks that ran, in the order they ran

    @property
    def verdict(self) -> Verdict:
        return overall(self.results, self.complete)

    @property
    def failed(self) -> bool:
        return self.verdict != "conformant"


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
    """The last event. When a tool error stopped the run part-way, it comes with what was judged (its
    `result.stopped` says why), and the error is raised right after it."""

    result: RunResult


Event = RunStarted | PhaseStarted | CaseFinished | OperationFinished | RunFinished
