"""When an implementation cannot be certified at all: the rules, written once, that turn a run's (or a
replay's) first answers into one tool error (exit 3) instead of a page of findings.
"""

from __future__ import annotations

from collections.abc import Iterable

from fcvalidate.contract.operation import Operation
from fcvalidate.errors import CredentialsError
from fcvalidate.exchange import Response


def credentials_rejected(op: Operation, answers: Iterable[Response]) -> bool:
    """Requests that carry the credential, to a secured operation, were all answered 401."""
    answers = list(answers)
    return bool(op.security) and bool(answers) and all(r.status == 401 for r in answers)


def refuse_rejected_credentials(op: Operation, answers: Iterable[Response], what: str) -> None:
    """Raise `CredentialsError` when `credentials_rejected`; `what` says which requests were refused."""
    if credentials_rejected(op, answers):
        raise CredentialsError(f"credentials rejected: {what} was answered 401 (check the token)", "token")
