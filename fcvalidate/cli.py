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

from fcvalidate.errors import EXIT_FAILED, EXIT_INTERRUPTED, FcValidateError

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

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fcvalidate")
def main() -> None:
    """Compile the Fibre Cafe endpoint documents into OpenAPI contracts and certify implementations."""


@main.command("compile")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", "out_dir", type=click.Path(path_type=Path), default=Path("contracts"), show_default=True,
    help="Folder the contracts are written to.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the contracts in the output folder are stale.")
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


if __name__ == "__main__":  # pragma: no cover
    main()
