"""The check registry: `@check` registers a plain function under a stable name; it looks at one exchange
(or, run-level, across one operation's exchanges) and yields `Violation`s. A run selects checks by name;
`run_checks` and `run_operation_checks` run them under one policy. A check never raises for a finding,
never does IO.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, Literal, TypeVar, overload

from fcvalidate.contract.operation import Operation
from fcvalidate.conventions import CONVENTION, DEFAULTS, GUESSES, INFERENCE_CONVENTION
from fcvalidate.errors import UsageError
from fcvalidate.exchange import Case, Exchange, Source
from fcvalidate.requirements import RequirementId

Severity = Literal["failure", "warning"]


@dataclass(frozen=True, slots=True)
class Basis:
    """Why a finding expects what it does, as data: the policy reads these fields, never message text.

    `conventions`: ids of catalogued conventions (fcvalidate.conventions) the rule rests on where the
    document does not say it in words; `inferences`: the compiler's `x-fc-inferred` rules and `x-fc-gaps`
    it rests on; `note`: the reasoning, for the reader. The document clause is the violation's `source`.
    """

    conventions: tuple[str, ...] = ()
    inferences: tuple[str, ...] = ()
    note: str = ""

    def plus(
        self, note: str = "", *, conventions: tuple[str, ...] = (), inferences: tuple[str, ...] = ()
    ) -> Basis:
        return Basis(
            tuple(dict.fromkeys((*self.conventions, *conventions))),
            tuple(dict.fromkeys((*self.inferences, *inferences))),
            "; ".join(n for n in (self.note, note) if n),
        )

    @property
    def text(self) -> str:
        """The basis as a reader sees it: each convention's statement, then the reasoning."""
        parts = [CONVENTION[c].statement for c in self.conventions if c in CONVENTION]
        parts += [
            f"rests on the contract's inference `{i}`" for i in self.inferences if not _noted(i, self.note)
        ]
        return "; ".join([*parts, *([self.note] if self.note else [])])

    def __bool__(self) -> bool:
        return bool(self.conventions or self.inferences or self.note)


def _noted(inference: str, note: str) -> bool:
    return f"({inference})" in note or f"gap: {inference}" in note


NO_BASIS = Basis()


