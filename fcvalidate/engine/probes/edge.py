"""Edge requests: valid-looking requests no input may answer with a 5xx (body edge values, a body
repeating a name, header values 5,000 characters long, odd path values, unicode query text), judged under
no-server-errors alone.
"""

from __future__ import annotations

from typing import Any

from fcvalidate.checks.outcome import nothing_more
from fcvalidate.contract.operation import Operation
from fcvalidate.engine.data import OperationValues
from fcvalidate.engine.generate import LONG_TEXT_LENGTH, ODD_PATH_VALUES, UNICODE_TEXT, edge_bodies
from fcvalidate.engine.probes.derive import derived
from fcvalidate.engine.probes.parts import RequestParts, credential_headers
from fcvalidate.engine.probes.registry import ProbeInput, ProbeKind, register
from fcvalidate.exchange import Case, Expect, dump_json
from fcvalidate.requirements import RequirementId as R

NO_5XX = Expect("no-server-error")


def edge_cases(
    op: Operation, ref: Case, values: OperationValues, parts: RequestParts | None = None
) -> list[Case]:
    """Valid-looking requests no input may answer with a 5xx: body edge values, a body repeating a name,
    header values 5,000 characters long (those without known values), odd path values (unicode, 5,000
    characters, reserved characters, a percent-encoded value), unicode query text."""
    cases: list[Case] = []
    _body_edges(op, ref, values, cases)
    _long_headers(op, ref, values, cases)
    _odd_paths(op, ref, parts or RequestParts(), cases)
    _unicode_query(op, ref, cases)
    return cases


def _edge(op: Operation, ref: Case, cases: list[Case], title: str, **kw: Any) -> None:
    kw.setdefault("expect", NO_5XX)
    cases.append(derived(op, ref, R.NO_SERVER_ERRORS, "edge", len(cases), title, **kw))


def _body_edges(op: Operation, ref: Case, values: OperationValues, cases: list[Case]) -> None:
    body = ref.json_body
    if not isinstance(body, dict):
        return
    pinned: set[tuple[str | int, ...]] = {tuple(name.split(".")) for name in values.fields}
    for title, variant in edge_bodies(body, pinned):
        _edge(
            op, ref, cases, f"a valid request with {title}", body=dump_json(variant), source=op.request_source
        )
    if body and ref.body is not None:
        # JSON lets a name repeat (RFC 8259 §4: names SHOULD be unique); the usual readings take the last
        first = next(iter(body))
        repeated = ref.body[:-1] + b"," + dump_json({first: body[first]})[1:]
        title = f"a valid request whose body repeats the name {first!r}"
        _edge(op, ref, cases, title, body=repeated, source=op.request_source)


def _long_headers(op: Operation, ref: Case, values: OperationValues, cases: list[Case]) -> None:
    free = {h.name.lower() for h in op.headers if h.name not in values.headers} - credential_headers(op)
    if not free & {k.lower() for k, _ in ref.headers}:
        return
    _edge(
        op,
        ref,
        cases,
        f"header values {LONG_TEXT_LENGTH} characters long ({', '.join(sorted(free))})",
        headers=tuple((k, "x" * LONG_TEXT_LENGTH if k.lower() in free else v) for k, v in ref.headers),
        source=next(h.source for h in op.headers if h.name.lower() in free),
    )


def _odd_paths(op: Operation, ref: Case, parts: RequestParts, cases: list[Case]) -> None:
    for p in op.in_("path"):
        for title, value in ODD_PATH_VALUES:
            path = parts.path(op, {p.name: value})
            # an odd path value may never reach the operation: judged on its own requirement only (sole)
            _edge(
                op,
                ref,
                cases,
                f"{p.name} with {title}",
                source=p.source,
                expect=Expect("no-server-error", sole=True),
                path=path,
            )


def _unicode_query(op: Operation, ref: Case, cases: list[Case]) -> None:
    texts = [
        p
        for p in op.in_("query")
        if p.media_type is None and p.schema.get("type", "string") == "string" and not p.schema.get("enum")
    ]
    if not texts:
        return
    names = sorted({p.name for p in texts})
    query = tuple(pair for pair in ref.query if pair[0] not in names) + tuple(
        (n, UNICODE_TEXT) for n in names
    )
    _edge(
        op,
        ref,
        cases,
        f"query parameters in unicode ({', '.join(names)})",
        source=texts[0].source,
        query=query,
    )


def _build(given: ProbeInput) -> list[Case]:
    return edge_cases(given.op, given.ref, given.values, given.parts)


EDGE = register(ProbeKind("edge", {"edge": nothing_more}, _build, order=80))
