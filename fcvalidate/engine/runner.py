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
from dataclasses import dataclass, field
from typing import Any

from fcvalidate.checks import (
    CHECKS,
    CheckContext,
    RegisteredCheck,
    Violation,
    run_checks,
    run_operation_checks,
)
from fcvalidate.checks.registry import by_policy
from fcvalidate.contract.operation import Contract, Operation
from fcvalidate.engine import probes, stateful
from fcvalidate.engine.cache import DrawCache
from fcvalidate.engine.carry import ScopedDraws, sends
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
from fcvalidate.engine.probes import paging
from fcvalidate.engine.settings import Settings
from fcvalidate.engine.supply import DrawSupply
from fcvalidate.engine.transport import Transport
from fcvalidate.engine.verdict import RequirementResult, judge
from fcvalidate.errors import CredentialsError, FcValidateError, UsageError
from fcvalidate.exchange import Case, Exchange, Response
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
        wanted.extend(m for m in _matching(ops, label) if m not in wanted)
    return wanted


def _matching(ops: Sequence[Operation], label: str) -> list[Operation]:
    method, _, path = label.strip().partition(" ")
    match = [op for op in ops if op.method == method.upper() and op.path == path.strip()]
    if not match:
        known = ", ".join(f'"{op.label}"' for op in ops)
        raise UsageError(f"operation {label!r} is not in the contracts (known: {known})", "operations")
    return match


@dataclass(slots=True)
class RunState:
    """What one run shares and accumulates, in one place: the transport, the pool, the supply thread and
    the pacer, and the bookkeeping of the operations judged so far. Mutable by design (it is the run's
    state); `record` is the one way an operation's verdicts join the run, whether it ended or was cut."""

    settings: Settings
    stop: threading.Event
    checks: tuple[RegisteredCheck, ...]
    transport: Transport
    supply: DrawSupply
    pacer: Pacer
    pool: ThreadPoolExecutor
    methods_by_path: dict[str, set[str]]  # every documented method, selected or not, is never "other"
    secrets: tuple[str, ...]
    started: float = field(default_factory=time.time)
    results: list[RequirementResult] = field(default_factory=list)
    referenced: dict[str, Exchange] = field(default_factory=dict)
    created: dict[str, Any] = field(default_factory=dict)  # collection path → what a POST on it answered
    sent: int = 0
    retried: int = 0  # 429 answers waited out and resent
    done: set[str] = field(default_factory=set)
    unserved: list[str] = field(default_factory=list)  # every valid request answered 404, 405 or 501
    current: _OperationRun | None = None  # the operation under way
    aborted: FcValidateError | None = None  # the tool error that stopped the run part-way

    @classmethod
    def open(
        cls,
        settings: Settings,
        stop: threading.Event,
        checks: tuple[RegisteredCheck, ...],
        transport: Transport,
    ) -> RunState:
        s = settings
        methods_by_path: dict[str, set[str]] = {}
        for op in (op for contract in s.contracts for op in contract.operations):
            methods_by_path.setdefault(op.path, set()).add(op.method)
        return cls(
            s,
            stop,
            checks,
            transport,
            DrawSupply(s.contracts, DrawCache(s.cache_dir)),  # its thread starts with the first plan()
            Pacer(s.rate_limit, stop),
            ThreadPoolExecutor(max_workers=max(s.max_concurrency, 1), thread_name_prefix="fcvalidate"),
            methods_by_path,
            s.credentials.secrets(),
        )

    def record(self, operation: _OperationRun, interrupted: bool) -> None:
        """An operation judged: its verdicts, the exchanges they cite and its 429s join the run's."""
        self.results.extend(operation.finish(interrupted=interrupted))
        self.referenced.update(operation.referenced)
        self.retried += operation.retried
        self.done.add(operation.op.label)

    def halt(self) -> None:
        """Stop sending and drawing now; `close` then waits for what is already in flight."""
        self.stop.set()
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.supply.close(wait=False)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.supply.close()

    def result(self, operations: Sequence[Operation]) -> RunResult:
        """The run's result; operations never started are reported, each requirement skipped."""
        stopped = f"the run stopped: {self.aborted}" if self.aborted else ""
        untested = {r.id: f"not tested: {stopped}" for r in REQUIREMENTS} if self.aborted else {}
        for op in operations:
            if op.label not in self.done:
                self.results.extend(judge(op, (), (), untested, interrupted=True))
        return RunResult(
            self.settings,
            self.started,
            time.time(),
            not self.stop.is_set(),
            tuple(self.results),
            self.referenced,
            self.sent,
            self.secrets,
            rate_limited=self.retried,
            cache_hits=self.supply.cache.hits,
            cache_misses=self.supply.cache.misses,
            stopped=stopped,
            checks=tuple(c.name for c in self.checks),
        )


