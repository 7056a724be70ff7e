"""The pytest plugin on operations of every shape: one item per requirement per operation, an API key
from --fc-api-key, per-operation values from --fc-data (pytester, against tests/engine/shapes_app.py)."""

from __future__ import annotations

import json

from tests.engine.shapes_app import API_KEY, TOKEN, serve_shapes

pytest_plugins = ["pytester"]
OPERATIONS = ("GET /service-problems/{id}", "GET /pets/{petId}")


def test_items_for_every_shape_with_an_api_key_and_per_operation_values(
    pytester, corpus_contracts_dir, monkeypatch
):
    monkeypatch.setenv("FCVALIDATE_TOKEN", TOKEN)
    data = pytester.path / "data.json"
    data.write_text(json.dumps({"operations": {"GET /service-problems/{id}": {"id": "SP-000123"}}}))
    options = [f"--fc-contracts={corpus_contracts_dir}", f"--fc-data={data}", "--fc-max-examples=2", "-rs"]
    for label in OPERATIONS:
        options.append(f"--fc-operation={label}")
    with serve_shapes() as url:
        result = pytester.runpytest(f"--fc-base-url={url}", f"--fc-api-key=ApiKeyAuth={API_KEY}", *options)
        collected = pytester.runpytest(f"--fc-base-url={url}", "--collect-only", "-q", *options).stdout.str()
        missing = pytester.runpytest(f"--fc-base-url={url}", *options)
    assert "GET /pets/{petId}::invalid-requests" in collected
    assert "GET /service-problems/{id}::no-server-errors" in collected
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0, result.stdout.str()
    assert outcomes["passed"] >= 10
    result.stdout.fnmatch_lines(["*takes no request body*"])
    assert API_KEY not in result.stdout.str()
    missing.stdout.fnmatch_lines(
        [
            "*--fc-api-key: every valid request to GET /pets/{petId}, sent without a credential, was answered 401*"
        ]
    )
