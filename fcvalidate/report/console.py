"""The console: a rich progress bar on a terminal, plain lines otherwise (or with CI=true), and the
final table of requirements."""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable, Iterator
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from fcvalidate.engine.events import (
    CaseFinished,
    Event,
    OperationFinished,
    PhaseStarted,
    RunFinished,
    RunResult,
    RunStarted,
)
from fcvalidate.report.data import note
from fcvalidate.report.exchanges import scrub

STYLES = {"passed": "green", "failed": "bold red", "warning": "yellow", "skipped": "dim"}


def interactive(console: Console) -> bool:
    return console.is_terminal and os.environ.get("CI", "").lower() not in ("1", "true", "yes")


def follow(events: Iterable[Event], console: Console) -> Generator[Event, None, None]:
    """Show progress for an event stream, passing every event through."""
    if interactive(console):
        yield from _with_bar(events, console)
    else:
        yield from _plain(events, console)


def _plain(events: Iterable[Event], console: Console) -> Iterator[Event]:
    for event in events:
        if isinstance(event, RunStarted):
            console.print(
                f"certifying {event.base_url} (seed {event.seed}): {len(event.operations)} operation(s)",
                highlight=False,
            )
        elif isinstance(event, PhaseStarted):
            console.print(f"  {event.operation}: {event.phase} ({event.cases} cases)", highlight=False)
        elif isinstance(event, OperationFinished):
            counts: dict[str, int] = {}
            for r in event.results:
                counts[r.status] = counts.get(r.status, 0) + 1
            console.print(
                f"  {event.operation}: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())),
                highlight=False,
            )
        yield event


def _with_bar(events: Iterable[Event], console: Console) -> Iterator[Event]:
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task: Any = None
    with progress:
        for event in events:
            if isinstance(event, PhaseStarted):
                if task is not None:
                    progress.remove_task(task)
                task = progress.add_task(f"{event.operation} · {event.phase}", total=event.cases)
            elif isinstance(event, CaseFinished) and task is not None:
                progress.advance(task)
            elif isinstance(event, OperationFinished):
                failed = sum(r.status == "failed" for r in event.results)
                progress.console.print(
                    f"{event.operation}: {'[red]' + str(failed) + ' failed[/]' if failed else '[green]ok[/]'}"
                )
            yield event


def print_summary(finished: RunFinished, console: Console, report_dir: str | None = None) -> None:
    result = finished.result
    console.print(_verdict_table(result))
    carried = [r for r in result.results if r.carried_from]
    if carried:
        operations = sorted({r.operation for r in carried})
        dates = ", ".join(sorted({r.carried_from for r in carried}))
        console.print(
            f"{len(carried)} verdict(s) of {len(operations)} operation(s) carried from the run(s) of "
            f"{dates}, not re-checked: {escape(', '.join(operations))}",
            highlight=False,
        )
    verdict = result.verdict
    colour = {"conformant": "green", "not-conformant": "red", "incomplete": "yellow"}[verdict]
    waited = f" · {result.rate_limited} answered 429, waited out and resent" if result.rate_limited else ""
    console.print(
        f"[bold {colour}]verdict: {verdict}[/] · {result.cases_sent} requests in "
        f"{result.finished - result.started:.1f} s{waited}"
    )
    if report_dir:
        console.print(
            f"reports: {report_dir}/report.html, report.json, junit.xml, summary.md", highlight=False
        )


def _verdict_table(result: RunResult) -> Table:
    table = Table(title="fcvalidate verdict", show_lines=False)
    for column in ("operation", "requirement", "level", "result", "note"):
        table.add_column(column, overflow="fold")
    for r in result.results:
        carried = f" (carried from {r.carried_from})" if r.carried_from else ""
        table.add_row(
            escape(r.operation),
            r.requirement.id,
            r.requirement.level,
            f"[{STYLES[r.status]}]{r.status}[/]{carried}",
            escape(scrub(note(r), result.secrets)),
        )
    return table
