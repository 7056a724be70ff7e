"""Conventions: the rules fcvalidate applies that the documents do not state in words, as data.

A finding that rests on one names its id in its `Basis` (data, never matched in text). The policy, applied
once (`checks.registry.by_policy`): a finding may fail a run only when every convention it rests on is
accepted, and it rests on no compiler guess (`GUESSES`: an inference or gap no convention backs);
otherwise it is a warning that says why.
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
    default: bool = True  # accepted when no conventions are named (False: a finding on it warns until named)


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
        "http.401-invalid-basic-credentials",
        "http",
        "RFC 7617 §2 and RFC 9110 §15.5.2 (HTTP convention, not stated by the document): HTTP Basic "
        "credentials with a wrong password are answered 401, and so are ones that are not base64 of "
        "user-id:password, which may also be refused 400 as malformed syntax (RFC 9110 §15.5.1); 403 is "
        "accepted where the document lists it",
    ),
    Convention(
        "http.401-basic-challenge",
        "http",
        "RFC 9110 §11.6.1 and §15.5.2, RFC 7617 §2 (a warning: the document does not say it): a 401 for an "
        "operation secured by HTTP Basic carries WWW-Authenticate with a Basic challenge (Basic realm=…)",
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
    ),
    Convention(
        "http.default-response",
        "http",
        "OpenAPI 3.1 §4.8.16: the `default` response describes every status the operation does not list",
    ),
    Convention(
        "http.header-names-case-insensitive",
        "http",
        "RFC 9110 §5.1: field names are case-insensitive, so a credential header sent in lower case "
        "(`authorization`, as HTTP/2 and HTTP/3 send every name) is the documented header and is accepted",
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
        default=False,
    ),
    Convention(
        "fibre-cafe.format-from-example",
        "fibre-cafe",
        "a string field named like `uuid` whose documented examples are UUIDs is a UUID (the compiler records "
        "it as x-fc-inferred format-from-example)",
    ),
    Convention(
        "fibre-cafe.code-names-refusal",
        "fibre-cafe",
        "where the enum of a status lists a code named for the refusal (NOT_AUTHORISED for missing or "
        "invalid credentials, MALFORMED_REQUEST or INVALID_REQUEST for a body that is not JSON), that code "
        "is the one to answer: the document lists one enum for every status, so it does not say which "
        "code goes with which refusal in words",
    ),
    Convention(
        "fibre-cafe.unique-identifier",
        "fibre-cafe",
        "a `format: uuid` field the document calls a unique identifier of an error ('Unique identifier of "
        "this error') is never shared by two errors",
    ),
)
# The compiler's inferences a convention backs: a finding resting on one of these fails when its
# convention is accepted; one resting on any other inference or gap is a guess, hence a warning.
INFERENCE_CONVENTION = {"format-from-example": "fibre-cafe.format-from-example"}
# What the document would have to say for a finding resting on a guess to be a failure.
GUESSES = {
    "request-body": "the document lists no request fields, so the body sent is a guess; list them",
    "security-scheme": "the document names the scheme but not its type or where its credential goes; say so",
    "api-key-location": "the document does not say where the API key goes; say which header, query or cookie",
    "unknown-scheme": "the document does not say what kind of credential the scheme is; say so",
    "items-from-example": "the item type is taken from the example; document it",
    "items-from-enum": "the item type is taken from the enum; document it",
    "success-response": "the document lists no success response; list it",
}
CONVENTION: dict[str, Convention] = {c.id: c for c in CONVENTIONS}
DEFAULTS = frozenset(c.id for c in CONVENTIONS if c.default)  # accepted when none are named
GROUPS = frozenset(c.group for c in CONVENTIONS)


def accepted(names: Iterable[str] | None) -> frozenset[str]:
    """The ids of the accepted conventions: the defaults when `names` is None, else the named groups and ids."""
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
