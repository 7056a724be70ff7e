"""Exchanges as report data: redacted request and response, and an exact curl reproducer.

Secrets are removed here, once: a credential never reaches a report, the console or a reproducer.
"""

from __future__ import annotations

import base64
import shlex
from collections.abc import Mapping, Sequence
from typing import Any

from fcvalidate.engine import basic
from fcvalidate.engine.transport import build_headers
from fcvalidate.exchange import Case, Exchange, Response

REDACTED = "***"
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"})
MIN_SCRUBBED = 4  # a shorter "secret" matches ordinary text; it is still redacted wherever it is sent


def scrub(text: str, secrets: Sequence[str]) -> str:
    """Replace every secret in a text (a server may echo a token back) with ***."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= MIN_SCRUBBED:
            text = text.replace(secret, REDACTED)
    return text


def redact_headers(headers: Mapping[str, str] | tuple[tuple[str, str], ...]) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    out = {}
    for name, value in items:
        if name.lower() in SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value else ""
            value = f"{scheme} {REDACTED}".strip()
        out[name] = value
    return out


def curl(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
    user: str | None = None,
    token_elsewhere: bool = False,
) -> str:
    """A POSIX-sh curl reproducer that sends exactly this request; the credential comes from
    $FCVALIDATE_TOKEN (or, given as `user`, an HTTP Basic `-u` argument reading $FCVALIDATE_BASIC), never
    from the report (unset, the shell says so and sends nothing).

    Exactness, where curl would otherwise change the request: `--globoff --path-as-is` keep the URL as
    is; an empty header value is written `-H 'Name;'` (curl drops `Name: `); when the case sends no
    Content-Type, `-H 'Content-Type:'` removes the one curl adds for a body; a body that is printable
    UTF-8 goes in `--data-raw '…'` (no `@file` interpretation), any other body (NUL or other binary
    bytes) is fed to `--data-binary @-` by `printf` with octal escapes, which every POSIX shell has.
    """
    parts = ["curl", "-i", "--globoff", "--path-as-is", "-X", shlex.quote(method), shlex.quote(url)]
    if token_elsewhere:  # the bearer token sent in the query or a cookie: from $FCVALIDATE_TOKEN there too
        parts[-1] = _with_token(url)
    if user is not None:  # curl builds `Authorization: Basic base64(user:password)` itself (RFC 7617)
        parts += ["-u", user]
    for name, value in headers.items():
        if user is None or name.lower() != "authorization":
            parts += ["-H", _header_argument(name, value, token_elsewhere)]
    if body is None:
        return " ".join(parts)
    if not any(name.lower() == "content-type" for name in headers):
        parts += ["-H", "'Content-Type:'"]
    text = _printable(body)
    if text is not None:
        return " ".join([*parts, "--data-raw", shlex.quote(text)])
    return f"printf '{_printf_escaped(body)}' | " + " ".join([*parts, "--data-binary", "@-"])


def _header_argument(name: str, value: str, token_elsewhere: bool) -> str:
    if token_elsewhere and REDACTED in value:
        return _with_token(f"{name}: {value}")
    if name.lower() == "authorization" and value.startswith(f"Bearer {REDACTED}"):
        rest = _double_quoted(value[len(f"Bearer {REDACTED}") :])  # the real token, one character more
        # unset or empty: the shell stops with this message instead of sending a request bound to a 401
        token = "${FCVALIDATE_TOKEN:?is unset: export FCVALIDATE_TOKEN=<bearer token>}"
        return f'"Authorization: Bearer {token}{rest}"'
    return shlex.quote(f"{name};" if value == "" else f"{name}: {value}")


def _token_elsewhere(case: Any) -> bool:
    """A case whose bearer token goes in the query or a cookie (a credential in the wrong place)."""
    via = case.credential
    return via.kind == "bearer" and via.location != "header" and case.auth == "valid"


def _with_token(text: str) -> str:
    """`text` double-quoted, each redacted credential in it read from $FCVALIDATE_TOKEN."""
    return '"' + _double_quoted(text).replace(REDACTED, "${FCVALIDATE_TOKEN}") + '"'


def _double_quoted(text: str) -> str:
    """`text` safe inside a POSIX shell's double quotes."""
    return "".join("\\" + c if c in '\\"$`' else c for c in text)


