"""Lint: is a compiled contract valid OpenAPI 3.1, and what did the compiler deduce or find missing?

Pure: a spec dict in, findings out. Errors come from openapi-spec-validator; warnings list every
`x-fc-gaps` and `x-fc-inferred`, so a reader sees what was deduced rather than read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from openapi_spec_validator import OpenAPIV31SpecValidator

from fcvalidate.contract.compiler import GAP_NOTES


@dataclass(frozen=True, slots=True)
class LintFinding:
    level: Literal["error", "warning"]
    where: str  # a JSON path into the contract, e.g. $.paths['/x'].post
    message: str

    def format(self, file: str) -> str:
        return f"{file}: {self.level}: {self.where}: {self.message}"


def lint_spec(spec: Mapping[str, Any]) -> list[LintFinding]:
    findings = [
        LintFinding("error", getattr(err, "json_path", "$") or "$", str(err.message).splitlines()[0])
        for err in OpenAPIV31SpecValidator(spec).iter_errors()
    ]
    findings.extend(_annotations(spec, "$"))
    return findings


def _annotations(node: Any, where: str) -> Iterator[LintFinding]:
    if isinstance(node, Mapping):
        for gap in node.get("x-fc-gaps", ()):
            yield LintFinding(
                "warning", where, f"documentation gap: {gap}: {GAP_NOTES.get(gap, '')}".rstrip(": ")
            )
        inferred = node.get("x-fc-inferred")
        if isinstance(inferred, Mapping):
            yield LintFinding("warning", where, f"inferred ({inferred.get('rule')}): {inferred.get('note')}")
        for key, value in node.items():
            if not str(key).startswith("x-fc-"):
                yield from _annotations(value, f"{where}[{key!r}]" if "/" in str(key) else f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _annotations(value, f"{where}[{i}]")
