"""Invalid requests: one defect each (a body mutation, a query parameter the contract forbids), which
must be refused; and a path naming a resource that does not exist, which must be answered 404 (or the
status the document gives an unknown resource).
"""

from __future__ import annotations

from collections.abc import Iterator

from fcvalidate.checks.outcome import (
    Answered,
    answer,
    documented_4xx,
    error_code,
    probe,
    redirected,
    refusal,
    response_for,
)
from fcvalidate.checks.registry import Basis, Violation
from fcvalidate.contract.operation import GAP_REQUEST_BODY, Operation
from fcvalidate.engine.generate import is_json_media, scalar_text, unknown_value
from fcvalidate.engine.mutations import mutations, query_defects
from fcvalidate.engine.probes.derive import derived
from fcvalidate.engine.probes.parts import RequestParts, typed
from fcvalidate.engine.probes.registry import ProbeInput, ProbeKind, Skip, register
from fcvalidate.exchange import Case, Defect, Expect, dump_json
from fcvalidate.requirements import RequirementId as R

UNKNOWN_RESOURCE_BASIS = Basis(conventions=("http.404-unknown-resource",))
CREATING_METHODS = frozenset({"PUT", "POST", "PATCH"})


def invalid_cases(op: Operation, ref: Case, parts: RequestParts | None = None) -> list[Case] | Skip:
    """One-defect requests: body mutations, query parameters the contract forbids (a required one left
    out, a wrong type, a value outside its enum, JSON content that is not JSON or not an object), and
    a path naming a resource that does not exist."""
    parts = parts or RequestParts()
    reason = _no_body_mutation(op)
    cases = _body_cases(op, ref) if reason is None else []
    # Sent whatever 4xx the document lists: where it lists none, the outcome oracle judges a refusal as a
    # documentation gap (a warning) and an acceptance as the failure it is.
    cases += _query_cases(op, ref, parts, start=len(cases))
    cases += _cookie_cases(op, ref, start=len(cases))
    cases += _unknown_resource_cases(op, ref, parts)
    if cases:
        return cases
    if GAP_REQUEST_BODY in op.gaps and not op.in_("query"):
        return Skip(
            R.INVALID_REQUESTS, "not tested: the document lists no request fields (gap: request-body)"
        )
    if reason is None:
        return []
    reasons = [reason]
    if op.in_("query") or op.in_("path"):
        reasons.append("no parameter has a value the contract clearly forbids")
    return Skip(R.INVALID_REQUESTS, f"not tested: {'; '.join(reasons)}")


def _no_body_mutation(op: Operation) -> str | None:
    """Why the body cannot carry a defect the contract forbids (None: it can)."""
    if GAP_REQUEST_BODY in op.gaps:
        return "the document lists no request fields (gap: request-body)"
    if op.request_media_type is None:
        return f"{op.method} takes no request body"
    if not is_json_media(op.request_media_type):
        return f"the request body is {op.request_media_type}, not JSON"
    return None


def _body_cases(op: Operation, ref: Case) -> list[Case]:
    body = ref.json_body
    if not op.request_schema or not isinstance(body, dict):
        return []
    return [
        derived(
            op,
            ref,
            R.INVALID_REQUESTS,
            "invalid",
            n,
            m.defect.description,
            body=dump_json(m.body),
            expect=Expect("rejected"),
            source=m.source,
            defect=m.defect,
        )
        for n, m in enumerate(mutations(body, op.request_schema))
    ]


def _query_cases(op: Operation, ref: Case, parts: RequestParts, start: int) -> list[Case]:
    cases = []
    n = start
    for p in op.in_("query"):
        for d in query_defects(p.name, p.schema, p.required, p.media_type, p.explode):
            query = tuple(pair for pair in ref.query if pair[0] != p.name) + tuple(d.value or ())
            cases.append(
                derived(
                    op,
                    ref,
                    R.INVALID_REQUESTS,
                    "invalid",
                    n,
                    d.defect.description,
                    expect=Expect("rejected"),
                    source=p.source,
                    defect=d.defect,
                    query=query,
                )
            )
            n += 1
    return cases


def _cookie_cases(op: Operation, ref: Case, start: int) -> list[Case]:
    """The valid request without one required cookie, the rest as sent: refused like any required input."""
    sent = {name for name, _ in ref.cookies}
    missing = [p for p in op.in_("cookie") if p.required and p.name in sent]
    return [
        derived(
            op,
            ref,
            R.INVALID_REQUESTS,
            "invalid",
            start + n,
            f"required cookie {p.name} is missing",
            expect=Expect("rejected"),
            source=p.source,
            defect=Defect(
                "missing-required", f"request.cookie.{p.name}", f"required cookie {p.name} is missing"
            ),
            cookies=tuple(c for c in ref.cookies if c[0] != p.name),
        )
        for n, p in enumerate(missing)
    ]


