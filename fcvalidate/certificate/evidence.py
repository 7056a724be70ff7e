"""A run's evidence: every case it sent, not only those a finding refers to (the reports' default)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from fcvalidate.engine.events import CaseFinished, Event, RunFinished, RunResult
from fcvalidate.exchange import Exchange


class EveryCase:
    """Passes a run's events through, keeping each exchange sent; `result` is then the run's result
    holding all of them, so report.json (the evidence) has every request and response."""

    def __init__(self, events: Iterable[Event]) -> None:
        self._events = iter(events)
        self._sent: dict[str, Exchange] = {}

    def __iter__(self) -> Iterator[Event]:
        for event in self._events:
            if isinstance(event, CaseFinished) and event.exchange.sent:
                self._sent[event.exchange.case.id] = event.exchange
            if isinstance(event, RunFinished):
                event = RunFinished(self.result(event.result))
            yield event

    def result(self, result: RunResult) -> RunResult:
        return dataclasses.replace(result, exchanges={**self._sent, **result.exchanges})
