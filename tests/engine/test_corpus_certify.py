"""The engine on the whole test corpus (every operation shape) against the reference implementation
serving it: conformant with no failure whatever the seed, and each fault of the new shapes fails exactly
the requirement it breaks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fcvalidate import certify
from fcvalidate.files import compile_to
from fcvalidate.requirements import REQUIREMENT
from fcvalidate.server import FAULTS, serve_in_background

SERVER_TESTS = Path(__file__).resolve().parent.parent / "server"
DATA = SERVER_TESTS / "corpus-data.yaml"
TOKEN, KEY = "corpus-token-51f3", "corpus-key-8e2a"
SHAPE_FAULTS = (  # the faults of operations beyond the seeds' shape
    "query-required-ignored",
    "query-enum-not-enforced",
    "unknown-id-200",
    "crash-on-odd-path",
    "cross-tenant-read",
    "api-key-not-checked",
    "no-content-as-200",
)


@pytest.fixture(scope="module")
def served(corpus_contracts_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus-and-tenant-api")
    for contract in corpus_contracts_dir.iterdir():
        shutil.copy(contract, out)
    compile_to([SERVER_TESTS / "tenant-api"], out)
    return out


def run(contracts, *faults, seed=0):
    keys = (("ApiKeyAuth", KEY), ("X-Api-Key", KEY))
    with serve_in_background(
        tokens=(TOKEN,), api_keys=keys, contracts_dir=contracts, data=DATA, faults=faults
    ) as url:
        return certify(
            url,
            contracts=contracts,
            data=DATA,
            token=TOKEN,
            api_keys=[f"{name}={value}" for name, value in keys],
            max_examples=4,
            seed=seed,
            cache=False,
        )


@pytest.mark.parametrize("seed", [0, 3])
def test_the_conformant_reference_has_no_failure_on_any_shape(served, seed):
    result = run(served, seed=seed)
    failures = [
        (r.id, f.violation.title) for r in result.results for f in r.findings if f.severity == "failure"
    ]
    assert not failures
    assert result.verdict == "conformant"


def test_no_secret_in_the_result(served):
    result = run(served)
    assert {TOKEN, KEY} <= set(result.secrets)


@pytest.mark.parametrize("fault", SHAPE_FAULTS)
def test_each_shape_fault_fails_exactly_its_requirement(served, fault):
    (requirement,) = [f.requirement for f in FAULTS if f.id == fault]
    result = run(served, fault)
    failed = {r.requirement.id for r in result.results if r.status == "failed"}
    if REQUIREMENT[requirement].level == "SHOULD":
        assert not failed
    else:
        assert failed == {requirement}, [
            (r.id, [f.violation.title for f in r.findings]) for r in result.results if r.status == "failed"
        ]
