"""Valid requests: the documents' own example first, then generated ones, each judged on a documented 2xx
(a refusal where other valid requests succeed, or known values are missing, is a warning that says so).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from fcvalidate.checks.outcome import Answered, answer, known_values_hint, redirected
from fcvalidate.checks.registry import Violation
from fcvalidate.contract.operation import GAP_REQUEST_BODY, GAP_SUCCESS_RESPONSE, Operation, Parameter
from fcvalidate.engine.data import OperationValues, apply_fields
from fcvalidate.engine.generate import Draw, DrawSource, example_body
from fcvalidate.engine.probes.derive import case as _case
from fcvalidate.engine.probes.parts import (
    RequestParts,
    body_fields,
    credential_headers,
    default_headers,
    request_parts,
    with_fresh_identifiers,
)
from fcvalidate.engine.probes.registry import ProbeKind, register
from fcvalidate.exchange import Case, Expect, dump_json
from fcvalidate.requirements import RequirementId as R


def _drawn_query(op: Operation, parts: RequestParts, values: OperationValues, draw: Draw) -> dict[str, Any]:
    """A generated request's query: the valid request's parameters, plus the optional ones the draw
    chose, with plain values (an enum value, a boolean, the example or default) so that a refusal
    says something about the implementation, not about a Hypothesis corner case."""
    query = dict(parts.query)
    for p in op.in_("query"):
        if p.name in query or p.name in values.parameters or p.name not in draw.query:
            continue
        value = _plain(p, draw.query[p.name])
        if value is not None:
            query[p.name] = value
    return query


def _plain(p: Parameter, drawn: Any) -> Any:
    schema = p.schema
    if p.media_type is not None:
        return p.example
    items = schema.get("items") if schema.get("type") == "array" else None
    if isinstance(items, Mapping):
        if items.get("enum") and isinstance(drawn, list):
            return list(dict.fromkeys(v for v in drawn if v in items["enum"]))
        return None
    if schema.get("enum"):
        return drawn if drawn in schema["enum"] else None
    if schema.get("type") == "boolean" and isinstance(drawn, bool | str):
        return drawn
    if p.example is not None:
        return p.example
    return schema.get("default")


def valid_cases(
    op: Operation,
    strategies: DrawSource,
    values: OperationValues,
    count: int,
    seed: int,
    parts: RequestParts | None = None,
) -> list[Case]:
    """The documents' own example (every field, known values applied) first, then generated requests.
    Every valid request names the same resource (`parts`), so that its answers can be compared."""
    parts = parts or request_parts(op, values)
    headers = default_headers(op, values)
    body_kw = body_fields(op)
    common: dict[str, Any] = {
        "expect": Expect("success"),
        "source": op.request_source if op.request_source.at else op.source,
        "path": parts.path(op),
        "cookies": tuple(parts.cookies.items()),
        "credential": parts.credential,
        "auth": parts.auth,
        "content_type": body_kw["content_type"],
    }
    first_body = (
        body_kw["body"]
        if "body" in body_kw
        else dump_json(apply_fields(example_body(op.request_schema), values.fields))
    )
    cases = [
        _case(
            op,
            R.VALID_REQUESTS,
            "valid",
            0,
            "the documented example, every field present",
            headers=tuple(headers.items()),
            body=first_body,
            query=parts.query_pairs(op),
            **common,
        )
    ]
    if op.method == "DELETE":
        # The first valid DELETE removes the resource: another would rightly be refused, not a finding.
        return with_fresh_identifiers(op, values, cases, seed)
    drawn = strategies.draw(op, "positive", max(count - 1, 0), seed)
    cases += [_generated(op, values, parts, draw, n, common) for n, draw in enumerate(drawn, start=1)]
    return with_fresh_identifiers(op, values, cases, seed)


def _generated(
    op: Operation, values: OperationValues, parts: RequestParts, draw: Draw, n: int, common: dict[str, Any]
) -> Case:
    """A generated valid request: the draw's headers but the credential's (known values win), its body
    with the known fields applied, and plain values for the optional query parameters it chose."""
    secret = credential_headers(op)
    drawn = {k: v for k, v in draw.headers.items() if k.lower() not in secret}
    body_kw = body_fields(op)
    if "body" in body_kw:
        body = body_kw["body"]
    else:
        fields_body = apply_fields(draw.body, values.fields) if draw.body is not None else None
        body = dump_json(fields_body) if fields_body is not None else None
    return _case(
        op,
        R.VALID_REQUESTS,
        "valid",
        n,
        "a generated valid request",
        headers=tuple({**drawn, **values.headers}.items()),
        body=body,
        query=parts.query_pairs(op, _drawn_query(op, parts, values, draw)),
        **common,
    )


def success(a: Answered) -> Iterator[Violation]:
    """A valid request: a documented 2xx (its body is success-body's to judge)."""
    op, status = a.op, a.status
    if a.ctx.not_served:
        yield a.violation(
            "Not served at this base URL",
            f"a documented 2xx ({list(op.success_statuses) or 'any'})",
            f"every valid request was answered {a.ctx.not_served}",
            basis="RFC 9110 §15.5.5, §15.5.6, §15.6.2: 404, 405 and 501 say the server has no such resource "
            "or method here; the document lists none of them for this operation",
            hint=f"is {op.method} {op.path} served under another path prefix, or not implemented yet?",
        )
    elif a.response.ok and status not in op.success_statuses:
        if GAP_SUCCESS_RESPONSE in op.gaps:
            yield a.violation(
                f"Documentation gap: success answered {status}, no success response is documented",
                "a documented 2xx (the document lists none)",
                str(status),
                severity="warning",
            )
        else:
            yield a.violation(
                "Undocumented success status", f"one of {list(op.success_statuses)}", str(status)
            )
    elif 300 <= status < 400:
        if status not in op.responses:  # a documented 304 answers a conditional request as documented
            yield redirected(a, "a documented 2xx")
    elif not a.response.ok:
        yield _refused(a)


def _refused(a: Answered) -> Violation:
    op, case, got = a.op, a.case, answer(a.response)
    if a.status == 412 and any(k.lower().startswith("if-") for k, _ in case.headers):
        # the tag or date a conditional request carries is not the resource's current one: a guess (the
        # document's example) or overtaken by an earlier request of the run
        return a.violation(
            f"Inconclusive: precondition failed: {case.title}",
            "a documented 2xx",
            got,
            severity="warning",
            hint="give the resource's current tag as a known value (--data)",
            basis="RFC 9110 §15.5.13: 412 says a condition the request carries (If-Match, "
            "If-Unmodified-Since…) is false for the resource's current state",
        )
    if case.method.upper() == "DELETE" and a.status in (404, 410) and a.ctx.resource_given:
        # the data file's resource may have been deleted by an earlier run (a DELETE is sent once a run)
        return a.violation(
            f"Inconclusive: the resource to delete was not found: {case.title}",
            "a documented 2xx",
            got,
            severity="warning",
            hint=f"give {op.label} an id that exists in the data file (an earlier run may have deleted it)",
            basis="RFC 9110 §9.3.5: a DELETE of a resource already deleted may rightly be answered 404 or 410",
        )
    if GAP_REQUEST_BODY in op.gaps:
        # no request is known valid: the body sent is a guess, and refusing it is the implementation's right
        return a.violation(
            "Documentation gap: valid requests are refused, and the document lists no request fields",
            "a documented 2xx (the body sent is a guess: the document lists no request fields)",
            got,
            severity="warning",
            hint="list the request fields in the operation's document",
        )
    return _refused_unexplained(a, got)


def _refused_unexplained(a: Answered, got: str) -> Violation:
    if a.ctx.baseline_ok:
        return a.violation(
            "Some valid requests were refused",
            "a documented 2xx (other valid requests succeeded: a business rule may apply)",
            got,
            severity="warning",
            hint=known_values_hint(a.ctx),
        )
    if a.ctx.missing_known:
        return a.violation(
            "Inconclusive: valid requests are refused",
            "a documented 2xx",
            got,
            severity="warning",
            hint=known_values_hint(a.ctx),
        )
    return a.violation(
        "Valid requests are refused", f"a documented 2xx ({list(a.op.success_statuses) or 'any'})", got
    )


# the valid requests are sent first, by the runner (`valid_cases`): every probe derives from their answer
VALID = register(ProbeKind("valid", {"valid": success}, order=0))
