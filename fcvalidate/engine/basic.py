"""HTTP Basic (RFC 7617): the `USER:PASSWORD` credential, what each authorisation probe sends in its
`Authorization: Basic …` header, and every form of the secret a report must hide.

Pure functions; the transport, the reports and the reference implementation all encode the same way.
"""

from __future__ import annotations

import base64
import binascii

from fcvalidate.errors import UsageError

FORM = "USER:PASSWORD"
WRONG_PASSWORD = "fcvalidate-wrong-password"
EXTENSION = "x"  # appended to the real password: one that only starts like the real one
# Probes that carry no part of the real credential, so reports and reproducers show them as sent.
NOT_BASE64 = "fcvalidate:not*base64!"  # `*`, `!` and `:` are outside the base64 alphabet (RFC 4648 §4)
NO_COLON = base64.b64encode(b"fcvalidate-no-colon").decode("ascii")  # user-pass needs a colon (RFC 7617 §2)


def parse_basic(value: str | None, setting: str = "basic") -> str | None:
    """`USER:PASSWORD` as given (None when not given); RFC 7617 §2: the user-id has no colon (the password
    may have one) and neither has control characters."""
    if value is None or value == "":
        return None
    user, colon, password = str(value).partition(":")
    if not colon or not user:
        raise UsageError(f"must be {FORM} (the user id, a colon, then the password)", setting)
    if any(ord(c) < 32 or ord(c) == 127 for c in user + password):
        raise UsageError(f"must be {FORM} without control characters (RFC 7617 §2)", setting)
    return str(value)


def token(user_pass: str) -> str:
    """The token68 of `Authorization: Basic <token>`: base64 of the UTF-8 `user:password` (RFC 7617 §2.1)."""
    return base64.b64encode(user_pass.encode("utf-8")).decode("ascii")


def user_of(user_pass: str) -> str:
    return user_pass.partition(":")[0]


def header_token(auth: str, user_pass: str | None) -> str | None:
    """What a case with `auth` sends after `Basic ` (None: no Authorization header): the real credential,
    the real user with a wrong password, the real password with one character more, or a malformed one."""
    if auth == "not-base64":
        return NOT_BASE64
    if auth == "no-colon":
        return NO_COLON
    if user_pass is None or auth == "none":
        return None
    if auth == "invalid":
        return token(f"{user_of(user_pass)}:{WRONG_PASSWORD}")
    if auth == "extended":
        return token(user_pass + EXTENSION)
    return token(user_pass)


def carries_secret(auth: str) -> bool:
    """Whether what a case with `auth` sends is made from the real credential (reports show `***`)."""
    return auth in ("valid", "invalid", "extended")


def curl_user(auth: str) -> str:
    """The curl `-u` argument that sends what a case with `auth` sends, the credential read from
    $FCVALIDATE_BASIC (`USER:PASSWORD`), never from the report."""
    if auth == "invalid":
        return f'"${{FCVALIDATE_BASIC%%:*}}:{WRONG_PASSWORD}"'  # POSIX sh: the user, up to the first colon
    if auth == "extended":
        return f'"${{FCVALIDATE_BASIC}}{EXTENSION}"'
    return '"$FCVALIDATE_BASIC"'


def secrets(user_pass: str | None) -> tuple[str, ...]:
    """Every form of the credential a server could echo back: as given, its password, and the base64 of
    each credential-bearing probe (the real one, the wrong password's, the extended one)."""
    if not user_pass:
        return ()
    password = user_pass.partition(":")[2]
    tokens = (header_token(auth, user_pass) for auth in ("valid", "invalid", "extended"))
    return tuple(s for s in (user_pass, password, *tokens) if s)


def decode(value: str) -> tuple[str, str] | None:
    """(user, password) of a `Basic` token, or None when it is not base64 of UTF-8 `user:password`."""
    try:
        text = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    user, colon, password = text.partition(":")
    return (user, password) if colon else None
