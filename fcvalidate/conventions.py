"""Conventions: the rules fcvalidate applies that the documents do not state in words, as data.

A finding that rests on one names it in its `basis`. The policy, applied once in `checks.run_checks`: a
finding may fail a run only when every convention it rests on is accepted; otherwise it is a warning.
Every shipped convention but those marked `default=False` is accepted unless a conventions file says
otherwise (`--conventions FILE`, which names every convention it accepts)::

    accept: [http]            # groups (http, json-schema, fibre-cafe) or single conventions by id
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fcvalidate.errors import UsageError


@dataclass(frozen=True, slots=True)
class Convention:
    id: str
    group: str  # "http": HTTP's own rules (RFCs); "json-schema": its keywords read strictly;
    # "fibre-cafe": deductions from the gateway's documents
    statement: str  # what a finding quotes as its basis
    marker: str = ""  # the text that shows a basis rests on it, when not the statement itself
    default: bool = True  # accepted when no conventions are named (False: a finding on it warns until named)

    def cited_by(self, basis: str) -> bool:
        return (self.marker or self.statement) in basis


CONVENTIONS: tuple[Convention, ...] = (
    Convention(
        "http.401-without-credentials",
        "http",
        "RFC 9110 §15.5.2 and RFC 6750 §3.1 (HTTP/OAuth convention, not stated by the document): a request "
        "to a protected operation without credentials is answered 401 Unauthorized",
    ),
    Convention(
        "http.401-invalid-credentials",
        "http",
        "RFC 6750 §3.1 invalid_token (HTTP/OAuth convention, not stated by the document): a request with an "
        "invalid token is answered 401; 403 is accepted where the document lists it",
    ),
    Convention(
        "http.400-malformed-body",
        "http",
        "RFC 9110 §15.5.1 (HTTP convention, not stated by the document): a body that is not the declared "
        "JSON (or JSON that is not the documented object) is answered 400 Bad Request; where the document "
        "does not list 400, a 400 is only a warning",
    ),
    Convention(
        "http.405-other-methods",
        "http",
        "RFC 9110 §15.5.6 (a SHOULD, hence a warning): a method the resource does not support is answered "
        "405 Method Not Allowed, and a 405 MUST carry an Allow header",
    ),
    Convention(
        "http.404-unknown-resource",
        "http",
        "RFC 9110 §15.5.5 (HTTP convention): a resource that does not exist is answered 404 Not Found "
        "(410 Gone where documented), or the 4xx the document lists for an unknown id (e.g. 422 NOT_FOUND)",
    ),
    Convention(
        "http.no-content",
        "http",
        "RFC 9110 §9.3.2, §15.3.5, §15.4.5: a HEAD answer, a 204 and a 304 have no content",
        marker="RFC 9110 §9.3.2, §15.3.5, §15.4.5",
    ),
    Convention(
        "http.header-names-case-insensitive",
        "http",
        "RFC 9110 §5.1: field names are case-insensitive, so a credential header sent in lower case "
        "(`authorization`, as HTTP/2 and HTTP/3 send every name) is the documented header and is accepted",
        marker="RFC 9110 §5.1: field names are case-insensitive",
    ),
    Convention(
        # Why a convention, and not accepted by default: JSON Schema `enum` is exact, but reading a member
        # whatever its letter case or with spaces trimmed is a common deliberate leniency (a framework's
        # enum converter, `valueOf(v.trim().toUpperCase())`) that breaks no client: three of the
        # independent suppliers written from the documents alone do it. A prefix, a suffix or the empty
        # string accepted is a defect without it (the document's enum itself is the basis).
        "json-schema.enum-not-normalised",
        "json-schema",
        "JSON Schema 2020-12 §6.1.2 (`enum` is exact: a value must equal one of the members), so a member "
        "in another letter case or padded with spaces is outside the enum and is refused like any other "
        "value outside it (enum-not-normalised; a convention, as many implementations normalise on purpose)",
        marker="(enum-not-normalised",
        default=False,
    ),
    Convention(
        "fibre-cafe.format-from-example",
        "fibre-cafe",
        "a string field named like `uuid` whose documented examples are UUIDs is a UUID (the compiler records "
        "it as x-fc-inferred format-from-example)",
        marker="(format-from-example)",
    ),
)
CONVENTION: dict[str, Convention] = {c.id: c for c in CONVENTIONS}
DEFAULTS = frozenset(c.id for c in CONVENTIONS if c.default)  # accepted when none are named
GROUPS = frozenset(c.group for c in CONVENTIONS)


def accepted(names: Iterable[str] | None) -> frozenset[str]:
    """The ids of the accepted conventions: every one when `names` is None, else the named groups and ids."""
    if names is None:
        return DEFAULTS
    out: set[str] = set()
    for name in names:
        matched = {c.id for c in CONVENTIONS if name in (c.id, c.group)}
        if not matched:
            known = ", ".join([*sorted(GROUPS), *CONVENTION])
            raise UsageError(f"unknown convention {name!r} (known: {known})", "conventions")
        out |= matched
    return frozenset(out)


def unaccepted(basis: str, accepted_ids: frozenset[str]) -> list[Convention]:
    """The conventions a finding's basis rests on that the user has not accepted."""
    return [c for c in CONVENTIONS if c.id not in accepted_ids and c.cited_by(basis)]
