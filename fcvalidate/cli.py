"""The `fcvalidate` command: parse options, call the pipeline, map errors to exit codes.

Exit codes: 0 ok/conformant, 1 not conformant / stale contracts / lint errors, 2 usage, document or
contract error, 3 implementation unreachable or credentials rejected, 130 interrupted.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from fcvalidate.errors import EXIT_FAILED, EXIT_INTERRUPTED, FcValidateError, UsageError

F = TypeVar("F", bound=Callable[..., Any])
POSITIVE_INT = click.IntRange(min=1)
POSITIVE_FLOAT = click.FloatRange(min=0, min_open=True)
OPTION_OF = {"operations": "--operation", "api_keys": "--api-key"}  # else --NAME, with - for _


class ToolError(click.ClickException):
    """A tool error as click shows it: its own lines on stderr, its own exit code, never a traceback."""

    def __init__(self, error: FcValidateError) -> None:
        super().__init__(str(error))
        self.error = error
        self.exit_code = error.exit_code  # type: ignore[misc]  # click reads it per instance

    def show(self, file: Any = None) -> None:
        setting = getattr(self.error, "setting", None)
        prefix = f"{OPTION_OF.get(setting, '--' + setting.replace('_', '-'))}: " if setting else ""
        for n, line in enumerate(self.error.lines()):
            click.echo(prefix + line if n == 0 else line, err=True)


class FcValidateGroup(click.Group):
    """Maps fcvalidate's errors, file-system errors and Ctrl-C to one message and a documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FcValidateError as exc:
            raise ToolError(exc) from None
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except OSError as exc:  # a folder that cannot be written, a file that vanished: one line, exit 2
            where = f"{exc.filename}: " if exc.filename else ""
            raise ToolError(UsageError(f"{where}{exc.strerror or exc}")) from None


class ClientParam(click.ParamType):
    """An OAuth2 client as `ID:SECRET`."""

    name = "ID:SECRET"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        client_id, sep, secret = str(value).partition(":")
        if not sep or not client_id or not secret:
            self.fail("must be ID:SECRET", param, ctx)
        return client_id, secret


@click.group(cls=FcValidateGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
        count = len(outcome.unchanged)
        click.echo(f"{display_path(out_dir)}/ is up to date ({count} contract{'s' if count != 1 else ''})")
        return
    for path in outcome.written:
        click.echo(f"wrote {display_path(path)}")
    for path in outcome.unchanged:
        click.echo(f"unchanged {display_path(path)}")


@main.command("lint")
@click.argument("contracts", nargs=-1, type=click.Path(path_type=Path))
@click.option("-q", "--quiet", is_flag=True, help="Show errors only, not gap and inference warnings.")
def lint_command(contracts: tuple[Path, ...], quiet: bool) -> None:
    """Validate compiled contracts (default: contracts/, or the bundled ones outside a checkout) and list
    documentation gaps and inferences."""
    from fcvalidate.contract.lint import lint_spec
    from fcvalidate.files import default_contracts_dir, display_path, find_contracts, load_spec

    errors = warnings = 0
    for path in find_contracts(list(contracts) or [default_contracts_dir()]):
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


def _contract_paths(contracts_dir: Path | None, contract_files: tuple[Path, ...]) -> list[Path] | None:
    if contracts_dir and contract_files:
        raise UsageError("give either --contracts DIR or --contract FILE, not both")
    return list(contract_files) or ([contracts_dir] if contracts_dir else None)


def with_options(*options: Callable[[F], F]) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


with_credentials = with_options(
    click.option("--token", envvar="FCVALIDATE_TOKEN", help="Bearer token (or env FCVALIDATE_TOKEN)."),
    click.option("--token-url", help="OAuth2 token endpoint (absolute, or a path on the base URL)."),
    click.option("--client-id", envvar="FCVALIDATE_CLIENT_ID", help="OAuth2 client id."),
    click.option(
        "--client-secret",
        envvar="FCVALIDATE_CLIENT_SECRET",
        help="OAuth2 client secret (or env FCVALIDATE_CLIENT_SECRET).",
    ),
    click.option(
        "--api-key",
        "api_keys",
        multiple=True,
        envvar="FCVALIDATE_API_KEY",
        metavar="NAME=VALUE",
        help="An API key, NAME being its security scheme or its header/query/cookie name; "
        "SCHEME@HEADER (or SCHEME@query:NAME, SCHEME@cookie:NAME) places a key the document does not "
        "place (repeatable; or env FCVALIDATE_API_KEY).",
    ),
)
contracts_option = click.option(
    "--contracts",
    "contracts_dir",
    type=click.Path(path_type=Path),
    help="Folder of compiled contracts (default: bundled).",
)
report_dir_option = click.option(
    "--report-dir", type=click.Path(path_type=Path), default=Path("reports"), show_default=True
)
seed_option = click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Same seed, same implementation: same cases, same verdict.",
)
max_examples_option = click.option(
    "--max-examples",
    type=POSITIVE_INT,
    default=20,
    show_default=True,
    help="Generated requests per operation and mode.",
)


