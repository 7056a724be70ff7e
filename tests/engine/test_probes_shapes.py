"""The cases the engine builds for each operation shape of the corpus: path parameters, query parameters
(JSON content, arrays per explode, enums), cookies, operations without a body, non-JSON bodies, API keys."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from fcvalidate.engine import probes
from fcvalidate.engine.credentials import Credentials
from fcvalidate.engine.data import KnownValues
from fcvalidate.engine.generate import Draw
from fcvalidate.engine.transport import build_headers, build_url, expand_path
from fcvalidate.exchange import Credential
from fcvalidate.files import all_operations, load_contracts
from fcvalidate.requirements import RequirementId as R


class NoDraws:
    """A draw source without Hypothesis: the documented example alone (fast, deterministic)."""

    def __init__(self, draws=()):
        self.draws = list(draws)

    def draw(self, op, mode, count, seed):
        return self.draws[:count] if mode == "positive" else []


@pytest.fixture(scope="module")
def ops(corpus_contracts_dir):
    return {op.label: op for op in all_operations(load_contracts([corpus_contracts_dir]))}


TOKEN_ONLY = Credentials(token="t")


def build(op, data=None, credentials=TOKEN_ONLY, draws=()):
    values = KnownValues.from_mapping(data).for_operation(op)
    via = credentials.credential_for(op)
    parts = probes.request_parts(op, values, credential=via[0] if via else None)
    valid = probes.valid_cases(op, NoDraws(draws), values, 1 + len(draws), 0, parts)
    planned = probes.probe_cases(
        op, valid[0], NoDraws(), values, 0, 1, parts=parts, documented_methods={op.method}
    )
    return valid, planned


def query_of(case):
    return parse_qsl(urlsplit(build_url("http://x", case, "secret")).query, keep_blank_values=True)


def test_required_query_parameters_json_content_compact_and_arrays_exploded(ops):
    op = ops["GET /available-appointments"]
    (valid, *_), _ = build(op, {"operations": {op.label: {"appointmentTypes": ["INSTALL", "REPAIR"]}}})
    assert valid.body is None and valid.content_type is None  # GET carries no body
    assert valid.query == (
        ("address", '{"id":"200004033694","type":"UPRN"}'),  # the documented example, compact JSON
        ("appointmentTypes", "INSTALL"),
        ("appointmentTypes", "REPAIR"),
    )
    assert "from" not in dict(valid.query)  # an optional parameter only when the data file gives it
    assert build_url("http://x", valid, None) == (
        "http://x/available-appointments?address=%7B%22id%22%3A%22200004033694%22%2C%22type%22%3A%22UPRN%22%7D"
        "&appointmentTypes=INSTALL&appointmentTypes=REPAIR"
    )


def test_query_defects_are_invalid_requests_with_one_defect_each(ops):
    op = ops["GET /available-appointments"]
    _, planned = build(op)
    # (enum near misses and numbers beyond bounds: tests/engine/test_boundaries.py)
    invalid = [c for c in planned.cases if c.kind == "invalid"]
    described = {c.defect.description: c for c in invalid if c.defect}
    assert set(described) == {
        "required query parameter address left out",
        "address is not JSON: '{not json'",
        "address is JSON but not an object: []",
        "required query parameter appointmentTypes left out",
        "an item of appointmentTypes is 'FCVALIDATE_NOT_IN_ENUM', outside its enum",
        "days is 'fcvalidate', not integer",
    }
    missing = described["required query parameter address left out"]
    assert [name for name, _ in missing.query] == ["appointmentTypes"] and missing.kind == "invalid"
    assert (
        missing.defect.kind == "missing-query-parameter"
        and missing.defect.location == "request.query.address"
    )
    wrong = described["days is 'fcvalidate', not integer"]
    assert ("days", "fcvalidate") in wrong.query and ("address", valid_address()) in wrong.query
    assert planned.skips[R.MALFORMED_BODY] == "not tested: GET /available-appointments takes no request body"
    assert not any(c.body for c in planned.cases if c.requirement != R.METHOD_NOT_ALLOWED)


def valid_address():
    return '{"id":"200004033694","type":"UPRN"}'


def test_strings_without_enum_and_optional_parameters_are_never_made_wrong(ops):
    op = ops["GET /pets"]
    _, planned = build(op, credentials=Credentials(api_keys=(("ApiKeyAuth", "k"),)))
    defects = {c.defect.description for c in planned.cases if c.defect and c.kind == "invalid"}
    assert defects == {
        "an item of species is 'FCVALIDATE_NOT_IN_ENUM', outside its enum",
        "maxPrice is 'fcvalidate', not number",
    }  # cursor (a plain string) has no wrong value; extra parameters are never sent as defects


def test_integer_enum_gets_an_integer_outside_it(ops):
    op = ops["GET /forecasts"]
    _, planned = build(op, credentials=Credentials())
    by_defect = {c.defect.description: c for c in planned.cases if c.defect}
    assert "days is '8', outside its enum" in by_defect  # enum 1, 3, 7
    assert "includeHourly is 'fcvalidate', not boolean" in by_defect


def test_path_parameters_known_value_else_example_percent_encoded(ops):
    op = ops["GET /service-problems/{id}"]
    (valid,), _ = build(op)
    assert valid.path == "/service-problems/SP-000123"  # the documented example
    (valid,), _ = build(op, {"operations": {op.label: {"id": "a b/c"}}})
    assert valid.path == "/service-problems/a%20b%2Fc"
    (valid,), _ = build(ops["GET /Products({key})"], {"values": {"key": 12}})
    assert valid.path == "/Products(12)"


def test_unknown_resource_and_odd_path_values(ops):
    op = ops["GET /service-problems/{id}"]
    _, planned = build(op, {"operations": {op.label: {"id": "12356"}}})
    (unknown,) = [c for c in planned.cases if c.kind == "unknown-resource"]
    assert unknown.path == "/service-problems/98765" and unknown.requirement == R.INVALID_REQUESTS
    assert unknown.expect.statuses == (404,)  # 404 is documented
    edges = {c.title: c for c in planned.cases if c.kind == "edge"}
    assert edges["id with reserved characters /?#%"].path == "/service-problems/a%2Fb%3Fc%23d%25e"
    assert edges["id with reserved characters /?#%"].expect.sole  # may be re-routed: 5xx only
    assert edges["id with a percent-encoded value"].path == "/service-problems/%252F%253F%2523%2525"
    assert len(edges["id with 5000 characters"].path) > 5000
    assert all(c.expect.outcome == "no-server-error" for c in edges.values())


def test_no_unknown_resource_where_the_method_may_create_or_no_4xx_is_documented(ops):
    for label in ("PUT /branches/{branchCode}/hours", "OPTIONS /pets/{petId}", "GET /Products({key})"):
        _, planned = build(ops[label], credentials=Credentials(token="t", api_keys=(("ApiKeyAuth", "k"),)))
        assert not [c for c in planned.cases if c.kind == "unknown-resource"], label


def test_integer_path_parameter_gets_an_unknown_integer(ops):
    _, planned = build(ops["GET /pets/{petId}"], credentials=Credentials(api_keys=(("ApiKeyAuth", "k"),)))
    (unknown,) = [c for c in planned.cases if c.kind == "unknown-resource"]
    assert unknown.path == "/pets/987654321"


def test_head_delete_options_carry_no_body(ops):
    for label in ("HEAD /stations/{stationId}", "DELETE /Products({key})", "OPTIONS /observations/"):
        credentials = Credentials(token="t", api_keys=(("X-Api-Key", "k"),))
        (valid,), planned = build(ops[label], credentials=credentials)
        assert valid.body is None, label
        assert all(c.body is None for c in planned.cases), label
        assert R.MALFORMED_BODY in planned.skips


def test_patch_bodies_are_probed_like_post_under_their_media_type(ops):
    op = ops["PATCH /service-problem-resolutions/{id}"]
    (valid,), planned = build(op)
    assert valid.content_type == "application/merge-patch+json" and isinstance(valid.json_body, dict)
    kinds = {c.kind for c in planned.cases}
    assert {"malformed", "not-object", "invalid"} <= kinds
    # Its contract gives an unknown resource no status (422 lists no NOT_FOUND): none is sent.
    assert "unknown-resource" not in kinds
    assert all(
        c.content_type == "application/merge-patch+json" for c in planned.cases if c.kind == "malformed"
    )


def test_a_non_json_body_is_sent_as_its_media_type_and_not_probed_as_json(ops):
    op = ops["PUT /pets/{petId}/photo"]
    (valid,), planned = build(op, credentials=Credentials(token="t"))
    assert valid.content_type == "image/png" and valid.body.startswith(b"\x89PNG")
    assert planned.skips[R.MALFORMED_BODY] == "not tested: the request body is image/png, not JSON"


def test_cookies_are_sent_in_one_cookie_header(ops):
    op = ops["POST /loans"]
    (valid,), _ = build(op, {"operations": {op.label: {"rl_session": "s3cr", "rl_lang": "cy"}}})
    assert dict(valid.cookies) == {"rl_session": "s3cr", "rl_lang": "cy"}
    assert build_headers(valid, "tok")["Cookie"] == "rl_session=s3cr; rl_lang=cy"


def test_generated_requests_keep_the_resource_and_drop_generated_credentials(ops):
    op = ops["GET /pets/{petId}"]
    draw = Draw({"ApiKeyAuth": "junk", "X-Other": "1"}, None, path={"petId": 5}, query={})
    credentials = Credentials(api_keys=(("ApiKeyAuth", "k"),))
    (_, generated), _ = build(op, {"values": {"petId": 81}}, credentials, draws=[draw])
    assert generated.path == "/pets/81"  # every valid request names the same resource
    assert "ApiKeyAuth" not in dict(generated.headers)
    assert build_headers(generated, "k")["ApiKeyAuth"] == "k"


def test_api_key_delivery_in_header_query_and_cookie():
    def case_with(location):
        from fcvalidate.exchange import Case, Expect, Source

        return Case(
            "c",
            "GET /x",
            R.VALID_REQUESTS,
            "valid",
            "t",
            "GET",
            "/x",
            (),
            None,
            Expect("success"),
            Source("", ""),
            query=(("a", "1"),),
            credential=Credential("api-key", "Key", location, "api_key"),
        )

    assert build_headers(case_with("header"), "K1")["api_key"] == "K1"
    assert build_url("http://h", case_with("query"), "K1") == "http://h/x?a=1&api_key=K1"
    assert build_headers(case_with("cookie"), "K1")["Cookie"] == "api_key=K1"
    invalid = case_with("query")
    from dataclasses import replace

    assert "api_key=fcvalidate-invalid-token" in build_url("http://h", replace(invalid, auth="invalid"), "K1")
    assert build_url("http://h", replace(invalid, auth="none"), "K1") == "http://h/x?a=1"


def test_authorisation_probes_use_the_scheme_of_the_operation(ops):
    op = ops["GET /pets/{petId}"]
    _, planned = build(op, credentials=Credentials(api_keys=(("apikeyauth", "k"),)))  # parameter name
    auth = [c for c in planned.cases if c.requirement == R.AUTHORISATION]
    assert {c.auth for c in auth} == {"none", "invalid", "extended"}
    assert all(c.credential.kind == "api-key" and c.credential.scheme == "ApiKeyAuth" for c in auth)
    (extended,) = [c for c in auth if c.auth == "extended"]
    assert build_headers(extended, "k")["ApiKeyAuth"] == "kx"  # the real key, one character more
    _, planned = build(ops["GET /forecasts"], credentials=Credentials())
    assert planned.skips[R.AUTHORISATION] == "the operation documents no security"


def test_alternatives_prefer_a_documented_delivery(ops):
    op = ops["POST /pets"]  # ApiKeyAuth (inferred delivery) or bearer
    both = Credentials(token="t", api_keys=(("ApiKeyAuth", "k"),))
    assert both.credential_for(op)[0].kind == "bearer"
    assert Credentials(api_keys=(("ApiKeyAuth", "k"),)).credential_for(op)[0].kind == "api-key"


def test_method_probes_never_use_a_documented_method(ops):
    op = ops["GET /pets/{petId}"]
    (valid,), _ = build(op, credentials=Credentials(api_keys=(("ApiKeyAuth", "k"),)))
    cases = probes.method_cases(op, valid, {"GET", "OPTIONS", "PUT"})
    assert {c.method for c in cases} == {"PATCH", "DELETE"}
    # a method that may change data goes to an id naming nothing, never the resource the GET reads
    assert all(c.path.startswith("/pets/") and c.path != "/pets/81" for c in cases)
    head = ops["HEAD /stations/{stationId}"]
    assert "GET" not in {c.method for c in probes.method_cases(head, valid, {"HEAD"})}


def test_tenant_scope_by_shape_and_by_data_file(ops):
    def scoped(label, data=None):
        op = ops[label]
        values = KnownValues.from_mapping(data).for_operation(op)
        return probes.tenant_scoped(op, values, probes.request_parts(op, values))

    assert not scoped("GET /available-appointments")  # a search: may answer every tenant
    assert scoped("GET /books/", {"operations": {"GET /books/": {"tenant_scoped": True}}})
    assert not scoped("GET /service-problems/{id}")  # the example id: whose it is, nobody said
    assert scoped("GET /service-problems/{id}", {"values": {"id": "12356"}})
    assert not scoped("POST /service-problems")  # a create may succeed for every tenant
    assert scoped("POST /service-order-cancellations", {"values": {"orderId": "ORD-1"}})  # names a resource


def test_foreign_values_replay_as_another_principal_and_ask_for_another_tenants_resource(ops):
    op = ops["PATCH /Products({key})"]
    data = {
        "foreign": {"If-Match": "*"},
        "operations": {op.label: {"key": 7, "foreign": {"key": 8}}},  # a PATCH's own resource
    }
    (valid,), planned = build(op, data)
    swap_principal, swap_resource = [c for c in planned.cases if c.kind == "foreign"]
    assert swap_principal.path == "/Products(7)" and dict(swap_principal.headers)["If-Match"] == "*"
    assert swap_resource.path == "/Products(8)" and swap_resource.headers == valid.headers
    assert swap_resource.title == "another tenant's resource, asked for as this principal (key=8)"


def test_a_delete_is_replayed_as_another_principal_and_on_another_tenants_resource(ops):
    op = ops["DELETE /Products({key})"]
    _, planned = build(op, {"foreign": {"If-Match": "x"}, "operations": {op.label: {"key": 7}}})
    # sent before the valid DELETE (engine/stateful.py before_delete), while the resource is there
    [replay] = [c for c in planned.cases if c.kind == "foreign"]
    assert replay.path == "/Products(7)" and dict(replay.headers)["If-Match"] == "x"
    _, planned = build(op, {"operations": {op.label: {"key": 7, "foreign": {"key": 9}}}})
    assert [c.path for c in planned.cases if c.kind == "foreign"] == ["/Products(9)"]
    assert not [c for c in planned.cases if c.kind == "header-case"]


def test_a_global_value_is_never_the_resource_a_change_or_delete_names(ops):
    """`values:` is meant for every operation: a PATCH or DELETE uses only its own entry (or what the run
    created); without one, its probes go to an id that names nothing and its valid requests are skipped."""
    for label in ("PATCH /Products({key})", "DELETE /Products({key})"):
        op = ops[label]
        values = KnownValues.from_mapping({"values": {"key": 7}}).for_operation(op)
        parts = probes.request_parts(op, values)
        assert parts.untargeted == ("key",) and parts.path(op) not in ("/Products(7)", "/Products(6)")
        assert f'"{label}"' in probes.untargeted_reason(op, parts)
    read = ops["GET /Products({key})"]
    values = KnownValues.from_mapping({"values": {"key": 7}}).for_operation(read)
    assert probes.request_parts(read, values).path(read) == "/Products(7)"


def test_expand_path_keeps_each_value_in_its_segment():
    assert expand_path("/a/{x}/b/{y}", {"x": "1/2", "y": "é?#%"}) == "/a/1%2F2/b/%C3%A9%3F%23%25"
    assert expand_path("/a/{x}", {}) == "/a/{x}"


def test_created_ids_fill_item_paths(ops):
    created = {"/pets": {"id": 82, "listedAt": "x"}}
    assert probes.created_values(ops["GET /pets/{petId}"], created) == {"petId": "82"}
    assert probes.created_values(ops["PUT /pets/{petId}/photo"], created) == {"petId": "82"}
    assert probes.created_values(ops["GET /pets"], created) == {}
    assert probes.created_values(ops["GET /pets/{petId}"], {"/pets": {"id": 1, "petId": "P9"}}) == {
        "petId": "P9"
    }
    assert probes.created_values(ops["GET /pets/{petId}"], {"/pets": {"id": True}}) == {}
    ordered = [
        op.label
        for op in probes.in_run_order(
            [ops["DELETE /Products({key})"], ops["GET /pets/{petId}"], ops["POST /pets"]]
        )
    ]
    assert ordered == ["POST /pets", "GET /pets/{petId}", "DELETE /Products({key})"]


def test_json_text_given_for_a_json_parameter_is_sent_as_is(ops):
    op = ops["GET /forecasts"]
    (valid,), _ = build(op, {"values": {"location": '{"lat": 1}'}}, credentials=Credentials())
    assert dict(valid.query)["location"] == '{"lat": 1}'
    (valid,), _ = build(op, {"values": {"location": {"lat": 1, "lon": 2}}}, credentials=Credentials())
    assert json.loads(dict(valid.query)["location"]) == {"lat": 1, "lon": 2}


def test_the_status_of_an_unknown_resource_comes_from_the_contract(ops):
    assert probes.not_found_status(ops["DELETE /appointment-reservations/{reservationId}"]) == 404
    assert (
        probes.not_found_status(ops["PATCH /service-problem-resolutions/{id}"]) is None
    )  # 422 without NOT_FOUND
    assert probes.not_found_status(ops["PATCH /Products({key})"]) is None  # 412 only
    assert probes.not_found_status(ops["GET /Products({key})"]) is None  # no 4xx at all


def test_a_delete_is_sent_once_as_a_valid_request(ops):
    op = ops["DELETE /appointment-reservations/{reservationId}"]
    draws = [Draw({"X-Request-ID": "1"}, None)] * 3
    valid, _ = build(op, draws=draws)
    assert len(valid) == 1  # a second valid DELETE would rightly be refused: the resource is gone


def test_an_optional_conditional_header_is_sent_only_when_given(ops):
    op = ops["HEAD /forecasts/latest"]  # If-Modified-Since: a 304 would be the right answer
    (valid,), _ = build(op, credentials=Credentials())
    assert "If-Modified-Since" not in dict(valid.headers)
    (valid,), _ = build(op, {"values": {"If-Modified-Since": "x"}}, credentials=Credentials())
    assert dict(valid.headers)["If-Modified-Since"] == "x"
    (valid,), _ = build(ops["PATCH /Products({key})"])  # a required one is sent
    assert dict(valid.headers)["If-Match"] == 'W/"3"'


def test_a_header_enum_gives_the_valid_value(ops):
    (valid,), _ = build(ops["OPTIONS /pets/{petId}"], credentials=Credentials())
    assert dict(valid.headers)["Access-Control-Request-Method"] == "PUT"


def test_query_defects_are_sent_even_where_no_4xx_is_documented(ops):
    # GET /books/ lists 200 and `default`: the oracle judges the refusal; an acceptance is the failure.
    _, planned = build(ops["GET /books/"], credentials=Credentials())
    assert {c.defect.description for c in planned.cases if c.defect and c.kind == "invalid"} == {
        "limit is 'fcvalidate', not integer",
        "available is 'fcvalidate', not boolean",
        "sort is 'FCVALIDATE_NOT_IN_ENUM', outside its enum",
        "an item of genres is 'FCVALIDATE_NOT_IN_ENUM', outside its enum",
    }


def test_every_operation_can_be_drawn_negative_without_a_crash(corpus_contracts_dir):
    # Some operations leave Hypothesis nothing to break (Unsatisfiable): fewer cases, never a crash.
    from fcvalidate.engine.generate import Strategies

    for contract in load_contracts([corpus_contracts_dir]):
        strategies = Strategies(contract)
        for op in contract.operations:
            assert isinstance(strategies.draw(op, "negative", 5, 1), list), op.label


@pytest.mark.parametrize(
    ("name", "schema", "example", "per_request"),
    [
        ("X-Request-ID", {"type": "string"}, None, True),
        ("X-Conversation-ID", {"type": "string"}, None, True),
        ("x-correlation-id", {"type": "string"}, "0b6c5f63-0c52-4bd2-9b3c-5e8d6f0d2a11", True),
        ("Idempotency-Key", {"type": "string"}, None, True),
        ("X-Request-ID", {"type": "string"}, "REQ-12345", True),  # a form of its own: kept, digits fresh
        ("X-Request-ID", {"type": "string", "pattern": "^R[0-9]+$"}, None, False),  # a rule: the example's
        ("X-Request-ID", {"type": "string", "enum": ["a"]}, None, False),
        ("X-Tenant-ID", {"type": "string"}, None, False),  # who is asking: the same for every case
        ("Tenant", {"type": "string"}, None, False),
    ],
)
def test_request_identifier_headers(name, schema, example, per_request):
    from fcvalidate.contract.operation import Parameter
    from fcvalidate.exchange import Source

    header = Parameter(name, True, schema, Source(at="doc.md:1:1", clause=name), example)
    assert probes.is_request_identifier(header) is per_request


def test_each_case_sends_its_own_request_identifier_the_same_for_the_same_seed(contracts):
    from fcvalidate.files import bundled_data_file, load_data_file

    (op,) = [op for c in contracts for op in c.operations if op.label == "POST /service-problem-amendments"]
    values = KnownValues.from_mapping(load_data_file(bundled_data_file())).for_operation(op)

    def built(seed):
        ref = probes.valid_cases(op, _NoDraws(), values, 1, seed)[0]
        return [ref, *probes.probe_cases(op, ref, _NoDraws(), values, 1, seed).cases]

    cases = [c for c in built(3) if "header values" not in c.title]  # one probe sends 5,000 characters
    ids = [dict(c.headers).get("X-Request-ID") or dict(c.headers).get("x-request-id") for c in cases]
    sent = [i for i in ids if i is not None]
    assert len(sent) > 10 and len(set(sent)) == len(sent)  # one per case
    assert all(probes._is_uuid(i) for i in sent)
    assert [c.headers for c in built(3) if "header values" not in c.title] == [c.headers for c in cases]
    assert dict(cases[0].headers)["Tenant"] == "TENANT1"  # who is asking stays the known value


class _NoDraws:
    def draw(self, op, mode, count, seed):
        return []


def test_cases_taken_as_new_requests_carry_a_fresh_body_id_and_the_others_do_not(contracts):
    """`id` is the amendment's own identifier: an implementation may refuse one it has already received."""
    import json

    from fcvalidate.files import bundled_data_file, load_data_file

    (op,) = [op for c in contracts for op in c.operations if op.label == "POST /service-problem-amendments"]
    values = KnownValues.from_mapping(load_data_file(bundled_data_file())).for_operation(op)
    ref = probes.valid_cases(op, _NoDraws(), values, 1, 3)[0]
    cases = [ref, *probes.probe_cases(op, ref, _NoDraws(), values, 1, 3).cases]
    ids = {c.kind: [] for c in cases}
    for c in cases:
        body = c.json_body
        if isinstance(body, dict) and "id" in body:
            ids[c.kind].append(body["id"])
    fresh = ids["valid"] + ids["header-case"] + ids["foreign"]
    assert len(ids["foreign"]) >= 1 and len(set(fresh)) == len(fresh)
    assert all(isinstance(i, int) and i != 23467 for i in fresh)  # not the documented example's
    assert set(ids["edge"]) <= {ref.json_body["id"], 1.5}  # edge values stay what they test
    assert json.loads(ref.body)["serviceProblemId"] == 12356  # a known value is never touched


