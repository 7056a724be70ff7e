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
    parts = parts or RequestParts()
    params = {p.name: p for p in op.parameters}
    for draw in strategies.draw(op, "negative", count, seed):
        body = _fuzz_body(draw)
        kw: dict[str, Any] = {}
        if ref is not None:
            kw = _like(ref, content_type=ref.content_type if body is not None else None)
        expect = Expect("no-server-error")
        if draw.path and not changes_resource(op):
            # a drawn id may be the documented example or a real resource: a request that changes what its
            # path names keeps the one it may change (odd path values are the edge cases' job)
            kw["path"] = parts.path(op, {k: scalar_text(v) for k, v in draw.path.items()})
            if ref is None or kw["path"] != ref.path:
                expect = Expect("no-server-error", sole=True)  # may not reach the operation at all
        if draw.query:
            pairs: list[tuple[str, str]] = []
            for name, value in draw.query.items():
                p = params.get(name)
                pairs += parameter_pairs(name, value, p.media_type if p else None, p.explode if p else True)
            kw["query"] = tuple(pairs)
        if draw.cookies:
            kw["cookies"] = tuple(draw.cookies.items())
        secret = credential_headers(op)
        headers = tuple((k, v) for k, v in draw.headers.items() if k.lower() not in secret)
        request = (headers, body, kw.get("path"), kw.get("query"), kw.get("cookies"))
        if request in sent:
            continue
        sent.add(request)
        cases.append(
            _case(
                op,
                R.NO_SERVER_ERRORS,
                "fuzz",
                len(cases),
                f"a fuzzed request ({_short(draw.description)})",
                headers=headers,
                body=body,
                expect=expect,
                source=op.source,
                **kw,
            )
        )
    return cases


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


FUZZ = register(ProbeKind("fuzz", {"fuzz": nothing_more}, _build))