class Run:
    """One certification as a stream of events. Iterate it once; `stop()` (from any thread, or after a
    Ctrl-C in the consumer) ends it early: what was gathered is judged and the result is incomplete."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.operations = probes.in_run_order(select_operations(settings.contracts, settings.operations))
        every = [op for contract in settings.contracts for op in contract.operations]
        settings.known.check_names(every)
        for op in self.operations:  # each operation has a credential for one of its schemes
            _credential_for(settings, op)
        self.api_keys = settings.credentials.api_keys_by_scheme(every)
        settings.credentials.check_basic(every)
        self.checks = CHECKS.select(settings.checks, settings.exclude_checks)  # as registered now
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def __iter__(self) -> Iterator[Event]:
        s = self.settings
        with Transport(s.base_url, s.timeout) as transport:
            # No generation thread before the try below: its finally is what guarantees the thread never
            # outlives the run (Hypothesis changes the recursion limit while it draws, which a thread parsing
            # Python source at the same time cannot survive).
            state = RunState.open(s, self._stop, self.checks, transport)
            announced = False
            try:
                self._connect(state)
                yield RunStarted(s.base_url, s.seed, tuple(op.label for op in self.operations), state.started)
                announced = True
                yield from self._operations(state)
            except KeyboardInterrupt:
                # Ctrl-C inside the engine: keep what was gathered, judge the operation under way.
                state.halt()
                if state.current is not None:
                    state.record(state.current, interrupted=True)
            except FcValidateError as exc:
                if not announced:  # nothing was judged: the error alone says it all
                    raise
                # A tool error part-way (credentials rejected on the 40th operation): the operations judged
                # so far stand; the result says why the rest was not tested, then the error goes on up.
                state.aborted = exc
                state.halt()
            finally:
                state.close()
        yield RunFinished(state.result(self.operations))
        if state.aborted is not None:
            raise state.aborted

    def _connect(self, state: RunState) -> None:
        s, transport = self.settings, state.transport
        transport.preflight()
        transport.token = s.credentials.obtain_token(transport.client, s.base_url)
        transport.api_keys = self.api_keys
        transport.basic = s.credentials.basic
        state.secrets += (transport.token,) if transport.token else ()

    def _operations(self, state: RunState) -> Iterator[Event]:
        for n, op in enumerate(self.operations):
            if self.stopped:
                break
            self._plan(state.supply, n)
            state.current = operation = _OperationRun(op, state)
            for event in operation.events(state.methods_by_path[op.path]):
                if isinstance(event, CaseFinished):
                    state.sent += event.exchange.sent
                yield event
            state.record(operation, interrupted=self.stopped)
            if operation.unanswered:
                state.unserved.append(op.label)
            yield OperationFinished(op.label, tuple(operation.results))
            state.current = None
        if not self.stopped and len(state.unserved) == len(self.operations):
            refuse_unserved_base_url(state.unserved, self.settings.base_url)

    def _plan(self, supply: DrawSupply, n: int) -> None:
        """Draw the requests of operation `n` and of the next one while n's are in flight; no further:
        every operation's draws at once would only cost memory."""
        s = self.settings
        for ahead in self.operations[n : n + LOOKAHEAD + 1]:
            supply.plan(ahead, "positive", max(s.max_examples - 1, 0), s.seed)
            if ahead.label not in s.scope or ScopedDraws(supply, s.scope[ahead.label]).negative:
                supply.plan(ahead, "negative", s.max_examples, s.seed + 1)


