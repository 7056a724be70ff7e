"""The fault catalogue: each fault is one precise way a real implementation breaks the contract.

A fault is data: the one requirement it breaks, the operations it breaks it on, and the hooks
(`hooks.py`) it attaches to the points of the reference implementation's request handling. The certify
tests prove, fault by fault, that exactly that requirement fails (warns, for a SHOULD), on those
operations. A slow answer within the client's timeout breaks no requirement, so there is no "slow" fault:
timeouts are proven with tests/hostile.py. (Transport-level misbehaviour lives in tests/hostile.py.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fcvalidate.errors import UsageError
from fcvalidate.requirements import RequirementId as R
from fcvalidate.server.hooks import (
    At,
    Hook,
    Point,
    accept_any_credentials,
    accept_presented,
    basic_password,
    body_value,
    case_sensitive_headers,
    change_refusal,
    client_id_honoured,
    crash_when,
    created_not_kept,
    credential_in_query,
    drop_error_field,
    drop_success_field,
    enum_any_case,
    enum_substring,
    error_as_text,
    error_field,
    exact_credential_header,
    foreign_code,
    ignore_problems,
    made_up_resource,
    negative_query_number,
    no_content_as_200,
    not_uuid,
    nulls_for_absent_fields,
    odd_path_value,
    optional_number_is_one,
    other_method_200,
    other_tenants_allowed,
    out_of_bounds,
    patch_replaces,
    path_number_below_one,
    read_stale,
    skip_header,
    success_field,
    success_media,
    success_status,
    tenantless_acts_as_owner,
    undocumented_field,
    upsert_unknown,
)
from fcvalidate.server.paging import limit_ignored, negative_limit, next_on_last_page

SPA = "POST /service-problem-amendments"  # the one fully documented operation (fields, success, Tenant)
# The faults for other shapes act on every operation of their shape (query parameters, path ids, API
# keys, 204 answers), which the bundled contracts do not have: they name no operations.


@dataclass(frozen=True, slots=True)
class Fault:
    id: str
    requirement: R
    description: str
    hooks: tuple[tuple[Point, Hook], ...]
    operations: tuple[str, ...] = ()  # the operations it breaks (labels); empty: every operation
    # False: no bundled operation has the shape it acts on (query parameters, path ids, API keys, 204s);
    # it is proven against the test corpus instead (tests/server/test_any_contract.py)
    bundled: bool = True
    # the test contract it is proven on (tests/server/<contract>/) when the corpus lacks its shape too
    # (documented bounds); "" : the bundled contracts or the corpus
    contract: str = ""
    warns: bool = False  # its finding is a warning: the document does not forbid it in words

    def breaks(self, operation: str) -> bool:
        return not self.operations or operation in self.operations


def _fault(
    id: str,
    requirement: R,
    description: str,
    *hooks: tuple[Point, Hook],
    on: tuple[str, ...] = (),
    bundled: bool = True,
    contract: str = "",
    warns: bool = False,
) -> Fault:
    return Fault(id, requirement, description, hooks, on, bundled, contract, warns)


class Hooks:
    """The hooks of the chosen faults, by point; `apply` passes a value through those for `at`'s operation."""

    def __init__(self, faults: Iterable[Fault]) -> None:
        self._at: dict[str, list[tuple[Fault, Hook]]] = {}
        for fault in faults:
            for point, hook in fault.hooks:
                self._at.setdefault(point, []).append((fault, hook))

    def apply(self, point: Point, at: At, value: Any) -> Any:
        label = at.op.label if at.op is not None else ""
        for fault, hook in self._at.get(point, ()):
            if fault.breaks(label):
                value = hook(at, value)
        return value


def _text(test: Any) -> Any:
    return body_value(lambda v: isinstance(v, str) and test(v))


