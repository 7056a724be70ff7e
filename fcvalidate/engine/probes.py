"""The cases of one operation: valid requests first, then probes derived from a valid request.

Each builder returns cases for one requirement, each with its expectation and the clause it enforces.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fcvalidate.contract.operation import GAP_REQUEST_BODY, Operation
from fcvalidate.engine.data import OperationValues, apply_fields
from fcvalidate.engine.generate import Draw, DrawSource, edge_bodies, example_body
from fcvalidate.engine.mutations import mutations
from fcvalidate.exchange import Case, Defect, Expect, dump_json
from fcvalidate.requirements import RequirementId as R

OTHER_METHODS = ("GET", "PUT", "PATCH", "DELETE")
NOT_JSON_BODIES = (b"{not json", b'{"id": 1,')
NOT_OBJECT_BODIES = (b"[]", b'"text"', b"42", b"null")
MALFORMED_CODES = ("MALFORMED_REQUEST", "INVALID_REQUEST")


def _case(op: Operation, requirement: R, kind: Any, n: int, title: str, **kw: Any) -> Case:
    return Case(
        id=f"{op.operation_id}.{kind}.{n:03d}",
        operation=op.label,
        requirement=requirement,
        kind=kind,
        title=title,
        method=kw.pop("method", op.method),
        path=op.path,
        **kw,
    )


def default_headers(op: Operation, values: OperationValues) -> dict[str, str]:
    """Every documented header: known value, else the documented example, else a plain value."""
    pinned = values.headers
    return {
        h.name: pinned.get(
            h.name, str(h.example) if h.example is not None else f"fcvalidate-{h.name.lower()}"
        )
        for h in op.headers
    }


def valid_cases(
    op: Operation, strategies: DrawSource, values: OperationValues, count: int, seed: int
) -> list[Case]:
    """The documents' own example (every field, known values applied) first, then generated requests."""
    fields = values.fields
    headers = default_headers(op, values)
    source = op.request_source if op.request_source.at else op.source
    expect = Expect("success")
    cases = [
        _case(
            op,
            R.VALID_REQUESTS,
            "valid",
            0,
            "the documented example, every field present",
            headers=tuple(headers.items()),
            body=dump_json(apply_fields(example_body(op.request_schema), fields)),
            expect=expect,
            source=source,
        )
    ]
    for n, draw in enumerate(strategies.draw(op, "positive", max(count - 1, 0), seed), start=1):
        merged = {**draw.headers, **values.headers}
        body = apply_fields(draw.body, fields) if draw.body is not None else None
        cases.append(
            _case(
                op,
                R.VALID_REQUESTS,
                "valid",
                n,
                "a generated valid request",
                headers=tuple(merged.items()),
                body=dump_json(body) if body is not None else None,
                expect=expect,
                source=source,
            )
        )
    return cases


@dataclass(frozen=True, slots=True)
class Skip:
    """A requirement a builder cannot test on this operation, and why (shown as the verdict's reason)."""

    requirement: R
    reason: str


@dataclass(frozen=True, slots=True)
class Probes:
    cases: list[Case]
    skips: dict[R, str]


def probe_cases(
    op: Operation,
    reference: Case,
    strategies: DrawSource,
    values: OperationValues,
    count: int,
    seed: int,
    baseline_ok: bool = True,
    documented_methods: Iterable[str] = (),
) -> Probes:
    """Every probe derived from the reference valid request; a builder with nothing to test says why."""
    built: list[list[Case] | Skip] = [
        header_cases(op, reference),
        auth_cases(op, reference),
        malformed_cases(op, reference),
        invalid_cases(op, reference),
        edge_cases(op, reference, values),
        fuzz_cases(op, strategies, count, seed),
        foreign_cases(op, reference, values, baseline_ok),
        method_cases(op, reference, documented_methods),
    ]
    cases = [case for b in built if not isinstance(b, Skip) for case in b]
    return Probes(cases, {b.requirement: b.reason for b in built if isinstance(b, Skip)})


def header_cases(op: Operation, ref: Case) -> list[Case]:
    cases = []
    for n, header in enumerate(h for h in op.headers if h.required):
        cases.append(
            _case(
                op,
                R.REQUIRED_HEADERS,
                "missing-header",
                n,
                f"request without {header.name}",
                headers=tuple((k, v) for k, v in ref.headers if k.lower() != header.name.lower()),
                body=ref.body,
                expect=Expect("rejected"),
                source=header.source,
                parent=ref.id,
                defect=Defect("missing-header", f"request.header.{header.name}", f"{header.name} left out"),
            )
        )
    if op.headers:
        cases.append(
            _case(
                op,
                R.REQUIRED_HEADERS,
                "header-case",
                0,
                "header names sent in lower case",
                headers=tuple((k.lower(), v) for k, v in ref.headers),
                body=ref.body,
                expect=Expect("like-parent"),
                source=op.headers[0].source,
                parent=ref.id,
            )
        )
    return cases


