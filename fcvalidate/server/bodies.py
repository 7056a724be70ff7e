"""Bodies the reference implementation answers with, built from the documented schema of the status.

A success body echoes what is stored and fills every other required field from the contract's own
examples, defaults and enums; an error body follows the operation's documented error shape.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
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
    for key in ("oneOf", "anyOf"):
        options = schema.get(key)
        if isinstance(options, list) and options:
            non_null = [o for o in options if isinstance(o, Mapping) and _NULL not in _types(o)]
            return {**{k: v for k, v in schema.items() if k != key}, **(non_null or options)[0]}
    parts = schema.get("allOf")
    if isinstance(parts, list) and parts:
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in parts:
            if isinstance(part, Mapping):
                part = _first_choice(part)
                merged["properties"] = {**merged.get("properties", {}), **part.get("properties", {})}
                merged["required"] = [*merged.get("required", []), *part.get("required", [])]
                merged.update({k: v for k, v in part.items() if k not in ("properties", "required")})
        return merged
    return schema


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
    if stored is not None and not isinstance(stored, Mapping) and _fits(stored, schema):
        return stored
    types = _types(schema)
    if stored is not None and not types and not {"properties", "enum", "const"} & schema.keys():
        return stored  # a field of any type (free-form) reads back as it was stored
    if "object" in types or (not types and "properties" in schema):
        return _object(schema, stored if isinstance(stored, Mapping) else {}, depth)
    for key in ("const",):
        if key in schema:
            return schema[key]
    for example in (*schema.get("examples", ()), schema.get("example"), schema.get("default")):
        if example is not None and _fits(example, schema):
            return example
    if schema.get("enum"):
        return next((e for e in schema["enum"] if e is not None), schema["enum"][0])
    kind = next((t for t in types if t != _NULL), None)
    if kind is None:
        return None if types == [_NULL] else "value"
    if kind == "array":
        items = schema.get("items")
        items = items if isinstance(items, Mapping) else {}
        count = max(1, int(schema.get("minItems", 1))) if depth < 6 else int(schema.get("minItems", 0))
        return [sample(items, None, depth + 1) for _ in range(count)]
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        value = int(low) + (1 if "exclusiveMinimum" in schema else 0) if kind == "integer" else low
        return max(value, 1) if "maximum" not in schema else value
    if kind == "boolean":
        return True
    return _string(schema)


def _coerced(value: Any, schema: Mapping[str, Any]) -> Any:
    """A path value is text; where the schema wants a number, the number it spells."""
    if isinstance(value, str) and set(_types(schema)) & {"integer", "number"}:
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() and "integer" in _types(schema) else number
    return value


def _string(schema: Mapping[str, Any]) -> str:
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
    out: dict[str, Any] = {}
    required = set(schema.get("required", ()))
    for name, sub in properties.items():
        if not isinstance(sub, Mapping):
            continue
        if name in stored and stored[name] is not None:
            value = sample(sub, stored[name], depth + 1)
            if value is not None or _NULL in _types(sub):
                out[name] = value
        elif name in required:
            out[name] = sample(sub, None, depth + 1)
    return out


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
    out: dict[str, Any] = {}
    for name, sub in properties.items():
        sub = sub if isinstance(sub, Mapping) else {}
        if name == "code" and sub.get("enum"):
            out[name] = code if code in sub["enum"] else sub["enum"][0]
        elif name in known and (name in schema.get("required", ()) or name in _ALWAYS):
            value = known[name]
            out[name] = value if _fits(value, sub) else sample(sub)
        elif name in schema.get("required", ()):
            out[name] = sample(sub)
    return out


_ALWAYS = frozenset({"uuid", "code", "messages", "message", "title", "status", "detail", "type"})


def reason(status: int) -> str:
    return HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
