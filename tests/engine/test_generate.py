"""Generation: a seed means the same draws whatever else the process has loaded."""

from __future__ import annotations

import importlib
import sys

from fcvalidate.engine.generate import Strategies

# A local module full of constants Hypothesis would harvest and mix into its draws.
CONSTANTS_MODULE = "\n".join(
    [f"NAME_{i} = {('fcv-constant-' + str(i) * 7)!r}" for i in range(200)]
    + [f"NUMBER_{i} = {123456789 + i}" for i in range(200)]
)


def draws(contracts, seed):
    out = []
    for contract in contracts:
        strategies = Strategies(contract)
        for op in contract.operations:
            for mode in ("positive", "negative"):
                out += [(d.headers, repr(d.body)) for d in strategies.draw(op, mode, 8, seed)]
    return out


def test_same_seed_same_draws_whatever_local_modules_are_loaded(contracts, tmp_path, monkeypatch):
    before = draws(contracts, 41)
    folder = tmp_path / "somewhere"
    folder.mkdir()
    (folder / "fc_local_constants_probe.py").write_text(CONSTANTS_MODULE)
    monkeypatch.syspath_prepend(str(folder))
    importlib.import_module("fc_local_constants_probe")
    try:
        assert draws(contracts, 41) == before
    finally:
        sys.modules.pop("fc_local_constants_probe", None)


def test_an_operation_with_nothing_to_break_has_no_negative_draws_and_no_error(corpus_contracts_dir):
    # HEAD /forecasts/latest takes no input at all: Hypothesis finds no negative case (Unsatisfiable)
    from fcvalidate.files import load_contracts

    (contract,) = [
        c
        for c in load_contracts([corpus_contracts_dir])
        if c.name == "open-skies-weather-service.openapi.json"
    ]
    (op,) = [op for op in contract.operations if op.label == "HEAD /forecasts/latest"]
    strategies = Strategies(contract)
    assert strategies.draw(op, "negative", 5, seed=1) == []
    assert len(strategies.draw(op, "positive", 3, seed=1)) >= 1


def test_request_objects_are_closed_for_generation_and_nothing_else_changes():
    from fcvalidate.engine.generate import generation_spec

    listed = {"type": "object", "properties": {"a": {"type": "string"}}}
    spec = {
        "components": {"schemas": {"Contact": {**listed, "examples": [{"properties": {"x": 1}}]}}},
        "paths": {
            "/x": {
                "parameters": [
                    {"name": "q", "in": "query", "content": {"application/json": {"schema": listed}}}
                ],
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "contact": {"$ref": "#/components/schemas/Contact"},
                                        "map": {"type": "object", "additionalProperties": {"type": "string"}},
                                        "items": {"type": "array", "items": listed},
                                        "both": {"allOf": [listed, {"properties": {"b": {}}}]},
                                    },
                                }
                            }
                        }
                    },
                    "responses": {"200": {"content": {"application/json": {"schema": listed}}}},
                },
            }
        },
    }
    before = repr(spec)
    out = generation_spec(spec)
    assert repr(spec) == before  # the contract itself is untouched
    post = out["paths"]["/x"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert body["additionalProperties"] is False
    assert out["components"]["schemas"]["Contact"]["additionalProperties"] is False
    assert out["components"]["schemas"]["Contact"]["examples"] == [{"properties": {"x": 1}}]  # data
    assert (
        out["paths"]["/x"]["parameters"][0]["content"]["application/json"]["schema"]["additionalProperties"]
        is False
    )
    assert body["properties"]["items"]["items"]["additionalProperties"] is False
    assert body["properties"]["map"]["additionalProperties"] == {"type": "string"}  # a map stays a map
    assert "additionalProperties" not in body["properties"]["both"]["allOf"][0]  # siblings' fields
    assert "additionalProperties" not in body["properties"]["contact"]  # a reference, closed where it points
    assert "additionalProperties" not in post["responses"]["200"]["content"]["application/json"]["schema"]


def test_valid_draws_carry_the_documented_fields_only(contracts, corpus_contracts_dir):
    """JSON Schema would let Schemathesis add any field; the documents promise none is accepted."""
    from fcvalidate.files import load_contracts
    from fcvalidate.server.bodies import has_undocumented_field

    optional_seen = 0
    for contract in [*contracts, *load_contracts([corpus_contracts_dir])]:
        strategies = Strategies(contract)
        for op in contract.operations:
            schema = op.request_schema or {}
            for draw in strategies.draw(op, "positive", 10, seed=5):
                assert not has_undocumented_field(draw.body, schema), (op.label, draw.body)
                if isinstance(draw.body, dict):
                    optional_seen += len(set(draw.body) - set(schema.get("required", [])))
    assert optional_seen  # the draws still vary the documented optional fields


def test_an_undocumented_field_is_one_edge_body_known_values_left_alone():
    from fcvalidate.engine.generate import UNDOCUMENTED_FIELD, edge_bodies

    body = {"id": 1, "contact": {"name": "a"}, "items": [{"v": 1}], "known": {"k": 1}}
    (variant,) = [b for title, b in edge_bodies(body, {("known",)}) if "undocumented" in title]
    assert variant == {
        "id": 1,
        "contact": {"name": "a", UNDOCUMENTED_FIELD: "fcvalidate"},
        "items": [{"v": 1, UNDOCUMENTED_FIELD: "fcvalidate"}],
        "known": {"k": 1},
        UNDOCUMENTED_FIELD: "fcvalidate",
    }


def test_a_required_string_is_given_a_value_in_valid_draws_and_a_blank_one_is_fuzzed(contracts):
    """`(string, required)`: an implementation may rightly refuse a blank value, so valid requests never
    send one; Schemathesis's negative cases do, judged on server errors alone."""
    from fcvalidate.engine.generate import generation_spec

    (contract,) = [
        c for c in contracts if any(op.path == "/service-problem-amendments" for op in c.operations)
    ]
    spec = generation_spec(contract.spec)
    contact = spec["components"]["schemas"]["Contact"]
    assert contact["properties"]["name"]["minLength"] == 1  # required
    assert "minLength" not in contact["properties"]["email"]  # optional: a blank one may be sent
    op = next(op for op in contract.operations if op.path == "/service-problem-amendments")
    (header,) = [p for p in spec["paths"][op.path]["post"]["parameters"] if p["name"] == "Tenant"]
    assert header["schema"]["minLength"] == 1

    def blanks(body):
        if isinstance(body, dict):
            return any(blanks(v) for v in body.values()) or body.get("name") == ""
        if isinstance(body, list):
            return any(blanks(v) for v in body)
        return False

    strategies = Strategies(contract)
    assert not any(blanks(d.body) for d in strategies.draw(op, "positive", 30, seed=2))
