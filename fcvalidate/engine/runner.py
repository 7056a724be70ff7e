"""The certify engine: settings → a stream of events ending in a `RunResult`.

`Run` is an iterable of events with `stop()`; the CLI, the reporters, the pytest plugin and
`fcvalidate.certify` all consume the same stream. Per operation: valid requests first (their outcome
decides what a later rejection proves), then every probe derived from a valid request, sent by
`max_concurrency` threads over one keep-alive client, paced by a shared rate limit and the implementation's
429 Retry-After. Generated requests come from the disk cache or a background generator thread (supply.py).
Results are ordered by case, so the same seed gives the same cases and the same verdict whatever the
scheduling.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fcvalidate.checks import CheckContext, Violation, run_checks
from fcvalidate.checks.error_body import repeated_error_ids
from fcvalidate.checks.registry import by_policy
from fcvalidate.contract.operation import Contract, Operation
from fcvalidate.engine import paging, probes
from fcvalidate.engine.cache import DrawCache
from fcvalidate.engine.credentials import option_for
from fcvalidate.engine.events import (
    CaseFinished,
    Event,
    OperationFinished,
    PhaseStarted,
    RunFinished,
    RunResult,
    RunStarted,
)
from fcvalidate.engine.pacing import MAX_RETRIES, Pacer, retry_after
from fcvalidate.engine.preconditions import not_served, refuse_rejected_credentials, refuse_unserved_base_url
from fcvalidate.engine.settings import Settings
from fcvalidate.engine.supply import DrawSupply
from fcvalidate.engine.transport import Transport
from fcvalidate.engine.verdict import RequirementResult, judge
from fcvalidate.errors import CredentialsError, FcValidateError, UsageError
from fcvalidate.exchange import Case, Exchange
from fcvalidate.requirements import REQUIREMENTS
from fcvalidate.requirements import RequirementId as R

LOOKAHEAD = 1  # operations whose requests are drawn ahead of the one being sent
SILENCE_LIMIT = 3  # requests of one operation with no response before the engine stops sending to it


def select_operations(contracts: Sequence[Contract], labels: Sequence[str]) -> list[Operation]:
    ops = [op for contract in contracts for op in contract.operations]
    if not labels:
        return ops
    wanted: list[Operation] = []
    for label in labels:
        method, _, path = label.strip().partition(" ")
        match = [op for op in ops if op.method == method.upper() and op.path == path.strip()]
        if not match:
            known = ", ".join(f'"{op.label}"' for op in ops)
            raise UsageError(f"operation {label!r} is not in the contracts (known: {known})", "operations")
        wanted.extend(m for m in match if m not in wanted)
    return wanted


class Run:
    """One certification as a stream of events. Iterate it once; `stop()` (from any thread, or after a
    Ctrl-C in the consumer) ends it early: what was gathered is judged and the result is incomplete."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.operations = probes.in_run_order(select_operations(settings.contracts, settings.operations))
        settings.known.check_names(op for contract in settings.contracts for op in contract.operations)
        for op in self.operations:  # each operation has a credential for one of its schemes
            try:
                settings.credentials.credential_for(op)
            except UsageError:
                if settings.credentials.given or any(sc.kind != "bearer" for sc in op.security):
                    raise
                raise UsageError(
                    "the contracts require a bearer token, and none was given "
                    "(a token, or a token URL with client credentials)",
                    "token",
                ) from None
        self.api_keys = settings.credentials.api_keys_by_scheme(
            op for contract in settings.contracts for op in contract.operations
        )
        settings.credentials.check_basic(op for contract in settings.contracts for op in contract.operations)
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def __iter__(self) -> Iterator[Event]:
        s = self.settings
        # No generation thread before the try below: its finally is what guarantees the thread never
        # outlives the run (Hypothesis changes the recursion limit while it draws, which a thread parsing
        # Python source at the same time cannot survive).
        supply = DrawSupply(s.contracts, DrawCache(s.cache_dir))
        pacer = Pacer(s.rate_limit, self._stop)
        methods_by_path: dict[str, set[str]] = {}
        for contract in s.contracts:  # every documented method, selected or not, is never probed as "other"
            for op in contract.operations:
                methods_by_path.setdefault(op.path, set()).add(op.method)
        started = time.time()
        results: list[RequirementResult] = []
        referenced: dict[str, Exchange] = {}
        created: dict[str, Any] = {}  # collection path → what a POST on it answered
        sent = 0
        secrets = s.credentials.secrets()
        pool = ThreadPoolExecutor(max_workers=max(s.max_concurrency, 1), thread_name_prefix="fcvalidate")
        current: _OperationRun | None = None
        done: set[str] = set()
        unserved: list[str] = []  # operations every valid request of which was answered 404, 405 or 501
        retried = 0
        announced = False
        aborted: FcValidateError | None = None
        with Transport(s.base_url, s.timeout) as transport:
            try:
                transport.preflight()
                transport.token = s.credentials.obtain_token(transport.client, s.base_url)
                transport.api_keys = self.api_keys
                transport.basic = s.credentials.basic
                secrets += (transport.token,) if transport.token else ()
                yield RunStarted(s.base_url, s.seed, tuple(op.label for op in self.operations), started)
                announced = True
                for n, op in enumerate(self.operations):
                    if self.stopped:
                        break
                    # Draw this operation's requests and the next one's while this one's are in flight; no
                    # further: every operation's draws at once would only cost memory.
                    for ahead in self.operations[n : n + LOOKAHEAD + 1]:
                        supply.plan(ahead, "positive", max(s.max_examples - 1, 0), s.seed)
                        supply.plan(ahead, "negative", s.max_examples, s.seed + 1)
                    current = _OperationRun(
                        op, s, supply, transport, pool, pacer, self._stop, created=created
                    )
                    for event in current.events(methods_by_path[op.path]):
                        if isinstance(event, CaseFinished):
                            sent += event.exchange.sent
                        yield event
                    results.extend(current.finish(interrupted=self.stopped))
                    referenced.update(current.referenced)
                    retried += current.retried
                    done.add(op.label)
                    if current.unanswered:
                        unserved.append(op.label)
                    yield OperationFinished(op.label, tuple(current.results))
                    current = None
                if not self.stopped and len(unserved) == len(self.operations):
                    refuse_unserved_base_url(unserved, s.base_url)
            except KeyboardInterrupt:
                # Ctrl-C inside the engine: keep what was gathered, judge the operation under way.
                self._stop.set()
                pool.shutdown(wait=False, cancel_futures=True)
                supply.close(wait=False)
                if current is not None:
                    results.extend(current.finish(interrupted=True))
                    referenced.update(current.referenced)
                    retried += current.retried
                    done.add(current.op.label)
            except FcValidateError as exc:
                if not announced:  # nothing was judged: the error alone says it all
                    raise
                # A tool error part-way (credentials rejected on the 40th operation): the operations judged
                # so far stand; the result says why the rest was not tested, then the error goes on up.
                aborted = exc
                self._stop.set()
                pool.shutdown(wait=False, cancel_futures=True)
                supply.close(wait=False)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
                supply.close()
        stopped = f"the run stopped: {aborted}" if aborted else ""
        untested = {r.id: f"not tested: {stopped}" for r in REQUIREMENTS} if aborted else {}
        for op in self.operations:  # operations never started are reported, each requirement skipped
            if op.label not in done:
                results.extend(judge(op, (), (), untested, interrupted=True))
        finished = RunResult(
            s,
            started,
            time.time(),
            not self.stopped,
            tuple(results),
            referenced,
            sent,
            secrets,
            rate_limited=retried,
            cache_hits=supply.cache.hits,
            cache_misses=supply.cache.misses,
            stopped=stopped,
        )
        yield RunFinished(finished)
        if aborted is not None:
            raise aborted


