"""The exchange model every stage stands on: a `Case` (one request and what must happen to it), the
`Response` that came back, the `Exchange` of both, and the `Source` clause each rule came from.

Pure data, no IO. A case never holds a credential: `auth` says which kind the transport adds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from fcvalidate.requirements import RequirementId


def is_success(status: int) -> bool:
    """A 2xx: the one definition of "the implementation accepted it"."""
    return 200 <= status < 300


@dataclass(frozen=True, slots=True)
class Source:
    """Where a rule comes from: `FILE:LINE:COL` and the clause, quoted."""

    at: str
    clause: str

    def __str__(self) -> str:
        return f"{self.at}: {self.clause}"


NO_SOURCE = Source("", "")


def source_of(node: Mapping[str, Any] | None) -> Source:
    """The `x-fc-source` a compiled contract puts on a node, or `NO_SOURCE`."""
    src = (node or {}).get("x-fc-source")
    if isinstance(src, Mapping):
        return Source(str(src.get("at", "")), str(src.get("clause", "")))
    return NO_SOURCE


Outcome = Literal[
    "success",  # a documented 2xx with a conforming body
    "rejected",  # a documented 4xx with a valid error body
    "unauthorised",  # 401 (or a documented 403 for a bad token)
    "not-success",  # anything but 2xx (another principal's request)
    "no-server-error",  # anything but 5xx (fuzzing, edge values)
    "method-refused",  # 405 preferred
    "like-parent",  # the same class of answer as the valid request it was derived from
]
# extended: the real credential, one character more; not-base64 and no-colon: a malformed HTTP Basic one
Auth = Literal["valid", "none", "invalid", "extended", "not-base64", "no-colon"]

CaseKind = Literal[
    "valid",
    "edge",
    "missing-header",
    "header-case",
    "no-token",
    "bad-token",
    "malformed",
    "not-object",
    "invalid",
    "fuzz",
    "foreign",
    "method",
    "unknown-resource",
    # boundaries and near misses (engine/boundaries.py), credentials in other places (engine/credential_places.py)
    "boundary",
    "out-of-range",
    "near-miss",
    "assigned",
    "path-number",
    "optional-parameters",
    "credential-place",
    "credential-case",
    # paging (engine/paging.py): limits 1 and 2, and the page a last-page marker leads to
    "paging",
    "next-page",
]


@dataclass(frozen=True, slots=True)
class Expect:
    outcome: Outcome
    codes: tuple[str, ...] = ()  # error codes that satisfy the expectation (empty: any of the enum)
    statuses: tuple[int, ...] = ()  # statuses that satisfy it (empty: any documented one)
    # Judged on its own requirement only: the request may never reach the operation (an odd path value
    # a route pattern refuses, an encoded slash a framework decodes and re-routes), so the operation's
    # other rules, such as its error body, do not apply to whatever answers it.
    sole: bool = False


@dataclass(frozen=True, slots=True)
class Defect:
    """The one thing wrong with an invalid request, and where."""

    kind: Literal[
        "missing-required",
        "wrong-type",
        "null-not-allowed",
        "not-in-enum",
        "missing-header",
        "missing-query-parameter",
        "not-json",
        "not-an-object",
        "out-of-range",
        "enum-normalised",  # a member in another case or padded (convention json-schema.enum-not-normalised)
    ]
    location: str  # request.body.$.primaryContact.name / request.header.Tenant / request.query.days
    description: str


@dataclass(frozen=True, slots=True)
class Credential:
    """How the transport delivers the credential of a case: a bearer token in Authorization, HTTP Basic
    credentials in Authorization, or an API key (`scheme` is its security scheme's name) in the named
    header, query parameter or cookie."""

    kind: Literal["bearer", "api-key", "basic"] = "bearer"
    scheme: str = ""
    location: Literal["header", "query", "cookie"] = "header"
    parameter: str = "Authorization"
    # more names the same value is sent under, in `location` (a key also tried as `?api_key=`); a bearer
    # token outside its header is sent bare, as RFC 6750 §2.3's `access_token`
    aliases: tuple[str, ...] = ()


BEARER = Credential()


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    operation: str  # "POST /service-orders"
    requirement: RequirementId
    kind: CaseKind
    title: str
    method: str
    path: str  # the concrete path: path parameters substituted and percent-encoded
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    expect: Expect
    source: Source
    auth: Auth = "valid"
    content_type: str | None = "application/json"
    defect: Defect | None = None
    parent: str | None = None  # the valid case this one was derived from
    query: tuple[tuple[str, str], ...] = ()  # in order; a name may repeat (an exploded array)
    cookies: tuple[tuple[str, str], ...] = ()
    credential: Credential = BEARER  # where the credential goes (`auth` says whether and which)

    @property
    def json_body(self) -> Any:
        """The body as JSON, or `NOT_JSON`."""
        if self.body is None:
            return NOT_JSON
        try:
            return json.loads(self.body)
        except ValueError:
            return NOT_JSON


class _NotJson:
    def __repr__(self) -> str:
        return "NOT_JSON"


NOT_JSON: Any = _NotJson()


def dump_json(value: Any) -> bytes:
    """Serialise a body the way every case does: compact, key order kept, non-ASCII as UTF-8."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    elapsed: float
    truncated: bool = False
    http_version: str = "HTTP/1.1"

    @property
    def ok(self) -> bool:
        return is_success(self.status)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @property
    def media_type(self) -> str | None:
        value = self.header("content-type")
        return value.split(";")[0].strip().lower() if value else None


@dataclass(frozen=True, slots=True)
class Exchange:
    """A case as sent, and what came back: a response, or the transport failure in one sentence."""

    case: Case
    url: str
    response: Response | None
    error: str | None = None
    sent: bool = True  # False: the request could not even be built (a generated header httpx refuses)