_KEEP = frozenset("\t\n\r")


def _printable(body: bytes) -> str | None:
    """The body as text when a shell argument can carry it exactly: UTF-8 without control characters."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any((ord(c) < 32 and c not in _KEEP) or ord(c) == 127 for c in text):
        return None
    return text


def _printf_escaped(body: bytes) -> str:
    """A printf format (inside single quotes) that prints exactly `body`: octal escapes for every byte
    that is not printable ASCII, and for the three characters printf or the quotes would interpret."""
    return "".join(chr(b) if 32 <= b < 127 and chr(b) not in "\\%'" else f"\\{b:03o}" for b in body)


def exchange_data(exchange: Exchange, secrets: Sequence[str], excerpt: int = 4096) -> dict[str, Any]:
    """An exchange as report data: request (redacted), response excerpt, curl reproducer."""
    case = exchange.case
    headers = {k: scrub(v, secrets) for k, v in build_headers(case, REDACTED).items()}
    user = None
    if case.credential.kind == "basic" and basic.carries_secret(case.auth):
        headers["Authorization"] = f"Basic {REDACTED}"
        user = basic.curl_user(case.auth)
    body_text = case.body.decode("utf-8", "replace") if case.body is not None else None
    url = scrub(exchange.url, secrets)
    out: dict[str, Any] = {
        "id": case.id,
        "operation": case.operation,
        "requirement": case.requirement,
        "kind": case.kind,
        "title": case.title,
        "request": {
            "method": case.method,
            "url": url,
            "headers": headers,
            "body": scrub(body_text, secrets) if body_text is not None else None,
        },
        "curl": scrub(curl(case.method, url, headers, case.body, user, _token_elsewhere(case)), secrets),
        "case": _case_data(case, secrets),
    }
    if exchange.response is not None:
        out["response"] = _response_data(exchange.response, secrets, excerpt)
    else:
        out["error"] = scrub(exchange.error or "", secrets)
    return out


def _case_data(case: Case, secrets: Sequence[str]) -> dict[str, Any]:
    """What a replay needs to send the case again, its secrets scrubbed."""
    return {
        "auth": case.auth,
        "path": case.path,
        "content_type": case.content_type,
        "expect": {
            "outcome": case.expect.outcome,
            "codes": list(case.expect.codes),
            "statuses": list(case.expect.statuses),
            "sole": case.expect.sole,
        },
        "source": {"at": case.source.at, "clause": case.source.clause},
        "defect": None
        if case.defect is None
        else {
            "kind": case.defect.kind,
            "location": case.defect.location,
            "description": case.defect.description,
        },
        "headers": [[k, scrub(v, secrets)] for k, v in case.headers],
        "query": [[k, scrub(v, secrets)] for k, v in case.query],
        "cookies": [[k, scrub(v, secrets)] for k, v in case.cookies],
        "credential": {
            "kind": case.credential.kind,
            "scheme": case.credential.scheme,
            "location": case.credential.location,
            "parameter": case.credential.parameter,
            "aliases": list(case.credential.aliases),
        },
        "body_base64": base64.b64encode(case.body).decode("ascii") if case.body is not None else None,
    }


def _response_data(r: Response, secrets: Sequence[str], excerpt: int) -> dict[str, Any]:
    return {
        "status": r.status,
        "headers": {k: scrub(v, secrets) for k, v in redact_headers(r.headers).items()},
        "body": scrub(r.body[:excerpt].decode("utf-8", "replace"), secrets),
        "body_bytes": len(r.body),
        "truncated": r.truncated or len(r.body) > excerpt,
        "elapsed_ms": round(r.elapsed * 1000, 1),
    }
