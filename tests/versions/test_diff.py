"""`fcvalidate diff` on the version series: every rule found on its planted change, with the weight for
tenants and suppliers the plant states, and nothing else."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from fcvalidate.contract.diff import RULES, ContractDocument, diff_contracts
from fcvalidate.files import load_version
from tests.versions.plants import PLANTS, Plant, versions


def found(old: Path, new: Path) -> set[tuple[str, str, str, str, str]]:
    changes = diff_contracts(load_version(old), load_version(new))
    return {(c.rule.id, c.operation, c.location, c.rule.tenants, c.rule.suppliers) for c in changes}


@pytest.mark.parametrize("plant", PLANTS, ids=lambda p: p.name)
def test_planted_change_is_found_with_its_weights_and_nothing_else(plant: Plant, tmp_path: Path):
    old, new = versions(plant, tmp_path)
    assert found(old, new) == set(plant.expect)


def test_the_base_version_has_no_change_from_itself():
    base = Path(__file__).parent / "series" / "1.0"
    assert found(base, base) == set()


def test_every_rule_has_a_plant():
    planted = {e[0] for p in PLANTS for e in p.expect}
    contract_only = {
        f"{slot}-format-changed" for slot in ("parameter", "request-property", "response-property")
    }
    assert set(RULES) - planted == contract_only  # the compiler infers no format but uuid: see below


def _spec(tmp_path: Path) -> dict:
    (doc,) = [d for d in load_version(Path(__file__).parent / "series" / "1.0") if "2.0" in d.name]
    return copy.deepcopy(dict(doc.spec))


@pytest.mark.parametrize(
    ("rule", "where", "location", "tenants", "suppliers"),
    [
        (
            "parameter-format-changed",
            lambda op: op["parameters"][0]["schema"],
            "request.path.id",
            "breaking",
            "breaking",
        ),
        (
            "request-property-format-changed",
            lambda op: op["requestBody"]["content"]["application/json"]["schema"]["properties"]["serviceId"],
            "request.body.$.serviceId",
            "breaking",
            "breaking",
        ),
        (
            "response-property-format-changed",
            lambda op: op["responses"]["201"]["content"]["application/json"]["schema"]["properties"]["id"],
            "response.201.body.$.id",
            "breaking",
            "breaking",
        ),
    ],
)
def test_format_changed(rule, where, location, tenants, suppliers, tmp_path):
    """Contracts written by hand (or by another tool) carry any format: date → date-time."""
    old, new = _spec(tmp_path), _spec(tmp_path)
    path = "/service-problems/{id}" if rule.startswith("parameter") else "/service-problems"
    method = "get" if rule.startswith("parameter") else "post"
    where(old["paths"][path][method])["format"] = "date"
    where(new["paths"][path][method])["format"] = "date-time"
    changes = diff_contracts([ContractDocument("old", old)], [ContractDocument("new", new)])
    assert [
        (c.rule.id, c.location, c.rule.tenants, c.rule.suppliers, c.before, c.after) for c in changes
    ] == [(rule, location, tenants, suppliers, "date", "date-time")]


def test_hand_written_contracts_nullable_refs_and_yaml(tmp_path):
    """Contracts not written by the compiler: `nullable: true` (OpenAPI 3.0), shared `$ref` schemas, no
    clauses (then none is quoted), YAML."""
    import yaml

    def spec(nullable: bool, status: str) -> dict:
        return {
            "openapi": "3.0.3",
            "info": {"title": "Pets", "version": "1"},
            "paths": {
                "/pets/{petId}": {
                    "get": {
                        "parameters": [{"$ref": "#/components/parameters/PetId"}],
                        "responses": {
                            status: {
                                "description": "ok",
                                "content": {
                                    "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                                },
                            }
                        },
                    }
                }
            },
            "components": {
                "parameters": {
                    "PetId": {"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}}
                },
                "schemas": {
                    "Pet": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {"name": {"type": "string", "nullable": nullable}},
                    }
                },
            },
        }

    (tmp_path / "old.openapi.yaml").write_text(yaml.safe_dump(spec(False, "200")))
    (tmp_path / "new.openapi.yaml").write_text(yaml.safe_dump(spec(True, "200")))
    changes = diff_contracts(
        load_version(tmp_path / "old.openapi.yaml"), load_version(tmp_path / "new.openapi.yaml")
    )
    assert [(c.rule.id, c.operation, c.location, c.old, c.new) for c in changes] == [
        ("response-property-nullable-added", "GET /pets/{petId}", "response.200.body.$.name", None, None)
    ]


def test_path_level_parameters_count_as_the_operations():
    def spec(required: bool) -> dict:
        param = {"name": "X-Tenant", "in": "header", "required": required, "schema": {"type": "string"}}
        return {
            "openapi": "3.1.0",
            "info": {"title": "T", "version": "1"},
            "paths": {
                "/things": {"parameters": [param], "get": {"responses": {"200": {"description": "ok"}}}}
            },
        }

    changes = diff_contracts([ContractDocument("a", spec(False))], [ContractDocument("b", spec(True))])
    assert [(c.rule.id, c.location) for c in changes] == [
        ("parameter-became-required", "request.header.X-Tenant")
    ]


def test_yaml_values_that_are_not_json_still_diff(tmp_path):
    """An unquoted date in a YAML enum is a date object: it is shown and fingerprinted as its text."""
    import json

    from fcvalidate.contract.diff import apply_accepted
    from fcvalidate.report.diff import diff_data, render_json

    def spec(days: str) -> str:
        return (
            "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /slots:\n    get:\n      parameters:\n"
            f"      - {{name: day, in: query, schema: {{type: string, enum: [{days}]}}}}\n"
            "      responses: {200: {description: ok}}\n"
        )

    (tmp_path / "a.openapi.yaml").write_text(spec("2026-01-01"))
    (tmp_path / "b.openapi.yaml").write_text(spec("2026-01-01, 2026-01-02"))
    (change,) = diff_contracts(
        load_version(tmp_path / "a.openapi.yaml"), load_version(tmp_path / "b.openapi.yaml")
    )
    assert (change.rule.id, change.message) == (
        "parameter-enum-value-added",
        'parameter enum value added: "2026-01-02"',
    )
    data = json.loads(render_json(diff_data(apply_accepted([change]), ["a"], ["b"])))
    assert data["changes"][0]["after"] == "2026-01-02" and len(change.fingerprint) == 16
