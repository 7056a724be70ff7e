"""The fault catalogue: each fault is one precise way a real implementation breaks the contract.

Data only; `app.py` consults it at the few places a fault acts. Every fault names the one requirement
it breaks and the operations it breaks it on, and the certify tests prove, fault by fault, that exactly
that requirement fails (warns, for a SHOULD), on those operations. A slow answer within the client's
timeout breaks no requirement, so there is no "slow" fault: timeouts are proven with tests/hostile.py.
(Transport-level misbehaviour, for the engine's own tests, lives in tests/hostile.py.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fcvalidate.errors import UsageError
from fcvalidate.requirements import RequirementId as R

SPA = "POST /service-problem-amendments"  # the one fully documented operation (fields, success, Tenant)
# The faults for other shapes act on every operation of their shape (query parameters, path ids, API
# keys, 204 answers), which the bundled contracts do not have: they name no operations.


@dataclass(frozen=True, slots=True)
class Fault:
    id: str
    requirement: R
    description: str
    operations: tuple[str, ...] = ()  # the operations it breaks; empty: every operation
    # False: no bundled operation has the shape it acts on (query parameters, path ids, API keys, 204s);
    # it is proven against the test corpus instead (tests/server/test_any_contract.py)
    bundled: bool = True
    # the test contract it is proven on (tests/server/<contract>/) when the corpus lacks its shape too
    # (documented bounds); "" : the bundled contracts or the corpus
    contract: str = ""
    warns: bool = False  # its finding is a warning: the document does not forbid it in words

    def breaks(self, operation: str) -> bool:
        return not self.operations or operation in self.operations


FAULTS: tuple[Fault, ...] = (
    # required-headers
    Fault("no-check-x-request-id", R.REQUIRED_HEADERS, "X-Request-ID is not enforced"),
    Fault("no-check-x-conversation-id", R.REQUIRED_HEADERS, "X-Conversation-ID is not enforced"),
    Fault(
        "no-check-tenant",
        R.REQUIRED_HEADERS,
        "Tenant is not enforced; a request without it acts as the owner",
        (SPA,),
    ),
    Fault("case-sensitive-headers", R.REQUIRED_HEADERS, "header names are matched case-sensitively"),
    # authorisation
    Fault("no-auth", R.AUTHORISATION, "authorisation is not enforced at all"),
    Fault("any-token", R.AUTHORISATION, "any bearer token is accepted (a missing one is still refused)"),
    Fault(
        "auth-wrong-code", R.AUTHORISATION, "401 answers carry code INVALID_REQUEST instead of NOT_AUTHORISED"
    ),
    Fault("auth-400", R.AUTHORISATION, "a missing token is answered 400 INVALID_REQUEST"),
    Fault(
        "api-key-not-checked",
        R.AUTHORISATION,
        "any API key value is accepted (a missing one is still refused), on operations secured by API keys",
        bundled=False,
    ),
    Fault(
        "basic-password-not-checked",
        R.AUTHORISATION,
        "HTTP Basic: a known user is let in with any password, on operations secured by basic",
        bundled=False,
    ),
    Fault(
        "basic-password-prefix",
        R.AUTHORISATION,
        "HTTP Basic: a password that starts with the real one is accepted, on operations secured by basic",
        bundled=False,
    ),
    # malformed-body
    Fault("malformed-json-wrong-code", R.MALFORMED_BODY, "a body that is not JSON is answered 400 NOT_FOUND"),
    Fault("non-object-accepted", R.MALFORMED_BODY, "a JSON body that is not an object is accepted"),
    # error-body
    Fault("code-outside-enum", R.ERROR_BODY, "error codes are UNKNOWN_ERROR, outside every enum"),
    Fault(
        "foreign-enum-code", R.ERROR_BODY, "error codes come from another operation's enum (GATEWAY_FAULT)"
    ),
    Fault("error-missing-uuid", R.ERROR_BODY, "error bodies have no uuid"),
    Fault("error-uuid-not-uuid", R.ERROR_BODY, "error uuid is not a UUID"),
    Fault("error-messages-string", R.ERROR_BODY, "error messages is a string, not an array"),
    Fault("error-not-json", R.ERROR_BODY, "error bodies are text/plain"),
    Fault(
        "invalid-token-403-with-body",
        R.ERROR_BODY,
        "an invalid token gets 403 with a body (403 is documented without one)",
    ),
    # valid-requests
    Fault("success-missing-field", R.VALID_REQUESTS, "201 bodies lack serviceProblemId", (SPA,)),
    Fault("success-wrong-type", R.VALID_REQUESTS, "201 bodies carry id as a string", (SPA,)),
    Fault("success-nulls", R.VALID_REQUESTS, "201 bodies echo null for fields not supplied", (SPA,)),
    Fault(
        "undocumented-status", R.VALID_REQUESTS, "success is answered 200, which is not documented", (SPA,)
    ),
    Fault("success-wrong-content-type", R.VALID_REQUESTS, "201 bodies are sent as text/plain", (SPA,)),
    Fault(
        "no-content-as-200",
        R.VALID_REQUESTS,
        "a success documented as 204 No Content is answered 200 with a JSON body (HTTP lets no 204 carry one)",
        bundled=False,
    ),
    # invalid-requests
    Fault("no-validation", R.INVALID_REQUESTS, "request bodies are not validated at all", (SPA,)),
    Fault(
        "accept-missing-nested-required",
        R.INVALID_REQUESTS,
        "missing required fields inside objects and array items are accepted",
        (SPA,),
    ),
    Fault("accept-wrong-type", R.INVALID_REQUESTS, "values of the wrong type are accepted", (SPA,)),
    Fault(
        "query-required-ignored",
        R.INVALID_REQUESTS,
        "a missing required query parameter is accepted (operations with one)",
        bundled=False,
    ),
    Fault(
        "query-enum-not-enforced",
        R.INVALID_REQUESTS,
        "a query value outside its enum is accepted (operations with enum query parameters)",
        bundled=False,
    ),
    # where the engine files its unknown-resource cases (issue-14-engine, probes.py)
    Fault(
        "unknown-id-200",
        R.INVALID_REQUESTS,
        "a GET or HEAD of an unknown path id is answered 200 with a made-up resource",
        bundled=False,
    ),
    # no-server-errors
    Fault("crash-on-unicode", R.NO_SERVER_ERRORS, "non-ASCII text in a body field causes a 500"),
    Fault("crash-on-long-text", R.NO_SERVER_ERRORS, "a string longer than 1,000 characters causes a 500"),
    Fault("crash-on-empty-array", R.NO_SERVER_ERRORS, "an empty array causes a 500"),
    Fault("crash-on-fraction", R.NO_SERVER_ERRORS, "a non-integral number causes a 500"),
    Fault(
        "crash-on-undocumented-field",
        R.NO_SERVER_ERRORS,
        "a body field the document does not list causes a 500",
        (SPA,),
    ),
    Fault(
        "crash-on-odd-path",
        R.NO_SERVER_ERRORS,
        "a path value with characters other than letters, digits and -._~ causes a 500",
        bundled=False,
    ),
    # tenant-isolation
    Fault("cross-tenant", R.TENANT_ISOLATION, "another tenant's service problem can be amended", (SPA,)),
    Fault(
        "cross-tenant-read",
        R.TENANT_ISOLATION,
        "another tenant's resource is found by its path id (operations with a Tenant header)",
        bundled=False,
    ),
    # method-not-allowed
    Fault("other-methods-200", R.METHOD_NOT_ALLOWED, "other methods on a documented path are answered 200"),
    # boundaries, near misses and credential places (#22): proven on tests/server/orders-api/, whose
    # document bounds its numbers, and found only by the probes of engine/boundaries.py and
    # engine/credential_places.py
    Fault(
        "enum-substring",
        R.INVALID_REQUESTS,
        'an enum is checked by substring ("OPEN,SHIPPED".includes(v)): a prefix or an empty string passes',
        bundled=False,
        contract="orders-api",
    ),
    Fault(
        "enum-any-case",
        R.INVALID_REQUESTS,
        "enum values are matched whatever their letter case (`open` passes for OPEN)",
        bundled=False,
        contract="orders-api",
        warns=True,  # a failure once json-schema.enum-not-normalised is accepted (--conventions)
    ),
    Fault(
        "bounds-not-enforced",
        R.INVALID_REQUESTS,
        "minimum and maximum are not enforced (a `limit` of 0 or 101 is taken)",
        bundled=False,
        contract="orders-api",
    ),
    Fault(
        "crash-on-negative-query",
        R.NO_SERVER_ERRORS,
        "a negative number in a query parameter (a `limit` of -1) causes a 500, before validation",
        bundled=False,
        contract="orders-api",
    ),
    Fault(
        "crash-on-optional-number",
        R.NO_SERVER_ERRORS,
        "an optional numeric query parameter with no example or default (a `limit`) given as 1 causes a "
        "500 (an off-by-one in the paging code: a division by limit - 1)",
        bundled=False,
        contract="orders-api",
    ),
    Fault(
        "client-id-honoured",
        R.NO_SERVER_ERRORS,
        "a client-sent `id` is kept on create, and a second create with the same one causes a 500",
        bundled=False,
        contract="orders-api",
    ),
    Fault(
        "crash-on-path-number",
        R.NO_SERVER_ERRORS,
        "a number below 1 in a path segment (0, -1: an id no row has) causes a 500",
        bundled=False,
        contract="orders-api",
    ),
    Fault(
        "credential-in-query",
        R.AUTHORISATION,
        "a credential documented in a header is also taken from the query (`?api_key=`, `?access_token=`)",
        bundled=False,
        contract="orders-api",
        warns=True,
    ),
    Fault(
        "credential-header-case",
        R.AUTHORISATION,
        "the credential header's name is matched case-sensitively (`authorization` is refused)",
        bundled=False,
        contract="orders-api",
    ),
)
FAULT: dict[str, Fault] = {f.id: f for f in FAULTS}


def check_faults(names: Iterable[str]) -> frozenset[str]:
    """The named faults, or a usage error listing the known ones."""
    names = frozenset(names)
    unknown = sorted(names - set(FAULT))
    if unknown:
        raise UsageError(f"unknown fault(s): {', '.join(unknown)} (known: {', '.join(FAULT)})")
    return names