@main.command("certify")
@click.option("--base-url", required=True, help="The implementation under test, e.g. http://127.0.0.1:8080")
@contracts_option
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
@click.option(
    "--conventions",
    type=click.Path(path_type=Path),
    help="File of accepted conventions (`accept: [http, fibre-cafe]`); default: every shipped one but "
    "json-schema.enum-not-normalised.",
)
@report_dir_option
@seed_option
@max_examples_option
@click.option(
    "--max-concurrency",
    type=POSITIVE_INT,
    default=16,  # engine.settings.DEFAULT_CONCURRENCY (not imported here: the CLI starts without the engine)
    show_default=True,
    help="Requests in flight at once.",
)
@click.option("--workers", type=POSITIVE_INT, hidden=True, help="Deprecated: use --max-concurrency.")
@click.option(
    "--rate-limit",
    type=POSITIVE_FLOAT,
    default=None,
    help="At most this many requests per second (default: unlimited).",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    envvar="FCVALIDATE_CACHE_DIR",
    help="Where generated requests are cached (or env FCVALIDATE_CACHE_DIR; "
    "default: $XDG_CACHE_HOME/fcvalidate or ~/.cache/fcvalidate).",
)
@click.option("--no-cache", is_flag=True, help="Generate every request afresh; read and write no cache.")
@click.option(
    "--timeout",
    type=POSITIVE_FLOAT,
    default=5.0,
    show_default=True,
    help="Seconds to wait for each response.",
)
def certify_command(
    base_url: str,
    contracts_dir: Path | None,
    contract_files: tuple[Path, ...],
    data_file: Path | None,
    report_dir: Path,
    workers: int | None,
    no_cache: bool,
    **options: Any,
) -> None:
    """Certify a live implementation against the contracts; write reports; exit 0 only if conformant."""
    from fcvalidate.api import make_settings

    if workers is not None:
        click.echo("--workers is deprecated: use --max-concurrency", err=True)
        source = click.get_current_context().get_parameter_source("max_concurrency")
        if source is click.core.ParameterSource.DEFAULT:
            options["max_concurrency"] = workers
    settings = make_settings(
        base_url,
        contracts=_contract_paths(contracts_dir, contract_files),
        data=data_file,
        cache=not no_cache,
        **options,
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
        raise UsageError(f"{folder}: cannot write there ({exc.strerror or exc})", "report_dir") from None


def certify_and_report(settings: Any, report_dir: Path) -> int:
    """Run the engine with console progress, write the reports, print the verdict; return the exit code."""
    from rich.console import Console

    from fcvalidate.engine.events import RunFinished
    from fcvalidate.engine.runner import Run
    from fcvalidate.files import display_path
    from fcvalidate.report import write_reports
    from fcvalidate.report.console import follow, print_summary

    ensure_writable(report_dir)
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    run = Run(settings)
    events = iter(run)
    with _ctrl_c_stops(run):
        try:
            finished = [e for e in follow(events, console) if isinstance(e, RunFinished)]
        except KeyboardInterrupt:
            # A second Ctrl-C, or one that landed outside the engine: stop it, judge what it gathered.
            run.stop()
            finished = [e for e in events if isinstance(e, RunFinished)]
            if not finished:
                raise
    result = finished[-1].result
    write_reports(result, report_dir)
    print_summary(finished[-1], console, display_path(report_dir))
    if not result.complete:
        click.echo("interrupted: the reports hold what was gathered, marked incomplete", err=True)
        return EXIT_INTERRUPTED
    return EXIT_FAILED if result.failed else 0


@contextlib.contextmanager
def _ctrl_c_stops(run: Any) -> Any:
    """Ctrl-C asks the engine to stop (what was sent is judged, nothing new is sent) instead of raising
    wherever the main thread happens to be, e.g. inside Hypothesis, which does not survive that.
    A second Ctrl-C raises KeyboardInterrupt as usual."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        if run.stopped:
            raise KeyboardInterrupt
        run.stop()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@main.command("replay")
@click.argument("report", type=click.Path(path_type=Path))
@click.option(
    "--case", "case_ids", multiple=True, help="Case id from the report (default: every failing case)."
)
@click.option("--base-url", help="Send to this implementation instead of the report's.")
@contracts_option
@with_credentials
@click.option("--timeout", type=POSITIVE_FLOAT, default=5.0, show_default=True)
def replay_command(
    report: Path,
    case_ids: tuple[str, ...],
    base_url: str | None,
    contracts_dir: Path | None,
    token: str | None,
    token_url: str | None,
    client_id: str | None,
    client_secret: str | None,
    api_keys: tuple[str, ...],
    timeout: float,
) -> None:
    """Re-send failing cases of a report and say whether each still fails or warns (exit 1 if one fails)."""
    import json

    from fcvalidate.engine.credentials import Credentials, parse_api_keys
    from fcvalidate.engine.replay import check_case_ids, failing_case_ids, replay
    from fcvalidate.engine.transport import Transport
    from fcvalidate.files import all_operations, display_path, load_contracts

    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{display_path(report)}: not a readable report.json ({exc})") from None
    ids = list(case_ids) or failing_case_ids(data)
    check_case_ids(data, ids)
    if not ids:
        click.echo("the report has no failing case to replay")
        return
    credentials = Credentials(token, token_url, client_id, client_secret, parse_api_keys(api_keys))
    url = base_url or data.get("run", {}).get("base_url")
    if not url:
        raise UsageError("the report names no base URL: give --base-url")
    operations = all_operations(load_contracts(_contract_paths(contracts_dir, ())))
    with Transport(url, timeout) as transport:
        transport.preflight()
        transport.token = credentials.obtain_token(transport.client, url)
        transport.api_keys = credentials.api_keys_by_scheme(operations)
        outcomes = replay(data, ids, transport, operations)
    for outcome in outcomes:
        r = outcome.exchange.response
        got = f"HTTP {r.status}" if r is not None else outcome.exchange.error
        first = outcome.first
        if first is None:
            click.echo(f"{outcome.case_id}: passes now ({got})")
        else:
            click.echo(f"{outcome.case_id}: still {outcome.status} ({got}): {first.title}")
    sys.exit(EXIT_FAILED if any(o.status == "fails" for o in outcomes) else 0)


@main.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Interface to listen on (loopback by default)."
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port; 0 picks a free one."
)
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
    envvar="FCVALIDATE_SERVE_TOKEN",
    help="Accepted bearer token (repeatable; or env FCVALIDATE_SERVE_TOKEN).",
)
@click.option(
    "--client",
    "clients",
    multiple=True,
    type=ClientParam(),
    envvar="FCVALIDATE_SERVE_CLIENT",
    help="OAuth2 client as ID:SECRET (repeatable; or env FCVALIDATE_SERVE_CLIENT).",
)
@click.option(
    "--token-ttl",
    type=POSITIVE_FLOAT,
    default=3600,
    show_default=True,
    help="Lifetime of issued tokens, seconds.",
)
@click.option("--db", type=click.Path(path_type=Path), help="SQLite file (default: in memory).")
@click.option("--accept-async", is_flag=True, help="Answer successful amendments 202 instead of 201.")
@click.option(
    "--fault", "faults", multiple=True, help="Break the contract this way (repeatable; see --list-faults)."
)
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Answer every request this many seconds late (not a fault: for latency benchmarks).",
)
@click.option(
    "--api-key",
    "api_keys",
    multiple=True,
    help="Accepted API key as NAME=VALUE, NAME the header/query/cookie or scheme name (repeatable).",
)
@click.option(
    "--data",
    "data_file",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Seed the resources this data file's `operations:` known values name (see README).",
)
@click.option("--list-faults", is_flag=True, help="List the fault catalogue and exit.")
def serve_command(
    host: str,
    port: int,
    contracts_dir: Path | None,
    tokens: tuple[str, ...],
    clients: tuple[tuple[str, str], ...],
    token_ttl: float,
    db: Path | None,
    accept_async: bool,
    faults: tuple[str, ...],
    delay: float,
    api_keys: tuple[str, ...],
    data_file: Path | None,
    list_faults: bool,
) -> None:
    """Run the embedded reference implementation (Ctrl-C or SIGTERM stops it)."""
    import signal
    import threading

    from fcvalidate.server import FAULTS, serve_in_background
    from fcvalidate.server.faults import check_faults

    if list_faults:
        width = max(len(f.id) for f in FAULTS)
        for fault in FAULTS:
            click.echo(f"{fault.id:<{width}}  {fault.requirement:<19} {fault.description}")
        return
    keys = [key.partition("=") for key in api_keys]
    if any(not name or not sep or not value for name, sep, value in keys):
        raise UsageError("--api-key must be NAME=VALUE")
    if not tokens and not clients and not keys:
        raise UsageError(
            "give at least one credential: --token (or FCVALIDATE_SERVE_TOKEN), --client ID:SECRET"
            " or --api-key NAME=VALUE"
        )
    chosen = check_faults(faults)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with serve_in_background(
        host,
        port,
        contracts_dir=contracts_dir,
        tokens=tokens,
        clients=clients,
        db=str(db) if db else None,
        accept_async=accept_async,
        faults=chosen,
        token_ttl=token_ttl,
        delay=delay,
        api_keys=tuple((name, value) for name, _, value in keys),
        data=data_file,
    ) as url:
        suffix = f" with faults: {', '.join(sorted(chosen))}" if chosen else ""
        click.echo(f"fcvalidate reference implementation listening on {url}{suffix}")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    click.echo("stopped")


@main.command("data-file")
def data_file_command() -> None:
    """Print the path of the bundled data file: the reference implementation's known values.

    Use it as `--data "$(fcvalidate data-file)"`, or copy it as a start for your own."""
    from fcvalidate.files import bundled_data_file

    click.echo(str(bundled_data_file()))


@main.command("demo")
@report_dir_option
@seed_option
@max_examples_option
def demo_command(report_dir: Path, seed: int, max_examples: int) -> None:
    """The main job on the embedded default: compile, start the reference implementation, certify it."""
    import secrets

    from fcvalidate.api import make_settings
    from fcvalidate.files import bundled_contracts_dir, bundled_data_file, compile_to, display_path
    from fcvalidate.server import serve_in_background

    source = Path("contracts/source")
    if source.is_dir():  # in a checkout: compile the documents first (a no-op when nothing changed)
        outcome = compile_to([source], Path("contracts"))
        click.echo(
            f"compiled {len(outcome.written) + len(outcome.unchanged)} contract(s) from {display_path(source)}"
        )
    data_file = bundled_data_file()
    token = secrets.token_urlsafe(24)
    contracts_dir = Path("contracts") if source.is_dir() else bundled_contracts_dir()
    with serve_in_background(tokens=(token,), contracts_dir=contracts_dir) as url:
        click.echo(f"reference implementation started on {url}")
        settings = make_settings(
            url, contracts=contracts_dir, data=data_file, token=token, seed=seed, max_examples=max_examples
        )
        code = certify_and_report(settings, report_dir)
    click.echo("reference implementation stopped")
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
