"""Generation: seeded Schemathesis/Hypothesis draws never crash a run, whatever the operation."""

from __future__ import annotations

from fcvalidate.engine.generate import Strategies
from fcvalidate.files import load_contracts


def test_an_operation_with_nothing_to_break_has_no_negative_draws_and_no_error(corpus_contracts_dir):
    # HEAD /forecasts/latest takes no input at all: Hypothesis finds no negative case (Unsatisfiable)
    (contract,) = [
        c
        for c in load_contracts([corpus_contracts_dir])
        if c.name == "open-skies-weather-service.openapi.json"
    ]
    (op,) = [op for op in contract.operations if op.label == "HEAD /forecasts/latest"]
    strategies = Strategies(contract)
    assert strategies.draw(op, "negative", 5, seed=1) == []
    assert len(strategies.draw(op, "positive", 3, seed=1)) >= 1
