"""Credentials in the wrong place and the right place: the real credential sent where the document does
not put it (a query parameter, a cookie), which must not be accepted, and its header name in lower case,
which must be (RFC 9110 §5.1).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from fcvalidate.checks.outcome import Answered, answer, like_parent, probe
from fcvalidate.checks.registry import Basis, Violation
from fcvalidate.contract.operation import Operation
from fcvalidate.engine.probes.derive import derived
from fcvalidate.engine.probes.registry import ProbeInput, ProbeKind, register
from fcvalidate.exchange import Case, Credential, Expect
from fcvalidate.requirements import RequirementId as R

# The names a header credential is commonly also read under: RFC 6750 §2.3's `access_token` for a bearer
# token; for an API key its own name and the usual `api_key`/`apikey` (the issue's `?api_key=`).
BEARER_NAMES = ("access_token",)
API_KEY_NAMES = ("api_key", "apikey")


def credential_place_cases(op: Operation, ref: Case) -> list[Case]:
    """For a credential the document puts in a header: sent instead in the query, then in a cookie (each
    must not succeed), and sent in its header with a lower-case name (must be answered as the valid request
    was). Credentials whose place the contract had to guess are left alone: the document says nothing."""
    via = ref.credential
    if not _in_documented_header(op, ref):
        return []
    names = list(BEARER_NAMES) if via.kind == "bearer" else [via.parameter, *API_KEY_NAMES]
    cases: list[Case] = []
    for location in ("query", "cookie"):
        # a name the operation documents for a credential in that place (another scheme) is a right place
        taken = {s.parameter.lower() for s in op.security if s.location == location and s.parameter}
        free = list(dict.fromkeys(n for n in names if n.lower() not in taken))
        if not free:
            continue
        moved = Credential(via.kind, via.scheme, location, free[0], tuple(free[1:]))
        cases.append(
            derived(
                op,
                ref,
                R.AUTHORISATION,
                "credential-place",
                len(cases),
                f"the real {'token' if via.kind == 'bearer' else 'API key'} sent in the {location} "
                f"({', '.join(free)}), not in its header",
                expect=Expect("not-success"),
                source=op.source,
                credential=moved,
            )
        )
    lower = via.parameter.lower()
    if lower != via.parameter and op.method != "DELETE":  # a second DELETE is rightly refused
        cases.append(
            derived(
                op,
                ref,
                R.AUTHORISATION,
                "credential-case",
                0,
                f"the credential header sent as {lower!r} (lower case)",
                expect=Expect("like-parent"),
                source=op.source,
                credential=dataclasses.replace(via, parameter=lower),
            )
        )
    return cases


def _in_documented_header(op: Operation, ref: Case) -> bool:
    """The valid requests' credential is one the document itself puts in a header."""
    via = ref.credential
    # HTTP Basic lives in Authorization by definition (RFC 7617): no other place to try it in
    if ref.auth != "valid" or not op.security or via.location != "header" or via.kind == "basic":
        return False
    scheme = next(
        (s for s in op.security if s.name == via.scheme or (via.kind == "bearer" and s.kind == "bearer")),
        None,
    )
    return scheme is not None and scheme.documented and scheme.location == "header"


HEADER_CASE_BASIS = Basis(conventions=("http.header-names-case-insensitive",))
CREDENTIAL_PLACE_BASIS = {
    "query": "OWASP REST Security Cheat Sheet, 'Sensitive information in HTTP requests' (CWE-598): a "
    "credential in a URL is written to server, proxy and browser logs (RFC 6750 §5.3 says the same of "
    "bearer tokens); the document puts this credential in a header only",
    "cookie": "OWASP Cross-Site Request Forgery Prevention Cheat Sheet: a credential read from a cookie is "
    "sent by browsers with every request, forged ones included; the document puts this credential in a "
    "header only",
}


@probe
def misplaced(a: Answered) -> Iterator[Violation]:
    """A credential sent where the document does not put it (a query parameter, a cookie) that is accepted:
    a warning (the document does not forbid other places in words; the risk is that they get logged)."""
    if a.response.ok:
        yield a.violation(
            f"Accepted a credential outside its documented header: {a.case.title}",
            "a refusal (401): the document puts the credential in a header",
            answer(a.response),
            severity="warning",
            hint="read the credential from its documented header only",
            basis=CREDENTIAL_PLACE_BASIS.get(a.case.credential.location, CREDENTIAL_PLACE_BASIS["query"]),
        )


def _build(given: ProbeInput) -> list[Case]:
    return credential_place_cases(given.op, given.ref)


CREDENTIAL_PLACES = register(
    ProbeKind(
        "credential-places",
        {"credential-place": misplaced, "credential-case": like_parent(HEADER_CASE_BASIS)},
        _build,
        order=30,
    )
)
