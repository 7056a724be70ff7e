"""Verifying a certificate: signature, statement, subjects, evidence and policy, each refusal one line.

Pure: bytes and loaded contracts in, a `Verification` out. Re-running the implementation (`--base-url`)
is the caller's, since it needs the network.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from fcvalidate.certificate import compare, dsse, policy
from fcvalidate.certificate.keys import key_id
from fcvalidate.certificate.statement import PREDICATE_TYPE, STATEMENT_TYPE, schema_problems
from fcvalidate.contract.operation import Contract


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of `fcvalidate verify`: valid when no reason refuses it; notes say what was not checked."""

    statement: Mapping[str, Any] | None
    reasons: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return not self.reasons

    @property
    def predicate(self) -> Mapping[str, Any]:
        return (self.statement or {}).get("predicate", {})


def read_statement(raw: bytes) -> dict[str, Any]:
    """The statement of an envelope, unverified (for `certificate show`); EnvelopeError if unreadable."""
    envelope = dsse.parse(raw)
    return _statement(envelope.payload)


def _statement(payload: bytes) -> dict[str, Any]:
    try:
        data = json.loads(payload)
    except ValueError as exc:
        raise dsse.EnvelopeError(f"the payload is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise dsse.EnvelopeError("the payload is not a statement (not an object)")
    return data


def verify(
    raw: bytes,
    key: Ed25519PublicKey,
    *,
    contracts: Iterable[Contract] | None = None,
    rules: policy.Policy | None = None,
    evidence: bytes | None = None,
    now: dt.datetime | None = None,
) -> Verification:
    """Check an envelope (`raw`, its file's bytes) with the supplier's public key. Raises EnvelopeError
    when `raw` is not a DSSE envelope at all; everything else is a reason in the result."""
    envelope = dsse.parse(raw)
    if not envelope.signed_by(key):
        return Verification(None, (f"signature: {_unsigned(envelope, key)}",))
    if envelope.payload_type != dsse.PAYLOAD_TYPE:
        return Verification(None, (f"payloadType is {envelope.payload_type!r}, not {dsse.PAYLOAD_TYPE!r}",))
    try:
        statement = _statement(envelope.payload)
    except dsse.EnvelopeError as exc:
        return Verification(None, (f"statement: {exc}",))
    shape = _shape_problems(statement)
    if shape:  # nothing below can be read safely
        return Verification(statement, tuple(shape))
    predicate = statement["predicate"]
    reasons = list(compare.stale(statement, contracts)) if contracts is not None else []
    notes: list[str] = []
    if evidence is None:
        notes.append(f"evidence: not checked (no {predicate['evidence']['name']} given)")
    else:
        reasons += _evidence_mismatch(predicate["evidence"], evidence)
    notes += _carried(predicate["results"])
    reasons += policy.refusals(predicate, rules or policy.Policy(), now or dt.datetime.now(dt.UTC))
    return Verification(statement, tuple(reasons), tuple(notes))


def _unsigned(envelope: dsse.Envelope, key: Ed25519PublicKey) -> str:
    ours = key_id(key)
    if envelope.key_ids and ours not in envelope.key_ids:
        return f"signed by another key ({', '.join(envelope.key_ids)}), not this one ({ours})"
    return "does not match the content: the certificate was changed after it was signed"


def _shape_problems(statement: Mapping[str, Any]) -> list[str]:
    shape = []
    if statement.get("_type") != STATEMENT_TYPE:
        shape.append(f"statement: _type is {statement.get('_type')!r}, not {STATEMENT_TYPE!r}")
    if statement.get("predicateType") != PREDICATE_TYPE:
        shape.append(
            f"statement: predicateType is {statement.get('predicateType')!r}, not {PREDICATE_TYPE!r}"
        )
    subjects = statement.get("subject")
    if not isinstance(subjects, list) or not all(_is_subject(s) for s in subjects):
        shape.append("statement: subject is not a list of {name, digest}")
    return shape + [f"predicate: {line}" for line in schema_problems(statement.get("predicate"))]


def _carried(results: list[Mapping[str, Any]]) -> list[str]:
    """certify --changed-from: say what the certified run did not check itself."""
    carried = [r for r in results if r.get("carried")]
    if not carried:
        return []
    dates = ", ".join(sorted({r["carried"]["date"] for r in carried}))
    return [
        f"carried: {len(carried)} of {len(results)} verdict(s) were not re-checked by this "
        f"run but carried from an earlier one (reached {dates}; each says from what in `carried`)"
    ]


def _is_subject(s: Any) -> bool:
    return isinstance(s, dict) and isinstance(s.get("name"), str) and isinstance(s.get("digest"), dict)


def _evidence_mismatch(certified: Mapping[str, Any], evidence: bytes) -> list[str]:
    digest = hashlib.sha256(evidence).hexdigest()
    if digest == certified["sha256"]:
        return []
    return [
        f"evidence: {certified['name']} is not the evidence certified "
        f"(sha256 {digest[:12]}…, certified {certified['sha256'][:12]}…)"
    ]
