"""Shared fixtures: the reference implementation on a free loopback port, and certification settings."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fcvalidate import RunResult, certify
from fcvalidate.checks import Violation
from fcvalidate.engine.data import KnownValues
from fcvalidate.files import compile_to, load_contracts, load_data_file
from fcvalidate.server import serve_in_background

CORPUS = Path(__file__).resolve().parent / "contract" / "corpus"
TOKEN = "test-token-4f1d9c"  # a credential of the local test server; tests prove it never leaks
DATA_FILE = Path(__file__).resolve().parent.parent / "fcvalidate" / "server" / "reference-data.yaml"


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Generated requests are cached in a folder of this session, never in the user's ~/.cache."""
    mp = pytest.MonkeyPatch()
    mp.setenv("FCVALIDATE_CACHE_DIR", str(tmp_path_factory.mktemp("fcvalidate-cache")))
    yield
    mp.undo()


_UNFOUNDED: list[Any] = []


@pytest.fixture(scope="session", autouse=True)
def _every_finding_has_a_basis() -> Iterator[None]:
    """The guard: a finding fcvalidate produces anywhere in the suite rests on a document clause or a
    catalogued convention (`Violation.grounded`); one that does not fails the test that produced it."""
    original = Violation.__post_init__

    def recorded(self: Violation) -> None:
        original(self)
        if not self.grounded and sys._getframe(2).f_globals.get("__name__", "").startswith("fcvalidate."):
            _UNFOUNDED.append(self)

    Violation.__post_init__ = recorded  # type: ignore[method-assign]
    yield
    Violation.__post_init__ = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _no_unfounded_finding() -> Iterator[None]:
    _UNFOUNDED.clear()
    yield
    found = list(_UNFOUNDED)
    _UNFOUNDED.clear()
    assert not found, f"findings without a basis (no clause, no convention, no statement): {found}"


@pytest.fixture(scope="session", autouse=True)
def _no_writes_to_user_reports(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests write only into tmp paths: the checkout's reports/ (the user's own) is left as it was."""
    reports = Path(request.config.rootpath) / "reports"

    def snapshot() -> dict[str, int]:
        return {str(p): p.stat().st_mtime_ns for p in reports.rglob("*")} if reports.is_dir() else {}

    before = snapshot()
    yield
    changed = sorted(set(snapshot().items()) - set(before.items()))
    assert not changed, f"the test suite wrote into {reports}: {[name for name, _ in changed]}"


@pytest.fixture(scope="session")
def contracts() -> tuple[Any, ...]:
    return tuple(load_contracts())


@pytest.fixture(scope="session")
def known() -> KnownValues:
    return KnownValues.from_mapping(load_data_file(DATA_FILE))


@pytest.fixture(scope="session")
def reference_url() -> Iterator[str]:
    with serve_in_background(tokens=(TOKEN,)) as url:
        yield url


@pytest.fixture(scope="session")
def run_certify(contracts) -> Callable[..., RunResult]:
    def run(url: str, **overrides: Any) -> RunResult:
        options: dict[str, Any] = {
            "contracts": contracts,
            "data": DATA_FILE,
            "token": TOKEN,
            "max_examples": 5,
        }
        return certify(url, **(options | overrides))

    return run


def statuses(result: RunResult) -> dict[str, str]:
    return {r.id: r.status for r in result.results}


@pytest.fixture(scope="session")
def corpus_contracts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test corpus (every API of tests/contract/corpus/, refused documents left out), compiled once:
    the operations of every shape the engine, the reference implementation and the plugin must handle."""
    out = tmp_path_factory.mktemp("corpus-contracts")
    apis = [folder for folder in sorted(CORPUS.iterdir()) if folder.is_dir() and folder.name != "refused"]
    compile_to(apis, out)
    return out
