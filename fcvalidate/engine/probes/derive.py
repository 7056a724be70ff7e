"""A probe derived from a valid request: its id, requirement and expectation, and what it keeps of the
request it comes from. Shared by every probe kind.
"""

from __future__ import annotations

from typing import Any

from fcvalidate.contract.operation import Operation
from fcvalidate.exchange import Case
from fcvalidate.requirements import RequirementId as R


def case(op: Operation, requirement: R, kind: str, n: int, title: str, **kw: Any) -> Case:
    source = kw.get("source")
    if source is not None and not source.at:  # a contract without prose clauses: the operation says it
        kw["source"] = op.source
    return Case(
        id=f"{op.operation_id}.{kind}.{n:03d}",
        operation=op.label,
        requirement=requirement,
        kind=kind,
        title=title,
        method=kw.pop("method", op.method),
        path=kw.pop("path", op.path),
        **kw,
    )


def like(ref: Case, **changes: Any) -> dict[str, Any]:
    """What a probe keeps of the valid request it is derived from (path, query, cookies, credential)."""
    kept: dict[str, Any] = {
        "path": ref.path,
        "query": ref.query,
        "cookies": ref.cookies,
        "credential": ref.credential,
        "content_type": ref.content_type,
    }
    if ref.auth == "none":  # an operation that needs no credential: its probes carry none either
        kept["auth"] = "none"
    kept.update(changes)
    return kept


# what `like` keeps of the valid request, and a probe may change
_KEPT = ("path", "query", "cookies", "credential", "content_type", "auth")


def derived(op: Operation, ref: Case, requirement: R, kind: str, n: int, title: str, **kw: Any) -> Case:
    """A probe derived from the valid request `ref`: its headers, body, path, query, cookies and
    credential, but for those `kw` changes."""
    kept = {k: kw.pop(k) for k in _KEPT if k in kw}
    kw.setdefault("headers", ref.headers)
    kw.setdefault("body", ref.body)
    return case(op, requirement, kind, n, title, parent=ref.id, **kw, **like(ref, **kept))
