"""Required headers: each one left out, which must be refused; and every header name sent in lower case,
which must be answered as the valid request was (RFC 9110 §5.1: field names are case-insensitive).
"""

from __future__ import annotations

from fcvalidate.checks.outcome import like_parent, refusal
from fcvalidate.contract.operation import Operation
from fcvalidate.engine.probes.derive import derived
from fcvalidate.engine.probes.registry import ProbeInput, ProbeKind, register
from fcvalidate.exchange import Case, Defect, Expect
from fcvalidate.requirements import RequirementId as R


def header_cases(op: Operation, ref: Case) -> list[Case]:
    cases = [
        derived(
            op,
            ref,
            R.REQUIRED_HEADERS,
            "missing-header",
            n,
            f"request without {header.name}",
            headers=tuple((k, v) for k, v in ref.headers if k.lower() != header.name.lower()),
            expect=Expect("rejected"),
            source=header.source,
            defect=Defect("missing-header", f"request.header.{header.name}", f"{header.name} left out"),
        )
        for n, header in enumerate(h for h in op.headers if h.required)
    ]
    if op.headers and op.method != "DELETE":  # a second DELETE of the same resource is rightly refused
        lower = tuple((k.lower(), v) for k, v in ref.headers)
        title = "header names sent in lower case"
        like_ref = Expect("like-parent")
        cases.append(
            derived(
                op,
                ref,
                R.REQUIRED_HEADERS,
                "header-case",
                0,
                title,
                headers=lower,
                expect=like_ref,
                source=op.headers[0].source,
            )
        )
    return cases


def _build(given: ProbeInput) -> list[Case]:
    return header_cases(given.op, given.ref)


HEADERS = register(
    ProbeKind(
        "headers",
        {"missing-header": refusal(against_baseline=True), "header-case": like_parent()},
        _build,
        order=10,
    )
)
