"""The requirements fcvalidate certifies, as data: one verdict per requirement per operation.

The engine, the fault catalogue, the reports and the pytest plugin all name requirements by `id`;
the level (MUST fails a run, SHOULD only warns) is decided here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["MUST", "SHOULD"]


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    title: str
    level: Level
    description: str


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "required-headers",
        "Required headers are enforced",
        "MUST",
        "Each required header, left out alone, is rejected with a documented 4xx and a valid error body; "
        "header names are matched case-insensitively.",
    ),
    Requirement(
        "authorisation",
        "Requests are authorised",
        "MUST",
        "No token → 401 NOT_AUTHORISED; an invalid token → 401 (or a documented 403); "
        "OAuth2 client credentials work.",
    ),
    Requirement(
        "malformed-body",
        "Malformed bodies are rejected",
        "MUST",
        "A body that is not JSON → 400 MALFORMED_REQUEST or INVALID_REQUEST; a JSON body that is not an "
        "object is rejected.",
    ),
    Requirement(
        "valid-requests",
        "Valid requests succeed as documented",
        "MUST",
        "Valid requests get a documented 2xx whose body matches that status's schema.",
    ),
    Requirement(
        "invalid-requests",
        "Invalid requests are rejected",
        "MUST",
        "Requests carrying exactly one defect the contract forbids are rejected with a documented 4xx.",
    ),
    Requirement(
        "error-body",
        "Error bodies follow the contract",
        "MUST",
        "Every error body is JSON with a UUID `uuid`, a `code` from this operation's enum and `messages` "
        "an array of strings; statuses documented without a body send none.",
    ),
    Requirement(
        "no-server-errors",
        "No server errors",
        "MUST",
        "No generated input, valid or invalid, gets a 5xx answer.",
    ),
    Requirement(
        "tenant-isolation",
        "Tenants are isolated",
        "MUST",
        "A successful request replayed as another principal (the data file's `foreign` values) does not succeed.",
    ),
    Requirement(
        "method-not-allowed",
        "Undocumented methods are refused",
        "SHOULD",
        "Other methods on a documented path are refused, 405 with `Allow` preferred.",
    ),
)

BY_ID: dict[str, Requirement] = {r.id: r for r in REQUIREMENTS}
