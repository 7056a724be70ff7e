"""fcvalidate's Python API: build `Settings` once, then `certify()` (which can also write the reports and
a signed certificate) or follow `events()`; `replay()` a report's failing cases; `verify_certificate()`.

The CLI, the pytest plugin, the tests and the benchmarks all go through these functions: the CLI only
parses options, calls one of them and maps the outcome to an exit code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

from fcvalidate.certificate import compare
from fcvalidate.certificate.evidence import EveryCase
from fcvalidate.certificate.files import (
    evidence_path,
    read_bytes,
    read_envelope,
    read_policy,
    read_private_key,
    read_public_key,
    write_certificate,
    write_key_pair,
)
from fcvalidate.certificate.policy import Policy
from fcvalidate.certificate.previous import earlier_verdicts
from fcvalidate.certificate.statement import Implementation, known_values_digest
from fcvalidate.certificate.verify import Verification, verify
from fcvalidate.contract.diff import ContractDocument, diff_contracts
from fcvalidate.contract.operation import Contract
from fcvalidate.conventions import accepted
from fcvalidate.engine.basic import parse_basic
from fcvalidate.engine.cache import default_cache_dir
from fcvalidate.engine.carry import Recertification, carry_into, plan_recertification
from fcvalidate.engine.credentials import Credentials, parse_api_keys
from fcvalidate.engine.data import KnownValues
from fcvalidate.engine.events import Event, RunFinished, RunResult
from fcvalidate.engine.replay import Replayed, check_case_ids, failing_case_ids, replay_with
from fcvalidate.engine.runner import Run
from fcvalidate.engine.runner import certify as _certify
from fcvalidate.engine.setting_table import BY_NAME, DEFAULTS, SETTINGS
from fcvalidate.engine.settings import Settings
from fcvalidate.errors import FcValidateError, UsageError
from fcvalidate.files import (
    display_path,
    load_contracts,
    load_conventions_file,
    load_data_file,
    load_version,
)
from fcvalidate.report import write_reports

ContractsArg = str | Path | Iterable[str | Path] | Iterable[Contract] | None


def make_settings(
    base_url: str,
    *,
    contracts: ContractsArg = None,
    data: str | Path | Mapping[str, Any] | None = None,
    token: str | None = None,
    token_url: str | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    api_keys: Iterable[str] | Mapping[str, str] = (),
    basic: str | None = None,
    operations: Iterable[str] = (),
    seed: int | None = None,
    max_examples: int | None = None,
    max_concurrency: int | None = None,
    rate_limit: float | None = None,
    timeout: float | None = None,
    cache: bool | None = None,
    cache_dir: str | Path | None = None,
    workers: int | None = None,
    conventions: str | Path | Iterable[str] | None = None,
    read_only: bool | None = None,
    checks: Iterable[str] = (),
    exclude_checks: Iterable[str] = (),
) -> Settings:
    """Settings for one run; a keyword left `None` takes its default from the table of settings
    (`engine.setting_table`, which the CLI's options and `--help` come from).

    `contracts`: a folder or contract file, several, or loaded `Contract`s (default: the bundled ones).
    `data`: a data file (YAML or JSON) or its content. Credentials: a bearer `token`, or OAuth2 client
    credentials (`token_url`, `client_id`, `client_secret`); `api_keys`: `NAME=VALUE` strings or a mapping,
    NAME a security scheme's or its parameter's name; `basic`: `USER:PASSWORD`. `max_concurrency`: requests
    in flight (`workers`: its deprecated name); `rate_limit`: requests per second (default: unlimited).
    `cache=False` generates afresh and writes no cache (default `cache_dir`: `cache.default_cache_dir()`).
    `conventions`: those accepted (a file, or group names and ids; default: every shipped one); a finding
    resting on another warns. `read_only`: only GET, HEAD and OPTIONS are sent, the rest skipped saying
    why. `checks`, `exclude_checks`: names of registered checks to run (default: all), and not to run."""
    numbers = {
        "seed": seed,
        "max_examples": max_examples,
        "max_concurrency": workers if max_concurrency is None else max_concurrency,
        "rate_limit": rate_limit,
        "timeout": timeout,
        "read_only": read_only,
    }
    cached = DEFAULTS["cache"] if cache is None else cache
    return Settings(
        base_url=base_url,
        contracts=tuple(_contracts(contracts)),
        credentials=Credentials(
            token, token_url, client_id, client_secret, _api_keys(api_keys), parse_basic(basic)
        ),
        known=_known(data),
        operations=tuple(operations),
        cache_dir=(Path(cache_dir) if cache_dir is not None else default_cache_dir()) if cached else None,
        conventions=_conventions(conventions),
        checks=_names(checks),
        exclude_checks=_names(exclude_checks),
        **{name: _in_range(name, value) for name, value in numbers.items() if value is not None},
    )


def _names(names: str | Iterable[str]) -> tuple[str, ...]:
    return (names,) if isinstance(names, str) else tuple(names)


def _in_range(name: str, value: Any) -> Any:
    """A value the table's kind for `name` allows (the CLI's option types say the same to click)."""
    setting = BY_NAME[name]
    if setting.kind == "count" and value < 1:
        raise UsageError(f"must be at least 1, got {value}", name)
    if setting.kind == "positive" and value <= 0:
        raise UsageError(f"must be a positive number{setting.unit}, got {value:g}", name)
    return value


def certify(
    base_url: str,
    *,
    report_dir: str | Path | None = None,
    certificate: str | Path | None = None,
    signing_key: str | Path | None = None,
    implementation: str | None = None,
    changed_from: str | Path | None = None,
    previous_report: str | Path | None = None,
    previous_certificate: str | Path | None = None,
    previous_key: str | Path | None = None,
    **options: Any,
) -> RunResult:
    """Certify the implementation at `base_url` (options as `make_settings`) and return the result.

    With `report_dir`, also write the four reports there (report.json, junit.xml, report.html,
    summary.md), as `fcvalidate certify` does. With `certificate` and `signing_key` (an Ed25519 PEM
    private key), also write the signed certificate there and its evidence, report.json with every case
    sent, beside it, when the run is complete; `implementation` is what the supplier declares it
    certified, `NAME@VERSION`. The result then holds every exchange sent.
    With `changed_from` (the contracts certified before), re-check only what changed since and carry the
    other verdicts from `previous_report` or `previous_certificate` (see `recertification`).
    Raises `UsageError`, `ContractError` (exit 2) or `ImplementationError` (exit 3) when it cannot run;
    one that stops the run part-way is raised after the reports of what was judged are written.
    """
    settings, plan = make_settings(base_url, **options), None
    if changed_from is not None or previous_report or previous_certificate or previous_key:
        settings, plan = recertification(
            settings,
            changed_from,
            previous_report=previous_report,
            previous_certificate=previous_certificate,
            previous_key=previous_key,
            signing_key=signing_key,
            report_dir=report_dir or "reports",
        )
    signing = (certificate, signing_key, implementation)
    return certify_settings(settings, *signing, report_dir=report_dir, plan=plan)


def recertification(
    settings: Settings,
    changed_from: str | Path | None,
    *,
    previous_report: str | Path | None = None,
    previous_certificate: str | Path | None = None,
    previous_key: str | Path | None = None,
    signing_key: str | Path | None = None,
    report_dir: str | Path = "reports",
) -> tuple[Settings, Recertification]:
    """A change-scoped run: `settings` narrowed to the operations and requirements the contracts changed
    in since `changed_from` (the contracts or documents certified before), and the plan that carries the
    other verdicts from `previous_report` (default: report.json in `report_dir`) or from the signed
    `previous_certificate` (verified with `previous_key`, default `signing_key`'s public half)."""
    if changed_from is None:
        given = "previous_certificate" if previous_certificate else "previous_report"
        given = "previous_key" if previous_key and not previous_certificate else given
        raise UsageError(f"--{given.replace('_', '-')} goes with --changed-from", given)
    if settings.operations:
        raise UsageError("give --operation or --changed-from, not both", "operations")
    old = load_version(Path(changed_from))
    sources = {
        "report": previous_report,
        "certificate": previous_certificate,
        "key": previous_key,
        "signing_key": signing_key,
    }
    earlier = earlier_verdicts(
        old,
        display_path(Path(changed_from)),
        report_dir=Path(report_dir),
        **{name: Path(path) for name, path in sources.items() if path is not None},
    )
    changes = diff_contracts(old, [ContractDocument(c.name, c.spec) for c in settings.contracts])
    labels = [op.label for contract in settings.contracts for op in contract.operations]
    plan = plan_recertification(changes, labels, earlier)
    return dataclasses.replace(settings, operations=plan.recheck, scope=plan.scope), plan


class Watch(Protocol):
    """How a front end follows a certification (the CLI: progress on the console, Ctrl-C as a stop, the
    verdict table once the reports are written)."""

    def events(self, run: Run, events: Iterator[Event]) -> Iterable[Event]:
        """Pass every event of `events` on (`run.stop()` ends it early)."""
        ...

    def reported(self, finished: RunFinished, report_dir: Path | None) -> None:
        """The run is over and its reports written (when there is a `report_dir`)."""
        ...


def certify_settings(
    settings: Settings,
    certificate: str | Path | None = None,
    signing_key: str | Path | None = None,
    implementation: str | None = None,
    *,
    report_dir: str | Path | None = None,
    plan: Recertification | None = None,
    watch: Watch | None = None,
) -> RunResult:
    """`certify` for settings already made (the CLI's and the pytest plugin's). `plan`: a change-scoped
    recertification, whose operations the run covers and whose verdicts it carries."""
    signer = Signer.of(certificate, signing_key, implementation)
    folder = Path(report_dir) if report_dir is not None else None
    if folder is not None:
        ensure_writable(folder)
    finished, stopped_by = _run(settings, plan, signer is not None, watch)
    if folder is not None:
        write_reports(finished.result, folder)
    if watch is not None:
        watch.reported(finished, folder)
    if stopped_by is not None:
        raise stopped_by
    if signer is not None and finished.result.complete:
        signer.sign(finished.result)
    return finished.result


def _run(
    settings: Settings, plan: Recertification | None, every_case: bool, watch: Watch | None
) -> tuple[RunFinished, FcValidateError | None]:
    """The run's result, with `plan`'s verdicts carried into it, and the error that stopped it, if one did."""
    if plan is not None and not plan.recheck:  # nothing changed: nothing to send, every verdict carried
        now = time.time()
        result = RunResult(settings, now, now, True, (), {}, 0, settings.credentials.secrets())
        finished, stopped_by = RunFinished(result), None
    else:
        finished, stopped_by = _finish(Run(settings), every_case, watch)
    if plan is not None:
        labels = [op.label for contract in settings.contracts for op in contract.operations]
        finished = RunFinished(carry_into(finished.result, plan, labels))
    return finished, stopped_by


def _finish(run: Run, every_case: bool, watch: Watch | None) -> tuple[RunFinished, FcValidateError | None]:
    """Run to the end: the last `RunFinished`, and the tool error that stopped the run part-way, if one did.

    The engine yields what it judged before such an error, then raises it: the caller reports that first,
    then lets the error say why (its own exit code, 3 for rejected credentials)."""
    events: Iterator[Event] = iter(run)
    if every_case:  # a certificate's evidence holds every case sent, not only those findings refer to
        events = iter(EveryCase(events))
    finished: list[RunFinished] = []
    stopped_by: FcValidateError | None = None
    try:
        for event in watch.events(run, events) if watch is not None else events:
            if isinstance(event, RunFinished):
                finished.append(event)
    except FcValidateError as exc:
        stopped_by = exc
    except KeyboardInterrupt:
        # A second Ctrl-C, or one that landed outside the engine: stop it, judge what it gathered.
        run.stop()
        finished += [e for e in events if isinstance(e, RunFinished)]
        if not finished:
            raise
    if not finished:  # stopped before anything was judged
        if stopped_by is None:  # pragma: no cover - the engine always ends with a result
            raise AssertionError("the engine ended without a result")
        raise stopped_by
    return finished[-1], stopped_by


@dataclasses.dataclass(frozen=True, slots=True)
class Signer:
    """A certificate to write with its key, read before the run: a bad key fails in a second, not after."""

    certificate: Path
    key: Any  # Ed25519PrivateKey
    implementation: Implementation | None

    @classmethod
    def of(
        cls, certificate: str | Path | None, key: str | Path | None, implementation: str | None
    ) -> Signer | None:
        if certificate is None and key is None:
            if implementation is not None:
                raise UsageError(
                    "names the certificate's implementation: give a certificate too", "implementation"
                )
            return None
        if certificate is None or key is None:
            raise UsageError("a certificate and its signing key go together: give both", "certificate")
        ensure_writable(Path(certificate).parent)
        return cls(Path(certificate), read_private_key(Path(key)), parse_implementation(implementation))

    def sign(self, result: RunResult) -> tuple[Path, Path]:
        return write_certificate(result, self.certificate, self.key, self.implementation)


def ensure_writable(folder: Path) -> None:
    """Fail before a run, not after it, when the reports could not be written. Nothing is created: the
    folder is made when the reports are written, so a run that ends in a usage error leaves none."""
    existing = folder
    while not existing.exists() and existing.parent != existing:  # the nearest folder that exists
        existing = existing.parent
    try:
        if not existing.is_dir():
            raise NotADirectoryError(20, "not a folder", str(existing))
        if existing == folder:
            with tempfile.TemporaryFile(dir=folder):
                pass
        elif not os.access(existing, os.W_OK | os.X_OK):
            raise PermissionError(13, f"{existing} is not writable")
    except OSError as exc:
        raise UsageError(f"{folder}: cannot write there ({exc.strerror or exc})", "report_dir") from None


def replay(
    report: str | Path | Mapping[str, Any],
    *,
    cases: Iterable[str] = (),
    base_url: str | None = None,
    **options: Any,
) -> list[Replayed]:
    """Re-send cases of a report (a report.json file, or its content) and judge each as certify did;
    return one `Replayed` per case (`.status`: "fails", "warns" or "passes"; `.first`: the violation).

    `cases`: their ids (default: every failing case; none: an empty list). `base_url`: where to send
    them (default: the report's). `options` as `make_settings`: the credentials (the report never holds
    them), `contracts`, `timeout`. The engine's setup is certify's: a credential the implementation
    rejects raises `CredentialsError` (exit 3), never "passes now"."""
    data = _report(report)
    ids = list(cases) or failing_case_ids(data)
    check_case_ids(data, ids)
    if not ids:
        return []
    url = base_url or data.get("run", {}).get("base_url")
    if not url:
        raise UsageError("the report names no base URL: give one", "base_url")
    return replay_with(make_settings(url, **options), data, ids)


def _report(report: str | Path | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(report, Mapping):
        return report
    path = Path(report)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{display_path(path)}: not a readable report.json ({exc})") from None
    if not isinstance(data, Mapping):
        raise UsageError(f"{display_path(path)}: not a readable report.json (not an object)")
    return data


def parse_implementation(text: str | None) -> Implementation | None:
    if text is None:
        return None
    try:
        return Implementation.parse(text)
    except ValueError as exc:
        raise UsageError(str(exc), "implementation") from None


def verify_certificate(
    certificate: str | Path,
    key: str | Path,
    *,
    contracts: ContractsArg = None,
    policy: str | Path | Policy | None = None,
    evidence: str | Path | None = None,
    base_url: str | None = None,
    now: dt.datetime | None = None,
    **options: Any,
) -> Verification:
    """Verify a certificate with the supplier's public key (PEM): its signature; its subjects against
    `contracts` (default: the bundled ones); its evidence (default: report.json beside it, if there);
    `policy` (a policy file or `Policy`; default: the verdict must be conformant); with `base_url`, a
    re-run with the certified seed, budget and settings (`options`: credentials and `data`, as
    `make_settings`) whose every differing verdict is a reason. Unreadable files raise `UsageError`."""
    raw = read_envelope(Path(certificate))
    public = read_public_key(Path(key))
    ours = _contracts(contracts)
    rules = read_policy(Path(policy)) if isinstance(policy, str | Path) else policy
    beside = evidence_path(Path(certificate))
    if evidence is not None:
        proof: bytes | None = read_bytes(Path(evidence), "evidence", "evidence")
    else:
        proof = beside.read_bytes() if beside.is_file() else None
    outcome = verify(raw, public, contracts=ours, rules=rules, evidence=proof, now=now)
    if base_url is None or outcome.statement is None or "predicate" not in outcome.statement:
        return outcome
    if any(r.startswith(("statement:", "predicate:")) for r in outcome.reasons):
        return outcome
    return _rechecked(outcome, make_settings(base_url, contracts=ours, **_certified(outcome), **options))


def _certified(outcome: Verification) -> dict[str, Any]:
    """Every setting that can change a verdict, as certified (one an older certificate lacks: its default)."""
    recorded = outcome.predicate["settings"]
    certified = {s.name: recorded[s.verdict] for s in SETTINGS if s.verdict and s.verdict in recorded}
    if any(r.get("carried") for r in outcome.predicate["results"]):
        # a change-scoped run's carried verdicts are claims too: its re-check re-runs every operation
        certified["operations"] = []
    return certified


def _rechecked(outcome: Verification, settings: Settings) -> Verification:
    """`outcome` with a re-run's every differing verdict as a reason."""
    notes = list(outcome.notes)
    if known_values_digest(settings.known) != outcome.predicate["settings"]["known_values_sha256"]:
        notes.append(
            "re-check: the known values (--data) are not those certified: verdicts may differ for it"
        )
    rerun = _certify(settings)
    now_ = [
        {"operation": r.operation, "requirement": r.requirement.id, "status": r.status} for r in rerun.results
    ]
    reasons = (*outcome.reasons, *compare.differences(outcome.predicate, now_))
    return dataclasses.replace(outcome, reasons=reasons, notes=tuple(notes))


def keygen(private: str | Path, public: str | Path) -> None:
    """Write a new Ed25519 key pair in PEM (as openssl writes them); the private file is mode 0600."""
    write_key_pair(Path(private), Path(public))


def events(base_url: str, **options: Any) -> Run:
    """The same run as an event stream, for progress: iterate it; `stop()` ends it early."""
    return Run(make_settings(base_url, **options))


def _api_keys(api_keys: Iterable[str] | Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    if isinstance(api_keys, Mapping):
        return tuple((str(k), str(v)) for k, v in api_keys.items())
    if isinstance(api_keys, str):
        api_keys = [api_keys]
    return parse_api_keys(api_keys)


def _contracts(contracts: ContractsArg) -> list[Contract]:
    if contracts is None:
        return load_contracts()
    if isinstance(contracts, str | Path):
        return load_contracts([Path(contracts)])
    items = list(contracts)
    if all(isinstance(c, Contract) for c in items):
        return items  # type: ignore[return-value]
    return load_contracts([Path(c) for c in items])  # type: ignore[arg-type]


def _conventions(conventions: str | Path | Iterable[str] | None) -> frozenset[str]:
    if isinstance(conventions, str | Path):
        return accepted(load_conventions_file(Path(conventions)))
    return accepted(conventions)


def _known(data: str | Path | Mapping[str, Any] | None) -> KnownValues:
    if data is None:
        return KnownValues()
    if isinstance(data, Mapping):
        return KnownValues.from_mapping(data)
    path = Path(data)
    return KnownValues.from_mapping(load_data_file(path), display_path(path))
