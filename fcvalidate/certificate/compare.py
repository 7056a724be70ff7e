"""A certificate against what the operator has now: the contracts it was made for, and a re-run's verdicts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from fcvalidate.certificate.statement import operation_digests
from fcvalidate.contract.operation import Contract


def stale(statement: Mapping[str, Any], contracts: Iterable[Contract]) -> Iterator[str]:
    """Each subject that is not among the operator's contracts as it was certified: a changed contract
    names every operation whose part of it changed, and the operations added or removed."""
    ours = {c.name: c for c in contracts}
    certified: dict[str, dict[str, str]] = {}
    for op in statement["predicate"]["operations"]:
        certified.setdefault(op["contract"], {})[op["operation"]] = op["sha256"]
    subjects = {s["name"]: s["digest"].get("sha256") for s in statement["subject"]}
    for name, digest in subjects.items():
        contract = ours.get(name)
        if contract is None:
            yield f"contract {name}: certified, but not among the operator's contracts"
        elif contract.sha256 != digest:
            yield from _changed(name, operation_digests(contract), certified.get(name, {}))
    for name in sorted(set(ours) - set(subjects)):
        yield f"contract {name}: not covered by the certificate"


def differences(predicate: Mapping[str, Any], results: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """Every verdict a re-run gives differently from the certificate, one line each."""
    then = {(r["operation"], r["requirement"]): r["status"] for r in predicate["results"]}
    now = {(r["operation"], r["requirement"]): r["status"] for r in results}
    for key in [*then, *(k for k in now if k not in then)]:
        before, after = then.get(key, "not certified"), now.get(key, "not re-checked")
        if before != after:
            yield f"re-check: {key[0]}::{key[1]} was {before}, is {after} now"


def _changed(name: str, now: Mapping[str, str], then: Mapping[str, str]) -> list[str]:
    """The operations of a changed contract that changed, were added or removed (or, none: the file)."""
    changed = [
        f"stale: {label} ({name}): its contract changed since the certificate"
        for label in now
        if label in then and now[label] != then[label]
    ]
    changed += [f"stale: {label} ({name}): added since the certificate" for label in now if label not in then]
    changed += [
        f"stale: {label} ({name}): removed since the certificate" for label in then if label not in now
    ]
    return changed or [f"stale: {name} changed since the certificate (no operation's part of it changed)"]
