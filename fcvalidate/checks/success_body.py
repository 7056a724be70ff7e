"""Success bodies: a documented 2xx to a valid request carries the documented media type and schema."""

from __future__ import annotations

from collections.abc import Iterator

from fcvalidate.checks.bodies import documented_json, schema_errors
from fcvalidate.checks.registry import CheckContext, Violation, check
from fcvalidate.exchange import Exchange
from fcvalidate.requirements import RequirementId as R

REQ = R.VALID_REQUESTS
VALID_INPUT_KINDS = frozenset({"valid", "edge", "header-case"})


@check
def success_body(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    response = exchange.response
    if response is None or exchange.case.kind not in VALID_INPUT_KINDS:
        return
    spec = ctx.operation.responses.get(response.status)
    if spec is None or not response.ok or spec.media_type is None or spec.schema is None:
        return
    body, problem = documented_json(response, spec.media_type)
    if problem is not None:
        what, location, expected, actual = problem
        yield Violation(
            REQ, f"Success body {what} ({response.status})", location, expected, actual, spec.source
        )
        return
    for where, message, source, words in schema_errors(body, spec.schema):
        yield Violation(
            REQ,
            f"Success body ({response.status}): {words}",
            f"response.body.{where}",
            f"the documented {response.status} schema",
            message,
            source,
        )
