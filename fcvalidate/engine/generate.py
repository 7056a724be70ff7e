"""Request generation: Schemathesis/Hypothesis strategies, the documents' own example, edge values.

Strategies are built once per operation; draws are seeded, so the same seed gives the same cases.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from fcvalidate.contract.operation import Contract, Operation
from fcvalidate.jsonpath import walk

UNICODE_TEXT = "Ωmega ☕ 𝄞 — Zyzel DX3301 ü ñ 中文"
LONG_TEXT_LENGTH = 5000
FRACTION = 1.5


@dataclass(frozen=True, slots=True)
class Draw:
    headers: dict[str, str]
    body: Any  # JSON value, or bytes for a syntax-fuzzed body
    description: str = ""


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
            return schemathesis.openapi.from_dict(dict(self.contract.spec))

    def draw(self, op: Operation, mode: str, count: int, seed: int) -> list[Draw]:
        """`count` seeded draws in `mode` ("positive" or "negative"); fewer when the space is small."""
        if count <= 0:
            return []
        from hypothesis import HealthCheck, Phase, given, settings
        from hypothesis import seed as hseed
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
            out.append(Draw({str(k): str(v) for k, v in (case.headers or {}).items()}, body, description))

        # No `catch_warnings` here: it is not thread-safe, and draws run on a background thread while
        # other threads work (the strategies above are built under it, once).
        with _without_local_constants():
            collect()
        return out


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
    types = schema.get("type", "object")
    kind = next((t for t in ([types] if isinstance(types, str) else types) if t != "null"), "null")
    if kind == "object":
        return {name: _example(sub) for name, sub in (schema.get("properties") or {}).items()}
    if kind == "array":
        items = schema.get("items")
        return [_example(items)] if isinstance(items, Mapping) else []
    return {"string": "fcvalidate", "number": 1, "integer": 1, "boolean": True, "null": None}[kind]


def edge_bodies(body: Any, pinned: set[tuple[str | int, ...]]) -> list[tuple[str, Any]]:
    """Valid edge-case variants of a valid body: every string unicode, every string long, every array
    empty, every number non-integral. Fields with known values (`pinned`) are left alone."""
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
    return variants


def _is_pinned(path: tuple[str | int, ...], pinned: set[tuple[str | int, ...]]) -> bool:
    names = tuple(p for p in path if isinstance(p, str))
    return any(names[: len(p)] == p for p in pinned) or names in pinned
