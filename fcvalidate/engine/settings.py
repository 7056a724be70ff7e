"""What one certification run needs to know, as one immutable value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fcvalidate.contract.operation import Contract
from fcvalidate.conventions import DEFAULTS
from fcvalidate.engine.credentials import Credentials
from fcvalidate.engine.data import KnownValues
from fcvalidate.requirements import RequirementId

DEFAULT_CONCURRENCY = 16


@dataclass(frozen=True, slots=True)
class Settings:
    base_url: str
    contracts: tuple[Contract, ...]
    credentials: Credentials = field(default_factory=Credentials)
    known: KnownValues = field(default_factory=KnownValues)
    operations: tuple[str, ...] = ()  # "POST /service-orders"; empty: every operation
    seed: int = 0
    max_examples: int = 20
    max_concurrency: int = (
        DEFAULT_CONCURRENCY  # requests in flight at once: hides a remote implementation's latency
    )
    rate_limit: float | None = None  # requests per second over the whole run; None: unlimited
    timeout: float = 5.0
    cache_dir: Path | None = None  # generated cases are kept here between runs; None: no cache
    conventions: frozenset[str] = DEFAULTS  # accepted: a finding resting on another warns
    read_only: bool = False  # no request that may change data (only GET, HEAD, OPTIONS): for production
    # change-scoped runs: operation → the requirements re-checked there (engine.carry); absent: every one
    scope: Mapping[str, frozenset[RequirementId]] = field(default_factory=dict)

    @property
    def workers(self) -> int:
        """Deprecated name of `max_concurrency`."""
        return self.max_concurrency
