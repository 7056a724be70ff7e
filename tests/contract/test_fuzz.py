"""Fuzzing the compiler: whatever the bytes, the only failure is a DocumentError with positions."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fcvalidate.contract.compiler import compile_documents, render
from fcvalidate.contract.parser import parse_document
from fcvalidate.errors import DocumentError

ROOT = Path(__file__).resolve().parents[2]
# The seeds (one-line layout) and the corpus documents (both layouts, refused ones included).
SEEDS = [p.read_bytes() for p in sorted((ROOT / "contracts" / "source").glob("*.md"))] + [
    p.read_bytes()
    for p in sorted((Path(__file__).resolve().parent / "corpus").rglob("*.md"))
    if p.name != "VARIANTS.md"
]
POSITION = re.compile(r"^doc\.md:\d+:\d+: .+")
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def compile_or_explain(data: bytes) -> None:
    try:
        for spec in compile_documents([parse_document(data, "doc.md")]).values():
            render(spec)
    except DocumentError as exc:
        assert exc.problems
        for line in exc.lines():
            assert POSITION.match(line), line


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(data):
    compile_or_explain(data)


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [
                *'#` -().,:"[]{}0123456789abcdeEnumxplrqidtgsy_\n',
                "## ",
                "- `",
                "Example: ",
                "Enum: ",
                "(string, required)",
                "(array)",
                "(object)",
                "## Response 400 fields (application/json):",
                "## Query parameters:",
                "## Path parameters:",
                "## Response default fields",
                "Default: ",
                "(any)",
                "(string,null)",
                "\n  - `",
                "\n    ",
                "```",
                "{id}",
                "additionalProperties",
            ]
        ),
        max_size=80,
    )
)
def test_grammar_shaped_text(tokens):
    compile_or_explain(("# A. B. Endpoint: POST /x Version: 1 Security: oauth2 " + "".join(tokens)).encode())
    compile_or_explain(("# A\n\nB\n\nEndpoint: GET /x/{id}\n" + "".join(tokens)).encode())


@FUZZ
@given(st.sampled_from(SEEDS), st.integers(0, 12000), st.integers(0, 12000), st.binary(max_size=8))
def test_mutated_and_truncated_seeds(seed, cut, at, insert):
    compile_or_explain(seed[:cut])
    compile_or_explain(seed[:at] + insert + seed[at:])
