"""Error bodies: JSON with a UUID `uuid`, a `code` from this operation's own enum, `messages` strings.

The enum oracle is per operation and per status, never merged across operations: a code that belongs
only to another operation's enum is reported as such. Statuses documented without a body send none.
An undocumented error status is judged only on its `code`, when it has one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from fcvalidate.checks.bodies import describe_body, documented_json, parse_json, schema_errors
from fcvalidate.checks.registry import CheckContext, Violation, check
from fcvalidate.exchange import Exchange, source_of
from fcvalidate.requirements import RequirementId as R

REQ = R.ERROR_BODY


@check
def error_body(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    response, op = exchange.response, ctx.operation
    if response is None or response.status < 400:
        return
    spec = op.responses.get(response.status)
    if spec is None:
        body = parse_json(response)
        code = body.get("code") if isinstance(body, dict) else None
        if isinstance(code, str) and op.error_codes and code not in op.error_codes:
            yield _code_violation(ctx, code, f"undocumented status {response.status}")
        return
    if spec.media_type is None:
        if response.body.strip():
            yield Violation(
                REQ,
                f"{response.status} is documented without a body, but one was sent",
                "response.body",
                "no body",
                describe_body(response),
                spec.source,
            )
        return
    body, problem = documented_json(response, spec.media_type)
    if problem is not None:
        what, location, expected, actual = problem
        yield Violation(REQ, f"Error body {what}", location, expected, actual, spec.source)
        return
    assert spec.schema is not None
    for where, message, source in schema_errors(body, spec.schema):
        if where == "$.code" and isinstance(body, dict) and isinstance(body.get("code"), str):
            yield _code_violation(ctx, body["code"], str(response.status))
            continue
        yield Violation(
            REQ,
            f"Error body: {message}",
            f"response.body.{where}",
            "the documented error schema",
            message,
            source,
        )
    value = body.get("uuid") if isinstance(body, dict) else None
    if isinstance(value, str) and not _is_uuid(value):
        props = spec.schema.get("properties", {})
        yield Violation(
            REQ,
            "Error body: uuid is not a UUID",
            "response.body.$.uuid",
            "a UUID, e.g. 87432dfb-2e47-4532-a1b7-4b113d48867d",
            repr(value),
            source_of(props.get("uuid")),
        )


def _code_violation(ctx: CheckContext, code: str, where: str) -> Violation:
    op = ctx.operation
    return Violation(
        REQ,
        "Error code outside this operation's enum",
        "response.body.$.code",
        f"one of {', '.join(op.error_codes)} ({len(op.error_codes)} codes of {op.label})",
        f"{code!r} (status {where})",
        op.code_source(),
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
