"""The layering holds: import-linter's `layers` contract (pyproject.toml, run by `make check`) forbids
upward imports; this test forbids circles inside a layer, which a layers contract cannot see."""

from __future__ import annotations

import grimp


def test_no_module_imports_itself_through_others():
    graph = grimp.build_graph("fcvalidate")
    circles = [
        (a, b)
        for a in sorted(graph.modules)
        for b in sorted(graph.find_modules_directly_imported_by(a))
        if graph.chain_exists(importer=b, imported=a)
    ]
    assert circles == []
