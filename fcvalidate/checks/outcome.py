"""Did each case get the answer the contract requires of it (status, and error code where it matters)?

The precise oracle, written once:
- a 5xx is never judged here: it is reported once, under no-server-errors;
- a status is documented when the operation lists it or documents a `default` response;
- an error code is compared only when the document's own enum for that status lists the expected code and
  the code seen is one of the operation's: a code outside the enum is reported once, under error-body;
- a rejection proves a defect was rejected only when the unmutated request succeeded, or when the
  rejection differs from how the unmutated request was refused (otherwise it is inconclusive: a warning
  that names the inputs a data file should give);
- a valid request that is refused is a failure only when no valid request succeeded and known values were
  given; an undocumented 2xx on an operation with a success-response gap is a documentation warning;
- an expectation the document does not state (401 for no token, 400 for a body that is not JSON, 405 for
  another method, 404 for an unknown resource) carries its basis, an HTTP convention named in `BASIS`;
- where the document is silent the finding is a warning that says so: it lists no 4xx at all, or none
  for an invalid request (neither 400 nor 422), or not the convention's status (400, 404); a 403 for a
  missing API key where neither 401 nor 403 is listed; success for an unknown id a PUT may create; a
  probe still answered 429 after the retries.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fcvalidate.checks.bodies import parse_json
from fcvalidate.checks.error_body import enum_of
from fcvalidate.checks.registry import NO_BASIS, Basis, CheckContext, Violation, check
from fcvalidate.contract.operation import (
    GAP_REQUEST_BODY,
    GAP_SECURITY_SCHEME,
    GAP_SUCCESS_RESPONSE,
    Operation,
    ResponseSpec,
)
from fcvalidate.exchange import Case, Exchange, Response

# The conventions applied where the document does not say it in words, each with its reference: a
# supplier disputing a finding reads this, not the code (shown as the finding's `basis`).
BASIS = {
    key: Basis(conventions=(cid,))
    for key, cid in {
        "no-token": "http.401-without-credentials",
        "bad-token": "http.401-invalid-credentials",
        "bad-basic": "http.401-invalid-basic-credentials",
        "malformed": "http.400-malformed-body",
        "method": "http.405-other-methods",
        "unknown-resource": "http.404-unknown-resource",
    }.items()
}
# one-defect probes whose rejection proves something only against a succeeding valid request (a body
# that is not JSON is refused for what it is, whatever the valid requests get)
DEFECT_KINDS = frozenset(
    {"invalid", "missing-header", "missing-query-parameter", "missing-parameter", "out-of-range", "near-miss"}
)
UNKNOWN_RESOURCE = "unknown-resource"
CREATING_METHODS = frozenset({"PUT", "POST", "PATCH"})
INVALID_REQUEST_STATUSES = (400, 422)
SYNTAX_KINDS = frozenset({"malformed", "not-object"})  # a body that is not JSON, or JSON not an object


def error_code(response: Response | None) -> str | None:
    if response is None:
        return None
    body = parse_json(response)
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, str) else None


def answer(response: Response) -> str:
    code = error_code(response)
    return f"{response.status} {code}" if code else str(response.status)


def kind_of(case: Case) -> str:
    """The case as a finding's title names it: stable words, never a generated value, so that the same
    problem met by many generated cases is one finding (each case keeps its own full title)."""
    return "a fuzzed request" if case.kind == "fuzz" else case.title


def response_for(op: Operation, status: int) -> ResponseSpec | None:
    """The response the document gives for a status: its own, else the `default` one."""
    return op.responses.get(status) or op.default_response


def documented_4xx(op: Operation) -> str:
    listed = [str(s) for s in op.error_statuses if s < 500]
    if op.default_response is not None:
        listed.append("any other (default)")
    return ", ".join(listed) or "none"


def lists_4xx(op: Operation) -> bool:
    return op.default_response is not None or any(s < 500 for s in op.error_statuses)


def supported_codes(op: Operation, codes: tuple[str, ...], status: int) -> tuple[str, ...]:
    """The expected codes the document's enum for this status (or `default`) lists: only those are
    required. A status with no enum of its own requires no code (another status's enum is no basis)."""
    enum = enum_of(response_for(op, status))
    return tuple(c for c in codes if c in enum)


@check(name="fcvalidate.expected-outcome")
def expected_outcome(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    case, response, op = exchange.case, exchange.response, ctx.operation
    req = case.requirement

    def violation(
        title: str,
        expected: str,
        actual: str,
        location: str = "response.status",
        severity: Any = "failure",
        hint: str = "",
        basis: Basis | str = NO_BASIS,
    ) -> Violation:
        if isinstance(basis, str):
            basis = Basis(note=basis)
        return Violation(
            req, title, location, expected, actual, case.source, severity, hint=hint, basis=basis
        )

    if response is None:
        yield violation(
            f"No response: {kind_of(case)}", "an HTTP response", exchange.error or "no response", "response"
        )
        return
    status = response.status
    if status >= 500:
        return
    if status == 429 and case.expect.outcome != "success":
        # still rate-limited after the runner's retries: the answer says nothing about the probe (a valid
        # request refused so is judged as any refusal: an implementation that never answers fails)
        yield violation(
            f"Rate limited: {kind_of(case)}",
            "an answer to the request itself",
            answer(response),
            severity="warning",
            hint="lower --rate-limit or --max-concurrency",
            basis="RFC 6585 §4: 429 Too Many Requests says the client sent too many requests, not what was wrong",
        )
        return
    outcome = case.expect.outcome
    kind = str(case.kind)
    if kind == CREDENTIAL_PLACE:
        yield from _credential_place(case, response, violation)
    elif outcome == "success":
        yield from _success(ctx, exchange, response, violation)
    elif kind == UNKNOWN_RESOURCE:
        yield from _unknown_resource(op, case, response, violation)
    elif outcome == "rejected":
        basis = BASIS["malformed"] if kind in SYNTAX_KINDS else NO_BASIS
        if GAP_REQUEST_BODY in op.gaps and kind in SYNTAX_KINDS:
            basis = basis.plus(inferences=(GAP_REQUEST_BODY,))  # the body it breaks is a guess
        if response.ok and not lists_4xx(op):
            # the document lists no refusal at all (a listing it never refuses, a body it takes as it
            # comes): accepting is within what it says, and only the document can settle it
            yield violation(
                f"Documentation gap: accepted, and the document lists no refusal: {kind_of(case)}",
                "a refusal the document would have to list (it lists no 4xx)",
                answer(response),
                severity="warning",
                basis=basis.plus("the document lists no 4xx, so it does not say this request is refused"),
                hint="list the operation's refusals (4xx responses) in its document",
            )
        elif response.ok:
            yield violation(
                f"Accepted: {case.title}",
                f"a documented 4xx ({documented_4xx(op)})",
                answer(response),
                basis=ENUM_NORMALISED_BASIS
                if case.defect is not None and case.defect.kind == "enum-normalised"
                else basis,
            )
        elif 300 <= status < 400:
            yield violation(
                f"Redirected: {case.title}", "a documented 4xx", f"{status} to {response.header('location')}"
            )
        elif response_for(op, status) is None:
            if status in case.expect.statuses or (status == 400 and kind in SYNTAX_KINDS):
                yield violation(
                    f"Rejected with {status}, which the document does not list: {case.title}",
                    f"one of {documented_4xx(op)}",
                    answer(response),
                    severity="warning",
                    basis=basis,
                )
            elif not lists_4xx(op):
                yield violation(
                    f"Documentation gap: rejected with {status}, the document lists no error status",
                    "a documented 4xx (the document lists none)",
                    answer(response),
                    severity="warning",
                )
            elif not any(s in op.responses for s in INVALID_REQUEST_STATUSES):
                # The document lists only statuses for other refusals (404, 409, 412...): it does not say
                # how an invalid request is refused, so a 400 or 422 there is its silence, not a defect.
                yield violation(
                    f"Documentation gap: rejected with {status}, the document lists no status for an invalid "
                    "request",
                    f"one of {documented_4xx(op)} (none of them is 400 or 422)",
                    answer(response),
                    severity="warning",
                )
            else:
                yield violation(
                    f"Rejected with an undocumented status: {case.title}",
                    f"one of {documented_4xx(op)}",
                    answer(response),
                )
        elif (wanted := _documented_statuses(op, case.expect.statuses)) and status not in wanted:
            yield violation(
                f"Rejected with the wrong status: {case.title}",
                f"one of {list(wanted)}",
                answer(response),
                basis=basis,
            )
        elif _wrong_code(op, case.expect.codes, response):
            yield violation(
                f"Rejected with the wrong error code: {case.title}",
                f"code one of {', '.join(supported_codes(op, case.expect.codes, status))}",
                answer(response),
                "response.body.$.code",
                basis=_code_basis(op, case.expect.codes, status),
            )
        elif kind in DEFECT_KINDS and not ctx.baseline_ok and _same_refusal(ctx, response):
            yield violation(
                "Inconclusive: invalid requests are refused the same way as valid ones",
                "the valid request to succeed, so that a rejection proves the defect was noticed",
                f"both answered {answer(response)}",
                severity="warning",
                hint=known_values_hint(ctx),
            )
    elif outcome == "unauthorised":
        yield from _unauthorised(op, case, response, violation)
    elif outcome == "not-success":
        if status == 202:
            yield violation(
                f"Inconclusive: accepted for later processing: {case.title}",
                "a refusal (not 2xx)",
                answer(response),
                severity="warning",
                basis="RFC 9110 §15.3.3: 202 Accepted says the request is not yet acted upon (it may still be "
                "refused), so it shows no access was granted",
            )
        elif response.ok:
            yield violation(f"Succeeded: {case.title}", "a refusal (not 2xx)", answer(response))
    elif outcome == "like-parent":
        base = ctx.baseline.response if ctx.baseline else None
        if base is not None and base.ok and status >= 400:
            # the same request sent again: the first may have deleted the resource, made the repeat a
            # conflict, or moved it past the tag a conditional request carries (412: the header was read)
            consumed = status in (409, 412) or (status in (404, 410) and case.method.upper() == "DELETE")
            yield violation(
                f"Refused: {case.title}",
                f"{base.status}, as with the usual header names",
                answer(response),
                severity="warning" if consumed else "failure",
                basis=(
                    "the same request sent again: the first may have deleted the resource, made the repeat "
                    "a conflict or changed the resource past the tag it carries (412, RFC 9110 §15.5.13), "
                    "so this refusal proves nothing about header names"
                    if consumed
                    else HEADER_CASE_BASIS
                    if kind == "credential-case"
                    else ""
                ),
            )
    elif outcome == "method-refused":
        if status != 405:
            yield violation(
                f"Not refused with 405: {case.title}",
                "405 Method Not Allowed",
                answer(response),
                severity="warning",
                basis=BASIS["method"],
            )
        elif not response.header("allow"):
            yield violation(
                f"405 without an Allow header: {case.title}",
                "an Allow header",
                "none",
                "response.header.Allow",
                "warning",
                basis=BASIS["method"],
            )


CREDENTIAL_PLACE = "credential-place"
ENUM_NORMALISED_BASIS = Basis(conventions=("json-schema.enum-not-normalised",))
HEADER_CASE_BASIS = Basis(conventions=("http.header-names-case-insensitive",))
CREDENTIAL_PLACE_BASIS = {
    "query": "OWASP REST Security Cheat Sheet, 'Sensitive information in HTTP requests' (CWE-598): a "
    "credential in a URL is written to server, proxy and browser logs (RFC 6750 §5.3 says the same of "
    "bearer tokens); the document puts this credential in a header only",
    "cookie": "OWASP Cross-Site Request Forgery Prevention Cheat Sheet: a credential read from a cookie is "
    "sent by browsers with every request, forged ones included; the document puts this credential in a "
    "header only",
}


def _credential_place(case: Case, response: Response, violation: Any) -> Iterator[Violation]:
    """A credential sent where the document does not put it (a query parameter, a cookie) that is accepted:
    a warning (the document does not forbid other places in words; the risk is that they get logged)."""
    if response.ok:
        yield violation(
            f"Accepted a credential outside its documented header: {case.title}",
            "a refusal (401): the document puts the credential in a header",
            answer(response),
            severity="warning",
            hint="read the credential from its documented header only",
            basis=CREDENTIAL_PLACE_BASIS.get(case.credential.location, CREDENTIAL_PLACE_BASIS["query"]),
        )


def _documented_statuses(op: Operation, statuses: tuple[int, ...]) -> tuple[int, ...]:
    """The expected statuses the document lists itself: a convention's status the document does not list
    (400 where only 422 is documented) constrains nothing."""
    return tuple(s for s in statuses if s in op.responses)


def _code_basis(op: Operation, codes: tuple[str, ...], status: int) -> Basis:
    spec = response_for(op, status)
    where = spec.source.at if spec is not None else ""
    enum = enum_of(spec)
    wanted = supported_codes(op, codes, status)
    note = f"the document's enum for {status} ({where}) lists {', '.join(wanted)}"
    if set(enum) <= set(wanted):  # the enum itself leaves no other code: the document says it
        return Basis(note=note)
    return Basis(conventions=("fibre-cafe.code-names-refusal",), note=note + ", among other codes")


def _unauthorised(op: Operation, case: Any, response: Response, violation: Any) -> Iterator[Violation]:
    status, kind = response.status, str(case.kind)
    basis = BASIS["bad-token" if kind == "bad-token" else "no-token"]
    if kind == "bad-token" and case.credential.kind == "basic":
        basis = BASIS["bad-basic"]
    scheme = next((sc for sc in op.security if sc.name == case.credential.scheme), None)
    if case.auth != "none" and scheme is not None and not scheme.documented:
        # a credential sent where the contract had to guess: what it proves rests on that guess
        basis = basis.plus(inferences=(GAP_SECURITY_SCHEME,))
    documented_403 = 403 in op.responses
    if response.ok:
        yield violation(f"Accepted: {case.title}", "401", answer(response), basis=basis)
    elif status == 403 and not (kind == "bad-token" and documented_403):
        if 401 in op.responses:
            yield violation(
                f"Wrong status: {case.title}",
                "401 (documented for this operation)",
                answer(response),
                basis=basis,
            )
        elif not documented_403:
            yield violation(
                f"Refused with 403, not 401: {case.title}",
                "401",
                answer(response),
                severity="warning",
                basis=basis.plus(
                    "the document lists neither 401 nor 403, and API-key gateways often answer 403"
                ),
            )
    elif status not in (401, 403, *case.expect.statuses) and not _documented_auth_refusal(op, response):
        wanted = " or ".join(str(s) for s in sorted({401, *case.expect.statuses}))
        yield violation(f"Wrong status: {case.title}", wanted, answer(response), basis=basis)
    elif status == 401 and _wrong_code(op, case.expect.codes, response):
        yield violation(
            f"Wrong error code: {case.title}",
            f"code {' or '.join(supported_codes(op, case.expect.codes, status))}",
            answer(response),
            "response.body.$.code",
            basis=_code_basis(op, case.expect.codes, status),
        )


def _documented_auth_refusal(op: Operation, response: Response) -> bool:
    """Where 401 is not documented, the document's own way to refuse credentials: a documented 4xx whose
    enum lists a code naming authorisation, answered with that code (422 NOT_AUTHORISED)."""
    code = error_code(response)
    if 401 in op.responses or code is None or code not in enum_of(op.responses.get(response.status)):
        return False
    word = "".join(ch for ch in code.upper() if ch.isalnum())
    return any(w in word for w in ("NOTAUTHORI", "UNAUTHORI", "UNAUTHENTICATED", "NOTAUTHENTICATED"))


def _unknown_resource(op: Operation, case: Any, response: Response, violation: Any) -> Iterator[Violation]:
    """A path id that does not exist: a documented 4xx; 404 where documented (or 410 where documented, or a
    documented 4xx whose code names not-found, e.g. 422 NOT_FOUND). A 2xx where the document lists 404 or
    410 is a failure, unless the request may create what it names (a PUT, or a POST or PATCH documenting
    201). Every other departure is a warning that says why: "unknown" is fcvalidate's guess
    at an id, and the document does not describe the form of ids."""
    status, basis = response.status, BASIS["unknown-resource"]
    gone = [s for s in (404, 410) if s in op.responses]
    if response.ok:
        method = case.method.upper()
        # PUT replaces whatever the path names: a member's preferences may exist before any PUT
        creates = method == "PUT" or (201 in op.responses and method in CREATING_METHODS)
        if gone and not creates:
            yield violation(
                f"An unknown resource was found: {case.title}",
                f"{' or '.join(map(str, gone))}",
                answer(response),
                basis=basis,
            )
        else:
            yield violation(
                f"Succeeded for an unknown resource: {case.title}",
                f"a documented 4xx ({documented_4xx(op)})",
                answer(response),
                severity="warning",
                basis=basis.plus(
                    f"a {case.method.upper()} may create or ignore a missing resource and the document "
                    + ("may create it (PUT, or a documented 201)" if creates else "lists neither 404 nor 410")
                    + ", hence a warning"
                ),
            )
        return
    if 300 <= status < 400:
        yield violation(
            f"Redirected: {case.title}",
            "a documented 4xx",
            f"{status} to {response.header('location')}",
            severity="warning",
            basis=basis,
        )
        return
    if status in gone or (status == 404 and op.default_response is not None):
        return
    if response_for(op, status) is None:
        # 404/410 are HTTP's own answers; another 4xx may be the implementation checking the id's form
        # (which the document does not describe): the document's silence makes it a warning
        yield violation(
            f"Answered {status}, which the document does not list: {case.title}",
            f"a documented 4xx ({documented_4xx(op)})",
            answer(response),
            severity="warning",
            basis=basis,
        )
        return
    if gone and not _names_not_found(error_code(response)):
        yield violation(
            f"Answered {status}, not {' or '.join(map(str, gone))}: {case.title}",
            f"{' or '.join(map(str, gone))} (documented), or a documented 4xx whose code names not-found",
            answer(response),
            severity="warning",
            basis=basis.plus(
                "another documented 4xx may be the implementation checking the id's form, hence a warning"
            ),
        )


def _names_not_found(code: str | None) -> bool:
    return bool(code) and "NOTFOUND" in "".join(ch for ch in str(code).upper() if ch.isalnum())


def _success(
    ctx: CheckContext, exchange: Exchange, response: Response, violation: Any
) -> Iterator[Violation]:
    op, case, status = ctx.operation, exchange.case, response.status
    if ctx.not_served:
        yield violation(
            "Not served at this base URL",
            f"a documented 2xx ({list(op.success_statuses) or 'any'})",
            f"every valid request was answered {ctx.not_served}",
            basis="RFC 9110 §15.5.5, §15.5.6, §15.6.2: 404, 405 and 501 say the server has no such resource "
            "or method here; the document lists none of them for this operation",
            hint=f"is {op.method} {op.path} served under another path prefix, or not implemented yet?",
        )
        return
    if response.ok:
        if status in op.success_statuses:
            return
        if GAP_SUCCESS_RESPONSE in op.gaps:
            yield violation(
                f"Documentation gap: success answered {status}, no success response is documented",
                "a documented 2xx (the document lists none)",
                str(status),
                severity="warning",
            )
        else:
            yield violation("Undocumented success status", f"one of {list(op.success_statuses)}", str(status))
    elif 300 <= status < 400:
        if status in op.responses:  # a documented 304 answers a conditional request as documented
            return
        yield violation(
            f"Redirected: {case.title}", "a documented 2xx", f"{status} to {response.header('location')}"
        )
    elif status == 412 and any(k.lower().startswith("if-") for k, _ in case.headers):
        # the tag or date a conditional request carries is not the resource's current one: a guess (the
        # document's example) or overtaken by an earlier request of the run
        yield violation(
            f"Inconclusive: precondition failed: {case.title}",
            "a documented 2xx",
            answer(response),
            severity="warning",
            hint="give the resource's current tag as a known value (--data)",
            basis="RFC 9110 §15.5.13: 412 says a condition the request carries (If-Match, "
            "If-Unmodified-Since…) is false for the resource's current state",
        )
    elif case.method.upper() == "DELETE" and status in (404, 410) and ctx.resource_given:
        # the data file's resource may have been deleted by an earlier run (a DELETE is sent once a run)
        yield violation(
            f"Inconclusive: the resource to delete was not found: {case.title}",
            "a documented 2xx",
            answer(response),
            severity="warning",
            hint=f"give {op.label} an id that exists in the data file (an earlier run may have deleted it)",
            basis="RFC 9110 §9.3.5: a DELETE of a resource already deleted may rightly be answered 404 or 410",
        )
    elif GAP_REQUEST_BODY in op.gaps:
        # no request is known valid: the body sent is a guess, and refusing it is the implementation's right
        yield violation(
            "Documentation gap: valid requests are refused, and the document lists no request fields",
            "a documented 2xx (the body sent is a guess: the document lists no request fields)",
            answer(response),
            severity="warning",
            hint="list the request fields in the operation's document",
        )
    elif ctx.baseline_ok:
        yield violation(
            "Some valid requests were refused",
            "a documented 2xx (other valid requests succeeded: a business rule may apply)",
            answer(response),
            severity="warning",
            hint=known_values_hint(ctx),
        )
    elif ctx.missing_known:
        yield violation(
            "Inconclusive: valid requests are refused",
            "a documented 2xx",
            answer(response),
            severity="warning",
            hint=known_values_hint(ctx),
        )
    else:
        yield violation(
            "Valid requests are refused",
            f"a documented 2xx ({list(op.success_statuses) or 'any'})",
            answer(response),
        )


def _wrong_code(op: Operation, codes: tuple[str, ...], response: Response) -> bool:
    """A known code other than the expected ones, when the document's enum lists an expected one."""
    code = error_code(response)
    wanted = supported_codes(op, codes, response.status)
    known = op.error_codes + enum_of(response_for(op, response.status))
    return bool(wanted) and code in known and code not in wanted


def _same_refusal(ctx: CheckContext, response: Response) -> bool:
    base = ctx.baseline.response if ctx.baseline else None
    return base is not None and base.status == response.status and error_code(base) == error_code(response)


def known_values_hint(ctx: CheckContext) -> str:
    """The fix for a refusal that known values would avoid (shown with the finding by every reporter)."""
    if not ctx.missing_known:
        return ""
    return f"give known values (--data) for: {', '.join(ctx.missing_known)}"
