"""A 401 to a request for an operation secured by HTTP Basic carries a challenge naming Basic
(`WWW-Authenticate: Basic realm="…"`), so that a client knows how to authenticate: a warning."""

from __future__ import annotations

from collections.abc import Iterator

from fcvalidate.checks.registry import Basis, CheckContext, Violation, check
from fcvalidate.exchange import Exchange
from fcvalidate.requirements import RequirementId as R

BASIS = Basis(conventions=("http.401-basic-challenge",))


@check(name="fcvalidate.basic-challenge")
def basic_challenge(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    case, response = exchange.case, exchange.response
    if response is None or response.status != 401 or case.credential.kind != "basic":
        return
    challenges = response.header("www-authenticate") or ""
    # RFC 9110 §11.1: the auth-scheme is a case-insensitive token at the start of a challenge
    if not any(c.strip().lower().startswith("basic") for c in challenges.split(",")):
        yield Violation(
            R.AUTHORISATION,
            "401 without a Basic challenge",
            "response.header.WWW-Authenticate",
            'a challenge naming Basic, e.g. WWW-Authenticate: Basic realm="api"',
            challenges or "no WWW-Authenticate header",
            case.source,
            "warning",
            basis=BASIS,
        )
