"""Pacing: Retry-After parsing, the shared rate limit (on an injected clock, then for real), and 429
answers waited out and resent, never a finding."""

from __future__ import annotations

import email.utils
import itertools
import json
import threading
import time

from fcvalidate.engine.pacing import DEFAULT_RETRY_AFTER, MAX_RETRIES, MAX_RETRY_AFTER, Pacer, retry_after
from fcvalidate.report import write_reports
from fcvalidate.server import serve_in_background
from tests.conftest import TOKEN, statuses
from tests.throttled import Gate, serve_gated

SPA = "POST /service-problem-amendments"


def test_retry_after_seconds_date_cap_and_garbage():
    assert retry_after("2") == 2.0
    assert retry_after(" 0.5 ") == 0.5
    assert retry_after("-3") == 0.0
    assert retry_after("86400") == MAX_RETRY_AFTER
    now = 1_800_000_000.0
    assert retry_after(email.utils.formatdate(now + 7, usegmt=True), now=now) == 7.0
    assert retry_after(email.utils.formatdate(now - 7, usegmt=True), now=now) == 0.0
    assert retry_after(email.utils.formatdate(now + 3600, usegmt=True), now=now) == MAX_RETRY_AFTER
    for odd in (None, "", "soon", "nan", "Wed, 99 Foo 2026 99:99:99 GMT"):
        assert retry_after(odd) == DEFAULT_RETRY_AFTER


class FakeTime:
    """A clock that only moves when someone sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []
        self.lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def wait(self, seconds: float) -> bool:
        with self.lock:
            self.sleeps.append(seconds)
            self.now += seconds
        return False


def test_rate_limit_spreads_requests_evenly_by_sleeping():
    t = FakeTime()
    pacer = Pacer(rate=4, clock=t.clock, wait=t.wait)
    released = []
    for _ in range(9):
        assert pacer.acquire()
        released.append(t.now)
    assert [round(b - a, 6) for a, b in itertools.pairwise(released)] == [0.25] * 8
    assert all(s > 0 for s in t.sleeps)  # it slept; it never polled


def test_unlimited_never_sleeps_and_a_pause_holds_everyone():
    t = FakeTime()
    pacer = Pacer(rate=None, clock=t.clock, wait=t.wait)
    for _ in range(100):
        assert pacer.acquire()
    assert t.sleeps == []
    pacer.pause(3.0)
    start = t.now
    assert pacer.acquire()
    assert t.now - start == 3.0


def test_a_stopped_run_stops_waiting():
    stop = threading.Event()
    pacer = Pacer(rate=0.1, stop=stop)  # one request per 10 s
    assert pacer.acquire()
    threading.Timer(0.05, stop.set).start()
    start = time.monotonic()
    assert not pacer.acquire()
    assert time.monotonic() - start < 5


def test_rate_limit_against_a_real_server(run_certify):
    gate = Gate(refuse=lambda n: None)
    with serve_gated(gate, tokens=(TOKEN,)) as url:
        start = time.monotonic()
        result = run_certify(url, operations=[SPA], max_examples=3, rate_limit=40, max_concurrency=8)
        elapsed = time.monotonic() - start
    n = len(gate.seen)
    assert n == result.cases_sent > 20
    # 40 per second: n requests need at least (n - 1) / 40 s, however fast the server (generous margin).
    assert elapsed >= 0.8 * (n - 1) / 40


def test_429_with_retry_after_is_waited_out_and_the_same_case_resent(run_certify, tmp_path):
    # Every 5th request is refused: with a delay in seconds, or an HTTP date already past.
    past = email.utils.formatdate(time.time() - 60, usegmt=True)
    gate = Gate(refuse=lambda n: None if n % 5 else ("0.01" if n % 10 else past))
    with serve_gated(gate, tokens=(TOKEN,)) as url:
        result = run_certify(url, seed=11, max_concurrency=16)
    with serve_in_background(tokens=(TOKEN,)) as url:
        plain = run_certify(url, seed=11, max_concurrency=16)
    refused = [request for request, was_429 in gate.seen if was_429]
    assert refused and result.rate_limited == len(refused)
    answered = [request for request, was_429 in gate.seen if not was_429]
    for request in refused:  # each refused request came back byte for byte
        assert request in answered
    assert len(answered) == result.cases_sent == plain.cases_sent
    assert statuses(result) == statuses(plain) and result.verdict == "conformant"  # never a finding
    write_reports(result, tmp_path)
    assert json.loads((tmp_path / "report.json").read_text())["run"]["rate_limited"] == len(refused)
    assert "answered 429" in (tmp_path / "summary.md").read_text()


def test_a_case_still_refused_after_the_retries_is_judged_on_its_429(run_certify):
    gate = Gate(refuse=lambda n: "0")  # every request, forever
    with serve_gated(gate, tokens=(TOKEN,)) as url:
        result = run_certify(url, operations=[SPA], max_examples=1, max_concurrency=4)
    assert result.rate_limited == MAX_RETRIES * result.cases_sent > 0
    assert len(gate.seen) == (MAX_RETRIES + 1) * result.cases_sent
    assert statuses(result)[f"{SPA}::valid-requests"] == "failed"  # an implementation that never answers
