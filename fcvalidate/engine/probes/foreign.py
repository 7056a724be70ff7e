"""Tenant isolation: a successful request replayed as another principal, and another tenant's resource
asked for as this principal, neither of which may succeed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from fcvalidate.checks.outcome import Answered, answer, probe
from fcvalidate.checks.registry import Violation
from fcvalidate.contract.operation import GAP_REQUEST_BODY, Operation
from fcvalidate.engine.data import OperationValues, apply_fields, reference_like
from fcvalidate.engine.generate import scalar_text
from fcvalidate.engine.probes.derive import derived
from fcvalidate.engine.probes.parts import RequestParts
from fcvalidate.engine.probes.registry import ProbeInput, ProbeKind, Skip, register
from fcvalidate.exchange import Case, Expect, dump_json
from fcvalidate.requirements import RequirementId as R

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def tenant_scoped(op: Operation, values: OperationValues, parts: RequestParts | None = None) -> bool:
    """Whether another principal must be refused: the data file says so (`tenant_scoped`), else an
    operation that names a resource of this principal: a path identifier with a known value (or one the
    run created), or a body field like `…Id` with a known value. A read of a collection or search with no
    path identifier, and a create, may rightly answer every tenant alike. (An operation whose document
    lists no request fields cannot show whether it names one: it is held to isolation.)"""
    if values.tenant_scoped is not None:
        return values.tenant_scoped
    if op.in_("path"):
        return bool(parts is not None and parts.path_known)
    if op.method in READ_METHODS:
        return False
    if GAP_REQUEST_BODY in op.gaps:
        return True
    return any(reference_like(name) for name in values.fields)


def _unscoped_reason(op: Operation, values: OperationValues) -> str:
    if values.tenant_scoped is False:
        return "marked `tenant_scoped: false` in the data file"
    hint = "(mark it `tenant_scoped: true` in the data file to test it)"
    if op.in_("path"):
        names = ", ".join(p.name for p in op.in_("path"))
        return (
            f"no known value says which resource belongs to this principal: give {names} in the data file "
            "(or let a POST on its collection create one)"
        )
    if op.method in READ_METHODS:
        return f"{op.label} reads a collection or search with no path identifier, which may answer every tenant alike {hint}"
    return f"{op.label} names no resource of this principal (no known value for a field like …Id), and a create may rightly succeed for every tenant {hint}"


def foreign_cases(
    op: Operation,
    ref: Case,
    values: OperationValues,
    baseline_ok: bool = True,
    parts: RequestParts | None = None,
) -> list[Case] | Skip:
    """Two replays of a successful request, each of which must not succeed: as another principal (the
    data file's `foreign` headers, cookies and query parameters) on this principal's resource, and as
    this principal on another tenant's resource (`foreign` path parameters and body fields)."""
    skip = _untestable(op, values, baseline_ok, parts)
    if skip is not None:
        return Skip(R.TENANT_ISOLATION, skip)
    parts = parts or RequestParts()
    path_changes, query_values, cookie_values = _by_location(op, values.foreign_parameters)
    cases: list[Case] = []
    if values.foreign_headers or query_values or cookie_values:
        # a DELETE's goes before its valid request, while the resource exists (engine/stateful.py)
        cases.append(_as_another_principal(op, ref, values, parts, query_values, cookie_values))
    if path_changes or (values.foreign_fields and isinstance(ref.json_body, dict)):
        cases.append(_another_tenants_resource(op, ref, values, parts, path_changes, len(cases)))
    if not cases:
        path = ", ".join(p.name for p in op.in_("path")) or "a field like …Id"
        return Skip(
            R.TENANT_ISOLATION,
            "not tested: the `foreign` values name no other principal and no other tenant's resource "
            f"this operation takes (a `foreign:` value for {path}, another tenant's resource, would test it)",
        )
    return cases


def _by_location(
    op: Operation, params: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, Any], dict[str, str]]:
    """The `foreign` parameters by where they go: path values, query values, cookie values."""
    names = {loc: {p.name for p in op.in_(loc)} for loc in ("path", "query", "cookie")}
    path = {k: scalar_text(v) for k, v in params.items() if k in names["path"]}
    cookies = {k: scalar_text(v) for k, v in params.items() if k in names["cookie"]}
    return path, {k: v for k, v in params.items() if k in names["query"]}, cookies


def _untestable(
    op: Operation, values: OperationValues, baseline_ok: bool, parts: RequestParts | None
) -> str | None:
    if not values.has_foreign:
        return values.no_foreign_reason
    if not tenant_scoped(op, values, parts):
        return f"not tested: {_unscoped_reason(op, values)}"
    if not baseline_ok:
        return "not tested: no valid request succeeded, so there is nothing to replay"
    return None


def _as_another_principal(
    op: Operation,
    ref: Case,
    values: OperationValues,
    parts: RequestParts,
    query_values: dict[str, Any],
    cookie_values: dict[str, str],
) -> Case:
    headers = values.foreign_headers
    principal = {**headers, **query_values, **cookie_values}
    query = tuple(pair for pair in ref.query if pair[0] not in query_values)
    cookies = tuple((k, v) for k, v in ref.cookies if k not in cookie_values)
    names = ", ".join(f"{k}={v}" for k, v in principal.items())
    return derived(
        op,
        ref,
        R.TENANT_ISOLATION,
        "foreign",
        0,
        f"a successful request replayed as another principal ({names})",
        headers=tuple({**dict(ref.headers), **headers}.items()),
        expect=Expect("not-success"),
        source=next((h.source for h in op.headers if h.name in headers), op.source),
        query=query + parts.query_pairs(op, query_values),
        cookies=cookies + tuple(cookie_values.items()),
    )


def _another_tenants_resource(
    op: Operation,
    ref: Case,
    values: OperationValues,
    parts: RequestParts,
    path_changes: dict[str, str],
    n: int,
) -> Case:
    fields, body = values.foreign_fields, ref.json_body
    names = ", ".join(f"{k}={v}" for k, v in {**path_changes, **fields}.items())
    return derived(
        op,
        ref,
        R.TENANT_ISOLATION,
        "foreign",
        n,
        f"another tenant's resource, asked for as this principal ({names})",
        body=dump_json(apply_fields(body, fields)) if isinstance(body, dict) else ref.body,
        expect=Expect("not-success"),
        source=next((p.source for p in op.in_("path") if p.name in path_changes), op.source),
        path=parts.path(op, path_changes) if path_changes else ref.path,
    )


@probe
def not_success(a: Answered) -> Iterator[Violation]:
    """Another principal's request: anything but a 2xx (a 202 shows no access was granted either way)."""
    if a.status == 202:
        yield a.violation(
            f"Inconclusive: accepted for later processing: {a.case.title}",
            "a refusal (not 2xx)",
            answer(a.response),
            severity="warning",
            basis="RFC 9110 §15.3.3: 202 Accepted says the request is not yet acted upon (it may still be "
            "refused), so it shows no access was granted",
        )
    elif a.response.ok:
        yield a.violation(f"Succeeded: {a.case.title}", "a refusal (not 2xx)", answer(a.response))


def _build(given: ProbeInput) -> list[Case] | Skip:
    return foreign_cases(given.op, given.ref, given.values, given.baseline_ok, given.parts)


FOREIGN = register(ProbeKind("foreign", {"foreign": not_success}, _build, order=100))
