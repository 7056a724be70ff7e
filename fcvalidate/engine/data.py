"""Known values and a foreign principal, from the `--data` file: global `values:`/`foreign:`, and
`operations:` giving values (and `foreign:`, `tenant_scoped:`) for one operation, which win.

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
    parameters: Mapping[str, Any] = field(default_factory=dict)  # path, query and cookie parameters
    foreign_parameters: Mapping[str, Any] = field(default_factory=dict)
    tenant_scoped: bool | None = None  # the data file's word on tenant isolation; None: decide by shape
    # the parameters the operation's own `operations:` entry gives: the only given values a request that
    # changes or deletes the resource it names may use (a `values:` entry is meant for every operation)
    own_parameters: Mapping[str, Any] = field(default_factory=dict)
    data_given: bool = True  # False: no data file (or an empty one), so nothing here came from the user

    @property
    def no_foreign_reason(self) -> str:
        """Why tenant isolation is not tested when no `foreign` value applies, and how to give one."""
        if not self.data_given:
            return (
                "not tested: no data file was given; give one (--data FILE, or --fc-data in pytest) whose "
                "`foreign:` section holds another principal's values"
            )
        return "not tested: the data file gives no `foreign` values this operation uses"

    @property
    def has_foreign(self) -> bool:
        return bool(self.foreign_headers or self.foreign_fields or self.foreign_parameters)


OPERATION_KEYS = ("foreign", "tenant_scoped")  # the keys of an `operations:` entry that are not values


@dataclass(frozen=True, slots=True)
class KnownValues:
    values: Mapping[str, Any] = field(default_factory=dict)  # parameter names or dotted body fields
    foreign: Mapping[str, Any] = field(default_factory=dict)  # another principal
    # "GET /service-problems/{id}" → {"id": "12356", "foreign": {...}, "tenant_scoped": True}
    operations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Any, where: str = "data file") -> KnownValues:
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise UsageError(
                f"{where}: expected a mapping with `values:`, `foreign:` and/or `operations:`", "data"
            )
        unknown = set(data) - {"values", "foreign", "operations"}
        if unknown:
            raise UsageError(
                f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))} "
                "(expected values, foreign, operations)",
                "data",
            )
        values = _names(data.get("values"), f"{where}: `values`")
        foreign = _names(data.get("foreign"), f"{where}: `foreign`")
        ops = data.get("operations") or {}
        if not isinstance(ops, Mapping):
            raise UsageError(
                f'{where}: `operations` must map operation labels ("GET /path") to values', "data"
            )
        operations = {
            _label(str(label)): _entry(entry, f"{where}: operations.{label}") for label, entry in ops.items()
        }
        return cls(values, foreign, operations)

    def check_names(self, operations: Iterable[Operation], where: str = "data file") -> None:
        """A name that no operation knows, or an operation label no contract has, is a typo, not
        something to ignore silently (`operations`: every operation of the contracts)."""
        operations = list(operations)
        known = {name for op in operations for name in input_names(op)}
        for key, names in (("values", self.values), ("foreign", self.foreign)):
            for name in (n for n in names if not _knows(known, n)):
                raise UsageError(
                    f"{where}: {key}.{name} names no parameter or body field of the selected operations",
                    setting="data",
                )
        by_label = {op.label: op for op in operations}
        for label, entry in self.operations.items():
            found = by_label.get(label)
            if found is None:
                raise UsageError(
                    f"{where}: operations.{label}: no such operation in the contracts "
                    f"(known: {', '.join(sorted(by_label))})",
                    setting="data",
                )
            _check_entry(found, entry, f"{where}: operations.{label}")

    def merged(self, op: Operation) -> tuple[dict[str, Any], dict[str, Any], bool | None]:
        """The values and the foreign values for `op`: the global ones, then its own (which win)."""
        entry = self.operations.get(op.label) or {}
        values = {**self.values, **{k: v for k, v in entry.items() if k not in OPERATION_KEYS}}
        foreign = {**self.foreign, **(entry.get("foreign") or {})}
        scoped = entry.get("tenant_scoped")
        return values, foreign, scoped if isinstance(scoped, bool) else None

    def for_operation(self, op: Operation) -> OperationValues:
        values, foreign, scoped = self.merged(op)
        return OperationValues(
            headers=self.headers_for(op, values),
            fields=self.fields_for(op, values),
            foreign_headers=self.headers_for(op, foreign),
            foreign_fields=self.fields_for(op, foreign),
            missing=tuple(self.missing_for(op)),
            parameters=parameters_for(op, values),
            foreign_parameters=parameters_for(op, foreign),
            tenant_scoped=scoped,
            own_parameters=parameters_for(op, self.operations.get(op.label) or {}),
            data_given=bool(self.values or self.foreign or self.operations),
        )

    def headers_for(self, op: Operation, which: Mapping[str, Any] | None = None) -> dict[str, str]:
        names = self.merged(op)[0] if which is None else which
        out = {}
        for header in op.headers:
            for name, value in names.items():
                if name.lower() == header.name.lower():
                    out[header.name] = str(value)
        return out

    def fields_for(self, op: Operation, which: Mapping[str, Any] | None = None) -> dict[str, Any]:
        names = self.merged(op)[0] if which is None else which
        fields = body_field_names(op)
        return {name: value for name, value in names.items() if name in fields}

    def missing_for(self, op: Operation) -> list[str]:
        """Reference-like inputs with no known value: what a 422 NOT_FOUND most likely depends on
        (a path parameter names a resource: without a known value it is most likely unknown)."""
        pinned = self.headers_for(op)
        params = parameters_for(op, self.merged(op)[0])
        out = [name for name in _reference_headers(op) if name not in pinned]
        out.extend(p.name for p in op.in_("path") if p.name not in params)
        given = self.fields_for(op)
        required = (op.request_schema or {}).get("required", ())
        out.extend(name for name in required if name not in given and reference_like(name))
        return out


def _entry(entry: Any, what: str) -> dict[str, Any]:
    """An `operations:` entry: values by name, its `foreign:` ones, whether it is `tenant_scoped`."""
    entry = _names(entry, what)
    if "foreign" in entry:
        entry["foreign"] = _names(entry["foreign"], f"{what}.foreign")
    if "tenant_scoped" in entry and not isinstance(entry["tenant_scoped"], bool):
        raise UsageError(f"{what}.tenant_scoped must be true or false", "data")
    return entry


def _reference_headers(op: Operation) -> list[str]:
    # X- headers are tracing identifiers; an unknown tenant or reference is what a 422 depends on.
    return [h.name for h in op.headers if h.required and not h.name.lower().startswith("x-")]


def _knows(inputs: set[str], name: str) -> bool:
    return name in inputs or name.lower() in inputs


def _check_entry(op: Operation, entry: Mapping[str, Any], what: str) -> None:
    """Every name an `operations:` entry (and its `foreign:`) gives is one of the operation's inputs."""
    inputs = input_names(op)
    names = [(name, name) for name in entry if name not in OPERATION_KEYS]
    names += [(f"foreign.{name}", name) for name in entry.get("foreign") or {}]
    for shown, _ in (n for n in names if not _knows(inputs, n[1])):
        raise UsageError(
            f"{what}.{shown} names no parameter or body field "
            f"of {op.label} (it has: {', '.join(sorted(inputs)) or 'none'})",
            setting="data",
        )


