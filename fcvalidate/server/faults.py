"""The fault catalogue: each fault is one precise way a real implementation breaks the contract.

Data only; `app.py` consults it at the few places a fault acts. Every fault names the one requirement
it breaks, and the certify tests prove, fault by fault, that exactly that requirement fails.
(Transport-level misbehaviour lives in `hostile.py`.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fcvalidate.errors import UsageError
from fcvalidate.requirements import BY_ID as REQUIREMENTS


@dataclass(frozen=True, slots=True)
class Fault:
    id: str
    requirement: str
    description: str


FAULTS: tuple[Fault, ...] = (
    # required-headers
    Fault("no-check-x-request-id", "required-headers", "X-Request-ID is not enforced"),
    Fault("no-check-x-conversation-id", "required-headers", "X-Conversation-ID is not enforced"),
    Fault(
        "no-check-tenant",
        "required-headers",
        "Tenant is not enforced; a request without it acts as the owner",
    ),
    Fault("case-sensitive-headers", "required-headers", "header names are matched case-sensitively"),
    # authorisation
    Fault("no-auth", "authorisation", "authorisation is not enforced at all"),
    Fault("any-token", "authorisation", "any bearer token is accepted (a missing one is still refused)"),
    Fault(
        "auth-wrong-code", "authorisation", "401 answers carry code INVALID_REQUEST instead of NOT_AUTHORISED"
    ),
    Fault("auth-400", "authorisation", "a missing token is answered 400 INVALID_REQUEST"),
    # malformed-body
    Fault("malformed-json-wrong-code", "malformed-body", "a body that is not JSON is answered 400 NOT_FOUND"),
    Fault("non-object-accepted", "malformed-body", "a JSON body that is not an object is accepted"),
    # error-body
    Fault("code-outside-enum", "error-body", "error codes are UNKNOWN_ERROR, outside every enum"),
    Fault(
        "foreign-enum-code", "error-body", "error codes come from another operation's enum (GATEWAY_FAULT)"
    ),
    Fault("error-missing-uuid", "error-body", "error bodies have no uuid"),
    Fault("error-uuid-not-uuid", "error-body", "error uuid is not a UUID"),
    Fault("error-messages-string", "error-body", "error messages is a string, not an array"),
    Fault("error-not-json", "error-body", "error bodies are text/plain"),
    Fault(
        "invalid-token-403-with-body",
        "error-body",
        "an invalid token gets 403 with a body (403 is documented without one)",
    ),
    # valid-requests
    Fault("success-missing-field", "valid-requests", "201 bodies lack serviceProblemId"),
    Fault("success-wrong-type", "valid-requests", "201 bodies carry id as a string"),
    Fault("success-nulls", "valid-requests", "201 bodies echo null for fields not supplied"),
    Fault("undocumented-status", "valid-requests", "success is answered 200, which is not documented"),
    Fault("success-wrong-content-type", "valid-requests", "201 bodies are sent as text/plain"),
    Fault("slow", "valid-requests", "every response is delayed (--fault-delay, default 2 s)"),
    # invalid-requests
    Fault("no-validation", "invalid-requests", "request bodies are not validated at all"),
    Fault(
        "accept-missing-nested-required",
        "invalid-requests",
        "missing required fields inside objects and array items are accepted",
    ),
    Fault("accept-wrong-type", "invalid-requests", "values of the wrong type are accepted"),
    # no-server-errors
    Fault("crash-on-unicode", "no-server-errors", "non-ASCII text in a body field causes a 500"),
    Fault("crash-on-long-text", "no-server-errors", "a string longer than 1,000 characters causes a 500"),
    Fault("crash-on-empty-array", "no-server-errors", "an empty array causes a 500"),
    Fault("crash-on-fraction", "no-server-errors", "a non-integral number causes a 500"),
    # tenant-isolation
    Fault("cross-tenant", "tenant-isolation", "another tenant's service problem can be amended"),
    # method-not-allowed
    Fault("other-methods-200", "method-not-allowed", "other methods on a documented path are answered 200"),
)
BY_ID: dict[str, Fault] = {f.id: f for f in FAULTS}
assert all(f.requirement in REQUIREMENTS for f in FAULTS)


def check_faults(names: Iterable[str]) -> frozenset[str]:
    """The named faults, or a usage error listing the known ones."""
    names = frozenset(names)
    unknown = sorted(names - set(BY_ID))
    if unknown:
        raise UsageError(f"unknown fault(s): {', '.join(unknown)} (known: {', '.join(BY_ID)})")
    return names
