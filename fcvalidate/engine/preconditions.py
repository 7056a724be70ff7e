"""When an implementation cannot be certified at all: the rules, written once, that turn a run's (or a
replay's) first answers into one tool error (exit 3) instead of a page of findings.
"""

from __future__ import annotations

from collections.abc import Iterable

from fcvalidate.contract.operation import Operation, SecurityScheme
from fcvalidate.errors import CredentialsError, ImplementationError
from fcvalidate.exchange import Response


def credentials_rejected(op: Operation, answers: Iterable[Response]) -> bool:
    """Requests that carry the credential, to a secured operation, were all answered 401."""
    answers = list(answers)
    return bool(op.security) and bool(answers) and all(r.status == 401 for r in answers)


def refuse_rejected_credentials(
    op: Operation,
    answers: Iterable[Response],
    what: str,
    guessed: SecurityScheme | None = None,
    sent: SecurityScheme | None = None,
) -> None:
    """Raise `CredentialsError` when `credentials_rejected`; `what` says which requests were refused;
    `guessed` is the API-key scheme whose key went where the contract had to guess; `sent` the scheme
    whose credential the requests carried (the error names its option, not always the token's)."""
    if not credentials_rejected(op, answers):
        return
    if guessed is not None:
        raise CredentialsError(
            f"credentials rejected: {what} was answered 401; the document does not say where "
            f"{guessed.name}'s key goes, and it was sent in {guessed.location or 'header'} "
            f"{guessed.parameter or guessed.name} (a guess): if the document says where, give "
            f"--api-key {guessed.name}@<header> (or @query:<name>, @cookie:<name>)=…",
            "api_key",
        )
    if sent is not None and sent.kind == "api-key":
        raise CredentialsError(
            f"credentials rejected: {what} was answered 401 (check the key given for {sent.name}: "
            f"--api-key {sent.name}=…)",
            "api_key",
        )
    raise CredentialsError(f"credentials rejected: {what} was answered 401 (check the token)", "token")


def wrong_base_url(op: Operation, answers: Iterable[Response]) -> bool:
    """Valid requests all answered 404 when the operation does not document 404: nothing lives at the
    operation's path under this base URL. Where 404 is documented (an unknown resource, say), a 404 is a
    legitimate answer, so it proves nothing about the base URL."""
    answers = list(answers)
    if op.in_("path"):  # a 404 may only say that the resource named is unknown: not proof of a wrong URL
        return False
    return bool(answers) and all(r.status == 404 for r in answers) and 404 not in op.responses


def refuse_wrong_base_url(op: Operation, answers: Iterable[Response], base_url: str) -> None:
    if wrong_base_url(op, answers):
        raise ImplementationError(
            f"every request to {op.label} got 404 Not Found: the base URL {base_url} is likely wrong "
            f"(is {op.path} under another path prefix?)",
            "base_url",
        )
