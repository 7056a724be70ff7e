"""One-defect mutations: each is invalid for exactly one stated reason; nothing the contract leaves open."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from fcvalidate.engine.generate import example_body
from fcvalidate.engine.mutations import mutations
from fcvalidate.files import load_contracts


@pytest.fixture(scope="module")
def amendments():
    return next(op for c in load_contracts() for op in c if op.path == "/service-problem-amendments")


def test_example_body_is_valid_and_has_every_field(amendments):
    body = example_body(amendments.request_schema)
    assert Draft202012Validator(amendments.request_schema).is_valid(body)
    assert set(body) == set(amendments.request_schema["properties"])
    assert body["serviceProblemId"] == 12356  # the document's own example
    assert body["characteristics"] == [{"name": "END_USER_CPE", "value": "Zyzel DX3301"}]


def test_every_mutation_breaks_the_schema_once(amendments):
    body = example_body(amendments.request_schema)
    validator = Draft202012Validator(amendments.request_schema)
    found = mutations(body, amendments.request_schema)
    assert found
    for m in found:
        errors = list(validator.iter_errors(m.body))
        assert len(errors) == 1, (m.defect.description, [e.message for e in errors])
        assert m.source.at.startswith("source/service-problem-amendments.md:1:")


def test_required_fields_at_every_depth_are_left_out(amendments):
    found = {
        m.defect.location
        for m in mutations(example_body(amendments.request_schema), amendments.request_schema)
        if m.defect.kind == "missing-required"
    }
    assert found == {
        "request.body.$.id",
        "request.body.$.serviceProblemId",
        "request.body.$.characteristics[0].name",
        "request.body.$.characteristics[0].value",
        "request.body.$.primaryContact.name",
        "request.body.$.primaryContact.phoneNumber",
        "request.body.$.secondaryContact.name",
        "request.body.$.secondaryContact.phoneNumber",
    }


def test_null_only_for_required_fields(amendments):
    """An optional field set to null is read as "absent" by many implementations: never a defect here."""
    nulls = {
        m.defect.location
        for m in mutations(example_body(amendments.request_schema), amendments.request_schema)
        if m.defect.kind == "null-not-allowed"
    }
    assert "request.body.$.id" in nulls
    assert "request.body.$.supplierReference" not in nulls
    assert "request.body.$.primaryContact.email" not in nulls


def test_open_object_has_nothing_to_mutate():
    assert mutations({"anything": 1}, {"type": "object"}) == []


def test_enum_violation():
    schema = {"type": "object", "properties": {"kind": {"type": "string", "enum": ["A", "B"]}}}
    kinds = {m.defect.kind for m in mutations({"kind": "A"}, schema)}
    assert kinds == {"wrong-type", "not-in-enum"}


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c"]),
        st.one_of(st.integers(), st.text(max_size=3), st.booleans()),
        min_size=1,
    )
)
def test_generated_bodies_mutations_are_all_invalid(body):
    schema = {
        "type": "object",
        "required": sorted(body)[:1],
        "properties": {
            k: {"type": {bool: "boolean", int: "number", str: "string"}[type(v)]} for k, v in body.items()
        },
    }
    validator = Draft202012Validator(schema)
    assert validator.is_valid(body)
    for m in mutations(body, schema):
        assert not validator.is_valid(m.body)
