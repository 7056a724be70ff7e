"""Known values and a foreign principal, from the `--data` file.

Without known values a real server answers most generated requests with 422 NOT_FOUND, which hides
whether it validates input at all; the engine says so rather than pretending to have tested it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fcvalidate.contract.operation import Operation
from fcvalidate.errors import UsageError


@dataclass(frozen=True, slots=True)
class OperationValues:
    """The known values one operation uses, worked out once per operation."""

    headers: Mapping[str, str] = field(default_factory=dict)
    fields: Mapping[str, Any] = field(default_factory=dict)  # dotted body fields
    foreign_headers: Mapping[str, str] = field(default_factory=dict)
    foreign_fields: Mapping[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] = ()  # reference-like inputs with no known value

    @property
    def has_foreign(self) -> bool:
        return bool(self.foreign_headers or self.foreign_fields)


@dataclass(frozen=True, slots=True)
class KnownValues:
    values: Mapping[str, Any] = field(default_factory=dict)  # header names or dotted body fields
    foreign: Mapping[str, Any] = field(default_factory=dict)  # another principal

    @classmethod
    def from_mapping(cls, data: Any, where: str = "data file") -> KnownValues:
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise UsageError(f"{where}: expected a mapping with `values:` and/or `foreign:`", "data")
        unknown = set(data) - {"values", "foreign"}
        if unknown:
            raise UsageError(
                f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))} (expected values, foreign)",
                "data",
            )
        parts = {}
        for key in ("values", "foreign"):
            part = data.get(key) or {}
            if not isinstance(part, Mapping):
                raise UsageError(f"{where}: `{key}` must be a mapping of names to values", "data")
            parts[key] = {str(k): v for k, v in part.items()}
        return cls(parts["values"], parts["foreign"])

    def check_names(self, operations: Iterable[Operation], where: str = "data file") -> None:
        """A name that no selected operation knows is a typo, not something to ignore silently."""
        known: set[str] = set()
        for op in operations:
            known.update(h.name.lower() for h in op.headers)
            known.update(body_field_names(op))
        for key, names in (("values", self.values), ("foreign", self.foreign)):
            for name in names:
                if name.lower() not in known and name not in known:
                    raise UsageError(
                        f"{where}: {key}.{name} names no header parameter or body field of the selected operations",
                        setting="data",
                    )

    def for_operation(self, op: Operation) -> OperationValues:
        return OperationValues(
            headers=self.headers_for(op),
            fields=self.fields_for(op),
            foreign_headers=self.headers_for(op, self.foreign),
            foreign_fields=self.fields_for(op, self.foreign),
            missing=tuple(self.missing_for(op)),
        )

    def headers_for(self, op: Operation, which: Mapping[str, Any] | None = None) -> dict[str, str]:
        names = self.values if which is None else which
        out = {}
        for header in op.headers:
            for name, value in names.items():
                if name.lower() == header.name.lower():
                    out[header.name] = str(value)
        return out

    def fields_for(self, op: Operation, which: Mapping[str, Any] | None = None) -> dict[str, Any]:
        names = self.values if which is None else which
        fields = body_field_names(op)
        return {name: value for name, value in names.items() if name in fields}

    def missing_for(self, op: Operation) -> list[str]:
        """Reference-like inputs with no known value: what a 422 NOT_FOUND most likely depends on."""
        pinned = self.headers_for(op)
        # X- headers are tracing identifiers; an unknown tenant or reference is what a 422 depends on.
        out = [
            h.name
            for h in op.headers
            if h.required and not h.name.lower().startswith("x-") and h.name not in pinned
        ]
        given = self.fields_for(op)
        required = (op.request_schema or {}).get("required", ())
        out.extend(name for name in required if name not in given and _reference_like(name))
        return out


def _reference_like(name: str) -> bool:
    leaf = name.rpartition(".")[2]
    return leaf.endswith(("Id", "ID", "Reference")) and leaf != "id"


def body_fields(op: Operation) -> list[tuple[str, Mapping[str, Any]]]:
    """Dotted names of every documented body field (array items are transparent: `characteristics.name`)."""
    out: list[tuple[str, Mapping[str, Any]]] = []

    def visit(schema: Mapping[str, Any], prefix: str) -> None:
        for name, sub in (schema.get("properties") or {}).items():
            dotted = f"{prefix}{name}"
            out.append((dotted, sub))
            visit(sub, f"{dotted}.")
            if isinstance(sub.get("items"), Mapping):
                visit(sub["items"], f"{dotted}.")

    if op.request_schema:
        visit(op.request_schema, "")
    return out


def body_field_names(op: Operation) -> set[str]:
    return {name for name, _ in body_fields(op)}


def apply_fields(body: Any, fields: Mapping[str, Any]) -> Any:
    """Set dotted fields in a JSON body, through arrays (every item); absent parents stay absent."""
    if not isinstance(body, dict):
        return body
    out = dict(body)
    for dotted, value in fields.items():
        _set(out, dotted.split("."), value, create=dotted.count(".") == 0)
    return out


def _set(node: Any, parts: list[str], value: Any, create: bool) -> None:
    if isinstance(node, list):
        for item in node:
            _set(item, parts, value, create)
        return
    if not isinstance(node, dict):
        return
    head = parts[0]
    if len(parts) == 1:
        if head in node or create:
            node[head] = value
        return
    if head in node:
        child = node[head]
        node[head] = (
            [dict(i) if isinstance(i, dict) else i for i in child]
            if isinstance(child, list)
            else (dict(child) if isinstance(child, dict) else child)
        )
        _set(node[head], parts[1:], value, create)
