"""Certify corpus operations of every shape against a real local implementation (tests/engine/
shapes_app.py): conformant passes without a false alarm, whatever the seed; each fault fails exactly the
requirement it breaks, on its operation."""

from __future__ import annotations

import json

import pytest

from fcvalidate import CaseFinished, certify, events
from fcvalidate.errors import CredentialsError, UsageError
from tests.engine.shapes_app import API_KEY, FAULTS, TOKEN, serve_shapes

OPERATIONS = (
    "GET /service-problems/{id}",
    "GET /available-appointments",
    "DELETE /appointment-reservations/{reservationId}",
    "GET /pets/{petId}",
)
DATA = {
    "operations": {
        "GET /service-problems/{id}": {"id": "SP-000123", "foreign": {"id": "SP-000777"}},
        "GET /available-appointments": {
            "address": {"id": "200004033694", "type": "UPRN"},
            "appointmentTypes": ["INSTALL"],
        },
        "DELETE /appointment-reservations/{reservationId}": {"reservationId": "RES-88213"},
    }
}
BREAKS = {  # fault → (operation, requirement)
    "ignore-missing-query": ("GET /available-appointments", "invalid-requests"),
    "ignore-enum-array": ("GET /available-appointments", "invalid-requests"),
    "crash-on-long-path": ("GET /service-problems/{id}", "no-server-errors"),
    "any-pet-exists": ("GET /pets/{petId}", "invalid-requests"),
    "read-other-tenant": ("GET /service-problems/{id}", "tenant-isolation"),
    "delete-unknown": ("DELETE /appointment-reservations/{reservationId}", "invalid-requests"),
    "no-api-key-needed": ("GET /pets/{petId}", "authorisation"),
}


@pytest.fixture(scope="module")
def shapes_url():
    with serve_shapes() as url:
        yield url


def run(url, corpus_contracts_dir, **overrides):
    options = {
        "contracts": corpus_contracts_dir,
        "token": TOKEN,
        "api_keys": [f"ApiKeyAuth={API_KEY}"],
        "data": DATA,
        "operations": OPERATIONS,
        "max_examples": 5,
        "cache": False,
    }
    return certify(url, **(options | overrides))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_conformant_implementation_has_no_failure_and_no_warning(shapes_url, corpus_contracts_dir, seed):
    result = run(shapes_url, corpus_contracts_dir, seed=seed)
    noisy = [(r.id, [f.violation.title for f in r.findings]) for r in result.results if r.findings]
    assert not noisy
    assert result.verdict == "conformant"
    status = {r.id: r.status for r in result.results}
    for label in OPERATIONS:
        assert status[f"{label}::valid-requests"] == "passed"
        assert status[f"{label}::no-server-errors"] == "passed"
        assert status[f"{label}::invalid-requests"] == "passed"  # query defects, unknown resources
        assert status[f"{label}::authorisation"] == "passed"
    assert status["GET /service-problems/{id}::tenant-isolation"] == "passed"  # a read by id


def test_requirements_that_cannot_apply_say_why(shapes_url, corpus_contracts_dir):
    result = run(shapes_url, corpus_contracts_dir)
    reason = {r.id: r.reason for r in result.results if r.status == "skipped"}
    assert (
        reason["GET /pets/{petId}::malformed-body"] == "not tested: GET /pets/{petId} takes no request body"
    )
    assert (
        "takes no request body" in reason["DELETE /appointment-reservations/{reservationId}::malformed-body"]
    )
    assert "data file gives no `foreign` values" in reason["GET /available-appointments::tenant-isolation"]


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_fault_fails_exactly_its_requirement(fault, corpus_contracts_dir):
    with serve_shapes(fault) as url:
        result = run(url, corpus_contracts_dir)
    failed = {(r.operation, r.requirement.id) for r in result.results if r.status == "failed"}
    assert failed == {BREAKS[fault]}
    assert result.verdict == "not-conformant"


def test_a_collection_read_is_not_held_to_tenant_isolation_unless_the_data_file_says(
    shapes_url, corpus_contracts_dir
):
    data = json.loads(json.dumps(DATA))
    data["operations"]["GET /available-appointments"]["foreign"] = {"address": {"id": "9", "type": "UPRN"}}
    result = run(shapes_url, corpus_contracts_dir, data=data, operations=["GET /available-appointments"])
    (isolation,) = [r for r in result.results if r.requirement.id == "tenant-isolation"]
    assert isolation.status == "skipped"
    assert "names no existing resource" in isolation.reason
    # Marked tenant-scoped, it is tested: this implementation answers every address, so it fails.
    data["operations"]["GET /available-appointments"]["tenant_scoped"] = True
    result = run(shapes_url, corpus_contracts_dir, data=data, operations=["GET /available-appointments"])
    (isolation,) = [r for r in result.results if r.requirement.id == "tenant-isolation"]
    assert isolation.status == "failed"


def test_an_id_the_api_created_addresses_the_next_operations(corpus_contracts_dir):
    options = {
        "contracts": corpus_contracts_dir,
        "token": TOKEN,
        "api_keys": [f"ApiKeyAuth={API_KEY}"],
        "operations": ["GET /pets/{petId}", "POST /pets"],
        "max_examples": 3,
        "cache": False,
    }
    with serve_shapes() as url:
        exchanges = [e.exchange for e in events(url, **options) if isinstance(e, CaseFinished)]
    gets = [e for e in exchanges if e.case.operation == "GET /pets/{petId}" and e.case.kind == "valid"]
    (created,) = [e for e in exchanges if e.case.id == "postPets.valid.000"]  # the baseline POST
    pet = json.loads(created.response.body)["id"]
    assert pet != 81  # not the documented example: the pet POST /pets (run first) created
    assert gets and all(e.case.path == f"/pets/{pet}" for e in gets)
    assert all(e.response is not None and e.response.status == 200 for e in gets)


def test_a_documented_scheme_without_a_credential_is_a_usage_error_naming_the_option(corpus_contracts_dir):
    with pytest.raises(
        UsageError, match=r"HEAD /stations/\{stationId\} needs a credential: give --api-key X-Api-Key=…"
    ) as e:
        run("http://127.0.0.1:9", corpus_contracts_dir, operations=["HEAD /stations/{stationId}"])
    assert e.value.setting == "api_key"


def test_an_inferred_scheme_without_a_credential_is_sent_none_and_its_authorisation_skipped(
    corpus_contracts_dir,
):
    with serve_shapes("no-api-key-needed") as url:
        result = run(url, corpus_contracts_dir, api_keys=[], operations=["GET /pets/{petId}"])
    status = {r.requirement.id: (r.status, r.reason) for r in result.results}
    assert status["valid-requests"][0] == "passed"
    assert status["authorisation"] == (
        "skipped",
        "not tested: the contract had to infer how ApiKeyAuth is delivered, and no credential was given: "
        "give --api-key ApiKeyAuth=… to test it",
    )
    # An implementation that does need the key: one line naming the option, no run.
    with serve_shapes() as url, pytest.raises(CredentialsError, match="give --api-key ApiKeyAuth=…") as e:
        run(url, corpus_contracts_dir, api_keys=[], operations=["GET /pets/{petId}"])
    assert e.value.setting == "api_key"


def test_an_api_key_for_no_scheme_is_a_usage_error(corpus_contracts_dir):
    with pytest.raises(UsageError, match="X-Typo is not an API-key scheme") as e:
        run("http://127.0.0.1:9", corpus_contracts_dir, api_keys=[f"ApiKeyAuth={API_KEY}", "X-Typo=1"])
    assert e.value.setting == "api_key"
