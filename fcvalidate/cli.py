"""The `fcvalidate` command: parse options, call the pipeline, map errors to exit codes.

Exit codes: 0 ok/conformant, 1 not conformant / stale contracts / lint errors, 2 usage, document or
contract error, 3 implementation unreachable or credentials rejected, 130 interrupted.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from fcvalidate.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, FcValidateError, UsageError

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Show a tool error as its lines on stderr and exit with its code; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FcValidateError as exc:
            for line in exc.lines():
                click.echo(line, err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except OSError as exc:  # a folder that cannot be written, a file that vanished: one line, exit 2
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"{where}{exc.strerror or exc}", err=True)
            sys.exit(EXIT_USAGE)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fcvalidate")
def main() -> None:
    """Compile the Fibre Cafe endpoint documents into OpenAPI contracts and certify implementations."""


@main.command("compile")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("contracts"),
    show_default=True,
    help="Folder the contracts are written to.",
)
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 if the contracts in the output folder are stale."
)
@handle_errors
def compile_command(sources: tuple[Path, ...], out_dir: Path, check: bool) -> None:
    """Compile endpoint documents (files or folders; default contracts/source) into OpenAPI 3.1 contracts."""
    from fcvalidate.files import compile_to, display_path

    outcome = compile_to(list(sources) or [Path("contracts/source")], out_dir, check=check)
    if check:
        for line in outcome.stale:
            click.echo(line, err=True)
        if outcome.stale:
            click.echo("contracts are stale: run `fcvalidate compile`", err=True)
            sys.exit(EXIT_FAILED)
        click.echo(f"contracts in {display_path(out_dir)} are up to date")
        return
    for path in outcome.written:
        click.echo(f"wrote {display_path(path)}")
    for path in outcome.unchanged:
        click.echo(f"unchanged {display_path(path)}")


@main.command("lint")
@click.argument("contracts", nargs=-1, type=click.Path(path_type=Path))
@click.option("-q", "--quiet", is_flag=True, help="Show errors only, not gap and inference warnings.")
@handle_errors
def lint_command(contracts: tuple[Path, ...], quiet: bool) -> None:
    """Validate compiled contracts (default contracts/) and list documentation gaps and inferences."""
    from fcvalidate.contract.lint import lint_spec
    from fcvalidate.files import display_path, find_contracts, load_spec

    errors = warnings = 0
    for path in find_contracts(list(contracts) or [Path("contracts")]):
        spec, _ = load_spec(path)
        for finding in lint_spec(spec):
            if finding.level == "error":
                errors += 1
            else:
                warnings += 1
                if quiet:
                    continue
            click.echo(finding.format(display_path(path)))
    click.echo(f"{errors} error(s), {warnings} warning(s)")
    if errors:
        sys.exit(EXIT_FAILED)


def _credentials(
    token: str | None, token_url: str | None, client_id: str | None, client_secret: str | None
) -> Any:
    from fcvalidate.engine.transport import Credentials

    if token and token_url:
        raise UsageError("give either --token or --token-url with client credentials, not both")
    return Credentials(token=token, token_url=token_url, client_id=client_id, client_secret=client_secret)


def _contracts(contracts_dir: Path | None, contract_files: tuple[Path, ...]) -> list[Any]:
    from fcvalidate.files import load_contracts

    if contracts_dir and contract_files:
        raise UsageError("give either --contracts DIR or --contract FILE, not both")
    paths = list(contract_files) or ([contracts_dir] if contracts_dir else None)
    return load_contracts(paths)


def _positive(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None and value <= 0:
        raise click.BadParameter("must be greater than 0")
    return value


credential_options = [
    click.option("--token", envvar="FCVALIDATE_TOKEN", help="Bearer token (or env FCVALIDATE_TOKEN)."),
    click.option("--token-url", help="OAuth2 token endpoint (absolute, or a path on the base URL)."),
    click.option("--client-id", envvar="FCVALIDATE_CLIENT_ID", help="OAuth2 client id."),
    click.option(
        "--client-secret",
        envvar="FCVALIDATE_CLIENT_SECRET",
        help="OAuth2 client secret (or env FCVALIDATE_CLIENT_SECRET).",
    ),
]


def with_credentials(func: F) -> F:
    for option in reversed(credential_options):
        func = option(func)
    return func


@main.command("certify")
@click.option("--base-url", required=True, help="The implementation under test, e.g. http://127.0.0.1:8080")
@click.option(
    "--contracts",
    "contracts_dir",
    type=click.Path(path_type=Path),
    help="Folder of compiled contracts (default: bundled).",
)
@click.option(
    "--contract",
    "contract_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A compiled contract file (repeatable).",
)
@click.option(
    "--operation",
    "operations",
    multiple=True,
    help='Only this operation, e.g. "POST /service-orders" (repeatable).',
)
@with_credentials
@click.option(
    "--data",
    "data_file",
    type=click.Path(path_type=Path),
    help="YAML/JSON file of known values and a foreign principal.",
)
@click.option("--report-dir", type=click.Path(path_type=Path), default=Path("reports"), show_default=True)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Same seed, same implementation: same cases, same verdict.",
)
@click.option(
    "--max-examples",
    type=int,
    default=20,
    show_default=True,
    callback=_positive,
    help="Generated requests per operation and mode.",
)
@click.option(
    "--workers", type=int, default=2, show_default=True, callback=_positive, help="Concurrent requests."
)
@click.option(
    "--timeout",
    type=float,
    default=5.0,
    show_default=True,
    callback=_positive,
    help="Seconds to wait for each response.",
)
@handle_errors
def certify_command(
    base_url: str,
    contracts_dir: Path | None,
    contract_files: tuple[Path, ...],
    operations: tuple[str, ...],
    token: str | None,
    token_url: str | None,
    client_id: str | None,
    client_secret: str | None,
    data_file: Path | None,
    report_dir: Path,
    seed: int,
    max_examples: int,
    workers: int,
    timeout: float,
) -> None:
    """Certify a live implementation against the contracts; write reports; exit 0 only if conformant."""
    from fcvalidate.engine.data import KnownValues
    from fcvalidate.engine.runner import Settings
    from fcvalidate.files import display_path, load_data_file

    known = (
        KnownValues.from_mapping(load_data_file(data_file), display_path(data_file))
        if data_file
        else KnownValues()
    )
    settings = Settings(
        base_url=base_url,
        contracts=tuple(_contracts(contracts_dir, contract_files)),
        credentials=_credentials(token, token_url, client_id, client_secret),
        known=known,
        operations=operations,
        seed=seed,
        max_examples=max_examples,
        workers=workers,
        timeout=timeout,
    )
    sys.exit(certify_and_report(settings, report_dir))


def ensure_writable(folder: Path) -> None:
    """Fail before a run, not after it, when the reports could not be written."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise UsageError(f"--report-dir {folder}: cannot write there ({exc.strerror or exc})") from None


