"""One-defect mutations: a valid body with exactly one thing the contract clearly forbids.

Only defects the contract states are made (a required field missing, a value of a type its `type`
excludes, null where null is not allowed, a value outside an `enum`). What the contract leaves open
(extra fields, empty strings, formats it does not name) is never made: that is where peers raise false
alarms. `null` is offered only for required fields: for an optional one many implementations read null
as "absent", and the documents do not say otherwise. Every mutation is checked against the schema with
jsonschema before it is used.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator

from fcvalidate.exchange import NO_SOURCE, Defect, Source, source_of
from fcvalidate.jsonpath import REMOVE, json_path, json_type, replaced, without_extensions

NOT_IN_ENUM = "FCVALIDATE_NOT_IN_ENUM"


@dataclass(frozen=True, slots=True)
class Mutation:
    defect: Defect
    body: Any
    source: Source  # the clause that forbids it


def mutations(body: Any, schema: Mapping[str, Any]) -> list[Mutation]:
    """Every one-defect variant of a valid `body`, each proven invalid against `schema`."""
    validator = Draft202012Validator(without_extensions(schema))
    return [m for m in _candidates(body, body, schema, ()) if not validator.is_valid(m.body)]


def _candidates(
    root: Any,
    value: Any,
    schema: Mapping[str, Any],
    path: tuple[str | int, ...],
    required: bool = True,
    enclosing: Source = NO_SOURCE,
) -> Iterator[Mutation]:
    source = source_of(schema) if "x-fc-source" in schema else enclosing
    if path:
        yield from _value_defects(root, schema, path, required, source)
    if isinstance(value, dict):
        yield from _object_candidates(root, value, schema, path, source)
    elif isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for i, child in enumerate(value[:1]):  # one item stands for all: they share one schema
            yield from _candidates(root, child, schema["items"], (*path, i), True, source)


def _object_candidates(
    root: Any, value: dict[str, Any], schema: Mapping[str, Any], path: tuple[str | int, ...], source: Source
) -> Iterator[Mutation]:
    """Each required field left out, then the defects of each documented field."""
    properties = schema.get("properties") or {}
    required = schema.get("required", ())
    for name in (n for n in required if n in value):
        where = json_path((*path, name))
        yield Mutation(
            Defect("missing-required", f"request.body.{where}", f"required field {where} left out"),
            replaced(root, (*path, name), REMOVE),
            source_of(properties.get(name)) if "x-fc-source" in properties.get(name, {}) else source,
        )
    for name, child in ((n, c) for n, c in value.items() if n in properties):
        yield from _candidates(root, child, properties[name], (*path, name), name in required, source)


def _value_defects(
    root: Any, schema: Mapping[str, Any], path: tuple[str | int, ...], required: bool, source: Source
) -> Iterator[Mutation]:
    allowed = _allowed(schema)
    where = json_path(path)
    if allowed:
        wrong = _wrong_value(allowed)
        description = f"{where} is {_type_word(wrong)}, not {'/'.join(sorted(allowed))}"
        yield Mutation(
            Defect("wrong-type", f"request.body.{where}", description), replaced(root, path, wrong), source
        )
    if allowed and "null" not in allowed and required:
        yield Mutation(
            Defect("null-not-allowed", f"request.body.{where}", f"{where} is null"),
            replaced(root, path, None),
            source,
        )
    enum = schema.get("enum")
    if enum and NOT_IN_ENUM not in enum and (not allowed or "string" in allowed):
        yield Mutation(
            Defect("not-in-enum", f"request.body.{where}", f"{where} is {NOT_IN_ENUM!r}, outside its enum"),
            replaced(root, path, NOT_IN_ENUM),
            source,
        )
    elif (outside := _outside_enum(schema)) is not None and outside != NOT_IN_ENUM:
        # an integer enum (`priority`: 1, 2, 3) gets an integer outside it, right type: the enum alone
        number = int(outside)
        yield Mutation(
            Defect("not-in-enum", f"request.body.{where}", f"{where} is {number}, outside its enum"),
            replaced(root, path, number),
            source,
        )


def _allowed(schema: Mapping[str, Any]) -> set[str]:
    types = schema.get("type")
    return {types} if isinstance(types, str) else set(types or ())


def _wrong_value(allowed: set[str]) -> Any:
    """A value of a type `allowed` excludes."""
    if "number" in allowed and "string" in allowed:
        return True if "boolean" not in allowed else {"fcvalidate": 1}
    return 12345 if "string" in allowed else "fcvalidate"


def _type_word(value: Any) -> str:
    kind = json_type(value)
    return "null" if kind == "null" else f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


@dataclass(frozen=True, slots=True)
class ParameterDefect:
    """One query parameter made invalid: `value` replaces its pairs (None: the parameter left out)."""

    name: str
    value: list[tuple[str, str]] | None
    defect: Defect


def query_defects(
    name: str, schema: Mapping[str, Any], required: bool, media_type: str | None, explode: bool = True
) -> list[ParameterDefect]:
    """What the contract clearly forbids for one query parameter: leaving out a required one, a value
    its `type` excludes, a value outside its `enum`, JSON content that is not JSON or not an object.
    A string without an enum has no wrong value a query can carry (everything in a URL is text)."""
    where = f"request.query.{name}"
    out: list[ParameterDefect] = []
    if required and "default" not in schema:  # a default says what its absence means
        out.append(
            ParameterDefect(
                name,
                None,
                Defect("missing-query-parameter", where, f"required query parameter {name} left out"),
            )
        )
    if media_type is not None:
        return out + _content_defects(name, schema, media_type) if "json" in media_type else out
    items = schema.get("items") if schema.get("type") == "array" else None
    target = items if isinstance(items, Mapping) else schema
    kind = "an item of " if items is not None else ""
    wrong, outside = _wrong_text(target), _outside_enum(target)
    if wrong is not None:
        description = f"{kind}{name} is {wrong!r}, not {target.get('type')}"
        out.append(ParameterDefect(name, [(name, wrong)], Defect("wrong-type", where, description)))
    if outside is not None:
        description = f"{kind}{name} is {outside!r}, outside its enum"
        out.append(ParameterDefect(name, [(name, outside)], Defect("not-in-enum", where, description)))
    return out


def _content_defects(name: str, schema: Mapping[str, Any], media_type: str) -> list[ParameterDefect]:
    """A JSON-content query parameter: text that is not JSON, and JSON that is not the object asked."""
    where = f"request.query.{name}"
    out = [
        ParameterDefect(
            name, [(name, "{not json")], Defect("not-json", where, f"{name} is not JSON: '{{not json'")
        )
    ]
    if schema.get("type") == "object":
        description = f"{name} is JSON but not an object: []"
        out.append(ParameterDefect(name, [(name, "[]")], Defect("not-an-object", where, description)))
    return out


def _wrong_text(schema: Mapping[str, Any]) -> str | None:
    allowed = _allowed(schema)
    if not allowed or allowed & {"string", "object", "array"}:
        return None
    return "fcvalidate"  # not a number, not a boolean, not null


def _outside_enum(schema: Mapping[str, Any]) -> str | None:
    enum = schema.get("enum")
    if not enum:
        return None
    if all(isinstance(v, str) for v in enum if v is not None):  # `Enum: "open", "checked", null` too
        return NOT_IN_ENUM if NOT_IN_ENUM not in enum else None
    if all(isinstance(v, int) and not isinstance(v, bool) for v in enum):
        return _past_enum(schema, max(enum) + 1)
    return None  # booleans (a wrong type already) and mixed enums


def _past_enum(schema: Mapping[str, Any], value: int) -> str | None:
    """The number past an integer enum, unless the bounds refuse it first (not the enum's defect)."""
    low, high = schema.get("minimum"), schema.get("maximum")
    if (isinstance(low, int | float) and value < low) or (isinstance(high, int | float) and value > high):
        return None
    return str(value)
