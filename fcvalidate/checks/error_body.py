"""Error bodies: each 4xx/5xx body is judged against the response documented for *that* status, or the
`default` response when the status is not listed (OpenAPI's "any other status"): its media type, and for
JSON its schema, whatever the API's shape (RFC 7807 problem+json, `{"error": ...}`, Fibre Cafe's
`{uuid, code, messages}`). A status documented without fields sends no body.

The Fibre Cafe conventions hold because the documents state them: `code` is checked against the enum of
*this operation* and *this status*, never merged across operations (a code from another operation's enum is
reported as such, once, here); `uuid` is a UUID because the compiler records `format: uuid` from its
name and example (`x-fc-inferred: format-from-example`, quoted as the finding's basis).

Where the document says nothing, the finding is a warning that says why: an undocumented status with no
`default` (its code is compared with the enum the operation documents for other statuses), or the answer
to a method the operation does not document (another operation's answer, strictly).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from fcvalidate.checks.bodies import BodyProblem, SchemaProblem, documented_body, parse_json, schema_errors
from fcvalidate.checks.registry import NO_BASIS, Basis, CheckContext, Severity, Violation, check
from fcvalidate.contract.operation import Operation, ResponseSpec
from fcvalidate.exchange import NOT_JSON, Exchange, Source, source_of
from fcvalidate.requirements import RequirementId as R

REQ = R.ERROR_BODY


@check(name="fcvalidate.error-body")
def error_body(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    response, op, case = exchange.response, ctx.operation, exchange.case
    if response is None or response.status < 400:
        return
    status = response.status
    spec = op.responses.get(status) or op.default_response
    why = _undescribed(op, case.method, status, spec)
    if spec is None or why:
        yield from _code_only(op, parse_json(response), status, why)
        return
    fallback = status not in op.responses  # answered by the `default` response
    basis = Basis(conventions=("http.default-response",)) if fallback else NO_BASIS
    body, problem = documented_body(response, spec, case.method)
    if problem is not None:
        yield _shape_violation(problem, spec, status, fallback, basis)
    elif body is not NOT_JSON and spec.schema is not None:  # else no body to judge, or not JSON
        yield from _schema_violations(op, spec, body, status, fallback, basis)


def _undescribed(op: Operation, method: str, status: int, spec: ResponseSpec | None) -> str:
    """Why the document does not describe this answer, whose code alone is then judged ("": it does)."""
    if method.upper() != op.method:  # a probe with another method is not this operation
        return (
            f"the answer to {method}, a method {op.path} does not document for this operation; "
            f"its code is compared with the enum of {op.label}"
        )
    if spec is None:
        return (
            f"status {status} is not documented for {op.label} (and no `default` response is); its code is "
            "compared with the enum the operation documents for other statuses"
        )
    return ""


def _shape_violation(
    problem: BodyProblem, spec: ResponseSpec, status: int, fallback: bool, basis: Basis
) -> Violation:
    """A body of the wrong media type, a missing one, or one where the status documents none."""
    if problem.unexpected_body and fallback:
        title = f"{status} is not documented and the `default` response has no body, but one was sent"
    elif problem.unexpected_body:
        title = f"{status} is documented without a body, but one was sent"
    else:
        title = f"Error body {problem.what}"
    return Violation(
        REQ,
        title,
        problem.location,
        problem.expected,
        problem.actual,
        spec.source,
        basis=basis.plus(problem.basis.note, conventions=problem.basis.conventions),
    )


def _schema_violations(
    op: Operation, spec: ResponseSpec, body: Any, status: int, fallback: bool, basis: Basis
) -> Iterator[Violation]:
    """A code outside its status's enum on its own (see `_code_violation`); every other way the body
    breaks the schema in one finding: a body of another shape misses every field at once."""
    assert spec.schema is not None
    problems: list[SchemaProblem] = []
    code = _code(body)
    for p in schema_errors(body, spec.schema):
        if p.where == "$.code" and p.keyword == "enum" and code is not None:
            yield _code_violation(op, spec, code, status, p.source, basis=basis.plus(p.basis.note))
        elif all(q.where != p.where or q.words != p.words for q in problems):  # a rule may sit in two schemas
            problems.append(p)
    if problems:
        yield _schema_violation(problems, status, fallback, basis)


def _schema_violation(problems: list[SchemaProblem], status: int, fallback: bool, basis: Basis) -> Violation:
    which = (
        f"the `default` response (status {status} is not documented)"
        if fallback
        else f"the {status} response"
    )
    for p in problems:
        basis = basis.plus(p.basis.note, conventions=p.basis.conventions, inferences=p.basis.inferences)
    return Violation(
        REQ,
        f"Error body: {'; '.join(_summary(problems))}",
        f"response.body.{problems[0].where}" if len(problems) == 1 else "response.body",
        f"the schema of {which}",
        "; ".join(p.message for p in problems),
        problems[0].source,
        basis=basis,
    )


def _summary(problems: list[SchemaProblem]) -> list[str]:
    missing = [p.words.removeprefix("missing ") for p in problems if p.words.startswith("missing ")]
    others = [p.words for p in problems if not p.words.startswith("missing ")]
    return ([f"missing {', '.join(missing)}"] if missing else []) + others


def enum_of(spec: ResponseSpec | None) -> tuple[str, ...]:
    """The `code` enum a response documents at the top of its body (the gateway's convention)."""
    if spec is None or not spec.schema:
        return ()
    code = spec.schema.get("properties", {}).get("code", {})
    return tuple(c for c in code.get("enum", ()) if isinstance(c, str)) if isinstance(code, dict) else ()


def _code_violation(
    op: Operation, spec: ResponseSpec, code: str, status: int, source: Source, basis: Basis = NO_BASIS
) -> Violation:
    codes = enum_of(spec) or op.error_codes
    if code in op.error_codes:
        # the operation knows the code, this status does not list it (404 answering INVALID_REQUEST)
        return Violation(
            REQ,
            "Error code not documented for this status",
            "response.body.$.code",
            f"one of {', '.join(codes)} (the enum of {status} for {op.label})",
            f"{code!r} (status {status})",
            source,
            basis=basis,
        )
    return Violation(
        REQ,
        "Error code outside this operation's enum",
        "response.body.$.code",
        f"one of {', '.join(codes)} ({len(codes)} codes of {op.label})",
        f"{code!r} (status {status})",
        source,
        basis=basis,
    )


def _code_only(op: Operation, body: Any, status: int, why: str) -> Iterator[Violation]:
    """An answer the document does not describe: only a code outside the operation's enum is reported,
    as a warning (the document does not say this answer's codes come from it)."""
    code = _code(body)
    if code is None or not op.error_codes or code in op.error_codes:
        return
    severity: Severity = "warning"
    yield Violation(
        REQ,
        "Error code outside this operation's enum",
        "response.body.$.code",
        f"one of {', '.join(op.error_codes)} ({len(op.error_codes)} codes of {op.label})",
        f"{code!r} (status {status})",
        op.code_source(),
        severity,
        basis=Basis(note=why),
    )


def _code(body: Any) -> str | None:
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, str) else None


