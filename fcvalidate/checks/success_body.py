"""Success bodies: a documented 2xx to a valid request carries what that status documents: no body when
it is documented without fields (a 204, a HEAD answer), the documented media type, and for JSON
(`application/json`, `application/*+json`) a body matching that status's schema, nullable and `any`
fields as OpenAPI 3.1 writes them. A non-JSON media type (image/png) is checked by its Content-Type.
"""

from __future__ import annotations

from collections.abc import Iterator

from fcvalidate.checks.bodies import documented_body, schema_errors
from fcvalidate.checks.registry import CheckContext, Violation, check
from fcvalidate.exchange import NOT_JSON, Exchange
from fcvalidate.requirements import RequirementId as R

REQ = R.VALID_REQUESTS
# (the optional parameters sent, and the credential header in lower case, are valid requests too)
VALID_INPUT_KINDS = frozenset(
    {"valid", "edge", "header-case", "optional-parameters", "credential-case", "paging", "next-page"}
)


@check(name="fcvalidate.success-body")
def success_body(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    response, case = exchange.response, exchange.case
    if response is None or not response.ok or case.kind not in VALID_INPUT_KINDS:
        return
    spec = ctx.operation.responses.get(response.status)
    if spec is None:  # an undocumented 2xx is the outcome check's finding
        return
    body, problem = documented_body(response, spec, case.method)
    if problem is not None:
        title = (
            f"{response.status} is documented without a body, but one was sent"
            if problem.unexpected_body
            else f"Success body {problem.what} ({response.status})"
        )
        yield Violation(
            REQ, title, problem.location, problem.expected, problem.actual, spec.source, basis=problem.basis
        )
        return
    if body is NOT_JSON or spec.schema is None:
        return
    for p in schema_errors(body, spec.schema):
        yield Violation(
            REQ,
            f"Success body ({response.status}): {p.words}",
            f"response.body.{p.where}",
            f"the documented {response.status} schema",
            p.message,
            p.source,
            basis=p.basis,
        )
