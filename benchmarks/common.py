"""Shared by the benchmarks: the reference implementation, settings, and a run that keeps every exchange."""

from __future__ import annotations

import resource
import time
from pathlib import Path
from typing import Any

from fcvalidate import RunResult, Settings, events, make_settings
from fcvalidate.engine.events import CaseFinished, RunFinished
from fcvalidate.exchange import Exchange

TOKEN = "bench-token-0b7e"
DATA_FILE = Path(__file__).resolve().parent.parent / "fcvalidate" / "server" / "reference-data.yaml"


def options(**overrides: Any) -> dict[str, Any]:
    return {"data": DATA_FILE, "token": TOKEN, **overrides}


def settings(url: str, **overrides: Any) -> Settings:
    return make_settings(url, **options(**overrides))


def certify_keeping_exchanges(url: str, **overrides: Any) -> tuple[RunResult, list[Exchange], float]:
    exchanges: list[Exchange] = []
    start = time.perf_counter()
    result = None
    for event in events(url, **options(**overrides)):
        if isinstance(event, CaseFinished) and event.exchange.sent:
            exchanges.append(event.exchange)
        elif isinstance(event, RunFinished):
            result = event.result
    assert result is not None
    return result, exchanges, time.perf_counter() - start


def own_peak_rss_mb() -> float:
    """This process's own peak resident memory. Linux carries `ru_maxrss` over fork and exec, so a child
    of a large parent would report the parent's size; the kernel's VmHWM is the process's own."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # elsewhere: the best there is
