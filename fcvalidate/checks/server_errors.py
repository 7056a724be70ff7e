"""No server errors: no generated input, valid or invalid, gets a 5xx answer."""

from __future__ import annotations

from collections.abc import Iterator

from fcvalidate.checks import CheckContext, Violation, check
from fcvalidate.checks.outcome import answer
from fcvalidate.engine.transport import Exchange

REQ = "no-server-errors"


@check
def no_server_error(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    response = exchange.response
    if response is not None and response.status >= 500:
        yield Violation(
            REQ,
            f"Server error: {exchange.case.title}",
            "response.status",
            "anything but 5xx",
            answer(response),
            exchange.case.source,
        )
