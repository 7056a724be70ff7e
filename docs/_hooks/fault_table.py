"""MkDocs hook: the reference server page's fault table, generated from the catalogue when the site is
built, so the page can never list a fault the code does not have (or miss one it has)."""

from __future__ import annotations

from typing import Any

MARKER = "<!-- fault-table -->"


def fault_table() -> str:
    from fcvalidate.server.faults import FAULTS

    rows = ["| fault | breaks | what it does | operations | proven on |", "|---|---|---|---|---|"]
    for fault in FAULTS:
        operations = ", ".join(f"`{op}`" for op in fault.operations) or "every operation of its shape"
        proven = "the bundled contracts" if fault.bundled else "the test corpus"
        rows.append(
            f"| `{fault.id}` | {fault.requirement.value} | {fault.description} | {operations} | {proven} |"
        )
    bundled = sum(fault.bundled for fault in FAULTS)
    total = f"{len(FAULTS)} faults: {bundled} on the bundled contracts, {len(FAULTS) - bundled} on the test corpus."
    return total + "\n\n" + "\n".join(rows)


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    return markdown.replace(MARKER, fault_table()) if MARKER in markdown else markdown