@dataclass(frozen=True, slots=True)
class Violation:
    """A finding about the implementation: what was expected, what happened, where, and why (clause)."""

    requirement: RequirementId
    title: str
    location: str  # request.header.Tenant / response.status / response.body.$.code
    expected: str
    actual: str
    source: Source
    severity: Severity = "failure"
    case_id: str = ""
    hint: str = ""  # how the user can make the verdict conclusive, e.g. which known values to give
    # Why the check expects this when the document does not say it in words: the conventions (an HTTP
    # rule with its RFC, ...) and the contract's inferences it rests on. Empty when `source` states the
    # rule itself; a supplier disputing a finding starts here.
    basis: Basis = NO_BASIS
    # The other cases whose answers this finding was judged with: the valid request a probe was compared
    # to, the earlier error an identifier repeats. Replay re-sends them too: one answer cannot show it.
    judged_with: tuple[str, ...] = ()
    check: str = ""  # the name of the registered check that found it (set when it runs)

    def __post_init__(self) -> None:
        if isinstance(self.basis, str):  # type: ignore[unreachable]  # a plain reason: no convention behind it
            object.__setattr__(self, "basis", Basis(note=self.basis))

    @property
    def grounded(self) -> bool:
        """It names what it rests on: a document clause, a catalogued convention, or the contract's own
        statement quoted in the note (a hand-written OpenAPI contract has no prose clause)."""
        return bool(self.source.at or self.basis.conventions or self.basis.note)


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a check may know besides the exchange: the operation and the reference valid exchange."""

    operation: Operation
    baseline: Exchange | None = None  # first valid request that succeeded, else the first valid request
    baseline_ok: bool = False
    missing_known: tuple[str, ...] = ()  # inputs with no known value (explains refused valid requests)
    conventions: frozenset[str] = DEFAULTS  # the accepted ones (fcvalidate.conventions)
    # the resource the valid requests name was given by the data file, not created by this run: it may
    # be gone (an earlier run deleted it), which says nothing about the implementation
    resource_given: bool = False
    # every valid request was answered so (404, 405, 501, undocumented): the operation does not seem to
    # be served at this base URL, which is its one finding
    not_served: str = ""


CheckFunction = Callable[[CheckContext, Exchange], Iterator[Violation]]
# A run-level check looks across the answers of one operation (an identifier two errors share): it gets
# every exchange sent for the operation, in case order, once they are all in.
OperationCheckFunction = Callable[[CheckContext, Sequence[Exchange]], Iterator[Violation]]
CheckKind = Literal["exchange", "operation"]
F = TypeVar("F", bound=Callable[..., Iterator[Violation]])


@dataclass(frozen=True, slots=True)
class RegisteredCheck:
    """A check under its stable name: `kind` "exchange" runs on each answer, "operation" once across
    all the answers of an operation."""

    name: str
    function: Callable[..., Iterator[Violation]]
    kind: CheckKind = "exchange"


class Registry:
    """The checks by name, in the order they were registered (the order their findings come in)."""

    def __init__(self) -> None:
        self._checks: dict[str, RegisteredCheck] = {}

    def register(
        self,
        function: Callable[..., Iterator[Violation]],
        *,
        name: str | None = None,
        kind: CheckKind = "exchange",
    ) -> RegisteredCheck:
        """Register `function` under `name` (default: `module.function`); a name registered again is
        replaced in place, so that re-importing a module of checks does not run them twice."""
        if kind not in ("exchange", "operation"):
            raise UsageError(
                f"check {name or function.__name__}: its kind is 'exchange' or 'operation', not {kind!r}"
            )
        entry = RegisteredCheck(name or f"{function.__module__}.{function.__name__}", function, kind)
        self._checks[entry.name] = entry
        return entry

    def unregister(self, name: str) -> RegisteredCheck:
        """Remove the check registered as `name` and return it."""
        return self._checks.pop(self._known(name, None))

    def names(self) -> tuple[str, ...]:
        return tuple(self._checks)

    def __iter__(self) -> Iterator[RegisteredCheck]:
        return iter(tuple(self._checks.values()))

    def __len__(self) -> int:
        return len(self._checks)

    def __contains__(self, name: object) -> bool:
        return name in self._checks

    def select(self, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> tuple[RegisteredCheck, ...]:
        """The checks a run runs: those named in `include` (empty: every one), less those in `exclude`,
        in registration order. An unknown name is a usage error naming the setting."""
        wanted = {self._known(n, "checks") for n in include}
        unwanted = {self._known(n, "exclude_checks") for n in exclude}
        return tuple(c for c in self if (not wanted or c.name in wanted) and c.name not in unwanted)

    def _known(self, name: str, setting: str | None) -> str:
        if name not in self._checks:
            known = ", ".join(self._checks)
            raise UsageError(f"no check is registered as {name!r} (registered: {known})", setting)
        return name


CHECKS = Registry()


@overload
def check(function: F, /) -> F: ...
@overload
def check(*, name: str | None = None, kind: CheckKind = "exchange") -> Callable[[F], F]: ...
def check(
    function: F | None = None, /, *, name: str | None = None, kind: CheckKind = "exchange"
) -> F | Callable[[F], F]:
    """Register a check, as `@check` or `@check(name="house.no-server-header", kind=...)`.

    An "exchange" check (the default) is `f(ctx, exchange)`: it runs on every answer and decides itself
    what it applies to. An "operation" check is `f(ctx, exchanges)`: it runs once per operation across
    all its answers. Both yield `Violation`s; the same policy (`by_policy`) grades what they find."""

    def register(f: F) -> F:
        CHECKS.register(f, name=name, kind=kind)
        return f

    return register if function is None else register(function)


def unregister(name: str) -> None:
    """Remove a registered check (a built-in one too) for every later run."""
    CHECKS.unregister(name)


def run_checks(
    ctx: CheckContext, exchange: Exchange, checks: Iterable[RegisteredCheck] | None = None
) -> list[Violation]:
    """The exchange checks of `checks` (default: every registered one) on one exchange. A check that
    raises is a bug in that check, not a finding about the implementation: it is reported as a warning
    naming the check, and the run goes on. A failure that rests on a convention the user has not
    accepted is a warning (the policy, once)."""
    selected = CHECKS if checks is None else checks
    return [v for c in selected if c.kind == "exchange" for v in _found(c, ctx, exchange, exchange.case)]


def run_operation_checks(
    ctx: CheckContext, exchanges: Sequence[Exchange], checks: Iterable[RegisteredCheck] | None = None
) -> list[Violation]:
    """The operation checks of `checks` (default: every registered one) across one operation's
    exchanges, under the same policy. A finding that names no case is placed on the first."""
    if not exchanges:
        return []
    selected = CHECKS if checks is None else checks
    first = exchanges[0].case
    return [v for c in selected if c.kind == "operation" for v in _found(c, ctx, exchanges, first)]


def _found(registered: RegisteredCheck, ctx: CheckContext, subject: Any, case: Case) -> list[Violation]:
    watched = _Watched(*(getattr(ctx, f.name) for f in fields(CheckContext)))
    try:
        found = list(registered.function(watched, subject))
    except Exception as exc:
        found = [_broken_check(registered.name, exc, case)]
    base = ctx.baseline.case.id if ctx.baseline is not None and watched.looked else None
    return [_by_policy(_placed(v, case.id, base, registered.name), ctx) for v in found]


class _Watched(CheckContext):
    """The context as a check sees it, noting whether the check looked at the valid request (its
    answer, or whether any succeeded): what it found then rests on that answer too."""

    looked = False

    def __getattribute__(self, name: str) -> Any:
        if name in ("baseline", "baseline_ok"):
            object.__setattr__(self, "looked", True)
        return super().__getattribute__(name)


def _placed(violation: Violation, case_id: str, baseline: str | None, check: str) -> Violation:
    """The violation with its case, the other cases it rests on (`judged_with`) and its check's name."""
    case_id = violation.case_id or case_id
    judged_with = dict.fromkeys((*((baseline,) if baseline else ()), *violation.judged_with))
    others = tuple(c for c in judged_with if c != case_id)
    return replace(violation, case_id=case_id, judged_with=others, check=check)


