"""Credentials in the wrong place and the right place: the real credential sent where the document does
not put it (a query parameter, a cookie), which must not be accepted, and its header name in lower case,
which must be (RFC 9110 §5.1).
"""

from __future__ import annotations

import dataclasses

from fcvalidate.contract.operation import Operation
from fcvalidate.engine.derive import case, like
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
    # HTTP Basic lives in Authorization by definition (RFC 7617): no other place to try it in
    if ref.auth != "valid" or not op.security or via.location != "header" or via.kind == "basic":
        return []
    scheme = next(
        (s for s in op.security if s.name == via.scheme or (via.kind == "bearer" and s.kind == "bearer")),
        None,
    )
    if scheme is None or not scheme.documented or scheme.location != "header":
        return []
    names = list(BEARER_NAMES) if via.kind == "bearer" else [via.parameter, *API_KEY_NAMES]
    cases: list[Case] = []
    common = {"headers": ref.headers, "body": ref.body, "parent": ref.id}
    for location in ("query", "cookie"):
        # a name the operation documents for a credential in that place (another scheme) is a right place
        taken = {s.parameter.lower() for s in op.security if s.location == location and s.parameter}
        free = list(dict.fromkeys(n for n in names if n.lower() not in taken))
        if not free:
            continue
        moved = Credential(via.kind, via.scheme, location, free[0], tuple(free[1:]))
        cases.append(
            case(
                op,
                R.AUTHORISATION,
                "credential-place",
                len(cases),
                f"the real {'token' if via.kind == 'bearer' else 'API key'} sent in the {location} "
                f"({', '.join(free)}), not in its header",
                expect=Expect("not-success"),
                source=op.source,
                **common,
                **like(ref, credential=moved),
            )
        )
    lower = via.parameter.lower()
    if lower != via.parameter and op.method != "DELETE":  # a second DELETE is rightly refused
        cases.append(
            case(
                op,
                R.AUTHORISATION,
                "credential-case",
                0,
                f"the credential header sent as {lower!r} (lower case)",
                expect=Expect("like-parent"),
                source=op.source,
                **common,
                **like(ref, credential=dataclasses.replace(via, parameter=lower)),
            )
        )
    return cases
