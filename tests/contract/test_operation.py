"""Loading a compiled contract into typed operations: every parameter location, security schemes and
`default` responses, as the engine and the reference server need them."""

from __future__ import annotations

from fcvalidate.contract.operation import contract_from_spec

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "components": {
        "securitySchemes": {
            "key": {"type": "apiKey", "in": "query", "name": "api_key"},
            "guessed": {
                "type": "apiKey",
                "in": "header",
                "name": "guessed",
                "x-fc-gaps": ["security-scheme"],
            },
            "bearer": {"type": "http", "scheme": "bearer"},
        }
    },
    "paths": {
        "/things/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "schema": {"type": "string"}},
                {"name": "Tenant", "in": "header", "required": True, "schema": {"type": "string"}},
            ],
            "get": {
                "parameters": [
                    {"name": "Tenant", "in": "header", "required": False, "schema": {"type": "string"}},
                    {
                        "name": "where",
                        "in": "query",
                        "required": True,
                        "content": {"application/json": {"schema": {"type": "object"}, "example": {"a": 1}}},
                    },
                    {
                        "name": "tags",
                        "in": "query",
                        "style": "form",
                        "explode": False,
                        "schema": {"type": "array"},
                    },
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                ],
                "security": [{"key": []}, {"guessed": []}, {"bearer": []}],
                "responses": {
                    "204": {"description": "gone"},
                    "default": {
                        "description": "error",
                        "content": {"application/problem+json": {"schema": {"type": "object"}}},
                    },
                },
            },
        }
    },
}


def test_parameters_of_every_location_with_path_level_ones_overridden():
    (op,) = contract_from_spec("t.json", SPEC).operations
    by = {(p.location, p.name): p for p in op.parameters}
    assert set(by) == {
        ("path", "id"),
        ("header", "Tenant"),
        ("query", "where"),
        ("query", "tags"),
        ("cookie", "session"),
    }
    assert by[("path", "id")].required  # a path parameter is always required
    assert not by[("header", "Tenant")].required  # the operation's own declaration wins
    assert by[("query", "where")].media_type == "application/json" and by[("query", "where")].example == {
        "a": 1
    }
    assert by[("query", "tags")].explode is False
    assert [p.name for p in op.in_("query")] == ["where", "tags"] and op.headers == (
        by[("header", "Tenant")],
    )


def test_security_alternatives_say_how_each_credential_is_sent():
    (op,) = contract_from_spec("t.json", SPEC).operations
    key, guessed, bearer = op.security
    assert (key.kind, key.location, key.parameter, key.documented) == ("api-key", "query", "api_key", True)
    assert (guessed.kind, guessed.documented) == ("api-key", False)
    assert (bearer.kind, bearer.parameter) == ("bearer", "Authorization")


def test_default_response_is_kept_apart_from_numbered_ones():
    (op,) = contract_from_spec("t.json", SPEC).operations
    assert list(op.responses) == [204] and op.responses[204].media_type is None
    assert op.default_response is not None and op.default_response.media_type == "application/problem+json"


def test_a_status_range_documents_every_status_of_its_class_not_listed_alone():
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "get": {
                    "responses": {
                        "2XX": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "404": {"description": "not found"},
                        "4xx": {"description": "error", "content": {"application/json": {"schema": {}}}},
                    }
                }
            }
        },
    }
    (op,) = contract_from_spec("t.json", spec).operations
    assert {200, 201, 202, 206} <= set(op.success_statuses) and 204 not in op.responses  # no body on a 204
    assert op.responses[404].media_type is None  # the status's own response wins over its range
    assert op.responses[409].media_type == "application/json" and 500 not in op.responses
