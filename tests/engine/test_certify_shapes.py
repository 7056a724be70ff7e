"""The faults for shapes the bundled contracts lack (query parameters, path ids, API keys, 204s, tenant-
scoped reads), certified on the corpus served by the reference implementation: conformant without
faults, and each fault fails exactly its requirement (beyond the baseline), on operations it breaks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fcvalidate import certify
from fcvalidate.files import compile_to, load_contracts
from fcvalidate.server import FAULTS, serve_in_background
from tests.conftest import TOKEN

SERVER_TESTS = Path(__file__).resolve().parent.parent / "server"
DATA = SERVER_TESTS / "certify-data.yaml"
# faults proven on a test contract of their own: tests/engine/test_boundaries.py
SHAPE_FAULTS = [f for f in FAULTS if not f.bundled and not f.contract]
BASIC = ("engineer-7", "tide:pool-31")  # the corpus's meter readings are secured by HTTP Basic


@pytest.fixture(scope="module")
def served(corpus_contracts_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("shapes")
    for contract in corpus_contracts_dir.iterdir():
        shutil.copy(contract, out)
    compile_to([SERVER_TESTS / "tenant-api"], out)
    contracts = tuple(load_contracts([out]))
    keys = {s.name: TOKEN for c in contracts for op in c for s in op.security if s.kind == "api-key"}
    return out, contracts, keys


def failed(served, *faults):
    out, contracts, keys = served
    with serve_in_background(
        tokens=(TOKEN,),
        api_keys=tuple(keys.items()),
        basic=(BASIC,),
        contracts_dir=out,
        data=DATA,
        faults=faults,
    ) as url:
        result = certify(
            url,
            contracts=contracts,
            token=TOKEN,
            api_keys=keys,
            basic=":".join(BASIC),
            data=DATA,
            max_examples=5,
        )
    return {(r.operation, r.requirement.id) for r in result.results if r.status == "failed"}


@pytest.fixture(scope="module")
def baseline(served):
    return failed(served)


def test_the_conformant_reference_fails_nothing(baseline):
    assert not baseline


@pytest.mark.parametrize("fault", SHAPE_FAULTS, ids=[f.id for f in SHAPE_FAULTS])
def test_each_shape_fault_breaks_exactly_its_requirement(fault, served, baseline):
    broken = failed(served, fault.id) - baseline
    assert broken and {req for _, req in broken} == {fault.requirement}, broken
    assert all(fault.breaks(op) for op, _ in broken)