def by_policy(violation: Violation, accepted_ids: frozenset[str] = DEFAULTS) -> Violation:
    """The policy, once: a failure needs a basis that is a document clause or accepted conventions. One
    that rests on a convention not accepted, or on a compiler guess (an inference no accepted convention
    backs, a gap), or on nothing at all, is a warning that says why."""
    why = _unfounded(violation, accepted_ids) if violation.severity == "failure" else []
    if not why:
        return violation
    hint = "a warning: " + "; ".join(why)
    return replace(violation, severity="warning", hint="; ".join(h for h in (violation.hint, hint) if h))


def _unfounded(violation: Violation, accepted_ids: frozenset[str]) -> list[str]:
    """Why a failure cannot stand as one under the accepted conventions (nothing: it stands)."""
    why = []
    conventions = [c for c in violation.basis.conventions if c not in accepted_ids]
    if conventions:
        why.append(f"it rests on {', '.join(conventions)}, a convention not accepted (--conventions)")
    guesses = [i for i in violation.basis.inferences if INFERENCE_CONVENTION.get(i) not in accepted_ids]
    if guesses:
        said = "; ".join(f"{i}: {GUESSES.get(i, 'the document does not say it')}" for i in guesses)
        why.append(f"a documentation gap: it rests on the compiler's guess, not on the document ({said})")
    if not violation.grounded:
        why.append("no document clause, contract statement or catalogued convention states it")
    return why


def _by_policy(violation: Violation, ctx: CheckContext) -> Violation:
    return by_policy(violation, ctx.conventions)


def _broken_check(name: str, exc: Exception, case: Case) -> Violation:
    return Violation(
        case.requirement,
        f"The check {name} raised {type(exc).__name__}",
        "check",
        "the check to finish",
        f"{type(exc).__name__}: {exc}",
        case.source,
        "warning",
    )
