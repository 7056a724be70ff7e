"""Malformed bodies: a body that is not JSON, and JSON that is not an object, each of which must be
refused (400 for a body that is not JSON: RFC 9110 §15.5.1, the convention http.400-malformed-body).
"""

from __future__ import annotations

from fcvalidate.checks.outcome import refusal
from fcvalidate.contract.operation import Operation
from fcvalidate.engine.generate import is_json_media
from fcvalidate.engine.probes.derive import derived
from fcvalidate.engine.probes.registry import ProbeInput, ProbeKind, Skip, register
from fcvalidate.exchange import Case, Expect
from fcvalidate.requirements import RequirementId as R

NOT_JSON_BODIES = (b"{not json", b'{"id": 1,')
NOT_OBJECT_BODIES = (b"[]", b'"text"', b"42", b"null")
MALFORMED_CODES = ("MALFORMED_REQUEST", "INVALID_REQUEST")


def malformed_cases(op: Operation, ref: Case) -> list[Case] | Skip:
    media = op.request_media_type
    if media is None:
        return Skip(R.MALFORMED_BODY, f"not tested: {op.label} takes no request body")
    if not is_json_media(media):
        return Skip(R.MALFORMED_BODY, f"not tested: the request body is {media}, not JSON")
    codes = tuple(c for c in MALFORMED_CODES if c in op.error_codes) or MALFORMED_CODES
    not_json = Expect("rejected", codes=codes, statuses=(400,))
    source = op.request_source
    cases = [
        derived(
            op,
            ref,
            R.MALFORMED_BODY,
            "malformed",
            n,
            f"a body that is not JSON: {body.decode()!r}",
            body=body,
            expect=not_json,
            source=source,
        )
        for n, body in enumerate(NOT_JSON_BODIES)
    ]
    cases += [
        derived(
            op,
            ref,
            R.MALFORMED_BODY,
            "not-object",
            n,
            f"a JSON body that is not an object: {body.decode()}",
            body=body,
            expect=Expect("rejected"),
            source=source,
        )
        for n, body in enumerate(NOT_OBJECT_BODIES)
    ]
    return cases


def _build(given: ProbeInput) -> list[Case] | Skip:
    return malformed_cases(given.op, given.ref)


MALFORMED = register(
    ProbeKind(
        "malformed", {"malformed": refusal(syntax=True), "not-object": refusal(syntax=True)}, _build, order=60
    )
)
