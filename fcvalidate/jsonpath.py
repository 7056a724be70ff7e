"""JSON helpers shared by every stage: paths into documents (`$.characteristics[0].value`), walking,
copy-with-one-change, and the JSON type of a Python value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def json_path(parts: tuple[str | int, ...]) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def walk(value: Any, parts: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every (path, value) in a JSON document, parents before children."""
    yield parts, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from walk(child, (*parts, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from walk(child, (*parts, i))


def replaced(document: Any, parts: tuple[str | int, ...], value: Any) -> Any:
    """A copy of `document` with the value at `parts` replaced (or removed when value is `REMOVE`)."""
    if not parts:
        return value
    head, rest = parts[0], parts[1:]
    if isinstance(document, dict):
        copy = dict(document)
        if not rest and value is REMOVE:
            copy.pop(head, None)  # type: ignore[arg-type]
        else:
            copy[head] = replaced(document[head], rest, value)  # type: ignore[index]
        return copy
    if isinstance(document, list):
        items = list(document)
        items[head] = replaced(document[head], rest, value)  # type: ignore[index]
        return items
    raise KeyError(parts)


REMOVE: Any = object()


def json_type(value: Any) -> str:
    """The JSON Schema type word of a decoded JSON value (`True` is a boolean, never an integer)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def without_extensions(schema: Any) -> Any:
    """A schema with fcvalidate's `x-fc-*` annotations removed at every depth (for plain validators)."""
    if isinstance(schema, Mapping):
        return {k: without_extensions(v) for k, v in schema.items() if not str(k).startswith("x-fc-")}
    if isinstance(schema, list):
        return [without_extensions(v) for v in schema]
    return schema
