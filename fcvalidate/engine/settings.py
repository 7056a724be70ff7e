"""What one certification run needs to know, as one immutable value; its defaults come from the table
of settings (setting_table.py), which the CLI and the pytest plugin derive their options from too."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from fcvalidate.contract.operation import Contract
from fcvalidate.conventions import DEFAULTS as CONVENTIONS
from fcvalidate.engine.credentials import Credentials
from fcvalidate.engine.data import KnownValues
from fcvalidate.engine.setting_table import DEFAULT_CONCURRENCY, DEFAULTS
from fcvalidate.requirements import RequirementId

__all__ = ["DEFAULT_CONCURRENCY", "Settings"]
T = TypeVar("T")


def _default(name: str, kind: type[T]) -> T:
    value = DEFAULTS[name]
    assert isinstance(value, kind), (name, value)
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    base_url: str
    contracts: tuple[Contract, ...]
    credentials: Credentials = field(default_factory=Credentials)
    known: KnownValues = field(default_factory=KnownValues)
    operations: tuple[str, ...] = ()  # "POST /service-orders"; empty: every operation
    seed: int = _default("seed", int)
    max_examples: int = _default("max_examples", int)
    max_concurrency: int = _default("max_concurrency", int)
    rate_limit: float | None = None  # requests per second over the whole run; None: unlimited
    timeout: float = _default("timeout", float)
    cache_dir: Path | None = None  # generated cases are kept here between runs; None: no cache
    conventions: frozenset[str] = CONVENTIONS  # accepted: a finding resting on another warns
    read_only: bool = _default("read_only", bool)  # only GET, HEAD, OPTIONS: for production
    checks: tuple[str, ...] = ()  # names of the registered checks to run; empty: every one
    exclude_checks: tuple[str, ...] = ()  # names of registered checks not to run
    # change-scoped runs: operation → the requirements re-checked there (engine.carry); absent: every one
    scope: Mapping[str, frozenset[RequirementId]] = field(default_factory=dict)

    @property
    def workers(self) -> int:
        """Deprecated name of `max_concurrency`."""
        return self.max_concurrency
