"""Other methods: those the documents give no operation for on a path, which should be refused 405 with
an Allow header (RFC 9110 §15.5.6; a warning: the convention http.405-other-methods).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from fcvalidate.checks.outcome import Answered, answer, probe
from fcvalidate.checks.registry import Basis, Violation
from fcvalidate.contract.operation import Operation
from fcvalidate.engine.generate import scalar_text
from fcvalidate.engine.probes.derive import derived
from fcvalidate.engine.probes.parts import SAFE_METHODS, RequestParts, names_nothing
from fcvalidate.engine.probes.registry import ProbeInput, ProbeKind, register
from fcvalidate.exchange import Case, Expect
from fcvalidate.requirements import RequirementId as R

OTHER_METHODS = ("GET", "PUT", "PATCH", "DELETE")
METHOD_BASIS = Basis(conventions=("http.405-other-methods",))


def method_cases(
    op: Operation,
    ref: Case,
    documented: Iterable[str] = (),
    parts: RequestParts | None = None,
    read_only: bool = False,
) -> list[Case]:
    """Methods the documents give no operation for on this path. One that may change data is sent only
    where it names nothing: on a path with an identifier, an id that names no resource (a framework
    answers 405 by route, before any lookup); never on a collection, where it would act on everything."""
    taken = {op.method, *documented}
    if "HEAD" in taken:  # HEAD is GET without the body (RFC 9110 §9.3.2): a resource with one has both
        taken.add("GET")
    unknown = _unknown_path(op, parts or RequestParts())
    cases: list[Case] = []
    for method in (m for m in OTHER_METHODS if m not in taken):
        path = ref.path
        if method not in SAFE_METHODS:
            if read_only or unknown is None:
                continue
            path = unknown
        with_body = method in ("PUT", "PATCH")
        cases.append(
            derived(
                op,
                ref,
                R.METHOD_NOT_ALLOWED,
                "method",
                len(cases),
                f"{method} {op.path}",
                method=method,
                body=ref.body if with_body else None,
                expect=Expect("method-refused"),
                source=op.source,
                path=path,
                content_type=ref.content_type if with_body else None,
            )
        )
    return cases


def _unknown_path(op: Operation, parts: RequestParts) -> str | None:
    """The operation's path with every identifier naming nothing; None for a path without one."""
    params = op.in_("path")
    if not params:
        return None
    return parts.path(
        op, {p.name: scalar_text(names_nothing(p, parts.path_values.get(p.name))) for p in params}
    )


@probe
def method_refused(a: Answered) -> Iterator[Violation]:
    if a.status != 405:
        yield a.violation(
            f"Not refused with 405: {a.case.title}",
            "405 Method Not Allowed",
            answer(a.response),
            severity="warning",
            basis=METHOD_BASIS,
        )
    elif not a.response.header("allow"):
        yield a.violation(
            f"405 without an Allow header: {a.case.title}",
            "an Allow header",
            "none",
            "response.header.Allow",
            "warning",
            basis=METHOD_BASIS,
        )


def _build(given: ProbeInput) -> list[Case]:
    return method_cases(given.op, given.ref, given.documented_methods, given.parts, given.read_only)


METHODS = register(ProbeKind("methods", {"method": method_refused}, _build, order=110))
