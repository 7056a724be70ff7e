"""fcvalidate's Python API for certification: build `Settings` once, then `certify()` or follow `events()`;
sign the result as a certificate (`certify(..., certificate=, signing_key=)`) and `verify_certificate()` it.

The CLI, the pytest plugin, the tests and the benchmarks all build their settings with `make_settings`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

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
from fcvalidate.certificate.statement import Implementation, known_values_digest
from fcvalidate.certificate.verify import Verification, verify
from fcvalidate.contract.operation import Contract
from fcvalidate.conventions import accepted
from fcvalidate.engine.basic import parse_basic
from fcvalidate.engine.cache import default_cache_dir
from fcvalidate.engine.credentials import Credentials, parse_api_keys
from fcvalidate.engine.data import KnownValues
from fcvalidate.engine.events import RunFinished, RunResult
from fcvalidate.engine.runner import Run
from fcvalidate.engine.runner import certify as _certify
from fcvalidate.engine.settings import DEFAULT_CONCURRENCY, Settings
from fcvalidate.errors import UsageError
from fcvalidate.files import display_path, load_contracts, load_conventions_file, load_data_file

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
    seed: int = 0,
    max_examples: int = 20,
    max_concurrency: int | None = None,
    rate_limit: float | None = None,
    timeout: float = 5.0,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    workers: int | None = None,
    conventions: str | Path | Iterable[str] | None = None,
    read_only: bool = False,
) -> Settings:
    """Settings for one run.

    `contracts`: a folder or contract file, several of them, or loaded `Contract`s (default: the bundled
    contracts). `data`: a data file (YAML or JSON) or its content as a mapping. Credentials: a bearer
    `token`, or OAuth2 client credentials (`token_url`, `client_id`, `client_secret`); `api_keys`:
    `NAME=VALUE` strings or a mapping, NAME being a security scheme's name or its parameter's name;
    `basic`: `USER:PASSWORD` for operations secured by HTTP Basic.
    `max_concurrency`: requests in flight at once (default 16; `workers` is its deprecated name).
    `rate_limit`: requests per second over the whole run (default: unlimited). Generated cases are cached
    in `cache_dir` (default: `cache.default_cache_dir()`); `cache=False` generates afresh and writes nothing.
    `conventions`: the conventions accepted (a conventions file, or group names and ids; default: every
    shipped one); a finding resting on another is a warning (`fcvalidate.conventions`).
    `read_only`: send no request that may change data (only GET, HEAD and OPTIONS), for production
    endpoints; every other operation is reported skipped, saying why.
    """
    if max_concurrency is None:
        max_concurrency = workers if workers is not None else DEFAULT_CONCURRENCY
    if max_concurrency < 1:
        raise UsageError(f"must be at least 1, got {max_concurrency}", "max_concurrency")
    if rate_limit is not None and rate_limit <= 0:
        raise UsageError(
            f"must be a positive number of requests per second, got {rate_limit:g}", "rate_limit"
        )
    return Settings(
        base_url=base_url,
        contracts=tuple(_contracts(contracts)),
        credentials=Credentials(
            token, token_url, client_id, client_secret, _api_keys(api_keys), parse_basic(basic)
        ),
        known=_known(data),
        operations=tuple(operations),
        seed=seed,
        max_examples=max_examples,
        max_concurrency=max_concurrency,
        rate_limit=rate_limit,
        timeout=timeout,
        cache_dir=(Path(cache_dir) if cache_dir is not None else default_cache_dir()) if cache else None,
        conventions=_conventions(conventions),
        read_only=read_only,
    )


def certify(
    base_url: str,
    *,
    certificate: str | Path | None = None,
    signing_key: str | Path | None = None,
    implementation: str | None = None,
    **options: Any,
) -> RunResult:
    """Certify the implementation at `base_url` (options as `make_settings`) and return the result.

    With `certificate` and `signing_key` (an Ed25519 PEM private key), also write the signed certificate
    there and its evidence, report.json with every case sent, beside it; `implementation` is what the
    supplier declares it certified, `NAME@VERSION`. The result then holds every exchange sent.
    Raises `UsageError`, `ContractError` (exit 2) or `ImplementationError` (exit 3) when it cannot run.
    """
    return certify_settings(make_settings(base_url, **options), certificate, signing_key, implementation)


def certify_settings(
    settings: Settings,
    certificate: str | Path | None = None,
    signing_key: str | Path | None = None,
    implementation: str | None = None,
) -> RunResult:
    """`certify` for settings already made (the pytest plugin's)."""
    if (certificate is None) != (signing_key is None):
        raise UsageError("a certificate needs both a file and a signing key", "certificate")
    if certificate is None or signing_key is None:
        return _certify(settings)
    key = read_private_key(Path(signing_key))
    declared = parse_implementation(implementation)
    result = next(e.result for e in EveryCase(Run(settings)) if isinstance(e, RunFinished))
    write_certificate(result, Path(certificate), key, declared)
    return result


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
    recorded = outcome.predicate["settings"]
    # a change-scoped run's carried verdicts are claims too: its re-check re-runs every operation
    carried = any(r.get("carried") for r in outcome.predicate["results"])
    settings = make_settings(
        base_url,
        contracts=ours,
        seed=recorded["seed"],
        max_examples=recorded["max_examples"],
        operations=[] if carried else recorded["operations"],
        conventions=recorded["conventions"],
        timeout=recorded["timeout_s"],
        max_concurrency=recorded["max_concurrency"],
        rate_limit=recorded["rate_limit_rps"],
        read_only=recorded["read_only"],
        **options,
    )
    notes = list(outcome.notes)
    if known_values_digest(settings.known) != recorded["known_values_sha256"]:
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
