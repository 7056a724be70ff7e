"""Did each case get the answer the contract requires of it (status, and error code where it matters)?

The precise oracle, written once:
- a 5xx is never judged here: it is reported once, under no-server-errors;
- an error code is compared only when it is one of the operation's own codes: a code outside the enum,
  or no readable code at all, is reported once, under error-body;
- a rejection proves a defect was rejected only when the unmutated request succeeded, or when the
  rejection differs from how the unmutated request was refused (otherwise it is inconclusive: a warning
  that names the inputs a data file should give);
- a valid request that is refused is a failure only when no valid request succeeded and known values were
  given; an undocumented 2xx on an operation with a success-response gap is a documentation warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fcvalidate.checks.bodies import parse_json
from fcvalidate.checks.registry import CheckContext, Violation, check
from fcvalidate.contract.operation import GAP_SUCCESS_RESPONSE
from fcvalidate.exchange import Case, Exchange, Response


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


@check
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
    ) -> Violation:
        return Violation(req, title, location, expected, actual, case.source, severity, hint=hint)

    if response is None:
        yield violation(
            f"No response: {kind_of(case)}", "an HTTP response", exchange.error or "no response", "response"
        )
        return
    status = response.status
    if status >= 500:
        return
    outcome = case.expect.outcome
    documented_4xx = [s for s in op.error_statuses if s < 500]
    if outcome == "success":
        yield from _success(ctx, exchange, response, violation)
    elif outcome == "rejected":
        if response.ok:
            yield violation(
                f"Accepted: {case.title}",
                f"a documented 4xx ({', '.join(map(str, documented_4xx))})",
                answer(response),
            )
        elif 300 <= status < 400:
            yield violation(
                f"Redirected: {case.title}", "a documented 4xx", f"{status} to {response.header('location')}"
            )
        elif status not in documented_4xx:
            yield violation(
                f"Rejected with an undocumented status: {case.title}",
                f"one of {documented_4xx}",
                answer(response),
            )
        elif case.expect.statuses and status not in case.expect.statuses:
            yield violation(
                f"Rejected with the wrong status: {case.title}",
                f"one of {list(case.expect.statuses)}",
                answer(response),
            )
        elif _wrong_code(op, case.expect.codes, response):
            yield violation(
                f"Rejected with the wrong error code: {case.title}",
                f"code one of {', '.join(case.expect.codes)}",
                answer(response),
                "response.body.$.code",
            )
        elif (
            case.kind in ("invalid", "missing-header")
            and not ctx.baseline_ok
            and _same_refusal(ctx, response)
        ):
            yield violation(
                "Inconclusive: invalid requests are refused the same way as valid ones",
                "the valid request to succeed, so that a rejection proves the defect was noticed",
                f"both answered {answer(response)}",
                severity="warning",
                hint=known_values_hint(ctx),
            )
    elif outcome == "unauthorised":
        allowed = [401] + ([403] if case.kind == "bad-token" and 403 in op.responses else [])
        if response.ok:
            yield violation(f"Accepted: {case.title}", "401 NOT_AUTHORISED", answer(response))
        elif status not in allowed:
            yield violation(f"Wrong status: {case.title}", " or ".join(map(str, allowed)), answer(response))
        elif status == 401 and _wrong_code(op, case.expect.codes, response):
            yield violation(
                f"Wrong error code: {case.title}",
                f"code {' or '.join(case.expect.codes)}",
                answer(response),
                "response.body.$.code",
            )
    elif outcome == "not-success":
        if response.ok:
            yield violation(f"Succeeded: {case.title}", "a refusal (not 2xx)", answer(response))
    elif outcome == "like-parent":
        base = ctx.baseline.response if ctx.baseline else None
        if base is not None and base.ok and status >= 400:
            yield violation(
                f"Refused: {case.title}", f"{base.status}, as with the usual header names", answer(response)
            )
    elif outcome == "method-refused":
        if status != 405:
            yield violation(
                f"Not refused with 405: {case.title}",
                "405 Method Not Allowed",
                answer(response),
                severity="warning",
            )
        elif not response.header("allow"):
            yield violation(
                f"405 without an Allow header: {case.title}",
                "an Allow header",
                "none",
                "response.header.Allow",
                "warning",
            )


def _success(
    ctx: CheckContext, exchange: Exchange, response: Response, violation: Any
) -> Iterator[Violation]:
    op, case, status = ctx.operation, exchange.case, response.status
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
        yield violation(
            f"Redirected: {case.title}", "a documented 2xx", f"{status} to {response.header('location')}"
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


def _wrong_code(op: Any, codes: tuple[str, ...], response: Response) -> bool:
    code = error_code(response)
    return bool(codes) and code in op.error_codes and code not in codes


def _same_refusal(ctx: CheckContext, response: Response) -> bool:
    base = ctx.baseline.response if ctx.baseline else None
    return base is not None and base.status == response.status and error_code(base) == error_code(response)


def known_values_hint(ctx: CheckContext) -> str:
    """The fix for a refusal that known values would avoid (shown with the finding by every reporter)."""
    if not ctx.missing_known:
        return ""
    return f"give known values (--data) for: {', '.join(ctx.missing_known)}"
