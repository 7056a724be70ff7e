"""DSSE envelopes (https://github.com/secure-systems-lab/dsse): Ed25519 over the pre-authentication
encoding, so any DSSE tool (or a dozen lines of `cryptography`, see docs/verify_certificate.py) verifies it.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from fcvalidate.certificate.keys import key_id

PAYLOAD_TYPE = "application/vnd.in-toto+json"


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSEv1 pre-authentication encoding: what is signed, so the type cannot be swapped under a body."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


def sign(payload: bytes, key: Ed25519PrivateKey, payload_type: str = PAYLOAD_TYPE) -> dict[str, Any]:
    """The envelope: standard base64 (with padding) for payload and signature, as the DSSE spec shows."""
    signature = key.sign(pae(payload_type, payload))
    return {
        "payloadType": payload_type,
        "payload": base64.b64encode(payload).decode("ascii"),
        "signatures": [
            {"keyid": key_id(key.public_key()), "sig": base64.b64encode(signature).decode("ascii")}
        ],
    }


@dataclass(frozen=True, slots=True)
class Envelope:
    payload_type: str
    payload: bytes
    signatures: tuple[bytes, ...]
    key_ids: tuple[str, ...] = ()  # unsigned hints, for messages only

    def signed_by(self, key: Ed25519PublicKey) -> bool:
        """True when one of the signatures is this key's over this payload and type."""
        message = pae(self.payload_type, self.payload)
        for signature in self.signatures:
            try:
                key.verify(signature, message)
            except InvalidSignature:
                continue
            return True
        return False


class EnvelopeError(ValueError):
    """Not a DSSE envelope; the message says what is wrong."""


def parse(raw: bytes) -> Envelope:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise EnvelopeError(f"not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise EnvelopeError("not a DSSE envelope (top level is not an object)")
    payload_type, payload, signatures = data.get("payloadType"), data.get("payload"), data.get("signatures")
    if not isinstance(payload_type, str) or not isinstance(payload, str) or not isinstance(signatures, list):
        raise EnvelopeError("not a DSSE envelope (needs payloadType, payload and signatures)")
    sigs, ids = [], []
    for n, entry in enumerate(signatures):
        sig = entry.get("sig") if isinstance(entry, dict) else None
        if not isinstance(sig, str):
            raise EnvelopeError(f"signatures[{n}] has no `sig`")
        sigs.append(_b64(sig, f"signatures[{n}].sig"))
        ids.append(str(entry.get("keyid", "")))
    return Envelope(payload_type, _b64(payload, "payload"), tuple(sigs), tuple(ids))


def _b64(text: str, where: str) -> bytes:
    # The DSSE spec lets a signer use either alphabet; accept both, as its reference verifier does.
    try:
        return base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise EnvelopeError(f"{where} is not base64") from None