def certify_and_report(settings: Any, report_dir: Path) -> int:
    """Run the engine with console progress, write the reports, print the verdict; return the exit code."""
    from rich.console import Console

    from fcvalidate.engine.events import RunFinished
    from fcvalidate.engine.runner import run
    from fcvalidate.files import display_path
    from fcvalidate.report import write_reports
    from fcvalidate.report.console import follow, print_summary

    ensure_writable(report_dir)
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    events = run(settings)
    shown = follow(events, console)
    finished = None
    try:
        for event in shown:
            if isinstance(event, RunFinished):
                finished = event
    except KeyboardInterrupt:
        # Ctrl-C landed outside the engine: hand it to the engine, which judges what it gathered.
        shown.close()
        try:
            event = events.throw(KeyboardInterrupt)
            while not isinstance(event, RunFinished):
                event = next(events)
            finished = event
        except (KeyboardInterrupt, StopIteration):
            raise KeyboardInterrupt from None
    assert finished is not None
    write_reports(finished.result, report_dir)
    print_summary(finished, console, display_path(report_dir))
    if not finished.result.complete:
        return EXIT_INTERRUPTED
    return EXIT_FAILED if finished.result.failed else 0


@main.command("replay")
@click.argument("report", type=click.Path(path_type=Path))
@click.option(
    "--case", "case_ids", multiple=True, help="Case id from the report (default: every failing case)."
)
@click.option("--base-url", help="Send to this implementation instead of the report's.")
@click.option(
    "--contracts",
    "contracts_dir",
    type=click.Path(path_type=Path),
    help="Folder of compiled contracts (default: bundled).",
)
@with_credentials
@click.option("--timeout", type=float, default=5.0, show_default=True, callback=_positive)
@handle_errors
def replay_command(
    report: Path,
    case_ids: tuple[str, ...],
    base_url: str | None,
    contracts_dir: Path | None,
    token: str | None,
    token_url: str | None,
    client_id: str | None,
    client_secret: str | None,
    timeout: float,
) -> None:
    """Re-send failing cases of a report and say whether each still fails (exit 1 if any does)."""
    import json

    from fcvalidate.engine.replay import check_case_ids, failing_case_ids, replay
    from fcvalidate.engine.transport import Transport
    from fcvalidate.files import all_operations, display_path

    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{display_path(report)}: not a readable report.json ({exc})") from None
    ids = list(case_ids) or failing_case_ids(data)
    check_case_ids(data, ids)
    if not ids:
        click.echo("the report has no failing case to replay")
        return
    credentials = _credentials(token, token_url, client_id, client_secret)
    url = base_url or data.get("run", {}).get("base_url")
    if not url:
        raise UsageError("the report names no base URL: give --base-url")
    operations = all_operations(_contracts(contracts_dir, ()))
    with Transport(url, credentials, timeout) as transport:
        transport.preflight()
        credentials.fetch(transport.client, url)
        outcomes = replay(data, ids, transport, operations)
    still = 0
    for outcome in outcomes:
        r = outcome.exchange.response
        got = f"HTTP {r.status}" if r is not None else outcome.exchange.error
        if outcome.still_fails:
            still += 1
            first = next(v for v in outcome.violations if v.severity == "failure")
            click.echo(f"{outcome.case_id}: still fails ({got}): {first.title}")
        else:
            click.echo(f"{outcome.case_id}: passes now ({got})")
    sys.exit(EXIT_FAILED if still else 0)


