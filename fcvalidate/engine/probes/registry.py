"""The probe kinds, each one unit: the cases it derives from a valid request and the judge of their
answers side by side, registered by name; `probe_cases` builds every registered kind, in the order
registered, and the outcome oracle (fcvalidate.checks.outcome) judges each case with its kind's judge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from fcvalidate.checks.outcome import JUDGES, Judge
from fcvalidate.contract.operation import Operation
from fcvalidate.engine.data import OperationValues
from fcvalidate.engine.generate import DrawSource
from fcvalidate.engine.probes.parts import RequestParts, request_parts, with_fresh_identifiers
from fcvalidate.exchange import Case
from fcvalidate.requirements import RequirementId as R


@dataclass(frozen=True, slots=True)
class Skip:
    """A requirement a builder cannot test on this operation, and why (shown as the verdict's reason)."""

    requirement: R
    reason: str


@dataclass(frozen=True, slots=True)
class ProbeInput:
    """What a probe kind builds its cases from: the operation, the valid request they derive from (`ref`),
    the inputs of the valid requests (`parts`), the known values, and the run's settings."""

    op: Operation
    ref: Case
    strategies: DrawSource
    values: OperationValues
    count: int
    seed: int
    parts: RequestParts
    baseline_ok: bool = True  # a valid request succeeded: there is something to replay
    documented_methods: tuple[str, ...] = ()  # the methods the documents give on this path
    read_only: bool = False


Builder = Callable[[ProbeInput], Sequence[Case] | Skip]


@dataclass(frozen=True, slots=True)
class ProbeKind:
    """One probe kind: `build` makes its cases (or says why it cannot: `Skip`); `judges` names the case
    kinds it makes and the judge of each one's answers. A kind without `build` only judges cases made
    elsewhere (the valid requests come first: every probe derives from one of their answers)."""

    name: str
    judges: Mapping[str, Judge]
    build: Builder | None = None
    order: int = 1000  # where it is built among the kinds (the built-in ones: 0–110); a tie: as registered


_KINDS: dict[str, ProbeKind] = {}


def register(kind: ProbeKind) -> ProbeKind:
    """Add a probe kind: built after those registered before it. Its name and case kinds must be new."""
    taken = sorted(set(kind.judges) & set(JUDGES))
    if kind.name in _KINDS or taken:
        raise ValueError(f"probe kind {kind.name!r}: already registered ({', '.join(taken) or kind.name})")
    _KINDS[kind.name] = kind
    JUDGES.update(kind.judges)
    return kind


def unregister(name: str) -> ProbeKind:
    """Remove a probe kind and its judges; the kind removed."""
    kind = _KINDS.pop(name)
    for case_kind in kind.judges:
        JUDGES.pop(case_kind, None)
    return kind


def probe_kind(name: str) -> ProbeKind:
    return _KINDS[name]


def probe_kinds() -> tuple[ProbeKind, ...]:
    """Every registered probe kind, in the order they are built."""
    return tuple(sorted(_KINDS.values(), key=lambda kind: kind.order))


@dataclass(frozen=True, slots=True)
class Probes:
    cases: list[Case]
    skips: dict[R, str]


def probe_cases(
    op: Operation,
    reference: Case,
    strategies: DrawSource,
    values: OperationValues,
    count: int,
    seed: int,
    baseline_ok: bool = True,
    documented_methods: Iterable[str] = (),
    parts: RequestParts | None = None,
    read_only: bool = False,
) -> Probes:
    """Every probe derived from the reference valid request; a kind with nothing to test says why."""
    given = ProbeInput(
        op,
        reference,
        strategies,
        values,
        count,
        seed,
        parts or request_parts(op, values),
        baseline_ok,
        tuple(documented_methods),
        read_only,
    )
    built = [kind.build(given) for kind in probe_kinds() if kind.build is not None]
    cases = [case for b in built if not isinstance(b, Skip) for case in b]
    cases = with_fresh_identifiers(op, values, cases, seed, reference)
    return Probes(cases, {b.requirement: b.reason for b in built if isinstance(b, Skip)})
