"""The requirements fcvalidate certifies, as data: one verdict per requirement per operation.

The engine, the fault catalogue, the reports and the pytest plugin all name requirements by a
`RequirementId`; the level (MUST fails a run, SHOULD only warns) is decided here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

Level = Literal["MUST", "SHOULD"]


class RequirementId(StrEnum):
    """A requirement's id; a `str`, so reports and pytest ids read `required-headers`."""

    REQUIRED_HEADERS = "required-headers"
    AUTHORISATION = "authorisation"
    MALFORMED_BODY = "malformed-body"
    VALID_REQUESTS = "valid-requests"
    INVALID_REQUESTS = "invalid-requests"
    ERROR_BODY = "error-body"
    NO_SERVER_ERRORS = "no-server-errors"
    TENANT_ISOLATION = "tenant-isolation"
    METHOD_NOT_ALLOWED = "method-not-allowed"


@dataclass(frozen=True, slots=True)
class Requirement:
    id: RequirementId
    title: str
    level: Level
    description: str


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        RequirementId.REQUIRED_HEADERS,
        "Required headers are enforced",
        "MUST",
        "Each required header, left out alone, is rejected with a documented 4xx and a valid error body; "
        "header names are matched case-insensitively.",
    ),
    Requirement(
        RequirementId.AUTHORISATION,
        "Requests are authorised",
        "MUST",
        "No credential → 401 (RFC 9110/6750; the code the document's 401 enum gives, e.g. NOT_AUTHORISED); "
        "an invalid one → 401 (or a documented 403); OAuth2 client credentials and API keys work.",
    ),
    Requirement(
        RequirementId.MALFORMED_BODY,
        "Malformed bodies are rejected",
        "MUST",
        "A body that is not JSON → 400 (RFC 9110) with the code the document's enum gives for it "
        "(e.g. MALFORMED_REQUEST or INVALID_REQUEST); a JSON body that is not an object is rejected.",
    ),
    Requirement(
        RequirementId.VALID_REQUESTS,
        "Valid requests succeed as documented",
        "MUST",
        "Valid requests get a documented 2xx carrying what that status documents: its media type and "
        "schema (nullable and `any` fields as written), or no body where it lists no fields (a 204); what a "
        "write sent reads back from the documented GET of that resource (a PATCH keeps what it did not "
        "send, a deleted resource answers 404 or 410).",
    ),
    Requirement(
        RequirementId.INVALID_REQUESTS,
        "Invalid requests are rejected",
        "MUST",
        "Requests carrying exactly one defect the contract forbids are rejected with a documented 4xx; "
        "a path naming no resource gets 404 where documented (or the 4xx the document lists for it).",
    ),
    Requirement(
        RequirementId.ERROR_BODY,
        "Error bodies follow the contract",
        "MUST",
        "Every error body matches the response documented for its status (else the `default` response): "
        "its media type and schema, whatever the API's shape (problem+json, `{error: ...}`), e.g. Fibre "
        "Cafe's UUID `uuid`, `code` from this operation's own enum, `messages` strings; statuses "
        "documented without a body send none.",
    ),
    Requirement(
        RequirementId.NO_SERVER_ERRORS,
        "No server errors",
        "MUST",
        "No generated input, valid or invalid, gets a 5xx answer.",
    ),
    Requirement(
        RequirementId.TENANT_ISOLATION,
        "Tenants are isolated",
        "MUST",
        "A successful request replayed as another principal (the data file's `foreign` values) does not succeed.",
    ),
    Requirement(
        RequirementId.METHOD_NOT_ALLOWED,
        "Undocumented methods are refused",
        "SHOULD",
        "Other methods on a documented path are refused, 405 with `Allow` preferred (RFC 9110).",
    ),
)

REQUIREMENT: dict[RequirementId, Requirement] = {r.id: r for r in REQUIREMENTS}
