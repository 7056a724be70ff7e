"""Faulty variants of impl_strict / impl_lenient: each ships ONE realistic defect on
POST /service-problem-amendments (none of them one of fcvalidate/server/faults.py's).

Each variant is impl_strict with one function changed (or wrapped); `APPS` maps a fault's name to its ASGI
app. The requirement each breaks, and why, is in test_faulty_independent.py.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.independent import impl_lenient, impl_strict
from tests.independent._kit import (
    CHARACTERISTIC_FIELDS,
    CONTACT_FIELDS,
    SERVICE_PROBLEMS,
    SPA_FIELDS,
    SPA_REQUIRED,
    TOKEN,
    error,
    json_response,
)

Handler = Callable[[Request], Awaitable[Response]]


def _app(spa: Handler, base: Any = impl_strict) -> Starlette:
    return Starlette(
        routes=[
            Route("/service-problem-amendments", spa, methods=["POST"]),
            Route("/service-orders", base.service_orders, methods=["POST"]),
            Route("/service-order-amendments", base.service_order_amendments, methods=["POST"]),
        ]
    )


async def _strict_spa(
    request: Request,
    *,
    problems_of: Callable[[dict], list[str]] | None = None,
    owner_check: Callable[[dict, Request], bool] | None = None,
    answer_of: Callable[[dict], Response] | None = None,
) -> Response:
    """impl_strict.service_problem_amendments, with its validation, ownership check or answer swappable."""
    refused, body = await impl_strict._front(request, ("X-Request-ID", "X-Conversation-ID", "Tenant"))
    if refused:
        return refused
    problems = (problems_of or (lambda b: impl_strict._closed(b, SPA_FIELDS, SPA_REQUIRED, "")))(body)
    if problems:
        return error(400, "INVALID_REQUEST", *problems)
    owned = owner_check or (lambda b, r: SERVICE_PROBLEMS.get(b["serviceProblemId"]) == r.headers["Tenant"])
    if not owned(body, request):
        return error(422, "NOT_FOUND", f"Service problem {body['serviceProblemId']} not found")
    if answer_of:
        return answer_of(body)
    answer = dict(body)
    answer.setdefault("supplierReference", f"SI_RE{next(impl_strict._ids)}")
    return json_response(answer, 201)


def _with(**changes: Any) -> Handler:
    async def spa(request: Request) -> Response:
        return await _strict_spa(request, **changes)

    return spa


# --- invalid-requests: validation gaps -------------------------------------------------------------------


def _items_coerced(body: dict) -> list[str]:
    """characteristics[].name/value are str()-ed before validation (a form-style binder): a number or a
    boolean inside an array item passes; the same wrong type at the top level is still refused."""
    chars = body.get("characteristics")
    if isinstance(chars, list):
        for item in chars:
            if isinstance(item, dict):
                for k in CHARACTERISTIC_FIELDS:
                    if k in item and isinstance(item[k], (int, float, bool)):
                        item[k] = str(item[k])
    return impl_strict._closed(body, SPA_FIELDS, SPA_REQUIRED, "")


def _secondary_open(body: dict) -> list[str]:
    """secondaryContact's required name/phoneNumber are not enforced (only primaryContact's are)."""
    return [
        p
        for p in impl_strict._closed(body, SPA_FIELDS, SPA_REQUIRED, "")
        if not p.startswith("Missing required field secondaryContact.")
    ]


def _null_as_absent_ok(body: dict) -> list[str]:
    """null counts as "present" for a required field (`"id": null` passes the required check, and the type
    check skips nulls)."""

    def strip(obj: dict, fields: dict[str, str]) -> None:
        for name in list(obj):
            if obj[name] is None and name in fields:
                obj[name] = "" if fields[name] == "string" else 0
            elif isinstance(obj[name], dict) and fields.get(name) == "contact":
                strip(obj[name], CONTACT_FIELDS)

    copy = json.loads(json.dumps(body))
    strip(copy, SPA_FIELDS)
    return impl_strict._closed(copy, SPA_FIELDS, SPA_REQUIRED, "")


def _contact_email_typed_only_primary(body: dict) -> list[str]:
    """primaryContact.phoneNumber may be a number (digits): the phone field is "normalised" with str()."""
    contact = body.get("primaryContact")
    if isinstance(contact, dict) and isinstance(contact.get("phoneNumber"), (int, float)):
        contact["phoneNumber"] = str(contact["phoneNumber"])
    return impl_strict._closed(body, SPA_FIELDS, SPA_REQUIRED, "")


# --- valid-requests: success answers ---------------------------------------------------------------------


def _minimal_without_id(body: dict) -> Response:
    """201 without the required `id` when the request carried only the required fields."""
    answer = {
        "serviceProblemId": body["serviceProblemId"],
        "supplierReference": f"SI_RE{next(impl_strict._ids)}",
    }
    if set(body) - set(SPA_REQUIRED):
        answer = {**body, **answer}
    return json_response(answer, 201)


def _big_numbers_as_strings(body: dict) -> Response:
    """numbers beyond 2**31 are echoed as strings (a 32-bit column type widened on output)."""
    answer = {
        k: (str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) >= 2**31 else v)
        for k, v in body.items()
    }
    answer.setdefault("supplierReference", f"SI_RE{next(impl_strict._ids)}")
    return json_response(answer, 201)


def _escalation_200(body: dict) -> Response:
    """an escalation is answered 200 (an "update") instead of 201."""
    answer = dict(body)
    answer.setdefault("supplierReference", f"SI_RE{next(impl_strict._ids)}")
    return json_response(answer, 200 if body.get("escalationRequest") is True else 201)


def _contact_echo_without_phone(body: dict) -> Response:
    """the echoed primaryContact drops phoneNumber (not stored), which the 201 document marks required."""
    answer = dict(body)
    if isinstance(answer.get("primaryContact"), dict):
        answer["primaryContact"] = {k: v for k, v in answer["primaryContact"].items() if k != "phoneNumber"}
    answer.setdefault("supplierReference", f"SI_RE{next(impl_strict._ids)}")
    return json_response(answer, 201)


# --- tenant-isolation ------------------------------------------------------------------------------------


def _owner_skipped_by_reference(body: dict, request: Request) -> bool:
    """with the supplier's own supplierServiceProblemReference the lookup goes by that reference, which is
    global: the Tenant is not checked."""
    if "supplierServiceProblemReference" in body:
        return True
    return SERVICE_PROBLEMS.get(body["serviceProblemId"]) == request.headers["Tenant"]


def _owner_case_prefix(body: dict, request: Request) -> bool:
    """the owner is compared by prefix (`TENANT1`.startswith(header)): a Tenant that is a prefix of the owner's
    name, such as `TENANT` or the empty string, passes."""
    owner = SERVICE_PROBLEMS.get(body["serviceProblemId"])
    return owner is not None and owner.startswith(request.headers["Tenant"])


# --- error-body ------------------------------------------------------------------------------------------

_FIXED_UUID = str(uuid.uuid4())


def _wrap_errors(change: Callable[[Response], Response]) -> Handler:
    async def spa(request: Request) -> Response:
        answer = await impl_strict.service_problem_amendments(request)
        return change(answer) if answer.status_code >= 400 else answer

    return spa


def _rebody(answer: Response, edit: Callable[[dict], dict], media: str = "application/json") -> Response:
    body = edit(json.loads(answer.body))
    content = json.dumps(body).encode()
    return Response(content, answer.status_code, media_type=media)


def _messages_empty(answer: Response) -> Response:
    """`messages: []`: the reasons are logged, not returned ("returned with reason(s) for the rejection")."""
    return _rebody(answer, lambda b: {**b, "messages": []})


def _uuid_reused(answer: Response) -> Response:
    """every error carries the same uuid (one generated at start-up), though each is "Unique identifier of this
    error"."""
    return _rebody(answer, lambda b: {**b, "uuid": _FIXED_UUID})


