"""The operator's policy: what a certificate must show to be accepted, as data (a YAML file)::

    must_pass: true               # every MUST requirement passed (default true)
    may_skip: [invalid-requests, "POST /service-orders::tenant-isolation"]   # skips allowed
    may_warn: ["POST /service-orders::valid-requests"]   # MUSTs that may end as a warning (a gap)
    min_max_examples: 20          # the least budget (generated requests per operation and mode)
    max_age: 30d                  # since the run finished: 90s, 45m, 12h, 30d (default: no limit)
    min_fcvalidate_version: 0.1.0
    required_conventions: [http]  # conventions (groups or ids) the run must have accepted

Without a policy file only the verdict counts: the certificate must say "conformant".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from packaging.version import InvalidVersion, Version

from fcvalidate.conventions import accepted
from fcvalidate.errors import UsageError

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_KEYS = (
    "must_pass",
    "may_skip",
    "may_warn",
    "min_max_examples",
    "max_age",
    "min_fcvalidate_version",
    "required_conventions",
)


class PolicyError(ValueError):
    """A policy file that does not say what it means; the message names the key."""


@dataclass(frozen=True, slots=True)
class Policy:
    must_pass: bool = False
    may_skip: tuple[str, ...] = ()  # requirement ids (any operation) or OPERATION::ID
    may_warn: tuple[str, ...] = ()
    min_max_examples: int | None = None
    max_age: dt.timedelta | None = None
    min_fcvalidate_version: Version | None = None
    required_conventions: frozenset[str] = frozenset()

    @classmethod
    def from_mapping(cls, data: Any) -> Policy:
        data = _policy_mapping(data)
        # checked in this order, so a file with several mistakes is told the first one
        return cls(
            must_pass=_must_pass(data.get("must_pass", True)),
            may_skip=_labels(data, "may_skip"),
            may_warn=_labels(data, "may_warn"),
            min_max_examples=_positive(data.get("min_max_examples")),
            min_fcvalidate_version=_version(data.get("min_fcvalidate_version")),
            required_conventions=_required_conventions(data.get("required_conventions") or []),
            max_age=_duration(data.get("max_age")),
        )

    def allows(self, status: str, operation: str, requirement: str) -> bool:
        allowed = self.may_skip if status == "skipped" else self.may_warn
        return requirement in allowed or f"{operation}::{requirement}" in allowed


def _policy_mapping(data: Any) -> Mapping[str, Any]:
    data = {} if data is None else data
    if not isinstance(data, Mapping):
        raise PolicyError(f"expected a mapping with keys {', '.join(_KEYS)}")
    unknown = sorted(str(k) for k in set(data) - set(_KEYS))
    if unknown:
        raise PolicyError(f"unknown key(s) {', '.join(unknown)} (known: {', '.join(_KEYS)})")
    return data


def _must_pass(value: Any) -> bool:
    if not isinstance(value, bool):
        raise PolicyError("must_pass: expected true or false")
    return value


def _positive(budget: Any) -> int | None:
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, int) or budget < 1):
        raise PolicyError(f"min_max_examples: expected a positive integer, got {budget!r}")
    return budget


def _labels(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    labels = data.get(key) or []
    if not isinstance(labels, list) or not all(isinstance(s, str) and s for s in labels):
        raise PolicyError(f"{key}: expected a list of requirement ids or OPERATION::ID")
    return tuple(labels)


def _version(version: Any) -> Version | None:
    try:
        return Version(str(version)) if version is not None else None
    except InvalidVersion:
        raise PolicyError(f"min_fcvalidate_version: not a version: {version!r}") from None


def _required_conventions(conventions: Any) -> frozenset[str]:
    if not isinstance(conventions, list) or not all(isinstance(c, str) for c in conventions):
        raise PolicyError("required_conventions: expected a list of convention groups or ids")
    try:
        return accepted(conventions)
    except UsageError as exc:
        raise PolicyError(f"required_conventions: {exc}") from None


def _duration(value: Any) -> dt.timedelta | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return dt.timedelta(days=value)
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd])\s*", str(value))
    if not match or float(match[1]) <= 0:
        raise PolicyError(f"max_age: expected a duration like 90s, 45m, 12h or 30d, got {value!r}")
    return dt.timedelta(seconds=float(match[1]) * _UNITS[match[2]])


def refusals(predicate: Mapping[str, Any], policy: Policy, now: dt.datetime) -> Iterator[str]:
    """Each way the certificate falls short of the policy, one line each."""
    for rule in _RULES:
        yield from rule(predicate, policy, now)


def _failed(predicate: Mapping[str, Any], policy: Policy, now: dt.datetime) -> Iterator[str]:
    failed = [r for r in predicate["results"] if r["status"] == "failed"]
    for r in failed:
        yield f"policy: {r['level']} {r['operation']}::{r['requirement']} failed"
    if predicate["verdict"] != "conformant" and not failed:
        yield f"policy: the verdict is {predicate['verdict']}, not conformant"


def _not_passed(predicate: Mapping[str, Any], policy: Policy, now: dt.datetime) -> Iterator[str]:
    """With must_pass, a MUST skipped or warned that the policy does not excuse."""
    shortfalls = [
        r for r in predicate["results"] if r["level"] == "MUST" and r["status"] in ("skipped", "warning")
    ]
    for r in shortfalls if policy.must_pass else ():
        if not policy.allows(r["status"], r["operation"], r["requirement"]):
            why = f" ({r['reason']})" if r["reason"] else ""
            key = "may_skip" if r["status"] == "skipped" else "may_warn"
            yield f"policy: MUST {r['operation']}::{r['requirement']} {r['status']}{why}; {key} does not allow it"


def _left_out(predicate: Mapping[str, Any], policy: Policy, now: dt.datetime) -> Iterator[str]:
    run = {r["operation"] for r in predicate["results"]}
    for op in predicate["operations"] if policy.must_pass else ():
        if op["operation"] not in run:
            yield f"policy: {op['operation']} ({op['contract']}) was not certified: the run left it out"


def _below_budget(predicate: Mapping[str, Any], policy: Policy, now: dt.datetime) -> Iterator[str]:
    budget = predicate["settings"]["max_examples"]
    if policy.min_max_examples is not None and budget < policy.min_max_examples:
        yield f"policy: budget --max-examples {budget} is below the minimum {policy.min_max_examples}"


def _expired(predicate: Mapping[str, Any], policy: Policy, now: dt.datetime) -> Iterator[str]:
    if policy.max_age is None:
        return
    age = now - dt.datetime.fromisoformat(predicate["finished"].replace("Z", "+00:00"))
    if age > policy.max_age:
        yield (
            f"policy: expired: certified {predicate['finished']}, {_human(age)} ago; "
            f"max_age is {_human(policy.max_age)}"
        )


def _too_old(predicate: Mapping[str, Any], policy: Policy, now: dt.datetime) -> Iterator[str]:
    if policy.min_fcvalidate_version is None:
        return
    version = predicate["tool"]["fcvalidate"]
    try:
        too_old = Version(version) < policy.min_fcvalidate_version
    except InvalidVersion:
        too_old = True
    if too_old:
        yield f"policy: made with fcvalidate {version}, older than {policy.min_fcvalidate_version}"


def _conventions(predicate: Mapping[str, Any], policy: Policy, now: dt.datetime) -> Iterator[str]:
    missing = sorted(policy.required_conventions - set(predicate["settings"]["conventions"]))
    if missing:
        yield f"policy: the run did not accept the required convention(s) {', '.join(missing)}"


_Rule = Callable[[Mapping[str, Any], Policy, dt.datetime], Iterator[str]]
_RULES: tuple[_Rule, ...] = (_failed, _not_passed, _left_out, _below_budget, _expired, _too_old, _conventions)


def _human(delta: dt.timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f}{unit}".replace(".0", "")
    return f"{seconds}s"
