"""Compiler scale: compile 10, 100 and 1,000 generated endpoint documents (the property-test generator).

Goal: 1,000 documents in under 5 s, time growing linearly with the size of the input (Hypothesis draws
small documents first, so time is compared per KB of source, not per document).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings

from fcvalidate.contract.compiler import compile_documents, render
from fcvalidate.contract.parser import parse_document
from tests.contract.samples import DocumentSpec, documents

VARIANTS = 4  # each generated model is rendered under this many paths: Hypothesis draws are the slow part


def generate(count: int) -> list[str]:
    """`count` distinct documents (unique paths), the same ones on every run."""
    specs: list[DocumentSpec] = []

    @seed(20261123)
    @settings(
        max_examples=-(-count // VARIANTS),
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(documents())
    def collect(spec: DocumentSpec) -> None:
        specs.append(spec)

    collect()
    texts = [
        replace(spec, path=f"{spec.path}-{i}-{v}").render()
        for v in range(VARIANTS)
        for i, spec in enumerate(specs)
    ]
    return texts[:count]


def run(quick: bool = False) -> list[dict[str, Any]]:
    sizes = (5, 20) if quick else (10, 100, 1000)
    pool = generate(sizes[-1])
    rows = []
    for n in sizes:
        texts = pool[:n]
        start = time.perf_counter()
        docs = [parse_document(t, f"doc{i}.md") for i, t in enumerate(texts)]
        parsed = time.perf_counter() - start
        contracts = compile_documents(docs)
        for spec in contracts.values():
            render(spec)
        total = time.perf_counter() - start
        size_kb = sum(len(t.encode()) for t in texts) / 1024
        rows.append(
            {
                "benchmark": "compiler scale",
                "case": f"{n} documents ({size_kb:.0f} KB)",
                "seconds": round(total, 3),
                "ms_per_kb": round(total / size_kb * 1000, 3),
                "parse_share": round(parsed / total, 2),
                "goal": "1,000 documents < 5 s" if n == sizes[-1] else "",
            }
        )
    first, last = rows[0], rows[-1]
    rows.append(
        {
            "benchmark": "compiler scale",
            "case": f"linearity: time per KB at {sizes[-1]} documents / at {sizes[0]}",
            "ratio": round(last["ms_per_kb"] / first["ms_per_kb"], 2),
            "goal": "about 1 (linear)",
        }
    )
    return rows
