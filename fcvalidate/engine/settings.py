"""What one certification run needs to know, as one immutable value."""

from __future__ import annotations

from dataclasses import dataclass, field

from fcvalidate.contract.operation import Contract
from fcvalidate.engine.credentials import Credentials
from fcvalidate.engine.data import KnownValues


@dataclass(frozen=True, slots=True)
class Settings:
    base_url: str
    contracts: tuple[Contract, ...]
    credentials: Credentials = field(default_factory=Credentials)
    known: KnownValues = field(default_factory=KnownValues)
    operations: tuple[str, ...] = ()  # "POST /service-orders"; empty: every operation
    seed: int = 0
    max_examples: int = 20
    workers: int = 2
    timeout: float = 5.0
