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
    if sent is not None and sent.kind == "basic":
        raise CredentialsError(
            f"credentials rejected: {what} was answered 401 (check the user and password)", "basic"
        )
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


NOT_SERVED = {404: "404 Not Found", 405: "405 Method Not Allowed", 501: "501 Not Implemented"}


def not_served(op: Operation, answers: Iterable[Response], names_known: bool = True) -> str:
    """Why the operation does not seem to be served at this base URL, or "": every valid request was
    answered 404, 405 or 501 (RFC 9110 §15.5.5, §15.5.6, §15.6.2: no such resource, no such method
    here, not implemented) and the document lists none of them. A 404 counts only when every resource
    the request names was given or created (`names_known`): a guessed id may just be unknown."""
    statuses = {r.status for r in answers}
    if not statuses or not statuses <= set(NOT_SERVED) or statuses & set(op.responses):
        return ""
    if statuses == {404} and not names_known:
        return ""
    return " or ".join(NOT_SERVED[s] for s in sorted(statuses))


def refuse_unserved_base_url(labels: Iterable[str], base_url: str) -> None:
    """Raise when no operation of the run is served at the base URL: the URL, not the implementation,
    is wrong (a missing path prefix, say); one operation not served is that operation's failure."""
    labels = list(labels)
    if labels:
        raise ImplementationError(
            f"no operation is served at the base URL {base_url}: every valid request to {labels[0]}"
            + (f" and the {len(labels) - 1} other operation(s)" if len(labels) > 1 else "")
            + " was answered 404, 405 or 501, which the documents do not list; the base URL is likely wrong "
            f"(is {labels[0].split(' ', 1)[-1]} under another path prefix?)",
            "base_url",
        )