@check(name="fcvalidate.repeated-error-ids", kind="operation")
def unique_error_ids(ctx: CheckContext, exchanges: Sequence[Exchange]) -> Iterator[Violation]:
    """Run-level: the identifiers of one operation's error bodies, across all its answers."""
    yield from repeated_error_ids(ctx.operation, exchanges)


def repeated_error_ids(op: Operation, exchanges: Iterable[Exchange]) -> list[Violation]:
    """Across one operation's answers: an error body's own identifier, a `format: uuid` field the document
    calls unique (Fibre Cafe: "Unique identifier of this error"), is never shared by two errors. Fuzzed
    cases are left out: they keep the request identifiers Hypothesis drew, and a supplier may rightly
    answer a repeated request identifier with its first answer."""
    first: dict[tuple[str, str], str] = {}  # (field, value) -> the case that answered it first
    out = []
    for exchange in exchanges:
        spec, case = _error_spec(op, exchange), exchange.case
        if spec is None or case.kind == "fuzz":
            continue
        for name, prop, value in _unique_ids(spec, exchange):
            seen = first.setdefault((name, value), case.id)
            if seen != case.id:
                out.append(
                    Violation(
                        REQ,
                        f"Error `{name}` repeated across errors",
                        f"response.body.$.{name}",
                        f"a {name} of its own for each error (the document: {prop.get('description')!r})",
                        f"{value!r}, also the answer to {seen}",
                        source_of(prop) if source_of(prop).at else spec.source,
                        case_id=case.id,
                        basis=UNIQUE_BASIS,
                        judged_with=(seen,),
                    )
                )
    return out


def _error_spec(op: Operation, exchange: Exchange) -> ResponseSpec | None:
    """The documented response an error answer follows, if it documents a schema."""
    response = exchange.response
    if response is None or response.status < 400:
        return None
    spec = op.responses.get(response.status) or op.default_response
    return spec if spec is not None and spec.schema else None


def _unique_ids(spec: ResponseSpec, exchange: Exchange) -> Iterator[tuple[str, dict[str, Any], str]]:
    """The error's own identifiers in its body: each field the schema calls a unique UUID."""
    assert exchange.response is not None and spec.schema is not None
    body = parse_json(exchange.response)
    if not isinstance(body, dict):
        return
    for name, prop in (spec.schema.get("properties") or {}).items():
        value = body.get(name)
        if isinstance(prop, dict) and _unique_id(prop) and isinstance(value, str):
            yield name, prop, value


UNIQUE_BASIS = Basis(conventions=("fibre-cafe.unique-identifier",))


def _unique_id(prop: dict[str, Any]) -> bool:
    return prop.get("format") == "uuid" and "unique" in str(prop.get("description", "")).lower()
