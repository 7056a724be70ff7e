"""fcvalidate's Python API for certification: build `Settings` once, then `certify()` or follow `events()`.

The CLI, the pytest plugin, the tests and the benchmarks all build their settings with `make_settings`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from fcvalidate.contract.operation import Contract
from fcvalidate.conventions import accepted
from fcvalidate.engine.basic import parse_basic
from fcvalidate.engine.cache import default_cache_dir
from fcvalidate.engine.credentials import Credentials, parse_api_keys
from fcvalidate.engine.data import KnownValues
from fcvalidate.engine.events import RunResult
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
    )


def certify(base_url: str, **options: Any) -> RunResult:
    """Certify the implementation at `base_url` (options as `make_settings`) and return the result.

    Raises `UsageError`, `ContractError` (exit 2) or `ImplementationError` (exit 3) when it cannot run.
    """
    return _certify(make_settings(base_url, **options))


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
