"""When an implementation cannot be certified at all: the rules, written once, that turn a run's (or a
replay's) first answers into one tool error (exit 3) instead of a page of findings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from fcvalidate.contract.operation import Operation
from fcvalidate.errors import CredentialsError, ImplementationError
from fcvalidate.exchange import Response


def credentials_rejected(op: Operation, answers: Iterable[Response]) -> bool:
    """Requests that carry the credential, to a secured operation, were all answered 401."""
    answers = list(answers)
    return bool(op.security) and bool(answers) and all(r.status == 401 for r in answers)


def refuse_rejected_credentials(op: Operation, answers: Iterable[Response], what: str) -> None:
    """Raise `CredentialsError` when `credentials_rejected`; `what` says which requests were refused."""
    if credentials_rejected(op, answers):
        raise CredentialsError(f"credentials rejected: {what} was answered 401 (check the token)", "token")


def wrong_base_url(op: Operation, answers: Iterable[Response]) -> bool:
    """Valid requests all answered 404 when the operation does not document 404, or not with one of its
    own error codes: nothing lives at the operation's path under this base URL."""
    answers = list(answers)
    if not answers or any(r.status != 404 for r in answers):
        return False
    if op.in_("path"):  # a 404 may only say that the resource named is unknown: not proof of a wrong URL
        return False
    if 404 not in op.responses:
        return True
    return not any(_code(r) in op.error_codes for r in answers)


def refuse_wrong_base_url(op: Operation, answers: Iterable[Response], base_url: str) -> None:
    if wrong_base_url(op, answers):
        raise ImplementationError(
            f"every request to {op.label} got 404 Not Found: the base URL {base_url} is likely wrong "
            f"(is {op.path} under another path prefix?)",
            "base_url",
        )


def _code(response: Response) -> object:
    try:
        body = json.loads(response.body)
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None
