"""Shared by the body checks: parse a JSON body and turn jsonschema errors into located violations."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from fcvalidate.exchange import NOT_JSON, Response, Source, source_of
from fcvalidate.jsonpath import json_path


def parse_json(response: Response) -> Any:
    try:
        return json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        return NOT_JSON


def documented_json(response: Response, media_type: str) -> tuple[Any, tuple[str, str, str, str] | None]:
    """The body as the documented JSON, or NOT_JSON and why: (what is wrong, location, expected, actual)."""
    if response.media_type != media_type:
        return NOT_JSON, (
            "has the wrong content type",
            "response.header.Content-Type",
            media_type,
            response.media_type or "no Content-Type",
        )
    body = parse_json(response)
    if body is NOT_JSON:
        return NOT_JSON, ("is not JSON", "response.body", "a JSON object", describe_body(response))
    return body, None


MAX_VALIDATORS = 1024
_FORMATS = FormatChecker()
_VALIDATORS: dict[int, tuple[Mapping[str, Any], Draft202012Validator]] = {}


def validator_for(schema: Mapping[str, Any]) -> Draft202012Validator:
    """One validator per schema, built on first use: a contract's schemas live as long as the run.

    Keyed by identity (schemas are not hashable); the schema is kept with its validator, so an id is
    never reused for another schema while cached.
    """
    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:
        if len(_VALIDATORS) >= MAX_VALIDATORS:  # a long-lived process (the pytest plugin) loads many
            _VALIDATORS.clear()
        cached = (schema, Draft202012Validator(schema, format_checker=_FORMATS))
        _VALIDATORS[id(schema)] = cached
    return cached[1]


def schema_errors(instance: Any, schema: Mapping[str, Any]) -> Iterator[tuple[str, str, Source, str]]:
    """(JSON path, message, clause, problem) for each way `instance` breaks `schema`, shallowest first.

    `problem` says it in a few stable words without the server's values (`missing uuid`, `messages is
    not an array`), so the same problem seen in many cases is one finding."""
    validator = validator_for(schema)
    errors = sorted(
        validator.iter_errors(instance), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path)))
    )
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator == "required" and isinstance(error.instance, Mapping):
            # jsonschema reports a missing field at its parent; report it at its own path, with its own clause.
            properties = error.schema.get("properties", {})
            required = list(error.validator_value)
            for name in sorted(set(required) - set(error.instance), key=required.index):
                source = source_of(properties.get(name))
                where = json_path((*path, name))
                yield (
                    where,
                    f"{name!r} is required but missing",
                    source if source.at else clause_at(schema, tuple(error.absolute_schema_path)),
                    f"missing {_field(where)}",
                )
            continue
        where = json_path(path)
        source = clause_at(schema, tuple(error.absolute_schema_path))
        yield where, error.message, source, _problem(where, str(error.validator), error.validator_value)


_KINDS = {"array": "an array", "object": "an object", "string": "a string", "integer": "an integer"}


def _field(where: str) -> str:
    return where.removeprefix("$.") if where != "$" else "the body"


def _problem(where: str, keyword: str, value: Any) -> str:
    field = _field(where)
    if keyword == "type":
        kinds = value if isinstance(value, list) else [value]
        return f"{field} is not {' or '.join(_KINDS.get(str(k), str(k)) for k in kinds)}"
    if keyword == "format":
        return f"{field} is not a {value}"
    if keyword == "enum":
        return f"{field} is not one of the enum"
    return f"{field} breaks `{keyword}`"


def clause_at(schema: Mapping[str, Any], schema_path: tuple[Any, ...]) -> Source:
    """The innermost `x-fc-source` along a schema path: the sentence the failed keyword came from."""
    node: Any = schema
    found = source_of(schema)
    for part in schema_path:
        if (isinstance(node, Mapping) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            node = node[part]
        else:
            break
        if isinstance(node, Mapping) and "x-fc-source" in node:
            found = source_of(node)
    return found


def describe_body(response: Response, limit: int = 120) -> str:
    text = response.body[:limit].decode("utf-8", "replace")
    return text + ("…" if len(response.body) > limit else "")
