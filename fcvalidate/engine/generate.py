"""Request generation: Schemathesis/Hypothesis strategies, the documents' own example, edge values.

Strategies are built once per operation; draws are seeded, so the same seed gives the same cases.
Schemathesis generates from the contract as `generation_spec` reads it: a valid request carries the
documented fields only, the required ones with a value.
"""

from __future__ import annotations

import contextlib
import json
import re
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from fcvalidate.contract.operation import Contract, Operation
from fcvalidate.jsonpath import walk

UNICODE_TEXT = "Ωmega ☕ 𝄞 — Zyzel DX3301 ü ñ 中文"
LONG_TEXT_LENGTH = 5000
FRACTION = 1.5
UNDOCUMENTED_FIELD = "fcvalidateUndocumented"


@dataclass(frozen=True, slots=True)
class Draw:
    headers: dict[str, str]
    body: Any  # JSON value, or bytes for a syntax-fuzzed body
    description: str = ""
    path: dict[str, Any] = field(default_factory=dict)  # path parameters
    query: dict[str, Any] = field(default_factory=dict)  # a list for an array; JSON text for `content`
    cookies: dict[str, str] = field(default_factory=dict)


class DrawSource(Protocol):
    def draw(self, op: Operation, mode: str, count: int, seed: int) -> list[Draw]: ...


class Strategies:
    """Schemathesis strategies of one contract, built lazily and reused by every draw."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract

    @cached_property
    def schema(self) -> Any:
        import schemathesis

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return schemathesis.openapi.from_dict(generation_spec(self.contract.spec))

    def draw(self, op: Operation, mode: str, count: int, seed: int) -> list[Draw]:
        """`count` seeded draws in `mode` ("positive" or "negative"); fewer when the space is small."""
        if count <= 0:
            return []
        from hypothesis import HealthCheck, Phase, given, settings
        from hypothesis import seed as hseed
        from hypothesis.errors import InvalidArgument, Unsatisfiable
        from schemathesis import GenerationMode

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            st_op = self.schema[op.path][op.method]
            strategy = st_op.as_strategy(
                generation_mode=GenerationMode.POSITIVE if mode == "positive" else GenerationMode.NEGATIVE
            )
        out: list[Draw] = []

        @hseed(seed)
        @settings(
            max_examples=count,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def collect(case: Any) -> None:
            body = case.body if _has_body(case) else None
            description = ""
            meta = getattr(case, "meta", None)
            data = getattr(getattr(meta, "phase", None), "data", None)
            if data is not None:
                description = str(getattr(data, "description", "") or "")
            out.append(
                Draw(
                    {str(k): str(v) for k, v in (case.headers or {}).items()},
                    body,
                    description,
                    path=dict(getattr(case, "path_parameters", None) or {}),
                    query=dict(getattr(case, "query", None) or {}),
                    cookies={str(k): str(v) for k, v in (getattr(case, "cookies", None) or {}).items()},
                )
            )

        # No `catch_warnings` here: it is not thread-safe, and draws run on a background thread while
        # other threads work (the strategies above are built under it, once).
        # Nothing (more) can be generated in this mode, e.g. negative cases of an operation with no input
        # to break: the draws so far stand, and the requirement says what it could not test.
        with _without_local_constants(), contextlib.suppress(Unsatisfiable, InvalidArgument):
            collect()
        return out


def generation_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the contract for Schemathesis to generate valid requests from: every request object
    schema that lists its properties and says nothing of others is closed (`additionalProperties:
    false`), and every required string (a property or a parameter) is given (`minLength: 1`).

    JSON Schema lets an object carry any undocumented field, so Schemathesis filled valid requests with
    random extra fields (most of its drawing work on a large body), and lets a required string be empty.
    The documents promise neither is accepted, and an implementation may rightly refuse both (an unknown
    field; a blank value for a required one): a valid request carries the documented fields, the
    required ones with a value. Neither goes untested: an undocumented field is one edge case
    (`edge_bodies`), and a blank required string is what Schemathesis's negative cases now send; both are
    judged on server errors alone. Responses are not generated, so they are left as they are; so are
    examples (data, not schemas) and the branches of an `allOf` (closing one would refuse its siblings'
    fields).
    """
    out = json.loads(json.dumps(spec))  # a copy that shares no node, even where the contract did
    components = out.get("components") or {}
    for schema in (components.get("schemas") or {}).values():
        _close(schema)
    for holder in _schema_holders(out):
        _close(holder.get("schema"))
        if holder.get("in") and holder.get("required"):  # a required parameter
            _given(holder.get("schema"))
        for media in (holder.get("content") or {}).values():
            if isinstance(media, dict):
                _close(media.get("schema"))
    return out


