"""Where the runner gets its generated requests: the disk cache, else Hypothesis, drawn ahead.

Every draw runs on one background thread, in the order the run will need them, so generation overlaps
sending (the next operation is drawn while this one's requests are in flight) and Hypothesis never runs
on two threads at once. A draw depends only on its key (contract, operation, mode, count, seed), never
on timing, so the same seed gives the same cases whatever the concurrency.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from fcvalidate.contract.operation import Contract, Operation
from fcvalidate.engine.cache import DrawCache, cache_key
from fcvalidate.engine.generate import Draw, Strategies

DrawKey = tuple[str, str, str, int, int]  # contract, operation, mode, count, seed


class DrawSupply:
    def __init__(self, contracts: Iterable[Contract], cache: DrawCache) -> None:
        contracts = list(contracts)
        self.strategies = {c.name: Strategies(c) for c in contracts}
        self.sha256 = {c.name: c.sha256 for c in contracts}
        self.cache = cache
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fcvalidate-generate")
        self._futures: dict[DrawKey, Future[list[Draw]]] = {}

    def plan(self, op: Operation, mode: str, count: int, seed: int) -> None:
        """Start drawing now, behind whatever is already planned."""
        key = (op.contract, op.label, mode, count, seed)
        if key not in self._futures:
            self._futures[key] = self._pool.submit(self._draw, op, mode, count, seed)

    def draw(self, op: Operation, mode: str, count: int, seed: int) -> list[Draw]:
        """`Strategies.draw`, from the cache when it holds it (waits for a planned draw to finish)."""
        self.plan(op, mode, count, seed)
        return self._futures.pop((op.contract, op.label, mode, count, seed)).result()

    def close(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)

    def _draw(self, op: Operation, mode: str, count: int, seed: int) -> list[Draw]:
        if count <= 0:
            return []
        key = cache_key(self.sha256[op.contract], op.label, mode, seed, count)
        draws = self.cache.get(key)
        if draws is None:
            draws = self.strategies[op.contract].draw(op, mode, count, seed)
            self.cache.put(key, draws)
        return draws
