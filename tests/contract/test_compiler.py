"""The compiler construct by construct: heads, parameters, security names, responses, API naming."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate

from fcvalidate.contract.compiler import (
    GAP_PATH_PARAMETER,
    GAP_SECURITY_SCHEME,
    GAP_VERSION,
    Api,
    compile_apis,
    compile_documents,
    security_scheme,
)
from fcvalidate.contract.parser import parse_document
from fcvalidate.errors import DocumentError

OK = "## Response 200 fields (application/json): - `id` (string, required) Id"


def compile_one(text: str, api: Api | None = None) -> tuple[str, dict[str, Any]]:
    ((name, spec),) = compile_documents([parse_document(text, "doc.md")], api=api).items()
    validate(spec)
    return name, spec


def only_operation(spec: dict[str, Any]) -> dict[str, Any]:
    ((_, item),) = spec["paths"].items()
    ((_, op),) = item.items()
    return op


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
def test_every_method(method):
    _, spec = compile_one(f"# Do it. Endpoint: {method} /things Version: 1 Security: oauth2 {OK}")
    assert method.lower() in spec["paths"]["/things"]


@pytest.mark.parametrize(
    ("path", "names"),
    [("/x/{id}", ["id"]), ("/Products({key})", ["key"]), ("/a/{b}/c/{d}/", ["b", "d"]), ("/plain/", [])],
)
def test_path_templates_get_required_path_parameters(path, names):
    documented = "".join(f" - `{n}` (string) The {n}" for n in names[:1])
    text = f"# Get. Endpoint: GET {path} Version: 1 ## Path parameters:{documented} {OK}"
    if not names:
        text = f"# Get. Endpoint: GET {path} Version: 1 {OK}"
    _, spec = compile_one(text)
    op = spec["paths"][path]["get"]
    params = [p for p in op.get("parameters", []) if p["in"] == "path"]
    assert [p["name"] for p in params] == names
    assert all(p["required"] is True for p in params)
    if names:
        # documented as optional: required anyway, and said so
        assert params[0]["x-fc-inferred"]["rule"] == "path-parameter-required"
    if len(names) > 1:
        assert params[1]["x-fc-inferred"]["rule"] == "undocumented-path-parameter"
        assert GAP_PATH_PARAMETER in op["x-fc-gaps"]
    else:
        assert GAP_PATH_PARAMETER not in op.get("x-fc-gaps", [])


def test_no_version_and_no_security():
    name, spec = compile_one(f"# Ping Endpoint: GET /ping {OK}")
    assert name == "fibre-cafe.openapi.json"
    assert spec["info"]["version"] == "unversioned" and spec["x-fc-gaps"] == [GAP_VERSION]
    op = only_operation(spec)
    assert op["summary"] == "Ping" and op["description"] == ""
    assert "security" not in op and "components" not in spec


@pytest.mark.parametrize(
    ("name", "expected", "rule"),
    [
        ("oauth2", {"type": "oauth2"}, "oauth2-flow"),
        ("OAuth2", {"type": "oauth2"}, "oauth2-flow"),
        ("BearerAuth", {"type": "http", "scheme": "bearer"}, "scheme-from-name"),
        ("JWT", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}, "scheme-from-name"),
        ("basicAuth", {"type": "http", "scheme": "basic"}, "scheme-from-name"),
        ("HTTPBasic", {"type": "http", "scheme": "basic"}, "scheme-from-name"),  # FastAPI's default name
        ("http_basic", {"type": "http", "scheme": "basic"}, "scheme-from-name"),
        ("X-Api-Key", {"type": "apiKey", "in": "header", "name": "X-Api-Key"}, "scheme-from-name"),
        ("ApiKeyAuth", {"type": "apiKey", "in": "header", "name": "ApiKeyAuth"}, "api-key-location"),
        ("magic", {"type": "apiKey", "in": "header", "name": "magic"}, "unknown-scheme"),
    ],
)
def test_security_scheme_types_come_from_names_and_say_so(name, expected, rule):
    scheme = security_scheme(name)
    assert scheme is not None
    assert {k: scheme[k] for k in expected} == expected
    assert scheme["x-fc-inferred"]["rule"] == rule
    assert (GAP_SECURITY_SCHEME in scheme.get("x-fc-gaps", [])) == (
        rule in ("api-key-location", "unknown-scheme")
    )


def test_several_schemes_are_alternatives_and_each_is_declared():
    _, spec = compile_one(f"# Get. Endpoint: GET /x Version: 1 Security: ApiKeyAuth, BasicAuth {OK}")
    op = only_operation(spec)
    assert op["security"] == [{"ApiKeyAuth": []}, {"BasicAuth": []}]
    assert op["x-fc-inferred"]["rule"] == "security-alternatives"
    assert set(spec["components"]["securitySchemes"]) == {"ApiKeyAuth", "BasicAuth"}


def test_security_none_means_no_security():
    _, spec = compile_one(f"# Get. Endpoint: GET /x Version: 1 Security: none {OK}")
    assert "security" not in only_operation(spec)


def test_oauth2_token_url_comes_from_the_api():
    _, spec = compile_one(f"# Get. Endpoint: GET /x Security: oauth2 {OK}", Api("Other", "other", "/token"))
    flow = spec["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == "/token"


def test_responses_in_status_order_with_ranges_and_default():
    text = (
        "# Get. Endpoint: GET /x Version: 1 ## Response default fields (application/json): - `e` (string) E "
        "## Response 4XX fields ## Response 404 fields ## Response 200 fields (text/plain):"
    )
    _, spec = compile_one(text)
    responses = only_operation(spec)["responses"]
    assert list(responses) == ["200", "404", "4XX", "default"]
    assert (
        responses["200"]["content"]["text/plain"]["schema"]["x-fc-inferred"]["rule"] == "body-without-fields"
    )
    assert responses["4XX"]["description"] == "Any 4XX status"


def test_query_arrays_and_objects_say_how_they_are_sent():
    text = (
        "# Get. Endpoint: GET /x Version: 1 ## Query parameters: "
        '- `tags` (array) Tags Example: ["a","b"] '
        '- `ids` (array) Ids Example: "1,2" '
        "- `filter` (object) Filter "
        '- `where` (object) Where Example: "{\\"a\\":1}" '
        f"{OK}"
    )
    _, spec = compile_one(text)
    params = {p["name"]: p for p in only_operation(spec)["parameters"]}
    assert (params["tags"]["style"], params["tags"]["explode"]) == ("form", True)
    assert params["tags"]["schema"]["items"] == {"type": "string"}
    assert (params["ids"]["style"], params["ids"]["explode"]) == ("form", False)
    assert (params["filter"]["style"], params["filter"]["explode"]) == ("form", True)
    assert params["filter"]["x-fc-inferred"]["rule"] == "query-object-style"
    assert params["where"]["content"]["application/json"]["example"] == {"a": 1}


def test_a_dotted_parameter_name_without_a_documented_parent_is_one_name():
    text = f"# Get. Endpoint: GET /x Version: 1 ## Query parameters: - `created.gte` (string) From {OK}"
    _, spec = compile_one(text)
    assert [p["name"] for p in only_operation(spec)["parameters"]] == ["created.gte"]


def test_default_and_enum_of_every_scalar_kind():
    text = (
        "# Get. Endpoint: POST /x Version: 1 ## Request fields (application/json): "
        '- `s` (string) S Enum: "A", "B" Default: "A" '
        "- `n` (number) N Enum: 1.5, 2 Default: 2 "
        "- `b` (boolean) B Enum: true Default: true "
        "- `a` (any) A Default: {} "
        f"{OK}"
    )
    _, spec = compile_one(text)
    props = only_operation(spec)["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert (props["s"]["enum"], props["s"]["default"]) == (["A", "B"], "A")
    assert (props["n"]["enum"], props["n"]["default"]) == ([1.5, 2], 2)
    assert (props["b"]["enum"], props["b"]["default"]) == ([True], True)
    assert "type" not in props["a"] and props["a"]["default"] == {}


def test_arrays_of_objects_in_objects_in_arrays_to_any_depth():
    text = (
        "# Get. Endpoint: GET /x Version: 1 ## Response 200 fields (application/json): "
        "- `a` (array) A - `a.b` (object) B - `a.b.c` (array) C - `a.b.c.d` (integer, required) D"
    )
    _, spec = compile_one(text)
    schema = only_operation(spec)["responses"]["200"]["content"]["application/json"]["schema"]
    c = schema["properties"]["a"]["items"]["properties"]["b"]["properties"]["c"]
    assert c["items"] == {
        "type": "object",
        "properties": {
            "d": {
                "type": "integer",
                "description": "D",
                "x-fc-source": c["items"]["properties"]["d"]["x-fc-source"],
            }
        },
        "required": ["d"],
    }


def test_several_apis_in_one_folder_name_their_files_and_titles():
    a = parse_document(f"# A Endpoint: GET /a Version: 1 {OK}", "a.md")
    b = parse_document(f"# B Endpoint: GET /b {OK}", "b/b.md")
    out = compile_apis([(Api(), [a]), (Api.named("billing"), [b])])
    assert set(out) == {"fibre-cafe-1.openapi.json", "billing.openapi.json"}
    assert out["billing.openapi.json"]["info"]["title"] == "billing"


def test_two_apis_writing_the_same_file_are_refused():
    a = parse_document(f"# A Endpoint: GET /a Version: 1 {OK}", "a.md")
    b = parse_document(f"# B Endpoint: GET /b Version: 1 {OK}", "b/b.md")
    with pytest.raises(DocumentError, match=r"would write fibre-cafe-1\.openapi\.json"):
        compile_apis([(Api(), [a]), (Api(title="Other"), [b])])


def test_additional_properties_is_the_value_schema_of_a_map():
    text = (
        "# Get. Endpoint: GET /x Version: 1 ## Response 200 fields (application/json): "
        "- `labels` (object) Labels - `labels.additionalProperties` (string) A label"
    )
    _, spec = compile_one(text)
    labels = only_operation(spec)["responses"]["200"]["content"]["application/json"]["schema"]["properties"][
        "labels"
    ]
    assert "properties" not in labels
    assert labels["additionalProperties"]["type"] == "string"
    assert labels["additionalProperties"]["x-fc-inferred"]["rule"] == "map-values"


def test_operation_ids_stay_unique_when_two_paths_read_alike():
    docs = [
        parse_document(f"# A Endpoint: GET /Things({{key}}) Version: 1 {OK}", "a.md"),
        parse_document(f"# B Endpoint: GET /Things/{{key}} Version: 1 {OK}", "b.md"),
    ]
    (spec,) = compile_documents(docs).values()
    validate(spec)
    ids = [op["operationId"] for item in spec["paths"].values() for op in item.values()]
    assert sorted(ids) == ["getThingsKey", "getThingsKey2"]


def test_an_empty_security_line_is_public_and_says_so():
    for head in (
        "# Get. Endpoint: GET /x Version: 1 Security: ",
        "# Get\n\nEndpoint: GET /x\nVersion: 1\nSecurity: \n\n",
    ):
        _, spec = compile_one(f"{head} {OK}")
        op = spec["paths"]["/x"]["get"]
        assert "security" not in op and "securitySchemes" not in spec.get("components", {})
        assert any("names no scheme" in n["note"] for n in op["x-fc-notes"])


def test_several_empty_security_requirements_are_public_too():
    # `security: [{}, {}]` prints as `Security: , `: still no scheme named
    for head in (
        "# Get. Endpoint: GET /x Version: 1 Security: , ",
        "# Get\n\nEndpoint: GET /x\nVersion: 1\nSecurity: , \n\n",
    ):
        _, spec = compile_one(f"{head} {OK}")
        op = spec["paths"]["/x"]["get"]
        assert "security" not in op and "securitySchemes" not in spec.get("components", {})
        assert any("names no scheme" in n["note"] for n in op["x-fc-notes"])


def test_an_empty_security_requirement_beside_a_scheme_is_refused_where_it_is():
    # `security: [{}, {Bearer: []}]`: credentials optional, which the contract cannot say
    text = f"# Get. Endpoint: GET /x Version: 1 Security: , Bearer {OK}"
    with pytest.raises(DocumentError, match=r"doc\.md:1:46: 'Security:' lists an empty requirement"):
        parse_document(text, "doc.md")


def test_a_document_listing_no_response_compiles_to_valid_openapi_with_the_gap():
    text = "# Make. Endpoint: POST /x Version: 1 ## Request fields (application/json): - `a` (string) A"
    _, spec = compile_one(text)
    validate(spec)
    op = only_operation(spec)
    assert "responses" not in op and "success-response" in op["x-fc-gaps"]


def test_any_or_null_is_any():
    text = (
        "# Get. Endpoint: GET /x Version: 1 ## Response 200 fields (application/json): "
        "- `payload` (any,null, required) Whatever the job left - `code` (any,null) A code"
    )
    _, spec = compile_one(text)
    schema = only_operation(spec)["responses"]["200"]["content"]["application/json"]["schema"]
    assert "type" not in schema["properties"]["payload"] and "type" not in schema["properties"]["code"]
    assert schema["required"] == ["payload"]
    with pytest.raises(DocumentError, match="'any' already allows every type"):
        parse_document(text.replace("(any,null)", "(any,string)"), "doc.md")


def test_a_version_key_written_twice_reads_the_value_after_the_second_and_says_so():
    for head in (
        "# Get. Endpoint: GET /x Version: Version: ab12 ",
        "# Get\n\nEndpoint: GET /x\nVersion: Version: ab12\n\n",
    ):
        name, spec = compile_one(f"{head} {OK}")
        assert spec["info"]["version"] == "ab12" and name.endswith("-ab12.openapi.json")
        assert any("writes the key twice" in n["note"] for n in spec["paths"]["/x"]["get"]["x-fc-notes"])


def test_a_key_given_twice_apart_is_still_refused():
    with pytest.raises(DocumentError, match="'Version:' given twice"):
        parse_document(f"# Get. Endpoint: GET /x Version: 1 Security: oauth2 Version: 2 {OK}", "doc.md")
