"""Paging as the document states it: a page never holds more items than the limit the request asked for,
and the documented last-page marker is not set on the last page (a page the marker leads to holds items).
"""

from __future__ import annotations

from collections.abc import Iterator

from fcvalidate.checks.registry import Basis, CheckContext, Violation, check
from fcvalidate.contract.paging import answer_body, paging_of
from fcvalidate.exchange import Exchange
from fcvalidate.jsonpath import json_path
from fcvalidate.requirements import RequirementId as R


@check(name="fcvalidate.paging")
def paging(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    response, case = exchange.response, exchange.case
    rule = paging_of(ctx.operation)
    if rule is None or response is None or not response.ok:
        return
    body = answer_body(response)
    page = rule.page(body)
    if page is None:
        return
    where = f"response.body.{json_path((rule.items,) if rule.items else ())}"
    asked = [v for k, v in case.query if k == rule.parameter]
    limit = int(asked[0]) if len(asked) == 1 and asked[0].isdigit() else None
    if limit is not None and limit >= 1 and len(page) > limit:
        yield Violation(
            R.VALID_REQUESTS,
            f"A page holds more items than the {rule.parameter} asked for",
            where,
            f"at most {limit} item(s) ({rule.parameter}={limit})",
            f"{len(page)} items",
            rule.source,
            basis=Basis(note=f"the document says: {rule.sentence!r}"),
        )
    marker = rule.marker
    if marker is None or page:
        return
    said = Basis(note=f"the document says of `{marker.name}`: {marker.sentence!r}")
    if case.kind == "next-page":
        yield Violation(
            R.VALID_REQUESTS,
            f"`{marker.name}` said another page follows, but that page holds no items",
            where,
            f"`{marker.name}` marking the previous page as the last",
            f"the next page ({case.id}) is empty",
            marker.source,
            basis=said,
            judged_with=(case.parent,) if case.parent else (),
        )
    if marker.says_more(body):
        yield Violation(
            R.VALID_REQUESTS,
            f"An empty page says another page follows (`{marker.name}`)",
            f"response.body.$.{marker.name}",
            "the last-page value the document gives",
            f"{marker.name} = {body.get(marker.name)!r} on a page with no items",
            marker.source,
            basis=said,
        )