FAULTS: tuple[Fault, ...] = (
    # required-headers
    _fault(
        "no-check-x-request-id",
        R.REQUIRED_HEADERS,
        "X-Request-ID is not enforced",
        ("headers", skip_header("X-Request-ID")),
    ),
    _fault(
        "no-check-x-conversation-id",
        R.REQUIRED_HEADERS,
        "X-Conversation-ID is not enforced",
        ("headers", skip_header("X-Conversation-ID")),
    ),
    _fault(
        "no-check-tenant",
        R.REQUIRED_HEADERS,
        "Tenant is not enforced; a request without it acts as the owner",
        ("headers", skip_header("Tenant")),
        ("tenant", tenantless_acts_as_owner),
        on=(SPA,),
    ),
    _fault(
        "case-sensitive-headers",
        R.REQUIRED_HEADERS,
        "header names are matched case-sensitively",
        ("headers", case_sensitive_headers),
    ),
    # authorisation
    _fault(
        "no-auth",
        R.AUTHORISATION,
        "authorisation is not enforced at all",
        ("credentials", accept_any_credentials),
    ),
    _fault(
        "any-token",
        R.AUTHORISATION,
        "any bearer token is accepted (a missing one is still refused)",
        ("credentials", accept_presented("bearer", "unknown")),
    ),
    _fault(
        "auth-wrong-code",
        R.AUTHORISATION,
        "401 answers carry code INVALID_REQUEST instead of NOT_AUTHORISED",
        ("refusal", change_refusal("no-credentials", "bad-credentials", code="INVALID_REQUEST")),
    ),
    _fault(
        "auth-400",
        R.AUTHORISATION,
        "a missing token is answered 400 INVALID_REQUEST",
        ("refusal", change_refusal("no-credentials", status=400, code="INVALID_REQUEST", headers=None)),
    ),
    _fault(
        "api-key-not-checked",
        R.AUTHORISATION,
        "any API key value is accepted (a missing one is still refused), on operations secured by API keys",
        ("credentials", accept_presented("api-key")),
        bundled=False,
    ),
    _fault(
        "basic-password-not-checked",
        R.AUTHORISATION,
        "HTTP Basic: a known user is let in with any password, on operations secured by basic",
        ("credential", basic_password(lambda users, user, password: users.known(user))),
        bundled=False,
    ),
    _fault(
        "basic-password-prefix",
        R.AUTHORISATION,
        "HTTP Basic: a password that starts with the real one is accepted, on operations secured by basic",
        ("credential", basic_password(lambda users, user, password: users.starts(user, password))),
        bundled=False,
    ),
    # malformed-body
    _fault(
        "malformed-json-wrong-code",
        R.MALFORMED_BODY,
        "a body that is not JSON is answered 400 NOT_FOUND",
        ("refusal", change_refusal("malformed", code="NOT_FOUND")),
    ),
    _fault(
        "non-object-accepted",
        R.MALFORMED_BODY,
        "a JSON body that is not an object is accepted",
        # and taken as the documented example (app.py): found where valid requests succeed (the seeds')
        ("validation", ignore_problems(lambda p: p.rule == "object")),
    ),
    # error-body
    _fault(
        "code-outside-enum",
        R.ERROR_BODY,
        "error codes are UNKNOWN_ERROR, outside every enum",
        ("error", error_field("code", lambda at, answer: "UNKNOWN_ERROR")),
    ),
    _fault(
        "foreign-enum-code",
        R.ERROR_BODY,
        "error codes come from another operation's enum (GATEWAY_FAULT)",
        ("error", error_field("code", foreign_code)),
    ),
    _fault(
        "error-missing-uuid", R.ERROR_BODY, "error bodies have no uuid", ("error", drop_error_field("uuid"))
    ),
    _fault(
        "error-uuid-not-uuid",
        R.ERROR_BODY,
        "error uuid is not a UUID",
        ("error", error_field("uuid", not_uuid)),
    ),
    _fault(
        "error-messages-string",
        R.ERROR_BODY,
        "error messages is a string, not an array",
        ("error", error_field("messages", lambda at, answer: "; ".join(answer.refusal.messages))),
    ),
    _fault("error-not-json", R.ERROR_BODY, "error bodies are text/plain", ("error", error_as_text)),
    _fault(
        "invalid-token-403-with-body",
        R.ERROR_BODY,
        "an invalid token gets 403 with a body (403 is documented without one)",
        (
            "refusal",
            change_refusal(
                "bad-credentials",
                status=403,
                code="NOT_AUTHORISED",
                messages=("forbidden",),
                documented_shape=False,
                headers=None,
            ),
        ),
    ),
    # valid-requests
    _fault(
        "success-missing-field",
        R.VALID_REQUESTS,
        "201 bodies lack serviceProblemId",
        ("success", drop_success_field("serviceProblemId")),
        on=(SPA,),
    ),
    _fault(
        "success-wrong-type",
        R.VALID_REQUESTS,
        "201 bodies carry id as a string",
        ("success", success_field("id", str)),
        on=(SPA,),
    ),
    _fault(
        "success-nulls",
        R.VALID_REQUESTS,
        "201 bodies echo null for fields not supplied",
        ("success", nulls_for_absent_fields),
        on=(SPA,),
    ),
    _fault(
        "undocumented-status",
        R.VALID_REQUESTS,
        "success is answered 200, which is not documented",
        ("success", success_status(200)),
        on=(SPA,),
    ),
    _fault(
        "success-wrong-content-type",
        R.VALID_REQUESTS,
        "201 bodies are sent as text/plain",
        ("success", success_media("text/plain")),
        on=(SPA,),
    ),
    _fault(
        "no-content-as-200",
        R.VALID_REQUESTS,
        "a success documented as 204 No Content is answered 200 with a JSON body (HTTP lets no 204 carry one)",
        ("success", no_content_as_200),
        bundled=False,
    ),
    # invalid-requests
    _fault(
        "no-validation",
        R.INVALID_REQUESTS,
        "request bodies are not validated at all",
        ("validation", ignore_problems(lambda p: p.location == "body" and p.rule != "object")),
        on=(SPA,),
    ),
    _fault(
        "accept-missing-nested-required",
        R.INVALID_REQUESTS,
        "missing required fields inside objects and array items are accepted",
        (
            "validation",
            ignore_problems(lambda p: p.location == "body" and p.rule == "required" and p.depth > 0),
        ),
        on=(SPA,),
    ),
    _fault(
        "accept-wrong-type",
        R.INVALID_REQUESTS,
        "values of the wrong type are accepted",
        ("validation", ignore_problems(lambda p: p.location == "body" and p.rule == "type")),
        on=(SPA,),
    ),
    _fault(
        "query-required-ignored",
        R.INVALID_REQUESTS,
        "a missing required query parameter is accepted (operations with one)",
        ("validation", ignore_problems(lambda p: p.location == "query" and p.rule == "missing")),
        bundled=False,
    ),
    _fault(
        "query-enum-not-enforced",
        R.INVALID_REQUESTS,
        "a query value outside its enum is accepted (operations with enum query parameters)",
        ("validation", ignore_problems(lambda p: p.location == "query" and p.rule == "enum")),
        bundled=False,
    ),
    # where the engine files its unknown-resource cases (issue-14-engine, probes.py)
    _fault(
        "unknown-id-200",
        R.INVALID_REQUESTS,
        "a GET or HEAD of an unknown path id is answered 200 with a made-up resource",
        ("lookup", made_up_resource),
        bundled=False,
    ),
    # no-server-errors
    _fault(
        "crash-on-unicode",
        R.NO_SERVER_ERRORS,
        "non-ASCII text in a body field causes a 500",
        ("request", crash_when(_text(lambda v: not v.isascii()))),
    ),
    _fault(
        "crash-on-long-text",
        R.NO_SERVER_ERRORS,
        "a string longer than 1,000 characters causes a 500",
        ("request", crash_when(_text(lambda v: len(v) > 1000))),
    ),
    _fault(
        "crash-on-empty-array",
        R.NO_SERVER_ERRORS,
        "an empty array causes a 500",
        ("request", crash_when(body_value(lambda v: v == []))),
    ),
    _fault(
        "crash-on-fraction",
        R.NO_SERVER_ERRORS,
        "a non-integral number causes a 500",
        ("request", crash_when(body_value(lambda v: isinstance(v, float) and not v.is_integer()))),
    ),
    _fault(
        "crash-on-undocumented-field",
        R.NO_SERVER_ERRORS,
        "a body field the document does not list causes a 500",
        ("request", crash_when(undocumented_field)),
        on=(SPA,),
    ),
    _fault(
        "crash-on-odd-path",
        R.NO_SERVER_ERRORS,
        "a path value with characters other than letters, digits and -._~ causes a 500",
        ("request", crash_when(odd_path_value)),
        bundled=False,
    ),
    # tenant-isolation
    _fault(
        "cross-tenant",
        R.TENANT_ISOLATION,
        "another tenant's service problem can be amended",
        ("tenant", other_tenants_allowed),
        on=(SPA,),
    ),
    _fault(
        "cross-tenant-read",
        R.TENANT_ISOLATION,
        "another tenant's resource is found by its path id (operations with a Tenant header)",
        ("tenant", other_tenants_allowed),
        bundled=False,
    ),
    # method-not-allowed
    _fault(
        "other-methods-200",
        R.METHOD_NOT_ALLOWED,
        "other methods on a documented path are answered 200",
        ("method", other_method_200),
    ),
    # boundaries, near misses and credential places (#22): proven on tests/server/orders-api/, whose
    # document bounds its numbers, and found only by the probes of engine/probes/boundaries.py and
    # engine/probes/credential_places.py
    _fault(
        "enum-substring",
        R.INVALID_REQUESTS,
        'an enum is checked by substring ("OPEN,SHIPPED".includes(v)): a prefix or an empty string passes',
        ("validation", ignore_problems(enum_substring)),
        bundled=False,
        contract="orders-api",
    ),
    _fault(
        "enum-any-case",
        R.INVALID_REQUESTS,
        "enum values are matched whatever their letter case (`open` passes for OPEN)",
        ("validation", ignore_problems(enum_any_case)),
        bundled=False,
        contract="orders-api",
        warns=True,  # a failure once json-schema.enum-not-normalised is accepted (--conventions)
    ),
    _fault(
        "bounds-not-enforced",
        R.INVALID_REQUESTS,
        "minimum and maximum are not enforced (a `limit` of 0 or 101 is taken)",
        ("validation", ignore_problems(out_of_bounds)),
        bundled=False,
        contract="orders-api",
    ),
    _fault(
        "crash-on-negative-query",
        R.NO_SERVER_ERRORS,
        "a negative number in a query parameter (a `limit` of -1) causes a 500, before validation",
        ("received", crash_when(negative_query_number)),
        bundled=False,
        contract="orders-api",
    ),
    _fault(
        "crash-on-optional-number",
        R.NO_SERVER_ERRORS,
        "an optional numeric query parameter with no example or default (a `limit`) given as 1 causes a "
        "500 (an off-by-one in the paging code: a division by limit - 1)",
        ("request", crash_when(optional_number_is_one)),
        bundled=False,
        contract="orders-api",
    ),
    _fault(
        "client-id-honoured",
        R.NO_SERVER_ERRORS,
        "a client-sent `id` is kept on create, and a second create with the same one causes a 500",
        ("new-id", client_id_honoured),
        bundled=False,
        contract="orders-api",
    ),
    _fault(
        "crash-on-path-number",
        R.NO_SERVER_ERRORS,
        "a number below 1 in a path segment (0, -1: an id no row has) causes a 500",
        ("request", crash_when(path_number_below_one)),
        bundled=False,
        contract="orders-api",
    ),
    # stateful semantics (#22): proven on tests/server/tenant-api/ and tests/engine/widgets/ by
    # tests/engine/test_stateful.py, found only by reading the resource back after a write (or, for the
    # upserts, by the unknown-resource probes)
    _fault(
        "patch-replaces",
        R.VALID_REQUESTS,
        "a PATCH stores only the fields it sent: the others are lost (RFC 5789, RFC 7396)",
        ("store", patch_replaces),
        bundled=False,
        contract="tenant-api",
    ),
    _fault(
        "create-not-persisted",
        R.VALID_REQUESTS,
        "a POST answers 201 with the resource and stores nothing: a read of it answers 404",
        ("store", created_not_kept),
        bundled=False,
        contract="tenant-api",
    ),
    _fault(
        "delete-not-deleting",
        R.VALID_REQUESTS,
        "a DELETE answers 204 and removes nothing: the resource still reads back (RFC 9110 §9.3.5)",
        ("remove", lambda at, removes: False),
        bundled=False,
        contract="tenant-api",
    ),
    _fault(
        "read-stale",
        R.VALID_REQUESTS,
        "a read answers what the first read of that path found: a cache no write invalidates",
        ("lookup", read_stale),
        bundled=False,
        contract="tenant-api",
    ),
    _fault(
        "patch-unknown-upserts",
        R.INVALID_REQUESTS,
        "a PATCH of an id naming nothing creates it (200) where the document lists 404",
        ("lookup", upsert_unknown("PATCH")),
        bundled=False,
        contract="tenant-api",
    ),
    _fault(
        "put-unknown-upserts",
        R.INVALID_REQUESTS,
        "a PUT of an id naming nothing creates it (200) where the document lists 404 and no 201 (a PUT "
        "may create, RFC 9110 §9.3.4: a warning)",
        ("lookup", upsert_unknown("PUT")),
        on=("PUT /widgets/{id}",),
        bundled=False,
        contract="widgets",
        warns=True,
    ),
    # header-case first: a header credential it refuses may still be found in the query
    _fault(
        "credential-header-case",
        R.AUTHORISATION,
        "the credential header's name is matched case-sensitively (`authorization` is refused)",
        ("credential", exact_credential_header),
        bundled=False,
        contract="orders-api",
    ),
    # paging (server/paging.py): on every operation whose document states a limit (and a last-page marker)
    _fault(
        "limit-ignored",
        R.VALID_REQUESTS,
        "a list ignores its documented limit: every item comes back, whatever the request asked for",
        ("success", limit_ignored),
        bundled=False,
    ),
    _fault(
        "next-on-last-page",
        R.VALID_REQUESTS,
        "the documented next-page marker is set on the last page too (a cursor, or `hasMore: true`)",
        ("success", next_on_last_page),
        bundled=False,
    ),
    _fault(
        "negative-limit-500",
        R.NO_SERVER_ERRORS,
        "a negative documented limit causes a 500 (the paging code slices from the end)",
        ("request", crash_when(negative_limit)),
        bundled=False,
    ),
    _fault(
        "credential-in-query",
        R.AUTHORISATION,
        "a credential documented in a header is also taken from the query (`?api_key=`, `?access_token=`)",
        ("credential", credential_in_query),
        bundled=False,
        contract="orders-api",
        warns=True,
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


def chosen_faults(names: Iterable[str]) -> tuple[Fault, ...]:
    """The named catalogue faults, in catalogue order (the order their hooks run in)."""
    names = check_faults(names)
    return tuple(f for f in FAULTS if f.id in names)
