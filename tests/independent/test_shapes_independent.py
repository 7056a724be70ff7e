"""Certify independent suppliers of operations of other shapes: GET/PATCH/DELETE, path and JSON query
parameters, 204 answers, ETags (tests/independent/shapes_*.py, written from tests/contract/corpus/ only).

Each corpus API is compiled once per module; each supplier is certified with a small budget against its own
data file (shapes-<api>.yaml). No requirement may fail; the strict xfails are false alarms, said why.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from fcvalidate import RunResult, certify
from fcvalidate.errors import CredentialsError
from fcvalidate.files import compile_to, load_contracts
from fcvalidate.server.background import serve_app
from tests.independent import faulty_shapes, findings

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "contract" / "corpus"

SUPPLIERS = [
    pytest.param("shapes_fibre_strict", "fibre-cafe", id="fibre-strict"),
    pytest.param("shapes_fibre_lenient", "fibre-cafe", id="fibre-lenient"),
    pytest.param("shapes_odata_strict", "odata-catalogue", id="odata-strict"),
    pytest.param("shapes_odata_lenient", "odata-catalogue", id="odata-lenient"),
    pytest.param("shapes_pets_strict", "pet-shop", id="pets-strict"),
    pytest.param("shapes_weather_strict", "weather", id="weather-strict"),
    pytest.param("shapes_weather_framework", "weather", id="weather-framework"),
    pytest.param("shapes_library_strict", "library", id="library-strict"),
]


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list]:
    out = {}
    for api in sorted({p.values[1] for p in SUPPLIERS}):
        folder = tmp_path_factory.mktemp(f"contracts-{api}")
        compile_to([CORPUS / api], folder)
        out[api] = load_contracts([folder])
    return out


def _certify(name: str, api: str, contracts: list) -> RunResult:
    module = importlib.import_module(f"tests.independent.{name}")
    faulty_shapes.reset()  # the stores the suppliers share with their faulty variants, as seeded
    with serve_app(module.app) as url:
        return _run(module, url, api, contracts)


def _run(module: object, url: str, api: str, contracts: list) -> RunResult:
    return certify(
        url,
        contracts=contracts,
        token=getattr(module, "TOKEN", None),
        api_keys=getattr(module, "API_KEYS", {}),
        data=HERE / f"shapes-{api}.yaml",
        max_examples=5,
        max_concurrency=1,  # one request at a time: the order of the PATCHes (and so the ETags) is fixed
        cache=False,
    )


@pytest.mark.parametrize(("name", "api"), SUPPLIERS)
def test_a_supplier_of_other_shapes_fails_no_requirement(
    name: str, api: str, compiled: dict[str, list]
) -> None:
    result = _certify(name, api, compiled[api])
    assert not findings(result, "failure")
    assert result.verdict == "conformant"
    warnings = findings(result, "warning")
    # once false alarms or unearned warnings: a stale If-Match answered 412 (after the run's own PATCH moved
    # the product on), and an unknown id guessed next door to one the supplier holds (RES-1 → RES-9)
    assert not [w for w in warnings if "Some valid requests were refused" in w and "412" in w], warnings
    assert not [w for w in warnings if "RES-9 " in w or "RES-9:" in w], warnings
    if api == "odata-catalogue":  # the replay's If-Match is stale by then: 412, a warning that says why
        assert any("Refused: header names sent in lower case" in w and "got 412" in w for w in warnings)


def test_a_key_sent_where_the_contract_guessed_says_how_to_place_it(compiled: dict[str, list]) -> None:
    """get-pet.md says where the key goes only in prose: the contract guesses a header named after the
    scheme, and a supplier that reads X-Api-Key refuses every request; the error says how to place it."""
    module = importlib.import_module("tests.independent.shapes_pets_strict")
    with serve_app(module.app) as url, pytest.raises(CredentialsError) as refused:
        certify(
            url,
            contracts=compiled["pet-shop"],
            token=module.TOKEN,
            api_keys={"ApiKeyAuth": module.API_KEY},
            data=HERE / "shapes-pet-shop.yaml",
            max_examples=1,
            cache=False,
        )
    assert "give --api-key ApiKeyAuth@<header>" in str(refused.value)