def _credential_for(settings: Settings, op: Operation) -> None:
    """Refuse to start an operation no credential given can be sent to, saying which to give."""
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
    """One operation's requests and verdicts: its valid requests, then the probes derived from them."""

    def __init__(self, op: Operation, state: RunState) -> None:
        self.op = op
        self.settings = settings = state.settings
        self.created = state.created
        self.checks = state.checks
        self.values = settings.known.for_operation(op)
        via = settings.credentials.credential_for(op)
        self.guessed = via[1] if via and settings.credentials.guessed(via[1]) else None
        self.scheme = via[1] if via else None  # whose credential the requests carry
        self.parts = probes.request_parts(
            op, self.values, probes.created_values(op, self.created), via[0] if via else None
        )
        self.supply = state.supply
        self.transport = state.transport
        self.pool = state.pool
        self.pacer = state.pacer
        self.stop = state.stop
        self.silent = 0
        self.retried = 0  # 429 answers waited out and resent
        self.lock = threading.Lock()
        self.results: list[RequirementResult] = []
        self.referenced: dict[str, Exchange] = {}
        self.exchanges: list[Exchange] = []
        self.violations: list[Violation] = []
        self.baseline_ok = False
        self.context: CheckContext | None = None
        self.planned: probes.Probes | None = None  # a DELETE's probes, planned before its valid request
        self.sent_first: dict[str, Exchange] = {}  # ...and those of them sent before it (stateful.py)
        self.skips: dict[R, str] = {}  # requirements the case builders could not test here, and why
        self.not_served = ""  # why the operation does not seem to be served here (preconditions.not_served)
        self.unanswered = ""  # the same, read without regard to known values (for the run's base URL)

    def send(self, case: Case) -> Exchange:
        if self.stop.is_set():
            return self._unsent(case, "not sent: the run was stopped")
        if self.silent >= SILENCE_LIMIT:
            return self._unsent(case, "not sent: the operation stopped answering")
        for attempt in range(MAX_RETRIES + 1):
            if not self.pacer.acquire():
                return self._unsent(case, "not sent: the run was stopped")
            exchange = self.transport.send(case)
            if not self._waited_out(exchange, attempt):
                break
        if exchange.response is None and exchange.sent and (exchange.error or "").startswith("no response"):
            with self.lock:
                self.silent += 1
        return exchange

    def _unsent(self, case: Case, why: str) -> Exchange:
        return Exchange(case, self.transport.url(case), None, why, sent=False)

    def _waited_out(self, exchange: Exchange, attempt: int) -> bool:
        """A 429 Too Many Requests is the implementation's pacing, not a finding: wait, then the same case
        is resent. A case still refused after MAX_RETRIES is judged on that 429: the run cannot wait."""
        if exchange.response is None or exchange.response.status != 429 or attempt == MAX_RETRIES:
            return False
        with self.lock:
            self.retried += 1
        self.pacer.pause(retry_after(exchange.response.header("retry-after")))
        return True

    def events(self, documented_methods: set[str]) -> Iterator[Event]:
        op, s = self.op, self.settings
        if self._read_only_skip():
            return
        valid = probes.valid_cases(op, self.supply, self.values, s.max_examples, s.seed, self.parts)
        if self.parts.untargeted:
            # nothing it may change: the probes go to an id that names nothing, the valid requests nowhere
            reason = self.skips[R.VALID_REQUESTS] = probes.untargeted_reason(op, self.parts)
            yield from self._probes(self._unsent(valid[0], reason), False, documented_methods)
            return
        if op.method == "DELETE":  # its refusals go first (stateful.py), then the valid DELETE
            self.planned = self._plan(valid[0], True, documented_methods)
            first = stateful.before_delete(self.planned.cases, valid[0])
            self.sent_first = {e.case.id: e for e in self.pool.map(self.send, first)}
        yield PhaseStarted(op.label, "valid requests", len(valid))
        valid_ex = list(self.pool.map(self.send, valid))
        answers = [e.response for e in valid_ex if e.response is not None]
        self._refuse_credentials(answers)
        if self._unserved(answers):
            yield from self._judged(self._context(valid_ex[0], False), valid_ex)
            return
        baseline = next((e for e in valid_ex if e.response is not None and e.response.ok), None)
        self.baseline_ok = baseline is not None
        if baseline is not None:
            probes.record_created(op, baseline, self.created)
        baseline = baseline or next((e for e in valid_ex if e.response is not None), valid_ex[0])
        yield from self._probes(baseline, self.baseline_ok, documented_methods, valid_ex)
        # the write's resource read back (stateful.py): one request at a time, judged as the steps go
        for step in stateful.steps(op, s, baseline, valid_ex, self.send) if self.baseline_ok else ():
            found = tuple(by_policy(v, s.conventions) for v in step.violations)
            self.exchanges.append(step.exchange)
            self.violations.extend(found)
            yield CaseFinished(op.label, step.exchange, found)

    def _read_only_skip(self) -> bool:
        """A read-only run sends nothing to an operation that may change data: every requirement is
        skipped, saying why."""
        op = self.op
        if not (self.settings.read_only and probes.changes_state(op)):
            return False
        reason = (
            f"not tested: a read-only run sends no {op.method} request (it may change the "
            "implementation's data; RFC 9110 §9.2.1 names GET, HEAD and OPTIONS safe)"
        )
        self.skips.update({r.id: reason for r in REQUIREMENTS})
        return True

    def _refuse_credentials(self, answers: Sequence[Response]) -> None:
        """Every valid request refused 401: the credential (or its absence) is at fault, not the
        implementation, and the run stops saying which to give."""
        op = self.op
        if self.parts.auth == "none" and op.security and answers and all(a.status == 401 for a in answers):
            options = " or ".join(dict.fromkeys(option_for(sc) for sc in op.security))
            raise CredentialsError(
                f"every valid request to {op.label}, sent without a credential, was answered 401: give {options}",
                "api_key" if any(sc.kind == "api-key" for sc in op.security) else "token",
            )
        refuse_rejected_credentials(
            op, answers, f"every valid request to {op.label}", self.guessed, self.scheme
        )

    def _unserved(self, answers: Sequence[Response]) -> bool:
        """Whether the operation does not seem to be served here: then that is its one finding."""
        op = self.op
        self.unanswered = not_served(op, answers)  # every operation so: the base URL is wrong
        # one operation so is its finding, but a 404 may only say a resource named by a guess is unknown
        known = len(self.parts.path_known) == len(op.in_("path")) and not self.values.missing
        self.not_served = not_served(op, answers, known)
        if self.not_served:
            reason = f"not tested: {op.label} does not seem to be served at this base URL (valid-requests)"
            self.skips.update({r.id: reason for r in REQUIREMENTS if r.id != R.VALID_REQUESTS})
        return bool(self.not_served)

    def _probes(
        self,
        baseline: Exchange,
        baseline_ok: bool,
        documented_methods: set[str],
        valid_ex: Sequence[Exchange] = (),
    ) -> Iterator[Event]:
        ctx = self._context(baseline, baseline_ok)
        planned = self.planned or self._plan(baseline.case, baseline_ok, documented_methods)
        self.skips.update(planned.skips)
        yield from self._judged(ctx, valid_ex)
        if self.stop.is_set():
            return
        yield PhaseStarted(self.op.label, "probes", len(planned.cases))
        first, pages = self.sent_first, []
        for event in self._judged(
            ctx, self.pool.map(lambda c: first.get(c.id) or self.send(c), planned.cases)
        ):
            yield event
            if isinstance(event, CaseFinished) and event.exchange.case.kind == "paging":
                pages.append(event.exchange)
        yield from self._pages(ctx, pages)

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

    def _plan(self, reference: Case, baseline_ok: bool, documented_methods: set[str]) -> probes.Probes:
        op, s = self.op, self.settings
        scope = s.scope.get(op.label)
        planned = probes.probe_cases(
            op,
            reference,
            ScopedDraws(self.supply, scope) if scope is not None else self.supply,
            self.values,
            s.max_examples,
            s.seed + 1,
            baseline_ok=baseline_ok,
            documented_methods=documented_methods,
            parts=self.parts,
            read_only=s.read_only,
        )
        if scope is None:
            return planned
        # a change-scoped run sends only what can alter the requirements it re-checks
        return probes.Probes([c for c in planned.cases if sends(c, scope)], planned.skips)

    def _context(self, baseline: Exchange | None, baseline_ok: bool) -> CheckContext:
        parts, s = self.parts, self.settings
        given = bool(parts.path_given) and parts.path_given == parts.path_known
        self.context = CheckContext(
            self.op, baseline, baseline_ok, self.values.missing, s.conventions, given, self.not_served
        )
        return self.context  # the run-level checks see the last one too

    def _judged(self, ctx: CheckContext, exchanges: Iterable[Exchange]) -> Iterator[Event]:
        for exchange in exchanges:
            found = run_checks(ctx, exchange, self.checks) if exchange.sent else []
            if exchange.case.expect.sole:
                found = [v for v in found if v.requirement == exchange.case.requirement]
            if exchange.sent:
                self.exchanges.append(exchange)
            self.violations.extend(found)
            yield CaseFinished(self.op.label, exchange, tuple(found))

    def finish(self, interrupted: bool = False) -> list[RequirementResult]:
        ctx = self.context or self._context(None, self.baseline_ok)
        across = run_operation_checks(ctx, self.exchanges, self.checks)
        violations = [*self.violations, *across]
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
