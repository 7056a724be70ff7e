"""Planted changes on the version series in tests/versions/series/1.0 (copies of the seeds and the
corpus): each plant is one change an editor could make to the documents, and the changes `fcvalidate diff`
must find for it — rule, operation, field, and the weight for tenants and for suppliers, written here
independently of the rule table so that a misclassified rule fails its test."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

SERIES = Path(__file__).resolve().parent / "series"
BASE = SERIES / "1.0"
CORPUS = Path(__file__).resolve().parent.parent / "contract" / "corpus"

GSP, PSP, GAA, SO = (
    "get-service-problem.md",
    "post-service-problem.md",
    "get-available-appointments.md",
    "service-orders.md",
)
OP_GSP, OP_PSP, OP_GAA, OP_SO = (
    "GET /service-problems/{id}",
    "POST /service-problems",
    "GET /available-appointments",
    "POST /service-orders",
)
OPS = (
    OP_GAA,
    OP_GSP,
    OP_PSP,
    "POST /service-order-amendments",
    OP_SO,
    "POST /service-problem-amendments",
)
B, W, I = "breaking", "warning", "info"  # noqa: E741  (the plants read better with one letter)
UUID = '"5b3c1d9e-0a41-4c55-9d0e-3c1f7f2b6a10"'
CREATE, DELETE = None, "*"

Edit = tuple[str, str | None, str | None]  # file, text (CREATE: a new file; DELETE: the whole file), new text
Expected = tuple[str, str, str, str, str]  # rule, operation, location, tenants, suppliers


@dataclass(frozen=True)
class Plant:
    name: str
    edits: tuple[Edit, ...]
    expect: tuple[Expected, ...]
    before: tuple[Edit, ...] = ()  # applied to both versions first: the old version of the plant


def apply(folder: Path, edits: tuple[Edit, ...]) -> None:
    for name, old, new in edits:
        target = folder / name
        if old is CREATE:
            target.write_text(new or "", encoding="utf-8")
        elif old == DELETE:
            target.unlink()
        else:
            text = target.read_text(encoding="utf-8")
            assert text.count(old) == 1, f"{name}: {old!r} occurs {text.count(old)} times"
            target.write_text(text.replace(old, new or ""), encoding="utf-8")


def versions(plant: Plant, tmp: Path) -> tuple[Path, Path]:
    """The old and the new version of the series for one plant, as folders of documents."""
    old, new = tmp / "old", tmp / "new"
    shutil.copytree(BASE, old)
    apply(old, plant.before)
    shutil.copytree(old, new)
    apply(new, plant.edits)
    return old, new


def _slot_plants() -> list[Plant]:
    """Every value-slot rule on each side: parameters and request fields (tenants send), response fields
    (suppliers send)."""
    q = "request.query"
    body = "request.body.$"
    resp = "response.200.body.$"
    header_item = "## Header parameters:\n\n"
    days = "`days` (integer)"
    return [
        # parameters
        Plant(
            "parameter-added-required",
            ((GSP, header_item, header_item + "  - `Tenant` (string, required)\n    Who asks.\n\n"),),
            (("parameter-added-required", OP_GSP, "request.header.Tenant", B, W),),
        ),
        Plant(
            "parameter-added-optional",
            ((GSP, header_item, header_item + "  - `X-Trace` (string)\n    A trace id.\n\n"),),
            (("parameter-added-optional", OP_GSP, "request.header.X-Trace", I, W),),
        ),
        Plant(
            "parameter-removed-required",
            (
                (
                    SO,
                    " - `X-Conversation-ID` (string, required) Identifier to track message journey across the Fibre Cafe gateway",
                    "",
                ),
            ),
            (("parameter-removed-required", OP_SO, "request.header.X-Conversation-ID", W, B),),
        ),
        Plant(
            "parameter-removed-optional",
            (
                (
                    GAA,
                    '  - `from` (string)\n    First day to search, inclusive.\n    Example: "2026-03-01"\n\n',
                    "",
                ),
            ),
            (("parameter-removed-optional", OP_GAA, f"{q}.from", W, I),),
        ),
        Plant(
            "parameter-became-required",
            ((GAA, days, "`days` (integer, required)"),),
            (("parameter-became-required", OP_GAA, f"{q}.days", B, I),),
        ),
        Plant(
            "parameter-became-optional",
            ((GSP, "`X-Request-ID` (string, required)", "`X-Request-ID` (string)"),),
            (("parameter-became-optional", OP_GSP, "request.header.X-Request-ID", I, B),),
        ),
        Plant(
            "parameter-type-narrowed",
            ((GAA, "`days` (number)", days),),
            (("parameter-type-narrowed", OP_GAA, f"{q}.days", B, I),),
            before=((GAA, days, "`days` (number)"),),
        ),
        Plant(
            "parameter-type-widened",
            ((GAA, days, "`days` (number)"),),
            (("parameter-type-widened", OP_GAA, f"{q}.days", I, B),),
        ),
        Plant(
            "parameter-type-changed",
            (
                (
                    GAA,
                    "`days` (integer)\n    How many days to search.\n    Default: 14",
                    '`days` (string)\n    How many days to search.\n    Default: "14"',
                ),
            ),
            (("parameter-type-changed", OP_GAA, f"{q}.days", B, B),),
        ),
        Plant(
            "parameter-format-added",
            ((GSP, 'Example: "S-1"', f"Example: {UUID}"),),
            (("parameter-format-added", OP_GSP, "request.header.X-Session-UUID", B, I),),
            before=(
                (GSP, header_item, header_item + '  - `X-Session-UUID` (string)\n    Example: "S-1"\n\n'),
            ),
        ),
        Plant(
            "parameter-format-removed",
            ((GSP, f"Example: {UUID}\n\n  - `X-Request-ID`", 'Example: "S-1"\n\n  - `X-Request-ID`'),),
            (("parameter-format-removed", OP_GSP, "request.header.X-Session-UUID", I, B),),
            before=(
                (GSP, header_item, header_item + f"  - `X-Session-UUID` (string)\n    Example: {UUID}\n\n"),
            ),
        ),
        Plant(
            "parameter-enum-value-added",
            (
                (
                    GAA,
                    'Enum: "INSTALL", "REPAIR", "SURVEY"',
                    'Enum: "INSTALL", "REPAIR", "SURVEY", "DELIVERY"',
                ),
            ),
            (("parameter-enum-value-added", OP_GAA, f"{q}.appointmentTypes[*]", I, B),),
        ),
        Plant(
            "parameter-enum-value-removed",
            ((GAA, 'Enum: "INSTALL", "REPAIR", "SURVEY"', 'Enum: "INSTALL", "REPAIR"'),),
            (("parameter-enum-value-removed", OP_GAA, f"{q}.appointmentTypes[*]", B, I),),
        ),
        Plant(
            "parameter-enum-added",
            ((GAA, 'Example: "2026-03-01"', 'Example: "2026-03-01"\n    Enum: "2026-03-01", "2026-04-01"'),),
            (("parameter-enum-added", OP_GAA, f"{q}.from", B, I),),
        ),
        Plant(
            "parameter-enum-removed",
            ((GAA, 'Example: "2026-03-01"\n    Enum: "2026-03-01", "2026-04-01"', 'Example: "2026-03-01"'),),
            (("parameter-enum-removed", OP_GAA, f"{q}.from", I, B),),
            before=(
                (GAA, 'Example: "2026-03-01"', 'Example: "2026-03-01"\n    Enum: "2026-03-01", "2026-04-01"'),
            ),
        ),
        Plant(
            "parameter-nullable-added",
            ((GAA, "`from` (string)", "`from` (string,null)"),),
            (("parameter-nullable-added", OP_GAA, f"{q}.from", I, B),),
        ),
        Plant(
            "parameter-nullable-removed",
            ((GAA, "`from` (string,null)", "`from` (string)"),),
            (("parameter-nullable-removed", OP_GAA, f"{q}.from", B, I),),
            before=((GAA, "`from` (string)", "`from` (string,null)"),),
        ),
        Plant(
            "parameter-location-changed",
            ((GSP, "## Header parameters:", "## Query parameters:"),),
            (("parameter-location-changed", OP_GSP, "request.query.X-Request-ID", B, B),),
        ),
        # request fields
        Plant(
            "request-property-added-required",
            (
                (
                    PSP,
                    "## Request fields (application/json):\n\n",
                    "## Request fields (application/json):\n\n  - `urgency` (integer, required)\n    How urgent.\n\n",
                ),
            ),
            (("request-property-added-required", OP_PSP, f"{body}.urgency", B, W),),
        ),
        Plant(
            "request-property-added-optional",
            (
                (
                    PSP,
                    "## Request fields (application/json):\n\n",
                    "## Request fields (application/json):\n\n  - `urgency` (integer)\n    How urgent.\n\n",
                ),
            ),
            (("request-property-added-optional", OP_PSP, f"{body}.urgency", I, W),),
        ),
        Plant(
            "request-property-removed-required",
            (
                (
                    PSP,
                    '  - `serviceId` (string, required)\n    The service at fault.\n    Example: "BBEU12345678"\n\n',
                    "",
                ),
            ),
            (("request-property-removed-required", OP_PSP, f"{body}.serviceId", W, B),),
        ),
        Plant(
            "request-property-removed-optional",
            (
                (
                    PSP,
                    "\n\n  - `diagnostics.raw` (any)\n    The tester's own output, passed through untouched.",
                    "",
                ),
            ),
            (("request-property-removed-optional", OP_PSP, f"{body}.diagnostics.raw", W, I),),
        ),
        Plant(
            "request-property-became-required",
            ((PSP, "`contacts.phones.kind` (string)", "`contacts.phones.kind` (string, required)"),),
            (("request-property-became-required", OP_PSP, f"{body}.contacts[*].phones[*].kind", B, I),),
        ),
        Plant(
            "request-property-became-optional",
            ((PSP, "`category` (string, required)", "`category` (string)"),),
            (("request-property-became-optional", OP_PSP, f"{body}.category", I, B),),
        ),
        Plant(
            "request-property-type-narrowed",
            ((PSP, "`diagnostics.raw` (any)", "`diagnostics.raw` (string)"),),
            (("request-property-type-narrowed", OP_PSP, f"{body}.diagnostics.raw", B, I),),
        ),
        Plant(
            "request-property-type-widened",
            (
                (
                    PSP,
                    "`diagnostics.tests.reading` (integer,null)",
                    "`diagnostics.tests.reading` (number,null)",
                ),
            ),
            (("request-property-type-widened", OP_PSP, f"{body}.diagnostics.tests[*].reading", I, B),),
            before=(
                (
                    PSP,
                    "`diagnostics.tests.reading` (number,null)",
                    "`diagnostics.tests.reading` (integer,null)",
                ),
            ),
        ),
        Plant(
            "request-property-type-changed",
            (
                (
                    PSP,
                    "`diagnostics.tests.passed` (boolean, required)",
                    "`diagnostics.tests.passed` (string, required)",
                ),
            ),
            (("request-property-type-changed", OP_PSP, f"{body}.diagnostics.tests[*].passed", B, B),),
        ),
        Plant(
            "request-property-format-added",
            ((PSP, 'Example: "L-1"', f"Example: {UUID}"),),
            (("request-property-format-added", OP_PSP, f"{body}.lineUuid", B, I),),
            before=(
                (
                    PSP,
                    "## Request fields (application/json):\n\n",
                    '## Request fields (application/json):\n\n  - `lineUuid` (string)\n    Example: "L-1"\n\n',
                ),
            ),
        ),
        Plant(
            "request-property-format-removed",
            ((PSP, f"Example: {UUID}\n\n  - `serviceId`", 'Example: "L-1"\n\n  - `serviceId`'),),
            (("request-property-format-removed", OP_PSP, f"{body}.lineUuid", I, B),),
            before=(
                (
                    PSP,
                    "## Request fields (application/json):\n\n",
                    f"## Request fields (application/json):\n\n  - `lineUuid` (string)\n    Example: {UUID}\n\n",
                ),
            ),
        ),
        Plant(
            "request-property-enum-value-added",
            (
                (
                    PSP,
                    '"NO_SERVICE", "INTERMITTENT", "SLOW_SPEED"',
                    '"NO_SERVICE", "INTERMITTENT", "SLOW_SPEED", "NOISY_LINE"',
                ),
            ),
            (("request-property-enum-value-added", OP_PSP, f"{body}.category", I, B),),
        ),
        Plant(
            "request-property-enum-value-removed",
            ((PSP, '"NO_SERVICE", "INTERMITTENT", "SLOW_SPEED"', '"NO_SERVICE", "INTERMITTENT"'),),
            (("request-property-enum-value-removed", OP_PSP, f"{body}.category", B, I),),
        ),
        Plant(
            "request-property-enum-added",
            (
                (
                    PSP,
                    "`contacts.phones.kind` (string)\n",
                    '`contacts.phones.kind` (string)\n    Enum: "MOBILE", "LANDLINE"\n',
                ),
            ),
            (("request-property-enum-added", OP_PSP, f"{body}.contacts[*].phones[*].kind", B, I),),
            before=(
                (
                    PSP,
                    '`contacts.phones.kind` (string)\n    Enum: "MOBILE", "LANDLINE"\n',
                    "`contacts.phones.kind` (string)\n",
                ),
            ),
        ),
        Plant(
            "request-property-enum-removed",
            (
                (
                    PSP,
                    '`contacts.phones.kind` (string)\n    Enum: "MOBILE", "LANDLINE"\n',
                    "`contacts.phones.kind` (string)\n",
                ),
            ),
            (("request-property-enum-removed", OP_PSP, f"{body}.contacts[*].phones[*].kind", I, B),),
        ),
        Plant(
            "request-property-nullable-added",
            ((PSP, "`contacts.name` (string, required)", "`contacts.name` (string,null, required)"),),
            (("request-property-nullable-added", OP_PSP, f"{body}.contacts[*].name", I, B),),
        ),
        Plant(
            "request-property-nullable-removed",
            ((PSP, "`diagnostics.tests.reading` (number,null)", "`diagnostics.tests.reading` (number)"),),
            (("request-property-nullable-removed", OP_PSP, f"{body}.diagnostics.tests[*].reading", B, I),),
        ),
        # response fields
        Plant(
            "response-property-added-required",
            (
                (
                    GSP,
                    "## Response 200 fields (application/json):\n\n",
                    "## Response 200 fields (application/json):\n\n  - `severity` (string, required)\n    How bad.\n\n",
                ),
            ),
            (("response-property-added-required", OP_GSP, f"{resp}.severity", I, B),),
        ),
        Plant(
            "response-property-added-optional",
            (
                (
                    GSP,
                    "## Response 200 fields (application/json):\n\n",
                    "## Response 200 fields (application/json):\n\n  - `severity` (string)\n    How bad.\n\n",
                ),
            ),
            (("response-property-added-optional", OP_GSP, f"{resp}.severity", I, I),),
        ),
        Plant(
            "response-property-removed-required",
            (
                (
                    GSP,
                    "  - `escalated` (boolean, required)\n    Whether the problem was escalated under the SLA.\n    Example: false\n\n",
                    "",
                ),
            ),
            (("response-property-removed-required", OP_GSP, f"{resp}.escalated", B, I),),
        ),
        Plant(
            "response-property-removed-optional",
            (
                (
                    GSP,
                    "  - `estimatedFixHours` (number)\n    Hours until the supplier expects a fix.\n    Example: 4.5\n\n",
                    "",
                ),
            ),
            (("response-property-removed-optional", OP_GSP, f"{resp}.estimatedFixHours", W, I),),
        ),
        Plant(
            "response-property-became-required",
            ((GSP, "`priority` (integer)", "`priority` (integer, required)"),),
            (("response-property-became-required", OP_GSP, f"{resp}.priority", I, B),),
        ),
        Plant(
            "response-property-became-optional",
            ((GSP, "`escalated` (boolean, required)", "`escalated` (boolean)"),),
            (("response-property-became-optional", OP_GSP, f"{resp}.escalated", B, I),),
        ),
        Plant(
            "response-property-type-narrowed",
            ((GSP, "`estimatedFixHours` (number)", "`estimatedFixHours` (integer)"),),
            (("response-property-type-narrowed", OP_GSP, f"{resp}.estimatedFixHours", I, B),),
        ),
        Plant(
            "response-property-type-widened",
            ((GSP, "`estimatedFixHours` (integer)", "`estimatedFixHours` (number)"),),
            (("response-property-type-widened", OP_GSP, f"{resp}.estimatedFixHours", B, I),),
            before=((GSP, "`estimatedFixHours` (number)", "`estimatedFixHours` (integer)"),),
        ),
        Plant(
            "response-property-type-changed",
            ((GSP, "`escalated` (boolean, required)", "`escalated` (string, required)"),),
            (("response-property-type-changed", OP_GSP, f"{resp}.escalated", B, B),),
        ),
        Plant(
            "response-property-format-removed",
            (
                (
                    SO,
                    '## Response 400 fields (application/json): - `uuid` (string, required) Unique identifier of this error - for tracing purposes Example: "87432dfb-2e47-4532-a1b7-4b113d48867d"',
                    "## Response 400 fields (application/json): - `uuid` (string, required) Unique identifier of this error - for tracing purposes",
                ),
            ),
            (("response-property-format-removed", OP_SO, "response.400.body.$.uuid", B, I),),
        ),
        Plant(
            "response-property-format-added",
            (
                (
                    SO,
                    "## Response 400 fields (application/json): - `uuid` (string, required) Unique identifier of this error - for tracing purposes -",
                    '## Response 400 fields (application/json): - `uuid` (string, required) Unique identifier of this error - for tracing purposes Example: "87432dfb-2e47-4532-a1b7-4b113d48867d" -',
                ),
            ),
            (("response-property-format-added", OP_SO, "response.400.body.$.uuid", I, B),),
            before=(
                (
                    SO,
                    '## Response 400 fields (application/json): - `uuid` (string, required) Unique identifier of this error - for tracing purposes Example: "87432dfb-2e47-4532-a1b7-4b113d48867d"',
                    "## Response 400 fields (application/json): - `uuid` (string, required) Unique identifier of this error - for tracing purposes",
                ),
            ),
        ),
        Plant(
            "response-property-enum-value-added",
            ((GSP, '"RESOLVED", "REOPENED", "CLOSED"', '"RESOLVED", "REOPENED", "CLOSED", "CANCELLED"'),),
            (("response-property-enum-value-added", OP_GSP, f"{resp}.status", W, I),),
        ),
        Plant(
            "response-property-enum-value-removed",
            ((GSP, '"RESOLVED", "REOPENED", "CLOSED"', '"RESOLVED", "REOPENED"'),),
            (("response-property-enum-value-removed", OP_GSP, f"{resp}.status", I, B),),
        ),
        Plant(
            "response-property-enum-added",
            ((GSP, "    One is the most urgent.\n", "    One is the most urgent.\n    Enum: 1, 2, 3, 4\n"),),
            (("response-property-enum-added", OP_GSP, f"{resp}.priority", I, B),),
            before=(
                (GSP, "    One is the most urgent.\n    Enum: 1, 2, 3, 4\n", "    One is the most urgent.\n"),
            ),
        ),
        Plant(
            "response-property-enum-removed",
            ((GSP, "    One is the most urgent.\n    Enum: 1, 2, 3, 4\n", "    One is the most urgent.\n"),),
            (("response-property-enum-removed", OP_GSP, f"{resp}.priority", W, I),),
        ),
        Plant(
            "response-property-nullable-added",
            ((GSP, "`estimatedFixHours` (number)", "`estimatedFixHours` (number,null)"),),
            (("response-property-nullable-added", OP_GSP, f"{resp}.estimatedFixHours", B, I),),
        ),
        Plant(
            "response-property-nullable-removed",
            ((GSP, "`appointment` (object,null)", "`appointment` (object)"),),
            (("response-property-nullable-removed", OP_GSP, f"{resp}.appointment", I, B),),
        ),
    ]


def _other_plants() -> list[Plant]:
    dar = (CORPUS / "fibre-cafe" / "delete-appointment-reservation.md").read_text(encoding="utf-8")
    security = "Version: 2.0\nSecurity: oauth2\n"
    return [
        Plant(
            "operation-added",
            (("delete-appointment-reservation.md", CREATE, dar),),
            (("operation-added", "DELETE /appointment-reservations/{reservationId}", "operation", I, B),),
        ),
        Plant(
            "operation-removed", ((GAA, DELETE, None),), (("operation-removed", OP_GAA, "operation", B, I),)
        ),
        Plant(
            "operation-version-changed",
            ((SO, "Version: 1.17", "Version: 1.18"),),
            (("operation-version-changed", OP_SO, "version", I, I),),
        ),
        Plant(
            "request-body-added",
            (
                (
                    GSP,
                    "## Path parameters:",
                    "## Request fields (application/json):\n\n  - `reason` (string)\n\n## Path parameters:",
                ),
            ),
            (("request-body-added", OP_GSP, "request.body", B, W),),
        ),
        Plant(
            "request-body-removed",
            (
                (
                    GSP,
                    "## Request fields (application/json):\n\n  - `reason` (string)\n\n## Path parameters:",
                    "## Path parameters:",
                ),
            ),
            (("request-body-removed", OP_GSP, "request.body", W, B),),
            before=(
                (
                    GSP,
                    "## Path parameters:",
                    "## Request fields (application/json):\n\n  - `reason` (string)\n\n## Path parameters:",
                ),
            ),
        ),
        Plant(
            "request-media-type-replaced",
            (
                (
                    PSP,
                    "## Request fields (application/json):",
                    "## Request fields (application/merge-patch+json):",
                ),
            ),
            (
                ("request-media-type-added", OP_PSP, "request.body.application/merge-patch+json", I, B),
                ("request-media-type-removed", OP_PSP, "request.body.application/json", B, I),
            ),
        ),
        Plant(
            "response-status-added",
            ((GSP, "## Response 403 fields", "## Response 409 fields\n\n## Response 403 fields"),),
            (("response-status-added", OP_GSP, "response.409", W, I),),
        ),
        Plant(
            "response-status-removed",
            ((GSP, "## Response 403 fields\n\n", ""),),
            (("response-status-removed", OP_GSP, "response.403", I, B),),
        ),
        Plant(
            "response-media-type-added",
            ((GSP, "## Response 503 fields", "## Response 503 fields (application/json):"),),
            (("response-media-type-added", OP_GSP, "response.503.body.application/json", W, I),),
        ),
        Plant(
            "response-media-type-removed",
            ((GSP, "## Response 503 fields (application/json):", "## Response 503 fields"),),
            (("response-media-type-removed", OP_GSP, "response.503.body.application/json", I, B),),
            before=((GSP, "## Response 503 fields", "## Response 503 fields (application/json):"),),
        ),
        Plant(
            "security-added",
            ((GSP, "Version: 2.0\n", security),),
            (("security-added", OP_GSP, "security", B, B),),
            before=((GSP, security, "Version: 2.0\n"),),
        ),
        Plant(
            "security-removed",
            ((GSP, security, "Version: 2.0\n"),),
            (("security-removed", OP_GSP, "security", I, B),),
        ),
        Plant(
            "security-scheme-added",
            ((GSP, "Security: oauth2", "Security: oauth2, X-Api-Key"),),
            (("security-scheme-added", OP_GSP, "security.X-Api-Key", I, B),),
        ),
        Plant(
            "security-scheme-removed",
            ((GSP, "Security: oauth2, X-Api-Key", "Security: oauth2"),),
            (("security-scheme-removed", OP_GSP, "security.X-Api-Key", B, I),),
            before=((GSP, "Security: oauth2", "Security: oauth2, X-Api-Key"),),
        ),
        Plant(
            "security-scheme-changed",
            (("api.json", '"slug": "fibre-cafe"', '"slug": "fibre-cafe", "token_url": "/oauth2/v2/token"'),),
            tuple(("security-scheme-changed", op, "security.oauth2", B, B) for op in OPS),
        ),
    ]


def _quiet_plants() -> list[Plant]:
    """Edits that look like more than they are: each must give exactly what it says, or nothing."""
    return [
        Plant(
            "path-parameter-renamed",  # the same URL: nothing changes for anyone
            (
                (GSP, "Endpoint: GET /service-problems/{id}", "Endpoint: GET /service-problems/{problemId}"),
                (
                    GSP,
                    "## Path parameters:\n\n  - `id` (string, required)",
                    "## Path parameters:\n\n  - `problemId` (string, required)",
                ),
            ),
            (),
        ),
        Plant(
            "object-became-array",  # one change, not its fields removed and added again
            ((PSP, "`diagnostics` (object)", "`diagnostics` (array)"),),
            (("request-property-type-changed", OP_PSP, "request.body.$.diagnostics", B, B),),
        ),
        Plant(
            "header-name-case",  # header names are case-insensitive
            ((GSP, "`X-Request-ID` (string, required)", "`X-Request-Id` (string, required)"),),
            (),
        ),
        Plant(
            "descriptions-and-examples",  # prose is not contract
            (
                (
                    GSP,
                    "Hours until the supplier expects a fix.\n    Example: 4.5",
                    "Hours to a fix.\n    Example: 7.25",
                ),
            ),
            (),
        ),
    ]


PLANTS = [*_slot_plants(), *_other_plants(), *_quiet_plants()]
