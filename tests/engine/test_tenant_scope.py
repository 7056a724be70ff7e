"""Which operations must refuse another tenant: those naming an existing resource, not creates or searches."""

from __future__ import annotations

import pytest

from fcvalidate.engine.data import KnownValues
from fcvalidate.engine.probes import tenant_scoped
from fcvalidate.files import all_operations, load_contracts


@pytest.fixture(scope="module")
def ops(corpus_contracts_dir):
    seeds = all_operations(load_contracts())
    return {op.label: op for op in [*all_operations(load_contracts([corpus_contracts_dir])), *seeds]}


@pytest.mark.parametrize(
    ("label", "data", "scoped"),
    [
        ("GET /service-problems/{id}", {}, True),  # a path identifier names the resource
        ("POST /service-problems", {}, False),  # a create naming no existing resource: any tenant may
        ("GET /available-appointments", {}, False),  # a search
        ("POST /service-problem-amendments", {"values": {"serviceProblemId": 12356}}, True),  # body names one
        ("POST /service-problem-amendments", {}, False),
        ("POST /service-problems", {"operations": {"POST /service-problems": {"tenant_scoped": True}}}, True),
        (
            "GET /service-problems/{id}",
            {"operations": {"GET /service-problems/{id}": {"tenant_scoped": False}}},
            False,
        ),
    ],
)
def test_tenant_scoped(ops, label, data, scoped):
    op = ops[label]
    values = KnownValues.from_mapping(data).for_operation(op)
    assert tenant_scoped(op, values) is scoped
