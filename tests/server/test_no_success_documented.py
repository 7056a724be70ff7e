"""Operations whose document lists no success response: the reference answers as HTTP says (RFC 9110), by
method: 404 for a resource that does not exist, 200 for a GET of one that does, 204 for its DELETE; only a
POST creates (201)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from fcvalidate.files import compile_to, load_contracts
from fcvalidate.server import serve_in_background

HERE = Path(__file__).resolve().parent
TOKEN = "no-success-token-31"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    out = tmp_path_factory.mktemp("no-success-contracts")
    compile_to([HERE / "no-success-api"], out)
    assert all(
        not op.success_statuses for contract in load_contracts([out]) for op in contract.operations
    )  # the documents list no success response: the reference has to choose one
    data = tmp_path_factory.mktemp("no-success-data") / "data.yaml"
    data.write_text(
        'operations:\n  "GET /widgets/{id}": {id: W-1001}\n  "DELETE /widgets/{id}": {id: W-1002}\n'
    )
    with serve_in_background(tokens=(TOKEN,), contracts_dir=out, data=data) as base:
        yield base


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_an_unknown_id_is_not_found(url, method):
    assert httpx.request(method, f"{url}/widgets/W-98765", headers=AUTH).status_code == 404


def test_a_known_id_is_read_200_and_deleted_204(url):
    assert httpx.get(f"{url}/widgets/W-1001", headers=AUTH).status_code == 200
    assert httpx.delete(f"{url}/widgets/W-1002", headers=AUTH).status_code == 204
    assert httpx.delete(f"{url}/widgets/W-1002", headers=AUTH).status_code == 404  # gone
