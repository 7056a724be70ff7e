"""Did each case get the answer the contract requires of it (status, and error code where it matters)?

`expected_outcome` hands each answer to the judge its case kind registered (a probe kind is one unit:
the cases it builds and the judge of their answers, fcvalidate.engine.probes); the judges share the
rules written here once, as named helpers:
- a 5xx is never judged here: it is reported once, under no-server-errors;
- a probe still answered 429 after the runner's retries proves nothing (`probe`);
- a status is documented when the operation lists it or documents a `default` response;
- an error code is compared only when the document's own enum for that status lists the expected code and
  the code seen is one of the operation's: a code outside the enum is reported once, under error-body;
- a refused request (`refusal`): a documented 4xx; a rejection proves a defect was rejected only when the
  unmutated request succeeded, or when the rejection differs from how the unmutated request was refused
  (otherwise it is inconclusive: a warning that names the inputs a data file should give);
- where the document is silent the finding is a warning that says so: it lists no 4xx at all, or none
  for an invalid request (neither 400 nor 422), or not the convention's status (400, 404);
- an expectation the document does not state (400 for a body that is not JSON) carries its basis, an HTTP
  convention (`MALFORMED_BASIS`; each unit names its own the same way).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import wraps
from typing import Any

from fcvalidate.checks.bodies import parse_json
from fcvalidate.checks.error_body import enum_of
from fcvalidate.checks.registry import NO_BASIS, Basis, CheckContext, Violation, check
from fcvalidate.contract.operation import GAP_REQUEST_BODY, Operation, ResponseSpec
from fcvalidate.exchange import Case, Exchange, Response

MALFORMED_BASIS = Basis(conventions=("http.400-malformed-body",))
ENUM_NORMALISED_BASIS = Basis(conventions=("json-schema.enum-not-normalised",))
INVALID_REQUEST_STATUSES = (400, 422)


@dataclass(frozen=True, slots=True)
class Answered:
    """A case that got a response, as a judge sees it; `violation` makes a finding about it."""

    ctx: CheckContext
    case: Case
    response: Response

    @property
    def op(self) -> Operation:
        return self.ctx.operation

    @property
    def status(self) -> int:
        return self.response.status

    def violation(
        self,
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
        case = self.case
        return Violation(
            case.requirement, title, location, expected, actual, case.source, severity, hint=hint, basis=basis
        )


Judge = Callable[[Answered], Iterator[Violation]]
# case kind → the judge of its answers: filled by registering a probe kind (fcvalidate.engine.probes)
JUDGES: dict[str, Judge] = {}


@check(name="fcvalidate.expected-outcome")
def expected_outcome(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    case, response = exchange.case, exchange.response
    if response is None:
        yield Violation(
            case.requirement,
            f"No response: {kind_of(case)}",
            "response",
            "an HTTP response",
            exchange.error or "no response",
            case.source,
        )
    elif response.status < 500:  # a 5xx is judged once, under no-server-errors
        yield from JUDGES.get(case.kind, nothing_more)(Answered(ctx, case, response))


def probe(judge: Judge) -> Judge:
    """A probe's judge, behind the rule every probe shares: still rate-limited after the runner's retries,
    the answer says nothing about the probe (a valid request refused so is judged as any refusal: an
    implementation that never answers fails, so the valid requests' judge is not wrapped)."""

    @wraps(judge)
    def judged(a: Answered) -> Iterator[Violation]:
        if a.status != 429:
            yield from judge(a)
            return
        yield a.violation(
            f"Rate limited: {kind_of(a.case)}",
            "an answer to the request itself",
            answer(a.response),
            severity="warning",
            hint="lower --rate-limit or --max-concurrency",
            basis="RFC 6585 §4: 429 Too Many Requests says the client sent too many requests, not what was wrong",
        )

    return judged


@probe
def nothing_more(a: Answered) -> Iterator[Violation]:
    """A probe judged under no-server-errors alone (fuzzed and edge requests): nothing more to judge."""
    return iter(())


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


def wrong_code(op: Operation, codes: tuple[str, ...], response: Response) -> bool:
    """A known code other than the expected ones, when the document's enum lists an expected one."""
    code = error_code(response)
    wanted = supported_codes(op, codes, response.status)
    known = op.error_codes + enum_of(response_for(op, response.status))
    return bool(wanted) and code in known and code not in wanted


def code_basis(op: Operation, codes: tuple[str, ...], status: int) -> Basis:
    spec = response_for(op, status)
    where = spec.source.at if spec is not None else ""
    enum = enum_of(spec)
    wanted = supported_codes(op, codes, status)
    note = f"the document's enum for {status} ({where}) lists {', '.join(wanted)}"
    if set(enum) <= set(wanted):  # the enum itself leaves no other code: the document says it
        return Basis(note=note)
    return Basis(conventions=("fibre-cafe.code-names-refusal",), note=note + ", among other codes")


def redirected(a: Answered, expected: str, severity: Any = "failure", basis: Basis = NO_BASIS) -> Violation:
    where = f"{a.status} to {a.response.header('location')}"
    return a.violation(f"Redirected: {a.case.title}", expected, where, severity=severity, basis=basis)


def known_values_hint(ctx: CheckContext) -> str:
    """The fix for a refusal that known values would avoid (shown with the finding by every reporter)."""
    if not ctx.missing_known:
        return ""
    return f"give known values (--data) for: {', '.join(ctx.missing_known)}"


# -- a request the document refuses ----------------------------------------------------------------------


def refusal(*, syntax: bool = False, against_baseline: bool = False) -> Judge:
    """The judge of a request the document refuses: a documented 4xx (`rejected`). `syntax`: a body that
    is not JSON, or JSON that is not an object, refused on the convention http.400-malformed-body (400
    is its own answer); `against_baseline`: a one-defect request, whose rejection proves the defect was
    noticed only against a succeeding valid request (a body that is not JSON is refused for what it is,
    whatever the valid requests get)."""

    @probe
    def judge(a: Answered) -> Iterator[Violation]:
        yield from rejected(a, syntax=syntax, against_baseline=against_baseline)

    return judge


def rejected(a: Answered, *, syntax: bool = False, against_baseline: bool = False) -> Iterator[Violation]:
    basis = NO_BASIS
    if syntax:
        basis = MALFORMED_BASIS
        if GAP_REQUEST_BODY in a.op.gaps:
            basis = basis.plus(inferences=(GAP_REQUEST_BODY,))  # the body it breaks is a guess
    if a.response.ok:
        yield _accepted(a, basis)
    elif 300 <= a.status < 400:
        yield redirected(a, "a documented 4xx")
    elif response_for(a.op, a.status) is None:
        yield _undocumented_refusal(a, basis, syntax)
    else:
        yield from _documented_refusal(a, basis, against_baseline)


def _accepted(a: Answered, basis: Basis) -> Violation:
    if not lists_4xx(a.op):
        # the document lists no refusal at all (a listing it never refuses, a body it takes as it comes):
        # accepting is within what it says, and only the document can settle it
        return a.violation(
            f"Documentation gap: accepted, and the document lists no refusal: {kind_of(a.case)}",
            "a refusal the document would have to list (it lists no 4xx)",
            answer(a.response),
            severity="warning",
            basis=basis.plus("the document lists no 4xx, so it does not say this request is refused"),
            hint="list the operation's refusals (4xx responses) in its document",
        )
    defect = a.case.defect
    return a.violation(
        f"Accepted: {a.case.title}",
        f"a documented 4xx ({documented_4xx(a.op)})",
        answer(a.response),
        basis=ENUM_NORMALISED_BASIS if defect is not None and defect.kind == "enum-normalised" else basis,
    )


def _undocumented_refusal(a: Answered, basis: Basis, syntax: bool) -> Violation:
    op, status, got = a.op, a.status, answer(a.response)
    if status in a.case.expect.statuses or (status == 400 and syntax):
        return a.violation(
            f"Rejected with {status}, which the document does not list: {a.case.title}",
            f"one of {documented_4xx(op)}",
            got,
            severity="warning",
            basis=basis,
        )
    if not lists_4xx(op):
        return a.violation(
            f"Documentation gap: rejected with {status}, the document lists no error status",
            "a documented 4xx (the document lists none)",
            got,
            severity="warning",
        )
    if not any(s in op.responses for s in INVALID_REQUEST_STATUSES):
        # The document lists only statuses for other refusals (404, 409, 412...): it does not say how an
        # invalid request is refused, so a 400 or 422 there is its silence, not a defect.
        return a.violation(
            f"Documentation gap: rejected with {status}, the document lists no status for an invalid request",
            f"one of {documented_4xx(op)} (none of them is 400 or 422)",
            got,
            severity="warning",
        )
    return a.violation(
        f"Rejected with an undocumented status: {a.case.title}", f"one of {documented_4xx(op)}", got
    )


def _documented_refusal(a: Answered, basis: Basis, against_baseline: bool) -> Iterator[Violation]:
    op, status, expect = a.op, a.status, a.case.expect
    # a convention's status the document does not list (400 where only 422 is documented) constrains nothing
    wanted = tuple(s for s in expect.statuses if s in op.responses)
    if wanted and status not in wanted:
        yield a.violation(
            f"Rejected with the wrong status: {a.case.title}",
            f"one of {list(wanted)}",
            answer(a.response),
            basis=basis,
        )
    elif wrong_code(op, expect.codes, a.response):
        yield a.violation(
            f"Rejected with the wrong error code: {a.case.title}",
            f"code one of {', '.join(supported_codes(op, expect.codes, status))}",
            answer(a.response),
            "response.body.$.code",
            basis=code_basis(op, expect.codes, status),
        )
    elif against_baseline and not a.ctx.baseline_ok and _same_refusal(a.ctx, a.response):
        yield a.violation(
            "Inconclusive: invalid requests are refused the same way as valid ones",
            "the valid request to succeed, so that a rejection proves the defect was noticed",
            f"both answered {answer(a.response)}",
            severity="warning",
            hint=known_values_hint(a.ctx),
        )


def _same_refusal(ctx: CheckContext, response: Response) -> bool:
    base = ctx.baseline.response if ctx.baseline else None
    return base is not None and base.status == response.status and error_code(base) == error_code(response)


# -- a replay of the valid request that must be answered as it was ---------------------------------------

CONSUMED = (
    "the same request sent again: the first may have deleted the resource, made the repeat a conflict or "
    "changed the resource past the tag it carries (412, RFC 9110 §15.5.13), so this refusal proves nothing "
    "about header names"
)


def like_parent(basis: Basis = NO_BASIS) -> Judge:
    """The judge of the valid request sent again with only its spelling changed (header names in lower
    case): the same class of answer as the valid request got. A refusal may be the first request having
    deleted the resource, made the repeat a conflict, or moved it past the tag a conditional request
    carries (412: the header was read): a warning then."""

    @probe
    def judge(a: Answered) -> Iterator[Violation]:
        base = a.ctx.baseline.response if a.ctx.baseline else None
        if base is None or not base.ok or a.status < 400:
            return
        consumed = a.status in (409, 412) or (a.status in (404, 410) and a.case.method.upper() == "DELETE")
        yield a.violation(
            f"Refused: {a.case.title}",
            f"{base.status}, as with the usual header names",
            answer(a.response),
            severity="warning" if consumed else "failure",
            basis=CONSUMED if consumed else basis,
        )

    return judge
