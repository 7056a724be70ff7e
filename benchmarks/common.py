"""Shared by the benchmarks: the reference implementation, settings, and a run that keeps every exchange."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fcvalidate.engine.data import KnownValues
from fcvalidate.engine.events import CaseFinished, RunFinished
from fcvalidate.engine.runner import RunResult, Settings, run
from fcvalidate.engine.transport import Credentials, Exchange
from fcvalidate.files import load_contracts, load_data_file

TOKEN = "bench-token-0b7e"
DATA_FILE = Path(__file__).resolve().parent.parent / "fcvalidate" / "server" / "reference-data.yaml"


def settings(url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "credentials": Credentials(TOKEN),
        "known": KnownValues.from_mapping(load_data_file(DATA_FILE)),
    }
    values.update(overrides)
    return Settings(url, tuple(load_contracts()), **values)


def certify_keeping_exchanges(s: Settings) -> tuple[RunResult, list[Exchange], float]:
    exchanges: list[Exchange] = []
    start = time.perf_counter()
    result = None
    for event in run(s):
        if isinstance(event, CaseFinished) and event.exchange.sent:
            exchanges.append(event.exchange)
        elif isinstance(event, RunFinished):
            result = event.result
    assert result is not None
    return result, exchanges, time.perf_counter() - start