# A resource that does not exist: refused with the status the contract gives it, wherever the method
# reads, changes or deletes one. A PUT or POST may create what it names, so it is sent one only when the
# contract says 404 and documents no 201; OPTIONS answers for the path whatever exists, so never.
def not_found_status(op: Operation) -> int | None:
    """The status the contract gives an unknown resource: 404 when documented, else a documented 4xx whose
    error codes include NOT_FOUND (the gateway's 422 NOT_FOUND); None: the contract does not say."""
    if 404 in op.responses:
        return 404
    return next((s for s in op.error_statuses if s < 500 and "NOT_FOUND" in op.error_codes_for(s)), None)


def _unknown_resource_cases(op: Operation, ref: Case, parts: RequestParts) -> list[Case]:
    status = not_found_status(op)
    if status is None or op.method == "OPTIONS":
        return []
    if op.method in ("PUT", "POST") and (status != 404 or 201 in op.responses):
        return []
    for p in op.in_("path"):
        unknown = unknown_value(p.schema, typed(p, parts.path_values.get(p.name)))
        if unknown is None:
            continue
        return [
            derived(
                op,
                ref,
                R.INVALID_REQUESTS,
                "unknown-resource",
                0,
                f"a {p.name} that names no resource: {unknown}",
                expect=Expect("rejected", statuses=(status,)),
                source=op.responses[status].source,
                path=parts.path(op, {p.name: scalar_text(unknown)}),
            )
        ]
    return []


@probe
def unknown_resource(a: Answered) -> Iterator[Violation]:
    """A path id that does not exist: a documented 4xx; 404 where documented (or 410 where documented, or a
    documented 4xx whose code names not-found, e.g. 422 NOT_FOUND). A 2xx where the document lists 404 or
    410 is a failure, unless the request may create what it names (a PUT, or a POST or PATCH documenting
    201). Every other departure is a warning that says why: "unknown" is fcvalidate's guess at an id, and
    the document does not describe the form of ids."""
    op, status, basis = a.op, a.status, UNKNOWN_RESOURCE_BASIS
    gone = [s for s in (404, 410) if s in op.responses]
    if a.response.ok:
        yield _found(a, gone)
    elif 300 <= status < 400:
        yield redirected(a, "a documented 4xx", "warning", basis)
    elif status in gone or (status == 404 and op.default_response is not None):
        return
    elif response_for(op, status) is None:
        # 404/410 are HTTP's own answers; another 4xx may be the implementation checking the id's form
        # (which the document does not describe): the document's silence makes it a warning
        yield a.violation(
            f"Answered {status}, which the document does not list: {a.case.title}",
            f"a documented 4xx ({documented_4xx(op)})",
            answer(a.response),
            severity="warning",
            basis=basis,
        )
    elif gone and not _names_not_found(error_code(a.response)):
        yield a.violation(
            f"Answered {status}, not {' or '.join(map(str, gone))}: {a.case.title}",
            f"{' or '.join(map(str, gone))} (documented), or a documented 4xx whose code names not-found",
            answer(a.response),
            severity="warning",
            basis=basis.plus(
                "another documented 4xx may be the implementation checking the id's form, hence a warning"
            ),
        )


def _found(a: Answered, gone: list[int]) -> Violation:
    method = a.case.method.upper()
    # PUT replaces whatever the path names: a member's preferences may exist before any PUT
    creates = method == "PUT" or (201 in a.op.responses and method in CREATING_METHODS)
    if gone and not creates:
        return a.violation(
            f"An unknown resource was found: {a.case.title}",
            f"{' or '.join(map(str, gone))}",
            answer(a.response),
            basis=UNKNOWN_RESOURCE_BASIS,
        )
    return a.violation(
        f"Succeeded for an unknown resource: {a.case.title}",
        f"a documented 4xx ({documented_4xx(a.op)})",
        answer(a.response),
        severity="warning",
        basis=UNKNOWN_RESOURCE_BASIS.plus(
            f"a {method} may create or ignore a missing resource and the document "
            + ("may create it (PUT, or a documented 201)" if creates else "lists neither 404 nor 410")
            + ", hence a warning"
        ),
    )


def _names_not_found(code: str | None) -> bool:
    return bool(code) and "NOTFOUND" in "".join(ch for ch in str(code).upper() if ch.isalnum())


def _build(given: ProbeInput) -> list[Case] | Skip:
    return invalid_cases(given.op, given.ref, given.parts)


INVALID = register(
    ProbeKind(
        "invalid",
        {"invalid": refusal(against_baseline=True), "unknown-resource": unknown_resource},
        _build,
        order=70,
    )
)