def auth_cases(op: Operation, ref: Case) -> list[Case] | Skip:
    if not op.security:
        return Skip(R.AUTHORISATION, "the operation documents no security")
    common: dict[str, Any] = {"headers": ref.headers, "body": ref.body, "source": op.source, "parent": ref.id}
    return [
        _case(
            op,
            R.AUTHORISATION,
            "no-token",
            0,
            "request without a token",
            auth="none",
            expect=Expect("unauthorised", codes=("NOT_AUTHORISED",)),
            **common,
        ),
        _case(
            op,
            R.AUTHORISATION,
            "bad-token",
            0,
            "request with an invalid token",
            auth="invalid",
            expect=Expect("unauthorised", codes=("NOT_AUTHORISED",)),
            **common,
        ),
    ]


def malformed_cases(op: Operation, ref: Case) -> list[Case]:
    if op.request_media_type is None:
        return []
    codes = tuple(c for c in MALFORMED_CODES if c in op.error_codes) or MALFORMED_CODES
    common: dict[str, Any] = {"headers": ref.headers, "source": op.request_source, "parent": ref.id}
    cases = [
        _case(
            op,
            R.MALFORMED_BODY,
            "malformed",
            n,
            f"a body that is not JSON: {body.decode()!r}",
            body=body,
            expect=Expect("rejected", codes=codes, statuses=(400,)),
            **common,
        )
        for n, body in enumerate(NOT_JSON_BODIES)
    ]
    cases += [
        _case(
            op,
            R.MALFORMED_BODY,
            "not-object",
            n,
            f"a JSON body that is not an object: {body.decode()}",
            body=body,
            expect=Expect("rejected"),
            **common,
        )
        for n, body in enumerate(NOT_OBJECT_BODIES)
    ]
    return cases


def invalid_cases(op: Operation, ref: Case) -> list[Case] | Skip:
    body = ref.json_body
    if GAP_REQUEST_BODY in op.gaps:
        return Skip(
            R.INVALID_REQUESTS, "not tested: the document lists no request fields (gap: request-body)"
        )
    if not op.request_schema or not isinstance(body, dict):
        return []
    return [
        _case(
            op,
            R.INVALID_REQUESTS,
            "invalid",
            n,
            m.defect.description,
            headers=ref.headers,
            body=dump_json(m.body),
            expect=Expect("rejected"),
            source=m.source,
            defect=m.defect,
            parent=ref.id,
        )
        for n, m in enumerate(mutations(body, op.request_schema))
    ]


def edge_cases(op: Operation, ref: Case, values: OperationValues) -> list[Case]:
    body = ref.json_body
    if not isinstance(body, dict):
        return []
    pinned: set[tuple[str | int, ...]] = {tuple(name.split(".")) for name in values.fields}
    return [
        _case(
            op,
            R.NO_SERVER_ERRORS,
            "edge",
            n,
            f"a valid request with {title}",
            headers=ref.headers,
            body=dump_json(variant),
            expect=Expect("no-server-error"),
            source=op.request_source,
            parent=ref.id,
        )
        for n, (title, variant) in enumerate(edge_bodies(body, pinned))
    ]


def fuzz_cases(op: Operation, strategies: DrawSource, count: int, seed: int) -> list[Case]:
    cases = []
    for n, draw in enumerate(strategies.draw(op, "negative", count, seed)):
        body = _fuzz_body(draw)
        cases.append(
            _case(
                op,
                R.NO_SERVER_ERRORS,
                "fuzz",
                n,
                f"a fuzzed request ({_short(draw.description)})",
                headers=tuple(draw.headers.items()),
                body=body,
                expect=Expect("no-server-error"),
                source=op.source,
            )
        )
    return cases


def foreign_cases(
    op: Operation, ref: Case, values: OperationValues, baseline_ok: bool = True
) -> list[Case] | Skip:
    headers, fields = values.foreign_headers, values.foreign_fields
    if not headers and not fields:
        return Skip(
            R.TENANT_ISOLATION, "not tested: the data file gives no `foreign` values this operation uses"
        )
    if not baseline_ok:
        return Skip(
            R.TENANT_ISOLATION, "not tested: no valid request succeeded, so there is nothing to replay"
        )
    sent = dict(ref.headers)
    sent.update(headers)
    body = ref.json_body
    names = ", ".join(f"{k}={v}" for k, v in {**headers, **fields}.items())
    source = next((h.source for h in op.headers if h.name in headers), op.source)
    return [
        _case(
            op,
            R.TENANT_ISOLATION,
            "foreign",
            0,
            f"a successful request replayed as another principal ({names})",
            headers=tuple(sent.items()),
            body=dump_json(apply_fields(body, fields)) if isinstance(body, dict) else ref.body,
            expect=Expect("not-success"),
            source=source,
            parent=ref.id,
        )
    ]


def method_cases(op: Operation, ref: Case, documented: Iterable[str] = ()) -> list[Case]:
    taken = {op.method, *documented}
    return [
        _case(
            op,
            R.METHOD_NOT_ALLOWED,
            "method",
            n,
            f"{method} {op.path}",
            method=method,
            headers=ref.headers,
            body=ref.body if method in ("PUT", "PATCH") else None,
            expect=Expect("method-refused"),
            source=op.source,
            parent=ref.id,
        )
        for n, method in enumerate(m for m in OTHER_METHODS if m not in taken)
    ]


def _fuzz_body(draw: Draw) -> bytes | None:
    if draw.body is None:
        return None
    if isinstance(draw.body, bytes):
        return draw.body
    return dump_json(draw.body)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split()) or "negative generation"
    return text if len(text) <= limit else text[: limit - 1] + "…"