def _schema_holders(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every parameter and request body of the spec, in its components and its paths."""
    components = spec.get("components") or {}
    holders = [
        *(components.get("parameters") or {}).values(),
        *(components.get("requestBodies") or {}).values(),
    ]
    for operation in _path_items_and_operations(spec):
        holders += [*(operation.get("parameters") or []), operation.get("requestBody")]
    return (holder for holder in holders if isinstance(holder, dict))


def _path_items_and_operations(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in (spec.get("paths") or {}).values():
        yield item
        yield from (v for v in item.values() if isinstance(v, dict))


_OPEN = frozenset({"additionalProperties", "unevaluatedProperties", "patternProperties", "allOf", "$ref"})


def _close(schema: Any, branch_of_all_of: bool = False) -> None:
    if not isinstance(schema, dict):
        return
    for sub, in_all_of in _subschemas(schema):
        _close(sub, in_all_of)
    if isinstance(schema.get("properties"), dict) and not branch_of_all_of and not _OPEN & schema.keys():
        schema["additionalProperties"] = False
    if isinstance(schema.get("properties"), dict) and isinstance(schema.get("required"), list):
        for name in schema["required"]:
            _given(schema["properties"].get(name))


def _subschemas(schema: dict[str, Any]) -> Iterator[tuple[Any, bool]]:
    """Each schema directly inside `schema`, and whether it is a branch of an `allOf`."""
    for key in ("properties", "patternProperties", "$defs"):
        if isinstance(schema.get(key), dict):
            yield from ((sub, False) for sub in schema[key].values())
    for key in ("anyOf", "oneOf", "prefixItems", "allOf"):
        if isinstance(schema.get(key), list):
            yield from ((sub, key == "allOf") for sub in schema[key])
    for key in ("items", "additionalProperties"):
        yield schema.get(key), False


def _given(schema: Any) -> None:
    """A required string: not blank (`minLength: 1`), unless the schema already bounds or lists it."""
    if not isinstance(schema, dict) or {"minLength", "enum", "const", "pattern", "$ref"} & schema.keys():
        return
    types = schema.get("type")
    if types == "string" or (isinstance(types, list) and "string" in types):
        schema["minLength"] = 1


@contextmanager
def _without_local_constants() -> Iterator[None]:
    """Draw as if no local module were loaded.

    Hypothesis mixes into its draws constants harvested from the source of every local (not installed,
    not test) module loaded in the process, so the same seed drew differently under the CLI, a benchmark
    and another repository's pytest run. Without them a seed means the same cases everywhere. This uses
    Hypothesis internals (pinned by the cache key's Hypothesis version); if they move, draws go on as before.
    """
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants

        original = providers._get_local_constants
        cache = providers.CONSTANTS_CACHE.cache
    except (ImportError, AttributeError):  # pragma: no cover - another Hypothesis
        yield
        return
    providers._get_local_constants = Constants  # an empty set of constants
    cache.clear()  # permitted constants cached with local ones in them
    try:
        yield
    finally:
        providers._get_local_constants = original
        cache.clear()


def _has_body(case: Any) -> bool:
    from schemathesis.core import NOT_SET

    return case.body is not NOT_SET


def example_body(schema: Mapping[str, Any] | None) -> Any:
    """A body with every documented field, from the documents' examples (arrays get one item)."""
    if not schema:
        return {}
    return _example(schema)


def _example(schema: Mapping[str, Any]) -> Any:
    if schema.get("examples"):
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = _first_type(schema.get("type", "object"))
    if kind == "object":
        return {name: _example(sub) for name, sub in (schema.get("properties") or {}).items()}
    if kind == "array":
        items = schema.get("items")
        return [_example(items)] if isinstance(items, Mapping) else []
    return {"string": "fcvalidate", "number": 1, "integer": 1, "boolean": True, "null": None}[kind]


def _first_type(types: str | list[str]) -> str:
    return next((t for t in ([types] if isinstance(types, str) else types) if t != "null"), "null")


def edge_bodies(body: Any, pinned: set[tuple[str | int, ...]]) -> list[tuple[str, Any]]:
    """Valid edge-case variants of a valid body: every string unicode, every string long, every array
    empty, every number non-integral, then an undocumented field added to every object. Fields with
    known values (`pinned`) are left alone."""
    from fcvalidate.jsonpath import replaced

    variants: list[tuple[str, Any]] = []
    spots = [(path, value) for path, value in walk(body) if path and not _is_pinned(path, pinned)]

    def variant(title: str, pick: Any, make: Any) -> None:
        chosen = [path for path, value in spots if pick(value)]
        if not chosen:
            return
        out = body
        for path in sorted(chosen, key=len, reverse=True):
            out = replaced(out, path, make(path))
        variants.append((title, out))

    variant("every string in unicode", lambda v: isinstance(v, str), lambda _: UNICODE_TEXT)
    variant(
        f"every string {LONG_TEXT_LENGTH} characters long",
        lambda v: isinstance(v, str),
        lambda _: "x" * LONG_TEXT_LENGTH,
    )
    variant("every array empty", lambda v: isinstance(v, list), lambda _: [])
    variant(
        "every number non-integral",
        lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        lambda _: FRACTION,
    )
    if isinstance(body, dict):
        variants.append(("an undocumented field in every object", _with_undocumented_field(body, (), pinned)))
    return variants


def _with_undocumented_field(
    value: Any, path: tuple[str | int, ...], pinned: set[tuple[str | int, ...]]
) -> Any:
    if path and _is_pinned(path, pinned):
        return value
    if isinstance(value, dict):
        fields = {k: _with_undocumented_field(v, (*path, k), pinned) for k, v in value.items()}
        return {**fields, UNDOCUMENTED_FIELD: "fcvalidate"}
    if isinstance(value, list):
        return [_with_undocumented_field(v, (*path, i), pinned) for i, v in enumerate(value)]
    return value


def _is_pinned(path: tuple[str | int, ...], pinned: set[tuple[str | int, ...]]) -> bool:
    names = tuple(p for p in path if isinstance(p, str))
    return any(names[: len(p)] == p for p in pinned) or names in pinned


# Parameters: the values of path, query and cookie parameters, as the text that is sent.

SAMPLE_BODIES = {  # a body for a documented non-JSON media type (a 1x1 PNG, a line of text)
    "image/png": bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    ),
}
# Path values no implementation may answer with a 5xx. Judged on that alone: a value its type or
# route pattern refuses (or an encoded slash a framework decodes and re-routes) may never reach the
# operation, and what answers it then owes nothing to the operation's error schema.
ODD_PATH_VALUES = (
    ("unicode", UNICODE_TEXT),
    (f"{LONG_TEXT_LENGTH} characters", "9" * LONG_TEXT_LENGTH),
    ("reserved characters /?#%", "a/b?c#d%e"),
    ("a percent-encoded value", "%2F%3F%23%25"),
)


def sample_body(media_type: str) -> bytes:
    return SAMPLE_BODIES.get(media_type, b"fcvalidate")


def is_json_media(media_type: str | None) -> bool:
    return media_type is not None and (media_type == "application/json" or media_type.endswith("+json"))


def example_value(schema: Mapping[str, Any]) -> Any:
    """A plain valid value of a parameter's schema: its default, first enum value, example, else a
    value of its type (what is sent when neither a known value nor the documents give one)."""
    if "default" in schema:
        return schema["default"]
    if schema.get("enum"):
        return schema["enum"][0]
    value = _example(schema)
    if value == 1 and isinstance(schema.get("minimum"), int | float):
        return schema["minimum"]
    return value


def scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def parameter_pairs(
    name: str, value: Any, media_type: str | None = None, explode: bool = True
) -> list[tuple[str, str]]:
    """A query (or cookie) parameter as name/value pairs: JSON content as compact JSON text (text given
    as such is kept), an array one pair per item (`explode`) or comma-separated, a scalar as text."""
    if media_type is not None:
        return [(name, value if isinstance(value, str) else scalar_text(value))]
    if isinstance(value, list | tuple):
        if explode:
            return [(name, scalar_text(v)) for v in value]
        return [(name, ",".join(scalar_text(v) for v in value))] if value else []
    return [(name, scalar_text(value))]


def unknown_value(schema: Mapping[str, Any], like: Any) -> Any:
    """An identifier of the same shape as `like` that names nothing: digits become 98765…, letters and
    punctuation stay, so an implementation that checks the format still sees a valid one (a lone run of
    fewer than five digits grows to five: `RES-1` has nine neighbours, and one may exist). None when the
    schema's enum (every value may exist) or pattern makes that impossible to promise."""
    if schema.get("enum") or schema.get("pattern") or schema.get("format") not in (None, "int32", "int64"):
        return None
    types = schema.get("type")
    if types in ("integer", "number"):
        value = int(schema["maximum"]) if isinstance(schema.get("maximum"), int | float) else 987654321
        return value if value != like else None
    return _unknown_text(schema, like) if types in (None, "string") else None


def _unknown_text(schema: Mapping[str, Any], like: Any) -> str | None:
    text = str(like) if like not in (None, "") else "fcvalidate-unknown-98765"
    runs = re.findall(r"\d+", text)
    if len(runs) == 1 and len(runs[0]) < 5:  # RES-1 has nine neighbours, one may exist: RES-98765
        text = text.replace(runs[0], runs[0].zfill(5))
    digits = iter("98765432109876543210" * (len(text) // 20 + 1))
    out = "".join(next(digits) if c.isdigit() else c for c in text)
    if out == text:
        out = text + "-fcvalidate-unknown"
    max_length = schema.get("maxLength")
    if isinstance(max_length, int) and len(out) > max_length:
        return None
    return out