def run(settings: Settings) -> Run:
    """The engine's event stream for `settings` (raises tool errors: usage, unreachable, credentials)."""
    return Run(settings)


def certify(settings: Settings) -> RunResult:
    """Run the engine to the end and return the result (for callers that need no progress); a tool error
    part-way is raised after the engine's partial `RunFinished`, as it is to every consumer."""
    result = None
    for event in run(settings):
        if isinstance(event, RunFinished):
            result = event.result
    if result is None:  # pragma: no cover
        raise AssertionError("the engine ended without a result")
    return result


class _OperationRun:
    def __init__(
        self,
        op: Operation,
        settings: Settings,
        supply: DrawSupply,
        transport: Transport,
        pool: ThreadPoolExecutor,
        pacer: Pacer,
        stop: threading.Event,
        created: dict[str, Any] | None = None,
    ) -> None:
        self.op = op
        self.created = created if created is not None else {}
        self.settings = settings
        self.values = settings.known.for_operation(op)
        via = settings.credentials.credential_for(op)
        self.guessed = via[1] if via and settings.credentials.guessed(via[1]) else None
        self.scheme = via[1] if via else None  # whose credential the requests carry
        self.parts = probes.request_parts(
            op, self.values, probes.created_values(op, self.created), via[0] if via else None
        )
        self.supply = supply
        self.transport = transport
        self.pool = pool
        self.pacer = pacer
        self.stop = stop
        self.silent = 0
        self.retried = 0  # 429 answers waited out and resent
        self.lock = threading.Lock()
        self.results: list[RequirementResult] = []
        self.referenced: dict[str, Exchange] = {}
        self.exchanges: list[Exchange] = []
        self.violations: list[Violation] = []
        self.baseline_ok = False
        self.skips: dict[R, str] = {}  # requirements the case builders could not test here, and why
        self.not_served = ""  # why the operation does not seem to be served here (preconditions.not_served)
        self.unanswered = ""  # the same, read without regard to known values (for the run's base URL)

    def send(self, case: Case) -> Exchange:
        if self.stop.is_set():
            return Exchange(case, self.transport.url(case), None, "not sent: the run was stopped", sent=False)
        if self.silent >= SILENCE_LIMIT:
            return Exchange(
                case, self.transport.url(case), None, "not sent: the operation stopped answering", sent=False
            )
        for attempt in range(MAX_RETRIES + 1):
            if not self.pacer.acquire():
                return Exchange(
                    case, self.transport.url(case), None, "not sent: the run was stopped", sent=False
                )
            exchange = self.transport.send(case)
            if exchange.response is None or exchange.response.status != 429 or attempt == MAX_RETRIES:
                break  # a case still refused after MAX_RETRIES is judged on that 429: the run cannot wait
            # Too Many Requests: the implementation's pacing, not a finding. Wait, then resend the same case.
            with self.lock:
                self.retried += 1
            self.pacer.pause(retry_after(exchange.response.header("retry-after")))
        if exchange.response is None and exchange.sent and (exchange.error or "").startswith("no response"):
            with self.lock:
                self.silent += 1
        return exchange

    def events(self, documented_methods: set[str]) -> Iterator[Event]:
        op, s = self.op, self.settings
        if s.read_only and probes.changes_state(op):
            reason = (
                f"not tested: a read-only run sends no {op.method} request (it may change the "
                "implementation's data; RFC 9110 §9.2.1 names GET, HEAD and OPTIONS safe)"
            )
            self.skips.update({r.id: reason for r in REQUIREMENTS})
            return
        valid = probes.valid_cases(op, self.supply, self.values, s.max_examples, s.seed, self.parts)
        if self.parts.untargeted:
            # nothing it may change: the probes go to an id that names nothing, the valid requests nowhere
            reason = probes.untargeted_reason(op, self.parts)
            self.skips[R.VALID_REQUESTS] = reason
            yield from self._probes(
                Exchange(valid[0], self.transport.url(valid[0]), None, reason, sent=False),
                False,
                documented_methods,
            )
            return
        yield PhaseStarted(op.label, "valid requests", len(valid))
        valid_ex = list(self.pool.map(self.send, valid))
        answers = [e.response for e in valid_ex if e.response is not None]
        if self.parts.auth == "none" and op.security and answers and all(a.status == 401 for a in answers):
            options = " or ".join(dict.fromkeys(option_for(sc) for sc in op.security))
            raise CredentialsError(
                f"every valid request to {op.label}, sent without a credential, was answered 401: give {options}",
                "api_key" if any(sc.kind == "api-key" for sc in op.security) else "token",
            )
        refuse_rejected_credentials(
            op, answers, f"every valid request to {op.label}", self.guessed, self.scheme
        )
        self.unanswered = not_served(op, answers)  # every operation so: the base URL is wrong
        # one operation so is its finding, but a 404 may only say a resource named by a guess is unknown
        known = len(self.parts.path_known) == len(op.in_("path")) and not self.values.missing
        self.not_served = not_served(op, answers, known)
        if self.not_served:
            reason = f"not tested: {op.label} does not seem to be served at this base URL (valid-requests)"
            self.skips.update({r.id: reason for r in REQUIREMENTS if r.id != R.VALID_REQUESTS})
            yield from self._judged(self._context(valid_ex[0], False), valid_ex)
            return
        baseline = next((e for e in valid_ex if e.response is not None and e.response.ok), None)
        self.baseline_ok = baseline is not None
        if baseline is not None:
            probes.record_created(op, baseline, self.created)
        baseline = baseline or next((e for e in valid_ex if e.response is not None), valid_ex[0])
        yield from self._probes(baseline, self.baseline_ok, documented_methods, valid_ex)

    def _probes(
        self,
        baseline: Exchange,
        baseline_ok: bool,
        documented_methods: set[str],
        valid_ex: Sequence[Exchange] = (),
    ) -> Iterator[Event]:
        op, s = self.op, self.settings
        ctx = self._context(baseline, baseline_ok)
        planned = probes.probe_cases(
            op,
            baseline.case,
            self.supply,
            self.values,
            s.max_examples,
            s.seed + 1,
            baseline_ok=baseline_ok,
            documented_methods=documented_methods,
            parts=self.parts,
            read_only=s.read_only,
        )
        self.skips.update(planned.skips)
        yield from self._judged(ctx, valid_ex)
        if self.stop.is_set():
            return
        yield PhaseStarted(op.label, "probes", len(planned.cases))
        first_pages: list[Exchange] = []
        for event in self._judged(ctx, self.pool.map(self.send, planned.cases)):
            yield event
            if isinstance(event, CaseFinished) and event.exchange.case.kind == "paging":
                first_pages.append(event.exchange)
        yield from self._pages(ctx, first_pages)

    def _pages(self, ctx: CheckContext, first: list[Exchange]) -> Iterator[Event]:
        """Each paging answer's next pages, in turn, while its marker says one follows (bounded)."""
        n = 0
        for exchange in first:
            for _ in range(paging.MAX_PAGES):
                following = paging.next_page(self.op, exchange, n)
                if following is None or self.stop.is_set():
                    break
                n += 1
                for event in self._judged(ctx, [self.send(following)]):
                    yield event
                    exchange = event.exchange if isinstance(event, CaseFinished) else exchange

    def _context(self, baseline: Exchange, baseline_ok: bool) -> CheckContext:
        parts, s = self.parts, self.settings
        given = bool(parts.path_given) and parts.path_given == parts.path_known
        return CheckContext(
            self.op, baseline, baseline_ok, self.values.missing, s.conventions, given, self.not_served
        )

    def _judged(self, ctx: CheckContext, exchanges: Iterable[Exchange]) -> Iterator[Event]:
        for exchange in exchanges:
            found = run_checks(ctx, exchange) if exchange.sent else []
            if exchange.case.expect.sole:
                found = [v for v in found if v.requirement == exchange.case.requirement]
            if exchange.sent:
                self.exchanges.append(exchange)
            self.violations.extend(found)
            yield CaseFinished(self.op.label, exchange, tuple(found))

    def finish(self, interrupted: bool = False) -> list[RequirementResult]:
        across = repeated_error_ids(self.op, self.exchanges)  # judged across answers, under the same policy
        violations = [*self.violations, *(by_policy(v, self.settings.conventions) for v in across)]
        self.results = judge(self.op, self.exchanges, violations, self._skips(), interrupted)
        ids = {cid for r in self.results for f in r.findings for cid in (*f.case_ids, *f.judged_with)}
        self.referenced = {e.case.id: e for e in self.exchanges if e.case.id in ids}
        return self.results

    def _skips(self) -> dict[R, str]:
        skips = dict(self.skips)
        if self.silent >= SILENCE_LIMIT:
            reason = (
                f"not tested: the implementation stopped answering ({self.silent} requests got no response "
                f"within {self.settings.timeout:g} s)"
            )
            # A skip only shows where nothing was tested: valid-requests keeps its timeouts as failures.
            skips.update({r.id: reason for r in REQUIREMENTS})
        return skips
