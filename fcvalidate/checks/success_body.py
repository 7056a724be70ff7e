"""Success bodies: a documented 2xx to a valid request carries the documented media type and schema."""

from __future__ import annotations

from collections.abc import Iterator

from fcvalidate.checks import CheckContext, Violation, check
from fcvalidate.checks.bodies import describe_body, parse_json, schema_errors
from fcvalidate.engine.cases import NOT_JSON
from fcvalidate.engine.transport import Exchange

REQ = "valid-requests"
VALID_INPUT_KINDS = frozenset({"valid", "edge", "header-case"})


@check
def success_body(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    response = exchange.response
    if response is None or exchange.case.kind not in VALID_INPUT_KINDS:
        return
    spec = ctx.operation.responses.get(response.status)
    if spec is None or not 200 <= response.status < 300 or spec.media_type is None or spec.schema is None:
        return
    if response.media_type != spec.media_type:
        yield Violation(
            REQ,
            f"Success body has the wrong content type ({response.status})",
            "response.header.Content-Type",
            spec.media_type,
            response.media_type or "no Content-Type",
            spec.source,
        )
        return
    body = parse_json(response)
    if body is NOT_JSON:
        yield Violation(
            REQ,
            "Success body is not JSON",
            "response.body",
            "a JSON object",
            describe_body(response),
            spec.source,
        )
        return
    for where, message, source in schema_errors(body, spec.schema):
        yield Violation(
            REQ,
            f"Success body ({response.status}): {message}",
            f"response.body.{where}",
            f"the documented {response.status} schema",
            message,
            source,
        )
