"""Known values: applied through nesting and arrays; typos are usage errors, not silently ignored."""

from __future__ import annotations

import pytest

from fcvalidate.engine.data import KnownValues, apply_fields
from fcvalidate.errors import UsageError
from fcvalidate.files import all_operations, load_contracts


@pytest.fixture(scope="module")
def operations():
    return all_operations(load_contracts())


def test_apply_fields_sets_top_level_and_every_array_item():
    body = {"serviceProblemId": 1, "characteristics": [{"name": "a"}, {"name": "b"}]}
    out = apply_fields(body, {"serviceProblemId": 12356, "characteristics.name": "X"})
    assert out == {"serviceProblemId": 12356, "characteristics": [{"name": "X"}, {"name": "X"}]}
    assert body["characteristics"][0]["name"] == "a"  # the input is not changed


def test_apply_fields_does_not_create_absent_parents():
    assert apply_fields({"id": 1}, {"primaryContact.name": "x"}) == {"id": 1}


def test_headers_match_case_insensitively(operations):
    op = next(o for o in operations if o.path == "/service-problem-amendments")
    known = KnownValues.from_mapping({"values": {"tenant": "TENANT1"}, "foreign": {"Tenant": "TENANT2"}})
    assert known.headers_for(op) == {"Tenant": "TENANT1"}
    assert known.headers_for(op, known.foreign) == {"Tenant": "TENANT2"}


def test_a_name_no_operation_knows_is_a_usage_error(operations):
    known = KnownValues.from_mapping({"values": {"serviceProblemID": 12356}})
    with pytest.raises(UsageError, match=r"values\.serviceProblemID names no parameter or body field"):
        known.check_names(operations)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "expected a mapping"),
        ({"valuez": {}}, "unknown key"),
        ({"values": [1]}, "must be a mapping"),
    ],
)
def test_malformed_data(data, message):
    with pytest.raises(UsageError, match=message):
        KnownValues.from_mapping(data)


def test_missing_known_values_name_reference_like_inputs(operations):
    op = next(o for o in operations if o.path == "/service-problem-amendments")
    assert KnownValues().missing_for(op) == ["Tenant", "serviceProblemId"]
    assert KnownValues.from_mapping({"values": {"Tenant": "T", "serviceProblemId": 1}}).missing_for(op) == []
