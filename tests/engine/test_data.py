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


# -- per-operation values (operations:) ----------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_ops(corpus_contracts_dir):
    return {op.label: op for op in all_operations(load_contracts([corpus_contracts_dir]))}


def test_per_operation_values_of_every_location_win_over_global_ones(corpus_ops):
    data = {
        "values": {"X-Request-ID": "global", "id": "SP-1"},
        "foreign": {"Tenant": "T2"},
        "operations": {
            "get /service-problems/{id}": {"id": "12356", "foreign": {"id": "12357"}},
            "GET /available-appointments": {"address": {"id": "1", "type": "UPRN"}, "X-Request-ID": "mine"},
        },
    }
    known = KnownValues.from_mapping(data)
    known.check_names(corpus_ops.values())
    got = known.for_operation(corpus_ops["GET /service-problems/{id}"])
    assert got.parameters == {"id": "12356"} and got.headers == {"X-Request-ID": "global"}
    assert got.foreign_parameters == {"id": "12357"}
    got = known.for_operation(corpus_ops["GET /available-appointments"])
    assert got.parameters == {"address": {"id": "1", "type": "UPRN"}}
    assert got.headers == {"X-Request-ID": "mine"}
    assert known.for_operation(corpus_ops["PATCH /service-problem-resolutions/{id}"]).parameters == {
        "id": "SP-1"
    }


def test_dotted_body_fields_per_operation(corpus_ops):
    known = KnownValues.from_mapping({"operations": {"POST /service-problems": {"serviceId": "BBEU1"}}})
    known.check_names(corpus_ops.values())
    assert known.for_operation(corpus_ops["POST /service-problems"]).fields == {"serviceId": "BBEU1"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"operations": {"GET /nowhere": {"id": 1}}}, r"operations\.GET /nowhere: no such operation"),
        (
            {"operations": {"GET /service-problems/{id}": {"serviceProblemId": 1}}},
            r"operations\.GET /service-problems/\{id\}\.serviceProblemId names no parameter or body field "
            r"of GET /service-problems/\{id\} \(it has: X-Request-ID, id, x-request-id\)",
        ),
        (
            {"operations": {"GET /service-problems/{id}": {"foreign": {"tenant": 1}}}},
            r"operations\.GET /service-problems/\{id\}\.foreign\.tenant names no parameter",
        ),
    ],
)
def test_unknown_operation_or_name_is_a_usage_error_naming_it(corpus_ops, data, message):
    with pytest.raises(UsageError, match=message) as error:
        KnownValues.from_mapping(data).check_names(corpus_ops.values())
    assert error.value.setting == "data"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"operations": [1]}, "must map operation labels"),
        ({"operations": {"GET /x": 1}}, r"operations\.GET /x must be a mapping"),
        ({"operations": {"GET /x": {"tenant_scoped": "yes"}}}, "tenant_scoped must be true or false"),
        ({"operations": {"GET /x": {"foreign": [1]}}}, r"foreign must be a mapping"),
    ],
)
def test_malformed_operations_entry(data, message):
    with pytest.raises(UsageError, match=message) as error:
        KnownValues.from_mapping(data)
    assert error.value.setting == "data"


def test_path_parameters_without_known_values_are_named_as_missing(corpus_ops):
    op = corpus_ops["GET /pets/{petId}"]
    assert KnownValues().missing_for(op) == ["petId"]
    assert KnownValues.from_mapping({"values": {"petId": 81}}).missing_for(op) == []


def test_the_documented_data_file_example_is_valid(corpus_ops):
    import re
    from pathlib import Path

    import yaml

    page = (Path(__file__).resolve().parents[2] / "docs" / "data-file.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", page, re.S) if "operations:" in b)
    known = KnownValues.from_mapping(yaml.safe_load(block))
    known.check_names([*all_operations(load_contracts()), *corpus_ops.values()])
    values = known.for_operation(corpus_ops["GET /available-appointments"])
    assert values.parameters["address"] == {"id": "200004033694", "type": "UPRN"}
    assert values.tenant_scoped is False
