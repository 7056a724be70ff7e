"""Bodies the reference implementation answers with, built from the documented schema of the status.

A success body echoes what is stored and fills every other required field from the contract's own
examples, defaults and enums; an error body follows the operation's documented error shape.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Mapping
from http import HTTPStatus
from typing import Any

from jsonschema import Draft202012Validator

_NULL = "null"


def _types(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, list):
        return [str(k) for k in kind]
    return [str(kind)] if kind else []


def _fits(value: Any, schema: Mapping[str, Any]) -> bool:
    try:
        return Draft202012Validator(dict(schema)).is_valid(value)
    except Exception:  # an odd schema: do not echo through it, build from it instead
        return False


def _first_choice(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """One concrete schema for a `oneOf`/`anyOf` (its first option that is not null) or an `allOf`
    (its parts merged)."""
    for key in ("oneOf", "anyOf"):
        options = schema.get(key)
        if isinstance(options, list) and options:
            return {**{k: v for k, v in schema.items() if k != key}, **_first_not_null(options)}
    parts = schema.get("allOf")
    return _merged(schema, parts) if isinstance(parts, list) and parts else schema


def _first_not_null(options: list[Any]) -> Any:
    non_null = [o for o in options if isinstance(o, Mapping) and _NULL not in _types(o)]
    return (non_null or options)[0]


def _merged(schema: Mapping[str, Any], parts: list[Any]) -> Mapping[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in (_first_choice(p) for p in parts if isinstance(p, Mapping)):
        merged["properties"] = {**merged.get("properties", {}), **part.get("properties", {})}
        merged["required"] = [*merged.get("required", []), *part.get("required", [])]
        merged.update({k: v for k, v in part.items() if k not in ("properties", "required")})
    return merged


def has_undocumented_field(value: Any, schema: Mapping[str, Any]) -> bool:
    """Whether a request body carries, at any depth, a field its object's schema does not list (an
    object that lists no properties, or describes others, documents any field)."""
    if isinstance(value, dict):
        listed = schema.get("properties")
        if not isinstance(listed, Mapping):
            return False
        if "additionalProperties" not in schema and not value.keys() <= listed.keys():
            return True
        return any(has_undocumented_field(v, listed.get(k) or {}) for k, v in value.items())
    if isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        return any(has_undocumented_field(v, schema["items"]) for v in value)
    return False


def sample(schema: Mapping[str, Any], stored: Any = None, depth: int = 0) -> Any:
    """A value valid for `schema`: `stored` where it fits, else the contract's example, default or enum,
    else the smallest value of the type (never null unless null is the only type allowed)."""
    schema = _first_choice(schema)
    stored = _coerced(stored, schema)
    if _echoes(stored, schema):
        return stored
    types = _types(schema)
    if stored is not None and not types and not {"properties", "enum", "const"} & schema.keys():
        return stored  # a field of any type (free-form) reads back as it was stored
    if _is_object(schema, types):
        return _object(schema, stored if isinstance(stored, Mapping) else {}, depth)
    for documented in _documented(schema):
        return documented
    kind = next((t for t in types if t != _NULL), None)
    if kind is None:
        return None if types == [_NULL] else "value"
    return _SMALLEST.get(kind, _string)(schema, kind, depth)


def _echoes(stored: Any, schema: Mapping[str, Any]) -> bool:
    return stored is not None and not isinstance(stored, Mapping) and _fits(stored, schema)


def _is_object(schema: Mapping[str, Any], types: list[str]) -> bool:
    return "object" in types or (not types and "properties" in schema)


def _documented(schema: Mapping[str, Any]) -> Iterator[Any]:
    """The value the contract itself gives: its const, an example or default that fits, an enum member."""
    if "const" in schema:
        yield schema["const"]
    for example in (*schema.get("examples", ()), schema.get("example"), schema.get("default")):
        if example is not None and _fits(example, schema):
            yield example
    if schema.get("enum"):
        yield next((e for e in schema["enum"] if e is not None), schema["enum"][0])


def _array(schema: Mapping[str, Any], kind: str, depth: int) -> list[Any]:
    items = schema.get("items")
    items = items if isinstance(items, Mapping) else {}
    count = max(1, int(schema.get("minItems", 1))) if depth < 6 else int(schema.get("minItems", 0))
    return [sample(items, None, depth + 1) for _ in range(count)]


def _number(schema: Mapping[str, Any], kind: str, depth: int) -> Any:
    low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
    value = int(low) + (1 if "exclusiveMinimum" in schema else 0) if kind == "integer" else low
    return max(value, 1) if "maximum" not in schema else value


def _coerced(value: Any, schema: Mapping[str, Any]) -> Any:
    """A path value is text; where the schema wants a number, the number it spells."""
    if isinstance(value, str) and set(_types(schema)) & {"integer", "number"}:
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() and "integer" in _types(schema) else number
    return value


def _string(schema: Mapping[str, Any], kind: str = "string", depth: int = 0) -> str:
    form = schema.get("format")
    if form == "date-time":
        return dt.datetime(2026, 1, 1, tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")
    if form == "date":
        return "2026-01-01"
    if form == "uuid":
        return str(uuid.uuid4())
    if form == "email":
        return "someone@example.com"
    if form in ("uri", "url"):
        return "https://example.com/"
    text = "value"
    return text.ljust(int(schema.get("minLength", 0)), "x")


def _object(schema: Mapping[str, Any], stored: Mapping[str, Any], depth: int) -> dict[str, Any]:
    properties: Mapping[str, Any] = schema.get("properties") or {}
    if not properties:
        return dict(stored) if schema.get("additionalProperties", True) is not False else {}
    required = set(schema.get("required", ()))
    return {
        name: value
        for name, sub in properties.items()
        if isinstance(sub, Mapping)
        for value in _property(sub, stored.get(name), name in required, depth + 1)
    }


def _property(schema: Mapping[str, Any], stored: Any, required: bool, depth: int) -> Iterator[Any]:
    """A field's value, if the object has one: what is stored (unless it comes out null where null is
    not allowed), else a sample for a required field."""
    if stored is not None:
        value = sample(schema, stored, depth)
        if value is not None or _NULL in _types(schema):
            yield value
    elif required:
        yield sample(schema, None, depth)


def error_body(schema: Mapping[str, Any], status: int, code: str, messages: list[str]) -> Any:
    """An error body in the documented shape: the Fibre Cafe `{uuid, code, messages}` (code from this
    status's own enum), RFC 7807 `{type, title, status, detail}`, `{message}`, or whatever else the
    schema requires (from its examples)."""
    schema = _first_choice(schema)
    properties: Mapping[str, Any] = schema.get("properties") or {}
    phrase = reason(status)
    text = "; ".join(messages)
    known: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "code": code,
        "messages": messages,
        "message": text,
        "detail": text,
        "title": phrase,
        "status": status,
        "type": "about:blank",
        "error": text,
    }
    required = schema.get("required", ())
    return {
        name: value
        for name, sub in properties.items()
        for value in _error_field(name, sub if isinstance(sub, Mapping) else {}, known, required)
    }


def _error_field(name: str, schema: Mapping[str, Any], known: dict[str, Any], required: Any) -> Iterator[Any]:
    """A field of an error body, if it has one: the code from the status's own enum, the known value
    where it fits, else a sample (for a required field or one always sent: every such one is known)."""
    if name == "code" and schema.get("enum"):
        yield known["code"] if known["code"] in schema["enum"] else schema["enum"][0]
    elif name in required or name in _ALWAYS:
        yield known[name] if name in known and _fits(known[name], schema) else sample(schema)


_SMALLEST: dict[str, Callable[[Mapping[str, Any], str, int], Any]] = {
    "array": _array,
    "integer": _number,
    "number": _number,
    "boolean": lambda schema, kind, depth: True,
}
_ALWAYS = frozenset({"uuid", "code", "messages", "message", "title", "status", "detail", "type"})


def reason(status: int) -> str:
    return HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
