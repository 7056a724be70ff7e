"""Certify the parcel-lockers supplier (written from the documents alone) and its faulty variants, each
with ONE paging defect: the conformant one fails nothing, each variant fails the requirement it breaks, on
the operation it breaks, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from fcvalidate import RunResult, certify
from fcvalidate.files import compile_to, load_contracts
from fcvalidate.server.background import serve_app
from tests.independent import shapes_lockers_strict as lockers

CORPUS = Path(__file__).resolve().parent.parent / "contract" / "corpus"


@pytest.fixture(scope="module")
def contracts(tmp_path_factory: pytest.TempPathFactory) -> list:
    out = tmp_path_factory.mktemp("contracts-parcel-lockers")
    compile_to([CORPUS / "parcel-lockers"], out)
    return load_contracts([out])


def _certify(app: object, contracts: list) -> RunResult:
    with serve_app(app) as url:
        return certify(url, contracts=contracts, max_examples=5, max_concurrency=1, cache=False)


def _failed(result: RunResult) -> set[tuple[str, str]]:
    return {(r.operation, r.requirement.id) for r in result.results if r.status == "failed"}


def test_the_conformant_supplier_fails_nothing(contracts: list) -> None:
    result = _certify(lockers.app, contracts)
    assert not _failed(result)
    assert result.verdict == "conformant"


@pytest.mark.parametrize(
    ("name", "operation", "requirement", "title"),
    [
        (
            "lockers-limit-ignored",
            "GET /lockers",
            "valid-requests",
            "more items than the page_size asked for",
        ),
        ("lockers-next-on-last-page", "GET /lockers", "valid-requests", "but that page holds no items"),
        ("parcels-next-on-last-page", "GET /parcels", "valid-requests", "but that page holds no items"),
        ("parcels-negative-limit-500", "GET /parcels", "no-server-errors", "per_page = -1"),
    ],
)
def test_a_paging_defect_fails_the_requirement_it_breaks(
    name: str, operation: str, requirement: str, title: str, contracts: list
) -> None:
    result = _certify(lockers.APPS[name], contracts)
    assert _failed(result) == {(operation, requirement)}
    found = [
        f.violation
        for r in result.results
        if (r.operation, r.requirement.id) == (operation, requirement)
        for f in r.findings
    ]
    assert any(title in v.title for v in found), [v.title for v in found]
    # the basis is the document's own sentence, quoted
    assert any("the document says" in v.basis.note for v in found if requirement == "valid-requests") or (
        requirement != "valid-requests"
    )
