"""Tool errors: what went wrong with fcvalidate's *input*, never a finding about an implementation.

Findings about an implementation are `Violation`s (fcvalidate.checks); these are the other kind.
Every error knows its exit code and how to show itself in one or more lines::

    FcValidateError                 exit 2   base class
    ├── UsageError                  exit 2   a wrong flag or option value
    ├── DocumentError               exit 2   endpoint documents that do not parse (FILE:LINE:COL: message)
    ├── ContractError               exit 2   compiled contracts that cannot be loaded or are invalid
    └── ImplementationError         exit 3   the implementation cannot be certified at all
        ├── UnreachableError        exit 3   connection refused, DNS failure, no answer to a probe
        └── CredentialsError        exit 3   the token endpoint refused the client, or no token works

Exit codes as a table (the CLI documents the same): 0 conformant, 1 not conformant (or `--check` found
stale contracts, or `lint` found errors), 2 usage/document/contract error, 3 implementation unreachable or
credentials rejected, 130 interrupted.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_INTERRUPTED = 130


@dataclass(frozen=True, slots=True)
class Location:
    """A position in a source file; offsets into a one-line document are columns of line 1."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input document, at a location."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class FcValidateError(Exception):
    """Base class of fcvalidate's own errors.

    `setting` names the setting at fault in the engine's own words (`operations`, `token`, `data`,
    `base_url`), or is None; the CLI and the pytest plugin show it as their own option (`--operation`,
    `--fc-operation`).
    """

    exit_code = EXIT_USAGE
    setting: str | None = None

    def lines(self) -> list[str]:
        return [str(self)]


class UsageError(FcValidateError):
    """A wrong setting, value or combination of them."""

    def __init__(self, message: str, setting: str | None = None) -> None:
        super().__init__(message)
        self.setting = setting


class DocumentError(FcValidateError):
    """One or more endpoint documents do not follow the export grammar."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.location.file, p.location.line, p.location.column))
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class ContractError(FcValidateError):
    """A compiled contract cannot be loaded, or is not a valid OpenAPI 3.1 document."""


class ImplementationError(FcValidateError):
    """The implementation under test cannot be certified at all."""

    exit_code = EXIT_UNREACHABLE

    def __init__(self, message: str, setting: str | None = None) -> None:
        super().__init__(message)
        self.setting = setting


class UnreachableError(ImplementationError):
    """Nothing answers at the base URL (refused, unresolvable, or silent)."""


class CredentialsError(ImplementationError):
    """The token endpoint refused the client credentials (the secret is never part of the message)."""
