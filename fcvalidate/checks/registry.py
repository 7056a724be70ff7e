"""The check registry: `@check` registers a plain function that looks at one exchange and yields
`Violation`s; `run_checks` runs every registered check. A check never raises for a finding, never does IO.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from fcvalidate.contract.operation import Operation
from fcvalidate.conventions import CONVENTION, DEFAULTS, GUESSES, INFERENCE_CONVENTION
from fcvalidate.exchange import Exchange, Source
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

CHECKS: list[CheckFunction] = []


def check(function: CheckFunction) -> CheckFunction:
    """Register a check; it runs on every exchange and decides itself what it applies to."""
    CHECKS.append(function)
    return function


def run_checks(ctx: CheckContext, exchange: Exchange) -> list[Violation]:
    """Every registered check on one exchange. A check that raises is a bug in that check, not a
    finding about the implementation: it is reported as a warning naming the check, and the run goes on.
    A failure that rests on a convention the user has not accepted is a warning (the policy, once)."""
    out: list[Violation] = []
    for function in CHECKS:
        watched = _Watched(*(getattr(ctx, f.name) for f in fields(CheckContext)))
        try:
            found = list(function(watched, exchange))
        except Exception as exc:
            found = [_broken_check(function, exc, exchange)]
        base = ctx.baseline.case.id if ctx.baseline is not None and watched.looked else None
        out.extend(_by_policy(_placed(v, exchange.case.id, base), ctx) for v in found)
    return out


class _Watched(CheckContext):
    """The context as a check sees it, noting whether the check looked at the valid request (its
    answer, or whether any succeeded): what it found then rests on that answer too."""

    looked = False

    def __getattribute__(self, name: str) -> Any:
        if name in ("baseline", "baseline_ok"):
            object.__setattr__(self, "looked", True)
        return super().__getattribute__(name)


def _placed(violation: Violation, case_id: str, baseline: str | None) -> Violation:
    """The violation with its case, and the other cases it rests on (`judged_with`)."""
    case_id = violation.case_id or case_id
    judged_with = dict.fromkeys((*((baseline,) if baseline else ()), *violation.judged_with))
    return replace(violation, case_id=case_id, judged_with=tuple(c for c in judged_with if c != case_id))


def by_policy(violation: Violation, accepted_ids: frozenset[str] = DEFAULTS) -> Violation:
    """The policy, once: a failure needs a basis that is a document clause or accepted conventions. One
    that rests on a convention not accepted, or on a compiler guess (an inference no accepted convention
    backs, a gap), or on nothing at all, is a warning that says why."""
    if violation.severity != "failure":
        return violation
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
    if not why:
        return violation
    hint = "a warning: " + "; ".join(why)
    return replace(violation, severity="warning", hint="; ".join(h for h in (violation.hint, hint) if h))


def _by_policy(violation: Violation, ctx: CheckContext) -> Violation:
    return by_policy(violation, ctx.conventions)


def _broken_check(function: CheckFunction, exc: Exception, exchange: Exchange) -> Violation:
    name = getattr(function, "__qualname__", repr(function))
    return Violation(
        exchange.case.requirement,
        f"The check {name} raised {type(exc).__name__}",
        "check",
        "the check to finish",
        f"{type(exc).__name__}: {exc}",
        exchange.case.source,
        "warning",
    )
