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
from fcvalidate.exchange import Exchange, Source, source_of
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
    problems: list[tuple[str, str, Source, str]] = []  # (JSON path, message, clause, problem)
    for where, message, source, words in schema_errors(body, spec.schema):
        if where == "$.code" and isinstance(body, dict) and isinstance(body.get("code"), str):
            yield _code_violation(ctx, body["code"], str(response.status))
            continue
        if all(p[0] != where or p[3] != words for p in problems):  # the same rule may sit in several schemas
            problems.append((where, message, source, words))
    value = body.get("uuid") if isinstance(body, dict) else None
    if isinstance(value, str) and not _is_uuid(value):
        props = spec.schema.get("properties", {})
        uuid_source = source_of(props.get("uuid"))
        problems.append(("$.uuid", f"{value!r} is not a UUID", uuid_source, "uuid is not a UUID"))
    if problems:
        # One body, one finding, its problems listed: a body of another shape misses every field at once.
        missing = [p.removeprefix("missing ") for *_, p in problems if p.startswith("missing ")]
        summary = ([f"missing {', '.join(missing)}"] if missing else []) + [
            p for *_, p in problems if not p.startswith("missing ")
        ]
        yield Violation(
            REQ,
            f"Error body: {'; '.join(summary)}",
            f"response.body.{problems[0][0]}" if len(problems) == 1 else "response.body",
            "the documented error schema: a UUID `uuid`, a `code` from the enum, `messages` strings",
            "; ".join(message for _, message, _, _ in problems),
            problems[0][2],
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