def _error_code_key(answer: Response) -> Response:
    """422 business rejections carry their code under `errorCode` (another team's error model)."""
    if answer.status_code != 422:
        return answer
    return _rebody(answer, lambda b: {"uuid": b["uuid"], "errorCode": b["code"], "messages": b["messages"]})


def _html_400(answer: Response) -> Response:
    """400s for field validation come from the web tier's error page: Content-Type text/html (JSON inside)."""
    if answer.status_code != 400 or b"INVALID_REQUEST" not in answer.body:
        return answer
    return _rebody(answer, lambda b: b, media="text/html")


# --- authorisation ---------------------------------------------------------------------------------------


def _auth_wrapped(check: Callable[[Request], Response | None]) -> Handler:
    async def spa(request: Request) -> Response:
        refused = check(request)
        if refused is not None:
            return refused
        # the token passed this supplier's own check: present the real one to impl_strict
        request.scope["headers"] = [(k, v) for k, v in request.scope["headers"] if k != b"authorization"] + [
            (b"authorization", f"Bearer {TOKEN}".encode())
        ]
        if hasattr(request, "_headers"):
            del request._headers
        return await impl_strict.service_problem_amendments(request)

    return spa


def _token_prefix(request: Request) -> Response | None:
    """the token is compared by prefix (a fixed-length compare of the stored token): TOKEN + anything passes."""
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if not auth:
        return error(401, "NOT_AUTHORISED", "Missing bearer token")
    if scheme.lower() != "bearer" or not token.strip().startswith(TOKEN):
        return error(401, "NOT_AUTHORISED", "Invalid bearer token")
    return None


def _any_scheme(request: Request) -> Response | None:
    """the scheme word is not checked: `Basic <token>`, `Token <token>` or a bare token all pass."""
    auth = request.headers.get("authorization", "")
    if not auth:
        return error(401, "NOT_AUTHORISED", "Missing bearer token")
    if auth.split(" ", 1)[-1].strip() != TOKEN:
        return error(401, "NOT_AUTHORISED", "Invalid bearer token")
    return None


def _missing_403(request: Request) -> Response | None:
    """no Authorization header → 403 with no body (the gateway's WAF rule); a wrong token → 401 as documented."""
    auth = request.headers.get("authorization")
    if auth is None:
        return Response(status_code=403)
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or token.strip() != TOKEN:
        return error(401, "NOT_AUTHORISED", "Invalid bearer token")
    return None


