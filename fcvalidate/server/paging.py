"""Paging on the reference implementation, as the document states it: every collection is one page (its
sampled items, never more than the limit asked for), so a request for a further page gets no items, and
the documented last-page marker says so on every page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from fcvalidate.contract.paging import paging_of
from fcvalidate.engine.probes.paging import CURSORS, OFFSETS, PAGE_NUMBERS


def further(op: Any, query: Mapping[str, str]) -> bool:
    """The request asks for a page after the first: a cursor, a page number above 1, an offset above 0."""
    for name in query:
        value = query[name]
        if name in PAGE_NUMBERS and value.isdigit() and int(value) > 1:
            return True
        if name in OFFSETS and value.isdigit() and int(value) > 0:
            return True
        if name in CURSORS or (op is not None and _cursor_of(op) == name):
            return True
    return False


def _cursor_of(op: Any) -> str | None:
    paging = paging_of(op)
    marker = paging.marker.name if paging is not None and paging.marker is not None else ""
    for prefix in ("next_", "next"):
        if marker.lower().startswith(prefix):
            marker = marker[len(prefix) :]
            break
    return next((p.name for p in op.in_("query") if marker and p.name.lower() == marker.lower()), None)


def one_page(op: Any, query: Mapping[str, str], body: Any) -> Any:
    """`body` as the one page of its collection: within the limit, empty past the first page, marked last."""
    paging = paging_of(op) if op is not None else None
    if paging is None or not isinstance(body, dict | list):
        return body
    page = paging.page(body)
    if page is not None:
        limit = query.get(paging.parameter, "")
        keep = 0 if further(op, query) else int(limit) if limit.isdigit() else len(page)
        page = page[:keep]
        body = {**body, paging.items: page} if isinstance(body, dict) and paging.items else page
    marker = paging.marker
    if marker is not None and isinstance(body, dict):
        if marker.boolean:
            body = {**body, marker.name: False}
        elif marker.name in body:  # a documented field stays, with the last-page value (null)
            body = {**body, marker.name: None}
    return body


# -- faults (server/faults.py): how real paging code goes wrong ------------------------------------
def limit_ignored(at: Any, s: Any) -> Any:
    """The whole collection whatever the limit: each item of the page three times over."""
    paging = paging_of(at.op) if at.op is not None else None
    page = paging.page(s.body) if paging is not None else None
    if not page or paging is None:
        return s
    body = page * 3 if not paging.items else {**s.body, paging.items: page * 3}
    return replace(s, body=body)


def next_on_last_page(at: Any, s: Any) -> Any:
    """The marker says another page follows on every page, the last one included."""
    paging = paging_of(at.op) if at.op is not None else None
    if paging is None or paging.marker is None or not isinstance(s.body, dict):
        return s
    more = True if paging.marker.boolean else "page-2"
    return replace(s, body={**s.body, paging.marker.name: more})


def negative_limit(at: Any) -> bool:
    """A negative limit (the paging code slices from the end, then divides by zero)."""
    paging = paging_of(at.op) if at.op is not None else None
    value = at.request.query_params.get(paging.parameter, "") if paging is not None else ""
    return value.startswith("-") and value[1:].replace(".", "", 1).isdigit()
