"""The `fcvalidate` command: parse options, call the pipeline, map errors to exit codes.

Exit codes: 0 ok/conformant, 1 not conformant / stale contracts / lint errors, 2 usage, document or
contract error, 3 implementation unreachable or credentials rejected, 130 interrupted.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from fcvalidate.engine.setting_table import BY_NAME, SETTINGS, Setting, flag_of
from fcvalidate.errors import EXIT_FAILED, EXIT_INTERRUPTED, FcValidateError, UsageError

F = TypeVar("F", bound=Callable[..., Any])
POSITIVE_INT = click.IntRange(min=1)
POSITIVE_FLOAT = click.FloatRange(min=0, min_open=True)
CLICK_TYPE: dict[str, Any] = {
    "text": None,
    "path": click.Path(path_type=Path),
    "int": int,
    "count": POSITIVE_INT,
    "positive": POSITIVE_FLOAT,
}


class ToolError(click.ClickException):
    """A tool error as click shows it: its own lines on stderr, its own exit code, never a traceback."""

    def __init__(self, error: FcValidateError) -> None:
        super().__init__(str(error))
        self.error = error
        self.exit_code = error.exit_code  # type: ignore[misc]  # click reads it per instance

    def show(self, file: Any = None) -> None:
        setting = getattr(self.error, "setting", None)
        prefix = f"{flag_of(setting)}: " if setting else ""
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
    """An OAuth2 client as `ID:SECRET` (or HTTP Basic credentials as `USER:PASSWORD`)."""

    def __init__(self, name: str = "ID:SECRET") -> None:
        self.name = name

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        client_id, sep, secret = str(value).partition(":")
        if not sep or not client_id or not secret:
            self.fail(f"must be {self.name}", param, ctx)
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


def with_options(*options: Callable[[Any], Any]) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def setting_option(name: str, **changes: Any) -> Callable[[F], F]:
    """The click option of a setting of the table (setting_table.py), its parameter named as the
    `make_settings` keyword; `changes` (another help, `required`) are for commands that use it otherwise."""
    setting: Setting = BY_NAME[name]
    kind: dict[str, Any] = {"help": setting.help, "envvar": setting.env, "metavar": setting.metavar}
    if setting.kind == "flag":  # a flag whose default is on (`cache`) is given as its negation (--no-cache)
        kind |= {"is_flag": True, "flag_value": not setting.default, "default": setting.default}
    elif setting.kind == "list":
        kind |= {"multiple": True}
    else:
        kind |= {"type": CLICK_TYPE[setting.kind], "default": setting.default}
        kind |= {"show_default": setting.default is not None}
    return click.option(setting.cli_flag, name, **(kind | changes))


def settings_options(after: Mapping[str, Callable[[Any], Any]]) -> Callable[[F], F]:
    """Every setting of the table as an option, in its order; `after`: a command's own option after one."""
    options: list[Callable[[Any], Any]] = []
    for setting in SETTINGS:
        changes = {"required": True} if setting.name == "base_url" else {}
        options += [
            setting_option(setting.name, **changes),
            *([after[setting.name]] if setting.name in after else []),
        ]
    return with_options(*options)


with_credentials = with_options(
    *(
        setting_option(name)
        for name in ("token", "token_url", "client_id", "client_secret", "api_keys", "basic")
    )
)
contracts_option = setting_option("contracts")
report_dir_option = click.option(
    "--report-dir", type=click.Path(path_type=Path), default=Path("reports"), show_default=True
)
seed_option = setting_option("seed")
max_examples_option = setting_option("max_examples")


