"""The certify engine: contracts + a live base URL → a stream of events ending in a `RunResult`.

`run()` is a generator; the CLI, the reporters and the pytest plugin all consume the same events.
Per operation: valid requests first (their outcome decides what a later rejection proves), then every
probe derived from a valid request, sent by `workers` threads over one keep-alive client. Results are
ordered by case, so the same seed gives the same cases and the same verdict whatever the scheduling.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from threading import Lock

from fcvalidate.checks import CheckContext, Violation, run_checks
from fcvalidate.contract.bundle import GAP_REQUEST_BODY, Contract, Operation
from fcvalidate.engine import probes
from fcvalidate.engine.cases import Case
from fcvalidate.engine.data import KnownValues
from fcvalidate.engine.events import (
    CaseFinished,
    Event,
    OperationFinished,
    PhaseStarted,
    RunFinished,
    RunStarted,
)
from fcvalidate.engine.generate import Strategies
from fcvalidate.engine.transport import Credentials, Exchange, Transport
from fcvalidate.engine.verdict import RequirementResult, judge, overall
from fcvalidate.errors import CredentialsError, UsageError
from fcvalidate.requirements import REQUIREMENTS

SILENCE_LIMIT = 3  # requests of one operation with no response before the engine stops sending to it


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


@dataclass(frozen=True, slots=True)
class RunResult:
    settings: Settings
    started: float
    finished: float
    complete: bool
    results: tuple[RequirementResult, ...]
    exchanges: dict[str, Exchange]  # every exchange a finding refers to, by case id
    cases_sent: int

    @property
    def verdict(self) -> str:
        return overall(self.results, self.complete)

    @property
    def failed(self) -> bool:
        return self.verdict != "conformant"


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
            raise UsageError(f"--operation {label!r} is not in the contracts (known: {known})")
        wanted.extend(m for m in match if m not in wanted)
    return wanted


def run(settings: Settings) -> Generator[Event, None, None]:
    """Certify; yields events. Raises only tool errors (usage, unreachable, credentials)."""
    operations = select_operations(settings.contracts, settings.operations)
    settings.known.check_names(op for contract in settings.contracts for op in contract.operations)
    creds = settings.credentials
    if any(op.security for op in operations) and not (creds.token or creds.token_url):
        raise UsageError(
            "the contracts require a bearer token: give --token (or FCVALIDATE_TOKEN) or "
            "--token-url with --client-id and --client-secret"
        )
    generators = {c.name: Strategies(c) for c in settings.contracts}
    methods_by_path: dict[str, set[str]] = {}
    for op in operations:
        methods_by_path.setdefault(op.path, set()).add(op.method)
    started = time.time()
    results: list[RequirementResult] = []
    referenced: dict[str, Exchange] = {}
    sent = 0
    complete = True
    pool = ThreadPoolExecutor(max_workers=max(settings.workers, 1), thread_name_prefix="fcvalidate")
    current: _OperationRun | None = None
    with Transport(settings.base_url, creds, settings.timeout, settings.workers) as transport:
        try:
            transport.preflight()
            creds.fetch(transport.client, settings.base_url)
            yield RunStarted(settings.base_url, settings.seed, tuple(op.label for op in operations), started)
            for op in operations:
                current = _OperationRun(op, settings, generators[op.contract], transport, pool)
                for event in current.events(methods_by_path[op.path]):
                    if isinstance(event, CaseFinished):
                        sent += event.exchange.sent
                    yield event
                results.extend(current.finish())
                referenced.update(current.referenced)
                yield OperationFinished(op.label, tuple(current.results))
                current = None
        except KeyboardInterrupt:
            # Keep what was gathered: the operation under way is judged on the cases it finished.
            complete = False
            pool.shutdown(wait=False, cancel_futures=True)
            if current is not None:
                results.extend(current.finish(interrupted=True))
                referenced.update(current.referenced)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    yield RunFinished(RunResult(settings, started, time.time(), complete, tuple(results), referenced, sent))


def certify(settings: Settings) -> RunResult:
    """Run the engine to the end and return the result (for callers that need no progress)."""
    finished = None
    for event in run(settings):
        if isinstance(event, RunFinished):
            finished = event
    assert finished is not None
    return finished.result


class _OperationRun:
    def __init__(
        self,
        op: Operation,
        settings: Settings,
        generator: Strategies,
        transport: Transport,
        pool: ThreadPoolExecutor,
    ) -> None:
        self.op = op
        self.settings = settings
        self.generator = generator
        self.transport = transport
        self.pool = pool
        self.silent = 0
        self.lock = Lock()
        self.results: list[RequirementResult] = []
        self.referenced: dict[str, Exchange] = {}
        self.exchanges: list[Exchange] = []
        self.violations: list[Violation] = []
        self.baseline_ok = False
        self.has_foreign = False

    def send(self, case: Case) -> Exchange:
        if self.silent >= SILENCE_LIMIT:
            return Exchange(
                case, self.transport.url(case), None, "not sent: the operation stopped answering", sent=False
            )
        exchange = self.transport.send(case)
        if exchange.response is None and exchange.sent and (exchange.error or "").startswith("no response"):
            with self.lock:
                self.silent += 1
        return exchange

    def events(self, documented_methods: set[str]) -> Iterator[Event]:
        op, s = self.op, self.settings
        valid = probes.valid_cases(op, self.generator, s.known, s.max_examples, s.seed)
        yield PhaseStarted(op.label, "valid requests", len(valid))
        valid_ex = list(self.pool.map(self.send, valid))
        _refuse_bad_credentials(op, valid_ex)
        baseline = next((e for e in valid_ex if _succeeded(e)), None)
        self.baseline_ok = baseline is not None
        baseline = baseline or next((e for e in valid_ex if e.response is not None), valid_ex[0])
        ctx = CheckContext(op, baseline, self.baseline_ok, tuple(s.known.missing_for(op)))
        self.has_foreign = bool(
            s.known.headers_for(op, s.known.foreign) or s.known.fields_for(op, s.known.foreign)
        )
        cases = probes.probe_cases(
            op,
            baseline.case,
            self.generator,
            s.known,
            s.max_examples,
            s.seed + 1,
            foreign=self.baseline_ok and self.has_foreign,
            documented_methods=documented_methods,
        )
        yield from self._judged(ctx, valid_ex)
        yield PhaseStarted(op.label, "probes", len(cases))
        yield from self._judged(ctx, self.pool.map(self.send, cases))

    def _judged(self, ctx: CheckContext, exchanges: Iterable[Exchange]) -> Iterator[Event]:
        for exchange in exchanges:
            found = run_checks(ctx, exchange) if exchange.sent else []
            if exchange.sent:
                self.exchanges.append(exchange)
            self.violations.extend(found)
            yield CaseFinished(self.op.label, exchange, tuple(found))

    def finish(self, interrupted: bool = False) -> list[RequirementResult]:
        skips = self._skips()
        if interrupted:
            skips = {r.id: "not tested: the run was interrupted" for r in REQUIREMENTS} | skips
        self.results = judge(self.op, self.exchanges, self.violations, skips)
        ids = {cid for r in self.results for f in r.findings for cid in f.case_ids}
        self.referenced = {e.case.id: e for e in self.exchanges if e.case.id in ids}
        return self.results

    def _skips(self) -> dict[str, str]:
        op, skips = self.op, {}
        if self.silent >= SILENCE_LIMIT:
            reason = (
                f"not tested: the implementation stopped answering ({self.silent} requests got no response "
                f"within {self.settings.timeout:g} s)"
            )
            # A skip only shows where nothing was tested: valid-requests keeps its timeouts as failures.
            skips.update({r.id: reason for r in REQUIREMENTS})
        if not op.security:
            skips["authorisation"] = "the operation documents no security"
        if GAP_REQUEST_BODY in op.gaps:
            skips["invalid-requests"] = "not tested: the document lists no request fields (gap: request-body)"
        if not self.has_foreign:
            skips["tenant-isolation"] = (
                "not tested: the data file gives no `foreign` values this operation uses"
            )
        elif not self.baseline_ok:
            skips["tenant-isolation"] = (
                "not tested: no valid request succeeded, so there is nothing to replay"
            )
        return skips


def _succeeded(exchange: Exchange) -> bool:
    r = exchange.response
    return r is not None and 200 <= r.status < 300


def _refuse_bad_credentials(op: Operation, exchanges: list[Exchange]) -> None:
    answered = [e.response for e in exchanges if e.response is not None]
    if op.security and answered and all(r.status == 401 for r in answered):
        raise CredentialsError(
            f"credentials rejected: every valid request to {op.label} was answered 401 (check the token)"
        )
