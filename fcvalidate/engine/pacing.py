"""Pacing shared by every worker of a run: an optional rate limit, and a pause when the implementation
answers 429 with `Retry-After`. Waiting is sleeping (on the run's stop event), never spinning.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable

MAX_RETRY_AFTER = 30.0  # seconds: a longer Retry-After is waited this long, then the case is resent
MAX_RETRIES = 5  # 429s waited out for one case; the next 429 is its answer, judged like any other
DEFAULT_RETRY_AFTER = 1.0  # a 429 without a readable Retry-After


def retry_after(value: str | None, now: float | None = None) -> float:
    """Seconds to wait for a `Retry-After` value (delay-seconds or an HTTP date), capped."""
    if value is None:
        return DEFAULT_RETRY_AFTER
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return DEFAULT_RETRY_AFTER
        if when.tzinfo is None:  # an HTTP date is GMT; a zone-less one is read as such
            return DEFAULT_RETRY_AFTER
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return DEFAULT_RETRY_AFTER
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


class Pacer:
    """Hands out send slots: at most `rate` per second (a token bucket of one token: requests are
    spread evenly, no bursts), and none before a pause a 429 asked for has passed.

    `clock` and `wait` are injectable for tests; `wait(seconds)` returns True when the run is stopped.
    """

    def __init__(
        self,
        rate: float | None = None,
        stop: threading.Event | None = None,
        clock: Callable[[], float] = time.monotonic,
        wait: Callable[[float], bool] | None = None,
    ) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self._clock = clock
        self._stop = stop or threading.Event()
        self._wait = wait or self._stop.wait
        self._lock = threading.Lock()
        self._next = float("-inf")  # the earliest moment the next request may leave
        self._paused_until = float("-inf")

    def acquire(self) -> bool:
        """Wait for a slot; False if the run was stopped meanwhile."""
        while True:
            with self._lock:
                now = self._clock()
                at = max(now, self._next, self._paused_until)
                if at <= now:
                    self._next = now + self.interval
                    return not self._stop.is_set()
                if self._paused_until <= now:  # a rate-limit slot: reserve it, sleep until it
                    self._next = at + self.interval
                    reserved = True
                else:
                    reserved = False  # paused: every worker sleeps, then competes for slots again
            if self._wait(at - now):
                return False
            if reserved:
                return not self._stop.is_set()

    def pause(self, seconds: float) -> None:
        """Hold every worker off for `seconds` from now (the implementation said 429 Retry-After)."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)
