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
