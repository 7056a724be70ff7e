"""Authorisation: no credential, an invalid one, and the real one with a character more (for HTTP Basic,
also two malformed ones), each of which must be refused 401 (or a documented 403 for a bad credential).
"""

from __future__ import annotations

from collections.abc import Iterator

from fcvalidate.checks.error_body import enum_of
from fcvalidate.checks.outcome import (
    Answered,
    Judge,
    answer,
    code_basis,
    error_code,
    probe,
    supported_codes,
    wrong_code,
)
from fcvalidate.checks.registry import Basis, Violation
from fcvalidate.contract.operation import GAP_SECURITY_SCHEME, Operation
from fcvalidate.engine.credentials import option_for
from fcvalidate.engine.probes.derive import derived
from fcvalidate.engine.probes.registry import ProbeInput, ProbeKind, Skip, register
from fcvalidate.exchange import Case, Credential, Expect, Response
from fcvalidate.requirements import RequirementId as R

# The HTTP conventions a refusal of credentials rests on where the document does not say it in words.
NO_CREDENTIAL_BASIS = Basis(conventions=("http.401-without-credentials",))
INVALID_CREDENTIAL_BASIS = Basis(conventions=("http.401-invalid-credentials",))
INVALID_BASIC_BASIS = Basis(conventions=("http.401-invalid-basic-credentials",))


def auth_cases(op: Operation, ref: Case) -> list[Case] | Skip:
    """No credential at all, an invalid one, and the real one with a character more, where the operation's
    scheme (the one valid requests use: a bearer token, or an API key in its header, query parameter or
    cookie) expects it."""
    if not op.security:
        return Skip(R.AUTHORISATION, "the operation documents no security")
    if ref.auth == "none":  # every scheme's delivery was inferred, and no credential was given for one
        names = ", ".join(s.name for s in op.security)
        options = " or ".join(dict.fromkeys(option_for(s) for s in op.security))
        return Skip(
            R.AUTHORISATION,
            f"not tested: the contract had to infer how {names} is delivered, and no credential was given: "
            f"give {options} to test it",
        )
    via = ref.credential
    probes: tuple[tuple[str, int, str, Expect, str], ...] = BASIC_PROBES  # (kind, n, title, expect, auth)
    if via.kind == "bearer":
        probes = (
            ("no-token", 0, "request without a token", REFUSED, "none"),
            ("bad-token", 0, "request with an invalid token", REFUSED, "invalid"),
            ("bad-token", 1, "request with the real token and one character more", REFUSED, "extended"),
        )
    elif via.kind != "basic":
        what = f"an API key ({via.scheme} in {via.location} {via.parameter})"
        probes = (
            ("no-token", 0, "request without a credential", REFUSED, "none"),
            ("bad-token", 0, f"request with an invalid {what[3:]}", REFUSED, "invalid"),
            # one that only starts like the real one: an implementation comparing a prefix accepts it
            ("bad-token", 1, "request with the real API key and one character more", REFUSED, "extended"),
        )
    return [
        derived(op, ref, R.AUTHORISATION, kind, n, title, expect=expect, source=op.source, auth=auth)
        for kind, n, title, expect, auth in probes
    ] + other_key_cases(op, ref)


def other_key_cases(op: Operation, ref: Case) -> list[Case]:
    """An invalid API key where the operation accepts a key as an alternative to the credential the valid
    requests carry (a token OR a key): a check of the key that accepts any value is found only so. Where
    the contract inferred where the key goes, it goes there: refused either way, whoever reads it where."""
    others = [s for s in op.security if s.kind == "api-key" and s.name != ref.credential.scheme]
    return [
        derived(
            op,
            ref,
            R.AUTHORISATION,
            "bad-token",
            len(BASIC_PROBES) + n,  # after every other bad-token probe's number
            f"request with an invalid API key ({s.name}), the alternative to the credential valid requests carry",
            expect=REFUSED,
            source=op.source,
            auth="invalid",
            credential=Credential("api-key", s.name, s.location or "header", s.parameter or s.name),
        )
        for n, s in enumerate(others)
    ]