def test_a_fuzzed_request_drawn_twice_is_sent_once(contracts):
    (op,) = [op for c in contracts for op in c.operations if op.label == "POST /service-orders"]

    class Twice:
        def draw(self, op, mode, count, seed):
            same = Draw({"X-Request-ID": ""}, [1])
            return [same, Draw({"X-Request-ID": ""}, [1]), Draw({"X-Request-ID": "x"}, [1])]

    cases = probes.fuzz_cases(op, Twice(), 3, 0)
    assert [c.id for c in cases] == ["postServiceOrders.fuzz.000", "postServiceOrders.fuzz.001"]
    assert [dict(c.headers)["X-Request-ID"] for c in cases] == ["", "x"]


def test_a_fresh_identifier_keeps_the_form_of_its_example():
    import uuid

    fresh = uuid.UUID("4cd605e7-afa2-5360-b5b9-c5e9fb5c76f4")
    assert probes.fresh_like(None, fresh) == str(fresh)
    assert probes.fresh_like("0b6c5f63-0c52-4bd2-9b3c-5e8d6f0d2a11", fresh) == str(fresh)
    assert probes.fresh_like("7d1c1c4a", fresh) == "4cd605e7"  # hex stays hex, as long
    assert probes.fresh_like("ABCDEF12", fresh) == "4CD605E7"
    assert probes.fresh_like("REQ-12345", fresh) == "REQ-05470"  # letters kept, digits drawn
    assert probes.fresh_like("12345", fresh).isdigit()  # digits stay digits
    assert probes.fresh_like("req_abc", fresh) == "req_abc-4cd605e7"  # nothing to vary: a suffix
