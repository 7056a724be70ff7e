"""Paging probes: valid requests with limit 1 and 2 where the document states a limit, and the request for
the next page an answer's marker points to (followed at most `MAX_PAGES` pages by the runner).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fcvalidate.contract.operation import Operation
from fcvalidate.contract.paging import Paging, answer_body, paging_of
from fcvalidate.engine.probes.derive import case, like
from fcvalidate.engine.probes.registry import ProbeInput, ProbeKind, register
from fcvalidate.engine.probes.valid import success
from fcvalidate.exchange import Case, Exchange, Expect
from fcvalidate.requirements import RequirementId as R

LIMITS = (1, 2)  # the smallest pages: any list longer than 1 item shows whether its limit is honoured
MAX_PAGES = 10  # pages followed from one answer: a run never walks a whole collection
PAGE_NUMBERS = ("page", "page_number", "pageNumber", "pageNo")  # a boolean marker needs one to go on
OFFSETS = ("offset", "skip", "start")
CURSORS = ("cursor", "page_token", "pageToken", "after", "continuation", "continuationToken", "token")


def limit_cases(op: Operation, ref: Case) -> list[Case]:
    """The valid request with the documented limit set to 1, then 2 (other parameters as sent)."""
    paging = paging_of(op)
    if paging is None or op.method not in ("GET", "POST"):
        return []
    kept = tuple(pair for pair in ref.query if pair[0] != paging.parameter)
    return [
        case(
            op,
            R.VALID_REQUESTS,
            "paging",
            n,
            f"a valid request asking for at most {limit} item(s) ({paging.parameter}={limit})",
            expect=Expect("success"),
            source=paging.source,
            parent=ref.id,
            headers=ref.headers,
            body=ref.body,
            **like(ref, query=(*kept, (paging.parameter, str(limit)))),
        )
        for n, limit in enumerate(LIMITS)
    ]


def next_page(op: Operation, exchange: Exchange, n: int) -> Case | None:
    """The request for the page after `exchange`'s answer, where its marker says another page follows."""
    paging, response, sent = paging_of(op), exchange.response, exchange.case
    if paging is None or paging.marker is None or response is None or not response.ok:
        return None
    body = answer_body(response)
    if not isinstance(body, Mapping) or not paging.marker.says_more(body):
        return None
    query = _next_query(op, paging, sent.query, body.get(paging.marker.name))
    if query is None:
        return None
    path = sent.path
    if isinstance(query, tuple) and query and query[0] == "url":
        path, query = query[1], query[2]
    return case(
        op,
        R.VALID_REQUESTS,
        "next-page",
        n,
        f"the next page, as `{paging.marker.name}` of the answer to {sent.id} says one follows",
        expect=Expect("success"),
        source=paging.marker.source,
        parent=sent.id,
        headers=sent.headers,
        body=sent.body,
        **like(sent, path=path, query=query),
    )


def _next_query(op: Operation, paging: Paging, query: tuple[tuple[str, str], ...], value: Any) -> Any:
    """The query of the next page (or `("url", path, query)` for a link), from the marker's `value`."""
    names = {p.name for p in op.in_("query")}
    kept = tuple(pair for pair in query if pair[0] != paging.parameter)
    limit = dict(query).get(paging.parameter)
    if isinstance(value, str) and value.startswith(("http://", "https://", "/")):
        link = urlsplit(value)  # a link: its path and query, sent to the run's base URL
        return ("url", link.path or "/", tuple(parse_qsl(link.query)))
    if isinstance(value, bool):
        return _numbered(paging, names, query, kept, limit)
    if isinstance(value, str | int):
        return _cursored(paging, names, kept, limit, value)
    return None


Pairs = tuple[tuple[str, str], ...]


def _numbered(paging: Paging, names: set[str], query: Pairs, kept: Pairs, limit: str | None) -> Pairs | None:
    """A boolean marker (`hasMore`): the page number, else the offset, moved on by one page."""
    number = next((n for n in PAGE_NUMBERS if n in names), None)
    if number is not None:
        current = int(dict(query).get(number, "1") or "1")
        return (
            *(p for p in kept if p[0] != number),
            (paging.parameter, limit or "1"),
            (number, str(current + 1)),
        )
    offset = next((n for n in OFFSETS if n in names), None)
    if offset is None or limit is None:
        return None
    at = int(dict(query).get(offset, "0") or "0") + int(limit)
    return (*(p for p in kept if p[0] != offset), (paging.parameter, limit), (offset, str(at)))


def _cursored(
    paging: Paging, names: set[str], kept: Pairs, limit: str | None, value: str | int
) -> Pairs | None:
    """A cursor marker: its value in the parameter its name points to (nextCursor → cursor,
    next_page_token → page_token), else in a parameter named like a cursor."""
    stripped = paging.marker.name if paging.marker else ""
    for prefix in ("next_", "next"):
        if stripped.lower().startswith(prefix):
            stripped = stripped[len(prefix) :]
            break
    cursor = next((n for n in names if n.lower() == stripped.lower() and stripped), None)
    cursor = cursor or next((n for n in CURSORS if n in names), None)
    if cursor is None:
        return None
    extra = ((paging.parameter, limit),) if limit is not None else ()
    return (*(p for p in kept if p[0] != cursor), *extra, (cursor, str(value)))


def _build(given: ProbeInput) -> list[Case]:
    return limit_cases(given.op, given.ref)


# a page is a valid request's answer, judged as one; a next page is built by the runner from an answer
PAGING = register(ProbeKind("paging", {"paging": success, "next-page": success}, _build, order=50))