@main.command("certify")
@settings_options(
    after={
        "contracts": click.option(
            "--contract",
            "contract_files",
            multiple=True,
            type=click.Path(path_type=Path),
            help="A compiled contract file (repeatable).",
        ),
        "conventions": report_dir_option,
        "max_concurrency": click.option(
            "--workers", type=POSITIVE_INT, hidden=True, help="Deprecated: use --max-concurrency."
        ),
    }
)
@click.option(
    "--certificate",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write a signed certificate here, and its evidence report.json beside it.",
)
@click.option(
    "--signing-key",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Ed25519 private key (PEM) that signs the certificate (`fcvalidate keygen`, or openssl genpkey).",
)
@click.option("--implementation", metavar="NAME@VERSION", help="What you certify, named in the certificate.")
@click.option(
    "--changed-from",
    type=click.Path(path_type=Path),
    help="The contracts (or endpoint documents) of the version certified before: re-check only the "
    "operations that changed since, carry the other verdicts from --previous-report.",
)
@click.option(
    "--previous-report",
    type=click.Path(path_type=Path),
    help="The report.json of that certification (default: report.json in --report-dir).",
)
@click.option(
    "--previous-certificate",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Or its signed certificate: carry the verdicts it certifies (checked with --previous-key).",
)
@click.option(
    "--previous-key",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The public key (PEM) that signed --previous-certificate (default: --signing-key's public half).",
)
def certify_command(
    report_dir: Path,
    certificate: Path | None,
    signing_key: Path | None,
    implementation: str | None,
    changed_from: Path | None,
    previous_report: Path | None,
    previous_certificate: Path | None,
    previous_key: Path | None,
    **_: Any,  # the settings: read by settings_of
) -> None:
    """Certify a live implementation against the contracts; write reports (and, with --certificate, a
    signed certificate); exit 0 only if conformant."""
    settings = settings_of(click.get_current_context())
    plan = None
    previous = {"previous_report": previous_report, "previous_certificate": previous_certificate}
    previous |= {"previous_key": previous_key}
    if changed_from is not None or any(previous.values()):
        from fcvalidate.api import recertification

        sources = {**previous, "signing_key": signing_key}
        settings, plan = recertification(settings, changed_from, **sources, report_dir=report_dir)
        say_plan(settings, plan, changed_from)
    sys.exit(certify_and_report(settings, report_dir, certificate, signing_key, implementation, plan))


def say_plan(settings: Any, plan: Any, changed_from: Path | None) -> None:
    """What a change-scoped run re-checks, and what it carries from where."""
    from fcvalidate.files import display_path

    labels = [op.label for contract in settings.contracts for op in contract.operations]
    carried = sorted({r.operation for r in plan.carried})
    click.echo(
        f"changed from {display_path(changed_from or Path())}: re-checking {len(plan.recheck)} of {len(labels)} "
        f"operation(s), carrying {len(plan.carried)} verdict(s) of {len(carried)} from {plan.source}"
    )
    for label in plan.recheck:
        click.echo(f"  re-check {label}: {plan.reasons[label]}")
    if carried and plan.previous_base_url and plan.previous_base_url != settings.base_url:
        click.echo(
            f"note: {plan.source} certified {plan.previous_base_url}; its carried verdicts are about "
            "that implementation",
            err=True,
        )


def settings_of(ctx: click.Context) -> Any:
    """`make_settings` from a command's parsed options: the table's, --contract and the deprecated --workers."""
    from fcvalidate.api import make_settings

    options = {s.name: ctx.params[s.name] for s in SETTINGS if s.name in ctx.params}
    workers = ctx.params.get("workers")
    if workers is not None:
        click.echo("--workers is deprecated: use --max-concurrency", err=True)
        if ctx.get_parameter_source("max_concurrency") is click.core.ParameterSource.DEFAULT:
            options["max_concurrency"] = workers
    options["contracts"] = _contract_paths(options.get("contracts"), ctx.params.get("contract_files", ()))
    return make_settings(**options)


@dataclass(frozen=True, slots=True)
class ConsoleWatch:
    """The console's view of a run: progress, Ctrl-C as a stop, the verdict table once it is reported."""

    console: Any  # rich.console.Console (not imported here: the CLI starts without it)

    def events(self, run: Any, events: Any) -> Iterator[Any]:
        from fcvalidate.report.console import follow

        with _ctrl_c_stops(run):
            yield from follow(events, self.console)

    def reported(self, finished: Any, report_dir: Path | None) -> None:
        from fcvalidate.files import display_path
        from fcvalidate.report.console import print_summary

        print_summary(finished, self.console, display_path(report_dir) if report_dir else None)


def certify_and_report(
    settings: Any,
    report_dir: Path,
    certificate: Path | None = None,
    signing_key: Path | None = None,
    implementation: str | None = None,
    plan: Any = None,
) -> int:
    """Certify with console progress, write the reports (and the certificate); return the exit code."""
    from rich.console import Console

    from fcvalidate.api import certify_settings
    from fcvalidate.certificate.files import evidence_path
    from fcvalidate.files import display_path

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    watch = ConsoleWatch(console)
    signing = (certificate, signing_key, implementation)
    result = certify_settings(settings, *signing, report_dir=report_dir, plan=plan, watch=watch)
    if certificate is not None and result.complete:
        click.echo(
            f"certificate: {display_path(certificate)} (evidence: {display_path(evidence_path(certificate))})"
        )
    elif certificate is not None:
        click.echo("no certificate: the run was interrupted", err=True)
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
@setting_option("base_url", help="Send to this implementation instead of the report's.")
@contracts_option
@with_credentials
@setting_option("timeout")
def replay_command(report: Path, case_ids: tuple[str, ...], contracts: Path | None, **options: Any) -> None:
    """Re-send failing cases of a report and say whether each still fails or warns (exit 1 if one fails)."""
    from fcvalidate.api import replay

    outcomes = replay(report, cases=case_ids, contracts=_contract_paths(contracts, ()), **options)
    if not outcomes:
        click.echo("the report has no failing case to replay")
    for outcome in outcomes:
        r = outcome.exchange.response
        got = f"HTTP {r.status}" if r is not None else outcome.exchange.error
        first = outcome.first
        # the answers it is judged across were re-sent too, first
        across = (
            f" (judged with {', '.join(outcome.judged_with)}, re-sent first)" if outcome.judged_with else ""
        )
        if first is None:
            click.echo(f"{outcome.case_id}: passes now ({got}){across}")
        else:
            click.echo(f"{outcome.case_id}: still {outcome.status} ({got}): {first.title}{across}")
    sys.exit(EXIT_FAILED if any(o.status == "fails" for o in outcomes) else 0)


@main.command("keygen")
@click.argument("private", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--public",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where the public key goes (default: PRIVATE with .pub.pem).",
)
def keygen_command(private: Path, public: Path | None) -> None:
    """Write a new Ed25519 signing key (PEM, mode 0600) and its public key, as openssl writes them."""
    from fcvalidate.certificate.files import write_key_pair
    from fcvalidate.files import display_path

    public = public or private.with_name(private.name.removesuffix(".pem") + ".pub.pem")
    write_key_pair(private, public)
    click.echo(f"signing key: {display_path(private)} (keep it secret)")
    click.echo(f"public key:  {display_path(public)} (give it to the operator)")


@main.command("verify")
@click.argument("certificate", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--key",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The supplier's public key (PEM).",
)
@setting_option(
    "contracts", help="Your contracts, folder or file (default: contracts/ here, else the bundled ones)."
)
@click.option(
    "--policy", type=click.Path(path_type=Path, dir_okay=False), help="Policy file (YAML); see docs."
)
@click.option(
    "--evidence",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The evidence report.json (default: the one beside the certificate, if there).",
)
@setting_option("base_url", help="Re-run the certified seed, budget and settings here; compare the verdicts.")
@with_credentials
@setting_option("data", help="Known values for the re-run.")
def verify_command(
    certificate: Path,
    key: Path,
    contracts: Path | None,
    policy: Path | None,
    evidence: Path | None,
    base_url: str | None,
    **options: Any,  # the credentials and the data: as make_settings takes them
) -> None:
    """Verify a supplier's certificate: signature, subjects, evidence, policy, and with --base-url a re-run.

    Exit 0 valid, 1 refused (one line per reason), 2 usage or unreadable file, 3 unreachable."""
    from fcvalidate.api import verify_certificate
    from fcvalidate.files import default_contracts_dir

    outcome = verify_certificate(
        certificate,
        key,
        contracts=contracts or default_contracts_dir(),
        policy=policy,
        evidence=evidence,
        base_url=base_url,
        **options,
    )
    for note in outcome.notes:
        click.echo(f"note: {note}")
    for reason in outcome.reasons:
        click.echo(f"refused: {reason}")
    if outcome.reasons:
        sys.exit(EXIT_FAILED)
    p = outcome.predicate
    impl = p["implementation"]
    who = f"{impl['name']} {impl['version']}" if impl else p["base_url"]
    checked = " · re-checked at " + base_url if base_url else ""
    click.echo(f"valid: {who} is {p['verdict']}, certified {p['finished']}{checked}")


@main.group("certificate")
def certificate_group() -> None:
    """Read a certificate: a summary, or a badge to publish."""


@certificate_group.command("show")
@click.argument("certificate", type=click.Path(path_type=Path, dir_okay=False))
def certificate_show_command(certificate: Path) -> None:
    """A human summary of a certificate (its signature is checked by `fcvalidate verify`)."""
    from fcvalidate.certificate.summary import summary

    click.echo(summary(_read_certificate(certificate)), nl=False)


@certificate_group.command("badge")
@click.argument("certificate", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True
)
@click.option("--link", help="Where the certificate is published (default: its file name).")
def certificate_badge_command(certificate: Path, fmt: str, link: str | None) -> None:
    """A badge for a README or a web page, linking to the published certificate."""
    from fcvalidate.certificate.summary import badge_html, badge_markdown

    render = badge_html if fmt == "html" else badge_markdown
    click.echo(render(_read_certificate(certificate), link or certificate.name), nl=False)


def _read_certificate(path: Path) -> Any:
    from fcvalidate.certificate.dsse import EnvelopeError
    from fcvalidate.certificate.files import read_envelope
    from fcvalidate.certificate.statement import schema_problems
    from fcvalidate.certificate.verify import read_statement
    from fcvalidate.files import display_path

    try:
        statement = read_statement(read_envelope(path))
    except EnvelopeError as exc:
        raise UsageError(f"{display_path(path)}: not a readable certificate: {exc}") from None
    problems = list(schema_problems(statement.get("predicate")))
    if problems:
        raise UsageError(f"{display_path(path)}: not a readable certificate: predicate {problems[0]}")
    return statement


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
@click.option(
    "--basic",
    "basic_users",
    multiple=True,
    type=ClientParam("USER:PASSWORD"),
    envvar="FCVALIDATE_SERVE_BASIC",
    help="Accepted HTTP Basic credentials for operations secured by basic (repeatable; "
    "or env FCVALIDATE_SERVE_BASIC).",
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
    basic_users: tuple[tuple[str, str], ...],
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
    keys = _served_keys(api_keys, accepted=bool(tokens or clients or basic_users))
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
        api_keys=keys,
        basic=basic_users,
        data=data_file,
    ) as url:
        suffix = f" with faults: {', '.join(sorted(chosen))}" if chosen else ""
        click.echo(f"fcvalidate reference implementation listening on {url}{suffix}")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    click.echo("stopped")


def _served_keys(api_keys: tuple[str, ...], accepted: bool) -> tuple[tuple[str, str], ...]:
    """The server's --api-key values as pairs; `accepted`: another credential is accepted."""
    keys = [key.partition("=") for key in api_keys]
    if any(not name or not sep or not value for name, sep, value in keys):
        raise UsageError("--api-key must be NAME=VALUE")
    if not keys and not accepted:
        raise UsageError(
            "give at least one credential: --token (or FCVALIDATE_SERVE_TOKEN), --client ID:SECRET,"
            " --api-key NAME=VALUE or --basic USER:PASSWORD"
        )
    return tuple((name, value) for name, _, value in keys)


@main.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown", "junit"]),
    default="text",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here instead of stdout.")
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "warning"]),
    help="Exit 1 when a change is at least this severe (for --side).",
)
@click.option(
    "--side",
    type=click.Choice(["both", "tenants", "suppliers"]),
    default="both",
    show_default=True,
    help="Whose severity --fail-on weighs: the API's clients (tenants), its implementations (suppliers).",
)
@click.option(
    "--accepted",
    "accepted_file",
    type=click.Path(path_type=Path),
    help="YAML file of approved changes (`accepted: [{fingerprint, reason}]`); they are silenced.",
)
def diff_command(
    old: Path,
    new: Path,
    output_format: str,
    output: Path | None,
    fail_on: str | None,
    side: str,
    accepted_file: Path | None,
) -> None:
    """What changed from OLD to NEW (endpoint-document folders, contract files or folders of them), per
    operation, and whom each change breaks; exit 1 when --fail-on is met."""
    from fcvalidate.contract.diff import apply_accepted, diff_contracts
    from fcvalidate.files import atomic_write, display_path, load_accepted, load_version
    from fcvalidate.report.diff import RENDERERS, diff_data

    accepted = load_accepted(accepted_file) if accepted_file else []
    before, after = load_version(old), load_version(new)
    outcome = apply_accepted(diff_contracts(before, after), accepted)
    names = [f"{display_path(p)} ({len(docs)} contract(s))" for p, docs in ((old, before), (new, after))]
    data = diff_data(outcome, names[:1], names[1:], fail_on, side)  # type: ignore[arg-type]
    rendered = RENDERERS[output_format](data)
    if output is not None:
        atomic_write(output, rendered.encode("utf-8"))
        click.echo(f"wrote {display_path(output)} ({len(outcome.changes)} change(s))", err=True)
    else:
        click.echo(rendered, nl=False)
    if outcome.silenced:
        click.echo(f"{len(outcome.silenced)} change(s) silenced by {display_path(accepted_file)}", err=True)  # type: ignore[arg-type]
    sys.exit(EXIT_FAILED if data["failed"] else 0)


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