# --- no-server-errors ------------------------------------------------------------------------------------


def _crash_when(predicate: Callable[[bytes, Request], bool], base: Any = impl_strict) -> Handler:
    async def spa(request: Request) -> Response:
        raw = await request.body()
        if predicate(raw, request):
            return error(500, "SUPPLIER_FAULT", "Internal error")  # the unhandled exception's handler
        return await base.service_problem_amendments(request)

    return spa


def _has_emoji(raw: bytes, request: Request) -> bool:
    """a 4-byte UTF-8 character (emoji, astral plane) in the body: a utf8 (3-byte) MySQL column refuses it."""
    text = raw.decode("utf-8", "replace")
    if any(ord(c) > 0xFFFF for c in text):
        return True
    try:
        return any(ord(c) > 0xFFFF for c in json.dumps(json.loads(raw), ensure_ascii=False))
    except ValueError:
        return False


def _over_255(raw: bytes, request: Request) -> bool:
    """a string field longer than 255 characters overflows a VARCHAR(255) column."""
    try:
        body = json.loads(raw)
    except ValueError:
        return False

    def walk(v: Any) -> bool:
        if isinstance(v, str):
            return len(v) > 255
        if isinstance(v, dict):
            return any(walk(x) for x in v.values())
        if isinstance(v, list):
            return any(walk(x) for x in v)
        return False

    return walk(body)


def _duplicate_keys(raw: bytes, request: Request) -> bool:
    """a JSON object with the same key twice trips the streaming parser."""
    seen_dup = False

    def hook(pairs: list[tuple[str, Any]]) -> dict:
        nonlocal seen_dup
        if len({k for k, _ in pairs}) != len(pairs):
            seen_dup = True
        return dict(pairs)

    try:
        json.loads(raw, object_pairs_hook=hook)
    except ValueError:
        return False
    return seen_dup


def _many_characteristics(raw: bytes, request: Request) -> bool:
    """more than 3 characteristics overflow a fixed-size array in the mapping layer."""
    try:
        body = json.loads(raw)
    except ValueError:
        return False
    return (
        isinstance(body, dict)
        and isinstance(body.get("characteristics"), list)
        and len(body["characteristics"]) > 3
    )


def _bigint(raw: bytes, request: Request) -> bool:
    """a number beyond a signed 64-bit integer overflows the BIGINT id column."""
    try:
        body = json.loads(raw)
    except ValueError:
        return False
    if not isinstance(body, dict):
        return False
    return any(
        isinstance(body.get(k), (int, float)) and not isinstance(body.get(k), bool) and abs(body[k]) >= 2**63
        for k in ("id", "serviceProblemId", "appointmentReservationId")
    )


def _long_header(raw: bytes, request: Request) -> bool:
    """a header value over 255 characters overflows the audit log's column (lenient accepts any value)."""
    return any(len(request.headers.get(h, "")) > 255 for h in ("x-request-id", "x-conversation-id", "tenant"))


APPS: dict[str, Starlette] = {
    # invalid-requests
    "array-item-wrong-type": _app(_with(problems_of=_items_coerced)),
    "secondary-contact-unchecked": _app(_with(problems_of=_secondary_open)),
    "null-for-required": _app(_with(problems_of=_null_as_absent_ok)),
    "nested-number-for-string": _app(_with(problems_of=_contact_email_typed_only_primary)),
    # valid-requests
    "minimal-201-without-id": _app(_with(answer_of=_minimal_without_id)),
    "big-numbers-as-strings": _app(_with(answer_of=_big_numbers_as_strings)),
    "escalation-200": _app(_with(answer_of=_escalation_200)),
    "echo-contact-without-phone": _app(_with(answer_of=_contact_echo_without_phone)),
    # tenant-isolation
    "tenant-skipped-by-reference": _app(_with(owner_check=_owner_skipped_by_reference)),
    "tenant-prefix": _app(_with(owner_check=_owner_case_prefix)),
    # error-body
    "messages-empty": _app(_wrap_errors(_messages_empty)),
    "uuid-reused": _app(_wrap_errors(_uuid_reused)),
    "errorCode-on-422": _app(_wrap_errors(_error_code_key)),
    "html-400": _app(_wrap_errors(_html_400)),
    # authorisation
    "token-prefix": _app(_auth_wrapped(_token_prefix)),
    "any-scheme": _app(_auth_wrapped(_any_scheme)),
    "missing-token-403": _app(_auth_wrapped(_missing_403)),
    # no-server-errors
    "crash-on-emoji": _app(_crash_when(_has_emoji)),
    "crash-over-255": _app(_crash_when(_over_255)),
    "crash-on-duplicate-keys": _app(_crash_when(_duplicate_keys)),
    "crash-on-4-characteristics": _app(_crash_when(_many_characteristics)),
    "crash-on-bigint": _app(_crash_when(_bigint)),
    "crash-on-long-header": _app(_crash_when(_long_header, impl_lenient), impl_lenient),
}
