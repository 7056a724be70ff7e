"""fcvalidate's check registry as one Schemathesis check, for teams that already run `st run` or
Schemathesis's pytest integration:

    SCHEMATHESIS_HOOKS=fcvalidate.checks.schemathesis_hooks st run contracts/fibre-cafe-1.15.openapi.json \\
        -u http://127.0.0.1:8080 -H "Authorization: Bearer $TOKEN" -c fcvalidate_conformance

It judges each response with every registered exchange check, fcvalidate's and the user's (a module that
registers them with `@fcvalidate.check` and imports this one), under the same policy `certify` applies
(`by_policy`): the error-body oracle (the response documented for its status, else `default`; the code
within *this* operation's own enum; the contract's formats), the success-body oracle, no 5xx, each
quoting the contract clause. Findings that are warnings are not raised: Schemathesis has no warnings.
The request-side oracles need the engine's one-defect cases and stay with `certify`; a check is left
out here by `fcvalidate.checks.unregister(name)`.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.core.failures import Failure, Severity

from fcvalidate.checks.registry import CheckContext, Violation, run_checks
from fcvalidate.contract.operation import Operation, contract_from_spec
from fcvalidate.exchange import NO_SOURCE, Case, Exchange, Expect, Response
from fcvalidate.requirements import RequirementId as R

# id(raw schema) → (that schema, its operations); holding the schema keeps its id from being reused.
_OPERATIONS: dict[int, tuple[Any, dict[tuple[str, str], Operation]]] = {}


class ContractViolation(Failure):
    """A finding of fcvalidate's oracle, with the requirement, location and clause it came from."""

    code = "FC001"
    kind_title = "fcvalidate contract violation"
    __slots__ = ("clause", "location", "requirement")

    def __init__(self, *, operation: str, violation: Violation, case_id: str | None = None) -> None:
        message = (
            f"{violation.location}: expected {violation.expected}; got {violation.actual}\n"
            f"Clause {violation.source.at}: {violation.source.clause}"
            + (f"\nBasis: {violation.basis.text}" if violation.basis else "")
            + (f"\nCheck: {violation.check}" if violation.check else "")
        )
        super().__init__(
            operation=operation,
            title=violation.title,
            message=message,
            case_id=case_id,
            severity=Severity.HIGH,
        )
        self.requirement = violation.requirement
        self.location = violation.location
        self.clause = violation.source.clause

    @property
    def _unique_key(self) -> str:
        return f"{self.requirement}|{self.title}|{self.location}"


def _operation(case: Any) -> Operation | None:
    schema = case.operation.schema.raw_schema
    cached = _OPERATIONS.get(id(schema))
    if cached is None or cached[0] is not schema:
        contract = contract_from_spec("schema", schema)
        cached = _OPERATIONS[id(schema)] = (schema, {(op.method, op.path): op for op in contract.operations})
    return cached[1].get((case.method.upper(), case.path))


@schemathesis.check
def fcvalidate_conformance(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every registered exchange check, under the policy, on Schemathesis's answer: the first failure
    is raised (a warning is not: Schemathesis has none)."""
    op = _operation(case)
    if op is None:
        return True  # not an operation of an fcvalidate contract: skipped
    for violation in run_checks(CheckContext(op), _exchange(op, case, response)):
        if violation.severity == "failure":
            raise ContractViolation(operation=op.label, violation=violation, case_id=str(case.id))
    return None


def _exchange(op: Operation, case: Any, response: Any) -> Exchange:
    """Schemathesis's case and answer as an fcvalidate exchange: a fuzzed request when Schemathesis
    generated it invalid, else a valid one, expecting only no server error (the engine's one-defect
    expectations do not apply to it)."""
    meta = getattr(case, "meta", None)
    components = meta.components.values() if meta else ()
    negative = any(getattr(c, "mode", None) and c.mode.value == "negative" for c in components)
    ours = Case(
        id=str(case.id),
        operation=op.label,
        requirement=R.ERROR_BODY,
        kind="fuzz" if negative else "valid",
        title="a Schemathesis case",
        method=op.method,
        path=op.path,
        headers=(),
        body=None,
        expect=Expect("no-server-error"),
        source=NO_SOURCE,
    )
    headers = tuple((name, value) for name, values in response.headers.items() for value in values)
    return Exchange(ours, "", Response(response.status_code, headers, response.content, response.elapsed))
