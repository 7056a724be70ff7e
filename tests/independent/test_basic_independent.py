"""An independent supplier secured by HTTP Basic (impl_basic.py, written from the meter-readings document
alone) gets no finding, whatever the seed: its 400 for a malformed Basic credential is one RFC 9110 allows,
and its 401 challenge is what RFC 7617 describes."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from fcvalidate import certify
from fcvalidate.engine import basic
from fcvalidate.files import compile_to
from fcvalidate.server.background import serve_app
from tests.conftest import CORPUS
from tests.independent import impl_basic


@pytest.fixture(scope="module")
def meters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("meter-contracts")
    compile_to([CORPUS / "meter-readings"], out)
    return out


@pytest.fixture(scope="module")
def url():
    with serve_app(impl_basic.app) as base:
        yield base


def test_it_refuses_a_malformed_credential_400(url):
    for token in (basic.NOT_BASE64, basic.NO_COLON):
        answer = httpx.post(f"{url}/meter-readings", json={}, headers={"Authorization": f"Basic {token}"})
        assert answer.status_code == 400  # what the oracle must accept, not only 401


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_basic_supplier_gets_no_finding(url, meters, seed):
    result = certify(
        url,
        contracts=meters,
        basic=f"{impl_basic.USER}:{impl_basic.PASSWORD}",
        max_examples=10,
        seed=seed,
        cache=False,
    )
    noisy = [(r.id, [f.violation.title for f in r.findings]) for r in result.results if r.findings]
    assert not noisy
    assert result.verdict == "conformant"
    status = {r.id: r.status for r in result.results}
    assert status["POST /meter-readings::authorisation"] == "passed"