def _label(label: str) -> str:
    method, _, path = label.strip().partition(" ")
    return f"{method.upper()} {path.strip()}"


def _names(part: Any, what: str) -> dict[str, Any]:
    if part is None:
        return {}
    if not isinstance(part, Mapping):
        raise UsageError(f"{what} must be a mapping of names to values", "data")
    return {str(k): v for k, v in part.items()}


def input_names(op: Operation) -> set[str]:
    """What a data file may name for `op`: its parameters (header names also in lower case) and
    dotted body fields."""
    names = {p.name for p in op.parameters} | {h.name.lower() for h in op.headers}
    return names | body_field_names(op)


def parameters_for(op: Operation, values: Mapping[str, Any]) -> dict[str, Any]:
    """Known values of `op`'s path, query and cookie parameters (names match exactly)."""
    return {p.name: values[p.name] for p in op.parameters if p.location != "header" and p.name in values}


def reference_like(name: str) -> bool:
    """A dotted name that names another resource: `serviceProblemId`, `supplierReference` (not `id`)."""
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
        node[head] = _copied(node[head])
        _set(node[head], parts[1:], value, create)


def _copied(child: Any) -> Any:
    """A copy of a node (and of the objects in a list) that `_set` may change without touching the
    caller's body."""
    if isinstance(child, list):
        return [dict(i) if isinstance(i, dict) else i for i in child]
    return dict(child) if isinstance(child, dict) else child