@main.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Interface to listen on (loopback by default)."
)
@click.option("--port", type=int, default=8080, show_default=True, help="Port; 0 picks a free one.")
@click.option(
    "--contracts",
    "contracts_dir",
    type=click.Path(path_type=Path),
    help="Serve these contracts (default: bundled).",
)
@click.option(
    "--token",
    "tokens",
    multiple=True,
    help="Accepted bearer token (repeatable; or env FCVALIDATE_SERVE_TOKEN).",
)
@click.option(
    "--client",
    "clients",
    multiple=True,
    help="OAuth2 client as ID:SECRET (repeatable; or env FCVALIDATE_SERVE_CLIENT).",
)
@click.option(
    "--token-ttl",
    type=float,
    default=3600,
    show_default=True,
    callback=_positive,
    help="Lifetime of issued tokens, seconds.",
)
@click.option("--db", type=click.Path(path_type=Path), help="SQLite file (default: in memory).")
@click.option("--accept-async", is_flag=True, help="Answer successful amendments 202 instead of 201.")
@click.option(
    "--fault", "faults", multiple=True, help="Break the contract this way (repeatable; see --list-faults)."
)
@click.option(
    "--fault-delay", type=float, default=2.0, show_default=True, help="Delay of the `slow` fault, seconds."
)
@click.option("--list-faults", is_flag=True, help="List the fault catalogue and exit.")
@handle_errors
def serve_command(
    host: str,
    port: int,
    contracts_dir: Path | None,
    tokens: tuple[str, ...],
    clients: tuple[str, ...],
    token_ttl: float,
    db: Path | None,
    accept_async: bool,
    faults: tuple[str, ...],
    fault_delay: float,
    list_faults: bool,
) -> None:
    """Run the embedded reference implementation (Ctrl-C or SIGTERM stops it)."""
    import os
    import signal
    import threading

    from fcvalidate.server import FAULTS, ServerConfig
    from fcvalidate.server.background import bound_url, build_server
    from fcvalidate.server.faults import check_faults

    if list_faults:
        width = max(len(f.id) for f in FAULTS)
        for fault in FAULTS:
            click.echo(f"{fault.id:<{width}}  {fault.requirement:<19} {fault.description}")
        return
    tokens = tokens or tuple(t for t in [os.environ.get("FCVALIDATE_SERVE_TOKEN")] if t)
    clients = clients or tuple(c for c in [os.environ.get("FCVALIDATE_SERVE_CLIENT")] if c)
    parsed_clients = []
    for client in clients:
        client_id, sep, secret = client.partition(":")
        if not sep or not client_id or not secret:
            raise UsageError("--client must be ID:SECRET")
        parsed_clients.append((client_id, secret))
    if not tokens and not parsed_clients:
        raise UsageError(
            "give at least one credential: --token (or FCVALIDATE_SERVE_TOKEN) or --client ID:SECRET"
        )
    config = ServerConfig(
        contracts_dir=contracts_dir,
        tokens=tokens,
        clients=tuple(parsed_clients),
        db=str(db) if db else None,
        accept_async=accept_async,
        faults=check_faults(faults),
        fault_delay=fault_delay,
        token_ttl=token_ttl,
    )
    server, _ = build_server(config, host, port)
    thread = threading.Thread(target=server.run, name="fcvalidate-serve", daemon=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise FcValidateError(f"could not listen on {host}:{port} (in use?)")
        stop.wait(0.005)
    suffix = f" with faults: {', '.join(sorted(config.faults))}" if config.faults else ""
    click.echo(f"fcvalidate reference implementation listening on {bound_url(server, host)}{suffix}")
    sys.stdout.flush()
    try:
        while not stop.wait(0.2) and thread.is_alive():
            pass
    except KeyboardInterrupt:
        pass
    server.should_exit = True
    thread.join(timeout=5)
    click.echo("stopped")


@main.command("demo")
@click.option("--report-dir", type=click.Path(path_type=Path), default=Path("reports"), show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--max-examples", type=int, default=20, show_default=True, callback=_positive)
@handle_errors
def demo_command(report_dir: Path, seed: int, max_examples: int) -> None:
    """The main job on the embedded default: compile, start the reference implementation, certify it."""
    import secrets
    from importlib import resources

    from fcvalidate.engine.data import KnownValues
    from fcvalidate.engine.runner import Settings
    from fcvalidate.engine.transport import Credentials
    from fcvalidate.files import (
        bundled_contracts_dir,
        compile_to,
        display_path,
        load_contracts,
        load_data_file,
    )
    from fcvalidate.server import serve_in_background

    source = Path("contracts/source")
    if source.is_dir():  # in a checkout: compile the documents first (a no-op when nothing changed)
        outcome = compile_to([source], Path("contracts"))
        click.echo(
            f"compiled {len(outcome.written) + len(outcome.unchanged)} contract(s) from {display_path(source)}"
        )
    data_file = Path(str(resources.files("fcvalidate.server") / "reference-data.yaml"))
    known = KnownValues.from_mapping(load_data_file(data_file), "reference-data.yaml")
    token = secrets.token_urlsafe(24)
    contracts_dir = Path("contracts") if source.is_dir() else bundled_contracts_dir()
    with serve_in_background(tokens=(token,), contracts_dir=contracts_dir) as url:
        click.echo(f"reference implementation started on {url}")
        settings = Settings(
            base_url=url,
            contracts=tuple(load_contracts([contracts_dir])),
            credentials=Credentials(token=token),
            known=known,
            seed=seed,
            max_examples=max_examples,
        )
        code = certify_and_report(settings, report_dir)
    click.echo("reference implementation stopped")
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
