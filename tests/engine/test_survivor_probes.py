"""The probes written for mutants no request reached (docs/mutation.md): an invalid API key where a key is
the token's alternative, a required cookie left out alone, an integer outside an integer enum, and the
text fields a schema lets be empty sent empty."""

from __future__ import annotations

import json

import pytest

from fcvalidate.engine.credentials import Credentials
from fcvalidate.files import all_operations, load_contracts
from fcvalidate.requirements import RequirementId as R
from tests.engine.test_probes_shapes import build


@pytest.fixture(scope="module")
def ops(corpus_contracts_dir):
    return {op.label: op for op in all_operations(load_contracts([corpus_contracts_dir]))}


def test_an_invalid_api_key_is_sent_where_a_key_is_the_alternative_to_the_token(ops):
    op = ops["POST /pets"]  # Security: ApiKeyAuth, bearer
    valid, planned = build(op, credentials=Credentials(token="t"))
    assert valid[0].credential.kind == "bearer"
    [key] = [c for c in planned.cases if c.kind == "bad-token" and c.credential.kind == "api-key"]
    assert (key.auth, key.credential.scheme, key.requirement) == ("invalid", "ApiKeyAuth", R.AUTHORISATION)
    assert key.expect.outcome == "unauthorised"
    # a token-only operation gets none
    _, only_token = build(ops["GET /service-problems/{id}"], credentials=Credentials(token="t"))
    assert not [c for c in only_token.cases if c.credential.kind == "api-key"]


def test_a_required_cookie_is_left_out_alone(ops):
    op = ops["POST /loans"]
    valid, planned = build(op)
    [missing] = [c for c in planned.cases if c.defect and c.defect.location == "request.cookie.rl_session"]
    assert dict(valid[0].cookies).keys() - dict(missing.cookies).keys() == {"rl_session"}
    assert (missing.query, missing.body, missing.expect.outcome) == (
        valid[0].query,
        valid[0].body,
        "rejected",
    )


def test_an_integer_enum_gets_an_integer_outside_it(ops):
    op = ops["POST /loans"]  # weeks: Enum 1, 2, 3
    _, planned = build(op)
    [outside] = [
        c for c in planned.cases if c.defect and c.defect.description == "$.weeks is 4, outside its enum"
    ]
    assert json.loads(outside.body)["weeks"] == 4 and outside.defect.kind == "not-in-enum"
    assert outside.expect.outcome == "rejected"


def test_the_text_fields_a_schema_lets_be_empty_are_sent_empty_once(ops):
    op = ops["POST /pets"]
    valid, planned = build(op, credentials=Credentials(token="t"))
    [empty] = [c for c in planned.cases if c.kind == "boundary" and "sent empty" in c.title]
    body, sent = json.loads(empty.body), json.loads(valid[0].body)
    emptied = {k for k, v in body.items() if v == "" and sent[k] != ""}
    assert "name" in emptied and "species" not in emptied  # an enum keeps its member
    assert (empty.requirement, empty.expect.outcome) == (R.NO_SERVER_ERRORS, "no-server-error")