REFUSED = Expect("unauthorised", codes=("NOT_AUTHORISED",))
# HTTP Basic (RFC 7617): no credentials, the real user with a wrong password, the real password with one
# character more, and two malformed credentials (not base64; base64 without the colon between user and
# password), which may be refused 400 as malformed syntax as well as 401 (RFC 9110 §15.5.1).
_MALFORMED = Expect("unauthorised", codes=("NOT_AUTHORISED",), statuses=(400, 401))
BASIC_PROBES = (
    ("no-token", 0, "request without basic credentials", REFUSED, "none"),
    ("bad-token", 1, "request with basic credentials: the real user, a wrong password", REFUSED, "invalid"),
    ("bad-token", 2, "request with the real basic credentials and one character more", REFUSED, "extended"),
    ("bad-token", 3, "request with basic credentials that are not base64", _MALFORMED, "not-base64"),
    ("bad-token", 4, "request with basic credentials without a colon", _MALFORMED, "no-colon"),
)


def unauthorised(invalid: bool) -> Judge:
    """The judge of a request without its credential (`invalid`: with a wrong one): 401, or the
    document's own way to refuse credentials; for a wrong one, a documented 403 too."""

    @probe
    def judge(a: Answered) -> Iterator[Violation]:
        op, case, status = a.op, a.case, a.status
        basis = _basis(op, case, invalid)
        if a.response.ok:
            yield a.violation(f"Accepted: {case.title}", "401", answer(a.response), basis=basis)
        elif status == 403 and not (invalid and 403 in op.responses):
            yield from _forbidden(a, basis)
        elif status not in (401, 403, *case.expect.statuses) and not _documented_auth_refusal(op, a.response):
            wanted = " or ".join(str(s) for s in sorted({401, *case.expect.statuses}))
            yield a.violation(f"Wrong status: {case.title}", wanted, answer(a.response), basis=basis)
        elif status == 401 and wrong_code(op, case.expect.codes, a.response):
            yield a.violation(
                f"Wrong error code: {case.title}",
                f"code {' or '.join(supported_codes(op, case.expect.codes, status))}",
                answer(a.response),
                "response.body.$.code",
                basis=code_basis(op, case.expect.codes, status),
            )

    return judge


def _basis(op: Operation, case: Case, invalid: bool) -> Basis:
    basis = NO_CREDENTIAL_BASIS
    if invalid:
        basis = INVALID_BASIC_BASIS if case.credential.kind == "basic" else INVALID_CREDENTIAL_BASIS
    scheme = next((sc for sc in op.security if sc.name == case.credential.scheme), None)
    if case.auth != "none" and scheme is not None and not scheme.documented:
        # a credential sent where the contract had to guess: what it proves rests on that guess
        basis = basis.plus(inferences=(GAP_SECURITY_SCHEME,))
    return basis


def _forbidden(a: Answered, basis: Basis) -> Iterator[Violation]:
    if 401 in a.op.responses:
        yield a.violation(
            f"Wrong status: {a.case.title}",
            "401 (documented for this operation)",
            answer(a.response),
            basis=basis,
        )
    elif 403 not in a.op.responses:
        yield a.violation(
            f"Refused with 403, not 401: {a.case.title}",
            "401",
            answer(a.response),
            severity="warning",
            basis=basis.plus("the document lists neither 401 nor 403, and API-key gateways often answer 403"),
        )


def _documented_auth_refusal(op: Operation, response: Response) -> bool:
    """Where 401 is not documented, the document's own way to refuse credentials: a documented 4xx whose
    enum lists a code naming authorisation, answered with that code (422 NOT_AUTHORISED)."""
    code = error_code(response)
    if 401 in op.responses or code is None or code not in enum_of(op.responses.get(response.status)):
        return False
    word = "".join(ch for ch in code.upper() if ch.isalnum())
    return any(w in word for w in ("NOTAUTHORI", "UNAUTHORI", "UNAUTHENTICATED", "NOTAUTHENTICATED"))


def _build(given: ProbeInput) -> list[Case] | Skip:
    return auth_cases(given.op, given.ref)


AUTH = register(
    ProbeKind(
        "auth",
        {"no-token": unauthorised(invalid=False), "bad-token": unauthorised(invalid=True)},
        _build,
        order=20,
    )
)
