"""Fuzzed requests: negative generation (Schemathesis/Hypothesis) in the valid request's place, judged
under no-server-errors alone.
"""

from __future__ import annotations

from typing import Any

from fcvalidate.checks.outcome import nothing_more
from fcvalidate.contract.operation import Operation
from fcvalidate.engine.generate import Draw, DrawSource, parameter_pairs, scalar_text
from fcvalidate.engine.probes.derive import case as _case
from fcvalidate.engine.probes.derive import like as _like
from fcvalidate.engine.probes.parts import RequestParts, changes_resource, credential_headers
from fcvalidate.engine.probes.registry import ProbeInput, ProbeKind, register
from fcvalidate.exchange import Case, Expect, dump_json
from fcvalidate.requirements import RequirementId as R


def fuzz_cases(
    op: Operation,
    strategies: DrawSource,
    count: int,
    seed: int,
    ref: Case | None = None,
    parts: RequestParts | None = None,
) -> list[Case]:
    cases: list[Case] = []
    sent: set[tuple[Any, ...]] = set()  # Hypothesis may draw one request twice: it is sent once
    secret = credential_headers(op)
    for draw in strategies.draw(op, "negative", count, seed):
        body = _fuzz_body(draw)
        kw = _placed(op, draw, body, ref, parts or RequestParts())
        headers = tuple((k, v) for k, v in draw.headers.items() if k.lower() not in secret)
        request = (headers, body, kw.get("path"), kw.get("query"), kw.get("cookies"))
        if request in sent:
            continue
        sent.add(request)
        title = f"a fuzzed request ({_short(draw.description)})"
        cases.append(
            _case(
                op,
                R.NO_SERVER_ERRORS,
                "fuzz",
                len(cases),
                title,
                headers=headers,
                body=body,
                source=op.source,
                **kw,
            )
        )
    return cases


def _placed(
    op: Operation, draw: Draw, body: bytes | None, ref: Case | None, parts: RequestParts
) -> dict[str, Any]:
    """The drawn request's path, query and cookies (the valid request's where the draw has none), and
    what is expected of it."""
    kw: dict[str, Any] = {}
    if ref is not None:
        kw = _like(ref, content_type=ref.content_type if body is not None else None)
    kw["expect"] = Expect("no-server-error")
    if draw.path and not changes_resource(op):
        # a drawn id may be the documented example or a real resource: a request that changes what its
        # path names keeps the one it may change (odd path values are the edge cases' job)
        kw["path"] = parts.path(op, {k: scalar_text(v) for k, v in draw.path.items()})
        if ref is None or kw["path"] != ref.path:
            kw["expect"] = Expect("no-server-error", sole=True)  # may not reach the operation at all
    if draw.query:
        kw["query"] = _query_pairs(op, draw.query)
    if draw.cookies:
        kw["cookies"] = tuple(draw.cookies.items())
    return kw


def _query_pairs(op: Operation, query: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    params = {p.name: p for p in op.parameters}
    pairs: list[tuple[str, str]] = []
    for name, value in query.items():
        p = params.get(name)
        pairs += parameter_pairs(name, value, p.media_type if p else None, p.explode if p else True)
    return tuple(pairs)


def _fuzz_body(draw: Draw) -> bytes | None:
    if draw.body is None:
        return None
    if isinstance(draw.body, bytes):
        return draw.body
    return dump_json(draw.body)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split()) or "negative generation"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _build(given: ProbeInput) -> list[Case]:
    return fuzz_cases(given.op, given.strategies, given.count, given.seed, given.ref, given.parts)


FUZZ = register(ProbeKind("fuzz", {"fuzz": nothing_more}, _build, order=90))
