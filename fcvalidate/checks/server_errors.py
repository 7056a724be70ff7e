"""No server errors: no generated input, valid or invalid, gets a 5xx answer."""

from __future__ import annotations

from collections.abc import Iterator

from fcvalidate.checks.outcome import answer, kind_of
from fcvalidate.checks.registry import CheckContext, Violation, check
from fcvalidate.exchange import Exchange
from fcvalidate.requirements import RequirementId as R

REQ = R.NO_SERVER_ERRORS


@check(name="fcvalidate.no-server-error")
def no_server_error(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    response = exchange.response
    if response is not None and response.status >= 500:
        yield Violation(
            REQ,
            f"Server error: {kind_of(exchange.case)}",
            "response.status",
            "anything but 5xx",
            answer(response),
            exchange.case.source,
        )
