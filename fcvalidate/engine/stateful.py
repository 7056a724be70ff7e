"""Stateful sequences: after a write the run made succeeded, read the resource back with the contract's GET
of the same path (POST /x → GET /x/{id}; PUT, PATCH, DELETE /x/{id} → GET /x/{id}), judged by
checks/state.py. Only the resource the write's valid requests already named (what the run was given or
created: docs/what-a-run-changes.md), one request at a time, never in a read-only run."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from fcvalidate.checks import Violation, state
from fcvalidate.contract.operation import Operation
from fcvalidate.engine import probes
from fcvalidate.engine.generate import scalar_text
from fcvalidate.engine.probes.derive import case as _case
from fcvalidate.engine.probes.parts import default_headers, names_nothing, with_fresh_identifiers
from fcvalidate.engine.settings import Settings
from fcvalidate.errors import UsageError
from fcvalidate.exchange import Case, Exchange, Expect, dump_json
from fcvalidate.requirements import RequirementId as R

KIND: Final = "read-back"


@dataclass(frozen=True, slots=True)
class Step:
    """One request of a sequence and what its answer showed."""

    exchange: Exchange
    violations: tuple[Violation, ...] = ()


REFUSALS = frozenset({"rejected", "unauthorised", "not-success"})


def before_delete(planned: Sequence[Case], valid: Case) -> list[Case]:
    """A DELETE's probes that must be refused and name its resource: sent before the valid DELETE, since
    after it a 404 answers them whether or not the implementation checks what they leave out (the header,
    the credential, the tenant). One that is wrongly accepted deletes the resource: its own finding."""
    return [
        c for c in planned if c.expect.outcome in REFUSALS and c.path == valid.path and c.kind != "method"
    ]


def read_operation(op: Operation, operations: Sequence[Operation]) -> Operation | None:
    """The documented GET of the resource `op` writes, or None."""
    if op.method == "POST" and not op.in_("path"):
        prefix = op.path.rstrip("/") + "/{"
        for read in operations:
            rest = read.path[len(prefix) :]
            if (
                read.method == "GET"
                and read.path.startswith(prefix)
                and rest.endswith("}")
                and "/" not in rest
            ):
                return read
    elif op.method in ("PUT", "PATCH", "DELETE"):
        return next((r for r in operations if r.method == "GET" and r.path == op.path), None)
    return None


def steps(
    op: Operation,
    settings: Settings,
    baseline: Exchange,
    valid: Sequence[Exchange],
    send: Callable[[Case], Exchange],
) -> Iterator[Step]:
    """The sequence for `op` after its valid requests (`baseline` succeeded), each step as it is answered."""
    if settings.read_only:
        return
    operations = [o for c in settings.contracts for o in c.operations]
    read = read_operation(op, operations)
    if read is None or (op.method == "POST" and baseline.response is None):
        return
    try:  # the read may need a credential the run was not given (it was not selected): then no sequence
        if read.security and settings.credentials.credential_for(read) is None:
            return
    except UsageError:
        return
    seq = _Sequence(op, read, settings, baseline, send)
    if op.method == "POST":
        yield from seq.after_create(baseline)
    elif op.method == "DELETE":
        yield from seq.after_delete()
    else:
        yield from seq.after_change(_bodies(op, baseline, valid))


class _Sequence:
    def __init__(
        self,
        op: Operation,
        read: Operation,
        settings: Settings,
        baseline: Exchange,
        send: Callable[[Case], Exchange],
    ) -> None:
        self.op, self.read, self.settings, self.baseline, self.send = op, read, settings, baseline, send
        self.n = 0

    def after_create(self, created: Exchange) -> Iterator[Step]:
        """POST: the resource its answer names reads back with the values sent."""
        assert created.response is not None
        try:
            answered = json.loads(created.response.body)
        except ValueError:
            return
        if not isinstance(answered, dict):
            return
        ids = probes.created_values(self.read, {self.op.path.rstrip("/"): answered})
        if not ids:
            return  # the answer names no id the read's path can take
        got = self._get("the created resource read back", ids)
        yield Step(
            got, tuple(state.read_back(self.op, self.read, created.case.json_body, got, created.case.id))
        )

    def after_delete(self) -> Iterator[Step]:
        got = self._get("the deleted resource read back")
        control = None
        if got.response is not None and got.response.ok:
            # a read that answers any id (one naming nothing too) shows nothing about the DELETE
            last = self.read.in_("path")[-1]
            here = _path_values(self.read, self.baseline.case.path).get(last.name)
            # the unknown-resource probes' own rule for a value of the id's form that names nothing
            nothing = scalar_text(names_nothing(last, here))
            control = self._get("an id that names nothing, read", {last.name: nothing})
        yield Step(got, tuple(state.gone(self.op, self.read, got, self.baseline.case.id, control)))
        if control is not None:
            yield Step(control)

    def after_change(self, bodies: tuple[dict[str, Any], dict[str, Any]] | None) -> Iterator[Step]:
        """PUT or PATCH: write every documented field, read it back; a PATCH then sends fewer fields and
        the read must show the others as they were."""
        if bodies is None:
            return
        full, fewer = bodies
        before = None
        if self.op.method == "PATCH":
            before = self._get("the resource before the PATCH")
            yield Step(before)
        wrote = self._write("every field written again", full)
        if wrote.response is None or not wrote.response.ok:
            yield Step(wrote)
            return
        yield Step(wrote)
        got = self._get(f"the resource read after the {self.op.method}")
        found = [*state.read_back(self.op, self.read, full, got, wrote.case.id)]
        if before is not None and before.response is not None and before.response.ok:
            found += state.left_alone(self.op, self.read, before, full, got, wrote.case.id)
        yield Step(got, tuple(found))
        if self.op.method != "PATCH" or fewer == full or found:
            return
        wrote = self._write("a PATCH of fewer fields", fewer)
        yield Step(wrote)
        if wrote.response is None or not wrote.response.ok:
            return
        again = self._get("the resource read after the PATCH of fewer fields")
        found = [
            *state.read_back(self.op, self.read, fewer, again, wrote.case.id),
            *state.left_alone(self.op, self.read, got, fewer, again, wrote.case.id),
        ]
        yield Step(again, tuple(found))

    def _write(self, title: str, body: Mapping[str, Any]) -> Exchange:
        ref = self.baseline.case
        self.n += 1
        case = dataclasses.replace(
            ref,
            id=f"{self.op.operation_id}.{KIND}.{self.n:03d}",
            kind=KIND,
            title=f"{title} ({self.op.method}, then read back)",
            body=dump_json(dict(body)),
            parent=ref.id,
        )
        values = self.settings.known.for_operation(self.op)
        return self.send(with_fresh_identifiers(self.op, values, [case], self.settings.seed, ref)[0])

    def _get(self, title: str, ids: Mapping[str, str] | None = None) -> Exchange:
        read, ref = self.read, self.baseline.case
        values = self.settings.known.for_operation(read)
        via = self.settings.credentials.credential_for(read)
        parts = probes.request_parts(read, values, {}, via[0] if via else None)
        # the same principal as the write: its header values (a tenant) where the read documents the header
        sent = {k.lower(): v for k, v in ref.headers}
        headers = {
            name: sent.get(name.lower(), value) for name, value in default_headers(read, values).items()
        }
        path = ref.path  # PUT, PATCH, DELETE: the write's own path, the read's template
        if ids is not None:  # the created resource (a POST), or another id: the write's other path values
            at = ref.path if self.op.method != "POST" else ref.path.rstrip("/") + "/-"
            path = parts.path(read, {**_path_values(read, at), **ids})
        self.n += 1
        case = _case(
            self.op,
            R.VALID_REQUESTS,
            KIND,
            self.n,
            f"{title} ({read.label})",
            method="GET",
            path=path,
            headers=tuple(headers.items()),
            body=None,
            content_type=None,
            expect=Expect("success"),
            source=read.source,
            query=parts.query_pairs(read),
            cookies=tuple(parts.cookies.items()),
            credential=parts.credential,
            auth=parts.auth,
            parent=ref.id,
        )
        # a fresh request identifier, as any request of the run gets (the write's was copied above)
        return self.send(with_fresh_identifiers(read, values, [case], self.settings.seed, ref)[0])


def _path_values(read: Operation, path: str) -> dict[str, str]:
    """The path values of `path` (the write's concrete path) where the read's template has the same shape."""
    names = [p.name for p in read.in_("path")]
    template = read.path
    for name in names:
        template = template.replace("{" + name + "}", "\x00")
    pattern = "^" + "([^/]*)".join(re.escape(part) for part in template.split("\x00")) + "$"
    found = re.match(pattern, path)
    return (
        dict(zip(names, found.groups(), strict=True)) if found and len(found.groups()) == len(names) else {}
    )


def _bodies(
    op: Operation, baseline: Exchange, valid: Sequence[Exchange]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Two bodies to write: every field (the documented example with a generated request's values over
    it, so that a field left out later holds a value no example could restore), and, for a PATCH, the
    required fields with one other; None when the write sends no JSON object."""
    example = baseline.case.json_body
    if not isinstance(example, dict) or not example:
        return None
    drawn = [
        e.case.json_body
        for e in valid
        if e is not baseline
        and e.response is not None
        and e.response.ok
        and isinstance(e.case.json_body, dict)
    ]
    full = dict(example)
    for body in drawn:
        full.update({k: v for k, v in body.items() if v is not None})
    # the field the fewer-fields PATCH sends: one whose written value is the example's, so that the fields
    # it leaves out are those that hold drawn values
    required = set((op.request_schema or {}).get("required") or ())
    names = sorted((k for k in full if k not in required), key=lambda k: (full[k] != example.get(k), k))
    if len(names) < 2:
        return full, full  # nothing a PATCH of fewer fields could leave out
    fewer = {k: v for k, v in full.items() if k in required}
    fewer[names[0]] = example.get(names[0], full[names[0]])
    return full, fewer
